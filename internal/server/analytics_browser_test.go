package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserAnalytics: a council member opens the analytics from the dashboard once round 2 is
// closed: every chart is an SVG with a title and a description it is labelled by, with a data
// table and a CSV link; the page passes axe-core, on a phone too. With scripts disabled the
// charts and tables are all there (they are drawn on the server).
func TestBrowserAnalytics(t *testing.T) {
	de := analyticsWorld(t)
	closeScoring(t, de)
	base := de.srv.URL

	tab := signedInTab(t, de.env, de.council)
	browserRun(t, tab, "dashboard to the analytics",
		chromedp.Navigate(base+"/dashboard"),
		chromedp.Click(`a[href^="/analytics?"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#submissions`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "analytics")
	// every chart: an svg labelled by its own title and desc, both with text; every figure with
	// a drawing has a data table and a CSV link
	var problems []string
	browserRun(t, tab, "check the text alternatives", chromedp.Evaluate(`(() => {
		const out = [];
		const svgs = document.querySelectorAll('main svg');
		if (svgs.length < 10) out.push('only ' + svgs.length + ' charts');
		for (const svg of svgs) {
			const ids = (svg.getAttribute('aria-labelledby') || '').split(' ');
			const title = svg.querySelector(':scope > title'), desc = svg.querySelector(':scope > desc');
			if (svg.getAttribute('role') !== 'img') out.push('svg without role img');
			if (!title || !desc || ids[0] !== title.id || ids[1] !== desc.id) out.push('svg not labelled by its title and desc: ' + svg.outerHTML.slice(0, 120));
			else if (!title.textContent.trim() || desc.textContent.trim().length < 20) out.push('empty title or desc: ' + title.id);
		}
		for (const fig of document.querySelectorAll('figure.analytics-chart')) {
			if (!fig.querySelector('svg')) continue;
			if (!fig.querySelector('details table caption') || fig.querySelectorAll('details table tbody tr').length === 0) out.push('no data table in ' + fig.id);
			const a = fig.querySelector('a[download]');
			if (!a || !a.getAttribute('href').includes('.csv?edition=')) out.push('no CSV link in ' + fig.querySelector('h3').textContent);
		}
		return out;
	})()`, &problems))
	if len(problems) > 0 {
		t.Errorf("text alternatives:\n%s", strings.Join(problems, "\n"))
	}
	txt := browserText(t, tab)
	for _, want := range []string{"Submitted entries by category", "Submitted entries by world region (UN M49)", "Stage of the project",
		"Total budget (USD), Tech-InnovaCity", "Scores per evaluator, Tech-InnovaCity", "Criterion profiles of the semi-finalists, Tech-InnovaCity"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// the data table opens from its summary, by keyboard
	browserRun(t, tab, "open a data table",
		chromedp.Focus(`#submissions-category-caption ~ details summary`, chromedp.ByQuery),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(`#submissions-category-table`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "analytics, a data table open")
	browsertest.Screenshot(t, tab, "analytics")
	browserRun(t, tab, "on a phone", browsertest.Phone(), chromedp.Reload(), chromedp.WaitVisible(`#submissions`, chromedp.ByQuery))
	browsertest.CheckA11y(t, tab, "analytics, phone")
	browsertest.Screenshot(t, tab, "analytics-phone")

	// without JavaScript: the same charts and tables, found through the DOM alone
	nojs := signedInTab(t, de.env, de.secretariat)
	var svgs, tables []*cdp.Node
	browserRun(t, nojs, "analytics without scripts",
		emulation.SetScriptExecutionDisabled(true),
		chromedp.Navigate(base+de.analyticsURL("/analytics")),
		chromedp.WaitReady(`#semi-finalists`, chromedp.ByQuery),
		chromedp.Nodes(`main svg[role="img"] > desc`, &svgs, chromedp.ByQueryAll),
		chromedp.Nodes(`main figure details table`, &tables, chromedp.ByQueryAll),
	)
	if len(svgs) < 10 || len(tables) < 10 {
		t.Errorf("without scripts: %d described charts and %d data tables", len(svgs), len(tables))
	}
}
