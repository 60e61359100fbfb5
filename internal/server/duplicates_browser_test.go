package server_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserStatusAndDuplicates: the applicant's status timeline and the secretariat's duplicate
// finder, both checked with axe-core.
func TestBrowserStatusAndDuplicates(t *testing.T) {
	e := newEnvAt(t, time.Date(2023, 6, 10, 0, 0, 0, 0, time.UTC), nil, "seoul-2023")
	const summary = "Bus shelters with sensors, heating and free Wi-Fi that tell waiting passengers when the next bus arrives."
	duplicateEntry(t, e, "tech", "tech-innovacity", "Smart Bus Shelters for Seoul", summary, "Seoul Metropolitan Government")
	duplicateEntry(t, e, "human", "human-centricity", "Smart bus shelters in Seoul", summary, "Seoul Metropolitan Government")
	kim := applicantUser(t, e, "kim", true)
	sec := matrixUser(t, e, "sec", "secretariat")
	ctx := browsertest.Tab(t)
	base := e.srv.URL
	run := browserSteps(t, ctx)

	browserSignIn(t, e, ctx, kim)
	run("status", chromedp.Navigate(base+"/application/status"),
		chromedp.WaitVisible(`ol.timeline [aria-current="step"]`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "application status")
	browsertest.Screenshot(t, ctx, "application-status")

	browserSignIn(t, e, ctx, sec)
	run("duplicates", chromedp.Navigate(base+"/dashboard"),
		chromedp.WaitVisible(`main a[href^="/secretariat/duplicates"]`, chromedp.ByQuery),
		chromedp.Click(`main a[href^="/secretariat/duplicates"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "secretariat duplicates")
	browsertest.Screenshot(t, ctx, "secretariat-duplicates")
}
