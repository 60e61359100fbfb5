package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSessionsTableHoldsNoCookieToken: the sessions table keeps a hash of each session token,
// never the cookie's value itself (whoever reads the table cannot sign in as anyone).
func TestSessionsTableHoldsNoCookieToken(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	c, _ := e.adminSignIn(t, "mina", "")
	wantStatus(t, "dashboard", c.get("/dashboard"), http.StatusOK)
	u, _ := url.Parse(e.srv.URL)
	var token string
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == e.sessions.Cookie.Name {
			token = ck.Value
		}
	}
	if token == "" {
		t.Fatal("no session cookie")
	}
	var rows, holding int
	err := e.pool.QueryRow(context.Background(), `
		SELECT count(*), count(*) FILTER (WHERE strpos(s::text, $1) > 0) FROM sessions s`, token).Scan(&rows, &holding)
	if err != nil {
		t.Fatal(err)
	}
	if rows == 0 || holding != 0 {
		t.Fatalf("%d sessions stored, %d of them hold the cookie's token", rows, holding)
	}
}

// TestTOTPSecretIsEncryptedAtRest: the stored TOTP secret is not the secret the authenticator
// app holds, and signing in with the app's code still works.
func TestTOTPSecretIsEncryptedAtRest(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	id, secret := e.enrolledAccount(t, "sec-kim", "secretariat")
	var stored string
	if err := e.pool.QueryRow(context.Background(), `SELECT totp_secret FROM users WHERE id = $1`, id).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored == "" || stored == secret || strings.Contains(strings.ToUpper(stored), strings.ToUpper(secret)) {
		t.Fatalf("totp_secret stored as %q, the secret is %q", stored, secret)
	}
	c := e.client(t)
	if r := signInPassword(c, "sec-kim", ""); r.location != "/signin/two-factor" {
		t.Fatalf("password step: %d %q", r.status, r.location)
	}
	if r := c.post("/signin/two-factor", url.Values{"code": {e.code(t, secret)}}); r.status != http.StatusSeeOther || r.location != "/dashboard" {
		t.Fatalf("code step: %d %q\n%s", r.status, r.location, r.body)
	}
	wantStatus(t, "screening queue", c.get("/secretariat/screening"), http.StatusOK)
}
