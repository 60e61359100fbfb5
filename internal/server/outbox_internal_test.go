package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/authz"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/notifytest"
)

// outboxServer is a server on a fresh database, without sessions: the actor of a request is the
// one put in its context, so each test request says who makes it.
func outboxServer(t *testing.T, env map[string]string) (*Server, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)
	return New(Deps{
		Config: testConfig(t, env), Pool: pool, Outbox: notify.NewOutbox(pool), Secrets: internalTestKeys(t),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}), pool
}

var (
	outboxAdmin     = authz.Actor{UserID: 1, Name: "Ada Admin", EmailVerified: true, Grants: []authz.Grant{{Role: authz.RoleAdmin}}}
	outboxApplicant = authz.Actor{UserID: 2, Name: "Ann Applicant", EmailVerified: true, Grants: []authz.Grant{{Role: authz.RoleApplicant, EditionID: 1}}}
	outboxSecretary = authz.Actor{UserID: 3, Name: "Sam Secretariat", EmailVerified: true, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: 1}}}
)

func getAs(t *testing.T, s *Server, path string, actor authz.Actor) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req = req.WithContext(authz.WithActor(req.Context(), actor))
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec.Result(), rec.Body.String()
}

func queueOutbox(t *testing.T, pool *pgxpool.Pool, m notify.Message) int64 {
	t.Helper()
	return notifytest.Queue(t, pool, m)
}

func TestOutboxIsForAdminsOnly(t *testing.T) {
	t.Parallel()
	s, pool := outboxServer(t, nil)
	id := queueOutbox(t, pool, notify.Message{To: "a@example.org", Subject: "Hello", Text: "Hi", Kind: "test"})
	for _, path := range []string{"/admin/outbox", fmt.Sprintf("/admin/outbox/%d", id)} {
		res, _ := getAs(t, s, path, authz.Actor{})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin?next=") {
			t.Errorf("anonymous %s: %d %s, want a redirect to sign in", path, res.StatusCode, res.Header.Get("Location"))
		}
		for _, a := range []authz.Actor{outboxApplicant, outboxSecretary} {
			res, body := getAs(t, s, path, a)
			if res.StatusCode != http.StatusForbidden || strings.Contains(body, "Hello") {
				t.Errorf("%s %s: %d, want 403 without the message", a.Name, path, res.StatusCode)
			}
		}
		if res, _ := getAs(t, s, path, outboxAdmin); res.StatusCode != http.StatusOK {
			t.Errorf("admin %s: %d, want 200", path, res.StatusCode)
		}
	}
}

