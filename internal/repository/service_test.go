package repository_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/repository"
)

func (w *world) service() *repository.Service {
	return &repository.Service{Deps: usecase.New(w.pool, notify.NewOutbox(w.pool), emails.Site{BaseURL: "https://portal.test"}, func() time.Time { return after2023 })}
}

func (w *world) actor(t *testing.T, id int64) authz.Actor {
	t.Helper()
	a, _, err := account.LoadActor(context.Background(), w.pool, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestServiceHideAndUnhide: the secretariat hides a case with a reason and shows it again, each
// decision with its audit entry (and the client's address); a hide without a reason, or by
// another edition's secretariat, changes nothing and records nothing; unhiding a visible case
// records nothing.
func TestServiceHideAndUnhide(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := audit.WithIP(context.Background(), "192.0.2.4")
	svc := w.service()
	id := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Bus lanes", "Faster buses.", nil))
	staff := w.actor(t, w.staff)
	otherID := w.user(t, "sec24", "KR", w.ed24.ID, 0)
	w.exec(t, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, otherID, w.ed24.ID)
	other := w.actor(t, otherID)
	entries := func(action string) int {
		return dbtest.Count(t, w.pool, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2::bigint::text AND ip = '192.0.2.4'`, action, id)
	}

	if err := svc.Hide(ctx, staff, id, "   "); !errors.Is(err, repository.ErrNoReason) {
		t.Fatalf("hide without a reason: %v", err)
	}
	long := make([]rune, repository.MaxHideReason+1)
	for i := range long {
		long[i] = 'x'
	}
	if err := svc.Hide(ctx, staff, id, string(long)); !errors.Is(err, repository.ErrReasonTooLong) {
		t.Fatalf("hide with a long reason: %v", err)
	}
	if err := svc.Hide(ctx, other, id, "Wrong edition"); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another edition's secretariat hides: %v", err)
	}
	if n := entries(repository.HideAction); n != 0 {
		t.Fatalf("%d entries for refused hides", n)
	}
	if err := svc.Unhide(ctx, staff, id); err != nil {
		t.Fatal(err)
	}
	if n := entries(repository.UnhideAction); n != 0 {
		t.Fatalf("unhiding a visible case recorded %d entries", n)
	}

	if err := svc.Hide(ctx, staff, id, "  Names a person who objected. "); err != nil {
		t.Fatal(err)
	}
	if n := dbtest.Count(t, w.pool, `SELECT count(*) FROM audit_log WHERE action = $1 AND actor_id = $2 AND details->>'reason' = 'Names a person who objected.'`,
		repository.HideAction, w.staff); n != 1 || entries(repository.HideAction) != 1 {
		t.Fatalf("hide entries: %d", n)
	}
	if _, err := repository.Get(ctx, w.pool, id, after2023); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("the hidden case is public: %v", err)
	}
	if err := svc.Unhide(ctx, other, id); err != nil {
		t.Fatal(err)
	}
	if n := entries(repository.UnhideAction); n != 0 {
		t.Fatalf("another edition's secretariat unhid: %d entries", n)
	}
	if err := svc.Unhide(ctx, staff, id); err != nil {
		t.Fatal(err)
	}
	if n := entries(repository.UnhideAction); n != 1 {
		t.Fatalf("unhide entries: %d", n)
	}
	if _, err := repository.Get(ctx, w.pool, id, after2023); err != nil {
		t.Fatalf("the case is not back: %v", err)
	}
}

// TestRebuildTask: the periodic task rebuilds every edition's cases from the submitted entries.
func TestRebuildTask(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	id := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Bus lanes", "Faster buses.", nil))
	w.exec(t, `DELETE FROM repository_cases`)
	task := repository.RebuildTask(w.pool)
	if task.Name != "repository-rebuild" || task.Every != 6*time.Hour {
		t.Fatalf("task %q every %v", task.Name, task.Every)
	}
	if err := task.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if c, err := repository.Get(ctx, w.pool, id, after2023); err != nil || c.Title != "Bus lanes" {
		t.Fatalf("rebuilt case: %+v %v", c, err)
	}
}
