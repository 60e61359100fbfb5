package screening_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/screening"

	"github.com/jackc/pgx/v5"
)

// service is the screening service of w, its clock at now, and the secretariat member as actor.
// newServiceWorld is newWorld with n entries, the screening service at now, a secretariat member
// of the edition acting, and the entries' ids in order.
func newServiceWorld(t *testing.T, n int) (*world, *screening.Service, authz.Actor, []int64) {
	t.Helper()
	w := newWorld(t, n)
	s := newService(w)
	rows, err := w.pool.Query(context.Background(), `SELECT id FROM applications WHERE edition_id = $1 ORDER BY id`, w.ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	return w, s, authz.Actor{UserID: w.staff, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: w.ed.ID}}}, ids
}

// newService is the screening service of w, its clock at now.
func newService(w *world) *screening.Service {
	return &screening.Service{Deps: usecase.New(w.pool, notify.NewOutbox(w.pool), emails.Site{BaseURL: "https://portal.example"}, func() time.Time { return now })}
}

func (w *world) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	return dbtest.Count(t, w.pool, sql, args...)
}

// confirmed answers every item of cat's checklist "yes", each with a note (an answer that
// differs from the portal's check needs one).
func confirmed(cat *edition.Category) map[string]string {
	out := map[string]string{}
	for _, c := range screening.Checklist(cat) {
		out[c.Key], out[c.Key+".note"] = "yes", "Checked by hand."
	}
	return out
}

// fieldMessage is the problem err has with field name ("" for none).
func fieldMessage(err error, name string) string {
	var errs field.Errors
	errors.As(err, &errs)
	return errs.Get(name)
}

func fieldErr(t *testing.T, err error, name string) {
	t.Helper()
	var errs field.Errors
	if !errors.As(err, &errs) || errs.Get(name) == "" {
		t.Fatalf("want a problem with %s, got %v", name, err)
	}
}

