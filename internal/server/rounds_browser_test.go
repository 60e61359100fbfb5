package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/edition"
	"prizeportal/internal/tools/browsertest"
)

// TestBrowserStudioRoundsSheet: a manager opens Rounds and publication from the edition's page,
// chooses the aggregation method proposed (a select) and the repository's scope (radio buttons),
// reviews the two differences and saves them. Every page is checked with axe-core.
func TestBrowserStudioRoundsSheet(t *testing.T) {
	e := newEnv(t, nil, "seoul-2023")
	ctx := signedInTab(t, e, matrixUser(t, e, "mina", "manager"))
	run := browserSteps(t, ctx)
	method, scope := byName("scoring.method"), `[name="publication.repository"][value="finalists"]`
	run("the sheet",
		chromedp.Navigate(e.srv.URL+"/studio/seoul-2023"),
		chromedp.Click(`//a[.="Rounds and publication"]`, chromedp.BySearch),
		chromedp.WaitVisible(method, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "rounds and publication")
	browsertest.Screenshot(t, ctx, "studio-rounds")
	var diff string
	run("review",
		chromedp.SetValue(method, "zscore", chromedp.ByQuery),
		chromedp.Click(scope, chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table.diff`, chromedp.ByQuery),
		chromedp.Text(`table.diff tbody`, &diff, chromedp.ByQuery),
	)
	if !strings.Contains(diff, "zscore") || !strings.Contains(diff, "finalists") {
		t.Errorf("the review shows %q", diff)
	}
	browsertest.CheckA11y(t, ctx, "review of the rounds")
	run("save",
		chromedp.Click(`button[value=yes]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//div[@class="flash" and contains(., "Saved: 2 values changed")]`, chromedp.BySearch),
	)
	ed := e.edition(t, "seoul-2023")
	if ed.Scoring.Method != "zscore" || ed.Publication.Repository != edition.RepositoryFinalists {
		t.Errorf("stored: method %q, repository %q", ed.Scoring.Method, ed.Publication.Repository)
	}
}
