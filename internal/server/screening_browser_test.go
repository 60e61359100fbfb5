package server_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/conflict"
	"prizeportal/internal/screening"
	"prizeportal/internal/tools/browsertest"
)

// TestBrowserScreeningRound: the secretariat screens a queue of seeded entries in the browser.
// An entry from an organisation in the conflict-of-interest registry is flagged on submission;
// the secretariat asks one applicant a clarification, the applicant answers (emailed link), and
// the entry is marked eligible; the round refuses to close with undecided entries; the rest are
// decided in bulk and closing schedules the outcome emails. Every page passes axe-core.
func TestBrowserScreeningRound(t *testing.T) {
	clock := &testClock{now: fixedNow}
	e := newEnvWithClock(t, clock)
	ctx := context.Background()
	kim := submittedEntry(t, e, "kim")
	submittedEntry(t, e, "lee")
	submittedEntry(t, e, "park")
	secID := matrixUser(t, e, "sec", "secretariat")
	var edID int64
	e.pool.QueryRow(ctx, `SELECT id FROM editions WHERE slug = 'seoul-2023'`).Scan(&edID)
	if _, err := conflict.AddOrganisation(ctx, e.pool, secID, edID, conflict.Input{Name: "Seoul Digital Foundation",
		Aliases: "SDF", Domains: "sdf.example", Country: "KR"}, fixedNow); err != nil {
		t.Fatal(err)
	}
	// Choi, of the registered organisation, submits through the portal: flagged at once.
	choi := applicantUser(t, e, "choi", true)
	e.pool.Exec(ctx, `UPDATE users SET organisation = 'The Seoul Digital Foundation' WHERE id = $1`, choi)
	saveAnswers(t, e, choi, completeAnswers(t, e))
	choiApp := storedApplication(t, e, choi)
	if r := e.signedInClient(t, choi).post("/application/submit", url.Values{"version": {strconv.Itoa(choiApp.Version)}}); r.status != 303 {
		t.Fatalf("choi submits: %d %s", r.status, r.body)
	}
	clock.Advance(26 * 24 * time.Hour) // 5 June 2023: round 1 is under way

	tab := signedInTab(t, e, secID)
	base := e.srv.URL
	browserRun(t, tab, "dashboard to queue",
		chromedp.Navigate(base+"/dashboard"),
		chromedp.Click(`main a[href^="/secretariat/screening?"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#queue-caption`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "screening queue")
	if txt := browserText(t, tab); !strings.Contains(txt, "Conflict of interest") || strings.Count(txt, "Not decided") < 4 {
		t.Fatalf("queue:\n%s", txt)
	}
	browserRun(t, tab, "filter flagged",
		chromedp.SetValue(`#f-flag`, "flagged", chromedp.ByQuery),
		chromedp.Click(`form[aria-label="Filter and sort the queue"] button`, chromedp.ByQuery),
	)
	browserWaitJS(t, tab, `location.search.includes("flag=flagged") && document.readyState === "complete"`)
	var rows int
	browserRun(t, tab, "count rows", chromedp.Evaluate(`document.querySelectorAll("tbody tr").length`, &rows))
	if rows != 1 {
		t.Fatalf("%d flagged rows, want 1 (choi)", rows)
	}
	browsertest.Screenshot(t, tab, "screening-queue-flagged")

	// Kim's entry: the checklist, then a clarification.
	kimHref := "/secretariat/screening/" + strconv.FormatInt(kim, 10)
	browserRun(t, tab, "open kim's entry",
		chromedp.Navigate(base+kimHref),
		chromedp.WaitVisible(`#entry-decision`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "screening view")
	browsertest.Screenshot(t, tab, "screening-view")
	browserRun(t, tab, "ask a clarification",
		chromedp.SendKeys(`form#clarification-ask [name="question"]`, "Which city department runs the service?", chromedp.ByQuery),
		chromedp.SetValue(`form#clarification-ask [name="deadline"]`, "2023-06-15T18:00", chromedp.ByQuery),
		chromedp.Click(`form#clarification-ask button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`article.clarification`, chromedp.ByQuery),
	)
	if rec, err := screening.DecisionOf(ctx, e.pool, kim); err != nil || rec.Decision != screening.Clarification {
		t.Fatalf("decision after asking: %+v, %v", rec, err)
	}
	// Kim answers through the emailed link.
	link := e.lastLink(t, "kim@example.org", "clarification-request")
	var kimUser int64
	e.pool.QueryRow(ctx, `SELECT user_id FROM applications WHERE id = $1`, kim).Scan(&kimUser)
	kimClient := e.signedInClient(t, kimUser)
	if r := kimClient.get("/application/status"); !strings.Contains(r.body, "Clarification requested") {
		t.Fatal("the applicant's timeline does not show the clarification")
	}
	if r := kimClient.postMultipart(link, url.Values{"answer": {"The Smart City Policy Bureau runs it."}}); r.status != 303 {
		t.Fatalf("kim answers: %d\n%s", r.status, r.body)
	}
	browserRun(t, tab, "read the answer and decide",
		chromedp.Navigate(base+kimHref),
		chromedp.WaitVisible(`#entry-decision`, chromedp.ByQuery),
	)
	if !strings.Contains(browserText(t, tab), "The Smart City Policy Bureau runs it.") {
		t.Fatal("the answer is not on the screening view")
	}
	browserRun(t, tab, "mark eligible",
		chromedp.Click(`input[name="check.english"][value="yes"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="check.documents"][value="yes"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="check.not_duplicate"][value="yes"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="decision"][value="eligible"]`, chromedp.ByQuery),
		chromedp.Click(`form[action="`+kimHref+`/decision"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	if rec, _ := screening.DecisionOf(ctx, e.pool, kim); rec.Decision != screening.Eligible || rec.Checklist["english"] != "yes" {
		t.Fatalf("kim's decision: %+v", rec)
	}
	browsertest.CheckA11y(t, tab, "screening view decided")
	browserRun(t, tab, "history", chromedp.Navigate(base+kimHref+"/history"), chromedp.WaitVisible(`#history-caption`, chromedp.ByQuery))
	if txt := browserText(t, tab); !strings.Contains(txt, "screening.clarification_ask") || !strings.Contains(txt, "screening.decide") {
		t.Fatalf("history:\n%s", txt)
	}
	browsertest.CheckA11y(t, tab, "entry history")

	// The round cannot close yet.
	browserRun(t, tab, "round summary",
		chromedp.Navigate(base+"/secretariat/screening/round"),
		chromedp.WaitVisible(`#round-caption`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "round summary")
	if !strings.Contains(browserText(t, tab), "0 clarification requests are waiting") {
		t.Fatal("the summary does not count open clarifications")
	}
	browserRun(t, tab, "try to close",
		chromedp.Click(`form[action^="/secretariat/screening/round/close"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`p[role="alert"]`, chromedp.ByQuery),
	)
	if txt := browserText(t, tab); !strings.Contains(txt, "cannot close yet") || !strings.Contains(txt, "letters of recommendation and endorsements are accepted until 7 June 2023") {
		t.Fatal("closing with undecided entries is not explained")
	}
	browsertest.CheckA11y(t, tab, "round refused to close")

	// Bulk: choi ineligible (barred), the others eligible.
	browserRun(t, tab, "bulk ineligible",
		chromedp.Navigate(base+"/secretariat/screening?flag=flagged"),
		chromedp.WaitVisible(`#queue-caption`, chromedp.ByQuery),
		chromedp.Click(`input[name="ids"]`, chromedp.ByQuery),
		chromedp.SetValue(`#f-reason`, "not_barred", chromedp.ByQuery),
		chromedp.Click(`button[value="ineligible"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	browserRun(t, tab, "bulk eligible",
		chromedp.Navigate(base+"/secretariat/screening?status=undecided"),
		chromedp.WaitVisible(`#queue-caption`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('input[name="ids"]').forEach(b => b.checked = true)`, nil),
		chromedp.Click(`button[value="eligible"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	// After the deadline for letters (7 June), before the end of the window: closing early
	// needs a reason.
	clock.Advance(5 * 24 * time.Hour) // 10 June 2023
	browserRun(t, tab, "close",
		chromedp.Navigate(base+"/secretariat/screening/round"),
		chromedp.SetValue(`#f-reason`, "Every entry is decided; the committee can start early.", chromedp.ByQuery),
		chromedp.Click(`form[action^="/secretariat/screening/round/close"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "round closed")
	browsertest.Screenshot(t, tab, "screening-round-closed")
	var scheduled, total int
	e.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE e.screening_end = '2023-06-30 15:00:00+00'), count(*) FROM email_outbox o LEFT JOIN editions e ON e.id = o.edition_id AND o.milestone = 'screening_end' WHERE o.kind = 'screening-outcome'`).Scan(&scheduled, &total)
	if total != 4 || scheduled != 4 {
		t.Fatalf("outcome emails: %d scheduled of %d, want 4 of 4", scheduled, total)
	}
	var choiReason string
	e.pool.QueryRow(ctx, `SELECT d.reason_key FROM screening_decisions d JOIN applications a ON a.id = d.application_id WHERE a.user_id = $1`, choi).Scan(&choiReason)
	if choiReason != "not_barred" {
		t.Fatalf("choi's reason %q", choiReason)
	}
}

// TestBrowserScreeningMerge: on a phone-sized screen, the secretariat merges a repeat
// nomination of a candidate into the candidate's other nomination from its entry page: the
// refused form (no confirmation) shows its error summary, the merge then says what moved. Every
// page passes axe-core.
func TestBrowserScreeningMerge(t *testing.T) {
	e := newEnvWithClock(t, &testClock{now: fixedNow})
	_, a := anaNominatesKim(t, e)
	b := newNomination(t, e, nominatorUser(t, e, "ben", true), thirdPartyDetails("kim"))
	submitNomination(t, e, a)
	submitNomination(t, e, b)
	tab := signedInTab(t, e, matrixUser(t, e, "sec", "secretariat"))
	href := "/secretariat/screening/" + strconv.FormatInt(a, 10)
	browserRun(t, tab, "open the entry",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(e.srv.URL+href),
		chromedp.WaitVisible(`#entry-repeats`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "entry with a repeat nomination")
	browserRun(t, tab, "merge without confirming",
		chromedp.Click(`input[name="merge_from"]`, chromedp.ByQuery),
		chromedp.SendKeys(`[name="merge_reason"]`, "Ben nominated Kim too.", chromedp.ByQuery),
		chromedp.Click(`form[action="`+href+`/merge"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "merge refused")
	browsertest.Screenshot(t, tab, "screening-merge-refused")
	browserRun(t, tab, "merge",
		chromedp.Click(`[name="merge_confirm"]`, chromedp.ByQuery),
		chromedp.Click(`form[action="`+href+`/merge"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	if txt := browserText(t, tab); !strings.Contains(txt, "was merged into this entry") || !strings.Contains(txt, "Co-nominators") {
		t.Fatalf("after the merge:\n%s", txt)
	}
	browsertest.CheckA11y(t, tab, "entry after the merge")
	browsertest.Screenshot(t, tab, "screening-merged")
}

// browserWaitJS waits until js is true in the tab, across a page load.
func browserWaitJS(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	for range 200 {
		var ok bool
		if err := chromedp.Run(ctx, chromedp.Evaluate(js, &ok)); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s stays false", js)
}
