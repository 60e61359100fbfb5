package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserRepository: after the winners announcement a visitor, with JavaScript turned off,
// goes from the edition page to the repository, finds a seeded case by a word of its summary
// (marked in the snippet), opens it and reaches the results archive; a unique string planted in
// confidential answers shows on none of the public pages; the repository, a search, the case
// page and the archive pass axe-core.
func TestBrowserRepository(t *testing.T) {
	w := newRepositoryWorld(t)
	w.clock.Advance(24 * time.Hour)
	base := w.e.srv.URL
	delta := w.entries[3]

	noJS := browsertest.Tab(t)
	browserRun(t, noJS, "turn JavaScript off", emulation.SetScriptExecutionDisabled(true))
	browserRun(t, noJS, "from the edition page to the repository", chromedp.Navigate(base+"/editions/seoul-2023"),
		chromedp.Click(`a[href="/repository"]`, chromedp.ByQuery), chromedp.WaitVisible(`#f-q`, chromedp.ByQuery))
	browserRun(t, noJS, "search a word of the summary", chromedp.SendKeys(`#f-q`, "potholes", chromedp.ByQuery),
		chromedp.Click(`//button[contains(., "Search")]`, chromedp.BySearch),
		chromedp.WaitVisible(`//*[@id="repository-count"][contains(., "1 case matches")]`, chromedp.BySearch))
	var marked string
	browserRun(t, noJS, "read the snippet", chromedp.Text(`ol.cards mark`, &marked, chromedp.ByQuery))
	if marked != "potholes" {
		t.Errorf("marked %q", marked)
	}
	browserRun(t, noJS, "open the case", chromedp.Click(`ol.cards a`, chromedp.ByQuery),
		chromedp.WaitVisible(`//h1[contains(., "Entry D")]`, chromedp.BySearch))
	if txt := browserText(t, noJS); !strings.Contains(txt, "Finalist") || !strings.Contains(txt, "Delta maps potholes from garbage trucks.") {
		t.Errorf("case page:\n%s", txt)
	}
	browserRun(t, noJS, "to the archive", chromedp.Click(`a[href="/results"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#archive-seoul-2023`, chromedp.ByQuery))
	if txt := browserText(t, noJS); !strings.Contains(txt, "First place: First Prize — Entry A") {
		t.Errorf("archive:\n%s", txt)
	}

	a11y := browsertest.Tab(t)
	for _, p := range []struct{ name, path, wait string }{
		{"repository", "/repository", `#f-q`},
		{"repository search", "/repository?q=buses&category=tech-innovacity", `ol.cards mark`},
		{"case page", casePath(w.entries[0]), `dl.facts`},
		{"nomination case page", casePath(w.nomination), `dl.facts`},
		{"results archive", "/results", `#archive-seoul-2023`},
	} {
		browserRun(t, a11y, p.name, chromedp.Navigate(base+p.path), chromedp.WaitVisible(p.wait, chromedp.ByQuery))
		browsertest.CheckA11y(t, a11y, p.name)
	}
	browserRun(t, a11y, "repository on a phone", browsertest.Phone(), chromedp.Navigate(base+"/repository?q=buses"),
		chromedp.WaitVisible(`ol.cards`, chromedp.ByQuery))
	browsertest.CheckA11y(t, a11y, "repository, phone")

	// the planted string, on every public page as the browser shows it
	leaks := browsertest.Tab(t)
	for _, p := range append(w.publicPaths(), fmt.Sprintf("/repository/%d", delta)) {
		var html string
		browserRun(t, leaks, "open "+p, chromedp.Navigate(base+p), chromedp.OuterHTML("html", &html, chromedp.ByQuery))
		html = strings.NewReplacer(`value="`+secretWord+`"`, "", "“"+secretWord+"”", "").Replace(languageNext.ReplaceAllString(html, ""))
		if strings.Contains(strings.ToLower(html), strings.ToLower(secretWord)) {
			t.Errorf("%s shows the confidential string", p)
		}
	}
}
