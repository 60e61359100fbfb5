// Package server is the portal's HTTP layer: the one route table (routes.go), middleware, the one
// error-to-page mapper (errors.go) and one file of handlers per area. Handlers return errors.
package server

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/account"
	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/award"
	"prizeportal/internal/ballot"
	"prizeportal/internal/blocks/keyring"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/clarify"
	"prizeportal/internal/committee"
	"prizeportal/internal/config"
	"prizeportal/internal/conflict"
	"prizeportal/internal/contextdata"
	"prizeportal/internal/export"
	"prizeportal/internal/files"
	"prizeportal/internal/invitation"
	"prizeportal/internal/jury"
	"prizeportal/internal/mention"
	"prizeportal/internal/nomination"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
	"prizeportal/internal/ranking"
	"prizeportal/internal/repository"
	"prizeportal/internal/results"
	"prizeportal/internal/scoring"
	"prizeportal/internal/screening"
	"prizeportal/internal/studio"
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
	now      func() time.Time
	files    files.Storage
	secrets  *keyring.Keyring
	// site is the portal's public address for links in emails.
	site   emails.Site
	router chi.Router
	// policies records the access policy of every registered route, keyed by "METHOD pattern".
	policies map[string]authz.Policy
	handler  http.Handler

	// exports holds the export use cases (internal/export).
	exports *export.Service
	// repo holds the secretariat's decisions on the best-practice repository.
	repo *repository.Service
	// accounts holds the use cases of accounts, sign-in, two-factor and administration.
	accounts *account.Service
	// nominations and invitations hold the use cases of nominations and staff invitations.
	nominations *nomination.Service
	invitations *invitation.Service
	// applications holds the use cases of an application as its owner works on it.
	applications *application.Service
	// clarifications holds the use cases of round 1's clarifications.
	clarifications *clarify.Service
	// screening holds round 1's use cases (the secretariat's decisions and closing the round).
	screening *screening.Service
	// conflicts holds the conflict-of-interest registry's and declarations' use cases.
	conflicts *conflict.Service
	// wording holds the edition managers' changes to the wording of the emails.
	wording *wording.Service
	// contextData holds the secretariat's imports of context data.
	contextData *contextdata.Service
	// extensions holds the secretariat's deadline extensions.
	extensions *application.Extensions
	// ballots holds the use cases of the Prize Council's vote.
	ballots *ballot.Service
	// awards holds the use cases of the awards after the vote (attendance, invalidation, succession).
	awards *award.Service
	// results holds the use cases of the announcement (outcome and video emails, video links).
	results *results.Service
	// mentions holds the secretariat's use cases of the Special Mentions.
	mentions *mention.Service
	// scoring, committee and ranking hold the use cases of round 2.
	scoring   *scoring.Service
	committee *committee.Service
	jury      *jury.Service
	ranking   *ranking.Service
	// studio holds the edition studio's use cases (its managers set up and change editions).
	studio *studio.Service
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
		now:      d.Now,
		files:    d.Files,
		secrets:  d.Secrets,
		site:     emails.Site{BaseURL: d.Config.BaseURL.String()},
		router:   chi.NewRouter(),
		policies: map[string]authz.Policy{},
	}
	s.committee = committee.NewService(d.Pool, d.Now)
	if d.Sessions != nil {
		// A session that cannot be loaded or saved (the database is down) gets the portal's
		// error page (503 when the database is unreachable), not the session library's bare 500.
		d.Sessions.ErrorFunc = s.serveError
	}
	s.accounts = account.NewService(d.Pool, d.Outbox, s.site, d.Now, d.HashParams, d.Secrets)
	s.applications = application.NewService(d.Pool, d.Outbox, s.site, d.Now, d.Files)
	s.clarifications = clarify.NewService(d.Pool, d.Outbox, s.site, d.Now, d.Files)
	// The services that need nothing but usecase.Deps share one.
	deps := usecase.New(d.Pool, d.Outbox, s.site, d.Now)
	s.nominations = &nomination.Service{Deps: deps}
	s.invitations = &invitation.Service{Deps: deps}
	s.scoring = &scoring.Service{Deps: deps}
	s.ranking = &ranking.Service{Deps: deps}
	s.exports = &export.Service{Deps: deps}
	s.repo = &repository.Service{Deps: deps}
	s.ballots = &ballot.Service{Deps: deps}
	s.awards = &award.Service{Deps: deps}
	s.results = &results.Service{Deps: deps}
	s.mentions = &mention.Service{Deps: deps}
	s.studio = studio.New(deps)
	s.screening = &screening.Service{Deps: deps}
	s.contextData = &contextdata.Service{Deps: deps}
	s.jury = &jury.Service{Deps: deps, Accounts: s.accounts}
	s.conflicts = conflict.NewService(d.Pool, d.Now, committee.EndConflicted)
	s.wording = &wording.Service{Pool: d.Pool, Now: d.Now}
	s.extensions = application.NewExtensions(d.Pool, d.Outbox, s.site, d.Now)
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
	store := account.NewSessionStore(pool, sm.Codec)
	sm.Store = store
	sm.IdleTimeout = cfg.SessionIdleTimeout
	sm.Lifetime = cfg.SessionLifetime
	sm.Cookie.Name = "portal_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.Secure()
	sm.Cookie.Path = "/"
	return sm, store.StartCleanup(10 * time.Minute)
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
