package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserStaffEnrolsTOTPAndSignsInWithCode: an admin invites a secretariat member, who opens
// the emailed link, sets a password, is sent to set up two-factor sign-in, reads the setup key shown on the page, confirms it with a
// code computed from that key, saves the recovery codes, signs out and signs in again with a code.
// Every page is checked with axe-core and photographed.
func TestBrowserStaffEnrolsTOTPAndSignsInWithCode(t *testing.T) {
	e := newTwoFactorEnv(t)
	ctx := browsertest.Tab(t)
	base := e.srv.URL

	signIn := func() {
		t.Helper()
		browserRun(t, ctx, "sign in",
			chromedp.Navigate(base+"/signin"),
			chromedp.WaitVisible(`#f-login`, chromedp.ByQuery),
			browserSignInForm("sec-jang@seoul.example", tfPassword),
		)
	}

	// An admin invites a secretariat member; the invitee opens the emailed link in the browser
	// and sets a password, which leads straight to the two-factor enrolment.
	admin, _ := e.adminSignIn(t, "root", "admin")
	wantStatus(t, "invitation", admin.post("/admin/invite", url.Values{
		"email": {"sec-jang@seoul.example"}, "name": {"Ji-ho Jang"}, "roles": {"secretariat"}, "edition": {e.editionID(t)},
	}), http.StatusSeeOther)
	link := e.lastLink(t, "sec-jang@seoul.example", "invite")
	browserRun(t, ctx, "set a password",
		chromedp.Navigate(base+link),
		chromedp.WaitVisible(`#f-password`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-password`, tfPassword, chromedp.ByQuery),
		chromedp.SendKeys(`#f-repeat`, tfPassword, chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
	)

	// A staff member without TOTP is sent to set it up.
	var path, secretText string
	var qrLoaded bool
	browserRun(t, ctx, "two-factor setup at sign-in",
		chromedp.WaitVisible(`#totp-secret`, chromedp.ByQuery),
		chromedp.Evaluate(`location.pathname`, &path),
		chromedp.Text(`#totp-secret`, &secretText, chromedp.ByQuery),
		chromedp.Poll(`document.querySelector('img.qr-code').complete`, nil),
		chromedp.Evaluate(`document.querySelector('img.qr-code').naturalWidth > 0`, &qrLoaded),
	)
	if path != "/signin/two-factor/setup" {
		t.Fatalf("after the password: %s, want the setup step", path)
	}
	if !qrLoaded {
		t.Error("the QR code image did not load (content security policy?)")
	}
	groups := strings.Fields(secretText)
	secret := strings.Join(groups, "")
	if len(groups) != 8 || len(secret) != 32 {
		t.Fatalf("setup key %q is not shown in 8 groups", secretText)
	}
	browsertest.CheckA11y(t, ctx, "two-factor setup at sign-in")
	browsertest.Screenshot(t, ctx, "two-factor-setup")
	if err := chromedp.Run(ctx, browsertest.Phone()); err != nil {
		t.Fatal(err)
	}
	var overflow bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth`, &overflow)); err != nil {
		t.Fatal(err)
	}
	if overflow {
		t.Error("the setup page scrolls sideways on a phone")
	}
	browsertest.CheckA11y(t, ctx, "two-factor setup (phone)")
	browsertest.Screenshot(t, ctx, "two-factor-setup-phone")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}

	// A wrong code is refused with a message next to the field.
	wrong := "000000"
	if wrong == e.code(t, secret) {
		wrong = "111111"
	}
	var fieldErr string
	browserRun(t, ctx, "two-factor setup with an error",
		chromedp.SendKeys(`#f-code`, wrong, chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
		chromedp.Text(`#f-code-error`, &fieldErr, chromedp.ByQuery),
	)
	if !strings.Contains(fieldErr, "That code is not right") {
		t.Fatalf("field message = %q", fieldErr)
	}
	browsertest.CheckA11y(t, ctx, "two-factor setup with an error")
	browsertest.Screenshot(t, ctx, "two-factor-setup-error")

	// The right code, computed from the key shown on the page, turns it on; the recovery codes
	// are shown once.
	var codes []string
	browserRun(t, ctx, "recovery codes",
		chromedp.SetValue(`#f-code`, e.code(t, secret), chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`ol.recovery-codes`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll('ol.recovery-codes code')].map(c => c.textContent)`, &codes),
	)
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown", len(codes))
	}
	browsertest.CheckA11y(t, ctx, "recovery codes")
	browsertest.Screenshot(t, ctx, "two-factor-recovery-codes")
	var h1 string
	browserRun(t, ctx, "continue",
		chromedp.Click(`main a.button`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action="/signout"]`, chromedp.ByQuery),
	)
	browserWantPath(t, ctx, "continue", "/dashboard")

	// The account page shows it is on, and staff cannot turn it off.
	var body string
	browserRun(t, ctx, "two-factor account page",
		chromedp.Navigate(base+"/account/two-factor"),
		chromedp.WaitVisible(`h1`, chromedp.ByQuery),
		chromedp.Text(`main`, &body, chromedp.ByQuery),
	)
	if !strings.Contains(body, "Two-factor sign-in is on since") || !strings.Contains(body, "cannot be turned off") {
		t.Fatalf("account page:\n%s", body)
	}
	browsertest.CheckA11y(t, ctx, "two-factor account page")
	browsertest.Screenshot(t, ctx, "two-factor-account")

	// Sign out; half a minute later, sign in again with a new code.
	e.clock.Advance(30 * time.Second)
	browserSignOut(t, ctx, "sign out")
	signIn()
	var autocomplete, inputmode string
	browserRun(t, ctx, "two-factor code step",
		chromedp.WaitVisible(`#f-code`, chromedp.ByQuery),
		chromedp.Evaluate(`location.pathname`, &path),
		chromedp.Evaluate(`document.querySelector('#f-code').autocomplete`, &autocomplete),
		chromedp.Evaluate(`document.querySelector('#f-code').inputMode`, &inputmode),
	)
	if path != "/signin/two-factor" || autocomplete != "one-time-code" || inputmode != "numeric" {
		t.Fatalf("code step: %s autocomplete=%q inputmode=%q", path, autocomplete, inputmode)
	}
	browsertest.CheckA11y(t, ctx, "two-factor code step")
	browsertest.Screenshot(t, ctx, "two-factor-code")

	// The recovery-code alternative is one link away, and back.
	browserRun(t, ctx, "two-factor recovery code step",
		chromedp.Click(`a[href="/signin/two-factor?method=recovery"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`main a[href="/signin/two-factor"]`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "two-factor recovery code step")
	browsertest.Screenshot(t, ctx, "two-factor-recovery")
	browserRun(t, ctx, "dashboard after two-factor sign-in",
		chromedp.Click(`a[href="/signin/two-factor"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`main a[href="/signin/two-factor?method=recovery"]`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-code`, e.code(t, secret), chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action="/signout"]`, chromedp.ByQuery),
		chromedp.Evaluate(`location.pathname`, &path),
		chromedp.Text(`h1`, &h1, chromedp.ByQuery),
	)
	if path != "/dashboard" {
		t.Fatalf("after the code: %s (%q)", path, h1)
	}
	browsertest.CheckA11y(t, ctx, "dashboard after two-factor sign-in")
}
