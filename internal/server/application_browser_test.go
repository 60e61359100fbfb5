package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"prizeportal/internal/application"
	"prizeportal/internal/tools/browsertest"
)

// signedInTab opens a browser tab signed in as userID.
func signedInTab(t *testing.T, e *env, userID int64) context.Context {
	t.Helper()
	ctx := browsertest.Tab(t)
	browserSignIn(t, e, ctx, userID)
	return ctx
}

// browserBackToApplication leaves for the dashboard and comes back to the application's sections
// by its link.
func browserBackToApplication(base string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Navigate(base + "/dashboard"),
		chromedp.WaitVisible(`a[href="/application"]`, chromedp.ByQuery),
		chromedp.Click(`a[href="/application"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`ol.sections`, chromedp.ByQuery),
	}
}

// browserWantSavedDraft checks that the project section open shows the draft the browser
// typed: the title Seoul Talk and the other sector Civic chat.
func browserWantSavedDraft(t *testing.T, ctx context.Context) {
	t.Helper()
	var title, other string
	browserRun(t, ctx, "read the saved draft",
		chromedp.Value(`[id="f-q.project_title"]`, &title, chromedp.ByQuery),
		chromedp.Value(`[id="f-q.sector_other"]`, &other, chromedp.ByQuery),
	)
	if title != "Seoul Talk" || other != "Civic chat" {
		t.Fatalf("saved draft shows %q, %q", title, other)
	}
}

// browserSignIn gives the browser tab a session of userID.
func browserSignIn(t *testing.T, e *env, ctx context.Context, userID int64) {
	t.Helper()
	// Staff sessions passed the second factor at sign-in.
	token := e.sessionToken(t, userID, true)
	if err := chromedp.Run(ctx, network.SetCookie(e.sessions.Cookie.Name, token).WithURL(e.srv.URL).WithPath("/")); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserApplicantFillsAndSubmits: an applicant fills the Tech-InnovaCity form across
// sections, answering the conditional "other sector" question, uploads a PDF, leaves, comes back
// to the saved draft, reviews and submits. Every page is checked with axe-core.
func TestBrowserApplicantFillsAndSubmits(t *testing.T) {
	e := newEnv(t, nil, "seoul-2023")
	kim := applicantUser(t, e, "kim", true)
	ctx := signedInTab(t, e, kim)
	base := e.srv.URL
	pdf := samplePDFFile(t, "report.pdf")
	run := browserSteps(t, ctx)

	run("overview", chromedp.Navigate(base+"/application"), chromedp.WaitVisible(`ol.sections`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "application overview")

	run("project section",
		chromedp.Navigate(base+"/application/sections/project"),
		chromedp.WaitVisible(`[id="f-q.project_title"]`, chromedp.ByQuery),
		chromedp.SendKeys(`[id="f-q.project_title"]`, "Seoul Talk", chromedp.ByQuery),
		chromedp.SendKeys(`[id="f-q.summary"]`, "Citizens talk to the city by chat.", chromedp.ByQuery),
		chromedp.Click(`input[name="q.sectors"][value="other"]`, chromedp.ByQuery),
		chromedp.SendKeys(`[id="f-q.sector_other"]`, "Civic chat", chromedp.ByQuery),
		chromedp.Click(`input[name="q.stage"][value="completed"]`, chromedp.ByQuery),
		chromedp.SetValue(`[id="f-q.end_date"]`, "2022-12-31", chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "application section form")
	run("save and continue",
		chromedp.Click(`button[value="continue"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[id="f-q.lead_organisation"]`, chromedp.ByQuery),
	)
	run("save with a problem",
		chromedp.Navigate(base+"/application/sections/funding"),
		chromedp.WaitVisible(`[id="f-q.budget"]`, chromedp.ByQuery),
		chromedp.SendKeys(`[id="f-q.budget"]`, "lots", chromedp.ByQuery),
		chromedp.Click(`button[value="save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "application section with errors")
	var kept string
	run("typed text kept", chromedp.Value(`[id="f-q.budget"]`, &kept, chromedp.ByQuery))
	if kept != "lots" {
		t.Fatalf("budget shows %q after the error, want the typed text", kept)
	}
	run("correct the problem",
		chromedp.SetValue(`[id="f-q.budget"]`, "1500000", chromedp.ByQuery),
		chromedp.Click(`button[value="save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	run("upload a PDF",
		chromedp.Navigate(base+"/application/sections/materials"),
		chromedp.WaitVisible(`[id="f-q.documents"]`, chromedp.ByQuery),
		chromedp.SetUploadFiles(`[id="f-q.documents"]`, []string{pdf}, chromedp.ByQuery),
		chromedp.Click(`button[value="save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`a[href^="/application/files/"]`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "application section with a file")

	// Leave and come back: the draft is there.
	run("come back",
		browserBackToApplication(base),
		chromedp.Navigate(base+"/application/sections/project"),
		chromedp.WaitVisible(`[id="f-q.project_title"]`, chromedp.ByQuery),
	)
	browserWantSavedDraft(t, ctx)

	// The remaining sections are filled directly; what the browser typed is kept.
	completeTheRest(t, e, kim)

	var body string
	run("review",
		chromedp.Navigate(base+"/application/review"),
		chromedp.WaitVisible(`form[action="/application/submit"]`, chromedp.ByQuery),
		chromedp.Text(`main`, &body, chromedp.ByQuery),
	)
	if !strings.Contains(body, "Civic chat") || !strings.Contains(body, "report.pdf") {
		t.Fatalf("review does not show the answers:\n%s", body)
	}
	browsertest.CheckA11y(t, ctx, "application review")
	run("submit",
		chromedp.Click(`form[action="/application/submit"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`ol.sections`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "application submitted")
	browsertest.Screenshot(t, ctx, "application-submitted")
	if got := storedApplication(t, e, kim); got.Status != application.Submitted {
		t.Fatalf("status %s, want submitted", got.Status)
	}
	run("withdraw page", chromedp.Navigate(base+"/application/withdraw"), chromedp.WaitVisible(`form.form`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "application withdraw")
}
