package ballot_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/ballot"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/notify/emails"
)

// choices answers Vote's question for x, y, z with the ranks given as typed.
func (w *world) choices(rx, ry, rz string) func(int64) ballot.Choice {
	typed := map[int64]string{w.x: rx, w.y: ry, w.z: rz}
	return func(id int64) ballot.Choice { return ballot.Choice{Rank: typed[id]} }
}

// TestServiceVoteAndDecideTies runs a ballot from what the member typed and the chair's decision
// on a tie from the typed positions, without HTTP: nothing is saved outside the window or with a
// refused choice; the decision needs a closed vote with a tie, distinct positions and a reason.
func TestServiceVoteAndDecideTies(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.ctx = audit.WithIP(w.ctx, "192.0.2.7")
	clock := w.ed.Schedule.Voting.End
	svc := &ballot.Service{Deps: usecase.New(w.pool, nil, emails.Site{}, func() time.Time { return clock })}
	a, b := authz.Actor{UserID: w.a}, authz.Actor{UserID: w.b}

	if _, _, err := svc.Vote(w.ctx, a, w.ed, w.cat, w.choices("1", "2", "3")); !errors.Is(err, ballot.ErrNotOpen) {
		t.Errorf("vote after the window: %v, want ErrNotOpen", err)
	}
	clock = now
	if _, problems, err := svc.Vote(w.ctx, a, w.ed, w.cat, w.choices("1", "2", "")); err != nil || len(problems) != 1 || problems[0].ApplicationID != w.z {
		t.Errorf("vote without z's rank: %+v, %v", problems, err)
	}
	if n := w.audits("ballot.cast", w.a); n != 0 {
		t.Errorf("a refused ballot was recorded (%d entries)", n)
	}
	if created, problems, err := svc.Vote(w.ctx, a, w.ed, w.cat, w.choices("1", "2", "3")); err != nil || len(problems) > 0 || !created {
		t.Fatalf("a's ballot: %v, %+v, %v", created, problems, err)
	}
	if _, _, err := svc.Vote(w.ctx, b, w.ed, w.cat, w.choices("2", "1", "3")); err != nil {
		t.Fatal(err)
	}

	position := func(px, py int) func(int64) string {
		return func(id int64) string { return map[int64]string{w.x: strconv.Itoa(px), w.y: strconv.Itoa(py)}[id] }
	}
	if _, err := svc.DecideTies(w.ctx, a, w.ed, w.cat, position(1, 2), "Discussed"); !errors.Is(err, ballot.ErrNotClosed) || !errors.Is(err, db.ErrNotFound) {
		t.Errorf("decision on an open vote: %v, want ErrNotClosed", err)
	}
	if err := svc.Close(w.ctx, a, w.ed, w.cat); err != nil {
		t.Fatal(err)
	}
	if problems, err := svc.DecideTies(w.ctx, a, w.ed, w.cat, position(1, 1), " "); err != nil || len(problems) != 2 {
		t.Errorf("a position twice and no reason: %+v, %v", problems, err)
	}
	if problems, err := svc.DecideTies(w.ctx, a, w.ed, w.cat, position(2, 1), "The council's discussion"); err != nil || len(problems) > 0 || w.audits("vote.tiebreak", w.a) != 1 {
		t.Fatalf("decision: %+v, %v", problems, err)
	}
	if _, err := svc.DecideTies(w.ctx, a, w.ed, w.cat, position(2, 1), "Again"); !errors.Is(err, ballot.ErrNoTie) {
		t.Errorf("decision without a tie: %v, want ErrNoTie", err)
	}
	if p, err := ballot.LoadProtocol(w.ctx, w.pool, w.ed.ID, w.cat.ID); err != nil || len(p.Proposed(w.cat)) == 0 || p.Proposed(w.cat)[0].ApplicationID != w.y {
		t.Errorf("proposed winners after the decision: %v", err)
	}
}
