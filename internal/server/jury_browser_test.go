package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserManagerAppointsAnEvaluator: a manager of seoul-2023 opens the jury page, submits the
// appointment form empty (the error summary and the messages next to the fields), then appoints
// an evaluator with an expertise; the evaluator follows the emailed link, sets a password and
// enrols TOTP with a code computed from the key shown; the jury page then shows them accepted
// with their second factor enrolled. Every page is checked with axe-core.
func TestBrowserManagerAppointsAnEvaluator(t *testing.T) {
	e := newTwoFactorEnv(t)
	ctx := browsertest.Tab(t)
	base := e.srv.URL
	run := browserSteps(t, ctx)
	ed := e.edition(t, "seoul-2023")
	manager := e.newAccount(t, "mia", "manager")
	browserSignIn(t, e.env, ctx, manager)

	run("jury page", chromedp.Navigate(base+"/jury"), chromedp.WaitVisible(`#f-name`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "jury page")
	browsertest.Screenshot(t, ctx, "jury")
	run("empty appointment",
		chromedp.SendKeys(`#f-name`, "Eun-ji Evaluator", chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
	)
	var name string
	run("the name is kept", chromedp.Value(`#f-name`, &name, chromedp.ByQuery))
	if name != "Eun-ji Evaluator" {
		t.Fatalf("the refused form lost the name: %q", name)
	}
	browsertest.CheckA11y(t, ctx, "jury page with errors")
	browsertest.Screenshot(t, ctx, "jury-errors")
	run("appoint",
		chromedp.SendKeys(`#f-email`, "eunji@seoul.example", chromedp.ByQuery),
		chromedp.Click(`input[name=post][value=evaluator]`, chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf(`input[name=categories][value="%d"]`, ed.Categories[0].ID), chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	if text := browserText(t, ctx); !strings.Contains(text, "Invited, has not set a password yet") {
		t.Fatalf("after the appointment:\n%s", text)
	}
	browsertest.CheckA11y(t, ctx, "jury page after the appointment")
	browserSignOut(t, ctx, "manager signs out")

	// The evaluator follows the emailed link, sets a password and enrols TOTP.
	link := e.lastLink(t, "eunji@seoul.example", "invite")
	run("set a password",
		chromedp.Navigate(base+link),
		chromedp.WaitVisible(`#f-password`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-password`, tfPassword, chromedp.ByQuery),
		chromedp.SendKeys(`#f-repeat`, tfPassword, chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
	)
	var secretText string
	run("two-factor setup", chromedp.WaitVisible(`#totp-secret`, chromedp.ByQuery), chromedp.Text(`#totp-secret`, &secretText, chromedp.ByQuery))
	browserWantPath(t, ctx, "after the password", "/signin/two-factor/setup")
	secret := strings.Join(strings.Fields(secretText), "")
	run("enrol",
		chromedp.SendKeys(`#f-code`, e.code(t, secret), chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`ol.recovery-codes`, chromedp.ByQuery),
		chromedp.Click(`main a.button`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action="/signout"]`, chromedp.ByQuery),
	)
	browserWantPath(t, ctx, "after the enrolment", "/dashboard")
	browserSignOut(t, ctx, "evaluator signs out")

	// The manager sees the evaluator accepted with the second factor enrolled.
	browserSignIn(t, e.env, ctx, manager)
	run("jury page after the acceptance", chromedp.Navigate(base+"/jury"), chromedp.WaitVisible(`#f-name`, chromedp.ByQuery))
	text := browserText(t, ctx)
	if !strings.Contains(text, "Eun-ji Evaluator") || !strings.Contains(text, "Accepted, second factor enrolled") {
		t.Fatalf("jury page after the acceptance:\n%s", text)
	}
	browsertest.CheckA11y(t, ctx, "jury page after the acceptance")
	if err := chromedp.Run(ctx, browsertest.Phone()); err != nil {
		t.Fatal(err)
	}
	var overflow bool
	run("phone", chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth`, &overflow))
	if overflow {
		t.Error("the jury page scrolls sideways on a phone")
	}
	browsertest.CheckA11y(t, ctx, "jury page (phone)")
	browsertest.Screenshot(t, ctx, "jury-phone")
}
