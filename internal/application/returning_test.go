package application_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

// TestEntriesPerEdition: an account holds one project entry per edition. Its 2023 entry stays
// where it was; once it registered in 2024, the application it works on is the 2024 one, a second
// project entry in one edition is refused, and every write to the 2023 entry is refused by the
// service (read-only), while the 2024 entry is saved.
func TestEntriesPerEdition(t *testing.T) {
	t.Parallel()
	w := newSvcWorld(t)
	ctx := context.Background()
	kim := w.kim.UserID
	title := func(s string) application.Edit {
		return application.Edit{Answers: form.Answers{"project_title": {Text: s}}}
	}
	old, err := application.Load(ctx, w.pool, kim)
	if err != nil {
		t.Fatal(err)
	}
	old, err = w.svc.SaveSection(ctx, w.kim, old, w.ed.Schedule, 0, title("Seoul 2023"))
	if err != nil {
		t.Fatal(err)
	}

	next := editiontest.ImportNextYear(t, w.pool, "seoul-2023")
	cat, _ := next.Category("human-centricity")
	if _, err := w.pool.Exec(ctx, `INSERT INTO edition_registrations (user_id, edition_id, category_id, terms_version, terms_accepted_at)
		VALUES ($1, $2, $3, '2023-1', now())`, kim, next.ID, cat.ID); err != nil {
		t.Fatal(err)
	}
	svc := application.NewService(w.pool, notify.NewOutbox(w.pool), emails.Site{BaseURL: "https://prize.example"},
		func() time.Time { return now.AddDate(1, 0, 0) }, w.storage)

	// The application worked on is now the 2024 one, not saved yet, in its own category.
	cur, err := application.Load(ctx, w.pool, kim)
	if err != nil || cur.ID != 0 || cur.EditionID != next.ID || cur.CategoryID != cat.ID {
		t.Fatalf("current application: %+v, %v", cur, err)
	}
	cur, err = svc.SaveSection(ctx, w.kim, cur, next.Schedule, 0, title("Seoul 2024"))
	if err != nil {
		t.Fatal(err)
	}
	if cur.ID == old.ID || cur.EditionID != next.ID {
		t.Fatalf("2024 entry: %+v", cur)
	}

	// A second project entry in the same edition is refused, by the save and by the index.
	if _, _, err := application.Save(ctx, w.pool, application.Application{UserID: kim, EditionID: next.ID, CategoryID: cat.ID},
		0, form.Answers{}, now); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("second entry in 2024: %v, want db.ErrConflict", err)
	}
	if _, err := w.pool.Exec(ctx, `INSERT INTO applications (user_id, edition_id, category_id) VALUES ($1, $2, $3)`,
		kim, next.ID, cat.ID); !db.IsUniqueViolation(err) {
		t.Fatalf("second entry inserted: %v, want a unique violation", err)
	}

	// The 2023 entry is read-only, even with a deadline extension that would leave it open.
	past, err := application.LoadEntry(ctx, w.pool, kim, old.ID)
	if err != nil || !past.Past || past.Answers["project_title"].Text != "Seoul 2023" {
		t.Fatalf("2023 entry: %+v, %v", past, err)
	}
	if cur.Past {
		t.Fatal("the 2024 entry is marked past")
	}
	if _, err := w.pool.Exec(ctx, `INSERT INTO application_extensions (application_id, until, reason, granted_by, granted_at)
		VALUES ($1, $2, 'test', $3, $4)`, old.ID, now.AddDate(2, 0, 0), kim, now); err != nil {
		t.Fatal(err)
	}
	past, _ = application.LoadEntry(ctx, w.pool, kim, old.ID)
	if _, err := svc.SaveSection(ctx, w.kim, past, w.ed.Schedule, past.Version, title("changed")); !errors.Is(err, application.ErrPastEdition) {
		t.Fatalf("save of the 2023 entry: %v, want ErrPastEdition", err)
	}
	e, err := svc.Owned(ctx, kim, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e.Open(now.AddDate(1, 0, 0)) {
		t.Error("the 2023 entry is open")
	}
	if _, err := svc.Submit(ctx, w.kim, e, past.Version); !errors.Is(err, application.ErrPastEdition) {
		t.Fatalf("submit of the 2023 entry: %v, want ErrPastEdition", err)
	}
	if err := svc.Withdraw(ctx, w.kim, past, w.ed.Schedule); !errors.Is(err, application.ErrPastEdition) {
		t.Fatalf("withdraw of the 2023 entry: %v, want ErrPastEdition", err)
	}
	if a, _ := application.LoadEntry(ctx, w.pool, kim, old.ID); a.Version != old.Version || a.Answers["project_title"].Text != "Seoul 2023" {
		t.Fatalf("the 2023 entry changed: %+v", a)
	}
}
