package server_test

import (
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
	b := studioTab{t: t, ctx: ctx, base: e.srv.URL, shots: "jury"}
	ed := e.edition(t, "seoul-2023")
	manager := e.newAccount(t, "mia", "manager")
	browserSignIn(t, e.env, ctx, manager)

	b.run("jury page", chromedp.Navigate(b.base+"/jury"), chromedp.WaitVisible(`#f-name`, chromedp.ByQuery))
	b.check("jury page")
	browsertest.Screenshot(t, ctx, "jury")
	b.run("empty appointment",
		chromedp.SendKeys(`#f-name`, "Eun-ji Evaluator", chromedp.ByQuery),
		submit,
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
	)
	var name string
	b.run("the name is kept", chromedp.Value(`#f-name`, &name, chromedp.ByQuery))
	if name != "Eun-ji Evaluator" {
		t.Fatalf("the refused form lost the name: %q", name)
	}
	b.check("jury page with errors")
	b.shot("errors")
	b.appointEvaluator("Eun-ji Evaluator", "eunji@seoul.example", ed.Categories[0].ID)
	browserSignOut(t, ctx, "manager signs out")

	b.acceptInvitationAndEnrolTOTP(e, "eunji@seoul.example")
	b.wantAcceptedMember(e.env, manager, "/jury", "Eun-ji Evaluator")
	if err := chromedp.Run(ctx, browsertest.Phone()); err != nil {
		t.Fatal(err)
	}
	var overflow bool
	b.run("phone", chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth`, &overflow))
	if overflow {
		t.Error("the jury page scrolls sideways on a phone")
	}
	b.check("jury page (phone)")
	b.shot("phone")
}
