package ballot_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/ballot"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/ranking/rankingtest"
	"prizeportal/internal/voting"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var now = time.Date(2023, 7, 15, 3, 0, 0, 0, time.UTC)

// world is seoul-2023 with a council of three (a, b, c; a is the chair), an evaluator, and
// three confirmed semi-finalists x, y, z in tech-innovacity.
type world struct {
	t          *testing.T
	ctx        context.Context
	pool       *pgxpool.Pool
	ed         *edition.Edition
	cat        *edition.Category
	a, b, c    int64
	evaluator  int64
	x, y, z    int64
	candidates []int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), pool: dbtest.New(t)}
	w.ed = editiontest.Import(t, w.pool, "seoul-2023")[0]
	w.cat, _ = w.ed.Category("tech-innovacity")
	w.a = rankingtest.Evaluator(t, w.pool, w.ed.ID, "ca", "council")
	w.b = rankingtest.Evaluator(t, w.pool, w.ed.ID, "cb", "council")
	w.c = rankingtest.Evaluator(t, w.pool, w.ed.ID, "cc", "council")
	w.evaluator = rankingtest.Evaluator(t, w.pool, w.ed.ID, "ev", "evaluator")
	w.x = rankingtest.Entry(t, w.pool, w.ed.ID, "tech-innovacity", "x", "X")
	w.y = rankingtest.Entry(t, w.pool, w.ed.ID, "tech-innovacity", "y", "Y")
	w.z = rankingtest.Entry(t, w.pool, w.ed.ID, "tech-innovacity", "z", "Z")
	w.candidates = []int64{w.x, w.y, w.z}
	for i, id := range w.candidates {
		w.exec(`INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_at) VALUES ($1, $2, $3, 'ranking', $4, now())`,
			id, w.ed.ID, w.cat.ID, i+1)
	}
	w.exec(`INSERT INTO semi_finalist_lists (edition_id, category_id, confirmed_by, confirmed_at) VALUES ($1, $2, $3, now())`, w.ed.ID, w.cat.ID, w.a)
	w.tx(func(tx pgx.Tx) error {
		_, err := ballot.SetChair(w.ctx, tx, w.ed.ID, w.a, w.a, now)
		return err
	})
	return w
}

func (w *world) exec(sql string, args ...any) {
	w.t.Helper()
	dbtest.Exec(w.t, w.pool, sql, args...)
}

func (w *world) tx(f func(pgx.Tx) error) {
	w.t.Helper()
	if err := db.InTx(w.ctx, w.pool, f); err != nil {
		w.t.Fatal(err)
	}
}

// ranks builds the lines of a ballot ranking x, y, z (0: abstained with a conflict).
func (w *world) ranks(rx, ry, rz int) []ballot.Line {
	var out []ballot.Line
	for i, r := range []int{rx, ry, rz} {
		l := ballot.Line{ApplicationID: w.candidates[i], Rank: r}
		if r == 0 {
			l.Conflict = "I advised this organisation"
		}
		out = append(out, l)
	}
	return out
}

func (w *world) save(member int64, lines []ballot.Line) (bool, error) {
	var created bool
	err := db.InTx(w.ctx, w.pool, func(tx pgx.Tx) error {
		var err error
		created, err = ballot.Save(w.ctx, tx, w.ed.ID, w.cat.ID, member, lines, now)
		return err
	})
	return created, err
}

func (w *world) close(member int64) (voting.Result, error) {
	var res voting.Result
	err := db.InTx(w.ctx, w.pool, func(tx pgx.Tx) error {
		var err error
		res, err = ballot.Close(w.ctx, tx, w.ed, w.cat.ID, member, nil, now)
		return err
	})
	return res, err
}

// TestBallotSecrecy: before the close no query returns another member's ranks: Mine is the
// member's own, Voted says who, and Counted refuses.
func TestBallotSecrecy(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if _, err := w.save(w.a, w.ranks(1, 2, 3)); err != nil {
		t.Fatal(err)
	}
	if b, err := ballot.Mine(w.ctx, w.pool, w.cat.ID, w.b); err != nil || b != nil {
		t.Fatalf("b's Mine before voting = %+v, %v; want nil", b, err)
	}
	mine, err := ballot.Mine(w.ctx, w.pool, w.cat.ID, w.a)
	if err != nil || mine == nil || len(mine.Lines) != 3 {
		t.Fatalf("a's Mine = %+v, %v", mine, err)
	}
	if l, _ := mine.Line(w.y); l.Rank != 2 {
		t.Errorf("a's rank of y = %d", l.Rank)
	}
	if _, err := ballot.Counted(w.ctx, w.pool, w.cat.ID); !errors.Is(err, ballot.ErrNotClosed) {
		t.Errorf("Counted before close: %v, want ErrNotClosed", err)
	}
	if _, err := ballot.Count(w.ctx, w.pool, w.cat.ID); !errors.Is(err, ballot.ErrNotClosed) {
		t.Errorf("Count before close: %v, want ErrNotClosed", err)
	}
	voted, err := ballot.Voted(w.ctx, w.pool, w.ed.ID)
	if err != nil || !slices.Equal(voted[w.cat.ID], []int64{w.a}) {
		t.Errorf("Voted = %v, %v", voted, err)
	}
	if r, err := ballot.ResultOf(w.ctx, w.pool, w.cat.ID); err != nil || r != nil {
		t.Errorf("ResultOf open = %+v, %v", r, err)
	}
}

