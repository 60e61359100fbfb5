package server

import (
	"fmt"
	"net/http"

	"prizeportal/internal/authz"
	"prizeportal/web/static"
)

// publicRoutes is the explicit list of routes anyone may open without signing in. Registering a
// route with authz.Public that is not listed here panics at start-up.
var publicRoutes = map[string]bool{
	"GET /":                true,
	"GET /editions/{slug}": true,
	"GET /healthz":         true,
	"GET /readyz":          true,
	"GET /static/*":        true,
}

// routes is the only route table: every route names the policy that guards it.
func (s *Server) routes() {
	notFound := s.wrap(func(w http.ResponseWriter, r *http.Request) error { return errNotFound })
	s.handle("GET", "/", authz.Public, s.landing)
	s.handle("GET", "/editions/{slug}", authz.Public, s.editionPage)
	s.handle("GET", "/healthz", authz.Public, s.healthz)
	s.handle("GET", "/readyz", authz.Public, s.readyz)
	// --- accounts: registration, verification, sign-in, passwords, dashboard

	// --- two-factor sign-in (TOTP) and recovery codes

	// --- administration: staff invitations, users, roles, audit log, personal data

	// --- email outbox

	assets := static.Handler(notFound)
	s.handle("GET", "/static/*", authz.Public, func(w http.ResponseWriter, r *http.Request) error {
		assets.ServeHTTP(w, r)
		return nil
	})

	s.router.NotFound(notFound)
	s.router.MethodNotAllowed(s.wrap(func(w http.ResponseWriter, r *http.Request) error { return errMethodNotAllowed }))
}

// handle registers a route with its access policy; the policy is checked before the handler runs.
func (s *Server) handle(method, pattern string, policy authz.Policy, h handlerFunc) {
	key := method + " " + pattern
	if !policy.Defined() {
		panic(fmt.Sprintf("server: route %s has no policy", key))
	}
	if policy.IsPublic() && !publicRoutes[key] {
		panic(fmt.Sprintf("server: route %s is public but not in publicRoutes", key))
	}
	if _, dup := s.policies[key]; dup {
		panic(fmt.Sprintf("server: route %s registered twice", key))
	}
	s.policies[key] = policy
	s.router.Method(method, pattern, s.wrap(func(w http.ResponseWriter, r *http.Request) error {
		if err := policy.Check(authz.ActorFrom(r.Context())); err != nil {
			return err
		}
		return h(w, r)
	}))
}

// wrap turns a handlerFunc into an http.Handler whose errors go to the error mapper.
func (s *Server) wrap(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	}
}
