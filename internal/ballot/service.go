package ballot

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/committee"
	"prizeportal/internal/db"
	"prizeportal/internal/deputy"
	"prizeportal/internal/edition"
)

// ErrConflicted refuses a rank for an entry the committee's conflict rules bar the member from:
// they abstain on it (DOMAIN.md "People and roles": no one judges an entry they are tied to).
var ErrConflicted = fault.New(fault.Invalid, "You have a recorded conflict with an entry of this ballot: you cannot rank it, you abstain on it.")

// ErrNotOpen refuses a ballot outside the edition's voting window, or a close before it opens.
var ErrNotOpen = fault.New(fault.Conflict, "Ballots are cast only within the voting window, and the vote closes only once it has opened.")

// Service holds the use cases of the Prize Council's vote (DOMAIN.md "Round 3: voting by the
// Prize Council"): recording the chair, casting a ballot, closing and counting the vote, the
// chair's decision on ties and the confirmation of the winners. Each method opens its
// transaction, checks the rule it documents and writes the audit entry.
type Service struct {
	usecase.Deps
}

// VotingOpen reports whether now is within ed's voting window (DOMAIN.md "Schedule"; the phase
// model, edition.Round): ballots are cast and changed only then. Each category's vote closes on
// its own (Status.Closed).
func VotingOpen(ed *edition.Edition, now time.Time) bool {
	return votingRound(ed, now).Open()
}

// votingRound is round 3 of ed at now by its schedule; the closings are per category.
func votingRound(ed *edition.Edition, now time.Time) edition.Round {
	return ed.RoundsAt(now, edition.Closures{}).Voting
}

// Conflicts returns, per candidate, the committee's conflict reasons for member: the council
// abstains on an entry the committee's conflict rules bar them from (DOMAIN.md "People and
// roles": no one judges an entry they are tied to).
func Conflicts(ctx context.Context, q db.DBTX, member int64, cands []Candidate) (map[int64][]string, error) {
	out := map[int64][]string{}
	for _, c := range cands {
		ok, reasons, err := committee.Conflicted(ctx, q, member, c.ApplicationID)
		if err != nil {
			return nil, err
		}
		if ok {
			out[c.ApplicationID] = reasons
		}
	}
	return out, nil
}

func categoryID(id int64) string { return strconv.FormatInt(id, 10) }

// SetChair records member as the chair of ed's council for actor (the secretariat, by the
// route's policy): refused with ErrNotMember unless member is on the council.
func (s *Service) SetChair(ctx context.Context, actor authz.Actor, editionID, member int64) error {
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		before, err := SetChair(ctx, tx, editionID, member, actor.UserID, s.Now())
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "council.chair", ObjectType: "edition",
			ObjectID: strconv.FormatInt(editionID, 10), Details: map[string]any{"from": before, "to": member}})
	})
}

// Cast records actor's ballot in cat of ed (DOMAIN.md "Round 3": the council selects the winners
// by a voting system): only within the voting window (ErrNotOpen), by a member of the council
// (ErrNotMember), until the close (ErrClosed), covering exactly the confirmed semi-finalists
// (ErrCandidates), abstaining on every entry the committee's conflict rules bar them from
// (ErrConflicted). It reports whether the ballot is the member's first. The audit entry says
// that a ballot was cast, never its ranks: the ballot stays secret.
func (s *Service) Cast(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category, lines []Line) (bool, error) {
	now := s.Now()
	if !VotingOpen(ed, now) {
		return false, ErrNotOpen
	}
	var created bool
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		for _, l := range lines {
			if l.Abstained() {
				continue
			}
			barred, _, err := committee.Conflicted(ctx, tx, actor.UserID, l.ApplicationID)
			if err != nil {
				return err
			}
			if barred {
				return ErrConflicted
			}
		}
		var err error
		if created, err = Save(ctx, tx, ed.ID, cat.ID, actor.UserID, lines, now); err != nil {
			return err
		}
		abstained := 0
		for _, l := range lines {
			if l.Abstained() {
				abstained++
			}
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "ballot.cast", ObjectType: "category",
			ObjectID: categoryID(cat.ID), Details: map[string]any{"first": created, "abstentions": abstained}})
	})
	return created, err
}