// TestServiceDecide: a decision is stored with its audit entry; an ineligible one needs a
// reason; changing a final decision needs the reason for the change; another edition's
// secretariat cannot decide.
func TestServiceDecide(t *testing.T) {
	t.Parallel()
	w, s, actor, ids := newServiceWorld(t, 3)
	ctx, id := context.Background(), ids[0]

	fieldErr(t, s.Decide(ctx, actor, w.ed, id, screening.Input{Decision: screening.Ineligible}), "reason")
	fieldErr(t, s.Decide(ctx, actor, w.ed, id, screening.Input{Decision: screening.Ineligible, ReasonKey: screening.ReasonOther}), "reason_text")
	fieldErr(t, s.Decide(ctx, actor, w.ed, id, screening.Input{}), "decision")
	// Eligible needs every item answered; an answer that differs from the portal's check (the
	// fixture's answers are incomplete: the portal says "no") needs a note.
	fieldErr(t, s.Decide(ctx, actor, w.ed, id, screening.Input{Decision: screening.Eligible, Checklist: map[string]string{"english": "yes"}}), "check.documents")
	all := confirmed(w.tech)
	delete(all, "complete.note")
	fieldErr(t, s.Decide(ctx, actor, w.ed, id, screening.Input{Decision: screening.Eligible, Checklist: all}), "check.complete.note")
	if err := s.Decide(ctx, actor, w.ed, id, screening.Input{Decision: screening.Eligible, Checklist: confirmed(w.tech)}); err != nil {
		t.Fatal(err)
	}
	fieldErr(t, s.Decide(ctx, actor, w.ed, id, screening.Input{Decision: screening.Ineligible, ReasonKey: screening.CheckEnglish}), "revision_reason")
	if err := s.Decide(ctx, actor, w.ed, id, screening.Input{Decision: screening.Ineligible, ReasonKey: screening.CheckEnglish, RevisionReason: "Not in English after all"}); err != nil {
		t.Fatal(err)
	}
	rec, err := screening.DecisionOf(ctx, w.pool, id)
	if err != nil || rec.Decision != screening.Ineligible || rec.Revision != 2 {
		t.Fatalf("decision: %+v %v", rec, err)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'screening.decide' AND object_id = $1`, strconv.FormatInt(id, 10)); n != 2 {
		t.Fatalf("audit entries: %d", n)
	}
	other := authz.Actor{UserID: w.staff, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: w.ed.ID + 1}}}
	if err := s.Decide(ctx, other, w.ed, id, screening.Input{Decision: screening.Eligible}); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another edition's secretariat: %v", err)
	}
}

// TestServiceDecideManyReviewAndClose: a bulk decision leaves final decisions alone; a second
// opinion is given by another member only; the round closes once every entry is decided, queues
// the outcome emails for the end of the screening window, and then refuses changes.
func TestServiceDecideManyReviewAndClose(t *testing.T) {
	t.Parallel()
	w, s, actor, ids := newServiceWorld(t, 3)
	ctx := context.Background()

	if _, err := s.DecideMany(ctx, actor, w.ed, w.tech, screening.Bulk{IDs: ids, Action: "ineligible"}); err == nil {
		t.Fatal("bulk ineligible without a reason")
	}
	if err := s.Decide(ctx, actor, w.ed, ids[0], screening.Input{Decision: screening.Ineligible, ReasonKey: screening.CheckEnglish}); err != nil {
		t.Fatal(err)
	}
	res, err := s.DecideMany(ctx, actor, w.ed, w.tech, screening.Bulk{IDs: ids, Action: "eligible"})
	if err != nil || res.Done != 2 || res.Skipped != 1 {
		t.Fatalf("bulk: %+v %v", res, err)
	}
	// A bulk "eligible" confirms the checklist: the portal's answers where it checks an item
	// (the fixture's answers are incomplete), "yes" for the others.
	if rec, err := screening.DecisionOf(ctx, w.pool, ids[1]); err != nil || rec.Checklist["complete"] != "no" ||
		rec.Checklist["entity_type"] != "yes" || rec.Checklist["english"] != "yes" || len(rec.Checklist) != len(screening.Checklist(w.tech)) {
		t.Fatalf("bulk checklist: %+v %v", rec.Checklist, err)
	}
	s.Now = func() time.Time { return time.Date(2023, 6, 10, 0, 0, 0, 0, time.UTC) } // after the letters' deadline
	if _, err := s.CloseRound(ctx, actor, w.ed, "Every entry is decided"); err != nil {
		t.Fatal(err) // every entry has a final decision; before the window's end, with a reason
	}
	if n := w.count(t, `SELECT count(*) FROM email_outbox WHERE kind = 'screening-outcome' AND edition_id = $1 AND milestone = 'screening_end' AND released_at IS NULL`, w.ed.ID); n != 3 {
		t.Fatalf("outcome emails: %d", n)
	}
	// The screening is brought forward to end in an hour: the outcomes go then, not at the old end.
	newEnd := now.Add(time.Hour)
	if _, err := w.pool.Exec(ctx, `UPDATE editions SET screening_end = $2 WHERE id = $1`, w.ed.ID, newEnd); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at   time.Time
		want int
	}{{newEnd.Add(-time.Second), 0}, {newEnd, 3}} {
		if n, err := s.Outbox.Release(ctx, c.at); err != nil || n != c.want {
			t.Fatalf("released at %s: %d %v, want %d", c.at, n, err, c.want)
		}
	}
	if _, err := s.CloseRound(ctx, actor, w.ed, "x"); !errors.Is(err, screening.ErrRoundClosed) {
		t.Fatalf("closing twice: %v", err)
	}
	if err := s.Decide(ctx, actor, w.ed, ids[1], screening.Input{Decision: screening.Eligible}); !errors.Is(err, screening.ErrRoundClosed) {
		t.Fatalf("decide after closing: %v", err)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'screening.close'`); n != 1 {
		t.Fatalf("close audit: %d", n)
	}
}

