package award_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/award"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/ranking/rankingtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// now is after the winners' announcement of seoul-2023, before its attendance deadline.
var now = time.Date(2023, 8, 10, 3, 0, 0, 0, time.UTC)

// world is seoul-2023 with a council (chair, member), a committee head, an evaluator, and a
// closed Tech-InnovaCity vote whose final order is A, B, C, D, E, F; A, B and C are confirmed
// first, second and third.
type world struct {
	t                       *testing.T
	ctx                     context.Context
	pool                    *pgxpool.Pool
	ed                      *edition.Edition
	cat                     *edition.Category
	chair, member, head, ev int64
	entries                 map[string]int64
	owner                   map[string]int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), pool: dbtest.New(t), entries: map[string]int64{}, owner: map[string]int64{}}
	w.ed = editiontest.Import(t, w.pool, "seoul-2023")[0]
	w.cat, _ = w.ed.Category("tech-innovacity")
	w.chair = rankingtest.Evaluator(t, w.pool, w.ed.ID, "chair", "council")
	w.member = rankingtest.Evaluator(t, w.pool, w.ed.ID, "member", "council")
	w.head = rankingtest.Evaluator(t, w.pool, w.ed.ID, "head", "committee_head")
	w.ev = rankingtest.Evaluator(t, w.pool, w.ed.ID, "ev", "evaluator")
	w.exec(`INSERT INTO council_chairs (edition_id, user_id, set_by, set_at) VALUES ($1, $2, $2, now())`, w.ed.ID, w.chair)
	var order []int64
	for _, l := range []string{"A", "B", "C", "D", "E", "F"} {
		id := rankingtest.Entry(t, w.pool, w.ed.ID, "tech-innovacity", "e"+l, "Entry "+l)
		w.entries[l] = id
		var u int64
		if err := w.pool.QueryRow(w.ctx, `SELECT user_id FROM applications WHERE id = $1`, id).Scan(&u); err != nil {
			t.Fatal(err)
		}
		w.owner[l] = u
		order = append(order, id)
	}
	w.exec(`INSERT INTO vote_results (edition_id, category_id, method, council, quorum, ballots, final_order, seed, closed_by, closed_at)
		VALUES ($1, $2, 'schulze', 2, 2, 2, $3, 'seed', $4, now())`, w.ed.ID, w.cat.ID, order, w.chair)
	for i, l := range []string{"A", "B", "C"} {
		w.exec(`INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, confirmed_by, confirmed_at)
			VALUES ($1, $2, $3, $4, $5, $6, now())`, w.entries[l], w.ed.ID, w.cat.ID, i+1, []string{"First", "Second", "Third"}[i]+" Prize", w.chair)
	}
	return w
}

func (w *world) exec(sql string, args ...any) {
	w.t.Helper()
	if _, err := w.pool.Exec(w.ctx, sql, args...); err != nil {
		w.t.Fatal(err)
	}
}

// awardOf returns the id of the standing award of entry l.
func (w *world) awardOf(l string) int64 {
	w.t.Helper()
	var id int64
	if err := w.pool.QueryRow(w.ctx, `SELECT id FROM awards WHERE application_id = $1 AND status = 'confirmed'`, w.entries[l]).Scan(&id); err != nil {
		w.t.Fatalf("award of %s: %v", l, err)
	}
	return id
}

func (w *world) respond(l string, in award.Answer) (int64, error) {
	var id int64
	err := db.InTx(w.ctx, w.pool, func(tx pgx.Tx) error {
		var err error
		id, err = award.Respond(w.ctx, tx, w.owner[l], w.awardOf(l), in, w.ed.AttendanceDeadline(), now)
		return err
	})
	return id, err
}

func (w *world) invalidate(actor int64, l, reason string) (int64, error) {
	var id int64
	err := db.InTx(w.ctx, w.pool, func(tx pgx.Tx) error {
		var err error
		id, err = award.Invalidate(w.ctx, tx, actor, w.awardOf(l), reason, now)
		return err
	})
	return id, err
}

func (w *world) confirm(chair, proposal int64) (*award.Proposal, error) {
	var p *award.Proposal
	err := db.InTx(w.ctx, w.pool, func(tx pgx.Tx) error {
		var err error
		p, _, err = award.Confirm(w.ctx, tx, chair, proposal, now)
		return err
	})
	return p, err
}

