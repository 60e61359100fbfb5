package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/tools/browsertest"
)

// TestBrowserApplicantJourney: an applicant registers in the browser, receives the verification
// email through a real SMTP server, confirms, sees the dashboard, signs out and signs in again.
// Every page is checked with axe-core.
func TestBrowserApplicantJourney(t *testing.T) {
	e := newEnvAt(t, time.Now(), nil)
	editiontest.ImportOpen(t, e.pool, "seoul-2023", time.Now())
	smtp := notifytest.StartSMTP(t)
	smtp.StartWorker(t, e.pool)
	ctx := browsertest.Tab(t)
	base := e.srv.URL

	var h1 string
	browserRun(t, ctx, "register step 1",
		chromedp.Navigate(base+"/register"),
		chromedp.WaitVisible(`#f-entity_type-0`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "register step 1")
	browserRun(t, ctx, "register step 2",
		chromedp.Click(`input[name=entity_type][value=city]`, chromedp.ByQuery),
		chromedp.Click(`main form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-login_id`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "register step 2")

	// A wrong pair, forced by editing the page, is refused with a message next to the field.
	browserRun(t, ctx, "register with errors",
		chromedp.Evaluate(`document.querySelector('input[name=category]').value = 'leadership'; document.querySelector('input[name=category]').checked = true`, nil),
		chromedp.SendKeys(`#f-name`, "Min-jun Kim", chromedp.ByQuery),
		chromedp.SendKeys(`#f-organisation`, "Seoul Metropolitan Government", chromedp.ByQuery),
		chromedp.SendKeys(`#f-email`, "mj@seoul.example", chromedp.ByQuery),
		chromedp.SendKeys(`#f-phone`, "+82 2 120 0000", chromedp.ByQuery),
		chromedp.SendKeys(`#f-city`, "Seoul", chromedp.ByQuery),
		chromedp.SetValue(`#f-country`, "KR", chromedp.ByQuery),
		chromedp.SendKeys(`#f-login_id`, "seoul-smart", chromedp.ByQuery),
		chromedp.SendKeys(`#f-password`, "violet tram under seoul", chromedp.ByQuery),
		chromedp.Click(`#f-terms`, chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
	)
	var fieldErr string
	if err := chromedp.Run(ctx, chromedp.Text(`#f-category-error`, &fieldErr, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fieldErr, "Leadership cannot be entered by a City") {
		t.Fatalf("field message = %q", fieldErr)
	}
	browsertest.CheckA11y(t, ctx, "register with errors")
	browsertest.Screenshot(t, ctx, "register-errors")

	// Typed values are kept; choose the right category and the password again. Registering
	// leads to the sign-in page (the same answer whether or not the address had an account).
	var notice string
	browserRun(t, ctx, "sign-in after registering",
		chromedp.Click(`input[name=category][value=human-centricity]`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-password`, "violet tram under seoul", chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
		chromedp.Text(`.flash`, &notice, chromedp.ByQuery),
	)
	if !strings.Contains(notice, "We sent an email to mj@seoul.example") {
		t.Fatalf("after registering: %q", notice)
	}
	browsertest.CheckA11y(t, ctx, "sign-in after registering")
	browserRun(t, ctx, "dashboard (unverified)",
		browserSignInForm("seoul-smart", "violet tram under seoul"),
		chromedp.WaitVisible(`.cards`, chromedp.ByQuery),
		chromedp.Text(`h1`, &h1, chromedp.ByQuery),
	)
	if h1 != "Welcome, Min-jun Kim" {
		t.Fatalf("dashboard h1 = %q", h1)
	}
	browsertest.CheckA11y(t, ctx, "dashboard (unverified)")
	browsertest.Screenshot(t, ctx, "dashboard-unverified")

	mail := smtp.WaitFor(t, "mj@seoul.example", "Confirm your email address", 30*time.Second)
	if !strings.Contains(mail.HTML, "Confirm my email address") || !strings.Contains(mail.Text, "Seoul Smart City Prize") {
		t.Fatalf("verification email lacks its parts:\n%s", mail.Text)
	}
	link, err := url.Parse(notifytest.FirstLink(mail.Text, "/verify/"))
	if err != nil || link.Path == "" {
		t.Fatalf("no verification link in:\n%s", mail.Text)
	}
	var body string
	browserRun(t, ctx, "verify page",
		chromedp.Navigate(base+link.Path),
		chromedp.WaitVisible(`form.form button`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "verify page")
	browserRun(t, ctx, "sign-in page",
		chromedp.Click(`form.form button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
		chromedp.Text(`main`, &body, chromedp.ByQuery),
	)
	if !strings.Contains(body, "your email address is confirmed") || strings.Contains(body, "Please confirm your email address") {
		t.Fatalf("after confirming:\n%s", body)
	}

	// Sign out, then sign in with the login ID.
	browserRun(t, ctx, "sign-in page",
		chromedp.Click(`form[action="/signout"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.hero .theme`, chromedp.ByQuery),
		chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(`#f-login`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "sign-in page")
	browserRun(t, ctx, "dashboard",
		browserSignInForm("seoul-smart", "violet tram under seoul"),
		chromedp.WaitVisible(`.cards`, chromedp.ByQuery),
		chromedp.Text(`main`, &body, chromedp.ByQuery),
	)
	if !strings.Contains(body, "Human-CentriCity entry as City") {
		t.Fatalf("dashboard after sign-in:\n%s", body)
	}
	browsertest.CheckA11y(t, ctx, "dashboard")
	browsertest.Screenshot(t, ctx, "dashboard")
}
