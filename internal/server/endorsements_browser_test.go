package server_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/tools/browsertest"
)

// TestBrowserCitizenEndorses: the nominator opens the endorsement page from the nomination; a
// citizen signs it in the browser (after a first try with errors), confirms through the emailed
// link (real SMTP) with the button, and the 31st confirmed endorsement qualifies the nomination
// (30 were stored beforehand). Every page the nominator and the citizen see is checked with
// axe-core.
func TestBrowserCitizenEndorses(t *testing.T) {
	e := newEnv(t, nil, "seoul-2023")
	mail := startMail(t, e)
	ana, id := anaNominatesKim(t, e)
	enConfirmed(t, e, id, 30)
	base, home := e.srv.URL, "/nominations/"+strconv.FormatInt(id, 10)

	ctx := signedInTab(t, e, ana)
	browserRun(t, ctx, "nomination overview",
		chromedp.Navigate(base+home),
		chromedp.Click(`a[href="`+home+`/endorsements"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action="`+home+`/endorsements"] button`, chromedp.ByQuery),
	)
	if s := browserText(t, ctx); !strings.Contains(s, "Not yet: 1 more") {
		t.Fatalf("nominator page with 30 confirmed:\n%s", s)
	}
	browsertest.CheckA11y(t, ctx, "nominator endorsements, not open")
	var shared string
	browserRun(t, ctx, "open the endorsement page",
		chromedp.Click(`form[action="`+home+`/endorsements"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.share-link a`, chromedp.ByQuery),
		chromedp.AttributeValue(`.share-link a`, "href", &shared, nil, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "nominator endorsements, open")
	browsertest.Screenshot(t, ctx, "endorsements-nominator")
	link, err := url.Parse(shared)
	if err != nil || !strings.HasPrefix(link.Path, "/endorse/") {
		t.Fatalf("shared link %q", shared)
	}

	// The citizen, in a tab of their own.
	citizen := browsertest.Tab(t)
	browserRun(t, citizen, "public page",
		chromedp.Navigate(base+link.Path),
		chromedp.WaitVisible(`#f-name`, chromedp.ByQuery),
	)
	if s := browserText(t, citizen); !strings.Contains(s, "Endorse Candidate kim") || !strings.Contains(s, "Chief Digital Officer") ||
		!strings.Contains(s, "What endorsing means") {
		t.Fatalf("public page:\n%s", s)
	}
	browsertest.CheckA11y(t, citizen, "public endorsement page")
	browserRun(t, citizen, "sign without the box",
		chromedp.SendKeys(`#f-name`, "Ji-woo Park", chromedp.ByQuery),
		chromedp.SendKeys(`#f-city`, "Busan", chromedp.ByQuery),
		chromedp.SetValue(`#f-country`, "KR", chromedp.ByQuery),
		chromedp.SendKeys(`#f-email`, "jiwoo@example.org", chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-confirm-error`, chromedp.ByQuery),
	)
	var kept string
	browserRun(t, citizen, "typed values kept", chromedp.Value(`#f-email`, &kept, chromedp.ByQuery))
	if kept != "jiwoo@example.org" {
		t.Fatalf("email after the error = %q", kept)
	}
	browsertest.CheckA11y(t, citizen, "public endorsement page with an error")
	browsertest.Screenshot(t, citizen, "endorse-error")
	var h1 string
	browserRun(t, citizen, "sign",
		chromedp.Click(`#f-confirm`, chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`#f-name`, chromedp.ByQuery),
		chromedp.Text(`h1`, &h1, chromedp.ByQuery),
	)
	if h1 != "Check your email" {
		t.Fatalf("after signing: %q", h1)
	}
	browsertest.CheckA11y(t, citizen, "check your email")

	m := mail.WaitFor(t, "jiwoo@example.org", "Confirm your endorsement", 30*time.Second)
	confirm, err := url.Parse(notifytest.FirstLink(m.Text, "/endorse/confirm/"))
	if err != nil || confirm.Path == "" {
		t.Fatalf("no link in:\n%s", m.Text)
	}
	browserRun(t, citizen, "confirmation page",
		chromedp.Navigate(base+confirm.Path),
		chromedp.WaitVisible(`form.form button`, chromedp.ByQuery),
		chromedp.Text(`h1`, &h1, chromedp.ByQuery),
	)
	if h1 != "Confirm your endorsement of Candidate kim" {
		t.Fatalf("confirmation page h1 = %q", h1)
	}
	browsertest.CheckA11y(t, citizen, "confirm endorsement")
	browserRun(t, citizen, "confirm",
		chromedp.Click(`form.form button`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`form.form`, chromedp.ByQuery),
		chromedp.Text(`h1`, &h1, chromedp.ByQuery),
	)
	if h1 != "Thank you: your endorsement is confirmed" {
		t.Fatalf("after confirming: %q", h1)
	}
	browsertest.CheckA11y(t, citizen, "endorsement confirmed")
	browserRun(t, citizen, "used link", chromedp.Navigate(base+confirm.Path), chromedp.WaitVisible(`h1`, chromedp.ByQuery))
	browsertest.CheckA11y(t, citizen, "used confirmation link")
	browserRun(t, citizen, "unknown code", chromedp.Navigate(base+"/endorse/NOSUCHCODE"), chromedp.WaitVisible(`h1`, chromedp.ByQuery))
	browsertest.CheckA11y(t, citizen, "unknown endorsement page")

	// The 31st confirmed endorsement qualifies the nomination.
	browserRun(t, ctx, "nominator counts",
		chromedp.Navigate(base+home+"/endorsements"),
		chromedp.WaitVisible(`.share-link`, chromedp.ByQuery),
	)
	if s := browserText(t, ctx); !strings.Contains(s, "31") || strings.Contains(s, "Not yet") || strings.Contains(s, "Ji-woo") {
		t.Fatalf("nominator page with 31 confirmed:\n%s", s)
	}
	browsertest.CheckA11y(t, ctx, "nominator endorsements, qualified")
}
