package scoring_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/scoring"
)

// svc is the scoring service of world w at now, with the actors of its people.
func (w *world) svc() *scoring.Service { return w.svcAt(now) }

// svcAt is the scoring service of world w at instant at.
func (w *world) svcAt(at time.Time) *scoring.Service {
	return &scoring.Service{Deps: usecase.New(w.pool, notify.NewOutbox(w.pool), emails.Site{BaseURL: "https://prize.example"},
		func() time.Time { return at })}
}

func (w *world) actor(id int64, role authz.Role) authz.Actor {
	return authz.Actor{UserID: id, Grants: []authz.Grant{{Role: role, EditionID: w.ed.ID}}}
}

func (w *world) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	return dbtest.Count(t, w.pool, sql, args...)
}

// place is evaluator a's place on entry app.
func (w *world) place(t *testing.T, s *scoring.Service, a authz.Actor, app int64) scoring.Place {
	t.Helper()
	p, err := s.Place(context.Background(), a, app)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// declared is evaluator a's place on entry app, with the no-conflict declaration made.
func (w *world) declared(t *testing.T, s *scoring.Service, a authz.Actor, app int64) scoring.Place {
	t.Helper()
	p := w.place(t, s, a, app)
	if err := s.Declare(context.Background(), a, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func (w *world) form(in scoring.Input, base int) scoring.Form {
	return scoring.Form{Input: in, Base: base}
}

// TestServiceDesk: the page of an entry is loaded once for its evaluator only: the declaration
// first (without the papers), then the sheet with the entry as submitted and the clarifications.
func TestServiceDesk(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc()
	ev1 := w.actor(w.ev1, authz.RoleEvaluator)
	dbtest.Exec(t, w.pool, `INSERT INTO application_versions (application_id, number, answers, submitted_at)
		SELECT id, 1, answers, $1 FROM applications`, now)
	if _, err := s.Desk(ctx, ev1, w.apps[2]); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another's entry: %v", err)
	}
	d, err := s.Desk(ctx, ev1, w.apps[0])
	if err != nil || !d.MustDeclare() || d.Category.ID != w.tech.ID || d.Papers.Submitted.Number != 0 {
		t.Fatalf("before the declaration: %+v, %v", d, err)
	}
	for range 2 {
		p, err := s.Place(ctx, ev1, w.apps[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Declare(ctx, ev1, p); err != nil {
			t.Fatal(err)
		}
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'scoring.declare'`); n != 1 {
		t.Fatalf("%d declarations audited, want 1", n)
	}
	d, err = s.Desk(ctx, ev1, w.apps[0])
	if err != nil || d.MustDeclare() || d.Sheet.NoConflictAt == nil || d.Papers.Submitted.Number != 1 ||
		d.Papers.Submitted.Answers["project_title"].Text != "Project A" || !d.Papers.SeesClarifications {
		t.Fatalf("after the declaration: %+v, %v", d, err)
	}
	// Once the round is closed the sheet shows, read-only, without a declaration.
	w.closeRound(t)
	d, err = s.Desk(ctx, ev1, w.apps[1])
	if err != nil || d.MustDeclare() || !d.Entry.Closed() || d.Sheet.ID != 0 {
		t.Fatalf("closed round: %+v, %v", d, err)
	}
	if err := s.Declare(ctx, ev1, d.Place); !errors.Is(err, scoring.ErrRoundClosed) {
		t.Fatalf("declare after the close: %v", err)
	}
}

// TestServiceSaveAndSubmit: autosaves are not audited, saves are; a stale save stores nothing
// and returns the sheet as it stands; an incomplete submission saves the draft as typed, an
// incomplete revision leaves the submitted sheet as it was.
func TestServiceSaveAndSubmit(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc()
	ev1 := w.actor(w.ev1, authz.RoleEvaluator)
	p := w.place(t, s, ev1, w.apps[0])
	if _, err := s.Save(ctx, ev1, p, w.form(w.full(3), 0)); !errors.Is(err, scoring.ErrNotDeclared) {
		t.Fatalf("save before declaring: %v", err)
	}
	if err := s.Declare(ctx, ev1, p); err != nil {
		t.Fatal(err)
	}
	audited := func(action string) int {
		return w.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND actor_id = $2`, action, w.ev1)
	}
	first := w.tech.Criteria[0].Indicators[0].ID
	sheet, err := s.Autosave(ctx, ev1, p, w.form(scoring.Input{Scores: map[int64]int{first: 4}}, 1))
	if err != nil || sheet.Version != 2 || sheet.Scores[first] != 4 || audited("scoring.save") != 0 {
		t.Fatalf("autosave: %+v, %v, %d audited", sheet, err, audited("scoring.save"))
	}
	if sheet, err = s.Save(ctx, ev1, p, w.form(scoring.Input{Scores: map[int64]int{first: 5}}, 2)); err != nil || sheet.Version != 3 || audited("scoring.save") != 1 {
		t.Fatalf("save: %+v, %v", sheet, err)
	}
	stale, err := s.Save(ctx, ev1, p, w.form(scoring.Input{Scores: map[int64]int{first: 1}}, 2))
	if !errors.Is(err, db.ErrConflict) || stale.Version != 3 || stale.Scores[first] != 5 {
		t.Fatalf("stale save: %+v, %v", stale, err)
	}
	if f, ok := fault.As(err); !ok || f.Kind != fault.Conflict || !strings.HasPrefix(f.Message, "This sheet was saved in another tab or window after you opened it") {
		t.Fatalf("a stale save says %v", err)
	}
	if _, err := s.Autosave(ctx, ev1, p, w.form(scoring.Input{Scores: map[int64]int{first: 1}}, 2)); !errors.Is(err, db.ErrConflict) ||
		!strings.Contains(err.Error(), "Autosave has stopped") {
		t.Fatalf("a stale autosave says %v", err)
	}

	// An incomplete submission keeps what was typed as the draft, unaudited.
	half := scoring.Input{Scores: map[int64]int{first: 2}, Overall: "Half done."}
	sheet, err = s.Submit(ctx, ev1, p, w.form(half, 3))
	var errs field.Errors
	if !errors.As(err, &errs) || errs.Get(scoring.ScoreField(w.tech.Criteria[0].Indicators[1].ID)) == "" {
		t.Fatalf("incomplete submission: %v", err)
	}
	if sheet.Version != 4 || sheet.Status != scoring.Draft || sheet.Overall != "Half done." || audited("scoring.submit") != 0 {
		t.Fatalf("the draft of an incomplete submission: %+v", sheet)
	}
	// A stale incomplete submission reports both the version and the problems.
	if _, err := s.Submit(ctx, ev1, p, w.form(half, 3)); !errors.Is(err, db.ErrConflict) || !errors.As(err, &errs) {
		t.Fatalf("stale incomplete submission: %v", err)
	}
	// Comments are required when the edition says so.
	p.Edition.Scoring.CriterionCommentsRequired = true
	noComments := w.full(4)
	noComments.Comments = nil
	if _, err := s.Submit(ctx, ev1, p, w.form(noComments, 4)); !errors.As(err, &errs) || errs.Get(scoring.CommentField(w.tech.Criteria[0].Key)) == "" {
		t.Fatalf("submission without the required comments: %v", err)
	}
	p.Edition.Scoring.CriterionCommentsRequired = false
	sheet, err = s.Submit(ctx, ev1, p, w.form(w.full(4), 5))
	if err != nil || sheet.Status != scoring.Submitted || audited("scoring.submit") != 1 {
		t.Fatalf("submit: %+v, %v", sheet, err)
	}

	// A revision that is incomplete changes nothing: the submitted sheet stands.
	if p, err = s.Place(ctx, ev1, w.apps[0]); err != nil || p.Entry.Status != scoring.Submitted {
		t.Fatalf("place after submission: %+v, %v", p, err)
	}
	stands, err := s.Submit(ctx, ev1, p, w.form(half, sheet.Version))
	if !errors.As(err, &errs) || stands.Version != sheet.Version || stands.Status != scoring.Submitted || stands.Scores[first] != 4 {
		t.Fatalf("incomplete revision: %+v, %v", stands, err)
	}
	if _, err := s.Autosave(ctx, ev1, p, w.form(half, sheet.Version)); !errors.Is(err, scoring.ErrSubmitted) {
		t.Fatalf("autosave of a submitted sheet: %v", err)
	}
	revised, err := s.Submit(ctx, ev1, p, w.form(w.full(5), sheet.Version))
	if err != nil || revised.Version != sheet.Version+1 || revised.Scores[first] != 5 {
		t.Fatalf("revision: %+v, %v", revised, err)
	}
	var details string
	if err := w.pool.QueryRow(ctx, `SELECT details::text FROM audit_log WHERE action = 'scoring.submit' ORDER BY id DESC LIMIT 1`).Scan(&details); err != nil ||
		!strings.Contains(details, `"revised": true`) {
		t.Fatalf("the revision's audit entry: %s, %v", details, err)
	}
}

// TestServiceScoresOnlyInsideTheWindow: seoul-2023 scores from 1 to 12 July (DOMAIN.md "Round
// 2"). On 5 June and on 20 August, with the round not closed, no save, autosave or submission
// changes a sheet, and the refusal says when scoring opens or when it ended; the evaluator may
// still declare and recuse before the window.
func TestServiceScoresOnlyInsideTheWindow(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	ev1 := w.actor(w.ev1, authz.RoleEvaluator)
	june, august := time.Date(2023, 6, 5, 3, 0, 0, 0, time.UTC), time.Date(2023, 8, 20, 3, 0, 0, 0, time.UTC)
	early := w.svcAt(june)
	p := w.declared(t, early, ev1, w.apps[0])
	if p.Scorable(june) || !p.Scorable(now) || p.Scorable(august) {
		t.Fatalf("scorable on 5 June %v, 3 July %v, 20 August %v", p.Scorable(june), p.Scorable(now), p.Scorable(august))
	}
	for _, c := range []struct {
		svc  *scoring.Service
		want string
	}{
		{early, "Scoring opens on 1 July 2023, 00:00 KST (Asia/Seoul time)"},
		{w.svcAt(august), "The scoring window ended on 12 July 2023, 23:59 KST (Asia/Seoul time)"},
	} {
		for name, write := range map[string]func(context.Context, authz.Actor, scoring.Place, scoring.Form) (scoring.Sheet, error){
			"save": c.svc.Save, "autosave": c.svc.Autosave, "submit": c.svc.Submit,
		} {
			sheet, err := write(ctx, ev1, p, w.form(w.full(4), 1))
			f, ok := fault.As(err)
			if !errors.Is(err, scoring.ErrOutsideWindow) || !ok || f.Kind != fault.Forbidden || !strings.Contains(f.Message, c.want) {
				t.Errorf("%s outside the window: %v, want 403 with %q", name, err, c.want)
			}
			if sheet.Version != 1 || sheet.Status != scoring.Draft {
				t.Errorf("%s outside the window returned the sheet %+v, want it as it stands", name, sheet)
			}
		}
	}
	if n := w.count(t, `SELECT count(*) FROM sheet_scores`); n != 0 {
		t.Fatalf("%d scores stored outside the window", n)
	}
	if _, err := w.svc().Submit(ctx, ev1, p, w.form(w.full(4), 1)); err != nil {
		t.Fatalf("submit inside the window: %v", err)
	}
	if err := early.Recuse(ctx, ev1, w.place(t, early, ev1, w.apps[1]), "I advised this city in 2022."); err != nil {
		t.Fatalf("recusal before the window: %v", err)
	}
}

// TestServiceRecuse: a recusal needs a reason; it deletes the sheet and ends the assignment,
// and is refused once the round is closed.
func TestServiceRecuse(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc()
	ev1 := w.actor(w.ev1, authz.RoleEvaluator)
	p := w.declared(t, s, ev1, w.apps[0])
	var errs field.Errors
	if err := s.Recuse(ctx, ev1, p, "  "); !errors.As(err, &errs) || errs.Get("reason") != "Say why you recuse yourself." {
		t.Fatalf("recusal without a reason: %v", err)
	}
	if err := s.Recuse(ctx, ev1, p, strings.Repeat("x", scoring.MaxReason+1)); !errors.As(err, &errs) || errs.Get("reason") == "" {
		t.Fatalf("recusal with a long reason: %v", err)
	}
	if err := s.Recuse(ctx, ev1, p, " I advised them. "); err != nil {
		t.Fatal(err)
	}
	if n := w.count(t, `SELECT count(*) FROM assignments WHERE application_id = $1 AND evaluator_id = $2 AND end_kind = 'recused' AND end_reason = 'I advised them.'`, w.apps[0], w.ev1); n != 1 {
		t.Fatal("the assignment did not end")
	}
	if n := w.count(t, `SELECT count(*) FROM score_sheets WHERE application_id = $1 AND evaluator_id = $2`, w.apps[0], w.ev1); n != 0 {
		t.Fatal("the recused sheet is kept")
	}
	if _, err := s.Place(ctx, ev1, w.apps[0]); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("the recused entry: %v", err)
	}
	p = w.place(t, s, ev1, w.apps[1])
	w.closeRound(t)
	if err := s.Recuse(ctx, ev1, p, "Too late."); !errors.Is(err, scoring.ErrRoundClosed) {
		t.Fatalf("recusal after the close: %v", err)
	} else if f, _ := fault.As(err); f.Message != "The scoring round is closed: you can no longer recuse yourself." {
		t.Fatalf("a recusal after the close says %q", f.Message)
	}
	if _, err := s.Save(ctx, ev1, p, w.form(w.full(3), 0)); !errors.Is(err, scoring.ErrRoundClosed) {
		t.Fatalf("a save after the close: %v", err)
	} else if f, _ := fault.As(err); f.Kind != fault.Forbidden {
		t.Fatalf("a save after the close is a %v", f.Kind)
	}
}

// TestServiceRemind: the secretariat reminds the selected evaluators with unfinished sheets, an
// email and an audit entry each; the others are skipped.
func TestServiceRemind(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc()
	sec := w.actor(w.secretariat, authz.RoleSecretariat)
	var errs field.Errors
	if _, _, err := s.Remind(ctx, sec, w.ed, nil); !errors.As(err, &errs) || errs.Get("ids") == "" {
		t.Fatalf("remind nobody: %v", err)
	}
	// ev2 has submitted their one sheet.
	ev2 := w.actor(w.ev2, authz.RoleEvaluator)
	p := w.declared(t, s, ev2, w.apps[2])
	if _, err := s.Submit(ctx, ev2, p, w.form(w.full(3), 1)); err != nil {
		t.Fatal(err)
	}
	sent, skipped, err := s.Remind(ctx, sec, w.ed, []int64{w.ev1, w.ev2, w.secretariat})
	if err != nil || sent != 1 || skipped != 2 {
		t.Fatalf("remind: %d sent, %d skipped, %v", sent, skipped, err)
	}
	var subject, text string
	if err := w.pool.QueryRow(ctx, `SELECT subject, text_body FROM email_outbox WHERE kind = 'scoring-reminder' AND to_address = 'ev1@example.org'`).Scan(&subject, &text); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(subject, "Reminder: 2 score sheets to submit by ") || !strings.Contains(text, "https://prize.example/scoring") {
		t.Fatalf("reminder: %q\n%s", subject, text)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'scoring.remind' AND actor_id = $1 AND object_id = $2`, w.secretariat, strconv.FormatInt(w.ev1, 10)); n != 1 {
		t.Fatalf("%d reminders audited", n)
	}
	// The edition's own wording of the secretariat's reminder is used, not that of the automatic one.
	dbtest.Exec(t, w.pool, `INSERT INTO email_wordings (edition_id, key, subject, body, updated_at) VALUES
		($1, 'scoring-reminder-secretariat', '{{sheets}} left, {{name}}', '{{entries}} {{have}} no sheet: {{link}}', $2),
		($1, 'scoring-reminder', 'Automatic', 'Automatic', $2)`, w.ed.ID, now)
	if sent, _, err := s.Remind(ctx, sec, w.ed, []int64{w.ev1}); err != nil || sent != 1 {
		t.Fatalf("remind again: %d sent, %v", sent, err)
	}
	if err := w.pool.QueryRow(ctx, `SELECT subject, text_body FROM email_outbox WHERE kind = 'scoring-reminder' AND to_address = 'ev1@example.org'
		ORDER BY id DESC LIMIT 1`).Scan(&subject, &text); err != nil {
		t.Fatal(err)
	}
	if subject != "2 score sheets left, User ev1" || !strings.Contains(text, "2 entries have no sheet: https://prize.example/scoring") {
		t.Fatalf("reworded reminder: %q\n%s", subject, text)
	}
	// An evaluator may not remind anyone: Member finds nobody for them.
	if sent, skipped, err := s.Remind(ctx, w.actor(w.ev1, authz.RoleEvaluator), w.ed, []int64{w.ev1}); err != nil || sent != 0 || skipped != 1 {
		t.Fatalf("an evaluator reminds: %d sent, %d skipped, %v", sent, skipped, err)
	}
}

// TestServiceReview: the committee head reads every sheet of an entry once the round is closed,
// nobody else ever.
func TestServiceReview(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := w.svc()
	head := w.actor(w.hd, authz.RoleCommitteeHead)
	ev1 := w.actor(w.ev1, authz.RoleEvaluator)
	p := w.declared(t, s, ev1, w.apps[0])
	if _, err := s.Submit(ctx, ev1, p, w.form(w.full(4), 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Review(ctx, head, w.apps[0]); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("head before the close: %v", err)
	}
	w.closeRound(t)
	rv, err := s.Review(ctx, head, w.apps[0])
	if err != nil || rv.Title != "Project A" || rv.Category.ID != w.tech.ID || len(rv.Sheets) != 1 || rv.Sheets[0].EvaluatorName != "User ev1" {
		t.Fatalf("head after the close: %+v, %v", rv, err)
	}
	for _, a := range []authz.Actor{ev1, w.actor(w.secretariat, authz.RoleSecretariat)} {
		if _, err := s.Review(ctx, a, w.apps[0]); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("%d reads the sheets: %v", a.UserID, err)
		}
	}
	// A head who declared a conflict with the entry no longer reads its sheets (nor does the SQL
	// give them).
	dbtest.Exec(t, w.pool, `INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, created_at)
		SELECT $1, $2, 'person', u.name, now() FROM applications a JOIN users u ON u.id = a.user_id WHERE a.id = $3`,
		w.ed.ID, w.hd, w.apps[0])
	if _, err := s.Review(ctx, head, w.apps[0]); !errors.Is(err, scoring.ErrConflicted) {
		t.Fatalf("a conflicted head reads the sheets: %v", err)
	}
	if got, err := scoring.EntrySheets(ctx, w.pool, w.hd, w.apps[0]); err != nil || len(got) != 0 {
		t.Fatalf("EntrySheets for a conflicted head: %d, %v", len(got), err)
	}
}
