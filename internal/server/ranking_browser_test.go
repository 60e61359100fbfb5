package server_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserRankingAndSemiFinalists: the committee head opens the sealed ranking, chooses the
// method, closes the round, proposes the semi-finalists, decides the tie at the cut and confirms
// the Tech-InnovaCity list; the public page shows the date before the announcement and the list
// from it on. Every page passes axe-core, the unsealed ranking on a phone too.
func TestBrowserRankingAndSemiFinalists(t *testing.T) {
	re := newRankingEnv(t)
	tab := signedInTab(t, re.env, re.head)
	base := re.srv.URL

	browserRun(t, tab, "dashboard to the ranking",
		chromedp.Navigate(base+"/dashboard"),
		chromedp.Click(`a[href^="/ranking?"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#progress-caption`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "ranking, sealed")
	if txt := browserText(t, tab); !strings.Contains(txt, "The scores are sealed") || strings.Contains(txt, "Project T1") {
		t.Fatalf("sealed page:\n%s", txt)
	}
	browserRun(t, tab, "choose the z-score",
		chromedp.Click(`#f-method-3`, chromedp.ByQuery),
		chromedp.Click(`//button[contains(., "Record the method")]`, chromedp.BySearch),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	if txt := browserText(t, tab); !strings.Contains(txt, "Z-score normalised, chosen on") {
		t.Fatalf("after choosing the method:\n%s", txt)
	}
	browserRun(t, tab, "close the round",
		chromedp.SendKeys(`#f-reason`, earlyClose.Get("reason"), chromedp.ByQuery),
		chromedp.Click(`//button[contains(., "Close round 2")]`, chromedp.BySearch),
		chromedp.WaitVisible(`#rank-tech-innovacity`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "ranking, unsealed")
	browserRun(t, tab, "on a phone", browsertest.Phone(), chromedp.Reload(), chromedp.WaitVisible(`#rank-tech-innovacity`, chromedp.ByQuery))
	browsertest.CheckA11y(t, tab, "ranking, unsealed, phone")
	browsertest.Screenshot(t, tab, "ranking-phone")

	browserRun(t, tab, "propose",
		chromedp.Click(`//button[contains(., "Propose the semi-finalists")]`, chromedp.BySearch),
		chromedp.WaitVisible(`#f-tie-tech-innovacity-entry`, chromedp.ByQuery),
	)
	if txt := browserText(t, tab); !strings.Contains(txt, "Tie at the cut") || !strings.Contains(txt, "Project T5 and Project T6 share rank 5") {
		t.Fatalf("after proposing:\n%s", txt)
	}
	browsertest.CheckA11y(t, tab, "ranking, tie at the cut")
	browserRun(t, tab, "decide the tie",
		chromedp.SetValue(`#f-tie-tech-innovacity-entry`, strconv.FormatInt(re.entries[5], 10), chromedp.ByQuery),
		chromedp.SendKeys(`#f-tie-tech-innovacity-reason`, "Stronger data ethics and a wider partnership.", chromedp.ByQuery),
		chromedp.Click(`//button[contains(., "Record the tie decision")]`, chromedp.BySearch),
		chromedp.WaitVisible(`//button[contains(., "Confirm the Tech-InnovaCity semi-finalists")]`, chromedp.BySearch),
	)
	browserRun(t, tab, "confirm",
		chromedp.Click(`//button[contains(., "Confirm the Tech-InnovaCity semi-finalists")]`, chromedp.BySearch),
		chromedp.WaitVisible(`//*[contains(@class, "flash")][contains(., "are confirmed")]`, chromedp.BySearch),
	)
	if txt := browserText(t, tab); !strings.Contains(txt, "The Tech-InnovaCity semi-finalists are confirmed. 7 emails go out on 13 July 2023") {
		t.Fatalf("after confirming:\n%s", txt)
	}
	browsertest.CheckA11y(t, tab, "ranking, confirmed")

	browserRun(t, tab, "public page before the date",
		chromedp.Navigate(base+"/editions/seoul-2023/semi-finalists"),
		chromedp.WaitVisible(`h1`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "semi-finalists, before the announcement")
	if txt := browserText(t, tab); !strings.Contains(txt, "will be announced on 13 July 2023") {
		t.Fatalf("before the announcement:\n%s", txt)
	}
	re.clock.Advance(re.ed.Schedule.SemiFinalistsAnnounced.Sub(rankingNow))
	browserRun(t, tab, "public page on the date",
		chromedp.Reload(),
		chromedp.WaitVisible(`#sf-tech-innovacity`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "semi-finalists, announced")
	browsertest.Screenshot(t, tab, "semi-finalists")
	txt := browserText(t, tab)
	if !strings.Contains(txt, "Project T6") || strings.Contains(txt, "Project T5") || !strings.Contains(txt, "Project T1") {
		t.Fatalf("announced:\n%s", txt)
	}
}
