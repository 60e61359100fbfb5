package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserEditionStudioJourney is the organisers' year in one browser session. Mina, a
// secretariat member of seoul-2023 who manages that edition (not an administrator), signs in with
// her second factor, copies seoul-2023 into a 2024 draft, moves its deadline, changes two
// weights, adds a question shown only on the "yes" of another, previews the form, edits the
// receipt's subject and publishes. A year later Kim, who applied in 2023, signs in with the same
// account, starts a 2024 entry, finds the new deadline with its time zone and the new question
// when its condition is met, submits and gets the edited receipt. Mina then appoints an
// evaluator to the 2024 jury, who accepts and enrols TOTP; the jury page shows them accepted with
// their second factor. Every page is checked with axe-core.
func TestBrowserEditionStudioJourney(t *testing.T) {
	e := newTwoFactorEnv(t)
	mina, secret := secretariatManager(t, e, "mina")
	kim := returningApplicant(t, e.env, "kim")

	// The whole year in one tab, through some forty pages: a longer bound than one test's.
	ctx := browsertest.TabWithin(t, 10*time.Minute)
	b := studioTab{t: t, ctx: ctx, base: e.srv.URL, shots: "journey"}

	// The manager sets up the 2024 edition.
	b.signInWithCode(e, "mina", secret)
	b.copyEdition("Seoul Smart City Prize 2023", "Seoul Smart City Prize 2024", "seoul-2024")
	b.openPart("Schedule", studioDeadline)
	b.check("schedule sheet")
	b.changeDeadline("2024-05-31 23:59", "2024-05-24 18:00", "The ceremony moved.")
	b.changeWeights("2", "0.5")

	b.openPart("Application forms", `a[href^="/studio/forms/tech-innovacity"]`)
	b.check("application forms")
	b.run("the Tech-InnovaCity form", chromedp.Click(`a[href^="/studio/forms/tech-innovacity"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#q-project_title`, chromedp.ByQuery))
	b.check("form outline")
	b.addConditionalQuestion("100", `#q-index_name`)
	b.wantCondition()
	b.previewForm()

	const subject = "{{project}} is in the {{edition_name}}"
	b.run("back to the edition", chromedp.Navigate(b.base+"/studio/seoul-2024"), chromedp.WaitVisible(`//a[.="Emails"]`, chromedp.BySearch))
	b.openPart("Emails", `table`)
	b.openEmail("application-receipt")
	if preview := b.previewAndSaveEmail(subject); preview != "Smart Crosswalks for Safer Streets is in the Seoul Smart City Prize 2024" {
		t.Errorf("preview subject %q", preview)
	}
	b.run("back to the edition", chromedp.Navigate(b.base+"/studio/seoul-2024"), chromedp.WaitVisible(`//button[.="Publish this edition"]`, chromedp.BySearch))
	b.publish()
	b.check("published edition")
	b.shot("published")
	browserSignOut(t, ctx, "the manager signs out")
	ed := e.edition(t, "seoul-2024")
	if ed.Draft() || ed.Categories[0].Criteria[0].Weight != 2 || ed.Categories[0].Criteria[1].Weight != 0.5 {
		t.Errorf("stored: draft %v, weights %v, %v", ed.Draft(), ed.Categories[0].Criteria[0].Weight, ed.Categories[0].Criteria[1].Weight)
	}

	// A year later, the 2023 applicant comes back with the same account.
	e.clock.Advance(time.Date(2024, 5, 10, 3, 0, 0, 0, time.UTC).Sub(e.clock.Now()))
	b.run("kim signs in", chromedp.Navigate(b.base+"/signin"), chromedp.WaitVisible(`#f-login`, chromedp.ByQuery),
		browserSignInForm("kim", tfPassword), chromedp.WaitVisible(`a[href="/entries/new"]`, chromedp.ByQuery))
	b.startReturningEntry("tech-innovacity")
	var deadline string
	b.run("the deadline", chromedp.Text(`.deadline`, &deadline, chromedp.ByQuery))
	if !strings.Contains(deadline, "24 May 2024, 18:00 KST") || !strings.Contains(deadline, "Asia/Seoul time") {
		t.Errorf("the 2024 entry shows the deadline %q", deadline)
	}
	b.check("2024 entry")
	b.shot("entry")

	indexName := `[data-question="index_name"]`
	var hidden bool
	b.run("the project section", chromedp.Navigate(b.base+"/application/sections/project"),
		chromedp.WaitVisible(`input[name="q.in_index"][value="yes"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('`+indexName+`').hidden`, &hidden))
	if !hidden {
		t.Error("the conditional question shows before the question it depends on is answered")
	}
	b.run("answer yes", chromedp.Click(`input[name="q.in_index"][value="yes"]`, chromedp.ByQuery),
		chromedp.WaitVisible(indexName, chromedp.ByQuery),
		chromedp.SendKeys(`[id="f-q.index_name"]`, "ISO 37120", chromedp.ByQuery))
	b.check("project section with the new question")
	b.shot("new-question")
	b.run("save the section", chromedp.Click(`button[value="save"]`, chromedp.ByQuery), chromedp.WaitVisible(`.flash`, chromedp.ByQuery))
	b.check("project section saved")
	if a := storedApplication(t, e.env, kim).Answers; a["in_index"].Text != "yes" || a["index_name"].Text != "ISO 37120" {
		t.Fatalf("the 2024 entry holds %+v, %+v", a["in_index"], a["index_name"])
	}

	// The rest of the form is filled in (as other tests do in the browser), then submitted.
	answers := completeAnswersIn(t, e.env, "seoul-2024", "tech-innovacity")
	completeTheRestWith(t, e.env, kim, answers)
	b.submitApplication()
	if got, want := receiptSubject(t, e.env, kim), answers["project_title"].Text+" is in the Seoul Smart City Prize 2024"; got != want {
		t.Errorf("receipt subject %q, want %q", got, want)
	}
	browserSignOut(t, ctx, "kim signs out")

	// The manager appoints an evaluator to the 2024 jury, who accepts and enrols TOTP.
	browserSignIn(t, e.env, ctx, mina)
	b.run("the 2024 edition", chromedp.Navigate(b.base+"/studio/seoul-2024"), chromedp.WaitVisible(`//a[.="Jury"]`, chromedp.BySearch))
	b.check("published edition")
	b.openPart("Jury", `#f-name`)
	b.check("jury page")
	var jury string
	b.run("the jury's address", chromedp.Evaluate(`location.pathname + location.search`, &jury))
	b.appointEvaluator("Eun-ji Evaluator", "eunji@seoul.example", ed.Categories[0].ID)
	b.shot("jury-invited")
	browserSignOut(t, ctx, "the manager signs out")
	b.acceptInvitationAndEnrolTOTP(e, "eunji@seoul.example")
	b.wantAcceptedMember(e.env, mina, jury, "Eun-ji Evaluator")
	b.shot("jury-accepted")
}
