package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserCommitteeAssignments: the secretariat opens the committee, runs the automatic
// assignment, sees the load per evaluator and the coverage per entry, and removes an evaluator
// from an entry, first without a reason. Every page is checked with axe-core.
func TestBrowserCommitteeAssignments(t *testing.T) {
	w := newCommitteeWorld(t, "kim", "park")
	for _, l := range []string{"eva", "evb", "evc", "evd"} {
		w.evaluator(t, l)
	}
	ctx := browsertest.Tab(t)
	base := w.e.srv.URL
	run := browserSteps(t, ctx)
	browserSignIn(t, w.e, ctx, w.sec)
	run("committee", chromedp.Navigate(base+"/committee"), chromedp.WaitVisible(`section.card`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "committee")

	run("assignments", chromedp.Navigate(base+"/committee/assignments"), chromedp.WaitVisible(`table.coverage`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "assignments before the run")
	var flash, load, coverage string
	run("auto", chromedp.Click(`form[action^="/committee/assignments/auto"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
		chromedp.Text(`.flash`, &flash, chromedp.ByQuery),
		chromedp.Text(`table`, &load, chromedp.ByQuery),
		chromedp.Text(`table.coverage`, &coverage, chromedp.ByQuery))
	if !strings.Contains(flash, "6 new assignments") {
		t.Errorf("flash %q", flash)
	}
	// The load table comes first: every evaluator with their expertise.
	for _, want := range []string{"eva", "evd", "Tech-InnovaCity", "Assigned entries", "Sheets submitted"} {
		if !strings.Contains(load, want) {
			t.Errorf("load table lacks %q:\n%s", want, load)
		}
	}
	if strings.Count(coverage, "3 of 3") != 2 {
		t.Errorf("coverage table:\n%s", coverage)
	}
	browsertest.CheckA11y(t, ctx, "assignments after the run")
	browsertest.Screenshot(t, ctx, "committee-assignments")

	run("remove without a reason",
		chromedp.Click(`table.coverage details summary`, chromedp.ByQuery),
		chromedp.Click(`table.coverage details form button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "removal without a reason")
	run("remove",
		chromedp.SendKeys(`table.coverage details[open] input[name="reason"]`, "Too many entries this week", chromedp.ByQuery),
		chromedp.Click(`table.coverage details[open] form button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
		chromedp.Text(`table.coverage`, &coverage, chromedp.ByQuery))
	if !strings.Contains(coverage, "2 of 3") {
		t.Errorf("coverage after removal:\n%s", coverage)
	}
	browsertest.CheckA11y(t, ctx, "assignments after a removal")
	if n := w.count(t, `SELECT count(*) FROM assignments WHERE end_kind = 'removed' AND end_reason = 'Too many entries this week'`); n != 1 {
		t.Errorf("removed assignments: %d", n)
	}
}
