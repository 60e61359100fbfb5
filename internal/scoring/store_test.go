package scoring_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/scoring"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var now = time.Date(2023, 7, 3, 3, 0, 0, 0, time.UTC)

// world is seoul-2023 with three eligible Tech-InnovaCity entries of a closed round 1, two
// evaluators and a committee head; ev1 is assigned entries 0 and 1, ev2 entry 2.
type world struct {
	pool         *pgxpool.Pool
	ed           *edition.Edition
	tech         *edition.Category
	apps         []int64
	ev1, ev2, hd int64
	secretariat  int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	pool, ed := editiontest.Seoul2023(t)
	tech, _ := ed.Category("tech-innovacity")
	w := &world{pool: pool, ed: ed, tech: tech}
	user := func(login, role string) int64 {
		var id int64
		if err := pool.QueryRow(ctx, `INSERT INTO users (login_id, email, name, password_hash) VALUES ($1::text, $1::text || '@example.org', 'User ' || $1::text, 'x') RETURNING id`, login).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if role != "" {
			dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, $2, $3)`, id, role, ed.ID)
		}
		return id
	}
	w.secretariat = user("sec", "secretariat")
	w.ev1, w.ev2, w.hd = user("ev1", "evaluator"), user("ev2", "evaluator"), user("head", "committee_head")
	for i := range 3 {
		owner := user("app"+string(rune('a'+i)), "")
		var id int64
		if _, err := pool.Exec(ctx, `
			UPDATE users SET entity_type = 'city', country = 'KR', city = 'Seoul', organisation = 'Org ' || id, edition_id = $2, category_id = $3 WHERE id = $1`,
			owner, ed.ID, tech.ID); err != nil {
			t.Fatal(err)
		}
		if err := pool.QueryRow(ctx, `
			INSERT INTO applications (user_id, edition_id, category_id, status, answers, submitted_version, submitted_at)
			VALUES ($1, $2, $3, 'submitted', jsonb_build_object('project_title', jsonb_build_object('text', 'Project ' || $5::text)), 1, $4) RETURNING id`,
			owner, ed.ID, tech.ID, now, string(rune('A'+i))).Scan(&id); err != nil {
			t.Fatal(err)
		}
		dbtest.Exec(t, pool, `INSERT INTO screening_decisions (application_id, decision, decided_by, decided_at) VALUES ($1, 'eligible', $2, $3)`, id, w.secretariat, now)
		w.apps = append(w.apps, id)
	}
	dbtest.Exec(t, pool, `INSERT INTO screening_rounds (edition_id, closed_at) VALUES ($1, $2)`, ed.ID, now)
	w.assign(t, w.ev1, w.apps[0])
	w.assign(t, w.ev1, w.apps[1])
	w.assign(t, w.ev2, w.apps[2])
	return w
}

// closeRound closes round 2 of the edition.
func (w *world) closeRound(t *testing.T) {
	t.Helper()
	dbtest.Exec(t, w.pool, `INSERT INTO scoring_rounds (edition_id, closed_at) VALUES ($1, $2)`, w.ed.ID, now)
}

func (w *world) assign(t *testing.T, ev, app int64) {
	t.Helper()
	if _, err := w.pool.Exec(context.Background(), `INSERT INTO assignments (application_id, evaluator_id, edition_id, assigned_at) VALUES ($1, $2, $3, $4)`,
		app, ev, w.ed.ID, now); err != nil {
		t.Fatal(err)
	}
}

// full scores every indicator of the category with score.
func (w *world) full(score int) scoring.Input {
	in := scoring.Input{Scores: map[int64]int{}, Comments: map[string]string{}}
	for _, c := range w.tech.Criteria {
		for _, ind := range c.Indicators {
			in.Scores[ind.ID] = score
		}
		in.Comments[c.Key] = "Comment on " + c.Name
	}
	in.Overall = "Solid."
	return in
}

func (w *world) tx(t *testing.T, fn func(tx pgx.Tx) error) error {
	t.Helper()
	return db.InTx(context.Background(), w.pool, fn)
}

func TestAssignmentFilter(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	list, err := scoring.Assigned(ctx, w.pool, w.ev1)
	if err != nil || len(list) != 2 || list[0].Status != scoring.NotOpened || list[0].Title == "" || list[0].Organisation == "" {
		t.Fatalf("ev1's list: %+v %v", list, err)
	}
	if _, err := scoring.AssignedEntry(ctx, w.pool, w.ev1, w.apps[2]); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another's entry: %v", err)
	}
	if _, err := scoring.Declare(ctx, w.pool, w.ev1, w.apps[2], now); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("declare on another's entry: %v", err)
	}
	// A conflict the evaluator declares later hides the entry too.
	if _, err := w.pool.Exec(ctx, `INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, created_at)
		SELECT $1, $2, 'organisation', u.organisation, $3 FROM applications a JOIN users u ON u.id = a.user_id WHERE a.id = $4`,
		w.ed.ID, w.ev1, now, w.apps[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := scoring.AssignedEntry(ctx, w.pool, w.ev1, w.apps[1]); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("conflicted entry: %v", err)
	}
	if list, _ := scoring.Assigned(ctx, w.pool, w.ev1); len(list) != 1 {
		t.Fatalf("the conflicted entry is listed: %d", len(list))
	}
	// An ended assignment hides it.
	if err := w.tx(t, func(tx pgx.Tx) error {
		_, err := scoring.Recuse(ctx, tx, w.ev2, w.apps[2], "I advised them.", now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if list, _ := scoring.Assigned(ctx, w.pool, w.ev2); len(list) != 0 {
		t.Fatal("recused entry still listed")
	}
	var kind, reason string
	w.pool.QueryRow(ctx, `SELECT end_kind, end_reason FROM assignments WHERE evaluator_id = $1`, w.ev2).Scan(&kind, &reason)
	if kind != "recused" || reason != "I advised them." {
		t.Fatalf("assignment end: %q %q", kind, reason)
	}
	if err := w.tx(t, func(tx pgx.Tx) error {
		_, err := scoring.Recuse(ctx, tx, w.ev2, w.apps[2], "again", now)
		return err
	}); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("second recusal: %v", err)
	}
}

func TestSaveAutosaveConflictSubmitRevise(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	app := w.apps[0]
	save := func(base int, in scoring.Input) (scoring.Sheet, error) {
		var s scoring.Sheet
		err := w.tx(t, func(tx pgx.Tx) error {
			var err error
			s, err = scoring.Save(ctx, tx, w.ev1, app, w.tech, base, in, now)
			return err
		})
		return s, err
	}
	submit := func(base int, in scoring.Input) (scoring.Sheet, error) {
		var s scoring.Sheet
		err := w.tx(t, func(tx pgx.Tx) error {
			var err error
			s, err = scoring.Submit(ctx, tx, w.ev1, app, w.tech, base, in, now)
			return err
		})
		return s, err
	}
	if _, err := save(1, w.full(3)); !errors.Is(err, scoring.ErrNotDeclared) {
		t.Fatalf("save before the declaration: %v", err)
	}
	sheet, err := scoring.Declare(ctx, w.pool, w.ev1, app, now)
	if err != nil || sheet.Version != 1 || sheet.NoConflictAt == nil || sheet.Status != scoring.Draft {
		t.Fatalf("declare: %+v %v", sheet, err)
	}
	first := w.tech.Criteria[0].Indicators[0].ID
	in := scoring.Input{Scores: map[int64]int{first: 4, 999999: 3}, Comments: map[string]string{w.tech.Criteria[0].Key: " Novel ", "nope": "x"}}
	sheet, err = save(1, in)
	if err != nil || sheet.Version != 2 || len(sheet.Scores) != 1 || sheet.Scores[first] != 4 || sheet.Comments[w.tech.Criteria[0].Key] != "Novel" || len(sheet.Comments) != 1 {
		t.Fatalf("draft: %+v %v", sheet, err)
	}
	// Another tab's save at version 1 stores nothing.
	if _, err := save(1, w.full(1)); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("stale save: %v", err)
	}
	if got, _ := scoring.SheetOf(ctx, w.pool, w.ev1, app); got.Version != 2 || got.Scores[first] != 4 {
		t.Fatalf("stale save changed the sheet: %+v", got)
	}
	// Submission needs every indicator on the scale.
	errs := scoring.Validate(w.tech, sheet.Input, false)
	n := 0
	for _, c := range w.tech.Criteria {
		n += len(c.Indicators)
	}
	if len(errs) != n-1 {
		t.Fatalf("validation: %d errors, want %d", len(errs), n-1)
	}
	if errs := scoring.Validate(w.tech, w.full(3), true); errs.Any() {
		t.Fatalf("full sheet: %v", errs)
	}
	noComments := w.full(3)
	noComments.Comments = nil
	if errs := scoring.Validate(w.tech, noComments, true); len(errs) != len(w.tech.Criteria) {
		t.Fatalf("required comments: %v", errs)
	}
	bad := w.full(3)
	bad.Scores[first] = w.tech.Scale.Max + 1
	if errs := scoring.Validate(w.tech, bad, false); len(errs) != 1 || errs[0].Field != scoring.ScoreField(first) {
		t.Fatalf("off the scale: %v", errs)
	}
	if _, err := submit(2, sheet.Input); err == nil {
		t.Fatal("an incomplete sheet was submitted")
	}
	sheet, err = submit(2, w.full(3))
	if err != nil || sheet.Status != scoring.Submitted || sheet.SubmittedAt == nil || sheet.Version != 3 || len(sheet.Scores) != n {
		t.Fatalf("submit: %+v %v", sheet, err)
	}
	// A submitted sheet changes only by resubmission.
	if _, err := save(3, w.full(2)); !errors.Is(err, scoring.ErrSubmitted) {
		t.Fatalf("draft save of a submitted sheet: %v", err)
	}
	if sheet, err = submit(3, w.full(5)); err != nil || sheet.Scores[first] != 5 || sheet.Version != 4 {
		t.Fatalf("revise: %+v %v", sheet, err)
	}
	if list, _ := scoring.Assigned(ctx, w.pool, w.ev1); list[0].Status != scoring.Submitted {
		t.Fatalf("list status: %+v", list[0])
	}
	if next, err := scoring.NextUnfinished(ctx, w.pool, w.ev1, app); err != nil || next != w.apps[1] {
		t.Fatalf("next unfinished: %d %v", next, err)
	}
	if next, _ := scoring.NextUnfinished(ctx, w.pool, w.ev1, w.apps[1]); next != 0 {
		t.Fatalf("next after the last: %d", next)
	}
	// Nobody else reads the sheet; the head only after the round closes.
	if _, err := scoring.SheetOf(ctx, w.pool, w.ev2, app); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another evaluator reads the sheet: %v", err)
	}
	if got, _ := scoring.EntrySheets(ctx, w.pool, w.hd, app); len(got) != 0 {
		t.Fatal("the head reads sheets of an open round")
	}
	// Closed round: read-only.
	w.closeRound(t)
	if _, err := submit(4, w.full(1)); !errors.Is(err, scoring.ErrRoundClosed) {
		t.Fatalf("submit after close: %v", err)
	}
	if _, err := scoring.Declare(ctx, w.pool, w.ev1, w.apps[1], now); !errors.Is(err, scoring.ErrRoundClosed) {
		t.Fatalf("declare after close: %v", err)
	}
	if err := w.tx(t, func(tx pgx.Tx) error {
		_, err := scoring.Recuse(ctx, tx, w.ev1, app, "late", now)
		return err
	}); !errors.Is(err, scoring.ErrRoundClosed) {
		t.Fatalf("recuse after close: %v", err)
	}
	got, err := scoring.EntrySheets(ctx, w.pool, w.hd, app)
	if err != nil || len(got) != 1 || got[0].Scores[first] != 5 || got[0].EvaluatorName != "User ev1" {
		t.Fatalf("head's sheets: %+v %v", got, err)
	}
	if got, _ := scoring.EntrySheets(ctx, w.pool, w.ev2, app); len(got) != 0 {
		t.Fatal("an evaluator reads every sheet")
	}
}

func TestProgressAndDueReminders(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	if _, err := scoring.Declare(ctx, w.pool, w.ev1, w.apps[0], now); err != nil {
		t.Fatal(err)
	}
	if err := w.tx(t, func(tx pgx.Tx) error {
		_, err := scoring.Submit(ctx, tx, w.ev2, w.apps[2], w.tech, 1, w.full(4), now)
		return err
	}); !errors.Is(err, scoring.ErrNotDeclared) {
		t.Fatalf("submit undeclared: %v", err)
	}
	if _, err := scoring.Declare(ctx, w.pool, w.ev2, w.apps[2], now); err != nil {
		t.Fatal(err)
	}
	if err := w.tx(t, func(tx pgx.Tx) error {
		_, err := scoring.Submit(ctx, tx, w.ev2, w.apps[2], w.tech, 1, w.full(4), now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	evs, err := scoring.Evaluators(ctx, w.pool, w.secretariat, w.ed.ID, false, 1)
	if err != nil || evs.Total != 3 || len(evs.Rows) != 3 {
		t.Fatalf("evaluators: %+v %v", evs, err)
	}
	byName := map[string]scoring.EvaluatorProgress{}
	for _, p := range evs.Rows {
		byName[p.Name] = p
	}
	if p := byName["User ev1"]; p.Assigned != 2 || p.Drafts != 1 || p.Submitted != 0 {
		t.Fatalf("ev1: %+v", p)
	}
	if p := byName["User ev2"]; p.Assigned != 1 || p.Submitted != 1 || p.Unfinished() != 0 {
		t.Fatalf("ev2: %+v", p)
	}
	if p := byName["User head"]; p.Assigned != 0 {
		t.Fatalf("head: %+v", p)
	}
	if other, _ := scoring.Evaluators(ctx, w.pool, w.ev1, w.ed.ID, false, 1); other.Total != 0 {
		t.Fatal("an evaluator reads the progress")
	}
	ens, err := scoring.Entries(ctx, w.pool, w.hd, w.ed.ID, 1)
	if err != nil || ens.Total != 3 || ens.Rows[2].Assigned != 1 || ens.Rows[2].Submitted != 1 || ens.Rows[0].Submitted != 0 {
		t.Fatalf("entries: %+v %v", ens, err)
	}
	if _, err := scoring.Member(ctx, w.pool, w.secretariat, w.ed.ID, w.ev1); err != nil {
		t.Fatal(err)
	}
	if _, err := scoring.Member(ctx, w.pool, w.secretariat, w.ed.ID, w.secretariat); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("a non-member: %v", err)
	}

	end := w.ed.Schedule.Scoring.End
	if due, _ := scoring.DueReminders(ctx, w.pool, end.Add(-80*time.Hour)); len(due) != 0 {
		t.Fatalf("due too early: %+v", due)
	}
	due, err := scoring.DueReminders(ctx, w.pool, end.Add(-70*time.Hour))
	if err != nil || len(due) != 1 || due[0].EvaluatorID != w.ev1 || due[0].Stage != scoring.Stage3Days || due[0].Unfinished != 2 {
		t.Fatalf("3 days: %+v %v", due, err)
	}
	if due, _ := scoring.DueReminders(ctx, w.pool, end.Add(-10*time.Hour)); len(due) != 1 || due[0].Stage != scoring.Stage1Day {
		t.Fatalf("1 day: %+v", due)
	}
	if due, _ := scoring.DueReminders(ctx, w.pool, end); len(due) != 0 {
		t.Fatalf("after the end: %+v", due)
	}
}
