package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/blocks/keyring"
)

// TestHealthLoadsNoSession: /healthz answers 200 while the database is unreachable even when the
// request carries a session cookie (health checks must not load sessions), and /readyz gives
// its own plain 503, not the session error page.
func TestHealthLoadsNoSession(t *testing.T) {
	t.Parallel()
	// Nothing listens on port 1: every query fails to connect, as with the database down.
	pool, err := pgxpool.New(context.Background(), "postgres://portal@127.0.0.1:1/portal?connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	cfg := testConfig(t, nil)
	sessions, stop := NewSessions(cfg, pool)
	t.Cleanup(stop)
	s := New(Deps{Config: cfg, Pool: pool, Sessions: sessions, Secrets: internalTestKeys(t), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	get := func(path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(&http.Cookie{Name: sessions.Cookie.Name, Value: "a-session-token-from-before"})
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	if rec := get("/healthz"); rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
		t.Fatalf("/healthz with a session cookie, database down: %d %q", rec.Code, rec.Body.String())
	}
	if rec := get("/readyz"); rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "database unreachable") {
		t.Fatalf("/readyz with a session cookie, database down: %d %q", rec.Code, rec.Body.String())
	}
	// Other pages load the session: the 503 page.
	if rec := get("/"); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("/ with the database down: %d", rec.Code)
	}
}

// internalTestKeys is a keyring with one fresh key, for the package's internal tests.
func internalTestKeys(t *testing.T) *keyring.Keyring {
	t.Helper()
	raw, err := keyring.ParseKeys(keyring.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := keyring.New(raw)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}
