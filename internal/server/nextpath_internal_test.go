package server

import (
	"strings"
	"testing"
)

// TestSafeNextRefusesHostilePaths lists return paths a browser could read as another site's
// address (or that are not plain paths at all): each must fall back to the dashboard.
func TestSafeNextRefusesHostilePaths(t *testing.T) {
	hostile := []string{
		"",
		"dashboard",
		"https://evil.example/",
		"http:/evil.example",
		"javascript:alert(1)",
		"//evil.example",
		"///evil.example",
		"/\\evil.example",
		"\\\\evil.example",
		"/\t/evil.example/",
		"/\t/evil.example/x?y=1",
		"/\n/evil.example",
		"/\r\n/evil.example",
		"/ /evil.example",
		"/\x00/evil.example",
		"/\x7f/evil.example",
		"/\u00a0/evil.example",
		"/\u3000/evil.example",
		"/\u200e/evil.example",
		"/dashboard\\..\\evil",
		" /dashboard",
		"/dashboard ",
		"/%zz",
		"/" + strings.Repeat("a", 3000),
	}
	for _, p := range hostile {
		if got := safeNext(p); got != "/dashboard" {
			t.Errorf("safeNext(%.60q) = %.60q, want /dashboard", p, got)
		}
	}
	for _, p := range []string{"/dashboard", "/account/two-factor", "/application?section=team#q-3", "/scoring/12?edition=1", "/repository?q=%2F%2Fwhatever", "/a/b/../c"} {
		if got := safeNext(p); got != p {
			t.Errorf("safeNext(%q) = %q, want it kept", p, got)
		}
	}
}
