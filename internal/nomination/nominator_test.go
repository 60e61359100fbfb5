package nomination_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/field"
	"prizeportal/internal/nomination"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

func TestServiceCreateAndUpdateDetails(t *testing.T) {
	t.Parallel()
	pool, ed, cat := setup(t)
	ctx := context.Background()
	svc := nomination.NewService(pool, notify.NewOutbox(pool), emails.Site{}, func() time.Time { return now })
	ana := authz.Actor{UserID: nominator(t, pool, ed, cat, "ana")}

	var errs field.Errors
	if _, err := svc.Create(ctx, ana, ed, cat, nomination.Details{}); !errors.As(err, &errs) {
		t.Fatalf("empty details: %v, want field errors", err)
	}
	id, err := svc.Create(ctx, ana, ed, cat, thirdParty("kim"))
	if err != nil {
		t.Fatal(err)
	}
	self := nomination.Details{Self: true, CandidateName: "Ana", CandidateEmail: "ana@example.org",
		CandidateOrganisation: "WeGO", CandidatePosition: "Director", NominatorOrganisation: "WeGO"}
	if _, err := svc.Create(ctx, ana, ed, cat, self); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Create(ctx, ana, ed, cat, self); !errors.Is(err, nomination.ErrSelfNominated) {
		t.Fatalf("second self-nomination: %v, want ErrSelfNominated", err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'nomination.create'`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d create audit entries (%v), want 2", n, err)
	}
	a, err := application.LoadEntry(ctx, pool, ana.UserID, id)
	if err != nil {
		t.Fatal(err)
	}
	d := thirdParty("kim")
	d.CandidatePosition = "Mayor"
	if reset, err := svc.UpdateDetails(ctx, ana, a, ed, cat, d); err != nil || reset {
		t.Fatalf("update = %v, %v; want no consent reset", reset, err)
	}
	got, err := nomination.Get(ctx, pool, ana.UserID, id)
	if err != nil || got.CandidatePosition != "Mayor" {
		t.Fatalf("after update: %+v, %v", got, err)
	}
	// After the deadline, nothing changes and nothing is made.
	late := nomination.NewService(pool, notify.NewOutbox(pool), emails.Site{}, func() time.Time { return ed.Schedule.ApplicationDeadline.Add(72 * time.Hour) })
	if _, err := late.UpdateDetails(ctx, ana, a, ed, cat, d); !errors.Is(err, application.ErrClosed) {
		t.Fatalf("late update: %v, want application.ErrClosed", err)
	}
	if _, err := late.Create(ctx, ana, ed, cat, thirdParty("lee")); !errors.Is(err, nomination.ErrNominationsClosed) {
		t.Fatalf("late create: %v, want ErrNominationsClosed", err)
	}
}