func TestOutboxListShowsStatusNewestFirstAndPaginates(t *testing.T) {
	t.Parallel()
	s, pool := outboxServer(t, nil)
	ctx := context.Background()
	// 120 messages a minute apart: "Subject 1" is the newest.
	_, err := pool.Exec(ctx, `
		INSERT INTO email_outbox (to_address, to_name, subject, html_body, text_body, kind, created_at)
		SELECT 'p' || i || '@example.org', 'Person ' || i, 'Subject ' || i, '', 'text', 'bulk',
		       now() - make_interval(mins => i)
		FROM generate_series(1, 120) AS i`)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{
		`UPDATE email_outbox SET sent_at = now(), attempts = 2 WHERE subject = 'Subject 1'`,
		`UPDATE email_outbox SET attempts = 3, last_error = 'dial tcp: connection refused' WHERE subject = 'Subject 2'`,
		fmt.Sprintf(`UPDATE email_outbox SET attempts = %d, last_error = '550 mailbox unavailable' WHERE subject = 'Subject 3'`, notify.MaxAttempts),
	} {
		if _, err := pool.Exec(ctx, u); err != nil {
			t.Fatal(err)
		}
	}

	res, body := getAs(t, s, "/admin/outbox", outboxAdmin)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("page 1: %d", res.StatusCode)
	}
	for _, want := range []string{
		"Email outbox", "Messages 1 to 50 of 120", "Page 1 of 3", `href="/admin/outbox?page=2"`,
		"Person 1 &lt;p1@example.org&gt;", "Subject 50", "Times are in UTC.", "UTC</time>",
		"Sent", "(attempt 2)",
		"3 attempts failed, will retry. Last error: dial tcp: connection refused",
		fmt.Sprintf("Gave up after %d attempts. Last error: 550 mailbox unavailable", notify.MaxAttempts),
		"No mail server is configured",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page 1 lacks %q", want)
		}
	}
	if strings.Contains(body, "Subject 51<") || strings.Contains(body, "Previous page") {
		t.Error("page 1 shows the second page's messages or a previous link")
	}
	if strings.Index(body, "Subject 1<") > strings.Index(body, "Subject 2<") {
		t.Error("page 1 is not newest first")
	}

	_, body = getAs(t, s, "/admin/outbox?page=3", outboxAdmin)
	for _, want := range []string{"Messages 101 to 120 of 120", "Subject 120", `href="/admin/outbox?page=2"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page 3 lacks %q", want)
		}
	}
	if strings.Contains(body, "Next page") || strings.Contains(body, "Subject 100<") {
		t.Error("the last page has a next link or the previous page's messages")
	}
	for _, bad := range []string{"/admin/outbox?page=4", "/admin/outbox?page=0", "/admin/outbox?page=x"} {
		if res, _ := getAs(t, s, bad, outboxAdmin); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", bad, res.StatusCode)
		}
	}
}

func TestOutboxMessageShowsTextAndEscapedHTML(t *testing.T) {
	t.Parallel()
	s, pool := outboxServer(t, map[string]string{"PORTAL_SMTP_URL": "smtp://127.0.0.1:1025?tls=none"})
	def, err := edition.ParseBuiltin("seoul-2023")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := edition.Import(context.Background(), pool, def); err != nil {
		t.Fatal(err)
	}
	id := queueOutbox(t, pool, notify.Message{
		To: "ada@example.org", ToName: "Ada", Kind: "verify-email", Subject: "Confirm your email address",
		HTML: templ.Raw(`<p>Hi</p><script>alert("x")</script>`),
		Text: "Open https://prize.example.org/verify/abc\n<b>not bold</b>",
	})
	res, body := getAs(t, s, fmt.Sprintf("/admin/outbox/%d", id), outboxAdmin)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{
		"<h1>Confirm your email address</h1>", "Ada &lt;ada@example.org&gt;", "verify-email", "Pending", "Not tried yet",
		"KST", // the current edition's time zone
		`<pre class="email-body" tabindex="0">Open https://prize.example.org/verify/abc` + "\n&lt;b&gt;not bold&lt;/b&gt;</pre>",
		"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("message page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, "<b>not bold") {
		t.Error("the message's HTML was injected into the page")
	}
	if strings.Contains(body, "No mail server is configured") {
		t.Error("the log-only notice shows although PORTAL_SMTP_URL is set")
	}
	_, list := getAs(t, s, "/admin/outbox", outboxAdmin)
	if !strings.Contains(list, "Times are in Asia/Seoul (KST, UTC+09:00).") || strings.Contains(list, "No mail server is configured") {
		t.Error("the list does not name the edition's time zone, or shows the log-only notice")
	}
	for _, bad := range []string{"/admin/outbox/999999", "/admin/outbox/abc", "/admin/outbox/0"} {
		if res, _ := getAs(t, s, bad, outboxAdmin); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", bad, res.StatusCode)
		}
	}
}

// The outbox shows when each message is planned to go out, with the zone: an announcement email
// at its edition's date as the schedule says it now, so moving the date shows the new time.
func TestOutboxShowsPlannedTimes(t *testing.T) {
	t.Parallel()
	s, pool := outboxServer(t, nil)
	ed := editiontest.Import(t, pool, "seoul-2023")[0]
	queueOutbox(t, pool, notify.Message{To: "now@example.org", Subject: "Welcome", Text: "Hi", Kind: "test"})
	outcome := notify.Message{To: "entry@example.org", Subject: "Round 1 outcome", Text: "Eligible", Kind: "screening-outcome",
		Announces: notify.At(ed.ID, edition.ScreeningEnd, ed.Schedule.Screening.Start)}
	id := queueOutbox(t, pool, outcome)
	_, list := getAs(t, s, "/admin/outbox", outboxAdmin)
	for _, want := range []string{"<th scope=\"col\">Planned</th>", "At once", "1 Jul 2023, 00:00:00 KST, at the end of the screening"} {
		if !strings.Contains(list, want) {
			t.Errorf("the outbox lacks %q", want)
		}
	}
	if _, err := pool.Exec(context.Background(), `UPDATE editions SET screening_end = screening_end - interval '10 days' WHERE id = $1`, ed.ID); err != nil {
		t.Fatal(err)
	}
	_, page := getAs(t, s, fmt.Sprintf("/admin/outbox/%d", id), outboxAdmin)
	if !strings.Contains(page, "21 Jun 2023, 00:00:00 KST, at the end of the screening") {
		t.Errorf("the message page does not show the planned time moved with the screening end:\n%s", page)
	}
}