// winners returns the standing winners by place, as entry letters ("1:A 2:B 3:C").
func (w *world) winners() string {
	w.t.Helper()
	list, err := award.List(w.ctx, w.pool, w.ed.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	letter := map[int64]string{}
	for l, id := range w.entries {
		letter[id] = l
	}
	out := ""
	for _, a := range list {
		if a.Live() {
			if out != "" {
				out += " "
			}
			out += fmt.Sprintf("%d:%s", a.Place, letter[a.ApplicationID])
		}
	}
	return out
}

func (w *world) proposal(id int64) *award.Proposal {
	w.t.Helper()
	p, err := award.GetProposal(w.ctx, w.pool, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

// TestSuccessionOrder: the award moves to the next candidate of the final order who is not a
// winner, has not declined and was not invalidated, over a chain of two moves of the first
// place (A declines → D; D declines → F, skipping A, B invalidated, C and E winners).
func TestSuccessionOrder(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// A attends at first, then finds it cannot: the answer may change before the deadline.
	if p, err := w.respond("A", award.Answer{CanAttend: true, RepresentativeName: "Kim Min-jun", RepresentativeTitle: "Mayor"}); err != nil || p != 0 {
		t.Fatalf("A attends: %d, %v", p, err)
	}
	p1, err := w.respond("A", award.Answer{CanAttend: false})
	if err != nil || p1 == 0 {
		t.Fatalf("A declines: %d, %v", p1, err)
	}
	if p := w.proposal(p1); p.To != w.entries["D"] || p.Reason != award.ReasonDeclined || p.Place != 1 || !p.Open() {
		t.Fatalf("proposal after A declines: %+v, want A → D at first place", p)
	}
	if got := w.winners(); got != "1:A 2:B 3:C" {
		t.Fatalf("before the chair confirms: %s", got)
	}
	done, err := w.confirm(w.chair, p1)
	if err != nil || done.NewAwardID == 0 || done.Open() {
		t.Fatalf("confirm A → D: %+v, %v", done, err)
	}
	if got := w.winners(); got != "1:D 2:B 3:C" {
		t.Fatalf("after A → D: %s", got)
	}
	var status, reason string
	var by int64
	w.pool.QueryRow(w.ctx, `SELECT status, status_reason, status_changed_by FROM awards WHERE application_id = $1`, w.entries["A"]).Scan(&status, &reason, &by)
	if status != award.StatusDeclined || reason == "" || by != w.chair {
		t.Errorf("A's award: %s %q by %d", status, reason, by)
	}

	// The committee head invalidates B: the next candidate not a winner is E.
	p2, err := w.invalidate(w.head, "B", "The project did not meet the qualification requirements.")
	if err != nil {
		t.Fatal(err)
	}
	if p := w.proposal(p2); p.To != w.entries["E"] || p.Place != 2 || p.Detail == "" {
		t.Fatalf("proposal after B's invalidation: %+v, want B → E", p)
	}
	if _, err := w.confirm(w.chair, p2); err != nil {
		t.Fatal(err)
	}
	if got := w.winners(); got != "1:D 2:E 3:C" {
		t.Fatalf("after B → E: %s", got)
	}

	// D, the successor, cannot attend either: the first place moves on to F.
	p3, err := w.respond("D", award.Answer{CanAttend: false})
	if err != nil {
		t.Fatal(err)
	}
	if p := w.proposal(p3); p.To != w.entries["F"] || p.From != w.entries["D"] || p.Place != 1 {
		t.Fatalf("second move: %+v, want D → F", p)
	}
	if _, err := w.confirm(w.chair, p3); err != nil {
		t.Fatal(err)
	}
	if got := w.winners(); got != "1:F 2:E 3:C" {
		t.Fatalf("after D → F: %s", got)
	}
	// No candidate is left: C's invalidation proposes nobody, and confirming leaves the place empty.
	p4, err := w.invalidate(w.chair, "C", "The applicant brought the Prize into disgrace.")
	if err != nil {
		t.Fatal(err)
	}
	if p := w.proposal(p4); p.To != 0 {
		t.Fatalf("no candidate left, yet the proposal names %d", p.To)
	}
	if p, err := w.confirm(w.chair, p4); err != nil || p.NewAwardID != 0 {
		t.Fatalf("confirm without successor: %+v, %v", p, err)
	}
	if got := w.winners(); got != "1:F 2:E" {
		t.Fatalf("after C's invalidation: %s", got)
	}
	ps, err := award.Proposals(w.ctx, w.pool, w.ed.ID)
	if err != nil || len(ps) != 4 {
		t.Fatalf("proposals: %d, %v", len(ps), err)
	}
}

// TestSuccessionConcurrent: two open proposals never name the same successor, and a proposal
// whose successor changed is updated instead of confirmed.
func TestSuccessionConcurrent(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p1, err := w.respond("A", award.Answer{CanAttend: false})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := w.invalidate(w.chair, "B", "Qualification not met.")
	if err != nil {
		t.Fatal(err)
	}
	if a, b := w.proposal(p1), w.proposal(p2); a.To != w.entries["D"] || b.To != w.entries["E"] {
		t.Fatalf("open proposals name %d and %d, want D and E", a.To, b.To)
	}
	// D receives an award meanwhile (as if the chair had changed the winners): the proposal moves to F.
	w.exec(`INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, status, confirmed_by, confirmed_at)
		VALUES ($1, $2, $3, 3, 'Third Prize', 'invalidated', $4, now())`, w.entries["D"], w.ed.ID, w.cat.ID, w.chair)
	var changed bool
	err = db.InTx(w.ctx, w.pool, func(tx pgx.Tx) error {
		var err error
		_, changed, err = award.Confirm(w.ctx, tx, w.chair, p1, now)
		return err
	})
	if err != nil || !changed {
		t.Fatalf("confirm a stale proposal: changed %v, %v", changed, err)
	}
	if p := w.proposal(p1); p.To != w.entries["F"] || !p.Open() {
		t.Fatalf("updated proposal: %+v, want A → F, open", p)
	}
	if _, err := w.confirm(w.chair, p1); err != nil {
		t.Fatal(err)
	}
	if _, err := w.confirm(w.chair, p1); !errors.Is(err, award.ErrDone) {
		t.Errorf("confirm twice: %v, want ErrDone", err)
	}
}

// TestAttendanceAndInvalidationRules: who may answer, invalidate and confirm, and when.
func TestAttendanceAndInvalidationRules(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	in := award.Answer{CanAttend: true, RepresentativeName: "Kim", RepresentativeTitle: "Mayor"}
	tx := func(f func(pgx.Tx) error) error { return db.InTx(w.ctx, w.pool, f) }
	// Another account, a second place, and the deadline.
	err := tx(func(tx pgx.Tx) error {
		_, err := award.Respond(w.ctx, tx, w.owner["B"], w.awardOf("A"), in, w.ed.AttendanceDeadline(), now)
		return err
	})
	if !errors.Is(err, db.ErrNotFound) {
		t.Errorf("another account answers: %v, want ErrNotFound", err)
	}
	if _, err := w.respond("B", in); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("a second place answers: %v, want ErrNotFound", err)
	}
	err = tx(func(tx pgx.Tx) error {
		_, err := award.Respond(w.ctx, tx, w.owner["A"], w.awardOf("A"), in, w.ed.AttendanceDeadline(), w.ed.AttendanceDeadline())
		return err
	})
	if !errors.Is(err, award.ErrDeadline) {
		t.Errorf("answer at the deadline: %v, want ErrDeadline", err)
	}
	if got, err := award.AwaitingAnswer(w.ctx, w.pool, w.owner["A"]); err != nil || len(got) != 1 {
		t.Errorf("awaiting A's answer: %d, %v", len(got), err)
	}
	// Invalidation: the chair or a committee head only, with a reason.
	for _, actor := range []int64{w.member, w.ev, w.owner["A"]} {
		if _, err := w.invalidate(actor, "C", "No."); !errors.Is(err, award.ErrNotAllowed) {
			t.Errorf("invalidation by %d: %v, want ErrNotAllowed", actor, err)
		}
	}
	if _, err := w.invalidate(w.head, "C", "  "); !errors.Is(err, award.ErrReason) {
		t.Errorf("invalidation without reason: %v", err)
	}
	p, err := w.invalidate(w.head, "A", "Qualification not met.")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.invalidate(w.chair, "A", "Again."); !errors.Is(err, award.ErrPending) {
		t.Errorf("second invalidation: %v, want ErrPending", err)
	}
	if _, err := w.respond("A", in); !errors.Is(err, award.ErrPending) {
		t.Errorf("answer while a change waits: %v, want ErrPending", err)
	}
	for _, actor := range []int64{w.member, w.head} {
		if _, err := w.confirm(actor, p); !errors.Is(err, award.ErrNotChair) {
			t.Errorf("confirm by %d: %v, want ErrNotChair", actor, err)
		}
	}
	// After a "cannot attend" the answer is final.
	if _, err := w.confirm(w.chair, p); err != nil {
		t.Fatal(err)
	}
	if _, err := w.respond("D", award.Answer{CanAttend: false}); err != nil {
		t.Fatal(err)
	}
	var dAward int64
	w.pool.QueryRow(w.ctx, `SELECT id FROM awards WHERE application_id = $1`, w.entries["D"]).Scan(&dAward)
	err = tx(func(tx pgx.Tx) error {
		_, err := award.Respond(w.ctx, tx, w.owner["D"], dAward, in, w.ed.AttendanceDeadline(), now)
		return err
	})
	if !errors.Is(err, award.ErrPending) {
		t.Errorf("answer again after declining: %v, want ErrPending", err)
	}
	ok, err := award.MayInvalidate(w.ctx, w.pool, w.ed.ID, w.chair)
	if err != nil || !ok {
		t.Errorf("the chair may invalidate: %v, %v", ok, err)
	}
}
