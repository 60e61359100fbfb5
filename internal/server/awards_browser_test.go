package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/browsertest"
)

// TestBrowserAttendanceSuccession: on a seeded closed vote (final order A, B, C, D, E; A, B, C
// confirmed first, second, third), the first-place winner says in the browser that it cannot
// attend; the chair sees the proposal on the awards page and confirms it; the first place goes
// to D, the next-ranked entry that is not a winner (the guidelines §8). Every page passes axe-core.
func TestBrowserAttendanceSuccession(t *testing.T) {
	w := newAwardWorld(t, awardsDay)
	base := w.e.srv.URL

	tab := browsertest.Tab(t)
	browserSignIn(t, w.e, tab, w.owners[0])
	browserRun(t, tab, "dashboard to the attendance page",
		chromedp.Navigate(base+"/dashboard"),
		chromedp.Click(fmt.Sprintf(`a[href="%s"]`, attendanceURL(w.awards[0])), chromedp.ByQuery),
		chromedp.WaitVisible(`#attendance-title`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "attendance form")
	browserRun(t, tab, "an answer without a representative",
		chromedp.Click(`#f-attend-0`, chromedp.ByQuery),
		chromedp.Click(`//button[contains(., "Send my answer")]`, chromedp.BySearch),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "attendance form, errors")
	browserRun(t, tab, "the winner cannot attend",
		chromedp.Click(`#f-attend-1`, chromedp.ByQuery),
		chromedp.Click(`//button[contains(., "Send my answer")]`, chromedp.BySearch),
		chromedp.WaitVisible(`//*[contains(@class, "flash")][contains(., "you cannot attend the ceremony")]`, chromedp.BySearch),
	)
	browsertest.CheckA11y(t, tab, "attendance, declined")
	if txt := browserText(t, tab); !strings.Contains(txt, "the prize passes to the next-ranked entry once the chair confirms") {
		t.Fatalf("after declining:\n%s", txt)
	}

	chair := browsertest.Tab(t)
	browserSignIn(t, w.e, chair, w.members[0])
	browserRun(t, chair, "the chair opens the awards",
		chromedp.Navigate(base+"/dashboard"),
		chromedp.Click(fmt.Sprintf(`a[href="%s"]`, w.awardsURL()), chromedp.ByQuery),
		chromedp.WaitVisible(`#awards-title`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, chair, "awards, proposal")
	if txt := browserText(t, chair); !strings.Contains(txt, "Entry A cannot attend the ceremony") {
		t.Fatalf("the proposal is not shown:\n%s", txt)
	}
	browserRun(t, chair, "the chair confirms",
		chromedp.Click(`//button[contains(., "Confirm: First place to Entry D")]`, chromedp.BySearch),
		chromedp.WaitVisible(`//*[contains(@class, "flash")][contains(., "The change is confirmed")]`, chromedp.BySearch),
	)
	browsertest.CheckA11y(t, chair, "awards, confirmed")
	var first string
	browserRun(t, chair, "read the first row", chromedp.Text(`//table//tbody/tr[1]`, &first, chromedp.BySearch))
	if !strings.Contains(first, "First place (First Prize)") || !strings.Contains(first, "Entry D") || !strings.Contains(first, "Winner") {
		t.Fatalf("first row %q, want Entry D first", first)
	}
	if txt := browserText(t, chair); !strings.Contains(txt, "Declined on") || !strings.Contains(txt, "Confirmed changes") {
		t.Errorf("the declined award or the history is missing:\n%s", txt)
	}
}
