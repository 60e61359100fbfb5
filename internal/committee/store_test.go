package committee_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/committee"
	"prizeportal/internal/conflict"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/i18n"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var now = time.Date(2023, 7, 2, 3, 0, 0, 0, time.UTC)

// world is seoul-2023 with a secretariat member, a committee head and a closed round 1.
type world struct {
	t     *testing.T
	ctx   context.Context
	pool  *pgxpool.Pool
	ed    *edition.Edition
	staff int64
	head  int64
	n     int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), pool: dbtest.New(t)}
	w.ed = editiontest.Import(t, w.pool, "seoul-2023")[0]
	w.staff = w.staffUser("sec", "secretariat")
	w.head = w.staffUser("head", "committee_head")
	w.exec(`INSERT INTO screening_rounds (edition_id, closed_at, closed_by) VALUES ($1, $2, $3)`, w.ed.ID, now, w.staff)
	return w
}

func (w *world) exec(sql string, args ...any) {
	w.t.Helper()
	dbtest.Exec(w.t, w.pool, sql, args...)
}

func (w *world) cat(key string) int64 {
	c, ok := w.ed.Category(key)
	if !ok {
		w.t.Fatalf("no category %s", key)
	}
	return c.ID
}

func (w *world) staffUser(login, role string) int64 {
	w.t.Helper()
	var id int64
	if err := w.pool.QueryRow(w.ctx, `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash) VALUES ($1, $1 || '@staff.example', $1, 'x') RETURNING id)
		INSERT INTO role_grants (user_id, role, edition_id) SELECT id, $2, $3 FROM u RETURNING user_id`,
		login, role, w.ed.ID).Scan(&id); err != nil {
		w.t.Fatal(err)
	}
	return id
}

// evaluator adds an evaluator from country with expertise in the categories.
func (w *world) evaluator(login, country string, cats ...string) int64 {
	w.t.Helper()
	id := w.staffUser(login, "evaluator")
	w.exec(`UPDATE users SET country = $2 WHERE id = $1`, id, country)
	for _, c := range cats {
		w.exec(`INSERT INTO evaluator_categories (user_id, category_id) VALUES ($1, $2)`, id, w.cat(c))
	}
	return id
}

// techEvaluators are evaluators of Tech-InnovaCity from KR, one a login, in order.
func (w *world) techEvaluators(logins ...string) []int64 {
	w.t.Helper()
	var ids []int64
	for _, l := range logins {
		ids = append(ids, w.evaluator(l, "KR", "tech-innovacity"))
	}
	return ids
}

// entry is a round 2 entry of category cat: a submitted application found eligible, entered by
// an applicant of organisation org from city, country.
func (w *world) entry(cat, org, city, country string) int64 {
	w.t.Helper()
	w.n++
	login := "app" + strings.Repeat("x", w.n)
	var id int64
	if err := w.pool.QueryRow(w.ctx, `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash, organisation, city, country, edition_id, category_id)
		           VALUES ($1, $1 || '@applicant.example', 'Applicant ' || $1, 'x', $2, $3, $4, $5, $6) RETURNING id),
		a AS (INSERT INTO applications (user_id, edition_id, category_id, status, submitted_at, submitted_version)
		      SELECT id, $5, $6, 'submitted', $7, 1 FROM u RETURNING id)
		INSERT INTO screening_decisions (application_id, decision, decided_by, decided_at)
		SELECT id, 'eligible', $8, $7 FROM a RETURNING application_id`,
		login, org, city, country, w.ed.ID, w.cat(cat), now, w.staff).Scan(&id); err != nil {
		w.t.Fatal(err)
	}
	return id
}

func (w *world) declare(evaluator int64, kind conflict.Kind, name, country string) {
	w.t.Helper()
	if _, err := conflict.Declare(w.ctx, w.pool, evaluator, w.ed.ID, conflict.Input{Kind: kind, Name: name, Country: country}, now); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) tx(f func(tx pgx.Tx) error) error {
	return db.InTx(w.ctx, w.pool, f)
}

