package application_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
)

func TestDeadlineGraceAndExtension(t *testing.T) {
	t.Parallel()
	official := time.Date(2023, 5, 31, 14, 59, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := official.Add(d); return &t }
	cases := []struct {
		name      string
		grace     time.Duration
		ext       *time.Time
		deadline  time.Time
		published time.Time
	}{
		{"official", 0, nil, official, official},
		{"grace", 15 * time.Minute, nil, official.Add(15 * time.Minute), official},
		{"extension", 0, at(48 * time.Hour), official.Add(48 * time.Hour), official.Add(48 * time.Hour)},
		{"extension after the grace period", 15 * time.Minute, at(time.Hour), official.Add(time.Hour), official.Add(time.Hour)},
		{"extension within the grace period", time.Hour, at(10 * time.Minute), official.Add(time.Hour), official.Add(10 * time.Minute)},
	}
	for _, c := range cases {
		s := edition.Schedule{ApplicationDeadline: official, GracePeriod: c.grace}
		a := application.Application{ExtendedUntil: c.ext}
		d := application.Deadline(s, a)
		if !d.Equal(c.deadline) {
			t.Errorf("%s: Deadline = %v, want %v", c.name, d, c.deadline)
		}
		if p := application.PublishedDeadline(s, a); !p.Equal(c.published) {
			t.Errorf("%s: PublishedDeadline = %v, want %v", c.name, p, c.published)
		}
		// At the second: open one second before, closed at the deadline itself.
		if !application.Open(d.Add(-time.Second), d) || application.Open(d, d) || application.Open(d.Add(time.Second), d) {
			t.Errorf("%s: Open is not decided at the second", c.name)
		}
	}
}

func TestExtensionsStoreAndSecretariatFilter(t *testing.T) {
	t.Parallel()
	pool := setup(t)
	ctx := context.Background()
	kim, lee := applicant(t, pool, "kim"), applicant(t, pool, "lee")
	for _, id := range []int64{kim, lee} {
		a, err := application.Load(ctx, pool, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := application.Save(ctx, pool, a, 0, form.Answers{"project_title": {Text: "Project"}}, now); err != nil {
			t.Fatal(err)
		}
	}
	ed := editiontest.BySlug(t, pool, "seoul-2023")
	staff := applicant(t, pool, "staff")
	dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, staff, ed.ID)
	other := applicant(t, pool, "other") // holds no secretariat role
	kimApp, _ := application.Load(ctx, pool, kim)

	if err := application.GrantExtension(ctx, pool, kimApp.ID, application.Extension{Until: ed.Schedule.ApplicationDeadline,
		Reason: "r", GrantedBy: staff, GrantedAt: now}, ed.Schedule); !errors.Is(err, application.ErrNotAfterDeadline) {
		t.Fatalf("extension at the deadline: %v, want ErrNotAfterDeadline", err)
	}
	until := ed.Schedule.ApplicationDeadline.Add(72 * time.Hour)
	if err := application.GrantExtension(ctx, pool, kimApp.ID, application.Extension{Until: until, Reason: "power cut",
		GrantedBy: staff, GrantedAt: now}, ed.Schedule); err != nil {
		t.Fatal(err)
	}
	got, _ := application.Load(ctx, pool, kim)
	if got.ExtendedUntil == nil || !got.ExtendedUntil.Equal(until) || !application.Deadline(ed.Schedule, got).Equal(until) {
		t.Fatalf("kim's extension = %v, want %v", got.ExtendedUntil, until)
	}
	if leeApp, _ := application.Load(ctx, pool, lee); leeApp.ExtendedUntil != nil {
		t.Fatalf("lee has an extension: %v", leeApp.ExtendedUntil)
	}

	list, err := application.ListForSecretariat(ctx, pool, staff, ed.ID, 1)
	if err != nil || list.Total != 2 || len(list.Rows) != 2 {
		t.Fatalf("secretariat list = %+v, %v; want 2 applications", list, err)
	}
	if r := list.Rows[0]; r.Applicant != "kim" || r.Extension == nil || r.Extension.Reason != "power cut" {
		t.Fatalf("first row = %+v, want kim with the extension", r)
	}
	if list, err := application.ListForSecretariat(ctx, pool, other, ed.ID, 1); err != nil || list.Total != 0 || len(list.Rows) != 0 {
		t.Fatalf("list for a non-secretariat user = %+v, %v; want nothing", list, err)
	}
	if _, err := application.ForSecretariat(ctx, pool, other, kimApp.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("one application for a non-secretariat user: %v, want db.ErrNotFound", err)
	}

	if err := application.RevokeExtension(ctx, pool, kimApp.ID); err != nil {
		t.Fatal(err)
	}
	if err := application.RevokeExtension(ctx, pool, kimApp.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("second revoke: %v, want db.ErrNotFound", err)
	}
	if got, _ := application.Load(ctx, pool, kim); got.ExtendedUntil != nil {
		t.Fatalf("extension after revoking: %v", got.ExtendedUntil)
	}
}