// Close closes and counts the vote of cat in ed for actor, the chair (ErrNotChair), from the
// start of the voting window (ErrNotOpen) once the quorum has voted (ErrNoQuorum), not twice
// (ErrClosed). The committee's aggregate scores of round 2 are the first tie-break.
func (s *Service) Close(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category) error {
	err := s.close(ctx, actor, ed, cat)
	err = fault.Reword(err, "The vote cannot close before the voting window opens.", ErrNotOpen)
	return fault.Reword(err, "The vote is already closed.", ErrClosed)
}

func (s *Service) close(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category) error {
	now := s.Now()
	if votingRound(ed, now).Phase == edition.PhaseUpcoming {
		return ErrNotOpen
	}
	scores, err := CommitteeScores(ctx, s.Pool, ed.ID, cat.ID)
	if err != nil {
		return err
	}
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		res, err := Close(ctx, tx, ed, cat.ID, actor.UserID, scores, now)
		if err != nil {
			return err
		}
		st, err := StatusOf(ctx, tx, ed.ID, cat.ID, ed.Voting)
		if err != nil {
			return err
		}
		details := map[string]any{"method": string(res.Method),
			"ballots": st.Cast, "council": st.Council, "quorum": st.Quorum, "order": res.Order,
			"tie_breaks": res.TieBreaks, "unresolved": res.Unresolved}
		if err := deputy.Record(ctx, tx, ed.ID, cat.ID, authz.PostChair, actor, details); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "vote.close", ObjectType: "category",
			ObjectID: categoryID(cat.ID), Details: details})
	})
}

// Decide records actor's decision, as chair, on the ties the count and the committee scores left
// in cat's closed vote: order lists every tied entry, earlier first, with the reason recorded
// in the protocol. Refused with ErrNotChair, ErrNotClosed, ErrNoTie, ErrCandidates (the tie
// changed) and ErrConfirmed once the winners are confirmed.
func (s *Service) Decide(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category, order []int64, reason string) error {
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		count, err := Decide(ctx, tx, ed.ID, cat.ID, actor.UserID, order, reason, s.Now())
		if err != nil {
			return err
		}
		details := map[string]any{"decision": order, "reason": reason, "order": count.Order, "tie_breaks": count.TieBreaks}
		if err := deputy.Record(ctx, tx, ed.ID, cat.ID, authz.PostChair, actor, details); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "vote.tiebreak", ObjectType: "category",
			ObjectID: categoryID(cat.ID), Details: details})
	})
}

// ConfirmWinners records the winners of cat from the final order of its closed vote and the
// category's prizes (DOMAIN.md "Round 3": prizes per category), for actor, the chair. Refused
// with ErrNotChair, ErrNotClosed, ErrUnresolved while a tie waits, ErrConfirmed when done.
func (s *Service) ConfirmWinners(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category) ([]Award, error) {
	var awards []Award
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		if awards, err = Confirm(ctx, tx, ed, cat, actor.UserID, s.Now()); err != nil {
			return err
		}
		var winners []map[string]any
		for _, a := range awards {
			winners = append(winners, map[string]any{"application_id": a.ApplicationID, "place": a.Place, "prize": a.PrizeName})
		}
		details := map[string]any{"winners": winners}
		if err := deputy.Record(ctx, tx, ed.ID, cat.ID, authz.PostChair, actor, details); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "vote.confirm", ObjectType: "category",
			ObjectID: categoryID(cat.ID), Details: details})
	})
	return awards, fault.Reword(err, "Decide the remaining ties before confirming the winners.", ErrUnresolved)
}
