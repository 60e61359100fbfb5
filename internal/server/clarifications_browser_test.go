package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserClarification: the secretariat asks a clarification on its own clarifications page
// (a first attempt without a question shows the error summary), allowing one question of the
// locked application to be edited; the applicant opens the link emailed over SMTP, answers in
// writing with a PDF and a changed summary; the secretariat reads the answer. Every page is
// checked with axe-core.
func TestBrowserClarification(t *testing.T) {
	c := newClarEnv(t, roundOneNow)
	mail := startMail(t, c.env)
	pdf := samplePDFFile(t, "organigram.pdf")
	ctx := browsertest.Tab(t)
	base := c.srv.URL

	browserSignIn(t, c.env, ctx, c.sec)
	browserRun(t, ctx, "secretariat's clarifications page",
		chromedp.Navigate(base+c.clarPath()), chromedp.WaitVisible(`#clarification-ask`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "secretariat's clarifications page")
	browserRun(t, ctx, "ask without a question",
		chromedp.SetValue(`#f-deadline`, "2023-06-12T18:00", chromedp.ByQuery),
		chromedp.Click(`#clarification-ask button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "ask form with errors")
	browserRun(t, ctx, "ask",
		chromedp.SendKeys(`#f-question`, "Which department runs the project? Please also shorten your summary.", chromedp.ByQuery),
		chromedp.Click(`#clarification-ask input[name="keys"][value="summary"]`, chromedp.ByQuery),
		chromedp.Click(`#clarification-ask button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`.error-summary`, chromedp.ByQuery))

	m := mail.WaitFor(t, "kim@example.org", "A question about your entry", 15*time.Second)
	link := emailedPath(t, m, "/clarifications/")
	browserSignIn(t, c.env, ctx, c.kim)
	browserRun(t, ctx, "dashboard", chromedp.Navigate(base+"/dashboard"),
		chromedp.WaitVisible(`a[href="/clarifications"]`, chromedp.ByQuery))
	browserRun(t, ctx, "applicant's list", chromedp.Navigate(base+"/clarifications"),
		chromedp.WaitVisible(`a[href="`+link+`"]`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "applicant's clarifications list")
	browserRun(t, ctx, "answer page", chromedp.Navigate(base+link), chromedp.WaitVisible(`#clarification-answer`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "answer page")
	if text := browserText(t, ctx); !strings.Contains(text, "Which department runs the project?") || !strings.Contains(text, "12 June 2023, 18:00 KST") {
		t.Fatalf("answer page:\n%s", text)
	}
	browserRun(t, ctx, "answer",
		chromedp.SendKeys(`#f-answer`, "The transport department runs it.", chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById("f-q.summary").value = "A shorter summary."`, nil),
		chromedp.SetUploadFiles(`#f-documents`, []string{pdf}, chromedp.ByQuery),
		chromedp.Click(`#clarification-answer button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.clarification-answer`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "answered page")
	if text := browserText(t, ctx); !strings.Contains(text, "Your answer was sent") || !strings.Contains(text, "organigram.pdf") ||
		!strings.Contains(text, "submission 2") {
		t.Fatalf("answered page:\n%s", text)
	}
	mail.WaitFor(t, c.ed.ContactEmail, "Clarification answered", 15*time.Second)

	browserSignIn(t, c.env, ctx, c.sec)
	browserRun(t, ctx, "secretariat reads the answer", chromedp.Navigate(base+c.clarPath()),
		chromedp.WaitVisible(`article.clarification .clarification-answer`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "thread with the answer")
	if text := browserText(t, ctx); !strings.Contains(text, "The transport department runs it.") || !strings.Contains(text, "Answered") {
		t.Fatalf("secretariat's thread:\n%s", text)
	}
	if v := storedApplication(t, c.env, c.kim); v.Submissions != 2 || v.Answers["summary"].Text != "A shorter summary." {
		t.Fatalf("application after the answer: %d submissions, summary %q", v.Submissions, v.Answers["summary"].Text)
	}
}
