package server_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserRecommenderUploadsLetter: the nominator invites a recommender on the letter page;
// the recommender, without an account, opens the emailed link, fills the form (a first try
// shows the errors) and uploads a PDF; the link then says it was used; the nominator sees the
// letter received, never its content. Every page is checked with axe-core.
func TestBrowserRecommenderUploadsLetter(t *testing.T) {
	e := newEnv(t, nil, "seoul-2023")
	mail := startMail(t, e)
	owner := nominatorUser(t, e, "lt-browser", true)
	id := newNomination(t, e, owner, thirdPartyDetails("lee"))
	base := e.srv.URL
	page := base + "/nominations/" + strconv.FormatInt(id, 10) + "/letter"
	pdf := samplePDFFile(t, "Letter for Candidate lee.pdf")

	ctx := signedInTab(t, e, owner)
	browserRun(t, ctx, "letter page", chromedp.Navigate(page), chromedp.WaitVisible(`#f-organisation`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "nominator letter page (nobody invited)")
	browserRun(t, ctx, "empty invitation",
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "nominator letter page with errors")
	browserRun(t, ctx, "invite",
		chromedp.SendKeys(`#f-name`, "Park Won-soon", chromedp.ByQuery),
		chromedp.SendKeys(`#f-email`, "park@wego.example", chromedp.ByQuery),
		chromedp.SendKeys(`#f-organisation`, "WeGO", chromedp.ByQuery),
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`dl.facts`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "nominator letter page (invited)")

	// The recommender has no account: the nominator's session is gone from this browser.
	m := mail.WaitFor(t, "park@wego.example", "letter of recommendation", 20*time.Second)
	link := base + emailedPath(t, m, "/letters/")
	browserRun(t, ctx, "sign out", network.DeleteCookies(e.sessions.Cookie.Name).WithURL(base))
	browserRun(t, ctx, "open the link", chromedp.Navigate(link), chromedp.WaitVisible(`#f-title`, chromedp.ByQuery))
	if text := browserText(t, ctx); !strings.Contains(text, "Candidate lee") || !strings.Contains(text, "KST") {
		t.Fatalf("recommender page:\n%s", text)
	}
	browsertest.CheckA11y(t, ctx, "recommender form")
	browserRun(t, ctx, "send without a letter",
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "recommender form with errors")
	var name string
	browserRun(t, ctx, "send the PDF",
		chromedp.Value(`#f-name`, &name, chromedp.ByQuery),
		chromedp.SendKeys(`#f-title`, "Secretary-General", chromedp.ByQuery),
		chromedp.Click(`input[name="category"][value="civil-society-head"]`, chromedp.ByQuery),
		chromedp.SetUploadFiles(`#f-letter_file`, []string{pdf}, chromedp.ByQuery),
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//h1[contains(., "Thank you")]`, chromedp.BySearch))
	if name != "Park Won-soon" {
		t.Fatalf("the name was lost after the error: %q", name)
	}
	browsertest.CheckA11y(t, ctx, "recommender thank-you page")
	browserRun(t, ctx, "the link again", chromedp.Navigate(link), chromedp.WaitVisible(`//h1[contains(., "already been used")]`, chromedp.BySearch))
	browsertest.CheckA11y(t, ctx, "used letter link")

	browserSignIn(t, e, ctx, owner)
	browserRun(t, ctx, "letter page after", chromedp.Navigate(page), chromedp.WaitVisible(`dl.facts`, chromedp.ByQuery))
	text := browserText(t, ctx)
	if !strings.Contains(text, "Received") || strings.Contains(text, "Letter for Candidate lee.pdf") || strings.Contains(text, "Secretary-General") {
		t.Fatalf("nominator's letter page after the letter:\n%s", text)
	}
	browsertest.CheckA11y(t, ctx, "nominator letter page (received)")
	browsertest.Screenshot(t, ctx, "letter-nominator-received")
}
