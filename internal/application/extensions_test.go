package application_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

// TestExtensionsService: the secretariat grants an extension after the deadline, with a
// reason, audited and emailed in one transaction; revokes it once; nobody else does either.
func TestExtensionsService(t *testing.T) {
	t.Parallel()
	pool := setup(t)
	ctx := context.Background()
	kim, _, id := draft(t, pool, "kim", "Project")
	ed := editiontest.BySlug(t, pool, "seoul-2023")
	staff := applicant(t, pool, "staff")
	dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, staff, ed.ID)
	sec := authz.Actor{UserID: staff, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: ed.ID}}}
	x := application.NewExtensions(pool, notify.NewOutbox(pool), emails.Site{BaseURL: "https://portal.example"}, func() time.Time { return now })
	count := func(sql string) int {
		var n int
		if err := pool.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	if _, got, err := application.LoadForSecretariat(ctx, pool, sec, id); err != nil || got.ID != ed.ID {
		t.Fatalf("load for the secretariat: %v", err)
	}
	if _, _, err := application.LoadForSecretariat(ctx, pool, authz.Actor{UserID: kim}, id); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("load for the applicant: %v", err)
	}
	var errs field.Errors
	early := ed.Schedule.ApplicationDeadline.In(ed.TimeZone).Format(application.ExtensionLayout)
	if _, err := x.Grant(ctx, sec, ed, id, application.ExtensionRequest{Until: early}); !errors.As(err, &errs) ||
		errs.Get("until") == "" || errs.Get("reason") == "" {
		t.Fatalf("an extension to the deadline without a reason: %v", err)
	}
	later := ed.Schedule.ApplicationDeadline.Add(72 * time.Hour)
	in := application.ExtensionRequest{Until: later.In(ed.TimeZone).Format(application.ExtensionLayout), Reason: "power cut"}
	if _, err := x.Grant(ctx, authz.Actor{UserID: kim}, ed, id, in); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("the applicant grants: %v", err)
	}
	until, err := x.Grant(ctx, sec, ed, id, in)
	if err != nil || !until.Equal(later) {
		t.Fatalf("grant: %v %v", until, err)
	}
	if got, _ := application.Load(ctx, pool, kim); got.ExtendedUntil == nil || !got.ExtendedUntil.Equal(later) {
		t.Fatalf("stored extension: %v", got.ExtendedUntil)
	}
	if err := x.Revoke(ctx, sec, ed, id); err != nil {
		t.Fatal(err)
	}
	if err := x.Revoke(ctx, sec, ed, id); !errors.Is(err, application.ErrNoExtension) {
		t.Fatalf("second revoke: %v", err)
	}
	if n := count(`SELECT count(*) FROM audit_log WHERE action IN ('application.extension.grant', 'application.extension.revoke')`); n != 2 {
		t.Fatalf("audit entries: %d", n)
	}
	if n := count(`SELECT count(*) FROM email_outbox WHERE kind = 'application-extension' AND to_address = 'kim@example.org'`); n != 2 {
		t.Fatalf("emails: %d", n)
	}
}
