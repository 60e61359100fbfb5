package server

import (
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/config"
)

func testConfig(t *testing.T, env map[string]string) config.Config {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestEveryRouteHasAPolicy walks the router: every route must have been registered through
// handle (so it has a policy), and the public ones must be exactly the explicit list.
func TestEveryRouteHasAPolicy(t *testing.T) {
	s := New(Deps{Config: testConfig(t, nil)})
	seen := map[string]bool{}
	err := chi.Walk(s.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		key := method + " " + route
		seen[key] = true
		p, ok := s.policies[key]
		if !ok {
			t.Errorf("route %s has no access policy: register it with handle() in routes.go", key)
			return nil
		}
		if p.IsPublic() && !publicRoutes[key] {
			t.Errorf("route %s is public but not in publicRoutes", key)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) == 0 {
		t.Fatal("walked no routes")
	}
	for key := range publicRoutes {
		if !seen[key] {
			t.Errorf("publicRoutes lists %s, which is not registered", key)
		}
	}
}

func TestHandleRefusesUnlistedPublicRoute(t *testing.T) {
	s := New(Deps{Config: testConfig(t, nil)})
	defer func() {
		if recover() == nil {
			t.Fatal("registering an unlisted public route must panic")
		}
	}()
	s.handle("GET", "/secret", publicPolicyForTest(), func(http.ResponseWriter, *http.Request) error { return nil })
}

func publicPolicyForTest() authz.Policy { return authz.Public }