func TestServiceReviewAndUndecided(t *testing.T) {
	t.Parallel()
	w, s, actor, ids := newServiceWorld(t, 2)
	ctx := context.Background()
	if _, err := s.CloseRound(ctx, actor, w.ed, "x"); !errors.Is(err, screening.ErrUndecided) {
		t.Fatalf("closing with undecided entries: %v", err)
	}
	if err := s.Decide(ctx, actor, w.ed, ids[0], screening.Input{Decision: screening.Eligible, AskReview: true, Checklist: confirmed(w.tech)}); err != nil {
		t.Fatal(err)
	}
	if err := s.GiveReview(ctx, actor, w.ed, ids[0], "", ""); !errors.Is(err, screening.ErrNoOutcome) {
		t.Fatalf("no outcome: %v", err)
	}
	if err := s.GiveReview(ctx, actor, w.ed, ids[0], "agree", ""); !errors.Is(err, screening.ErrNoReview) {
		t.Fatalf("own review: %v", err)
	}
	var second int64
	if err := w.pool.QueryRow(ctx, `INSERT INTO users (login_id, email, name, password_hash) VALUES ('sec2', 'sec2@example.org', 'Sec 2', 'x') RETURNING id`).Scan(&second); err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, w.pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, second, w.ed.ID)
	other := authz.Actor{UserID: second, Grants: actor.Grants}
	if err := s.GiveReview(ctx, other, w.ed, ids[0], "disagree", "Looks incomplete"); err != nil {
		t.Fatal(err)
	}
	if err := s.GiveReview(ctx, other, w.ed, ids[0], "agree", ""); !errors.Is(err, screening.ErrNoReview) {
		t.Fatalf("second review: %v", err)
	}
	rec, err := screening.DecisionOf(ctx, w.pool, ids[0])
	if err != nil || rec.ReviewOutcome != "disagree" {
		t.Fatalf("review: %+v %v", rec, err)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'screening.review'`); n != 1 {
		t.Fatalf("review audit: %d", n)
	}
}

// at sets the service's clock to t.
func at(s *screening.Service, t time.Time) { s.Now = func() time.Time { return t } }

// refusal is the message of err, a refusal wrapping want.
func refusal(t *testing.T, err, want error) string {
	t.Helper()
	f, ok := fault.As(err)
	if !errors.Is(err, want) || !ok {
		t.Fatalf("want a refusal (%v), got %v", want, err)
	}
	return f.Message
}

// TestCloseRoundFollowsTheSchedule: round 1 closed on 10 May 2023, before the 31 May deadline,
// is refused although every entry is decided, and the refusal says until when applications are
// accepted; an extension still running keeps it open too; after the deadline, closing before
// the end of the screening window (30 June) needs a reason, kept in the audit entry.
func TestCloseRoundFollowsTheSchedule(t *testing.T) {
	t.Parallel()
	w, s, actor, ids := newServiceWorld(t, 2)
	ctx := context.Background()
	at(s, time.Date(2023, 5, 10, 3, 0, 0, 0, time.UTC))
	if _, err := s.DecideMany(ctx, actor, w.ed, w.tech, screening.Bulk{IDs: ids, Action: "eligible"}); err != nil {
		t.Fatal(err)
	}
	_, err := s.CloseRound(ctx, actor, w.ed, "Everything is decided")
	msg := refusal(t, err, screening.ErrUndecided)
	if !strings.Contains(msg, "applications are accepted until 31 May 2023, 23:59 KST") || !strings.Contains(msg, "letters of recommendation and endorsements are accepted until 7 June 2023, 23:59 KST") ||
		!strings.Contains(msg, "It can close from 7 June 2023, 23:59 KST") {
		t.Fatalf("refusal before the deadline: %q", msg)
	}
	// An extension until 9 June keeps the round open on 8 June, after the letters' deadline
	// (7 June).
	until := time.Date(2023, 6, 9, 9, 0, 0, 0, time.UTC)
	if err := application.GrantExtension(ctx, w.pool, ids[0], application.Extension{Until: until, Reason: "Flood", GrantedBy: w.staff, GrantedAt: now}, w.ed.Schedule); err != nil {
		t.Fatal(err)
	}
	at(s, time.Date(2023, 6, 8, 3, 0, 0, 0, time.UTC))
	_, err = s.CloseRound(ctx, actor, w.ed, "Everything is decided")
	if msg := refusal(t, err, screening.ErrUndecided); !strings.Contains(msg, "1 deadline extension runs until 9 June 2023, 18:00 KST") ||
		strings.Contains(msg, "applications are accepted") || strings.Contains(msg, "letters") {
		t.Fatalf("refusal with an extension running: %q", msg)
	}
	if n := w.count(t, `SELECT count(*) FROM screening_rounds`); n != 0 {
		t.Fatalf("the round closed: %d", n)
	}
	// After the extension, before the end of the window: a reason is needed.
	at(s, until)
	_, err = s.CloseRound(ctx, actor, w.ed, " ")
	fieldErr(t, err, "reason")
	if _, err := s.CloseRound(ctx, actor, w.ed, "Every entry is decided; round 2 may start planning."); err != nil {
		t.Fatal(err)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'screening.close' AND details->>'early_reason' = 'Every entry is decided; round 2 may start planning.'`); n != 1 {
		t.Fatalf("early close audit: %d", n)
	}
}

