package server_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/ranking/rankingtest"
	"prizeportal/internal/tools/browsertest"
)

// TestBrowserRound2Journey is round 2 from end to end in the browser: the head runs the automatic
// assignment (three evaluators per entry, within expertise); three evaluators each score an entry
// on the generated sheet; one recuses from another entry and the assignment is refilled at once;
// the head follows progress, records the method, closes the round, proposes and confirms the top
// five; the public page and the applicant's timeline show the semi-finalists only from the
// announcement date (13 July 2023, Seoul). Every page passes axe-core.
func TestBrowserRound2Journey(t *testing.T) {
	clock := &testClock{now: time.Date(2023, 7, 3, 1, 0, 0, 0, time.UTC)} // round 2 under way
	e := newEnvWithClock(t, clock)
	ctx := context.Background()
	var edID, techID, humanID int64
	e.pool.QueryRow(ctx, `SELECT e.id, c.id FROM editions e JOIN categories c ON c.edition_id = e.id WHERE e.slug = 'seoul-2023' AND c.key = 'tech-innovacity'`).Scan(&edID, &techID)
	e.pool.QueryRow(ctx, `SELECT id FROM categories WHERE edition_id = $1 AND key = 'human-centricity'`, edID).Scan(&humanID)
	var entries, human []int64
	for i := range 6 {
		entries = append(entries, rankingtest.Entry(t, e.pool, edID, "tech-innovacity", "app"+strconv.Itoa(i), "Project "+strconv.Itoa(i)))
		human = append(human, rankingtest.Entry(t, e.pool, edID, "human-centricity", "hum"+strconv.Itoa(i), "Inclusion "+strconv.Itoa(i)))
	}
	head := rankingtest.Evaluator(t, e.pool, edID, "head", "committee_head")
	var evaluators []int64
	for _, login := range []string{"ahn", "baek", "cho", "dong"} {
		id := rankingtest.Evaluator(t, e.pool, edID, login, "evaluator")
		dbtest.Exec(t, e.pool, `INSERT INTO evaluator_categories (user_id, category_id) VALUES ($1, $2), ($1, $3)`, id, techID, humanID)
		evaluators = append(evaluators, id)
	}
	base := e.srv.URL
	// Each part runs in a tab of its own (a tab lives 60 seconds at most).
	tab := browsertest.Tab(t)

	// The head assigns.
	browserSignIn(t, e, tab, head)
	browserRun(t, tab, "assignments", chromedp.Navigate(base+"/committee/assignments"), chromedp.WaitVisible(`table.coverage`, chromedp.ByQuery),
		chromedp.Click(`form[action^="/committee/assignments/auto"] button`, chromedp.ByQuery), chromedp.WaitVisible(`.flash`, chromedp.ByQuery))
	browsertest.CheckA11y(t, tab, "assignments after the automatic run")
	active := func(app int64) int {
		var n int
		e.pool.QueryRow(ctx, `SELECT count(*) FROM assignments WHERE application_id = $1 AND ended_at IS NULL`, app).Scan(&n)
		return n
	}
	for _, a := range append(append([]int64{}, entries...), human...) {
		if n := active(a); n != 3 {
			t.Fatalf("entry %d has %d evaluators, want 3", a, n)
		}
	}

	// Three evaluators each score their first entry on the sheet.
	for _, ev := range evaluators[:3] {
		tab = browsertest.Tab(t)
		browserSignIn(t, e, tab, ev)
		browserRun(t, tab, "my entries", chromedp.Navigate(base+"/scoring"), chromedp.WaitVisible(`#scoring-caption`, chromedp.ByQuery),
			chromedp.Click(`a.button`, chromedp.ByQuery), chromedp.WaitVisible(`form[action$="/declare"] button`, chromedp.ByQuery))
		browsertest.CheckA11y(t, tab, "conflict declaration")
		browserRun(t, tab, "declare", chromedp.Click(`form[action$="/declare"] button`, chromedp.ByQuery))
		browserWaitJS(t, tab, `!!document.querySelector("#sheet-title")`)
		browserRun(t, tab, "score",
			chromedp.Evaluate(`document.querySelectorAll('select[id^="f-score"]').forEach(s => { s.value = "4" });
				document.querySelectorAll('input[type=radio][id^="f-score"][value="4"]').forEach(r => { r.checked = true }); true`, nil),
			chromedp.Click(`button[formaction$="/submit"]`, chromedp.ByQuery))
		browserWaitJS(t, tab, `document.readyState === "complete" && !!document.querySelector("#scoring-caption, .error-summary")`)
		var submitted int
		e.pool.QueryRow(ctx, `SELECT count(*) FROM score_sheets WHERE evaluator_id = $1 AND status = 'submitted'`, ev).Scan(&submitted)
		if submitted != 1 {
			t.Fatalf("evaluator %d: %d submitted sheets\n%s", ev, submitted, browserText(t, tab))
		}
	}
	browsertest.CheckA11y(t, tab, "evaluator's entries")

	// Cho recuses from an entry still open to them: the entry gets its third evaluator back.
	cho := evaluators[2]
	var recuseFrom int64
	e.pool.QueryRow(ctx, `SELECT a.application_id FROM assignments a WHERE a.evaluator_id = $1 AND a.ended_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM score_sheets s WHERE s.application_id = a.application_id AND s.evaluator_id = $1) ORDER BY 1 LIMIT 1`, cho).Scan(&recuseFrom)
	browserRun(t, tab, "recuse", chromedp.Navigate(base+"/scoring/"+strconv.FormatInt(recuseFrom, 10)), chromedp.WaitVisible(`#f-reason`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-reason`, "I advised this city on the project.", chromedp.ByQuery),
		chromedp.Click(`form[action$="/recuse"] button`, chromedp.ByQuery), chromedp.WaitVisible(`.flash`, chromedp.ByQuery))
	var choStill int
	e.pool.QueryRow(ctx, `SELECT count(*) FROM assignments WHERE application_id = $1 AND evaluator_id = $2 AND ended_at IS NULL`, recuseFrom, cho).Scan(&choStill)
	if choStill != 0 || active(recuseFrom) != 3 {
		t.Fatalf("after recusal: cho still assigned %d, entry has %d evaluators (want 0 and 3)", choStill, active(recuseFrom))
	}

	// The remaining sheets are filled directly: distinct totals, so the top five is clear.
	rows, _ := e.pool.Query(ctx, `SELECT a.application_id, a.evaluator_id FROM assignments a WHERE a.ended_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM score_sheets s WHERE s.application_id = a.application_id AND s.evaluator_id = a.evaluator_id AND s.status = 'submitted')`)
	type pair struct{ app, ev int64 }
	var open []pair
	for rows.Next() {
		var p pair
		rows.Scan(&p.app, &p.ev)
		open = append(open, p)
	}
	rows.Close()
	for _, p := range open {
		score := 2
		for i := range entries {
			if entries[i] == p.app || human[i] == p.app {
				score = 1 + (i+2)%5 // entries 0..5 score 3,4,5,1,2,3
			}
		}
		e.pool.Exec(ctx, `DELETE FROM score_sheets WHERE application_id = $1 AND evaluator_id = $2`, p.app, p.ev)
		rankingtest.Sheet(t, e.pool, p.app, p.ev, rankingtest.All(score), true)
	}

	// The head follows progress, then ranks and confirms.
	tab = browsertest.Tab(t)
	browserSignIn(t, e, tab, head)
	browserRun(t, tab, "progress", chromedp.Navigate(base+"/scoring/progress"), chromedp.WaitVisible(`table`, chromedp.ByQuery))
	browsertest.CheckA11y(t, tab, "progress")
	browserRun(t, tab, "ranking", chromedp.Navigate(base+"/ranking"), chromedp.WaitVisible(`h1`, chromedp.ByQuery))
	for _, button := range []string{"Record the method", "Close round 2", "Propose the semi-finalists",
		"Confirm the Tech-InnovaCity semi-finalists", "Confirm the Human-CentriCity semi-finalists"} {
		if button == "Close round 2" { // every sheet is in before the end of the window
			browserRun(t, tab, "the reason", chromedp.SendKeys(`#f-reason`, earlyClose.Get("reason"), chromedp.ByQuery))
		}
		browserSubmit(t, tab, button, `//button[contains(., "`+button+`")]`)
		if button == "Propose the semi-finalists" {
			browsertest.CheckA11y(t, tab, "ranking with proposals")
		}
	}
	var semiTech, semiHuman, confirmed int
	e.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE category_id = $1), count(*) FILTER (WHERE category_id = $2) FROM semi_finalists`, techID, humanID).Scan(&semiTech, &semiHuman)
	e.pool.QueryRow(ctx, `SELECT count(*) FROM semi_finalist_lists WHERE edition_id = $1`, edID).Scan(&confirmed)
	if semiTech != 5 || semiHuman != 5 || confirmed != 2 {
		t.Fatalf("semi-finalists: %d and %d, %d lists confirmed; want 5, 5 and 2", semiTech, semiHuman, confirmed)
	}

	// Published on the set date, not before.
	tab = browsertest.Tab(t)
	browserRun(t, tab, "public page early", chromedp.Navigate(base+"/editions/seoul-2023/semi-finalists"), chromedp.WaitVisible(`h1`, chromedp.ByQuery))
	if txt := browserText(t, tab); !strings.Contains(txt, "will be announced on 13 July 2023") || strings.Contains(txt, "Project 2") {
		t.Fatalf("before the date:\n%s", txt)
	}
	var kept int64
	e.pool.QueryRow(ctx, `SELECT u.id FROM users u JOIN applications a ON a.user_id = u.id WHERE a.id = $1`, entries[2]).Scan(&kept)
	e.pool.Exec(ctx, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'applicant', $2)`, kept, edID)
	app := e.signedInClient(t, kept)
	if r := app.get("/application/status"); !strings.Contains(r.body, "Semi-finalist or not") {
		t.Fatalf("the applicant learns early:\n%s", r.body)
	}
	clock.Advance(10 * 24 * time.Hour) // 13 July 2023, 10:00 in Seoul
	browserRun(t, tab, "public page", chromedp.Navigate(base+"/editions/seoul-2023/semi-finalists"), chromedp.WaitVisible(`h1`, chromedp.ByQuery))
	browsertest.CheckA11y(t, tab, "semi-finalists published")
	if txt := browserText(t, tab); !strings.Contains(txt, "Project 2") || strings.Contains(txt, "will be announced") {
		t.Fatalf("after the date:\n%s", txt)
	}
	if r := app.get("/application/status"); strings.Contains(r.body, "Semi-finalist or not") || !strings.Contains(r.body, "Semi-finalist") {
		t.Fatalf("the applicant's timeline after the announcement:\n%s", r.body)
	}
	var scheduled int
	e.pool.QueryRow(ctx, `SELECT count(*) FROM email_outbox WHERE milestone = 'semi_finalists_announced' AND to_address LIKE 'app%'`).Scan(&scheduled)
	if scheduled != 6 {
		t.Fatalf("%d announcement emails scheduled to the Tech-InnovaCity entries, want 6", scheduled)
	}
}

// browserSubmit clicks the button at the XPath sel and waits for the next page to load.
func browserSubmit(t *testing.T, ctx context.Context, step, sel string) {
	t.Helper()
	browserRun(t, ctx, step, chromedp.Evaluate(`window.__before = true`, nil), chromedp.Click(sel, chromedp.BySearch))
	browserWaitJS(t, ctx, `!window.__before && document.readyState === "complete"`)
}
