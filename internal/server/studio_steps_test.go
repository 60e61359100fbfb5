package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// The steps of the organisers' browser tests (the studio, the form builder, the email wording,
// the jury) and of the returning applicant, shared by those tests and by the whole journey of
// TestBrowserEditionStudioJourney. A step checks every page it opens with axe-core and
// photographs the key ones.

// secretariatManager is a secretariat member of seoul-2023 who also manages the edition (not an
// administrator), with TOTP enrolled; it returns the id and the TOTP secret.
func secretariatManager(t *testing.T, e *tfEnv, login string) (int64, string) {
	t.Helper()
	id, secret := e.enrolledAccount(t, login, "secretariat")
	if _, err := e.pool.Exec(context.Background(), `INSERT INTO role_grants (user_id, role, edition_id)
		SELECT $1, 'manager', id FROM editions WHERE slug = 'seoul-2023'`, id); err != nil {
		t.Fatal(err)
	}
	return id, secret
}

// studioTab is a browser tab on the portal at base; its screenshots are named shots+"-"+name.
type studioTab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string
}

func (b studioTab) run(step string, actions ...chromedp.Action) {
	b.t.Helper()
	browserRun(b.t, b.ctx, step, actions...)
}

func (b studioTab) check(page string) {
	b.t.Helper()
	browsertest.CheckA11y(b.t, b.ctx, page)
}

func (b studioTab) shot(name string) {
	b.t.Helper()
	browsertest.Screenshot(b.t, b.ctx, b.shots+"-"+name)
}

// submit clicks the submit button of the page's form.
var submit = chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery)

// review asks for the review of a studio sheet's changes (the sheet's items have Remove buttons
// of their own).
var review = chromedp.Click(`//button[.="Review the changes"]`, chromedp.BySearch)

// flash waits for the message of the page shown after a change to contain text.
func flash(text string) chromedp.Action {
	return chromedp.WaitVisible(`//div[@class="flash" and contains(., "`+text+`")]`, chromedp.BySearch)
}

// leaving marks the page open; left then waits for the page that replaces it (a selector the
// page open already shows cannot tell the two apart).
func leaving() chromedp.Action {
	var marked bool
	return chromedp.Evaluate(`(document.body.dataset.leaving = "yes") === "yes"`, &marked)
}

var left = chromedp.WaitNotPresent(`body[data-leaving]`, chromedp.ByQuery)

