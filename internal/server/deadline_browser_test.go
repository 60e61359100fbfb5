package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserSecretariatExtendsADeadline: after the deadline (test clock), the secretariat lists
// the applications, is refused an extension without a reason, grants one; the applicant's
// overview then shows the extended deadline, with deadline.js adding the visitor's own time zone
// (New York here) and a countdown. Every page is checked with axe-core.
func TestBrowserSecretariatExtendsADeadline(t *testing.T) {
	e := newEnvAt(t, seoulDeadline.Add(time.Hour), nil, "seoul-2023")
	kim := applicantUser(t, e, "kim", true)
	saveAnswers(t, e, kim, completeAnswers(t, e))
	sec := matrixUser(t, e, "sec", "secretariat")
	ctx := browsertest.Tab(t)
	base := e.srv.URL
	run := browserSteps(t, ctx)
	run("time zone", emulation.SetTimezoneOverride("America/New_York"))

	browserSignIn(t, e, ctx, sec)
	run("dashboard", chromedp.Navigate(base+"/dashboard"),
		chromedp.WaitVisible(`main a[href^="/secretariat/applications"]`, chromedp.ByQuery),
		chromedp.Click(`main a[href^="/secretariat/applications"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "secretariat applications")
	browsertest.Screenshot(t, ctx, "secretariat-applications")

	run("extension form",
		chromedp.Click(`a[href$="/extension"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-until`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "secretariat extension form")
	run("no reason",
		chromedp.SetValue(`#f-until`, "2023-06-03T18:00", chromedp.ByQuery),
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "secretariat extension form with errors")
	browsertest.Screenshot(t, ctx, "secretariat-extension-errors")
	var kept string
	run("until kept", chromedp.Value(`#f-until`, &kept, chromedp.ByQuery))
	if kept != "2023-06-03T18:00" {
		t.Fatalf("until shows %q after the error, want what was entered", kept)
	}
	run("grant",
		chromedp.SendKeys(`#f-reason`, "Power cut in the city on the deadline day", chromedp.ByQuery),
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	var list string
	run("list", chromedp.Text(`main`, &list, chromedp.ByQuery))
	if !strings.Contains(list, "Until 3 June 2023, 18:00 KST") {
		t.Fatalf("the list does not show the extension:\n%s", list)
	}
	browsertest.CheckA11y(t, ctx, "secretariat applications after a grant")

	browserSignIn(t, e, ctx, kim)
	var local, countdown string
	run("applicant overview",
		chromedp.Navigate(base+"/application"),
		chromedp.WaitVisible(`.deadline-local`, chromedp.ByQuery),
		chromedp.Text(`.deadline-local`, &local, chromedp.ByQuery),
		chromedp.Text(`.deadline-countdown`, &countdown, chromedp.ByQuery),
	)
	// 3 June 2023, 18:00 in Seoul is 05:00 in New York (EDT); the server's clock shows
	// 31 May 2023, 15:59 UTC, so 2 days 17 hours remain.
	if !strings.Contains(local, "America/New_York") || !strings.Contains(local, "05:00") || !strings.Contains(local, "June 3, 2023") {
		t.Fatalf("local deadline %q, want it in New York time", local)
	}
	if strings.TrimSpace(countdown) != "2 days 17 hours left" {
		t.Fatalf("countdown %q, want 2 days 17 hours left", countdown)
	}
	browsertest.CheckA11y(t, ctx, "application overview with an extension")
	browsertest.Screenshot(t, ctx, "application-extended-deadline")
	run("section", chromedp.Navigate(base+"/application/sections/project"),
		chromedp.WaitVisible(`[id="f-q.project_title"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.deadline-local`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "application section with an extension")
	browsertest.Screenshot(t, ctx, "application-section-extended-deadline")
}
