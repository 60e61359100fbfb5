package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/tools/browsertest"
)

// TestBrowserStaffHome: a secretariat member goes from the dashboard to the edition at a glance,
// opens a round of the staff navigation by keyboard, and follows an action to the filtered
// queue, where the navigation marks the page; the home and the queue pass axe-core, on a phone
// too, where the rounds stay folded.
func TestBrowserStaffHome(t *testing.T) {
	e := newEnv(t, nil, "seoul-2023")
	submittedEntry(t, e, "kim")
	late := submittedEntry(t, e, "lee")
	sec := matrixUser(t, e, "sec", "secretariat")
	dbtest.Exec(t, e.pool, `INSERT INTO clarifications (application_id, question, deadline, asked_by, asked_at) VALUES ($1, 'Why?', $2, $3, $4)`,
		late, fixedNow.Add(-time.Hour), sec, fixedNow.Add(-48*time.Hour))
	ctx := signedInTab(t, e, sec)
	base := e.srv.URL
	run := browserSteps(t, ctx)

	run("dashboard to the home", chromedp.Navigate(base+"/dashboard"),
		chromedp.Click(`main a[href^="/staff?"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`ol.timeline`, chromedp.ByQuery))
	browserWantPath(t, ctx, "the home", "/staff")
	browsertest.CheckA11y(t, ctx, "staff home")
	browsertest.Screenshot(t, ctx, "staff-home")
	txt := browserText(t, ctx)
	var today string
	run("today's marker", chromedp.Evaluate(`document.querySelector('ol.timeline li[aria-current="date"]').textContent`, &today))
	if today != "Today 10 May 2023" {
		t.Errorf("today's marker reads %q", today)
	}
	for _, want := range []string{"Asia/Seoul", "2 entries not decided in round 1, Tech-InnovaCity",
		"1 entry with a clarification overdue, Tech-InnovaCity"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the home lacks %q", want)
		}
	}

	// Round 2 opens from its summary by keyboard.
	var open bool
	run("open round 2 by keyboard",
		chromedp.Focus(`nav.staff-nav li:nth-child(3) summary`, chromedp.ByQuery),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(`nav.staff-nav a[href^="/scoring/progress?"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('nav.staff-nav li:nth-child(3) details').open`, &open))
	if !open {
		t.Error("round 2 did not open")
	}
	browsertest.CheckA11y(t, ctx, "staff home, round 2 open")

	run("follow the overdue action", chromedp.Click(`main a[href*="status=overdue"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`nav.staff-nav a[aria-current="page"]`, chromedp.ByQuery))
	var current string
	run("current page", chromedp.Text(`nav.staff-nav a[aria-current="page"]`, &current, chromedp.ByQuery))
	if current != "Overdue clarifications" {
		t.Errorf("the navigation marks %q", current)
	}
	if txt := browserText(t, ctx); !strings.Contains(txt, "Project lee") || strings.Contains(txt, "Project kim") {
		t.Errorf("the overdue queue shows:\n%s", txt)
	}
	browsertest.CheckA11y(t, ctx, "screening queue with the staff navigation")

	var folded bool
	run("on a phone", browsertest.Phone(), chromedp.Navigate(base+"/staff"), chromedp.WaitVisible(`ol.timeline`, chromedp.ByQuery),
		chromedp.Evaluate(`![...document.querySelectorAll('nav.staff-nav details')].some(d => d.open)`, &folded))
	if !folded {
		t.Error("on the home a round of the navigation is open")
	}
	browsertest.CheckA11y(t, ctx, "staff home, phone")
	browsertest.Screenshot(t, ctx, "staff-home-phone")
}
