package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"prizeportal/internal/authz"
)

func TestPanicBecomesErrorPageWithRequestID(t *testing.T) {
	s := New(Deps{Config: testConfig(t, nil), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	h := s.middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom: secret detail") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	body := rec.Body.String()
	if rec.Code != 500 {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	if strings.Contains(body, "secret detail") {
		t.Fatal("the 500 page leaks the panic value")
	}
	id := rec.Header().Get("X-Request-Id")
	if id == "" || !strings.Contains(body, id) {
		t.Fatalf("the 500 page must quote the request id %q", id)
	}
}

func TestErrorMapper(t *testing.T) {
	s := New(Deps{Config: testConfig(t, nil), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, tt := range []struct {
		err    error
		status int
		text   string
	}{
		{authz.ErrForbidden, 403, "You do not have access to this page"},
		{authz.ErrUnauthenticated, 401, "Please sign in"},
		{errNotFound, 404, "Page not found"},
		{io.ErrUnexpectedEOF, 500, "Something went wrong on our side"},
	} {
		rec := httptest.NewRecorder()
		s.serveError(rec, httptest.NewRequest("POST", "/x", nil), tt.err)
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.text) {
			t.Errorf("%v: got %d, want %d with %q", tt.err, rec.Code, tt.status, tt.text)
		}
		if strings.Contains(rec.Body.String(), tt.err.Error()) {
			t.Errorf("%v: the page shows the internal error text", tt.err)
		}
	}
}

func TestUnauthenticatedGetRedirectsToSignIn(t *testing.T) {
	s := New(Deps{Config: testConfig(t, nil), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	rec := httptest.NewRecorder()
	s.serveError(rec, httptest.NewRequest("GET", "/dashboard?tab=1", nil), authz.ErrUnauthenticated)
	if rec.Code != 303 || rec.Header().Get("Location") != "/signin?next=%2Fdashboard%3Ftab%3D1" {
		t.Fatalf("got %d %q", rec.Code, rec.Header().Get("Location"))
	}
}
