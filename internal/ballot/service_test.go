package ballot_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/ballot"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/pdfdoc"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify/emails"
)

// audits counts the audit entries of action by actor.
func (w *world) audits(action string, actor int64) int {
	w.t.Helper()
	return dbtest.Count(w.t, w.pool, `SELECT count(*) FROM audit_log WHERE action = $1 AND actor_id = $2 AND ip = '192.0.2.7'`,
		action, actor)
}

// TestServiceVote runs the council's vote through the service without HTTP: the chair recorded,
// ballots cast within the window only, the close with its quorum, the chair's decision on a tie
// and the winners confirmed, each with its audit entry (never a ballot's ranks).
func TestServiceVote(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.ctx = audit.WithIP(w.ctx, "192.0.2.7")
	clock := now
	svc := &ballot.Service{Deps: usecase.New(w.pool, nil, emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return clock })}
	a, b := authz.Actor{UserID: w.a}, authz.Actor{UserID: w.b}
	secretariat := authz.Actor{UserID: w.evaluator}

	if err := svc.SetChair(w.ctx, secretariat, w.ed.ID, w.evaluator); !errors.Is(err, ballot.ErrNotMember) {
		t.Errorf("chair outside the council: %v, want ErrNotMember", err)
	}
	if err := svc.SetChair(w.ctx, secretariat, w.ed.ID, w.a); err != nil || w.audits("council.chair", w.evaluator) != 1 {
		t.Fatalf("set chair: %v", err)
	}

	clock = w.ed.Schedule.Voting.End
	if _, err := svc.Cast(w.ctx, a, w.ed, w.cat, w.ranks(1, 2, 3)); !errors.Is(err, ballot.ErrNotOpen) {
		t.Errorf("cast after the window: %v, want ErrNotOpen", err)
	}
	clock = now
	if _, err := svc.Cast(w.ctx, authz.Actor{UserID: w.evaluator}, w.ed, w.cat, w.ranks(1, 2, 3)); !errors.Is(err, ballot.ErrNotMember) {
		t.Errorf("cast by a non-member: %v, want ErrNotMember", err)
	}
	if first, err := svc.Cast(w.ctx, a, w.ed, w.cat, w.ranks(1, 2, 3)); err != nil || !first {
		t.Fatalf("first ballot: %v, %v", first, err)
	}
	if first, err := svc.Cast(w.ctx, a, w.ed, w.cat, w.ranks(1, 2, 3)); err != nil || first {
		t.Fatalf("changed ballot: %v, %v", first, err)
	}
	if err := svc.Close(w.ctx, a, w.ed, w.cat); !errors.Is(err, ballot.ErrNoQuorum) {
		t.Errorf("close without the quorum: %v", err)
	}
	if _, err := svc.Cast(w.ctx, b, w.ed, w.cat, w.ranks(2, 1, 3)); err != nil {
		t.Fatal(err)
	}
	if n := w.audits("ballot.cast", w.a); n != 2 {
		t.Errorf("ballot.cast entries of a = %d, want 2", n)
	}
	var ranks int
	w.pool.QueryRow(w.ctx, `SELECT count(*) FROM audit_log WHERE action = 'ballot.cast' AND details ? 'ranks'`).Scan(&ranks)
	if ranks != 0 {
		t.Error("the audit records a ballot's ranks")
	}

	if err := svc.Close(w.ctx, b, w.ed, w.cat); !errors.Is(err, ballot.ErrNotChair) {
		t.Errorf("close by a member: %v, want ErrNotChair", err)
	}
	clock = w.ed.Schedule.Voting.Start.Add(-time.Minute)
	if err := svc.Close(w.ctx, a, w.ed, w.cat); !errors.Is(err, ballot.ErrNotOpen) {
		t.Errorf("close before the window: %v, want ErrNotOpen", err)
	}
	clock = now
	if err := svc.Close(w.ctx, a, w.ed, w.cat); err != nil || w.audits("vote.close", w.a) != 1 {
		t.Fatalf("close: %v", err)
	}
	if _, err := svc.ConfirmWinners(w.ctx, a, w.ed, w.cat); !errors.Is(err, ballot.ErrUnresolved) {
		t.Errorf("confirm with a tie: %v, want ErrUnresolved", err)
	}
	if err := svc.Decide(w.ctx, a, w.ed, w.cat, []int64{w.y, w.x}, "The council's discussion"); err != nil || w.audits("vote.tiebreak", w.a) != 1 {
		t.Fatalf("decide: %v", err)
	}
	awards, err := svc.ConfirmWinners(w.ctx, a, w.ed, w.cat)
	if err != nil || len(awards) == 0 || awards[0].ApplicationID != w.y || w.audits("vote.confirm", w.a) != 1 {
		t.Fatalf("confirm: %+v, %v", awards, err)
	}
	if _, err := svc.ConfirmWinners(w.ctx, a, w.ed, w.cat); !errors.Is(err, ballot.ErrConfirmed) {
		t.Errorf("confirm twice: %v, want ErrConfirmed", err)
	}
}

