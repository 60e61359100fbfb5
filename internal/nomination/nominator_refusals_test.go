package nomination_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/fault"
	"prizeportal/internal/nomination"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

// The nominator's use cases say why they refuse, in the words the pages show.
func TestServiceNominatorRefusalsSayWhy(t *testing.T) {
	t.Parallel()
	pool, ed, cat := setup(t)
	ctx := context.Background()
	svc := nomination.NewService(pool, notify.NewOutbox(pool), emails.Site{}, func() time.Time { return now })
	ana := authz.Actor{UserID: nominator(t, pool, ed, cat, "ana")}
	who, list, err := svc.Nominations(ctx, ana.UserID)
	if err != nil || who.Category.ID != cat.ID || len(list) != 0 || !who.Open(now) {
		t.Fatalf("nominator = %+v, %d nominations, %v", who, len(list), err)
	}
	self := nomination.Details{Self: true, CandidateName: "Ana", CandidateEmail: "ana@example.org",
		CandidateOrganisation: "WeGO", CandidatePosition: "Director", NominatorOrganisation: "WeGO"}
	id, err := svc.Create(ctx, ana, ed, cat, self)
	if err != nil {
		t.Fatal(err)
	}
	if _, list, err = svc.Nominations(ctx, ana.UserID); err != nil || len(list) != 1 {
		t.Fatalf("%d nominations (%v), want 1", len(list), err)
	}
	a, err := application.LoadEntry(ctx, pool, ana.UserID, id)
	if err != nil {
		t.Fatal(err)
	}
	n, err := nomination.Get(ctx, pool, ana.UserID, id)
	if err != nil {
		t.Fatal(err)
	}
	err = svc.AskConsent(ctx, ana, a, ed, cat, &n)
	if f, ok := fault.As(err); !ok || f.Message != "A self-nomination needs no consent." || !errors.Is(err, db.ErrConflict) {
		t.Fatalf("consent of a self-nomination: %v", err)
	}
	var asked int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'nomination.consent_request'`).Scan(&asked); err != nil || asked != 0 {
		t.Fatalf("%d consent requests (%v), want none", asked, err)
	}
	late := nomination.NewService(pool, notify.NewOutbox(pool), emails.Site{}, func() time.Time { return ed.Schedule.ApplicationDeadline.Add(time.Hour) })
	_, err = late.Create(ctx, ana, ed, cat, thirdParty("kim"))
	if f, ok := fault.As(err); !errors.Is(err, nomination.ErrNominationsClosed) || !ok || !strings.HasPrefix(f.Message, "The deadline for nominations passed on ") {
		t.Fatalf("late create: %v", err)
	}
}
