package server_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pquerna/otp/totp"

	"prizeportal/internal/account"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
)

// testClock is a clock the test moves forward: TOTP codes change every 30 seconds and a code
// accepted once is refused afterwards, so two-factor tests need time to pass.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// tfEnv is a test portal with a movable clock, seoul-2023 imported.
type tfEnv struct {
	*env
	clock *testClock
}

func newTwoFactorEnv(t *testing.T) *tfEnv {
	t.Helper()
	// Start on a step boundary, so Advance(30*time.Second) always reaches the next TOTP step.
	clock := &testClock{now: fixedNow.Truncate(30 * time.Second)}
	return &tfEnv{env: newEnvClock(t, dbtest.New(t), clock.Now, nil, "seoul-2023"), clock: clock}
}

const tfPassword = "violet tram under seoul"

// newAccount creates a verified account with login and the given role (staff roles in the
// seoul-2023 edition; "" for none).
func (e *tfEnv) newAccount(t *testing.T, login, role string) int64 {
	t.Helper()
	ctx := context.Background()
	hash, err := account.HashPassword(tfPassword, account.TestHashParams)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	err = e.pool.QueryRow(ctx, `
		INSERT INTO users (login_id, email, name, password_hash, email_verified_at)
		VALUES ($1, $1 || '@example.org', 'Test ' || $1, $2, now()) RETURNING id`, login, hash).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	switch role {
	case "":
	case "admin":
		_, err = e.pool.Exec(ctx, `INSERT INTO role_grants (user_id, role) VALUES ($1, 'admin')`, id)
	default:
		_, err = e.pool.Exec(ctx, `INSERT INTO role_grants (user_id, role, edition_id) SELECT $1, $2, id FROM editions WHERE slug = 'seoul-2023'`, id, role)
	}
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// enrolledAccount creates an account holding role with TOTP turned on, and returns its id and
// its TOTP secret.
func (e *tfEnv) enrolledAccount(t *testing.T, login, role string) (int64, string) {
	t.Helper()
	id := e.newAccount(t, login, role)
	secret, _ := e.enrol(t, id)
	return id, secret
}

// enrol turns TOTP on for userID through the account functions and returns the secret and the
// recovery codes. The clock then moves to the next step, so the confirming code is in the past.
func (e *tfEnv) enrol(t *testing.T, userID int64) (string, []string) {
	t.Helper()
	ctx := context.Background()
	setup, err := account.NewTOTPSetup(ctx, e.pool, userID, "")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	err = db.InTx(ctx, e.pool, func(tx pgx.Tx) error {
		codes, err = account.EnableTOTP(ctx, tx, e.keys, userID, setup.Secret, e.code(t, setup.Secret), e.clock.Now(), "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(30 * time.Second)
	return setup.Secret, codes
}

// code is the TOTP code of secret at the portal's clock.
func (e *tfEnv) code(t *testing.T, secret string) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// signInPassword passes the password step of signing in as login.
func signInPassword(c *client, login, next string) reply {
	c.t.Helper()
	form := url.Values{"login": {login}, "password": {tfPassword}}
	if next != "" {
		form.Set("next", next)
	}
	return c.post("/signin", form)
}

func (e *tfEnv) audits(t *testing.T, userID int64, action string) int {
	t.Helper()
	return dbtest.Count(t, e.pool, `SELECT count(*) FROM audit_log WHERE actor_id = $1 AND action = $2`, userID, action)
}

func TestTwoFactorCodeStep(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	id, secret := e.enrolledAccount(t, "sec-kim", "secretariat")
	c := e.client(t)

	res := signInPassword(c, "sec-kim", "/account/two-factor")
	if res.status != 303 || res.location != "/signin/two-factor" {
		t.Fatalf("password step: %d %q, want 303 to the code step", res.status, res.location)
	}
	// Pending is not signed in.
	if res := c.get("/dashboard"); res.status != 303 || !strings.HasPrefix(res.location, "/signin") {
		t.Fatalf("pending user reached the dashboard: %d %q", res.status, res.location)
	}
	page := c.get("/signin/two-factor")
	if page.status != 200 {
		t.Fatalf("code step: %d", page.status)
	}
	for _, want := range []string{`autocomplete="one-time-code"`, `inputmode="numeric"`, `name="code"`, `href="/signin/two-factor?method=recovery"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("code step lacks %s", want)
		}
	}
	if res := c.post("/signin/two-factor", url.Values{"code": {""}}); res.status != 422 || !strings.Contains(res.body, "Enter the 6-digit code") {
		t.Fatalf("empty code: %d", res.status)
	}
	good := e.code(t, secret)
	wrong := "000000"
	if wrong == good {
		wrong = "111111"
	}
	if res := c.post("/signin/two-factor", url.Values{"code": {wrong}}); res.status != 422 || !strings.Contains(res.body, "That code is not right") {
		t.Fatalf("wrong code: %d\n%s", res.status, res.body)
	}
	res = c.post("/signin/two-factor", url.Values{"code": {good}})
	if res.status != 303 || res.location != "/account/two-factor" {
		t.Fatalf("right code: %d %q, want 303 to next", res.status, res.location)
	}
	if res := c.get("/account/two-factor"); res.status != 200 || !strings.Contains(res.body, "Two-factor sign-in is <strong>on</strong>") {
		t.Fatalf("signed in: %d", res.status)
	}
	if e.audits(t, id, "two_factor.code_failed") != 1 || e.audits(t, id, "two_factor.verified") != 1 {
		t.Error("audit entries missing")
	}

	// The same code cannot sign in twice, even within its 30 seconds.
	c2 := e.client(t)
	signInPassword(c2, "sec-kim", "")
	if res := c2.post("/signin/two-factor", url.Values{"code": {good}}); res.status != 422 {
		t.Fatalf("replayed code: %d, want 422", res.status)
	}
	e.clock.Advance(30 * time.Second)
	if res := c2.post("/signin/two-factor", url.Values{"code": {e.code(t, secret)}}); res.status != 303 || res.location != "/dashboard" {
		t.Fatalf("next code: %d %q", res.status, res.location)
	}
}

func TestTwoFactorNeedsPendingSignIn(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	_, secret := e.enrolledAccount(t, "eval-lee", "evaluator")
	c := e.client(t)
	for _, path := range []string{"/signin/two-factor", "/signin/two-factor/setup"} {
		if res := c.get(path); res.status != 303 || res.location != "/signin" {
			t.Errorf("GET %s without sign-in: %d %q", path, res.status, res.location)
		}
		if res := c.post(path, url.Values{"code": {e.code(t, secret)}}); res.status != 303 || res.location != "/signin" {
			t.Errorf("POST %s without sign-in: %d %q", path, res.status, res.location)
		}
	}
	c.get("/signin") // shows and forgets the messages so far
	// A pending sign-in expires.
	signInPassword(c, "eval-lee", "")
	e.clock.Advance(21 * time.Minute)
	if res := c.post("/signin/two-factor", url.Values{"code": {e.code(t, secret)}}); res.status != 303 || res.location != "/signin" {
		t.Fatalf("expired pending sign-in: %d %q", res.status, res.location)
	}
	if res := c.get("/signin"); !strings.Contains(res.body, "took too long") {
		t.Error("no message about the expired sign-in")
	}
	// An open redirect in next is refused.
	e.clock.Advance(30 * time.Second)
	signInPassword(c, "eval-lee", "//evil.example/x")
	if res := c.post("/signin/two-factor", url.Values{"code": {e.code(t, secret)}}); res.location != "/dashboard" {
		t.Fatalf("next //evil.example: %q", res.location)
	}
}

func TestTwoFactorWrongCodesAreLimited(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	id, secret := e.enrolledAccount(t, "council-park", "council")
	c := e.client(t)
	signInPassword(c, "council-park", "")
	good := e.code(t, secret)
	wrong := "123456"
	if wrong == good {
		wrong = "654321"
	}
	for i := range 3 {
		if res := c.post("/signin/two-factor", url.Values{"code": {wrong}}); res.status != 422 {
			t.Fatalf("wrong code %d: %d", i+1, res.status)
		}
	}
	// After three wrong codes, even the right one must wait.
	res := c.post("/signin/two-factor", url.Values{"code": {good}})
	if res.status != 429 || !strings.Contains(res.body, "Too many wrong codes") || !strings.Contains(res.body, "try again in a second") {
		t.Fatalf("limited: %d\n%s", res.status, res.body)
	}
	// The limit is per account: signing in again does not reset it.
	c2 := e.client(t)
	signInPassword(c2, "council-park", "")
	if res := c2.post("/signin/two-factor", url.Values{"code": {good}}); res.status != 429 {
		t.Fatalf("new session: %d, want 429", res.status)
	}
	e.clock.Advance(2 * time.Second)
	if res := c2.post("/signin/two-factor", url.Values{"code": {good}}); res.status != 303 {
		t.Fatalf("after the wait: %d", res.status)
	}
	if n := e.audits(t, id, "two_factor.code_failed"); n != 3 {
		t.Errorf("%d failed-code audit entries, want 3", n)
	}
}

func TestTwoFactorRecoveryCodeSignIn(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	id := e.newAccount(t, "applicant-yoon", "applicant")
	_, codes := e.enrol(t, id)
	c := e.client(t)
	if res := signInPassword(c, "applicant-yoon", ""); res.location != "/signin/two-factor" {
		t.Fatalf("applicant with totp: %q", res.location)
	}
	page := c.get("/signin/two-factor?method=recovery")
	if !strings.Contains(page.body, "Recovery code") || !strings.Contains(page.body, `value="recovery"`) {
		t.Fatal("recovery code form not shown")
	}
	res := c.post("/signin/two-factor", url.Values{"method": {"recovery"}, "code": {strings.ToLower(codes[3])}})
	if res.status != 303 || res.location != "/dashboard" {
		t.Fatalf("recovery code: %d %q", res.status, res.location)
	}
	if res := c.get("/account/two-factor"); !strings.Contains(res.body, "You have 9 left") || !strings.Contains(res.body, "9 unused recovery codes") {
		t.Errorf("recovery code use not reported:\n%s", res.body)
	}
	if e.audits(t, id, "two_factor.recovery_code_use") != 1 {
		t.Error("no audit entry for the recovery code")
	}
	c2 := e.client(t)
	signInPassword(c2, "applicant-yoon", "")
	if res := c2.post("/signin/two-factor", url.Values{"method": {"recovery"}, "code": {codes[3]}}); res.status != 422 || !strings.Contains(res.body, "used already") {
		t.Fatalf("reused recovery code: %d", res.status)
	}
}

var secretRE = regexp.MustCompile(`<code id="totp-secret">([A-Z2-7 ]+)</code>`)

// secretOnPage reads the TOTP setup key shown as text on a setup page.
func secretOnPage(t *testing.T, body string) string {
	t.Helper()
	m := secretRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no setup key on the page:\n%s", body)
	}
	return strings.ReplaceAll(m[1], " ", "")
}

var recoveryRE = regexp.MustCompile(`<li><code>([A-Z2-7]{5}-[A-Z2-7]{5})</code></li>`)

func TestStaffEnrolsAtFirstSignIn(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	id := e.newAccount(t, "head-choi", "committee_head")
	c := e.client(t)
	if res := signInPassword(c, "head-choi", "/account/two-factor"); res.status != 303 || res.location != "/signin/two-factor/setup" {
		t.Fatalf("staff without totp: %d %q, want the setup step", res.status, res.location)
	}
	if res := c.get("/signin/two-factor"); res.location != "/signin/two-factor/setup" {
		t.Errorf("code step before enrolment: %q", res.location)
	}
	page := c.get("/signin/two-factor/setup")
	if page.status != 200 {
		t.Fatalf("setup: %d", page.status)
	}
	for _, want := range []string{`src="data:image/png;base64,`, `alt="QR code that adds Prize Portal (head-choi) to an authenticator app`, `action="/signin/two-factor/setup"`, `autocomplete="one-time-code"`, `href="otpauth://totp/Prize%20Portal:head-choi?`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("setup page lacks %s", want)
		}
	}
	secret := secretOnPage(t, page.body)
	if again := secretOnPage(t, c.get("/signin/two-factor/setup").body); again != secret {
		t.Error("reloading the setup page changed the key")
	}
	if res := c.post("/signin/two-factor/setup", url.Values{"code": {"12345"}}); res.status != 422 || !strings.Contains(res.body, "6 digits") {
		t.Fatalf("short code: %d", res.status)
	}
	if enrolled, _, _ := account.TwoFactorStatus(context.Background(), e.pool, id); enrolled {
		t.Fatal("enrolled before confirming")
	}
	res := c.post("/signin/two-factor/setup", url.Values{"code": {e.code(t, secret)}})
	if res.status != 303 || res.location != "/account/two-factor/recovery-codes?next=%2Faccount%2Ftwo-factor" {
		t.Fatalf("confirm: %d %q", res.status, res.location)
	}
	shown := c.get(res.location)
	codes := recoveryRE.FindAllStringSubmatch(shown.body, -1)
	if len(codes) != account.RecoveryCodeCount || !strings.Contains(shown.body, `href="/account/two-factor"`) {
		t.Fatalf("recovery codes page shows %d codes:\n%s", len(codes), shown.body)
	}
	if again := c.get(res.location); len(recoveryRE.FindAllString(again.body, -1)) != 0 || !strings.Contains(again.body, "already been shown") {
		t.Fatal("recovery codes shown twice")
	}
	acct := c.get("/account/two-factor")
	if !strings.Contains(acct.body, "on</strong> since 10 May 2023") || !strings.Contains(acct.body, "cannot be turned off") || strings.Contains(acct.body, `action="/account/two-factor/disable"`) {
		t.Fatalf("account page:\n%s", acct.body)
	}
	// Staff cannot turn it off, even by posting the form.
	e.clock.Advance(30 * time.Second)
	if res := c.post("/account/two-factor/disable", url.Values{"disable_code": {e.code(t, secret)}}); res.status != 403 || !strings.Contains(res.body, "cannot be turned off") {
		t.Fatalf("staff disable: %d", res.status)
	}
	if enrolled, _, _ := account.TwoFactorStatus(context.Background(), e.pool, id); !enrolled {
		t.Fatal("staff two-factor turned off")
	}
	// A recovery code from the page works at the next sign-in.
	c2 := e.client(t)
	signInPassword(c2, "head-choi", "")
	if res := c2.post("/signin/two-factor", url.Values{"method": {"recovery"}, "code": {codes[0][1]}}); res.status != 303 {
		t.Fatalf("recovery code from the page: %d", res.status)
	}
}

func TestApplicantManagesTwoFactor(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	id := e.newAccount(t, "applicant-han", "applicant")
	c := e.client(t)
	if res := signInPassword(c, "applicant-han", ""); res.location != "/dashboard" {
		t.Fatalf("applicant without totp signs in directly: %q", res.location)
	}
	if res := c.get("/account/two-factor"); !strings.Contains(res.body, "<strong>off</strong>") || !strings.Contains(res.body, `href="/account/two-factor/setup"`) {
		t.Fatalf("status off:\n%s", res.body)
	}
	page := c.get("/account/two-factor/setup")
	secret := secretOnPage(t, page.body)
	if strings.Contains(page.body, `name="current"`) {
		t.Error("first enrolment asks for a current code")
	}
	res := c.post("/account/two-factor/setup", url.Values{"code": {e.code(t, secret)}})
	if res.status != 303 || res.location != "/account/two-factor/recovery-codes" {
		t.Fatalf("enrol: %d %q", res.status, res.location)
	}
	first := recoveryRE.FindAllStringSubmatch(c.get(res.location).body, -1)
	if len(first) != account.RecoveryCodeCount {
		t.Fatalf("%d recovery codes", len(first))
	}

	// New recovery codes need a code, and invalidate the old ones.
	if res := c.post("/account/two-factor/recovery-codes", url.Values{"regenerate_code": {""}}); res.status != 422 || !strings.Contains(res.body, `href="#f-regenerate_code"`) {
		t.Fatalf("regenerate without code: %d", res.status)
	}
	e.clock.Advance(30 * time.Second)
	res = c.post("/account/two-factor/recovery-codes", url.Values{"regenerate_code": {e.code(t, secret)}})
	if res.status != 303 || res.location != "/account/two-factor/recovery-codes" {
		t.Fatalf("regenerate: %d %q", res.status, res.location)
	}
	second := recoveryRE.FindAllStringSubmatch(c.get(res.location).body, -1)
	if len(second) != account.RecoveryCodeCount || second[0][1] == first[0][1] {
		t.Fatal("no new recovery codes")
	}
	if res := c.post("/account/two-factor/disable", url.Values{"disable_code": {first[0][1]}}); res.status != 422 {
		t.Fatalf("old recovery code after regenerating: %d", res.status)
	}

	// Moving to a new authenticator needs the current one (here a recovery code) and the new one.
	page = c.get("/account/two-factor/setup")
	if !strings.Contains(page.body, `name="current"`) {
		t.Fatal("replacing does not ask for the current code")
	}
	newSecret := secretOnPage(t, page.body)
	if res := c.post("/account/two-factor/setup", url.Values{"current": {"999999"}, "code": {e.code(t, newSecret)}}); res.status != 422 || !strings.Contains(res.body, "That code is not right") {
		t.Fatalf("replace with a wrong current code: %d", res.status)
	}
	res = c.post("/account/two-factor/setup", url.Values{"current": {second[1][1]}, "code": {e.code(t, newSecret)}})
	if res.status != 303 {
		t.Fatalf("replace: %d\n%s", res.status, res.body)
	}
	c.get(res.location)

	// Applicants may turn it off, with a current code.
	e.clock.Advance(30 * time.Second)
	if res := c.post("/account/two-factor/disable", url.Values{"disable_code": {e.code(t, secret)}}); res.status != 422 {
		t.Fatalf("old authenticator after replacing: %d", res.status)
	}
	res = c.post("/account/two-factor/disable", url.Values{"disable_code": {e.code(t, newSecret)}})
	if res.status != 303 || res.location != "/account/two-factor" {
		t.Fatalf("disable: %d %q", res.status, res.location)
	}
	if res := c.get("/account/two-factor"); !strings.Contains(res.body, "Two-factor sign-in is now off.") || !strings.Contains(res.body, "<strong>off</strong>") {
		t.Fatal("not off after disabling")
	}
	if e.audits(t, id, "two_factor.enable") != 2 || e.audits(t, id, "two_factor.disable") != 1 || e.audits(t, id, "two_factor.recovery_codes_regenerate") != 1 {
		t.Error("audit entries missing")
	}
	if res := signInPassword(e.client(t), "applicant-han", ""); res.location != "/dashboard" {
		t.Fatalf("after disabling, sign-in needs no code: %q", res.location)
	}
}