// signInWithCode signs in at /signin as login, with the password and a TOTP code of secret.
func (b studioTab) signInWithCode(e *tfEnv, login, secret string) {
	b.t.Helper()
	b.run("sign in as "+login,
		chromedp.Navigate(b.base+"/signin"),
		chromedp.WaitVisible(`#f-login`, chromedp.ByQuery),
		browserSignInForm(login, tfPassword),
		chromedp.WaitVisible(`#f-code`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-code`, e.code(b.t, secret), chromedp.ByQuery),
		submit,
		chromedp.WaitVisible(`//h1[contains(., "Dashboard") or contains(., "Welcome")]`, chromedp.BySearch),
	)
	browserWantPath(b.t, b.ctx, "after signing in", "/dashboard")
}

// copyEdition copies the edition named from, on the studio's list, into a draft with the new
// edition form's defaults (every date one year later), which must be named to at /studio/slug.
func (b studioTab) copyEdition(from, to, slug string) {
	b.t.Helper()
	b.run("the editions", chromedp.Navigate(b.base+"/studio"), chromedp.WaitVisible(`table`, chromedp.ByQuery))
	b.check("studio list")
	b.shot("list")
	b.run("copy "+from,
		chromedp.Click(`//a[starts-with(., "Copy") and contains(., "`+from+`")]`, chromedp.BySearch),
		chromedp.WaitVisible(`#f-slug`, chromedp.ByQuery),
	)
	b.check("new edition form")
	b.shot("new")
	b.run("create the draft", submit, chromedp.WaitVisible(`//h1[contains(., "`+to+`")]`, chromedp.BySearch))
	browserWantPath(b.t, b.ctx, "the draft's page", "/studio/"+slug)
	b.check("edition page")
	b.shot("edition")
}

// openPart follows the link named link (on an edition's page) and waits for selector.
func (b studioTab) openPart(link, selector string) {
	b.t.Helper()
	b.run("open "+link, chromedp.Click(`//a[.="`+link+`"]`, chromedp.BySearch), chromedp.WaitVisible(selector, chromedp.ByQuery))
}

// studioDeadline is the application deadline's field of the schedule sheet.
var studioDeadline = byName("schedule.application_deadline")

// changeDeadline sets the deadline on the schedule sheet open, from old to moved ("2006-01-02
// 15:04"), checks the review shows both, and saves the change with reason.
func (b studioTab) changeDeadline(old, moved, reason string) {
	b.t.Helper()
	var diff string
	b.run("review a new deadline",
		chromedp.SetValue(studioDeadline, moved, chromedp.ByQuery),
		review,
		chromedp.WaitVisible(`table.diff`, chromedp.ByQuery),
		chromedp.Text(`table.diff tbody`, &diff, chromedp.ByQuery),
	)
	if !strings.Contains(diff, old) || !strings.Contains(diff, moved) {
		b.t.Errorf("the review shows %q", diff)
	}
	b.check("review of the change")
	b.shot("review")
	b.run("save the deadline",
		chromedp.SendKeys(`#f-reason`, reason, chromedp.ByQuery),
		chromedp.Click(`button[value=yes]`, chromedp.ByQuery),
		flash("Saved: 1 value changed"),
	)
}

// changeWeights opens the criteria sheet from the edition's page, sets the weights of the
// first two criteria of the first category, reviews and saves them, and ends on the edition's
// page with its history.
func (b studioTab) changeWeights(first, second string) {
	b.t.Helper()
	b.openPart("Criteria, weights and prizes", byName("categories[0].criteria[0].weight"))
	b.run("change two weights",
		chromedp.SetValue(byName("categories[0].criteria[0].weight"), first, chromedp.ByQuery),
		chromedp.SetValue(byName("categories[0].criteria[1].weight"), second, chromedp.ByQuery),
	)
	b.check("criteria sheet")
	b.shot("criteria")
	b.run("review and save the weights",
		review,
		chromedp.WaitVisible(`table.diff`, chromedp.ByQuery),
		chromedp.Click(`button[value=yes]`, chromedp.ByQuery),
		flash("Saved: 2 values changed"),
	)
	b.check("edition page with its history")
	b.shot("history")
}

// publish publishes the draft whose page is open.
func (b studioTab) publish() {
	b.t.Helper()
	b.run("publish", chromedp.Click(`//button[.="Publish this edition"]`, chromedp.BySearch), flash("The edition is published"))
}

// addConditionalQuestion adds, on the form outline open, the yes/no question "Is the city in a
// smart-city index?" (in_index) and the question "Which index?" (index_name, at most maxLength
// characters) shown only on its "yes", to the project section; it saves the second and waits
// for selector (the outline, or the error summary of a refused question).
func (b studioTab) addConditionalQuestion(maxLength, selector string) {
	b.t.Helper()
	newQuestion := chromedp.Tasks{
		chromedp.Click(`a[href*="/sections/project/questions/new"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-type`, chromedp.ByQuery),
	}
	b.run("add a yes/no question", newQuestion)
	b.check("new question: its type")
	b.run("its settings",
		chromedp.SetValue(`#f-type`, "yes_no", chromedp.ByQuery),
		chromedp.Click(`button[value="refresh"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-label`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-label`, "Is the city in a smart-city index?", chromedp.ByQuery),
		chromedp.SendKeys(`#f-key`, "in_index", chromedp.ByQuery),
		chromedp.Click(`button[value="save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#q-in_index`, chromedp.ByQuery))
	b.run("add the conditional question", newQuestion,
		chromedp.SetValue(`#f-type`, "short_text", chromedp.ByQuery),
		chromedp.Click(`button[value="refresh"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-label`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-label`, "Which index?", chromedp.ByQuery),
		chromedp.SendKeys(`#f-key`, "index_name", chromedp.ByQuery),
		chromedp.SendKeys(`#f-max_length`, maxLength, chromedp.ByQuery),
		chromedp.SetValue(`#f-show_if_question`, "in_index", chromedp.ByQuery),
		chromedp.Click(`button[value="refresh"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-show_if_values-0`, chromedp.ByQuery))
	b.check("new question with its condition")
	b.run("save the conditional question",
		chromedp.Click(`#f-show_if_values-0`, chromedp.ByQuery),
		chromedp.Click(`button[value="save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(selector, chromedp.ByQuery))
}

// wantCondition checks that the outline open says when "Which index?" shows.
func (b studioTab) wantCondition() {
	b.t.Helper()
	var cond string
	b.run("its condition", chromedp.Text(`#q-index_name em`, &cond, chromedp.ByQuery))
	if cond != "Shown if “Is the city in a smart-city index?” is Yes" {
		b.t.Errorf("outline condition %q", cond)
	}
}

// previewForm opens the preview from the form outline open: "Which index?" shows, as the
// sample answers say yes, and hides when the answer becomes no.
func (b studioTab) previewForm() {
	b.t.Helper()
	var hidden bool
	b.run("preview", chromedp.Click(`//a[.="Preview the form as applicants see it"]`, chromedp.BySearch),
		chromedp.WaitVisible(`[data-question="index_name"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('[data-question="index_name"]').hidden`, &hidden))
	if hidden {
		b.t.Fatal("the preview hides the conditional question, though the sample answers yes")
	}
	b.check("form preview")
	b.shot("form-preview")
	b.run("answer no", chromedp.Click(`input[name="q.in_index"][value="no"]`, chromedp.ByQuery),
		chromedp.WaitNotVisible(`[data-question="index_name"]`, chromedp.ByQuery))
}

// openEmail opens the email of key from the list of an edition's emails open.
func (b studioTab) openEmail(key string) {
	b.t.Helper()
	b.run("the emails", chromedp.WaitVisible(`table`, chromedp.ByQuery))
	b.check("email list")
	b.run(key, chromedp.Click(`a[href^="/studio/emails/`+key+`"]`, chromedp.ByQuery), chromedp.WaitVisible(`#f-subject`, chromedp.ByQuery))
	b.check("email wording")
}

// previewAndSaveEmail sets the subject of the email open, previews it and saves it; it returns
// the subject the preview showed.
func (b studioTab) previewAndSaveEmail(subject string) string {
	b.t.Helper()
	var preview string
	b.run("preview the email",
		chromedp.SetValue(`#f-subject`, subject, chromedp.ByQuery),
		leaving(),
		chromedp.Click(`button[value="preview"]`, chromedp.ByQuery),
		left,
		chromedp.WaitVisible(`#preview-subject`, chromedp.ByQuery),
		chromedp.Text(`#preview-subject`, &preview, chromedp.ByQuery))
	b.check("email wording preview")
	b.shot("email-preview")
	b.run("save the email", leaving(), chromedp.Click(`button[value="save"]`, chromedp.ByQuery), left, chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action*="/reset"] button`, chromedp.ByQuery))
	b.check("email wording saved")
	return preview
}

// receiptSubject is the subject of the last receipt sent to user.
func receiptSubject(t *testing.T, e *env, user int64) string {
	t.Helper()
	var subject string
	if err := e.pool.QueryRow(context.Background(), `SELECT subject FROM email_outbox
		WHERE kind = 'application-receipt' AND user_id = $1 ORDER BY id DESC LIMIT 1`, user).Scan(&subject); err != nil {
		t.Fatal(err)
	}
	return subject
}

// startReturningEntry starts, from the dashboard of a returning applicant, an entry in
// category of the edition open: the form is refused once without the terms, then accepted.
func (b studioTab) startReturningEntry(category string) {
	b.t.Helper()
	b.run("dashboard", chromedp.Navigate(b.base+"/dashboard"), chromedp.WaitVisible(`a[href="/entries/new"]`, chromedp.ByQuery))
	b.check("dashboard with entries")
	b.run("open the form", chromedp.Click(`a[href="/entries/new"]`, chromedp.ByQuery), chromedp.WaitVisible(`#f-organisation`, chromedp.ByQuery))
	b.check("new entry form")
	b.run("refused", chromedp.Click(`input[name=category][value=`+category+`]`, chromedp.ByQuery),
		submit, chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	b.check("new entry form with errors")
	b.run("accepted", chromedp.Click(`input[name=terms]`, chromedp.ByQuery), submit, chromedp.WaitVisible(`ol.sections`, chromedp.ByQuery))
	browserWantPath(b.t, b.ctx, "after starting", "/application")
}

// appointEvaluator appoints, on the jury page open, name at email an evaluator with the
// expertise of category categoryID; the page then shows them invited.
func (b studioTab) appointEvaluator(name, email string, categoryID int64) {
	b.t.Helper()
	b.run("appoint",
		chromedp.SetValue(`#f-name`, name, chromedp.ByQuery),
		chromedp.SetValue(`#f-email`, email, chromedp.ByQuery),
		chromedp.Click(`input[name=post][value=evaluator]`, chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf(`input[name=categories][value="%d"]`, categoryID), chromedp.ByQuery),
		submit,
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	if text := browserText(b.t, b.ctx); !strings.Contains(text, name) || !strings.Contains(text, "Invited, has not set a password yet") {
		b.t.Fatalf("after the appointment:\n%s", text)
	}
	b.check("jury page after the appointment")
}

// acceptInvitationAndEnrolTOTP follows the invitation emailed to email, sets a password, enrols
// TOTP with a code computed from the key shown, and signs out.
func (b studioTab) acceptInvitationAndEnrolTOTP(e *tfEnv, email string) {
	b.t.Helper()
	link := e.lastLink(b.t, email, "invite")
	b.run("set a password",
		chromedp.Navigate(b.base+link),
		chromedp.WaitVisible(`#f-password`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-password`, tfPassword, chromedp.ByQuery),
		chromedp.SendKeys(`#f-repeat`, tfPassword, chromedp.ByQuery),
		submit,
	)
	var secretText string
	b.run("two-factor setup", chromedp.WaitVisible(`#totp-secret`, chromedp.ByQuery), chromedp.Text(`#totp-secret`, &secretText, chromedp.ByQuery))
	browserWantPath(b.t, b.ctx, "after the password", "/signin/two-factor/setup")
	b.check("two-factor setup")
	secret := strings.Join(strings.Fields(secretText), "")
	b.run("enrol",
		chromedp.SendKeys(`#f-code`, e.code(b.t, secret), chromedp.ByQuery),
		submit,
		chromedp.WaitVisible(`ol.recovery-codes`, chromedp.ByQuery),
	)
	b.check("recovery codes")
	b.run("continue", chromedp.Click(`main a.button`, chromedp.ByQuery), chromedp.WaitVisible(`form[action="/signout"]`, chromedp.ByQuery))
	browserWantPath(b.t, b.ctx, "after the enrolment", "/dashboard")
	browserSignOut(b.t, b.ctx, "the new member signs out")
}

// wantAcceptedMember signs manager in and checks the jury page at path shows name accepted with
// the second factor enrolled.
func (b studioTab) wantAcceptedMember(e *env, manager int64, path, name string) {
	b.t.Helper()
	browserSignIn(b.t, e, b.ctx, manager)
	b.run("jury page after the acceptance", chromedp.Navigate(b.base+path), chromedp.WaitVisible(`#f-name`, chromedp.ByQuery))
	text := browserText(b.t, b.ctx)
	if !strings.Contains(text, name) || !strings.Contains(text, "Accepted, second factor enrolled") {
		b.t.Fatalf("jury page after the acceptance:\n%s", text)
	}
	b.check("jury page after the acceptance")
}

// submitApplication submits the signed-in applicant's application from its review page.
func (b studioTab) submitApplication() {
	b.t.Helper()
	b.run("review", chromedp.Navigate(b.base+"/application/review"), chromedp.WaitVisible(`form[action="/application/submit"]`, chromedp.ByQuery))
	b.check("application review")
	b.run("submit", chromedp.Click(`form[action="/application/submit"] button`, chromedp.ByQuery), chromedp.WaitVisible(`ol.sections`, chromedp.ByQuery))
}
