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
	"prizeportal/internal/results"
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
	dbtest.Exec(w.t, w.pool, sql, args...)
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
		id, err = award.Respond(w.ctx, tx, results.By{UserID: w.owner[l]}, w.awardOf(l), in, w.ed.AttendanceDeadline(), now)
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

// pending returns the category's recomputed result (nil when no proposal is open).
func (w *world) pending() *award.Change {
	w.t.Helper()
	ch, err := award.Pending(w.ctx, w.pool, w.cat)
	if err != nil {
		w.t.Fatal(err)
	}
	return ch
}

// confirmAs confirms the category's recomputed result as actor, as the chair saw it (version).
func (w *world) confirmAs(actor int64, version string) (*award.Change, bool, error) {
	var (
		ch      *award.Change
		changed bool
	)
	err := db.InTx(w.ctx, w.pool, func(tx pgx.Tx) error {
		var err error
		ch, changed, err = award.ConfirmChange(w.ctx, tx, w.cat, actor, version, now)
		return err
	})
	return ch, changed, err
}

// confirm confirms the recomputed result as the chair sees it now.
func (w *world) confirm() *award.Change {
	w.t.Helper()
	ch := w.pending()
	if ch == nil {
		w.t.Fatal("nothing to confirm")
	}
	done, changed, err := w.confirmAs(w.chair, ch.Version)
	if err != nil || changed {
		w.t.Fatalf("confirm: changed %v, %v", changed, err)
	}
	return done
}

// moves returns the moves of a change as entry letters ("B:2>1 C:3>2 D:0>3").
func (w *world) moves(ch *award.Change) string {
	out := ""
	for _, m := range ch.Moves {
		if out != "" {
			out += " "
		}
		out += fmt.Sprintf("%s:%d>%d", w.letter(m.ApplicationID), m.FromPlace, m.ToPlace)
	}
	return out
}

func (w *world) letter(app int64) string {
	for l, id := range w.entries {
		if id == app {
			return l
		}
	}
	return "?"
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

// TestSuccessionOrder: a vacated place is filled by recomputing the category's result from the
// final order without the entries that declined or were invalidated: the others move up and
// the next candidate takes the last place. A chain of changes: A (first) declines, C is
// invalidated, B (moved up to first) declines, E is invalidated, F is invalidated.
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
	if p := w.proposal(p1); p.Reason != award.ReasonDeclined || p.Place != 1 || !p.Open() || p.To != 0 {
		t.Fatalf("proposal after A declines: %+v", p)
	}
	if got := w.moves(w.pending()); got != "B:2>1 C:3>2 D:0>3" {
		t.Fatalf("recomputed after A declines: %s", got)
	}
	if got := w.winners(); got != "1:A 2:B 3:C" {
		t.Fatalf("before the chair confirms: %s", got)
	}
	done := w.confirm()
	if len(done.Proposals) != 1 || done.Proposals[0].To != w.entries["B"] || done.Proposals[0].NewAwardID == 0 {
		t.Fatalf("confirmed: %+v", done.Proposals)
	}
	if got := w.winners(); got != "1:B 2:C 3:D" {
		t.Fatalf("after A declines: %s", got)
	}
	if p := w.proposal(p1); p.Open() || p.To != w.entries["B"] || p.NewAwardID != w.awardOf("B") {
		t.Errorf("stored proposal: %+v", p)
	}
	var status, reason string
	var by int64
	w.pool.QueryRow(w.ctx, `SELECT status, status_reason, status_changed_by FROM awards WHERE application_id = $1`, w.entries["A"]).Scan(&status, &reason, &by)
	if status != award.StatusDeclined || reason == "" || by != w.chair {
		t.Errorf("A's award: %s %q by %d", status, reason, by)
	}
	w.pool.QueryRow(w.ctx, `SELECT status, status_reason FROM awards WHERE application_id = $1 AND place = 2`, w.entries["B"]).Scan(&status, &reason)
	if status != award.StatusMoved || reason != "Moved up to the First Prize." {
		t.Errorf("B's second prize: %s %q", status, reason)
	}
	// B, now first, must answer for the ceremony.
	if got, err := award.AwaitingAnswer(w.ctx, w.pool, w.owner["B"]); err != nil || len(got) != 1 || got[0].Place != 1 {
		t.Errorf("B awaits its answer: %+v, %v", got, err)
	}

	// The committee head invalidates C (second): D moves up, E takes the third place.
	p2, err := w.invalidate(w.head, "C", "The project did not meet the qualification requirements.")
	if err != nil {
		t.Fatal(err)
	}
	if p := w.proposal(p2); p.Place != 2 || p.Detail == "" {
		t.Fatalf("proposal after C's invalidation: %+v", p)
	}
	w.confirm()
	if got := w.winners(); got != "1:B 2:D 3:E" {
		t.Fatalf("after C's invalidation: %s", got)
	}

	// B cannot attend either: D, E and F move up; A, who declined, stays out.
	if _, err := w.respond("B", award.Answer{CanAttend: false}); err != nil {
		t.Fatal(err)
	}
	if got := w.moves(w.pending()); got != "D:2>1 E:3>2 F:0>3" {
		t.Fatalf("recomputed after B declines: %s", got)
	}
	w.confirm()
	if got := w.winners(); got != "1:D 2:E 3:F" {
		t.Fatalf("after B declines: %s", got)
	}
	// No candidate is left for the third place, then none for the second.
	if _, err := w.invalidate(w.chair, "E", "The applicant brought the Prize into disgrace."); err != nil {
		t.Fatal(err)
	}
	if done := w.confirm(); done.Proposals[0].To != w.entries["F"] {
		t.Fatalf("E's place went to %d, want F", done.Proposals[0].To)
	}
	if got := w.winners(); got != "1:D 2:F" {
		t.Fatalf("after E's invalidation: %s", got)
	}
	if _, err := w.invalidate(w.chair, "F", "Qualification not met."); err != nil {
		t.Fatal(err)
	}
	if ch := w.pending(); len(ch.Moves) != 0 {
		t.Fatalf("nobody is left, yet: %s", w.moves(ch))
	}
	if done := w.confirm(); done.Proposals[0].To != 0 || done.Proposals[0].NewAwardID != 0 {
		t.Fatalf("confirm without successor: %+v", done.Proposals[0])
	}
	if got := w.winners(); got != "1:D" {
		t.Fatalf("after F's invalidation: %s", got)
	}
	ps, err := award.Proposals(w.ctx, w.pool, w.ed.ID)
	if err != nil || len(ps) != 5 {
		t.Fatalf("proposals: %d, %v", len(ps), err)
	}
}

