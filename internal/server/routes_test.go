package server

import (
	"crypto/rand"
	"net/http"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/link"
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

func TestSessionCookieSettings(t *testing.T) {
	sm, stop := NewSessions(testConfig(t, map[string]string{
		"PORTAL_BASE_URL":             "https://prize.example.org",
		"PORTAL_SESSION_IDLE_TIMEOUT": "30m",
		"PORTAL_SESSION_LIFETIME":     "8h",
	}), nil)
	defer stop()
	c := sm.Cookie
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || !c.Secure || c.Path != "/" {
		t.Fatalf("cookie %+v: want HttpOnly, SameSite=Lax, Secure on https", c)
	}
	if sm.IdleTimeout.Minutes() != 30 || sm.Lifetime.Hours() != 8 {
		t.Fatalf("timeouts %v/%v", sm.IdleTimeout, sm.Lifetime)
	}
	plain, stop2 := NewSessions(testConfig(t, nil), nil)
	defer stop2()
	if plain.Cookie.Secure {
		t.Fatal("cookies cannot be Secure on plain http")
	}
}

// TestTokenRoutesAreRedacted: the token of every route whose path carries one is known to
// link.Redact, so logs and the outbox never keep it.
func TestTokenRoutesAreRedacted(t *testing.T) {
	s := New(Deps{Config: testConfig(t, nil)})
	n := 0
	for _, route := range s.Routes() {
		_, pattern, _ := strings.Cut(route, " ")
		if !strings.Contains(pattern, "{token}") {
			continue
		}
		n++
		tok := rand.Text()
		if got := link.Redact("https://prize.example.org" + strings.Replace(pattern, "{token}", tok, 1)); strings.Contains(got, tok) {
			t.Errorf("%s: link.Redact keeps the token: %s", route, got)
		}
	}
	if n == 0 {
		t.Error("no route has a {token}")
	}
}
