package server

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
	"prizeportal/internal/tools/logbuf"
)

// TestRequestLogsKeepNoToken requests every route whose path carries a private-link token (and
// the registration page with an invitation token in its query), and makes one of them fail with
// a server error: neither the access log nor the error log may contain a token, and the access
// log names the route instead.
func TestRequestLogsKeepNoToken(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	var logs logbuf.Buffer
	cfg := testConfig(t, nil)
	sessions, stop := NewSessions(cfg, pool)
	t.Cleanup(stop)
	s := New(Deps{Config: cfg, Pool: pool, Sessions: sessions, Outbox: notify.NewOutbox(pool), Secrets: internalTestKeys(t),
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	var tokens []string
	for _, route := range s.Routes() {
		method, pattern, _ := strings.Cut(route, " ")
		if !strings.Contains(pattern, "{token}") {
			continue
		}
		tok := rand.Text()
		tokens = append(tokens, tok)
		req := httptest.NewRequest(method, strings.Replace(pattern, "{token}", tok, 1), strings.NewReader("password=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		s.ServeHTTP(httptest.NewRecorder(), req)
		if want := "route=" + pattern; !strings.Contains(logs.String(), want) {
			t.Errorf("%s: the access log lacks %q", route, want)
		}
	}
	if len(tokens) < 12 {
		t.Fatalf("found %d token routes, want at least 12 (six pages, GET and POST)", len(tokens))
	}
	tok := rand.Text()
	tokens = append(tokens, tok)
	s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/register?invitation="+tok, nil))

	tok = rand.Text()
	tokens = append(tokens, tok)
	s.serveError(httptest.NewRecorder(), httptest.NewRequest("POST", "/password/reset/"+tok, nil), errors.New("boom"))
	if !strings.Contains(logs.String(), "request failed") {
		t.Error("the server error was not logged")
	}

	out := logs.String()
	for _, tok := range tokens {
		if strings.Contains(out, tok) {
			t.Errorf("the log contains the token %s:\n%s", tok, out)
		}
	}
}

// TestOutboxPagesShowNoToken: the admin outbox shows a message's bodies with every private
// link's token redacted, while the message is still pending too.
func TestOutboxPagesShowNoToken(t *testing.T) {
	t.Parallel()
	s, pool := outboxServer(t, map[string]string{"PORTAL_SMTP_URL": "smtp://127.0.0.1:1025?tls=none"})
	verify, reset, invite := rand.Text(), rand.Text(), rand.Text()
	id := queueOutbox(t, pool, notify.Message{
		To: "ada@example.org", ToName: "Ada", Kind: "verify-email", Subject: "Confirm your email address",
		HTML: templ.Raw(`<p><a href="https://prize.example.org/verify/` + verify + `">Confirm</a></p>` +
			`<p><a href="https://prize.example.org/register?invitation=` + invite + `&amp;x=1">Register</a></p>`),
		Text: "Open https://prize.example.org/verify/" + verify + "\nor https://prize.example.org/password/reset/" + reset,
	})
	res, body := getAs(t, s, fmt.Sprintf("/admin/outbox/%d", id), outboxAdmin)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, tok := range []string{verify, reset, invite} {
		if strings.Contains(body, tok) {
			t.Errorf("the outbox page shows the token %s", tok)
		}
	}
	for _, want := range []string{"https://prize.example.org/verify/", "https://prize.example.org/password/reset/", "Pending"} {
		if !strings.Contains(body, want) {
			t.Errorf("the outbox page lacks %q", want)
		}
	}
}
