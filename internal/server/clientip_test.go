package server

import (
	"net/http/httptest"
	"testing"
)

func TestClientIP(t *testing.T) {
	s := New(Deps{Config: testConfig(t, map[string]string{"PORTAL_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7"})})
	for _, tt := range []struct{ remote, xff, want string }{
		{"203.0.113.5:4000", "", "203.0.113.5"},
		{"203.0.113.5:4000", "198.51.100.1", "203.0.113.5"},                   // untrusted peer: header ignored
		{"10.1.2.3:4000", "198.51.100.1", "198.51.100.1"},                     // trusted proxy
		{"10.1.2.3:4000", "1.1.1.1, 198.51.100.1, 192.0.2.7", "198.51.100.1"}, // nearest untrusted hop
		{"10.1.2.3:4000", "", "10.1.2.3"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := s.clientIP(r); got != tt.want {
			t.Errorf("remote %s xff %q: got %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
}
