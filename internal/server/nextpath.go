package server

import (
	"net/url"
	"strings"
)

// maxNextLen bounds a return path; the portal's own paths are far shorter.
const maxNextLen = 2048

// safeNext returns next when it is a path on this site, else "/dashboard". Every place that takes
// a return path (the sign-in form and its next parameter, the pending two-factor step, the
// recovery codes page's Continue link) goes through it.
//
// A path is accepted only when it starts with one "/" (not "//" or "/\", which browsers read as
// another site), holds only printable ASCII (no control characters, spaces or other whitespace,
// which browsers drop: "/\t/evil.example" becomes "//evil.example"; the portal's own paths are
// percent-encoded), no backslash anywhere, and parses as a URL without scheme, user or host.
func safeNext(next string) string {
	const fallback = "/dashboard"
	if len(next) == 0 || len(next) > maxNextLen || next[0] != '/' {
		return fallback
	}
	if len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		return fallback
	}
	for i := 0; i < len(next); i++ {
		if c := next[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return fallback
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return fallback
	}
	return next
}
