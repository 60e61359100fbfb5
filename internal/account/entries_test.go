package account_test

import (
	"errors"
	"testing"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition/editiontest"
)

// TestStartEntryInTheNextEdition: an account registered in 2023 starts an entry in the 2024
// edition once it is open, with its profile corrected; each edition records the terms accepted
// for it; a second registration in one edition, a category closed to the entity type, a draft
// edition and a closed one are refused.
func TestStartEntryInTheNextEdition(t *testing.T) {
	t.Parallel()
	f := newServiceFixture(t)
	ctx := f.ctx
	if _, err := f.svc.Register(ctx, f.ed, registration("seoul-city", "smart@seoul.example")); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := f.pool.QueryRow(ctx, `SELECT id FROM users WHERE login_id = 'seoul-city'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	actor := authz.Actor{UserID: id, EmailVerified: true}
	next := editiontest.ImportNextYear(t, f.pool, "seoul-2023")
	in := account.EntryInput{CategoryKey: "human-centricity", Name: "Min-jun Kim", Organisation: "Seoul Digital Foundation",
		Phone: "+82 2 120 0001", City: "Seoul", Country: "kr", AcceptTerms: true}

	// Before the 2024 edition opens, no new entry is offered nor taken.
	if _, err := account.EntryEdition(ctx, f.pool, id, *f.now); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("entry edition in 2023: %v, want db.ErrNotFound", err)
	}
	if _, err := f.svc.StartEntry(ctx, actor, next, in); !errors.Is(err, account.ErrRegistrationClosed) {
		t.Fatalf("start before the opening: %v, want ErrRegistrationClosed", err)
	}

	*f.now = time.Date(2024, 4, 2, 3, 0, 0, 0, time.UTC)
	// A draft edition is never offered to applicants.
	if _, err := f.pool.Exec(ctx, `UPDATE editions SET status = 'draft' WHERE id = $1`, next.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := account.EntryEdition(ctx, f.pool, id, *f.now); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("entry edition while a draft: %v, want db.ErrNotFound", err)
	}
	if _, err := f.svc.StartEntry(ctx, actor, next, in); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("start in a draft: %v, want db.ErrNotFound", err)
	}
	if _, err := f.pool.Exec(ctx, `UPDATE editions SET status = 'published' WHERE id = $1`, next.ID); err != nil {
		t.Fatal(err)
	}
	offered, err := account.EntryEdition(ctx, f.pool, id, *f.now)
	if err != nil || offered.ID != next.ID {
		t.Fatalf("entry edition: %v, %v; want %d", offered, err, next.ID)
	}

	// Eligibility as at registration: a city cannot enter Leadership; the profile is checked.
	bad := in
	bad.CategoryKey, bad.City, bad.AcceptTerms = "leadership", "", false
	var errs field.Errors
	if _, err := f.svc.StartEntry(ctx, actor, next, bad); !errors.As(err, &errs) ||
		errs.Get("category") == "" || errs.Get("city") == "" || errs.Get("terms") == "" || errs.Get("password") != "" {
		t.Fatalf("ineligible start: %v", err)
	}

	if _, err := f.svc.StartEntry(ctx, actor, next, in); err != nil {
		t.Fatal(err)
	}
	regs, err := account.Registrations(ctx, f.pool, id)
	if err != nil || len(regs) != 2 || regs[0].EditionID != next.ID || regs[1].EditionID != f.ed.ID {
		t.Fatalf("registrations: %+v, %v", regs, err)
	}
	for _, r := range regs {
		if r.TermsVersion != account.TermsVersion || r.TermsAcceptedAt.IsZero() {
			t.Errorf("terms of edition %d: %q at %v", r.EditionID, r.TermsVersion, r.TermsAcceptedAt)
		}
	}
	if !regs[0].TermsAcceptedAt.Equal(*f.now) {
		t.Errorf("2024 terms accepted at %v, want %v", regs[0].TermsAcceptedAt, *f.now)
	}
	u, err := account.ByID(ctx, f.pool, id)
	if err != nil || u.Organisation != "Seoul Digital Foundation" || u.Country != "KR" || *u.EditionID != f.ed.ID {
		t.Fatalf("profile: %+v, %v", u, err)
	}
	if n := dbtest.Count(t, f.pool, `SELECT count(*) FROM role_grants WHERE user_id = $1 AND role = 'applicant' AND edition_id = $2`, id, next.ID); n != 1 {
		t.Errorf("applicant grants in 2024: %d", n)
	}
	if n := dbtest.Count(t, f.pool, `SELECT count(*) FROM audit_log WHERE action = 'account.start_entry' AND actor_id = $1`, id); n != 1 {
		t.Errorf("audit entries: %d", n)
	}

	// One registration per edition; nothing more is offered.
	if _, err := f.svc.StartEntry(ctx, actor, next, in); !errors.Is(err, account.ErrAlreadyEntered) {
		t.Fatalf("second start: %v, want ErrAlreadyEntered", err)
	}
	if _, err := account.EntryEdition(ctx, f.pool, id, *f.now); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("entry edition after starting: %v, want db.ErrNotFound", err)
	}
}
