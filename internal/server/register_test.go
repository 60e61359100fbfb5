package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestRegistrationDoesNotTellWhetherAnEmailIsTaken registers with an email address that already
// has an account: the answer is exactly that of a new registration, no account is made, and the
// owner of the address is told by email.
func TestRegistrationDoesNotTellWhetherAnEmailIsTaken(t *testing.T) {
	t.Parallel()
	e, _ := withFirstRegistration(t)
	ctx := context.Background()

	taken, fresh := e.client(t), e.client(t)
	resTaken := taken.post("/register", registration("second-one", "FIRST@seoul.example"))
	resFresh := fresh.post("/register", registration("third-one", "third@seoul.example"))
	if resTaken.status != resFresh.status || resTaken.location != resFresh.location || resTaken.body != resFresh.body {
		t.Fatalf("taken email: %d %q; new email: %d %q: the answers must be the same", resTaken.status, resTaken.location, resFresh.status, resFresh.location)
	}
	next := func(c *client, r reply, email string) string {
		if r.location == "" {
			return strings.ReplaceAll(r.body, email, "EMAIL")
		}
		return strings.ReplaceAll(c.get(r.location).body, email, "EMAIL")
	}
	if a, b := next(taken, resTaken, "FIRST@seoul.example"), next(fresh, resFresh, "third@seoul.example"); a != b {
		t.Fatalf("the page after registering differs:\n%s\n---\n%s", a, b)
	}
	for _, c := range []*client{taken, fresh} {
		if res := c.get("/dashboard"); res.status != 303 {
			t.Fatalf("a registration must not sign in (it would tell the two apart): %d", res.status)
		}
	}

	var n int
	e.pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE login_id = 'second-one'`).Scan(&n)
	if n != 0 {
		t.Fatal("an account was made with an email address already in use")
	}
	var text string
	if err := e.pool.QueryRow(ctx, `SELECT text_body FROM email_outbox WHERE to_address = 'first@seoul.example' AND kind = 'register-existing'`).Scan(&text); err != nil {
		t.Fatalf("the owner of the address was not told: %v", err)
	}
	for _, want := range []string{"/signin", "/password/forgot", "first-one"} {
		if !strings.Contains(text, want) {
			t.Errorf("the owner's email lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "second-one") {
		t.Error("the owner's email repeats the login ID the stranger typed")
	}
	// The new registration works: verify email sent, sign-in possible.
	if link := e.lastLink(t, "third@seoul.example", "verify-email"); !strings.HasPrefix(link, "/verify/") {
		t.Fatalf("verification link: %q", link)
	}
	if res := fresh.post("/signin", signInAs("third-one")); res.status != 303 || res.location != "/dashboard" {
		t.Fatalf("sign in after registering: %d %q", res.status, res.location)
	}
}

// TestRegistrationAttemptsAreCounted counts every registration attempt of an address, whatever
// its outcome (a taken login ID, a form with mistakes): after ten in an hour the address waits,
// and the page keeps what was typed.
func TestRegistrationAttemptsAreCounted(t *testing.T) {
	t.Parallel()
	e, c := withFirstRegistration(t)
	c = e.client(t) // the same address, but not signed in
	res := c.post("/register", registration("First-One", "other@seoul.example"))
	if res.status != 422 || !strings.Contains(res.body, "This login ID is already taken") {
		t.Fatalf("taken login ID: %d", res.status)
	}
	for i := range 8 {
		bad := registration(fmt.Sprint("bad-", i), "not-an-email")
		if res := c.post("/register", bad); res.status != 422 {
			t.Fatalf("attempt %d with a mistake: %d", i+3, res.status)
		}
	}
	res = c.post("/register", registration("eleventh", "eleventh@seoul.example"))
	if res.status != 429 || !strings.Contains(res.body, "Too many registration attempts") || !strings.Contains(res.body, `value="eleventh@seoul.example"`) {
		t.Fatalf("11th attempt in the hour: %d, want 429 keeping what was typed\n%s", res.status, res.body)
	}
}

// signInAs is the sign-in form of an account made with registration(login, ...).
func signInAs(login string) url.Values {
	return url.Values{"login": {login}, "password": {registration(login, "").Get("password")}}
}

// registerAndSignIn registers with form, then signs in as the new account (registering never
// signs in by itself); it returns the sign-in's reply.
func (c *client) registerAndSignIn(form url.Values) reply {
	c.t.Helper()
	if res := c.post("/register", form); res.status != 303 {
		c.t.Fatalf("register: %d\n%s", res.status, res.body)
	}
	return c.post("/signin", url.Values{"login": {form.Get("login_id")}, "password": {form.Get("password")}})
}

// TestEditionTermsAreShownAndRecorded: an edition with its own terms and conditions shows them at
// /terms with their version, and a registration records that version.
func TestEditionTermsAreShownAndRecorded(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ctx := context.Background()
	if _, err := e.pool.Exec(ctx, `INSERT INTO edition_terms (edition_id, version, text)
		SELECT id, 1, 'We keep your registration to run the prize.' || chr(10) || chr(10) || 'Confidential answers are never published.'
		FROM editions WHERE slug = 'seoul-2023'`); err != nil {
		t.Fatal(err)
	}
	page := e.client(t).get("/terms")
	if page.status != 200 || !strings.Contains(page.body, "(version seoul-2023/1)") ||
		!strings.Contains(page.body, "<p>Confidential answers are never published.</p>") {
		t.Fatalf("terms page: %d\n%s", page.status, page.body)
	}
	if res := e.client(t).post("/register", registration("terms-one", "terms@seoul.example")); res.status != 303 {
		t.Fatalf("register: %d", res.status)
	}
	var users, registrations string
	if err := e.pool.QueryRow(ctx, `SELECT u.terms_version, r.terms_version FROM users u JOIN edition_registrations r ON r.user_id = u.id
		WHERE u.login_id = 'terms-one'`).Scan(&users, &registrations); err != nil || users != "seoul-2023/1" || registrations != "seoul-2023/1" {
		t.Errorf("recorded terms: %q, %q, %v", users, registrations, err)
	}
}
