package screening_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
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
	s := &screening.Service{Deps: usecase.New(w.pool, notify.NewOutbox(w.pool), emails.Site{BaseURL: "https://portal.example"}, func() time.Time { return now })}
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

func (w *world) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	return dbtest.Count(t, w.pool, sql, args...)
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
	if err := s.Decide(ctx, actor, w.ed, id, screening.Input{Decision: screening.Eligible, Checklist: map[string]string{"english": "yes"}}); err != nil {
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
	if _, err := s.CloseRound(ctx, actor, w.ed); err != nil {
		t.Fatal(err) // every entry has a final decision
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
	if _, err := s.CloseRound(ctx, actor, w.ed); !errors.Is(err, screening.ErrRoundClosed) {
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
	if _, err := s.CloseRound(ctx, actor, w.ed); !errors.Is(err, screening.ErrUndecided) {
		t.Fatalf("closing with undecided entries: %v", err)
	}
	if err := s.Decide(ctx, actor, w.ed, ids[0], screening.Input{Decision: screening.Eligible, AskReview: true}); err != nil {
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
