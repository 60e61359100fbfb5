// Package server is the portal's HTTP layer: the one route table (routes.go), middleware, the one
// error-to-page mapper (errors.go) and one file of handlers per area. Handlers return errors.
package server

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"prizeportal/internal/notify/emails"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/committee"
	"prizeportal/internal/config"
	"prizeportal/internal/files"
	"prizeportal/internal/keyring"
	"prizeportal/internal/notify"
	"prizeportal/internal/ranking"
	"prizeportal/internal/scoring"
)

// Deps are what the server needs from the outside.
type Deps struct {
	Config   config.Config
	Pool     *pgxpool.Pool
	Logger   *slog.Logger
	Sessions *scs.SessionManager
	// Outbox queues emails in the transaction of the change that causes them.
	Outbox *notify.Outbox
	// HashParams are the argon2id costs for new passwords; zero means account.DefaultHashParams.
	HashParams account.HashParams
	// Now is the clock; tests may replace it.
	Now func() time.Time
	// Files stores uploaded documents (files.FromConfig).
	Files files.Storage
	// Secrets seals the secrets kept in the database and in sessions (TOTP secrets); required
	// with a Pool.
	Secrets *keyring.Keyring
}

// Server holds the dependencies of every handler and the route table.
type Server struct {
	cfg      config.Config
	pool     *pgxpool.Pool
	log      *slog.Logger
	sessions *scs.SessionManager
	outbox   *notify.Outbox
	hash     account.HashParams
	now      func() time.Time
	files    files.Storage
	secrets  *keyring.Keyring
	// site is the portal's public address for links in emails.
	site   emails.Site
	router chi.Router
	// policies records the access policy of every registered route, keyed by "METHOD pattern".
	policies map[string]authz.Policy
	handler  http.Handler

	// scoring, committee and ranking hold the use cases of round 2.
	scoring   *scoring.Service
	committee *committee.Service
	ranking   *ranking.Service
}

// New builds the server and its route table.
func New(d Deps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Pool != nil && d.Secrets == nil {
		panic("server: no keyring (Deps.Secrets) to seal two-factor secrets")
	}
	s := &Server{
		cfg:      d.Config,
		pool:     d.Pool,
		log:      d.Logger,
		sessions: d.Sessions,
		outbox:   d.Outbox,
		hash:     d.HashParams,
		now:      d.Now,
		files:    d.Files,
		secrets:  d.Secrets,
		site:     emails.Site{BaseURL: d.Config.BaseURL.String()},
		router:   chi.NewRouter(),
		policies: map[string]authz.Policy{},
	}
	s.scoring = scoring.NewService(d.Pool, d.Outbox, s.site, d.Now)
	s.committee = committee.NewService(d.Pool, d.Now)
	s.ranking = ranking.NewService(d.Pool, d.Outbox, s.site, d.Now)
	if d.Sessions != nil {
		// A session that cannot be loaded or saved (the database is down) gets the portal's
		// error page (503 when the database is unreachable), not the session library's bare 500.
		d.Sessions.ErrorFunc = s.serveError
	}
	s.routes()
	s.handler = s.middleware(s.router)
	return s
}

// ServeHTTP serves a request through the middleware and the router.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// NewSessions returns the session manager: sessions stored in Postgres (so any instance can serve
// any request), HttpOnly, SameSite=Lax, Secure when the portal is served over https.
// The returned stop function ends the store's expired-session cleanup.
func NewSessions(cfg config.Config, pool *pgxpool.Pool) (*scs.SessionManager, func()) {
	sm := scs.New()
	store := &sessionStore{pool: pool, codec: sm.Codec}
	sm.Store = store
	sm.IdleTimeout = cfg.SessionIdleTimeout
	sm.Lifetime = cfg.SessionLifetime
	sm.Cookie.Name = "portal_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.Secure()
	sm.Cookie.Path = "/"
	return sm, store.startCleanup(10 * time.Minute)
}

// handlerFunc is a handler that returns an error for the one error mapper to turn into a page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// render renders c into a buffer first, so a failing template never leaves half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// ctxLog returns the logger with the request id attached.
func (s *Server) ctxLog(ctx context.Context) *slog.Logger {
	if id := requestID(ctx); id != "" {
		return s.log.With("request_id", id)
	}
	return s.log
}
