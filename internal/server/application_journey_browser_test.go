package server_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/application"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/tools/browsertest"
)

// newEnvWithClock starts a portal with seoul-2023 imported whose clock the test moves.
func newEnvWithClock(t *testing.T, clock *testClock) *env {
	t.Helper()
	return newEnvClock(t, dbtest.New(t), clock.Now, nil, "seoul-2023")
}

// checkReceipt checks that mail is a receipt of submission number with the PDF copy attached.
func checkReceipt(t *testing.T, m notifytest.Mail, number int) {
	t.Helper()
	if !strings.Contains(m.Text, "Seoul Talk") {
		t.Errorf("receipt does not name the project:\n%s", m.Text)
	}
	want := "application-" + strconv.Itoa(number) + ".pdf"
	for _, a := range m.Attachments {
		if a.Name == want {
			if a.ContentType != "application/pdf" || !bytes.HasPrefix(a.Data, []byte("%PDF-")) {
				t.Fatalf("attachment %s: %s, starts %q", a.Name, a.ContentType, a.Data[:min(len(a.Data), 8)])
			}
			return
		}
	}
	t.Fatalf("receipt has no %s attached: %+v", want, m.Attachments)
}

// TestBrowserApplicationJourney is the whole journey of an applicant with form.js at work: live
// word count, the conditional question shown on demand, autosave while typing (kept over a
// reload), a PDF uploaded with progress, leaving and coming back to the draft, submitting with
// the receipt and its PDF copy received over SMTP, editing and submitting again; after the
// deadline (test clock) the form is read-only, and an extension granted by the secretariat
// reopens it for this applicant only. Every form page is checked with axe-core.
func TestBrowserApplicationJourney(t *testing.T) {
	clock := &testClock{now: fixedNow}
	e := newEnvWithClock(t, clock)
	mail := startMail(t, e)
	kim := applicantUser(t, e, "kim", true)
	lee := applicantUser(t, e, "lee", true)
	saveAnswers(t, e, lee, completeAnswers(t, e))
	sec := matrixUser(t, e, "sec", "secretariat")

	ctx := signedInTab(t, e, kim)
	base := e.srv.URL
	pdf := samplePDFFile(t, "report.pdf")
	run := browserSteps(t, ctx)
	var ok bool
	check := func(step, js string) {
		t.Helper()
		ok = false
		run(step, chromedp.Evaluate(js, &ok))
		if !ok {
			t.Fatalf("%s: %s is false", step, js)
		}
	}

	// waitFor waits until js is true (form.js acts after pauses in typing).
	waitFor := func(step, js string) {
		t.Helper()
		var got bool
		for range 200 {
			run(step, chromedp.Evaluate(js, &got))
			if got {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		var status string
		run(step, chromedp.Evaluate(`document.querySelector(".autosave-status").textContent`, &status))
		t.Fatalf("%s: %s stays false (autosave status %q)", step, js, status)
	}

	run("overview", chromedp.Navigate(base+"/application"), chromedp.WaitVisible(`ol.sections`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "journey overview")

	// The first section: word count, the conditional question, autosave.
	run("project section",
		chromedp.Navigate(base+"/application/sections/project"),
		chromedp.WaitVisible(`[id="f-q.summary-count"]`, chromedp.ByQuery),
	)
	check("other sector hidden", `document.querySelector('[data-question="sector_other"]').hidden`)
	browsertest.CheckA11y(t, ctx, "journey project section")
	run("fill the project section",
		chromedp.SendKeys(`[id="f-q.project_title"]`, "Seoul Talk", chromedp.ByQuery),
		chromedp.SendKeys(`[id="f-q.summary"]`, "Citizens talk to the city by chat.", chromedp.ByQuery),
		chromedp.Click(`input[name="q.sectors"][value="other"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[id="f-q.sector_other"]`, chromedp.ByQuery),
		chromedp.SendKeys(`[id="f-q.sector_other"]`, "Civic chat", chromedp.ByQuery),
		chromedp.Click(`input[name="q.stage"][value="completed"]`, chromedp.ByQuery),
		chromedp.SetValue(`[id="f-q.end_date"]`, "2022-12-31", chromedp.ByQuery),
	)
	var count string
	waitFor("word count", `document.getElementById("f-q.summary-count").textContent === "7 of 300 words"`)
	run("word count text", chromedp.Text(`[id="f-q.summary-count"]`, &count, chromedp.ByQuery))
	if count != "7 of 300 words" {
		t.Fatalf("word count %q", count)
	}
	// 10 May 2023, 03:00 UTC is 12:00 in Seoul.
	waitFor("autosave", `document.querySelector(".autosave-status").textContent.indexOf("Saved at 12:00 KST") === 0`)
	browsertest.CheckA11y(t, ctx, "journey project section autosaved")
	browsertest.Screenshot(t, ctx, "journey-autosaved")
	var summary, other string
	run("reload",
		chromedp.Reload(),
		chromedp.WaitVisible(`[id="f-q.sector_other"]`, chromedp.ByQuery),
		chromedp.Value(`[id="f-q.summary"]`, &summary, chromedp.ByQuery),
		chromedp.Value(`[id="f-q.sector_other"]`, &other, chromedp.ByQuery),
	)
	if summary != "Citizens talk to the city by chat." || other != "Civic chat" {
		t.Fatalf("after autosave and reload: summary %q, other sector %q", summary, other)
	}
	run("save and continue",
		chromedp.Click(`button[value="continue"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[id="f-q.lead_organisation"]`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "journey second section")

	// The upload is sent by form.js with progress; the answer replaces the document, so the
	// window (and this marker) stays.
	run("upload a PDF",
		chromedp.Navigate(base+"/application/sections/materials"),
		chromedp.WaitVisible(`[id="f-q.documents"]`, chromedp.ByQuery),
		chromedp.Evaluate(`window.journeyMarker = 1`, nil),
		chromedp.SetUploadFiles(`[id="f-q.documents"]`, []string{pdf}, chromedp.ByQuery),
		chromedp.Click(`button[value="save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`a[href^="/application/files/"]`, chromedp.ByQuery),
	)
	check("uploaded with XMLHttpRequest", `window.journeyMarker === 1 && location.pathname === "/application/sections/materials"`)
	browsertest.CheckA11y(t, ctx, "journey section with a file")

	// Leave and come back: the draft is there.
	run("come back",
		browserBackToApplication(base),
		chromedp.Click(`a[href="/application/sections/project"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[id="f-q.project_title"]`, chromedp.ByQuery),
	)
	browserWantSavedDraft(t, ctx)

	// The remaining sections are filled directly; what the browser entered is kept.
	completeTheRest(t, e, kim)

	submit := func(step string) {
		t.Helper()
		run(step+": review",
			chromedp.Navigate(base+"/application/review"),
			chromedp.WaitVisible(`form[action="/application/submit"]`, chromedp.ByQuery),
		)
		browsertest.CheckA11y(t, ctx, "journey review ("+step+")")
		run(step,
			chromedp.Click(`form[action="/application/submit"] button`, chromedp.ByQuery),
			chromedp.WaitVisible(`ol.sections`, chromedp.ByQuery),
		)
	}
	submit("submit")
	checkReceipt(t, mail.WaitFor(t, "kim@example.org", "was received", 15*time.Second), 1)

	// Edit and submit again before the deadline.
	run("edit",
		chromedp.Navigate(base+"/application/sections/project"),
		chromedp.WaitVisible(`[id="f-q.project_title"]`, chromedp.ByQuery),
		chromedp.SetValue(`[id="f-q.project_title"]`, "Seoul Talk 2", chromedp.ByQuery),
		chromedp.Click(`button[value="save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	submit("submit again")
	if got := storedApplication(t, e, kim); got.Status != application.Submitted || got.Submissions != 2 {
		t.Fatalf("status %s, submissions %d; want submitted twice", got.Status, got.Submissions)
	}
	deadline := time.Now().Add(15 * time.Second)
	for len(mail.MessagesTo("kim@example.org")) < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	receipts := mail.MessagesTo("kim@example.org")
	if len(receipts) != 2 {
		t.Fatalf("%d messages to kim, want two receipts", len(receipts))
	}
	checkReceipt(t, receipts[1], 2)
	browsertest.Screenshot(t, ctx, "journey-submitted-again")

	// After the deadline the form is read-only.
	clock.Advance(seoulDeadline.Add(time.Hour).Sub(clock.Now()))
	readOnly := func(step string) {
		t.Helper()
		run(step,
			chromedp.Navigate(base+"/application/sections/project"),
			chromedp.WaitVisible(`dl.answers`, chromedp.ByQuery),
		)
		check(step+": no form", `document.querySelector("form[data-autosave]") === null`)
	}
	readOnly("closed")
	browsertest.CheckA11y(t, ctx, "journey closed section")
	browsertest.Screenshot(t, ctx, "journey-closed")

	// The secretariat extends kim's deadline.
	browserSignIn(t, e, ctx, sec)
	run("extension form",
		chromedp.Navigate(base+"/secretariat/applications/"+strconv.FormatInt(storedApplication(t, e, kim).ID, 10)+"/extension"),
		chromedp.WaitVisible(`#f-until`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "journey extension form")
	run("grant",
		chromedp.SetValue(`#f-until`, "2023-06-03T18:00", chromedp.ByQuery),
		chromedp.SendKeys(`#f-reason`, "Power cut in the city on the deadline day", chromedp.ByQuery),
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)

	// The form reopens for kim only.
	browserSignIn(t, e, ctx, kim)
	var title string
	run("reopened",
		chromedp.Navigate(base+"/application/sections/project"),
		chromedp.WaitVisible(`form[data-autosave] [id="f-q.project_title"]`, chromedp.ByQuery),
		chromedp.Value(`[id="f-q.project_title"]`, &title, chromedp.ByQuery),
	)
	if title != "Seoul Talk 2" {
		t.Fatalf("reopened form shows %q", title)
	}
	browsertest.CheckA11y(t, ctx, "journey reopened section")
	browserSignIn(t, e, ctx, lee)
	readOnly("another applicant")
}