func (w *world) auto() committee.Result {
	w.t.Helper()
	var res committee.Result
	if err := w.tx(func(tx pgx.Tx) error {
		var err error
		res, err = committee.AutoAssign(w.ctx, tx, w.ed.ID, w.head, now)
		return err
	}); err != nil {
		w.t.Fatal(err)
	}
	return res
}

// active returns the active evaluators of entry app, sorted.
func (w *world) active(app int64) []int64 {
	w.t.Helper()
	var ids []int64
	if err := w.pool.QueryRow(w.ctx, `SELECT coalesce(array_agg(evaluator_id ORDER BY evaluator_id), '{}') FROM assignments
		WHERE application_id = $1 AND ended_at IS NULL`, app).Scan(&ids); err != nil {
		w.t.Fatal(err)
	}
	return ids
}

func (w *world) loads() map[int64]int {
	w.t.Helper()
	list, err := committee.Load(w.ctx, w.pool, w.staff, w.ed.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	out := map[int64]int{}
	for _, l := range list {
		out[l.EvaluatorID] = l.Active
	}
	return out
}

func TestAutoAssignGivesNWithinExpertiseBalanced(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var tech []int64
	for _, l := range []string{"e1", "e2", "e3", "e4", "e5"} {
		tech = append(tech, w.evaluator(l, "KR", "tech-innovacity"))
	}
	human := w.evaluator("h1", "KR", "human-centricity")
	var entries []int64
	for range 7 {
		entries = append(entries, w.entry("tech-innovacity", "Org", "Busan", "KR"))
	}
	res := w.auto()
	if res.PerEntry != 3 || res.Entries != 7 || len(res.Created) != 21 || len(res.Unfilled) != 0 {
		t.Fatalf("result: per entry %d, entries %d, created %d, unfilled %v", res.PerEntry, res.Entries, len(res.Created), res.Unfilled)
	}
	for _, app := range entries {
		got := w.active(app)
		if len(got) != 3 {
			t.Errorf("entry %d has %v", app, got)
		}
		if slices.Contains(got, human) {
			t.Errorf("entry %d assigned outside expertise", app)
		}
	}
	// 21 assignments over 5 evaluators: 4 or 5 each.
	l := w.loads()
	lo, hi := 100, 0
	for _, id := range tech {
		lo, hi = min(lo, l[id]), max(hi, l[id])
	}
	if hi-lo > 1 {
		t.Errorf("load not balanced within 1: %v", l)
	}
	if l[human] != 0 {
		t.Errorf("human-centricity evaluator loaded: %d", l[human])
	}
	// Idempotent: a second run changes nothing.
	again := w.auto()
	if len(again.Created) != 0 || len(again.Unfilled) != 0 {
		t.Fatalf("second run: %+v", again)
	}
	// Audited.
	var n int
	w.pool.QueryRow(w.ctx, `SELECT count(*) FROM audit_log WHERE action = 'committee.assignment.auto' AND actor_id = $1`, w.head).Scan(&n)
	if n != 2 {
		t.Errorf("audit entries: %d", n)
	}
	// Coverage agrees.
	cov, err := committee.Coverage(w.ctx, w.pool, w.head, w.ed.ID)
	if err != nil || len(cov) != 7 || !cov[0].Full() || cov[0].Assigned() != 3 {
		t.Fatalf("coverage: %+v, %v", cov, err)
	}
	// Someone outside the committee's management sees nothing.
	if cov, _ := committee.Coverage(w.ctx, w.pool, tech[0], w.ed.ID); len(cov) != 0 {
		t.Errorf("an evaluator sees the coverage")
	}
}

func TestAutoAssignNeverConflicted(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	org := w.evaluator("org", "KR", "tech-innovacity")
	city := w.evaluator("city", "KR", "tech-innovacity")
	person := w.evaluator("person", "KR", "tech-innovacity")
	free := w.evaluator("free", "KR", "tech-innovacity")
	w.declare(org, conflict.KindOrganisation, "Seoul Digital Foundation", "")
	w.declare(city, conflict.KindCity, "Daegu", "KR")
	w.declare(person, conflict.KindPerson, "Applicant appxxx", "")

	a := w.entry("tech-innovacity", "The Seoul Digital Foundation", "Incheon", "KR") // org
	b := w.entry("tech-innovacity", "Other", "Daegu", "KR")                          // city
	c := w.entry("tech-innovacity", "Other", "Incheon", "KR")                        // person (applicant appxxx)
	res := w.auto()
	if got := w.active(a); slices.Contains(got, org) || len(got) != 3 {
		t.Errorf("organisation conflict: %v", got)
	}
	if got := w.active(b); slices.Contains(got, city) || len(got) != 3 {
		t.Errorf("city conflict: %v", got)
	}
	if got := w.active(c); slices.Contains(got, person) || len(got) != 3 {
		t.Errorf("person conflict: %v", got)
	}
	if len(res.Unfilled) != 0 {
		t.Errorf("unfilled: %v", res.Unfilled)
	}
	_ = free

	// The manual assignment refuses a conflicted evaluator with the reason.
	err := w.tx(func(tx pgx.Tx) error {
		_, err := committee.Assign(w.ctx, tx, w.head, a, org, "Needed an expert", now)
		return err
	})
	var errs field.Errors
	if !errors.As(err, &errs) || !strings.Contains(errs.Get("evaluator"), "conflict of interest") ||
		!strings.Contains(errs.Get("evaluator"), "Seoul Digital Foundation") {
		t.Fatalf("conflicted manual assignment: %v", err)
	}
	if ok, reasons, _ := committee.Conflicted(w.ctx, w.pool, city, b); !ok || len(reasons) == 0 {
		t.Errorf("Conflicted(city) = %v %v", ok, reasons)
	}
}

func TestCountryConflictsOnlyWhenConfigured(t *testing.T) {
	t.Parallel()
	for _, on := range []bool{false, true} {
		w := newWorld(t)
		if on {
			w.exec(`UPDATE editions SET scoring = scoring || '{"country_conflicts": true}' WHERE id = $1`, w.ed.ID)
		}
		korean := w.evaluator("korean", "KR", "tech-innovacity") // from Korea by their account
		fr := w.evaluator("fr", "FR", "tech-innovacity")
		w.declare(fr, conflict.KindCity, "Lyon", "FR") // a city in France: the whole country when on
		w.evaluator("x1", "DE", "tech-innovacity")
		w.evaluator("x2", "DE", "tech-innovacity")
		kr := w.entry("tech-innovacity", "Org", "Busan", "KR")
		paris := w.entry("tech-innovacity", "Org", "Paris", "FR")
		w.auto()
		if got := slices.Contains(w.active(kr), korean); got == on {
			t.Errorf("country conflicts %v: Korean evaluator assigned to a Korean entry = %v", on, got)
		}
		if got := slices.Contains(w.active(paris), fr); got == on {
			t.Errorf("country conflicts %v: evaluator who declared Lyon assigned to a Paris entry = %v", on, got)
		}
		ok, reasons, err := committee.Conflicted(w.ctx, w.pool, korean, kr)
		if err != nil || ok != on || (on && !strings.Contains(i18n.English(reasons[0]), "Korea")) {
			t.Errorf("Conflicted with country conflicts %v = %v %v %v", on, ok, reasons, err)
		}
	}
}

func TestRecusalRefillsAndNeverReassigns(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.techEvaluators("e1", "e2", "e3", "e4")
	app := w.entry("tech-innovacity", "Org", "Busan", "KR")
	w.auto()
	if got := w.active(app); !slices.Equal(got, e[:3]) {
		t.Fatalf("first assignment: %v, want the first three by id %v", got, e[:3])
	}
	// A reason is required.
	err := w.tx(func(tx pgx.Tx) error { _, err := committee.Recuse(w.ctx, tx, e[0], app, "  ", now); return err })
	var errs field.Errors
	if !errors.As(err, &errs) || errs.Get("reason") == "" {
		t.Fatalf("recusal without reason: %v", err)
	}
	var refilled []int64
	if err := w.tx(func(tx pgx.Tx) error {
		var err error
		refilled, err = committee.Recuse(w.ctx, tx, e[0], app, "I advised this project in 2022.", now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(refilled, []int64{e[3]}) || !slices.Equal(w.active(app), e[1:]) {
		t.Fatalf("refill: %v, active %v", refilled, w.active(app))
	}
	if ok, _ := committee.Assigned(w.ctx, w.pool, e[0], app); ok {
		t.Error("recused evaluator still assigned")
	}
	// Not assigned twice, recusal is not repeated.
	if err := w.tx(func(tx pgx.Tx) error { _, err := committee.Recuse(w.ctx, tx, e[0], app, "again", now); return err }); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("second recusal: %v", err)
	}
	// Nobody left: the next recusal leaves the entry short, reported by the automatic run.
	if err := w.tx(func(tx pgx.Tx) error {
		got, err := committee.Recuse(w.ctx, tx, e[1], app, "Conflict found", now)
		if len(got) != 0 {
			t.Errorf("refilled from nobody: %v", got)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	res := w.auto()
	if len(res.Unfilled) != 1 || res.Unfilled[0] != (committee.Unfilled{ApplicationID: app, Have: 2, Need: 3}) {
		t.Fatalf("unfilled: %+v", res.Unfilled)
	}
	if slices.Contains(w.active(app), e[0]) || slices.Contains(w.active(app), e[1]) {
		t.Error("recused evaluator re-assigned")
	}
	// Manual re-assignment of a recused evaluator is refused too.
	err = w.tx(func(tx pgx.Tx) error {
		_, err := committee.Assign(w.ctx, tx, w.staff, app, e[0], "Back", now)
		return err
	})
	if !errors.As(err, &errs) || !strings.Contains(errs.Get("evaluator"), "recused") {
		t.Errorf("manual re-assignment of recused: %v", err)
	}
	var audits int
	w.pool.QueryRow(w.ctx, `SELECT count(*) FROM audit_log WHERE action IN ('committee.assignment.recuse', 'committee.assignment.refill')`).Scan(&audits)
	if audits != 4 {
		t.Errorf("recusal audit entries: %d", audits)
	}
	// MyEntries: e[3] has the entry, without a sheet yet.
	mine, err := committee.MyEntries(w.ctx, w.pool, e[3], w.ed.ID)
	if err != nil || len(mine) != 1 || mine[0].ApplicationID != app || mine[0].Sheet != "" {
		t.Fatalf("MyEntries: %+v %v", mine, err)
	}
}

func TestManualAssignAndRemove(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e1 := w.evaluator("e1", "KR", "tech-innovacity")
	e2 := w.evaluator("e2", "KR", "human-centricity")
	app := w.entry("tech-innovacity", "Org", "Busan", "KR")
	res := w.auto()
	if len(res.Unfilled) != 1 || res.Unfilled[0].Have != 1 {
		t.Fatalf("unfillable entry not reported: %+v", res)
	}
	// Validation.
	err := w.tx(func(tx pgx.Tx) error { _, err := committee.Assign(w.ctx, tx, w.head, app, e2, "", now); return err })
	var errs field.Errors
	if !errors.As(err, &errs) || errs.Get("reason") == "" {
		t.Fatalf("no reason: %v", err)
	}
	err = w.tx(func(tx pgx.Tx) error {
		_, err := committee.Assign(w.ctx, tx, w.head, app, e1, "again", now)
		return err
	})
	if !errors.As(err, &errs) || !strings.Contains(errs.Get("evaluator"), "already assigned") {
		t.Fatalf("already assigned: %v", err)
	}
	err = w.tx(func(tx pgx.Tx) error {
		_, err := committee.Assign(w.ctx, tx, e1, app, e2, "not staff", now)
		return err
	})
	if !errors.As(err, &errs) || errs.Get("entry") == "" {
		t.Fatalf("an evaluator assigning: %v", err)
	}
	// The head assigns an expert from another category by hand, with a reason.
	var a committee.Assignment
	if err := w.tx(func(tx pgx.Tx) error {
		var err error
		a, err = committee.Assign(w.ctx, tx, w.head, app, e2, "Knows the field well", now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if a.AssignedBy != w.head || a.Reason != "Knows the field well" || !slices.Equal(w.active(app), []int64{e1, e2}) {
		t.Fatalf("manual assignment: %+v, active %v", a, w.active(app))
	}
	// Removal needs a reason and staff of the edition.
	err = w.tx(func(tx pgx.Tx) error { _, err := committee.Remove(w.ctx, tx, w.staff, a.ID, "", now); return err })
	if !errors.As(err, &errs) || errs.Get("reason") == "" {
		t.Fatalf("remove without reason: %v", err)
	}
	err = w.tx(func(tx pgx.Tx) error { _, err := committee.Remove(w.ctx, tx, e1, a.ID, "x", now); return err })
	if !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("remove by an evaluator: %v", err)
	}
	if err := w.tx(func(tx pgx.Tx) error {
		_, err := committee.Remove(w.ctx, tx, w.staff, a.ID, "Asked to step back", now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	got, _ := committee.Get(w.ctx, w.pool, a.ID)
	if got.EndKind != "removed" || got.EndReason != "Asked to step back" {
		t.Fatalf("removed: %+v", got)
	}
	// The removed evaluator is not re-assigned automatically (here: not an expert anyway), and the
	// removal and the addition are audited.
	var n int
	w.pool.QueryRow(w.ctx, `SELECT count(*) FROM audit_log WHERE action IN ('committee.assignment.add', 'committee.assignment.remove')
		AND object_id = $1::bigint::text`, a.ID).Scan(&n)
	if n != 2 {
		t.Errorf("audit entries: %d", n)
	}
}

func TestRemovedNotReassignedAutomatically(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.techEvaluators("e1", "e2", "e3", "e4")
	app := w.entry("tech-innovacity", "Org", "Busan", "KR")
	res := w.auto()
	if err := w.tx(func(tx pgx.Tx) error {
		_, err := committee.Remove(w.ctx, tx, w.staff, res.Created[0].ID, "Workload", now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	w.auto()
	if got := w.active(app); !slices.Equal(got, e[1:]) {
		t.Fatalf("after removal and refill: %v, want %v", got, e[1:])
	}
}

func TestMembersAndExpertise(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e1 := w.evaluator("e1", "KR", "tech-innovacity")
	w.declare(e1, conflict.KindOrganisation, "Seoul Digital Foundation", "")
	members, err := committee.Members(w.ctx, w.pool, w.staff, w.ed.ID)
	if err != nil || len(members) != 2 || !members[0].Head || members[1].ID != e1 || len(members[1].Declarations) != 1 ||
		!members[1].Has(w.cat("tech-innovacity")) {
		t.Fatalf("members: %+v %v", members, err)
	}
	var before, after []int64
	if err := w.tx(func(tx pgx.Tx) error {
		var err error
		before, after, err = committee.SetExpertise(w.ctx, tx, w.head, w.ed.ID, e1, []int64{w.cat("human-centricity"), w.cat("leadership")})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(before, []int64{w.cat("tech-innovacity")}) || len(after) != 2 {
		t.Fatalf("expertise: %v -> %v", before, after)
	}
	members, _ = committee.Members(w.ctx, w.pool, w.staff, w.ed.ID)
	if members[1].Has(w.cat("tech-innovacity")) || !members[1].Has(w.cat("leadership")) {
		t.Fatalf("expertise saved: %v", members[1].CategoryIDs)
	}
	// Not for evaluators; not for non-members; not another edition's categories.
	err = w.tx(func(tx pgx.Tx) error {
		_, _, err := committee.SetExpertise(w.ctx, tx, e1, w.ed.ID, e1, nil)
		return err
	})
	if !errors.Is(err, db.ErrNotFound) {
		t.Errorf("evaluator sets expertise: %v", err)
	}
	err = w.tx(func(tx pgx.Tx) error {
		_, _, err := committee.SetExpertise(w.ctx, tx, w.staff, w.ed.ID, w.staff, nil)
		return err
	})
	if !errors.Is(err, db.ErrNotFound) {
		t.Errorf("non-member: %v", err)
	}
	err = w.tx(func(tx pgx.Tx) error {
		_, _, err := committee.SetExpertise(w.ctx, tx, w.staff, w.ed.ID, e1, []int64{999999})
		return err
	})
	var errs field.Errors
	if !errors.As(err, &errs) {
		t.Errorf("unknown category: %v", err)
	}
	if members, _ := committee.Members(w.ctx, w.pool, e1, w.ed.ID); len(members) != 0 {
		t.Errorf("an evaluator lists the committee")
	}
}
