package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"prizeportal/internal/db/dbtest"
	"regexp"
	"strings"
	"testing"
	"time"
)

// client is a browser-like HTTP client: it keeps cookies and does not follow redirects.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func (e *env) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: e.srv.URL, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type reply struct {
	status   int
	location string
	body     string
}

func (c *client) do(req *http.Request) reply {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return reply{res.StatusCode, res.Header.Get("Location"), string(b)}
}

func (c *client) get(path string) reply {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) reply {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// withFirstRegistration is a new environment where the client it returns has registered
// first-one (first@seoul.example).
func withFirstRegistration(t *testing.T) (*env, *client) {
	t.Helper()
	e := newEnv(t, nil, "seoul-2023")
	c := e.client(t)
	if res := c.post("/register", registration("first-one", "first@seoul.example")); res.status != 303 {
		t.Fatalf("first registration: %d", res.status)
	}
	return e, c
}

func registration(login, email string) url.Values {
	return url.Values{
		"entity_type": {"city"}, "category": {"tech-innovacity"},
		"login_id": {login}, "password": {"violet tram under seoul"}, "name": {"Min-jun Kim"},
		"organisation": {"Seoul Metropolitan Government"}, "email": {email}, "phone": {"+82 2 120 0000"},
		"city": {"Seoul"}, "country": {"KR"}, "terms": {"yes"},
	}
}

// lastLink returns the link of the newest email of kind sent to addr.
func (e *env) lastLink(t *testing.T, addr, kind string) string {
	t.Helper()
	var text string
	err := e.pool.QueryRow(context.Background(), `SELECT text_body FROM email_outbox WHERE to_address = $1 AND kind = $2 ORDER BY id DESC LIMIT 1`, addr, kind).Scan(&text)
	if err != nil {
		t.Fatalf("no %s email to %s: %v", kind, addr, err)
	}
	m := regexp.MustCompile(`https?://\S+`).FindString(text)
	if m == "" {
		t.Fatalf("no link in %s email:\n%s", kind, text)
	}
	u, _ := url.Parse(m)
	return u.Path
}

func TestRegisterVerifySignOutSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	c := e.client(t)

	step1 := c.get("/register")
	if step1.status != 200 || !strings.Contains(step1.body, "I am registering as") || !strings.Contains(step1.body, `value="individual"`) {
		t.Fatalf("step 1: %d", step1.status)
	}
	step2 := c.get("/register?entity_type=city")
	if !strings.Contains(step2.body, `value="tech-innovacity"`) || !strings.Contains(step2.body, `value="human-centricity"`) {
		t.Fatal("a city must be offered both project categories")
	}
	if strings.Contains(step2.body, `value="leadership"`) {
		t.Fatal("a city must not be offered Leadership")
	}
	if ind := c.get("/register?entity_type=individual"); strings.Contains(ind.body, `value="tech-innovacity"`) || !strings.Contains(ind.body, `value="leadership"`) {
		t.Fatal("an individual must be offered Leadership only")
	}

	res := c.post("/register", registration("seoul-smart", "mj@seoul.example"))
	if res.status != 303 || res.location != "/signin" {
		t.Fatalf("register: %d %q\n%s", res.status, res.location, res.body)
	}
	if page := c.get("/signin"); !strings.Contains(page.body, "We sent an email to mj@seoul.example") {
		t.Fatalf("the sign-in page after registering lacks the message:\n%s", page.body)
	}
	if res := c.post("/signin", signInAs("seoul-smart")); res.status != 303 || res.location != "/dashboard" {
		t.Fatalf("sign in after registering: %d %q", res.status, res.location)
	}
	dash := c.get("/dashboard")
	if dash.status != 200 || !strings.Contains(dash.body, "Please confirm your email address") || !strings.Contains(dash.body, "Tech-InnovaCity entry as City") {
		t.Fatalf("dashboard after registration: %d\n%s", dash.status, dash.body)
	}

	link := e.lastLink(t, "mj@seoul.example", "verify-email")
	if page := c.get(link); page.status != 200 || !strings.Contains(page.body, "Confirm my email address") {
		t.Fatalf("verify page: %d", page.status)
	}
	if res := c.post(link, nil); res.status != 303 {
		t.Fatalf("verify: %d", res.status)
	}
	if dash := c.get("/dashboard"); strings.Contains(dash.body, "Please confirm your email address") || !strings.Contains(dash.body, "(confirmed)") {
		t.Fatal("the dashboard must show the email as confirmed")
	}
	if again := c.post(link, nil); again.status != 410 {
		t.Fatalf("a used link: %d, want 410", again.status)
	}

	if res := c.post("/signout", nil); res.status != 303 {
		t.Fatalf("sign out: %d", res.status)
	}
	if res := c.get("/dashboard"); res.status != 303 || !strings.HasPrefix(res.location, "/signin") {
		t.Fatalf("dashboard after sign-out: %d %q", res.status, res.location)
	}
	res = c.post("/signin", url.Values{"login": {"MJ@seoul.example"}, "password": {"violet tram under seoul"}, "next": {"/dashboard"}})
	if res.status != 303 || res.location != "/dashboard" {
		t.Fatalf("sign in by email: %d %q\n%s", res.status, res.location, res.body)
	}
	grants := dbtest.Count(t, e.pool, `SELECT count(*) FROM role_grants g JOIN users u ON u.id = g.user_id WHERE u.login_id = 'seoul-smart' AND g.role = 'applicant' AND g.edition_id IS NOT NULL`)
	if grants != 1 {
		t.Fatalf("applicant grants = %d", grants)
	}
}

