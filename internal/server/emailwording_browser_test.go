package server_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserEmailWording: a manager of the edition opens the list of its emails, edits the
// receipt's subject (first with a misspelt placeholder, refused next to the field with the typed
// text kept), previews it with the sample values and saves it; an applicant who then submits gets
// the edited subject. Every page is checked with axe-core.
func TestBrowserEmailWording(t *testing.T) {
	e := newEnv(t, nil, "seoul-2023")
	ed := e.edition(t, "seoul-2023")
	mia := conflictStaff(t, e, "mia", "Mia Manager", "manager", "seoul-2023")
	ctx := browsertest.Tab(t)
	base := e.srv.URL
	run := browserSteps(t, ctx)

	browserSignIn(t, e, ctx, mia)
	run("list", chromedp.Navigate(base+"/studio/emails?edition="+strconv.FormatInt(ed.ID, 10)),
		chromedp.WaitVisible(`table`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "email list")
	run("receipt", chromedp.Click(`a[href^="/studio/emails/application-receipt"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-subject`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "receipt wording")
	run("preview a misspelt placeholder",
		chromedp.SetValue(`#f-subject`, "{{projet}} is in the {{edition_name}}", chromedp.ByQuery),
		chromedp.Click(`button[value="preview"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	var problem, kept string
	run("problem", chromedp.Text(`#f-subject-error`, &problem, chromedp.ByQuery), chromedp.Value(`#f-subject`, &kept, chromedp.ByQuery))
	if !strings.Contains(problem, "{{projet}}") || kept != "{{projet}} is in the {{edition_name}}" {
		t.Fatalf("error %q, subject kept %q", problem, kept)
	}
	browsertest.CheckA11y(t, ctx, "receipt wording with an error")
	var preview string
	run("preview",
		chromedp.SetValue(`#f-subject`, "{{project}} is in the {{edition_name}}", chromedp.ByQuery),
		chromedp.Click(`button[value="preview"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#preview-subject`, chromedp.ByQuery),
		chromedp.Text(`#preview-subject`, &preview, chromedp.ByQuery))
	if preview != "Smart Crosswalks for Safer Streets is in the "+ed.Name {
		t.Fatalf("preview subject %q", preview)
	}
	browsertest.CheckA11y(t, ctx, "receipt wording preview")
	browsertest.Screenshot(t, ctx, "email-wording-preview")
	run("save", chromedp.Click(`button[value="save"]`, chromedp.ByQuery), chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action*="/reset"] button`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "receipt wording saved")

	kim := applicantUser(t, e, "kim", true)
	saveAnswers(t, e, kim, completeAnswers(t, e))
	browserSignIn(t, e, ctx, kim)
	run("submit", chromedp.Navigate(base+"/application/review"),
		chromedp.WaitVisible(`form[action="/application/submit"]`, chromedp.ByQuery),
		chromedp.Click(`form[action="/application/submit"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`ol.sections`, chromedp.ByQuery))
	var subject, project string
	if err := e.pool.QueryRow(context.Background(), `SELECT o.subject, a.answers->'project_title'->>'text' FROM email_outbox o
		JOIN applications a ON a.user_id = o.user_id WHERE o.kind = 'application-receipt' AND o.user_id = $1`, kim).Scan(&subject, &project); err != nil {
		t.Fatal(err)
	}
	if subject != project+" is in the "+ed.Name {
		t.Fatalf("receipt subject %q, want the edited one for %q", subject, project)
	}
}
