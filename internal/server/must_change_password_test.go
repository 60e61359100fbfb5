package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/db/dbtest"
)

// TestOneTimePasswordMustBeChangedFirst: the first admin signs in with the one-time password
// printed by `make run`; until they choose their own, only the password change, two-factor and
// sign-out pages answer, and every other page sends them to change it with a message.
func TestOneTimePasswordMustBeChangedFirst(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	admin, err := account.CreateAdmin(context.Background(), e.pool, "first@example.org", account.TestHashParams)
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := e.enrol(t, admin.UserID)
	c := e.client(t)
	if r := c.post("/signin", url.Values{"login": {admin.LoginID}, "password": {admin.Password}, "next": {"/admin/users"}}); r.status != http.StatusSeeOther || r.location != "/signin/two-factor" {
		t.Fatalf("password step: %d %q", r.status, r.location)
	}
	if r := c.post("/signin/two-factor", url.Values{"code": {e.code(t, secret)}}); r.status != http.StatusSeeOther {
		t.Fatalf("code step: %d %q", r.status, r.location)
	}
	e.clock.Advance(30 * time.Second)

	for _, path := range []string{"/admin/users", "/admin/invite", "/dashboard", "/account/data", "/exports"} {
		r := c.get(path)
		if r.status != http.StatusSeeOther || r.location != "/account/password" {
			t.Fatalf("GET %s with a one-time password: %d %q, want a redirect to /account/password", path, r.status, r.location)
		}
	}
	if r := c.post("/admin/invite", url.Values{"email": {"x@example.org"}, "name": {"X"}, "roles": {"admin"}}); r.status != http.StatusSeeOther || r.location != "/account/password" {
		t.Fatalf("POST /admin/invite with a one-time password: %d %q", r.status, r.location)
	}
	page := c.get("/account/password")
	wantStatus(t, "password change page", page, http.StatusOK)
	if !strings.Contains(page.body, "one-time password") {
		t.Fatalf("the password page does not say why:\n%s", page.body)
	}
	wantStatus(t, "two-factor page", c.get("/account/two-factor"), http.StatusOK)

	if r := c.post("/account/password", url.Values{"current": {admin.Password}, "password": {"copper lantern midnight"}}); r.status != http.StatusSeeOther {
		t.Fatalf("change password: %d\n%s", r.status, r.body)
	}
	wantStatus(t, "users list after the change", c.get("/admin/users"), http.StatusOK)

	// Sign-out answers too.
	dbtest.Exec(t, e.pool, `UPDATE users SET must_change_password = true WHERE id = $1`, admin.UserID)
	if r := c.post("/signout", nil); r.status != http.StatusSeeOther || r.location != "/" {
		t.Fatalf("sign out with a one-time password: %d %q", r.status, r.location)
	}
}
