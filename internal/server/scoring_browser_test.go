package server_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/scoring"
	"prizeportal/internal/tools/browsertest"
	"prizeportal/web/views"
)

// TestBrowserThreeEvaluatorsScore: three evaluators score seeded round-2 entries in the browser.
// The first declares no conflict, fills the sheet (a comment autosaves), submits, and goes on to
// the next entry; the second recuses with a reason; the third uses "Save and next", then
// submits. The secretariat follows the progress. Every evaluator page and the progress page are
// checked with axe-core.
func TestBrowserThreeEvaluatorsScore(t *testing.T) {
	s := newScoringEnv(t, 2)
	evs := []int64{matrixUser(t, s.env, "ana", "evaluator"), matrixUser(t, s.env, "ben", "evaluator"), matrixUser(t, s.env, "cho", "evaluator")}
	s.assign(t, evs[0], s.apps[0], s.apps[1])
	s.assign(t, evs[1], s.apps[0])
	s.assign(t, evs[2], s.apps[0], s.apps[1])
	base := s.srv.URL
	tab := browsertest.Tab(t)
	fill := func(score int) []chromedp.Action {
		var acts []chromedp.Action
		for _, c := range s.tech.Criteria {
			for _, ind := range c.Indicators {
				acts = append(acts, chromedp.SetValue(`[id="f-`+scoring.ScoreField(ind.ID)+`"]`, strconv.Itoa(score), chromedp.ByQuery))
			}
		}
		return acts
	}
	first := views.ScoringHref(s.apps[0])

	// Ana: the list, the declaration, the sheet; a typed comment autosaves; submit.
	browserSignIn(t, s.env, tab, evs[0])
	browserRun(t, tab, "dashboard to the list",
		chromedp.Navigate(base+"/dashboard"),
		chromedp.Click(`main a[href="/scoring"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#scoring-caption`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "evaluator's list")
	browserRun(t, tab, "next unfinished", chromedp.Click(`a.button`, chromedp.ByQuery), chromedp.WaitVisible(`form[action$="/declare"] button`, chromedp.ByQuery))
	browsertest.CheckA11y(t, tab, "conflict declaration")
	browserRun(t, tab, "declare",
		chromedp.Click(`form[action$="/declare"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#sheet-title`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "score sheet")
	comment := `[id="f-` + scoring.CommentField(s.tech.Criteria[0].Key) + `"]`
	browserRun(t, tab, "autosave a comment",
		chromedp.SendKeys(comment, "Novel use of sensors.", chromedp.ByQuery),
	)
	browserWaitJS(t, tab, `document.querySelector(".autosave-status").textContent.indexOf("Saved at") >= 0`)
	if n := s.count(t, `SELECT count(*) FROM score_sheets WHERE evaluator_id = $1 AND criterion_comments->>$2 = 'Novel use of sensors.'`, evs[0], s.tech.Criteria[0].Key); n != 1 {
		t.Fatal("the comment was not autosaved")
	}
	browserRun(t, tab, "score and submit", append(fill(4),
		chromedp.Click(`button[formaction$="/submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#scoring-caption`, chromedp.ByQuery),
	)...)
	if text := browserText(t, tab); !strings.Contains(text, "was submitted") || !strings.Contains(text, "1 of 2 score sheets submitted") {
		t.Fatalf("after submitting: %s", text)
	}
	// An incomplete submission shows the errors next to the fields and in the summary.
	browserRun(t, tab, "incomplete submission",
		chromedp.Click(`a.button`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action$="/declare"] button`, chromedp.ByQuery),
		chromedp.Click(`form[action$="/declare"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#sheet-title`, chromedp.ByQuery),
		chromedp.Click(`button[formaction$="/submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "score sheet with errors")

	// Ben recuses himself.
	browserSignIn(t, s.env, tab, evs[1])
	browserRun(t, tab, "recuse",
		chromedp.Navigate(base+first),
		chromedp.WaitVisible(`#f-reason`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-reason`, "I advised this city on the project.", chromedp.ByQuery),
		chromedp.Click(`form[action$="/recuse"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	if text := browserText(t, tab); !strings.Contains(text, "You recused yourself") || !strings.Contains(text, "No entry is assigned to you") {
		t.Fatalf("after recusing: %s", text)
	}
	browsertest.CheckA11y(t, tab, "list after recusing")
	if n := s.count(t, `SELECT count(*) FROM assignments WHERE evaluator_id = $1 AND end_kind = 'recused'`, evs[1]); n != 1 {
		t.Fatal("the assignment did not end")
	}

	// Cho: save and next, then submit the first.
	browserSignIn(t, s.env, tab, evs[2])
	browserRun(t, tab, "cho declares and saves", append(append([]chromedp.Action{
		chromedp.Navigate(base + first),
		chromedp.WaitVisible(`form[action$="/declare"] button`, chromedp.ByQuery),
		chromedp.Click(`form[action$="/declare"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#sheet-title`, chromedp.ByQuery),
	}, fill(3)...),
		chromedp.Click(`button[value="next"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action$="/declare"] button`, chromedp.ByQuery),
	)...)
	var loc string
	browserRun(t, tab, "where", chromedp.Location(&loc))
	if !strings.HasSuffix(loc, views.ScoringHref(s.apps[1])) {
		t.Fatalf("save and next went to %s: %s", loc, browserText(t, tab))
	}
	browserRun(t, tab, "cho submits", chromedp.Navigate(base+first), chromedp.WaitVisible(`#sheet-title`, chromedp.ByQuery),
		chromedp.Click(`button[formaction$="/submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#scoring-caption`, chromedp.ByQuery),
	)
	if n := s.count(t, `SELECT count(*) FROM score_sheets WHERE application_id = $1 AND status = 'submitted'`, s.apps[0]); n != 2 {
		t.Fatalf("%d submitted sheets of the first entry, want 2", n)
	}

	// The secretariat follows the progress.
	browserSignIn(t, s.env, tab, s.sec)
	browserRun(t, tab, "progress",
		chromedp.Navigate(base+"/dashboard"),
		chromedp.Click(`main a[href^="/scoring/progress"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#progress-caption`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "progress by evaluator")
	browserRun(t, tab, "progress by entry",
		chromedp.Navigate(base+"/scoring/progress?view=entries"),
		chromedp.WaitVisible(`#progress-caption`, chromedp.ByQuery),
	)
	if text := browserText(t, tab); !strings.Contains(text, "2 of 2") {
		t.Fatalf("entry progress: %s", text)
	}
	browsertest.CheckA11y(t, tab, "progress by entry")
}

// TestBrowserScoringBeforeTheWindow: seoul-2023 scores from 1 to 12 July (DOMAIN.md "Round 2").
// On 20 June an evaluator opens an entry assigned to her: she declares no conflict, then sees
// why she cannot score and when she can (the sheet is read-only, recusal stays open); a sheet
// posted anyway is refused with the same words and nothing is saved. On 1 July she scores. On 13
// July, the window over and the round not closed, the sheet is read-only again.
func TestBrowserScoringBeforeTheWindow(t *testing.T) {
	s := newScoringEnv(t, 1)
	ev := matrixUser(t, s.env, "ana", "evaluator")
	s.assign(t, ev, s.apps[0])
	s.clock.Advance(time.Date(2023, 6, 20, 3, 0, 0, 0, time.UTC).Sub(s.clock.Now()))
	href := views.ScoringHref(s.apps[0])
	const opens = "Scoring opens on 1 July 2023, 00:00 KST (Asia/Seoul time)"
	tab := browsertest.Tab(t)
	browserSignIn(t, s.env, tab, ev)
	browserRun(t, tab, "the list before the window", chromedp.Navigate(s.srv.URL+"/scoring"), chromedp.WaitVisible(`#scoring-caption`, chromedp.ByQuery))
	if text := browserText(t, tab); !strings.Contains(text, "You can fill in the sheets from 1 July 2023, 00:00 KST (Asia/Seoul time)") {
		t.Fatalf("the list before the window does not say when scoring opens:\n%s", text)
	}
	browserRun(t, tab, "open and declare",
		chromedp.Navigate(s.srv.URL+href),
		chromedp.Click(`form[action$="/declare"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#sheet-title`, chromedp.ByQuery),
	)
	text := browserText(t, tab)
	if !strings.Contains(text, opens) || !strings.Contains(text, "Recuse yourself from this entry") {
		t.Fatalf("the sheet before the window does not say why and when:\n%s", text)
	}
	var forms int
	browserRun(t, tab, "no scoring form", chromedp.Evaluate(`document.querySelectorAll('form[data-autosave], button[formaction$="/submit"]').length`, &forms))
	if forms != 0 {
		t.Fatalf("%d scoring controls on the sheet before the window", forms)
	}
	browsertest.CheckA11y(t, tab, "score sheet before the window")
	browsertest.Screenshot(t, tab, "scoring-before-the-window")

	c := s.signedInClient(t, ev)
	for _, path := range []string{href, href + "/submit"} {
		r := c.post(path, s.sheetValues(1, 4))
		if r.status != 403 || !strings.Contains(r.body, opens) {
			t.Fatalf("POST %s before the window: %d", path, r.status)
		}
	}
	if n := s.count(t, `SELECT count(*) FROM sheet_scores`); n != 0 {
		t.Fatalf("%d scores saved before the window", n)
	}

	s.clock.Advance(time.Date(2023, 7, 1, 0, 0, 0, 0, s.ed.TimeZone).Sub(s.clock.Now()))
	if r := c.post(href+"/submit", s.sheetValues(1, 4)); r.status != 303 {
		t.Fatalf("submit on 1 July: %d\n%s", r.status, r.body)
	}
	s.clock.Advance(time.Date(2023, 7, 13, 0, 0, 0, 0, s.ed.TimeZone).Sub(s.clock.Now()))
	if r := c.get(href); !strings.Contains(r.body, "The scoring window ended on 12 July 2023, 23:59 KST (Asia/Seoul time)") || strings.Contains(r.body, "Resubmit") {
		t.Fatalf("the sheet after the window:\n%s", r.body)
	}
	if r := c.post(href+"/submit", s.sheetValues(2, 5)); r.status != 403 {
		t.Fatalf("a revision after the window: %d", r.status)
	}
}
