package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/edition"
	"prizeportal/internal/results"
	"prizeportal/internal/tools/browsertest"
)

// TestBrowserResults: after the announcement date the public results page shows the winners
// by place (on a phone too), and the first-place winner gives the link to their ceremony video,
// first with a mistake shown next to the field; every page passes axe-core.
func TestBrowserResults(t *testing.T) {
	w := newResultsWorld(t)
	base := w.e.srv.URL
	tab := browsertest.Tab(t)
	browserRun(t, tab, "results before the date", chromedp.Navigate(base+"/editions/seoul-2023/results"))
	if txt := browserText(t, tab); !strings.Contains(txt, "The winners will be announced on 31 July 2023") || strings.Contains(txt, "Entry A") {
		t.Fatalf("before the date:\n%s", txt)
	}
	browsertest.CheckA11y(t, tab, "results, before the announcement")

	w.clock.Advance(24 * time.Hour)
	browserRun(t, tab, "results after the date", chromedp.Navigate(base+"/editions/seoul-2023"),
		chromedp.Click(`a[href="/editions/seoul-2023/results"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#res-tech-innovacity`, chromedp.ByQuery))
	txt := browserText(t, tab)
	if !strings.Contains(txt, "First place: First Prize") || !strings.Contains(txt, "Alpha makes buses talk.") || strings.Contains(txt, "Bravo secret plan") {
		t.Fatalf("after the date:\n%s", txt)
	}
	browsertest.CheckA11y(t, tab, "results")
	browserRun(t, tab, "results on a phone", browsertest.Phone(), chromedp.Reload(), chromedp.WaitVisible(`#res-tech-innovacity`, chromedp.ByQuery))
	browsertest.CheckA11y(t, tab, "results, phone")

	winner := browsertest.Tab(t)
	browserSignIn(t, w.e, winner, w.users[0])
	browserRun(t, winner, "dashboard to the video page", chromedp.Navigate(base+"/dashboard"),
		chromedp.Click(`a[href="`+videoPath(w.awards[0])+`"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-url`, chromedp.ByQuery))
	browsertest.CheckA11y(t, winner, "video page")
	browserRun(t, winner, "a link without its scheme",
		chromedp.SendKeys(`#f-url`, "video.example.org/alpha", chromedp.ByQuery),
		chromedp.Click(`//button[contains(., "Save the link")]`, chromedp.BySearch),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	browsertest.CheckA11y(t, winner, "video page, error")
	browserRun(t, winner, "the corrected link",
		chromedp.SetValue(`#f-url`, "https://video.example.org/alpha", chromedp.ByQuery),
		chromedp.Click(`//button[contains(., "Save the link")]`, chromedp.BySearch),
		chromedp.WaitVisible(`//*[contains(@class, "flash")][contains(., "the link to your video is saved")]`, chromedp.BySearch))
	browsertest.CheckA11y(t, winner, "video page, saved")

	w.clock.now = videoDeadline
	browserRun(t, winner, "after the deadline", chromedp.Reload(), chromedp.WaitVisible(`#video-current`, chromedp.ByQuery))
	if txt := browserText(t, winner); !strings.Contains(txt, "The deadline for the ceremony video passed") || !strings.Contains(txt, "https://video.example.org/alpha") {
		t.Fatalf("read-only page:\n%s", txt)
	}
	browsertest.CheckA11y(t, winner, "video page, read-only")
}

// TestBrowserLeadershipWinnerIsTheCandidate: the public results show the Leadership winner with
// the candidate's organisation, city and country, never those of the nominator (a Parisian who
// nominated a Seoul candidate); the page passes axe-core.
func TestBrowserLeadershipWinnerIsTheCandidate(t *testing.T) {
	w := newResultsWorld(t)
	w.leadershipWinner(t)
	w.clock.Advance(24 * time.Hour)
	tab := browsertest.Tab(t)
	browserRun(t, tab, "results", chromedp.Navigate(w.e.srv.URL+"/editions/seoul-2023/results"),
		chromedp.WaitVisible(`#res-leadership`, chromedp.ByQuery))
	var lead string
	browserRun(t, tab, "the Leadership results", chromedp.Text(`section[aria-labelledby="res-leadership"]`, &lead, chromedp.ByQuery))
	if !strings.Contains(lead, "Cand Kim") || !strings.Contains(lead, "Seoul Metropolitan Government") ||
		!strings.Contains(lead, "Seoul") || !strings.Contains(lead, "Korea") || strings.Contains(lead, "France") || strings.Contains(lead, "Paris") {
		t.Fatalf("Leadership results:\n%s", lead)
	}
	browsertest.CheckA11y(t, tab, "results with a Leadership winner")

	// the candidate's private page, on a phone and without an account: the answer with a mistake
	// shown next to its field, then saved; and their video page
	ed, err := edition.ByID(context.Background(), w.e.pool, w.edID)
	if err != nil {
		t.Fatal(err)
	}
	var awardID int64
	w.e.pool.QueryRow(context.Background(), `SELECT w.id FROM awards w JOIN nominations n ON n.application_id = w.application_id`).Scan(&awardID)
	page, err := results.NewCandidateLink(context.Background(), w.e.pool, ed, awardID, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	cand := browsertest.Tab(t)
	browserRun(t, cand, "the candidate's attendance page", browsertest.Phone(), chromedp.Navigate(w.e.srv.URL+page+"/attendance"),
		chromedp.WaitVisible(`#attendance-title`, chromedp.ByQuery))
	browsertest.CheckA11y(t, cand, "candidate's attendance page, phone")
	browserRun(t, cand, "an answer without the title",
		chromedp.Click(`input[name="attend"][value="yes"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="representative_name"]`, "Cand Kim", chromedp.ByQuery),
		chromedp.Click(`//button[contains(., "Send my answer")]`, chromedp.BySearch),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	browsertest.CheckA11y(t, cand, "candidate's attendance page, error")
	browserRun(t, cand, "the complete answer",
		chromedp.SendKeys(`input[name="representative_title"]`, "Chief Digital Officer", chromedp.ByQuery),
		chromedp.Click(`//button[contains(., "Send my answer")]`, chromedp.BySearch),
		chromedp.WaitVisible(`#attendance-answer`, chromedp.ByQuery))
	if txt := browserText(t, cand); !strings.Contains(txt, "You confirmed on") || !strings.Contains(txt, "Chief Digital Officer") {
		t.Fatalf("after the answer:\n%s", txt)
	}
	browsertest.CheckA11y(t, cand, "candidate's attendance page, answered")
	browserRun(t, cand, "to the video page", chromedp.Click(`a[href="`+page+`/video"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#video-current`, chromedp.ByQuery))
	browsertest.CheckA11y(t, cand, "candidate's video page, phone")
}
