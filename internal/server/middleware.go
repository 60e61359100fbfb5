package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"prizeportal/internal/account"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/link"
	"prizeportal/internal/edition"
	"prizeportal/web/components"
)

var errCrossOrigin = errors.New("server: cross-origin request refused")

// contentSecurityPolicy allows only the portal's own scripts, styles and images: no inline
// script or style, no framing (clickjacking), no plugins, forms post only to the portal.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// healthPaths are answered without loading a session: a health check must say whether the
// process (or the database, for /readyz) is up, whatever cookie comes with it.
var healthPaths = map[string]bool{"/healthz": true, "/readyz": true}

// middleware wraps the router, outermost first: request id, access log, panic recovery, security
// headers, gzip, cross-origin protection, sessions, the actor (not for healthPaths).
func (s *Server) middleware(h http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveError(w, r, errCrossOrigin)
	}))
	router := h
	h = s.loadActor(h)
	if s.sessions != nil {
		h = account.RememberSessions(s.sessions.LoadAndSave(h))
	}
	withSession := h
	h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Use cases record the client's address in their audit entries from the context.
		r = r.WithContext(audit.WithIP(r.Context(), s.clientIP(r)))
		if healthPaths[r.URL.Path] {
			router.ServeHTTP(w, r)
			return
		}
		withSession.ServeHTTP(w, r)
	})
	h = cop.Handler(h)
	h = withLanguage(h) // the language of every page, an error page too (language.go)
	h = compress(h)     // gzip (compress.go)
	h = s.securityHeaders(h)
	h = s.recoverPanics(h)
	h = s.accessLog(h)
	h = middleware.RequestID(h)
	return h
}

func requestID(ctx context.Context) string { return middleware.GetReqID(ctx) }

// accessLog logs each request with its route pattern ("/verify/{token}") and its path with
// every private-link token redacted: a token in a log would be a working credential for anyone
// who reads the log. The query string, where a token can also travel, is never logged.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		ww.Header().Set("X-Request-Id", requestID(r.Context()))
		next.ServeHTTP(ww, r)
		s.ctxLog(r.Context()).Info("request",
			"method", r.Method, "route", s.routePattern(r), "path", logPath(r), "status", ww.Status(),
			"bytes", ww.BytesWritten(), "duration_ms", float64(time.Since(start).Microseconds())/1000)
	})
}

// routePattern is the pattern of the route that serves r ("" when none does).
func (s *Server) routePattern(r *http.Request) string {
	return s.router.Find(chi.NewRouteContext(), r.Method, r.URL.Path)
}

// logPath is the path of r as logs may show it: with every private-link token redacted.
func logPath(r *http.Request) string { return link.Redact(r.URL.Path) }

// recoverPanics turns a panic into the 500 page, logged with its stack and the request id.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.ctxLog(r.Context()).Error("panic", "value", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.serveError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	secure := s.cfg.Secure()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// editionScope is the edition an edition-scoped route acts on (authz.InEdition), resolved once
// before its handler runs, with the picker of the editions its actor serves.
type editionScope struct {
	rule   authz.EditionRule
	query  string // the ?edition= it was resolved from
	ed     *edition.Edition
	picker components.Field
}

type editionScopeKey struct{}

// inEdition resolves the edition of a route scoped by rule: ?edition=ID when the actor serves it
// by rule, else the newest edition they serve, and puts it in the request's context (scope).
// An actor who serves none, asks for one they do not serve, or may not act in it (ActingAs) is
// forbidden.
func (s *Server) inEdition(r *http.Request, rule authz.EditionRule) (*http.Request, error) {
	ctx := r.Context()
	actor := authz.ActorFrom(ctx)
	list, err := edition.List(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	var served []edition.Summary
	for _, e := range list {
		// A draft edition is visible only to its managers (DOMAIN.md "Editions are data").
		if rule.Serves(actor, e.ID) && (!e.Draft() || authz.CanManageEdition(actor, e.ID)) {
			served = append(served, e)
		}
	}
	if len(served) == 0 {
		return nil, authz.ErrForbidden
	}
	id, query := served[0].ID, r.URL.Query().Get("edition")
	if query != "" {
		if id, err = strconv.ParseInt(query, 10, 64); err != nil ||
			!slices.ContainsFunc(served, func(e edition.Summary) bool { return e.ID == id }) {
			return nil, authz.ErrForbidden
		}
	}
	if !rule.Acts(actor, id) {
		return nil, authz.ErrForbidden
	}
	ed, err := edition.ByID(ctx, s.pool, id)
	if err != nil {
		return nil, err
	}
	opts := make([]components.Option, 0, len(served))
	for _, e := range served {
		opts = append(opts, components.Option{Value: strconv.FormatInt(e.ID, 10), Label: e.Name, Selected: e.ID == ed.ID})
	}
	sc := &editionScope{rule: rule, query: query, ed: ed,
		picker: components.Field{Name: "edition", Label: "Edition", Type: "select", Options: opts}}
	return r.WithContext(context.WithValue(ctx, editionScopeKey{}, sc)), nil
}

// scope is the edition of an edition-scoped route (inEdition) with its picker. A handler that
// points ?edition= at another edition (the edition of the object it acts on) gets that one,
// resolved by the route's rule.
func (s *Server) scope(r *http.Request) (*edition.Edition, components.Field, error) {
	sc, ok := r.Context().Value(editionScopeKey{}).(*editionScope)
	if !ok {
		return nil, components.Field{}, fmt.Errorf("server: %s %s has no edition rule (authz.InEdition)", r.Method, r.URL.Path)
	}
	if q := r.URL.Query().Get("edition"); q != sc.query {
		rr, err := s.inEdition(r, sc.rule)
		if err != nil {
			return nil, components.Field{}, err
		}
		sc = rr.Context().Value(editionScopeKey{}).(*editionScope)
	}
	return sc.ed, sc.picker, nil
}
