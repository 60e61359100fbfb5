package results_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/results"
)

func count(t *testing.T, w *world, sql string, args ...any) int {
	t.Helper()
	return dbtest.Count(t, w.pool, sql, args...)
}

// TestServiceAnnouncementAndVideo runs the announcement task and the winner's video link through
// the service without HTTP: nothing before WinnersAnnounced; then one outcome email per
// semi-finalist and one video request per winner, once however often the task runs, audited;
// the reminders fall due before the deadline; a link is saved before the deadline only.
func TestServiceAnnouncementAndVideo(t *testing.T) {
	t.Parallel()
	ctx := audit.WithIP(context.Background(), "192.0.2.5")
	w := newWorld(t)
	a := w.award(t, w.entries[0], 1, "First Prize")
	w.award(t, w.entries[1], 2, "Second Prize")
	clock := w.ed.Schedule.WinnersAnnounced.Add(-time.Minute)
	svc := &results.Service{Deps: usecase.New(w.pool, notify.NewOutbox(w.pool), emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return clock })}

	if err := svc.SendResults(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, w, `SELECT count(*) FROM email_outbox`); n != 0 {
		t.Fatalf("%d emails before the announcement", n)
	}
	clock = w.ed.Schedule.WinnersAnnounced
	for range 2 {
		if err := svc.SendResults(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// tech-innovacity: A and B won, C and D did not; the Leadership category is not decided.
	if n := count(t, w, `SELECT count(*) FROM email_outbox WHERE kind = 'results-winner'`); n != 2 {
		t.Errorf("winner emails = %d, want 2", n)
	}
	if n := count(t, w, `SELECT count(*) FROM email_outbox WHERE kind = 'results-outcome'`); n != 2 {
		t.Errorf("outcome emails = %d, want 2", n)
	}
	if n := count(t, w, `SELECT count(*) FROM email_outbox WHERE kind = 'video-request'`); n != 2 {
		t.Errorf("video requests = %d, want 2", n)
	}
	if n := count(t, w, `SELECT count(*) FROM audit_log WHERE action = $1 AND actor_label = 'system'`, results.AnnounceAction); n != 1 {
		t.Errorf("announcement audits = %d, want 1", n)
	}

	deadline := results.VideoDeadline(w.ed)
	clock = deadline.Add(-24 * time.Hour)
	if err := svc.SendResults(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, w, `SELECT count(*) FROM email_outbox WHERE kind = 'video-reminder'`); n != 2 {
		t.Errorf("video reminders = %d, want 2", n)
	}

	owner := authz.Actor{}
	if err := w.pool.QueryRow(ctx, `SELECT user_id FROM applications WHERE id = $1`, w.entries[0]).Scan(&owner.UserID); err != nil {
		t.Fatal(err)
	}
	own, err := results.OwnAward(ctx, w.pool, owner.UserID, a)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SaveVideo(ctx, owner, w.ed, own, "https://video.example/a"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, w, `SELECT count(*) FROM audit_log WHERE action = $1 AND actor_id = $2 AND ip = '192.0.2.5'`, results.VideoAction, owner.UserID); n != 1 {
		t.Errorf("video audits = %d, want 1", n)
	}
	clock = deadline
	if err := svc.SaveVideo(ctx, owner, w.ed, own, "https://video.example/b"); !errors.Is(err, results.ErrVideoClosed) {
		t.Errorf("a link after the deadline: %v, want ErrVideoClosed", err)
	}
}

// TestLoadPublic: before the announcement the public results give nothing but the edition;
// from then on the current winners.
func TestLoadPublic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.award(t, w.entries[0], 1, "First Prize")
	p, err := results.LoadPublic(ctx, w.pool, w.ed.Slug, w.ed.Schedule.WinnersAnnounced.Add(-time.Second))
	if err != nil || p.Announced || len(p.Winners) != 0 || p.Edition.ID != w.ed.ID {
		t.Fatalf("before: %+v, %v", p, err)
	}
	p, err = results.LoadPublic(ctx, w.pool, w.ed.Slug, w.ed.Schedule.WinnersAnnounced)
	if err != nil || !p.Announced || len(p.Winners) != 1 || p.Winners[0].Prize != "First Prize" {
		t.Fatalf("after: %+v, %v", p, err)
	}
}
