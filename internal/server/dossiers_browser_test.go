package server_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserDossiersAndMentions: a council member opens the dossiers from the dashboard, then a
// dossier with its chart and comparison table; the secretariat records a special mention for a
// city that did not apply. Every page passes axe-core.
func TestBrowserDossiersAndMentions(t *testing.T) {
	de := newDossierEnv(t, true)
	base := de.srv.URL

	tab := signedInTab(t, de.env, de.council)
	browserRun(t, tab, "dashboard to the dossiers",
		chromedp.Navigate(base+"/dashboard"),
		chromedp.Click(`a[href^="/council/dossiers?"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#dossier-cap-0`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "dossiers list")
	if txt := browserText(t, tab); !strings.Contains(txt, "Alpha Mobility") || !strings.Contains(txt, "Beta Welfare") {
		t.Fatalf("dossiers list:\n%s", txt)
	}
	browserRun(t, tab, "open a dossier",
		chromedp.Click(`//a[contains(., "Alpha Mobility")]`, chromedp.BySearch),
		chromedp.WaitVisible(`#dossier-scores`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "dossier")
	txt := browserText(t, tab)
	for _, want := range []string{"3.00–5.00", de.alphaComment, "Compared with the category's semi-finalists", "(this entry)"} {
		if !strings.Contains(txt, want) {
			t.Errorf("dossier lacks %q:\n%s", want, txt)
		}
	}
	browserRun(t, tab, "on a phone", browsertest.Phone(), chromedp.Reload(), chromedp.WaitVisible(`#dossier-scores`, chromedp.ByQuery))
	browsertest.CheckA11y(t, tab, "dossier, phone")
	browsertest.Screenshot(t, tab, "dossier-phone")

	sec := signedInTab(t, de.env, de.secretariat)
	browserRun(t, sec, "special mentions",
		chromedp.Navigate(base+"/secretariat/special-mentions?edition="+strconv.FormatInt(de.ed.ID, 10)),
		chromedp.WaitVisible(`#mention-form-title`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, sec, "special mentions")
	browserRun(t, sec, "submit without a recipient",
		chromedp.SetValue(`#f-award`, "Smart City Index", chromedp.ByQuery),
		chromedp.Click(`//button[contains(., "Record the special mention")]`, chromedp.BySearch),
		chromedp.WaitVisible(`#f-name-error`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, sec, "special mentions, errors")
	browserRun(t, sec, "record a mention",
		chromedp.SendKeys(`#f-name`, "City of Tallinn", chromedp.ByQuery),
		chromedp.SendKeys(`#f-city`, "Tallinn", chromedp.ByQuery),
		chromedp.SetValue(`#f-country`, "EE", chromedp.ByQuery),
		chromedp.SendKeys(`#f-partner`, "WeGO Smart City Index Research", chromedp.ByQuery),
		chromedp.SendKeys(`#f-citation`, "First in the index for digital public services.", chromedp.ByQuery),
		chromedp.Click(`//button[contains(., "Record the special mention")]`, chromedp.BySearch),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, sec, "special mentions, recorded")
	if txt := browserText(t, sec); !strings.Contains(txt, "City of Tallinn") || !strings.Contains(txt, "1 of 2 recorded") {
		t.Fatalf("after recording:\n%s", txt)
	}
}