// TestSuccessionKeepsStandingAwards: an award whose place does not change keeps its row and
// its attendance answer; a result that changed since the chair saw it is not applied; the
// open proposals of a category are confirmed together.
func TestSuccessionKeepsStandingAwards(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.awardOf("A")
	if _, err := w.respond("A", award.Answer{CanAttend: true, RepresentativeName: "Kim Min-jun", RepresentativeTitle: "Mayor"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.invalidate(w.chair, "B", "Qualification not met."); err != nil {
		t.Fatal(err)
	}
	seen := w.pending()
	if got := w.moves(seen); got != "C:3>2 D:0>3" {
		t.Fatalf("recomputed after B's invalidation: %s", got)
	}
	// Meanwhile the committee head invalidates C: the chair's view is stale.
	if _, err := w.invalidate(w.head, "C", "Qualification not met."); err != nil {
		t.Fatal(err)
	}
	now, changed, err := w.confirmAs(w.chair, seen.Version)
	if err != nil || !changed || w.moves(now) != "D:0>2 E:0>3" {
		t.Fatalf("stale confirmation: changed %v, %v, moves %s", changed, err, w.moves(now))
	}
	if got := w.winners(); got != "1:A 2:B 3:C" {
		t.Fatalf("nothing applied: %s", got)
	}
	for _, actor := range []int64{w.member, w.head} {
		if _, _, err := w.confirmAs(actor, now.Version); !errors.Is(err, award.ErrNotChair) {
			t.Errorf("confirm by %d: %v, want ErrNotChair", actor, err)
		}
	}
	done := w.confirm()
	if len(done.Proposals) != 2 || done.Proposals[0].To != w.entries["D"] || done.Proposals[1].To != w.entries["E"] {
		t.Fatalf("both proposals confirmed: %+v", done.Proposals)
	}
	if got := w.winners(); got != "1:A 2:D 3:E" {
		t.Fatalf("after both invalidations: %s", got)
	}
	if w.awardOf("A") != a {
		t.Error("A's award was replaced though its place did not change")
	}
	if got, err := award.Get(w.ctx, w.pool, a); err != nil || got.Attendance == nil || !got.Attendance.CanAttend {
		t.Errorf("A's attendance answer: %+v, %v", got, err)
	}
	if _, _, err := w.confirmAs(w.chair, done.Version); !errors.Is(err, award.ErrDone) {
		t.Errorf("confirm twice: %v, want ErrDone", err)
	}
}

// TestSuccessionSharedPlace: two Leadership winners share the first place; when one cannot
// attend, the other keeps it and the next candidate joins.
func TestSuccessionSharedPlace(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.cat, _ = w.ed.Category("leadership")
	if len(w.cat.Prizes) != 1 || w.cat.Prizes[0].Count != 2 {
		t.Fatalf("leadership prizes: %+v", w.cat.Prizes)
	}
	var order []int64
	for _, l := range []string{"N", "O", "P"} {
		id := rankingtest.Entry(t, w.pool, w.ed.ID, "leadership", "e"+l, "Entry "+l)
		w.entries[l] = id
		order = append(order, id)
	}
	var owner int64
	if err := w.pool.QueryRow(w.ctx, `SELECT user_id FROM applications WHERE id = $1`, w.entries["N"]).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	w.owner["N"] = owner
	w.exec(`INSERT INTO vote_results (edition_id, category_id, method, council, quorum, ballots, final_order, seed, closed_by, closed_at)
		VALUES ($1, $2, 'schulze', 2, 2, 2, $3, 'seed', $4, now())`, w.ed.ID, w.cat.ID, order, w.chair)
	for _, l := range []string{"N", "O"} {
		w.exec(`INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, confirmed_by, confirmed_at)
			VALUES ($1, $2, $3, 1, 'Leadership Prize', $4, now())`, w.entries[l], w.ed.ID, w.cat.ID, w.chair)
	}
	o := w.awardOf("O")
	if _, err := w.respond("N", award.Answer{CanAttend: false}); err != nil {
		t.Fatal(err)
	}
	if got := w.moves(w.pending()); got != "P:0>1" {
		t.Fatalf("recomputed after N declines: %s", got)
	}
	if done := w.confirm(); done.Proposals[0].To != w.entries["P"] {
		t.Fatalf("N's place went to %d, want P", done.Proposals[0].To)
	}
	if w.awardOf("O") != o {
		t.Error("O's award was replaced though its place did not change")
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
		_, err := award.Respond(w.ctx, tx, results.By{UserID: w.owner["B"]}, w.awardOf("A"), in, w.ed.AttendanceDeadline(), now)
		return err
	})
	if !errors.Is(err, db.ErrNotFound) {
		t.Errorf("another account answers: %v, want ErrNotFound", err)
	}
	if _, err := w.respond("B", in); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("a second place answers: %v, want ErrNotFound", err)
	}
	err = tx(func(tx pgx.Tx) error {
		_, err := award.Respond(w.ctx, tx, results.By{UserID: w.owner["A"]}, w.awardOf("A"), in, w.ed.AttendanceDeadline(), w.ed.AttendanceDeadline())
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
	if _, err := w.invalidate(w.head, "A", "Qualification not met."); err != nil {
		t.Fatal(err)
	}
	if _, err := w.invalidate(w.chair, "A", "Again."); !errors.Is(err, award.ErrPending) {
		t.Errorf("second invalidation: %v, want ErrPending", err)
	}
	if _, err := w.respond("A", in); !errors.Is(err, award.ErrPending) {
		t.Errorf("answer while a change waits: %v, want ErrPending", err)
	}
	// After a "cannot attend" the answer is final: B, moved up to first, declines.
	if w.confirm(); w.winners() != "1:B 2:C 3:D" {
		t.Fatalf("after A's invalidation: %s", w.winners())
	}
	if _, err := w.respond("B", award.Answer{CanAttend: false}); err != nil {
		t.Fatal(err)
	}
	b := w.awardOf("B")
	err = tx(func(tx pgx.Tx) error {
		_, err := award.Respond(w.ctx, tx, results.By{UserID: w.owner["B"]}, b, in, w.ed.AttendanceDeadline(), now)
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
