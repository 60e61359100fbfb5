package server_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/notify"
	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/tools/browsertest"
)

// TestBrowserDecisionPack: the secretariat opens the exports from the dashboard, clicks "Build
// the decision pack", follows the job's page (refreshing it by its link, no JavaScript needed)
// until the background worker has built the pack, and sees the download link. Both pages pass
// axe-core.
func TestBrowserDecisionPack(t *testing.T) {
	de := newDossierEnv(t, true)
	cfg := notifytest.FastWorkerConfig(nil)
	cfg.Jobs = []notify.Job{de.server.ExportJobForTest()}
	w, err := notify.NewWorker(de.pool, cfg)
	if err != nil {
		t.Fatal(err)
	}
	notifytest.StartWorker(t, w)
	base := de.srv.URL

	tab := signedInTab(t, de.env, de.secretariat)
	browserRun(t, tab, "dashboard to the exports",
		chromedp.Navigate(base+"/dashboard"),
		chromedp.Click(`a[href^="/exports?edition=`+strconv.FormatInt(de.ed.ID, 10)+`"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#export-pack`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "exports page")
	browserRun(t, tab, "build the decision pack",
		chromedp.Click(`//button[contains(., "Build the decision pack")]`, chromedp.BySearch),
		chromedp.WaitVisible(`//h1[contains(., "Decision pack")]`, chromedp.BySearch),
	)
	browsertest.CheckA11y(t, tab, "the pack's status page")
	deadline := time.Now().Add(30 * time.Second)
	for {
		txt := browserText(t, tab)
		if strings.Contains(txt, "Download ") {
			if !strings.Contains(txt, "Status: Ready.") || !strings.Contains(txt, "decision-pack") {
				t.Fatalf("ready page:\n%s", txt)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no download link after 30s:\n%s", txt)
		}
		time.Sleep(200 * time.Millisecond)
		browserRun(t, tab, "refresh", chromedp.Click(`//a[.="Refresh"]`, chromedp.BySearch),
			chromedp.WaitVisible(`//h1[contains(., "Decision pack")]`, chromedp.BySearch))
	}
	browsertest.CheckA11y(t, tab, "the pack, ready")
	var href string
	var ok bool
	browserRun(t, tab, "the download link", chromedp.AttributeValue(`//a[starts-with(., "Download ")]`, "href", &href, &ok, chromedp.BySearch))
	if !ok || !strings.HasSuffix(href, "/download") {
		t.Fatalf("download link %q", href)
	}
}
