package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
)

// TestUnreachableDatabaseIsA503 checks the one error mapper: the errors pgx gives while the
// database is down, restarting or has dropped the connection are a 503 page with Retry-After
// that says to try again; other database errors stay 500 (or their own status).
func TestUnreachableDatabaseIsA503(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// A server that is not there: the socket directory does not exist.
	_, refused := pgx.Connect(ctx, "host="+t.TempDir()+"/none port=5432 user=postgres dbname=x sslmode=disable connect_timeout=2")
	var connectErr *pgconn.ConnectError
	if !errors.As(refused, &connectErr) {
		t.Fatalf("connecting to nothing gave %T %v, want a *pgconn.ConnectError", refused, refused)
	}
	// A connection closed under a query.
	conn, err := pgx.Connect(ctx, dbtest.NewURL(t))
	if err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	_, closed := conn.Exec(ctx, "SELECT 1")
	if closed == nil {
		t.Fatal("a query on a closed connection succeeded")
	}

	for _, c := range []struct {
		name   string
		err    error
		status int
	}{
		{"connect refused", fmt.Errorf("account: load actor: %w", refused), 503},
		{"closed connection", fmt.Errorf("application: save: %w", closed), 503},
		{"server shutting down", fmt.Errorf("x: %w", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}), 503},
		{"server starting up", &pgconn.PgError{Code: "57P03", Message: "the database system is starting up"}, 503},
		{"connection failure", &pgconn.PgError{Code: "08006"}, 503},
		{"connection reset", fmt.Errorf("x: %w", &net.OpError{Op: "read", Net: "unix", Err: syscall.ECONNRESET}), 503},
		{"unique violation", fmt.Errorf("x: %w", &pgconn.PgError{Code: "23505"}), 500},
		{"not found", fmt.Errorf("x: %w", db.ErrNotFound), 404},
		{"a bug", errors.New("nil map"), 500},
	} {
		if got := problemFor(c.err).status; got != c.status {
			t.Errorf("%s (%v): status %d, want %d", c.name, c.err, got, c.status)
		}
	}

	s := New(Deps{Config: testConfig(t, nil), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	w := httptest.NewRecorder()
	s.serveError(w, httptest.NewRequest("GET", "/dashboard", nil), fmt.Errorf("x: %w", refused))
	body := w.Body.String()
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != retryAfterUnavailable ||
		!strings.Contains(body, "temporarily unavailable") || !strings.Contains(body, "try again") {
		t.Fatalf("503 page: status %d, Retry-After %q\n%s", w.Code, w.Header().Get("Retry-After"), body)
	}
	if strings.Contains(body, "failed to connect") || strings.Contains(body, "postgres") {
		t.Errorf("the 503 page shows the error's own text:\n%s", body)
	}
	w = httptest.NewRecorder()
	s.serveError(w, httptest.NewRequest("GET", "/dashboard", nil), errors.New("a bug"))
	if w.Code != 500 || w.Header().Get("Retry-After") != "" {
		t.Errorf("500 page: status %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
}

// TestDomainErrorsAreMappedByKind: a domain error with a kind (package fault) gets its status
// and shows its message for the user, never its cause.
func TestDomainErrorsAreMappedByKind(t *testing.T) {
	s := New(Deps{Config: testConfig(t, nil), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, c := range []struct {
		kind   fault.Kind
		status int
	}{{fault.Invalid, 422}, {fault.NotFound, 404}, {fault.Forbidden, 403}, {fault.Conflict, 409}} {
		err := fmt.Errorf("scoring: submit: %w", fault.Wrap(c.kind, "Scoring closed on 12 July.", errors.New("secret cause")))
		w := httptest.NewRecorder()
		s.serveError(w, httptest.NewRequest("POST", "/scoring/1", nil), err)
		body := w.Body.String()
		if w.Code != c.status || !strings.Contains(body, "Scoring closed on 12 July.") || strings.Contains(body, "secret cause") {
			t.Errorf("kind %d: status %d, want %d\n%s", c.kind, w.Code, c.status, body)
		}
	}
}