// TestBallotChangeableUntilClose: a member changes their ballot; after the close it is frozen.
func TestBallotChangeableUntilClose(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if created, err := w.save(w.b, w.ranks(1, 2, 3)); err != nil || !created {
		t.Fatalf("first save: %v, %v", created, err)
	}
	if created, err := w.save(w.b, w.ranks(3, 0, 1)); err != nil || created {
		t.Fatalf("second save: %v, %v", created, err)
	}
	mine, _ := ballot.Mine(w.ctx, w.pool, w.cat.ID, w.b)
	if l, _ := mine.Line(w.y); !l.Abstained() || l.Conflict == "" {
		t.Errorf("y after the change = %+v, want an abstention with its conflict", l)
	}
	if l, _ := mine.Line(w.z); l.Rank != 1 {
		t.Errorf("z after the change = %+v", l)
	}
	if _, err := w.save(w.a, w.ranks(1, 2, 3)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.close(w.a); err != nil {
		t.Fatal(err)
	}
	if _, err := w.save(w.b, w.ranks(1, 1, 1)); !errors.Is(err, ballot.ErrClosed) {
		t.Errorf("save after close: %v, want ErrClosed", err)
	}
	got, err := ballot.Counted(w.ctx, w.pool, w.cat.ID)
	if err != nil || len(got) != 2 {
		t.Fatalf("Counted after close = %v, %v", got, err)
	}
	for _, b := range got {
		if _, ok := b.Ranks[w.y]; ok && len(b.Ranks) == 2 {
			t.Errorf("an abstention is counted: %v", b.Ranks)
		}
	}
}

// TestBallotRefusals: only council members vote, on exactly the semi-finalists, with valid lines.
func TestBallotRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if _, err := w.save(w.evaluator, w.ranks(1, 2, 3)); !errors.Is(err, ballot.ErrNotMember) {
		t.Errorf("evaluator: %v, want ErrNotMember", err)
	}
	if _, err := w.save(w.a, w.ranks(1, 2, 3)[:2]); !errors.Is(err, ballot.ErrCandidates) {
		t.Errorf("two of three: %v, want ErrCandidates", err)
	}
	other := rankingtest.Entry(t, w.pool, w.ed.ID, "tech-innovacity", "o", "Not a semi-finalist")
	lines := w.ranks(1, 2, 3)
	lines[2].ApplicationID = other
	if _, err := w.save(w.a, lines); !errors.Is(err, ballot.ErrCandidates) {
		t.Errorf("not a semi-finalist: %v, want ErrCandidates", err)
	}
	lines = w.ranks(1, 2, 3)
	lines[1].Rank, lines[1].Conflict = 0, " "
	if _, err := w.save(w.a, lines); err == nil {
		t.Error("an abstention without a conflict was accepted")
	}
	if _, err := w.save(w.a, w.ranks(1, 2, 3)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.close(w.a); !errors.Is(err, ballot.ErrNoQuorum) {
		t.Errorf("close with 1 of 3: %v, want ErrNoQuorum", err)
	}
}

// TestBallotQuorum: a majority of the council by default, the edition's quorum when set; only
// the chair closes.
func TestBallotQuorum(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	st, err := ballot.StatusOf(w.ctx, w.pool, w.ed.ID, w.cat.ID, w.ed.Voting)
	if err != nil || st.Council != 3 || st.Quorum != 2 || st.Cast != 0 || st.Quorate() {
		t.Fatalf("status = %+v, %v", st, err)
	}
	w.save(w.a, w.ranks(1, 2, 3))
	if _, err := w.close(w.a); !errors.Is(err, ballot.ErrNoQuorum) {
		t.Errorf("1 of 3: %v, want ErrNoQuorum", err)
	}
	w.save(w.b, w.ranks(1, 3, 2))
	if _, err := w.close(w.b); !errors.Is(err, ballot.ErrNotChair) {
		t.Errorf("b closing: %v, want ErrNotChair", err)
	}
	all := *w.ed
	all.Voting.Quorum = 3
	err = db.InTx(w.ctx, w.pool, func(tx pgx.Tx) error {
		_, err := ballot.Close(w.ctx, tx, &all, w.cat.ID, w.a, nil, now)
		return err
	})
	if !errors.Is(err, ballot.ErrNoQuorum) {
		t.Errorf("2 of 3 with quorum 3: %v, want ErrNoQuorum", err)
	}
	res, err := w.close(w.a)
	if err != nil {
		t.Fatal(err)
	}
	// a: x > y > z; b: x > z > y. x beats both; y and z are 1:1, tied without committee scores.
	if res.Order[0] != w.x || len(res.Unresolved) != 1 {
		t.Errorf("result = %+v", res)
	}
	if _, err := w.close(w.a); !errors.Is(err, ballot.ErrClosed) {
		t.Errorf("closing twice: %v, want ErrClosed", err)
	}
	r, err := ballot.ResultOf(w.ctx, w.pool, w.cat.ID)
	if err != nil || r == nil || r.Ballots != 2 || r.Quorum != 2 || r.Council != 3 || r.Method != "schulze" || r.Resolved() {
		t.Errorf("stored result = %+v, %v", r, err)
	}
}

// TestBallotTieDecisionAndWinners: the chair decides a tie the scores leave; then the winners
// follow the final order and the category's prizes.
func TestBallotTieDecisionAndWinners(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.save(w.a, w.ranks(1, 2, 3))
	w.save(w.b, w.ranks(2, 1, 3))
	if _, err := w.close(w.a); err != nil {
		t.Fatal(err)
	}
	confirm := func() ([]ballot.Award, error) {
		var awards []ballot.Award
		err := db.InTx(w.ctx, w.pool, func(tx pgx.Tx) error {
			var err error
			awards, err = ballot.Confirm(w.ctx, tx, w.ed, w.cat, w.a, now)
			return err
		})
		return awards, err
	}
	if _, err := confirm(); !errors.Is(err, ballot.ErrUnresolved) {
		t.Fatalf("confirm with a tie: %v, want ErrUnresolved", err)
	}
	decide := func(member int64, order []int64) error {
		return db.InTx(w.ctx, w.pool, func(tx pgx.Tx) error {
			_, err := ballot.Decide(w.ctx, tx, w.ed.ID, w.cat.ID, member, order, "The council's discussion", now)
			return err
		})
	}
	if err := decide(w.b, []int64{w.y, w.x}); !errors.Is(err, ballot.ErrNotChair) {
		t.Errorf("b deciding: %v", err)
	}
	if err := decide(w.a, []int64{w.y, w.z}); !errors.Is(err, ballot.ErrCandidates) {
		t.Errorf("deciding the wrong candidates: %v", err)
	}
	if err := decide(w.a, []int64{w.y, w.x}); err != nil {
		t.Fatal(err)
	}
	r, _ := ballot.ResultOf(w.ctx, w.pool, w.cat.ID)
	if !slices.Equal(r.Order, []int64{w.y, w.x, w.z}) || !r.Resolved() || len(r.TieBreaks) != 1 || r.DecisionReason == "" {
		t.Fatalf("after the decision: %+v", r)
	}
	if err := decide(w.a, []int64{w.x, w.y}); !errors.Is(err, ballot.ErrNoTie) {
		t.Errorf("deciding again: %v, want ErrNoTie", err)
	}
	awards, err := confirm()
	if err != nil {
		t.Fatal(err)
	}
	if len(awards) != 3 || awards[0].ApplicationID != w.y || awards[0].Place != 1 || awards[2].ApplicationID != w.z || awards[2].PrizeName != "Third Prize" {
		t.Errorf("awards = %+v", awards)
	}
	if _, err := confirm(); !errors.Is(err, ballot.ErrConfirmed) {
		t.Errorf("confirming twice: %v", err)
	}
	stored, err := ballot.Awards(w.ctx, w.pool, w.cat.ID)
	if err != nil || len(stored) != 3 || stored[1].ApplicationID != w.x || stored[1].Status != ballot.AwardConfirmed {
		t.Errorf("stored awards = %+v, %v", stored, err)
	}
}

// TestWinnersLeadership: two first places (the Leadership count) take the first two of the order.
func TestWinnersLeadership(t *testing.T) {
	cat := &edition.Category{ID: 9, Prizes: []edition.Prize{{Place: 1, Name: "Leadership Prize", Count: 2}}}
	got := ballot.Winners(cat, []int64{5, 3, 8})
	if len(got) != 2 || got[0].ApplicationID != 5 || got[1].ApplicationID != 3 || got[1].Place != 1 {
		t.Errorf("Winners = %+v", got)
	}
}
