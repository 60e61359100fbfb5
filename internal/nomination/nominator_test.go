package nomination_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/nomination"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"

	"github.com/jackc/pgx/v5/pgxpool"
)

func TestServiceCreateAndUpdateDetails(t *testing.T) {
	t.Parallel()
	pool, ed, cat, _, svc := serviceSetup(t)
	ctx := context.Background()
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
		CandidateOrganisation: "WeGO", CandidatePosition: "Director", NominatorOrganisation: "WeGO",
		CandidateCity: "Seoul", CandidateCountry: "KR"}
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
	late := service(pool, &clock{at: ed.Schedule.ApplicationDeadline.Add(72 * time.Hour)})
	if _, err := late.UpdateDetails(ctx, ana, a, ed, cat, d); !errors.Is(err, application.ErrClosed) {
		t.Fatalf("late update: %v, want application.ErrClosed", err)
	}
	if _, err := late.Create(ctx, ana, ed, cat, thirdParty("lee")); !errors.Is(err, nomination.ErrNominationsClosed) {
		t.Fatalf("late create: %v, want ErrNominationsClosed", err)
	}
}

func TestServiceAskConsent(t *testing.T) {
	t.Parallel()
	pool, ed, cat := setup(t)
	ctx := context.Background()
	svc := &nomination.Service{Deps: usecase.New(pool, notify.NewOutbox(pool), emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return now })}
	ana := authz.Actor{UserID: nominator(t, pool, ed, cat, "ana")}
	id, err := svc.Create(ctx, ana, ed, cat, thirdParty("kim"))
	if err != nil {
		t.Fatal(err)
	}
	a, n := stored(t, pool, ana.UserID, id)
	for range 2 { // asking again sends a new link
		if err := svc.AskConsent(ctx, ana, a, ed, cat, &n); err != nil {
			t.Fatal(err)
		}
	}
	count := func(sql string) int {
		t.Helper()
		var c int
		if err := pool.QueryRow(ctx, sql).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := count(`SELECT count(*) FROM email_outbox WHERE kind = 'nomination-consent' AND to_address = 'kim@city.example'
		AND html_body LIKE '%https://prize.example/consent/%'`); c != 2 {
		t.Fatalf("%d consent emails, want 2", c)
	}
	if c := count(`SELECT count(*) FROM private_links WHERE purpose = 'nomination_consent' AND used_at IS NULL`); c != 1 {
		t.Fatalf("%d usable consent links, want 1 (the last)", c)
	}
	if c := count(`SELECT count(*) FROM audit_log WHERE action = 'nomination.consent_request'`); c != 2 {
		t.Fatalf("%d audit entries, want 2", c)
	}
	if got, _ := nomination.Get(ctx, pool, ana.UserID, id); got.Consent != nomination.ConsentRequested {
		t.Fatalf("consent = %q, want requested", got.Consent)
	}
}

// The nominator's use cases say why they refuse, in the words the pages show.
func TestServiceNominatorRefusalsSayWhy(t *testing.T) {
	t.Parallel()
	pool, ed, cat, _, svc := serviceSetup(t)
	ctx := context.Background()
	ana := authz.Actor{UserID: nominator(t, pool, ed, cat, "ana")}
	who, list, err := svc.Nominations(ctx, ana.UserID)
	if err != nil || who.Category.ID != cat.ID || len(list) != 0 || !who.Open(now) {
		t.Fatalf("nominator = %+v, %d nominations, %v", who, len(list), err)
	}
	self := nomination.Details{Self: true, CandidateName: "Ana", CandidateEmail: "ana@example.org",
		CandidateOrganisation: "WeGO", CandidatePosition: "Director", NominatorOrganisation: "WeGO",
		CandidateCity: "Seoul", CandidateCountry: "KR"}
	id, err := svc.Create(ctx, ana, ed, cat, self)
	if err != nil {
		t.Fatal(err)
	}
	if _, list, err = svc.Nominations(ctx, ana.UserID); err != nil || len(list) != 1 {
		t.Fatalf("%d nominations (%v), want 1", len(list), err)
	}
	a, n := stored(t, pool, ana.UserID, id)
	err = svc.AskConsent(ctx, ana, a, ed, cat, &n)
	if f, ok := fault.As(err); !ok || f.Message != "A self-nomination needs no consent." || !errors.Is(err, db.ErrConflict) {
		t.Fatalf("consent of a self-nomination: %v", err)
	}
	var asked int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'nomination.consent_request'`).Scan(&asked); err != nil || asked != 0 {
		t.Fatalf("%d consent requests (%v), want none", asked, err)
	}
	late := service(pool, &clock{at: ed.Schedule.ApplicationDeadline.Add(time.Hour)})
	_, err = late.Create(ctx, ana, ed, cat, thirdParty("kim"))
	if f, ok := fault.As(err); !errors.Is(err, nomination.ErrNominationsClosed) || !ok || !strings.HasPrefix(f.Message, "The deadline for nominations passed on ") {
		t.Fatalf("late create: %v", err)
	}
}

// stored loads owner's nomination id as stored: its application and its facts.
func stored(t *testing.T, pool *pgxpool.Pool, owner, id int64) (application.Application, nomination.Nomination) {
	t.Helper()
	a, err := application.LoadEntry(context.Background(), pool, owner, id)
	if err != nil {
		t.Fatal(err)
	}
	n, err := nomination.Get(context.Background(), pool, owner, id)
	if err != nil {
		t.Fatal(err)
	}
	return a, n
}