// nominate adds a submitted, consented nomination of the Leadership category of w without a
// letter or endorsements, and returns its id.
func nominate(t *testing.T, w *world) (int64, *edition.Category) {
	t.Helper()
	lead, _ := w.ed.Category("leadership")
	var id int64
	if err := w.pool.QueryRow(context.Background(), `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash, entity_type, country, city, edition_id, category_id)
		           VALUES ('nora', 'nora@example.org', 'Nora Nominator', 'x', 'individual', 'KR', 'Busan', $1, $2) RETURNING id),
		a AS (INSERT INTO applications (user_id, edition_id, category_id, kind, status, submitted_version, submitted_at)
		      SELECT u.id, $1, $2, 'nomination', 'submitted', 1, $3 FROM u RETURNING id, user_id)
		INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email, candidate_organisation,
		                         consent, consent_decided_at, created_at)
		SELECT id, user_id, $1, false, 'Cand Kim', 'cand@example.org', 'Busan Metropolitan City', 'given', $3, $3 FROM a
		RETURNING application_id`, w.ed.ID, lead.ID, now.Add(-30*24*time.Hour)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, w.pool, `INSERT INTO application_versions (application_id, number, answers, submitted_at)
		SELECT id, 1, answers, submitted_at FROM applications WHERE id = $1`, id)
	return id, lead
}

// TestIncompleteNominationGetsAnOutcome: a submitted, consented nomination still waiting for its
// letter is in the queue, marked incomplete, and keeps the round from closing; it cannot be
// found eligible, nor "ineligible: incomplete" before the letters' deadline; after it, the bulk
// decision finds it so, the round closes and the nominator is emailed the outcome with the
// reason from the list.
func TestIncompleteNominationGetsAnOutcome(t *testing.T) {
	t.Parallel()
	w, s, actor, ids := newServiceWorld(t, 1)
	ctx := context.Background()
	nom, lead := nominate(t, w)
	if _, err := s.DecideMany(ctx, actor, w.ed, w.tech, screening.Bulk{IDs: ids, Action: "eligible"}); err != nil {
		t.Fatal(err)
	}
	q, err := screening.ListQueue(ctx, w.pool, w.staff, screening.Filter{EditionID: w.ed.ID, CategoryID: lead.ID, Flag: "incomplete", Now: now})
	if err != nil || q.Total != 1 || q.Entries[0].ID != nom || !q.Entries[0].Incomplete || q.Entries[0].FlagLabels()[0] != "Incomplete nomination" {
		t.Fatalf("the incomplete nomination in the queue: %+v %v", q, err)
	}
	_, err = s.CloseRound(ctx, actor, w.ed, "Done early")
	if msg := refusal(t, err, screening.ErrUndecided); !strings.Contains(msg, "1 entry has no decision (1 of them is an incomplete nomination") {
		t.Fatalf("refusal with the nomination undecided: %q", msg)
	}
	fieldErr(t, s.Decide(ctx, actor, w.ed, nom, screening.Input{Decision: screening.Eligible, Checklist: confirmed(lead)}), "decision")
	after := time.Date(2023, 6, 10, 0, 0, 0, 0, time.UTC) // the letters' deadline was 7 June
	// Before the letters' deadline (the application deadline, 31 May), the letter may still come.
	at(s, time.Date(2023, 5, 20, 0, 0, 0, 0, time.UTC))
	fieldErr(t, s.Decide(ctx, actor, w.ed, nom, screening.Input{Decision: screening.Ineligible, ReasonKey: screening.ReasonIncomplete}), "reason")
	if _, err := s.DecideMany(ctx, actor, w.ed, lead, screening.Bulk{Action: "incomplete"}); err == nil {
		t.Fatal("bulk incomplete before the letters' deadline")
	}
	// A complete project is not "incomplete".
	at(s, after)
	fieldErr(t, s.Decide(ctx, actor, w.ed, ids[0], screening.Input{Decision: screening.Ineligible, ReasonKey: screening.ReasonIncomplete, RevisionReason: "x"}), "reason")
	res, err := s.DecideMany(ctx, actor, w.ed, lead, screening.Bulk{Action: "incomplete"})
	if err != nil || res.Done != 1 {
		t.Fatalf("bulk incomplete: %+v %v", res, err)
	}
	if rec, err := screening.DecisionOf(ctx, w.pool, nom); err != nil || rec.Decision != screening.Ineligible || rec.ReasonKey != screening.ReasonIncomplete {
		t.Fatalf("the nomination's decision: %+v %v", rec, err)
	}
	if _, err := s.CloseRound(ctx, actor, w.ed, "Every entry is decided"); err != nil {
		t.Fatal(err)
	}
	var text string
	if err := w.pool.QueryRow(ctx, `SELECT text_body FROM email_outbox WHERE kind = 'screening-outcome' AND to_address = 'nora@example.org'`).Scan(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "not eligible: the nomination was not complete by the deadline for letters") {
		t.Fatalf("the outcome email:\n%s", text)
	}
}
