package server_test

import (
	"net/url"
	"strings"
	"testing"
)

// hostileNext is a return path whose tab browsers drop, leaving "//evil.example": a link to
// another site.
const hostileNext = "/\t/evil.example/x"

// TestHostileNextNeverLeavesThePortal follows a hostile return path through every place that takes
// one: the sign-in form, the password step, the two-factor step, and the recovery codes page's
// Continue link after enrolment at sign-in.
func TestHostileNextNeverLeavesThePortal(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	e.newAccount(t, "plain-lee", "")
	_, secret := e.enrolledAccount(t, "sec-park", "secretariat")
	e.newAccount(t, "head-choi", "committee_head")

	// The sign-in page does not carry it into its form.
	page := e.client(t).get("/signin?next=" + url.QueryEscape(hostileNext))
	if page.status != 200 || strings.Contains(page.body, "evil.example") {
		t.Fatalf("sign-in page carries the hostile path: %d\n%s", page.status, page.body)
	}

	// Password only.
	c := e.client(t)
	if res := signInPassword(c, "plain-lee", hostileNext); res.status != 303 || res.location != "/dashboard" {
		t.Fatalf("password step: %d %q, want 303 to /dashboard", res.status, res.location)
	}

	// Password, then the code.
	c = e.client(t)
	if res := signInPassword(c, "sec-park", hostileNext); res.status != 303 || res.location != "/signin/two-factor" {
		t.Fatalf("password step: %d %q", res.status, res.location)
	}
	if res := c.post("/signin/two-factor", url.Values{"code": {e.code(t, secret)}}); res.status != 303 || res.location != "/dashboard" {
		t.Fatalf("code step: %d %q, want 303 to /dashboard", res.status, res.location)
	}

	// Enrolment at sign-in, then the recovery codes page.
	c = e.client(t)
	signInPassword(c, "head-choi", hostileNext)
	setup := c.get("/signin/two-factor/setup")
	res := c.post("/signin/two-factor/setup", url.Values{"code": {e.code(t, secretOnPage(t, setup.body))}})
	if res.status != 303 || strings.Contains(res.location, "evil.example") {
		t.Fatalf("enrolment: %d %q", res.status, res.location)
	}
	codes := c.get(res.location)
	if strings.Contains(codes.body, "evil.example") || !strings.Contains(codes.body, `href="/dashboard"`) {
		t.Fatalf("recovery codes page links away:\n%s", codes.body)
	}
	// The page's own next parameter is checked too.
	direct := c.get("/account/two-factor/recovery-codes?next=" + url.QueryEscape(hostileNext))
	if direct.status != 200 || strings.Contains(direct.body, "evil.example") {
		t.Fatalf("recovery codes page with a hostile next: %d\n%s", direct.status, direct.body)
	}
}
