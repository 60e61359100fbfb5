package scoring

import (
	"time"

	"context"
	"slices"

	"prizeportal/internal/authz"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
)

// Worklist is what an evaluator scores (DOMAIN.md "Round 2"): the entries assigned to them, and
// the editions where they evaluate or head the committee, for their scoring windows.
type Worklist struct {
	Entries  []Entry
	Editions []*edition.Edition // in the order of the actor's grants
}

// Worklist loads the worklist of actor.
func (s *Service) Worklist(ctx context.Context, actor authz.Actor) (Worklist, error) {
	var w Worklist
	var err error
	if w.Entries, err = Assigned(ctx, s.Pool, actor.UserID); err != nil {
		return Worklist{}, err
	}
	for _, g := range actor.Grants {
		if (g.Role != authz.RoleEvaluator && g.Role != authz.RoleCommitteeHead) ||
			slices.ContainsFunc(w.Editions, func(e *edition.Edition) bool { return e.ID == g.EditionID }) {
			continue
		}
		ed, err := edition.ByID(ctx, s.Pool, g.EditionID)
		if err != nil {
			return Worklist{}, err
		}
		w.Editions = append(w.Editions, ed)
	}
	return w, nil
}

// Round is where round 2 of ed stands at now, its closing as the worklist's entries of ed carry
// it (no entry: not closed, as far as the evaluator is concerned).
func (w Worklist) Round(ed *edition.Edition, now time.Time) edition.Round {
	var c edition.Closures
	for _, e := range w.Entries {
		if e.EditionID == ed.ID {
			c.Scoring = e.ClosedAt
			break
		}
	}
	return ed.RoundsAt(now, c).Scoring
}

// Done counts the entries whose sheet is submitted.
func (w Worklist) Done() int {
	n := 0
	for _, e := range w.Entries {
		if e.Status == Submitted {
			n++
		}
	}
	return n
}

// Next is the first entry of the list whose sheet is not submitted; nil when every one is.
func (w Worklist) Next() *Entry {
	if i := slices.IndexFunc(w.Entries, func(e Entry) bool { return e.Status != Submitted }); i >= 0 {
		return &w.Entries[i]
	}
	return nil
}

// Next is the entry actor scores after entry after (NextUnfinished); 0 when none is left.
func (s *Service) Next(ctx context.Context, actor authz.Actor, after int64) (int64, error) {
	return NextUnfinished(ctx, s.Pool, actor.UserID, after)
}

// File is document file of entry app for actor, its evaluator: the assignment is checked in SQL
// (File), so anyone else gets db.ErrNotFound.
func (s *Service) File(ctx context.Context, actor authz.Actor, app, file int64) (files.File, error) {
	return File(ctx, s.Pool, actor.UserID, app, file)
}