func TestRegistrationRefusesWrongPairAndKeepsInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	c := e.client(t)
	form := registration("seoul-smart", "mj@seoul.example")
	form.Set("category", "leadership")
	res := c.post("/register", form)
	if res.status != 422 || !strings.Contains(res.body, "Leadership cannot be entered by a City") {
		t.Fatalf("wrong pair: %d\n%s", res.status, res.body)
	}
	if !strings.Contains(res.body, "There is a problem") || !strings.Contains(res.body, `value="Seoul Metropolitan Government"`) {
		t.Fatal("the page must show an error summary and keep what was typed")
	}
	n := dbtest.Count(t, e.pool, `SELECT count(*) FROM users`)
	if n != 0 {
		t.Fatal("no account may be created")
	}
}

func TestRegistrationFieldErrors(t *testing.T) {
	t.Parallel()
	e, _ := withFirstRegistration(t)
	c2 := e.client(t)
	// A taken login ID is said (the registrant must choose another); a taken email never is
	// (TestRegistrationDoesNotTellWhetherAnEmailIsTaken).
	res := c2.post("/register", registration("First-One", "FIRST@seoul.example"))
	if res.status != 422 || !strings.Contains(res.body, "This login ID is already taken") || strings.Contains(res.body, "email address cannot be used") {
		t.Fatalf("duplicates: %d\n%s", res.status, res.body)
	}
	if strings.Contains(res.body, "Min-jun Kim") && strings.Count(res.body, "Min-jun Kim") > 1 {
		t.Fatal("the page must not reveal the other account")
	}
	bad := registration("x", "not-an-email")
	bad.Set("password", "password1234")
	bad.Set("country", "XX")
	bad.Del("terms")
	res = c2.post("/register", bad)
	for _, want := range []string{"Choose a login ID", "commonly used passwords", "Enter an email address", "Choose your country", "You must agree to the terms"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("no message %q", want)
		}
	}
}

func TestRegistrationClosedAfterDeadline(t *testing.T) {
	t.Parallel()
	e := newEnvAt(t, time.Date(2023, 6, 2, 0, 0, 0, 0, time.UTC), nil, "seoul-2023")
	c := e.client(t)
	if res := c.get("/register"); !strings.Contains(res.body, "Registration for Seoul Smart City Prize 2023 closed on 31 May 2023, 23:59 KST") || strings.Contains(res.body, `name="login_id"`) {
		t.Fatalf("closed registration page: %d\n%s", res.status, res.body)
	}
	if res := c.post("/register", registration("late", "late@seoul.example")); res.status != 403 {
		t.Fatalf("late registration: %d, want 403", res.status)
	}
}