// TestProtocolDocument: the protocol is refused while the vote is open; once closed, its
// document lists the candidates, the anonymised ballots, the count, the tie-breaks and the
// final order, and the winners once confirmed.
func TestProtocolDocument(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	svc := &ballot.Service{Deps: usecase.New(w.pool, nil, emails.Site{}, func() time.Time { return now })}
	if _, err := svc.ProtocolDocument(w.ctx, w.ed, w.cat); !errors.Is(err, ballot.ErrNotClosed) {
		t.Fatalf("protocol of an open vote: %v, want ErrNotClosed", err)
	}
	a := authz.Actor{UserID: w.a}
	svc.Cast(w.ctx, a, w.ed, w.cat, w.ranks(1, 2, 3))
	svc.Cast(w.ctx, authz.Actor{UserID: w.b}, w.ed, w.cat, w.ranks(1, 3, 0))
	if err := svc.Close(w.ctx, a, w.ed, w.cat); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ConfirmWinners(w.ctx, a, w.ed, w.cat); err != nil {
		t.Fatal(err)
	}
	doc, err := svc.ProtocolDocument(w.ctx, w.ed, w.cat)
	if err != nil {
		t.Fatal(err)
	}
	var headings []string
	for _, s := range doc.Sections {
		headings = append(headings, s.Heading)
	}
	if got := strings.Join(headings, ", "); got != "Candidates, Ballots, Count, Tie-breaks, Final order, Winners confirmed by the chair" {
		t.Errorf("sections: %s", got)
	}
	if doc.Title != "Result protocol: "+w.cat.Name || doc.Meta[0].Value != "Schulze method" || doc.Meta[2].Value != "2 from a council of 3 (quorum 2)" {
		t.Errorf("document: %q %+v", doc.Title, doc.Meta)
	}
	ballots := doc.Sections[1].Blocks[0].(pdfdoc.Table)
	if len(ballots.Rows) != 2 || !slices.Contains(ballots.Rows[0], "abstained") && !slices.Contains(ballots.Rows[1], "abstained") {
		t.Errorf("ballots: %v", ballots.Rows)
	}
}

// TestBoardAndSheet: the council page's board and a member's sheet are loaded at once: who has
// voted (never how), the state of each vote, the member's own ballot.
func TestBoardAndSheet(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	svc := &ballot.Service{Deps: usecase.New(w.pool, nil, emails.Site{}, func() time.Time { return now })}
	if _, err := svc.Cast(w.ctx, authz.Actor{UserID: w.b}, w.ed, w.cat, w.ranks(1, 2, 3)); err != nil {
		t.Fatal(err)
	}
	board, err := ballot.LoadBoard(w.ctx, w.pool, w.ed)
	if err != nil {
		t.Fatal(err)
	}
	if len(board.Members) != 3 || !slices.Equal(board.Voted[w.cat.ID], []int64{w.b}) || board.Status[w.cat.ID].Cast != 1 {
		t.Errorf("board: %+v", board)
	}
	sh, err := ballot.LoadSheet(w.ctx, w.pool, w.ed, w.cat, w.a)
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Candidates) != 3 || sh.Mine != nil || !slices.Equal(sh.Voted, []int64{w.b}) || sh.Status.Council != 3 {
		t.Errorf("a's sheet: %+v", sh)
	}
	if sh, _ := ballot.LoadSheet(w.ctx, w.pool, w.ed, w.cat, w.b); sh.Mine == nil || len(sh.Mine.Lines) != 3 {
		t.Errorf("b's own ballot: %+v", sh.Mine)
	}
}

// TestErrorKinds: a refused actor is authz.ErrForbidden and an open vote's protocol is
// db.ErrNotFound, so the one error mapper answers them as any refused access or missing page.
func TestErrorKinds(t *testing.T) {
	for _, err := range []error{ballot.ErrNotMember, ballot.ErrNotChair} {
		if f, ok := fault.As(err); !ok || f.Kind != fault.Forbidden || !errors.Is(err, authz.ErrForbidden) {
			t.Errorf("%v: not a forbidden fault", err)
		}
	}
	if f, ok := fault.As(ballot.ErrNotClosed); !ok || f.Kind != fault.NotFound || !errors.Is(ballot.ErrNotClosed, db.ErrNotFound) {
		t.Errorf("ErrNotClosed: not a not-found fault")
	}
	for _, err := range []error{ballot.ErrClosed, ballot.ErrNoQuorum, ballot.ErrUnresolved, ballot.ErrNoTie, ballot.ErrConfirmed, ballot.ErrCandidates, ballot.ErrNotOpen} {
		if f, ok := fault.As(err); !ok || f.Kind != fault.Conflict {
			t.Errorf("%v: not a conflict", err)
		}
	}
}

// TestServiceCastRefusesARankOnAConflict: a member with a recorded conflict with an entry may
// only abstain on it (Conflicts names the reason).
func TestServiceCastRefusesARankOnAConflict(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.exec(`INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, created_at) VALUES ($1, $2, 'organisation', 'Org y', now())`, w.ed.ID, w.a)
	cands, err := ballot.Candidates(w.ctx, w.pool, w.ed.ID, w.cat.ID)
	if err != nil {
		t.Fatal(err)
	}
	conflicts, err := ballot.Conflicts(w.ctx, w.pool, w.a, cands)
	if err != nil || len(conflicts) != 1 || len(conflicts[w.y]) == 0 {
		t.Fatalf("conflicts: %v, %v", conflicts, err)
	}
	svc := &ballot.Service{Deps: usecase.New(w.pool, nil, emails.Site{}, func() time.Time { return now })}
	a := authz.Actor{UserID: w.a}
	if _, err := svc.Cast(w.ctx, a, w.ed, w.cat, w.ranks(1, 2, 3)); !errors.Is(err, ballot.ErrConflicted) {
		t.Errorf("a rank on a conflicted entry: %v, want ErrConflicted", err)
	}
	if _, err := svc.Cast(w.ctx, a, w.ed, w.cat, w.ranks(1, 0, 2)); err != nil {
		t.Errorf("abstaining on it: %v", err)
	}
}
