package wording_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var now = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

type world struct {
	pool    *pgxpool.Pool
	ed      *edition.Edition
	svc     *wording.Service
	manager authz.Actor
	other   authz.Actor // the secretariat: not a manager
}

func newWorld(t *testing.T) world {
	t.Helper()
	pool := dbtest.New(t)
	ed := editiontest.Import(t, pool, "seoul-2023")[0]
	user := func(login, role string) authz.Actor {
		var id int64
		if err := pool.QueryRow(context.Background(), `INSERT INTO users (login_id, email, name, password_hash)
			VALUES ($1, $1 || '@example.org', initcap($1), 'x') RETURNING id`, login).Scan(&id); err != nil {
			t.Fatal(err)
		}
		dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, $2, $3)`, id, role, ed.ID)
		return authz.Actor{UserID: id, Grants: []authz.Grant{{Role: authz.Role(role), EditionID: ed.ID}}}
	}
	return world{pool: pool, ed: ed, svc: &wording.Service{Pool: pool, Now: func() time.Time { return now }},
		manager: user("manager", "manager"), other: user("secretariat", "secretariat")}
}

func TestSaveResetAndAudit(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	key := "application-receipt"

	before, err := wording.Load(ctx, w.pool, w.manager, w.ed.ID, "en", key)
	if err != nil || before.Edited || before.Version != 0 {
		t.Fatalf("before = %+v, %v", before, err)
	}
	saved, err := w.svc.Save(ctx, w.manager, w.ed.ID, key, wording.Input{
		Subject: "  We have your entry, {{applicant_name}} ", Body: "Hello {{applicant_name}},\r\n\r\nThanks.", Version: 0})
	if err != nil {
		t.Fatal(err)
	}
	if !saved.Edited || saved.Version != 1 || saved.Subject != "We have your entry, {{applicant_name}}" ||
		saved.Body != "Hello {{applicant_name}},\n\nThanks." || saved.UpdatedBy != "Manager" {
		t.Fatalf("saved = %+v", saved)
	}
	var details string
	if err := w.pool.QueryRow(ctx, `SELECT details::text FROM audit_log WHERE action = 'email-wording.save'
		AND actor_id = $1 AND object_type = 'edition' AND object_id = $2::bigint::text`, w.manager.UserID, w.ed.ID).Scan(&details); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"key": "application-receipt"`, `"before": "default wording. Subject: Your application to the {{edition_name}} was received.`,
		`"after": "edited wording. Subject: We have your entry, {{applicant_name}}.`} {
		if !strings.Contains(details, want) {
			t.Errorf("audit details %s lack %s", details, want)
		}
	}

	// A second manager's form, opened before the save, meets a conflict.
	if _, err := w.svc.Save(ctx, w.manager, w.ed.ID, key, wording.Input{Subject: "Other", Body: "Other", Version: 0}); !errors.Is(err, wording.ErrChanged) {
		t.Fatalf("stale save: %v, want ErrChanged", err)
	}
	if _, err := w.svc.Reset(ctx, w.manager, w.ed.ID, "en", key, 0); !errors.Is(err, wording.ErrChanged) {
		t.Fatalf("stale reset: %v, want ErrChanged", err)
	}

	reset, err := w.svc.Reset(ctx, w.manager, w.ed.ID, "en", key, 1)
	if err != nil || reset.Edited || reset.Version != 2 {
		t.Fatalf("reset = %+v, %v", reset, err)
	}
	if s, _ := reset.Current(); s != before.Default.Subject {
		t.Fatalf("subject after reset = %q", s)
	}
	if n := dbtest.Count(t, w.pool, `SELECT count(*) FROM audit_log WHERE action = 'email-wording.reset'
		AND details->>'after' LIKE 'default wording.%' AND details->>'before' LIKE 'edited wording.%'`); n != 1 {
		t.Fatalf("%d reset audit entries, want 1", n)
	}
	// A form opened before the reset (version 1) cannot bring the old text back silently.
	if _, err := w.svc.Save(ctx, w.manager, w.ed.ID, key, wording.Input{Subject: "Old", Body: "Old", Version: 1}); !errors.Is(err, wording.ErrChanged) {
		t.Fatalf("save on the version before the reset: %v, want ErrChanged", err)
	}
	list, err := wording.List(ctx, w.pool, w.manager, w.ed.ID, "en")
	if err != nil || len(list) != len(wording.All()) {
		t.Fatalf("list = %d, %v", len(list), err)
	}
}