func TestSignInFailuresAreGenericAndLimitedAcrossInstances(t *testing.T) {
	t.Parallel()
	a := newEnv(t, nil, "seoul-2023")
	b := newEnvOn(t, a.pool, fixedNow, nil) // a second instance on the same database
	c := a.client(t)
	c.post("/register", registration("applicant-a", "a@seoul.example"))
	c.post("/signout", nil)

	wrong := url.Values{"login": {"applicant-a"}, "password": {"wrong password here"}}
	unknown := url.Values{"login": {"nobody-here"}, "password": {"wrong password here"}}
	r1 := c.post("/signin", wrong)
	r2 := c.post("/signin", unknown)
	msg := "The login or password is not right"
	if r1.status != 401 || r2.status != 401 || !strings.Contains(r1.body, msg) || !strings.Contains(r2.body, msg) {
		t.Fatalf("failures must look alike: %d %d", r1.status, r2.status)
	}
	// Two more failures on instance A make three for the account: the next attempt must wait,
	// also on instance B.
	c.post("/signin", wrong)
	c.post("/signin", wrong)
	cb := b.client(t)
	res := cb.post("/signin", url.Values{"login": {"applicant-a"}, "password": {"violet tram under seoul"}})
	if res.status != 429 || !strings.Contains(res.body, "Please try again in") {
		t.Fatalf("limited sign-in on the other instance: %d\n%s", res.status, res.body)
	}
	failed := dbtest.Count(t, a.pool, `SELECT count(*) FROM audit_log WHERE action = 'account.signin_failed'`)
	if failed != 4 {
		t.Fatalf("audit has %d failed sign-ins, want 4", failed)
	}
}

func TestPasswordResetEndsEverySession(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	phone := e.client(t)
	phone.registerAndSignIn(registration("applicant-a", "a@seoul.example"))
	if res := phone.get("/dashboard"); res.status != 200 {
		t.Fatal("signed in after registration")
	}
	laptop := e.client(t)
	known := laptop.post("/password/forgot", url.Values{"login": {"a@seoul.example"}})
	unknown := laptop.post("/password/forgot", url.Values{"login": {"nobody@seoul.example"}})
	if known.status != 200 || !strings.Contains(known.body, "Check your email") || known.body != unknown.body {
		t.Fatalf("the reset answer must not tell whether the account exists: %d / %d", known.status, unknown.status)
	}
	link := e.lastLink(t, "a@seoul.example", "reset-password")
	if res := laptop.post(link, url.Values{"password": {"short"}}); res.status != 422 || !strings.Contains(res.body, "at least 12 characters") {
		t.Fatalf("weak new password: %d", res.status)
	}
	if res := laptop.post(link, url.Values{"password": {"green kettle on a bus"}}); res.status != 303 || res.location != "/signin" {
		t.Fatalf("reset: %d %q", res.status, res.location)
	}
	if res := phone.get("/dashboard"); res.status != 303 {
		t.Fatalf("the phone's session must end after the reset: %d", res.status)
	}
	if res := laptop.post(link, url.Values{"password": {"another fine password"}}); res.status != 410 {
		t.Fatalf("reused reset link: %d, want 410", res.status)
	}
	if res := laptop.post("/signin", url.Values{"login": {"applicant-a"}, "password": {"green kettle on a bus"}}); res.status != 303 {
		t.Fatalf("sign in with the new password: %d", res.status)
	}
}

func TestChangePasswordKeepsThisSessionEndsOthers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	one := e.client(t)
	one.registerAndSignIn(registration("applicant-a", "a@seoul.example"))
	two := e.client(t)
	two.post("/signin", url.Values{"login": {"applicant-a"}, "password": {"violet tram under seoul"}})
	if res := one.post("/account/password", url.Values{"current": {"wrong one entirely"}, "password": {"green kettle on a bus"}}); res.status != 422 || !strings.Contains(res.body, "current password is not right") {
		t.Fatalf("wrong current password: %d", res.status)
	}
	if res := one.post("/account/password", url.Values{"current": {"violet tram under seoul"}, "password": {"green kettle on a bus"}}); res.status != 303 {
		t.Fatalf("change: %d", res.status)
	}
	if res := one.get("/dashboard"); res.status != 200 {
		t.Fatalf("this session continues: %d", res.status)
	}
	if res := two.get("/dashboard"); res.status != 303 {
		t.Fatalf("the other session ends: %d", res.status)
	}
}

func TestOpenRedirectRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	c := e.client(t)
	c.post("/register", registration("applicant-a", "a@seoul.example"))
	c.post("/signout", nil)
	res := c.post("/signin", url.Values{"login": {"applicant-a"}, "password": {"violet tram under seoul"}, "next": {"//evil.example/x"}})
	if res.location != "/dashboard" {
		t.Fatalf("next=//evil.example redirected to %q", res.location)
	}
}
