package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
)

// seoulDeadline is the seoul-2023 application deadline: 31 May 2023, 23:59 in Seoul (14:59 UTC).
var seoulDeadline = time.Date(2023, 5, 31, 14, 59, 0, 0, time.UTC)

// newEnvWithGrace starts a portal at now with seoul-2023 imported with a grace period.
func newEnvWithGrace(t *testing.T, now time.Time, grace string) *env {
	t.Helper()
	e := newEnvAt(t, now, nil)
	def, err := edition.ParseBuiltin("seoul-2023")
	if err != nil {
		t.Fatal(err)
	}
	def.Schedule.GracePeriod = grace
	if _, err := edition.Import(context.Background(), e.pool, def); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestGracePeriodIsEnforcedButNotShown(t *testing.T) {
	t.Parallel()
	e := newEnvWithGrace(t, seoulDeadline.Add(14*time.Minute+59*time.Second), "15m")
	kim := applicantUser(t, e, "kim", true)
	saveAnswers(t, e, kim, completeAnswers(t, e))
	c := e.signedInClient(t, kim)
	r := c.get("/application")
	if r.status != 200 || !strings.Contains(r.body, `<time datetime="2023-05-31T14:59:00Z">31 May 2023, 23:59 KST</time>`) ||
		!strings.Contains(r.body, "31 May 2023, 14:59 UTC") || strings.Contains(r.body, "00:14") || strings.Contains(r.body, "read-only") {
		t.Fatalf("overview in the grace period: %d, want the official deadline, open\n%s", r.status, r.body)
	}
	if r := c.post("/application/submit", url.Values{"version": {"1"}}); r.status != 303 {
		t.Fatalf("submit in the grace period: %d %s", r.status, r.body)
	}
	r = c.postMultipart("/application/sections/project", url.Values{"version": {"1"}, "q.summary": {"just in time"}})
	if r.status != 303 || storedApplication(t, e, kim).Answers["summary"].Text != "just in time" {
		t.Fatalf("save in the grace period: %d", r.status)
	}

	// At the end of the grace period, to the second, everything is refused.
	late := newEnvOn(t, e.pool, seoulDeadline.Add(15*time.Minute), nil)
	lc := late.signedInClient(t, kim)
	if r := lc.postMultipart("/application/sections/project", url.Values{"version": {"2"}, "q.summary": {"late"}}); r.status != 403 {
		t.Fatalf("save at the end of the grace period: %d", r.status)
	}
	if r := lc.post("/application/withdraw", nil); r.status != 403 || storedApplication(t, e, kim).Status != application.Submitted {
		t.Fatalf("withdraw at the end of the grace period: %d", r.status)
	}
	if r := lc.get("/application/sections/project"); strings.Contains(r.body, `enctype="multipart/form-data"`) {
		t.Fatal("the section is still a form after the grace period")
	}
}

// grantExtension posts the secretariat's extension form for the application of owner.
func grantExtension(t *testing.T, e *env, staff *client, owner int64, values url.Values) reply {
	t.Helper()
	return staff.post(fmt.Sprintf("/secretariat/applications/%d/extension", storedApplication(t, e, owner).ID), values)
}

func TestSecretariatExtensionReopensOneApplication(t *testing.T) {
	t.Parallel()
	after := seoulDeadline.Add(time.Hour)
	e := newEnvAt(t, after, nil, "seoul-2023")
	kim, lee := applicantUser(t, e, "kim", true), applicantUser(t, e, "lee", true)
	saveAnswers(t, e, kim, completeAnswers(t, e))
	saveAnswers(t, e, lee, completeAnswers(t, e))
	sec := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))

	r := sec.get("/secretariat/applications")
	if r.status != 200 || !strings.Contains(r.body, "Applicant kim") || !strings.Contains(r.body, "Applicant lee") {
		t.Fatalf("secretariat list: %d\n%s", r.status, r.body)
	}

	// A reason is required, and the time must be after the deadline; what was typed is kept.
	r = grantExtension(t, e, sec, kim, url.Values{"until": {"2023-06-03T18:00"}, "reason": {"  "}})
	if r.status != 422 || !strings.Contains(r.body, "Enter the reason for the extension.") || !strings.Contains(r.body, `value="2023-06-03T18:00"`) {
		t.Fatalf("extension without a reason: %d\n%s", r.status, r.body)
	}
	r = grantExtension(t, e, sec, kim, url.Values{"until": {"2023-05-31T23:00"}, "reason": {"power cut"}})
	if r.status != 422 || !strings.Contains(r.body, "Choose a time after the application deadline") {
		t.Fatalf("extension before the deadline: %d\n%s", r.status, r.body)
	}
	if storedApplication(t, e, kim).ExtendedUntil != nil {
		t.Fatal("a refused extension was stored")
	}

	// Granted until 3 June 2023, 18:00 in Seoul (09:00 UTC).
	r = grantExtension(t, e, sec, kim, url.Values{"until": {"2023-06-03T18:00"}, "reason": {"Power cut in the city on the deadline day"}})
	if r.status != 303 {
		t.Fatalf("grant: %d\n%s", r.status, r.body)
	}
	until := time.Date(2023, 6, 3, 9, 0, 0, 0, time.UTC)
	if got := storedApplication(t, e, kim).ExtendedUntil; got == nil || !got.Equal(until) {
		t.Fatalf("stored extension %v, want %v", got, until)
	}
	ctx := context.Background()
	var audited int
	e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'application.extension.grant'
		AND details->>'reason' = 'Power cut in the city on the deadline day'`).Scan(&audited)
	if audited != 1 {
		t.Fatalf("%d audit entries for the grant, want 1", audited)
	}
	var to, text string
	if err := e.pool.QueryRow(ctx, `SELECT to_address, text_body FROM email_outbox WHERE kind = 'application-extension'`).Scan(&to, &text); err != nil {
		t.Fatal(err)
	}
	if to != "kim@example.org" || !strings.Contains(text, "3 June 2023, 18:00 KST (Asia/Seoul time") {
		t.Fatalf("extension email to %s:\n%s", to, text)
	}
	if r := sec.get("/secretariat/applications"); !strings.Contains(r.body, "Until 3 June 2023, 18:00 KST") {
		t.Fatalf("the list does not show the extension:\n%s", r.body)
	}

	// Kim may save and submit again; the overview shows the extended deadline.
	kc := e.signedInClient(t, kim)
	r = kc.get("/application")
	if !strings.Contains(r.body, "Your deadline (extended)") || !strings.Contains(r.body, `<time datetime="2023-06-03T09:00:00Z">3 June 2023, 18:00 KST</time>`) {
		t.Fatalf("kim's overview does not show the extension:\n%s", r.body)
	}
	if r := kc.post("/application/submit", url.Values{"version": {"1"}}); r.status != 303 || storedApplication(t, e, kim).Status != application.Submitted {
		t.Fatalf("kim's submit with an extension: %d %s", r.status, r.body)
	}
	if r := kc.postMultipart("/application/sections/project", url.Values{"version": {"1"}, "q.summary": {"extended"}}); r.status != 303 {
		t.Fatalf("kim's save with an extension: %d", r.status)
	}
	// Lee may not.
	lc := e.signedInClient(t, lee)
	if r := lc.postMultipart("/application/sections/project", url.Values{"version": {"1"}, "q.summary": {"late"}}); r.status != 403 {
		t.Fatalf("lee's save after the deadline: %d", r.status)
	}
	if r := lc.post("/application/submit", url.Values{"version": {"1"}}); r.status != 403 {
		t.Fatalf("lee's submit after the deadline: %d", r.status)
	}

	// Once the extension ends, to the second, kim is locked out too.
	ended := newEnvOn(t, e.pool, until, nil)
	if r := ended.signedInClient(t, kim).post("/application/withdraw", nil); r.status != 403 {
		t.Fatalf("withdraw at the end of the extension: %d", r.status)
	}

	// Revoking tells kim by email and locks the application again.
	if r := grantExtension(t, e, sec, kim, url.Values{"action": {"revoke"}}); r.status != 303 {
		t.Fatalf("revoke: %d", r.status)
	}
	if storedApplication(t, e, kim).ExtendedUntil != nil {
		t.Fatal("the extension is still stored after revoking")
	}
	var mails int
	e.pool.QueryRow(ctx, `SELECT count(*) FROM email_outbox WHERE kind = 'application-extension' AND to_address = 'kim@example.org'`).Scan(&mails)
	if mails != 2 {
		t.Fatalf("%d extension emails, want 2 (grant and revoke)", mails)
	}
	if r := kc.postMultipart("/application/sections/project", url.Values{"version": {"2"}, "q.summary": {"again"}}); r.status != 403 {
		t.Fatalf("save after revoking: %d", r.status)
	}
}

func TestSecretariatPagesNeedTheEditionsSecretariat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	kim := applicantUser(t, e, "kim", true)
	saveAnswers(t, e, kim, completeAnswers(t, e))
	path := fmt.Sprintf("/secretariat/applications/%d/extension", storedApplication(t, e, kim).ID)
	for _, role := range []string{"admin", "evaluator", "council"} {
		c := e.signedInClient(t, matrixUser(t, e, role+"-user", role))
		for _, r := range []reply{c.get("/secretariat/applications"), c.get(path),
			c.post(path, url.Values{"until": {"2023-06-03T18:00"}, "reason": {"x"}})} {
			if r.status != 403 {
				t.Errorf("%s: status %d, want 403", role, r.status)
			}
		}
	}
	if storedApplication(t, e, kim).ExtendedUntil != nil {
		t.Fatal("an extension was granted by someone outside the secretariat")
	}
	// The secretariat of another edition gets nothing either.
	def, err := edition.ParseBuiltin("seoul-2024")
	if err != nil {
		t.Fatal(err)
	}
	res, err := edition.Import(context.Background(), e.pool, def)
	if err != nil {
		t.Fatal(err)
	}
	other := matrixUser(t, e, "sec-2024", "applicant")
	dbtest.Exec(t, e.pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, other, res.EditionID)
	c := e.signedInClient(t, other)
	if r := c.get(path); r.status != 404 && r.status != 403 {
		t.Fatalf("secretariat of another edition opening the extension page: %d", r.status)
	}
	if r := c.get("/secretariat/applications"); r.status != 200 || strings.Contains(r.body, "Applicant kim") {
		t.Fatalf("secretariat of another edition sees the list: %d\n%s", r.status, r.body)
	}
}
