package server_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/tools/browsertest"
)

// TestBrowserFoundConflicts: an evaluator of the Seoul Digital Foundation sees the conflict the
// portal found with the foundation's entry, answers "not a conflict" without saying why (the
// error is shown next to the field and in the summary), then explains; the secretariat reads the
// answer on the registry page. Every page is checked with axe-core.
func TestBrowserFoundConflicts(t *testing.T) {
	e := newEnv(t, nil, "seoul-2023")
	sec := conflictStaff(t, e, "sec", "Sec Retariat", "secretariat", "seoul-2023")
	kim := conflictStaff(t, e, "kim", "Dr Kim", "evaluator", "seoul-2023")
	dbtest.Exec(t, e.pool, `UPDATE users SET organisation = 'Seoul Digital Foundation' WHERE id = $1`, kim)
	sdf := conflictEntry(t, e, "sdf", "Seoul Digital Foundation", "lee@sdf.seoul.kr", "Seoul")
	p := "#f-review" + strconv.FormatInt(sdf, 10) + "_"
	ctx := browsertest.Tab(t)
	base := e.srv.URL
	run := browserSteps(t, ctx)

	browserSignIn(t, e, ctx, kim)
	run("declarations", chromedp.Navigate(base+"/evaluator/declarations"),
		chromedp.WaitVisible(`#found`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "found conflicts")
	run("answer no without a reason",
		chromedp.Click(p+`decision-1`, chromedp.ByQuery),
		chromedp.Click(`section.found-conflict form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "found conflict answer with an error")
	run("explain",
		chromedp.SendKeys(p+`explanation`, "I left the foundation in 2019.", chromedp.ByQuery),
		chromedp.Click(`section.found-conflict form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[starts-with(., "You explained on")]`, chromedp.BySearch))
	browsertest.CheckA11y(t, ctx, "found conflict answered")
	browsertest.Screenshot(t, ctx, "found-conflicts")

	browserSignIn(t, e, ctx, sec)
	var table string
	run("registry", chromedp.Navigate(base+"/secretariat/conflicts"),
		chromedp.WaitVisible(`#found-caption`, chromedp.ByQuery),
		chromedp.Text(`//table[caption[@id="found-caption"]]`, &table, chromedp.BySearch))
	if !strings.Contains(table, "Dr Kim") || !strings.Contains(table, "I left the foundation in 2019.") {
		t.Errorf("the found conflicts show:\n%s", table)
	}
	browsertest.CheckA11y(t, ctx, "registry with found conflicts")
}