func TestSaveRefusesUnknownPlaceholders(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	_, err := w.svc.Save(ctx, w.manager, w.ed.ID, "application-receipt", wording.Input{
		Subject: "Hi {{aplicant_name}}", Body: "Until {{deadline}} {{ bad name }} {{link"})
	var errs field.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v, want field errors", err)
	}
	if s := errs.Get("subject"); !strings.Contains(s, "{{aplicant_name}}") {
		t.Errorf("subject error %q", s)
	}
	if b := errs.Get("body"); !strings.Contains(b, "{{ bad name }}") || !strings.Contains(b, `"{{" without`) || strings.Contains(b, "deadline") {
		t.Errorf("body error %q", b)
	}
	if n := dbtest.Count(t, w.pool, `SELECT count(*) FROM email_wordings`); n != 0 {
		t.Fatalf("%d rows saved", n)
	}
}

func TestOnlyManagersChangeWording(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	in := wording.Input{Subject: "S", Body: "B"}
	if _, err := w.svc.Save(ctx, w.other, w.ed.ID, "verify-email", in); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("secretariat save: %v", err)
	}
	// The rule is repeated in SQL: an actor claiming a grant it does not hold changes nothing.
	forged := authz.Actor{UserID: w.other.UserID, Grants: []authz.Grant{{Role: authz.RoleManager, EditionID: w.ed.ID}}}
	if _, err := w.svc.Save(ctx, forged, w.ed.ID, "verify-email", in); err == nil {
		t.Fatal("a forged grant saved")
	}
	if _, err := w.svc.Save(ctx, w.manager, w.ed.ID, "no-such-email", in); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("unknown key: %v", err)
	}
	if n := dbtest.Count(t, w.pool, `SELECT count(*) FROM email_wordings`); n != 0 {
		t.Fatalf("%d rows saved", n)
	}
}

// TestQueueUsesOverride: a message of an edition with an override is queued in the override,
// values filled (and escaped in the HTML part); without one, and for another edition, the
// message stays as built.
func TestQueueUsesOverride(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.svc.Save(ctx, w.manager, w.ed.ID, "application-receipt", wording.Input{
		Subject: "Got it, {{applicant_name}}", Body: "Dear {{applicant_name}},\n\nYour project {{project}} is in.\n\n{{link}}"}); err != nil {
		t.Fatal(err)
	}
	site := emails.Site{BaseURL: "https://prize.example"}
	values := wording.Values{wording.ApplicantName: "Kim\n<b>", wording.Project: "A & B", wording.Link: "https://prize.example/application"}
	queue := func(ed *edition.Edition) notify.Email {
		var id int64
		err := db.InTx(ctx, w.pool, func(tx pgx.Tx) error {
			var err error
			id, err = notify.NewOutbox(w.pool).Queue(ctx, tx, notify.Message{To: "kim@example.org", Kind: "application-receipt",
				Subject: "Default subject", Text: "Default text", Wording: site.Wording(ed, "application-receipt", values)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		m, err := notify.EmailByID(ctx, w.pool, id)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	m := queue(w.ed)
	if m.Subject != "Got it, Kim <b>" {
		t.Errorf("subject = %q", m.Subject)
	}
	if !strings.Contains(m.Text, "Dear Kim\n<b>,\n\nYour project A & B is in.\n\nhttps://prize.example/application\n\n-- \n") {
		t.Errorf("text = %q", m.Text)
	}
	if !strings.Contains(m.HTML, "Dear Kim<br> &lt;b&gt;,") || !strings.Contains(m.HTML, "A &amp; B") ||
		!strings.Contains(m.HTML, `<a href="https://prize.example/application"`) || strings.Contains(m.HTML, "<b>") {
		t.Errorf("html = %s", m.HTML)
	}
	if m := queue(nil); m.Subject != "Default subject" || m.Text != "Default text" {
		t.Errorf("without an edition: %q, %q", m.Subject, m.Text)
	}
	if _, err := w.svc.Reset(ctx, w.manager, w.ed.ID, "en", "application-receipt", 1); err != nil {
		t.Fatal(err)
	}
	if m := queue(w.ed); m.Subject != "Default subject" || m.Text != "Default text" {
		t.Errorf("after reset: %q, %q", m.Subject, m.Text)
	}
}
