package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserAttendanceSuccession: on a seeded closed vote (final order A, B, C, D, E; A, B, C
// confirmed first, second, third), the first-place winner says in the browser that it cannot
// attend; the chair sees the recomputed result on the awards page and confirms it: B, next in
// the final order, becomes first, C second and D third (the guidelines §8). Every page passes
// axe-core.
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
	if txt := browserText(t, tab); !strings.Contains(txt, "the prize passes to the next-ranked entry that can attend once the chair confirms") {
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
	if txt := browserText(t, chair); !strings.Contains(txt, "Entry A cannot attend the ceremony") || !strings.Contains(txt, "Entry B moves up from the Second place") {
		t.Fatalf("the proposal is not shown:\n%s", txt)
	}
	browserRun(t, chair, "the chair confirms",
		chromedp.Click(`//button[contains(., "Confirm the new result of Tech-InnovaCity")]`, chromedp.BySearch),
		chromedp.WaitVisible(`//*[contains(@class, "flash")][contains(., "The change is confirmed")]`, chromedp.BySearch),
	)
	browsertest.CheckA11y(t, chair, "awards, confirmed")
	var first, third string
	browserRun(t, chair, "read the rows", chromedp.Text(`//table//tbody/tr[1]`, &first, chromedp.BySearch),
		chromedp.Text(`//table//tbody/tr[td[contains(., "Third place")]][contains(., "Winner")]`, &third, chromedp.BySearch))
	if !strings.Contains(first, "First place (First Prize)") || !strings.Contains(first, "Entry B") || !strings.Contains(first, "Winner") {
		t.Fatalf("first row %q, want Entry B first", first)
	}
	if !strings.Contains(third, "Entry D") {
		t.Fatalf("third place %q, want Entry D", third)
	}
	if txt := browserText(t, chair); !strings.Contains(txt, "Declined on") || !strings.Contains(txt, "Confirmed changes") {
		t.Errorf("the declined award or the history is missing:\n%s", txt)
	}
}
