package server_test

import (
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
	b := studioTab{t: t, ctx: ctx, base: base, shots: "email-wording"}

	browserSignIn(t, e, ctx, mia)
	b.run("list", chromedp.Navigate(base+"/studio/emails?edition="+strconv.FormatInt(ed.ID, 10)))
	b.openEmail("application-receipt")
	b.run("preview a misspelt placeholder",
		chromedp.SetValue(`#f-subject`, "{{projet}} is in the {{edition_name}}", chromedp.ByQuery),
		chromedp.Click(`button[value="preview"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	var problem, kept string
	b.run("problem", chromedp.Text(`#f-subject-error`, &problem, chromedp.ByQuery), chromedp.Value(`#f-subject`, &kept, chromedp.ByQuery))
	if !strings.Contains(problem, "{{projet}}") || kept != "{{projet}} is in the {{edition_name}}" {
		t.Fatalf("error %q, subject kept %q", problem, kept)
	}
	b.check("receipt wording with an error")
	if preview := b.previewAndSaveEmail("{{project}} is in the {{edition_name}}"); preview != "Smart Crosswalks for Safer Streets is in the "+ed.Name {
		t.Fatalf("preview subject %q", preview)
	}

	kim := applicantUser(t, e, "kim", true)
	answers := completeAnswers(t, e)
	saveAnswers(t, e, kim, answers)
	browserSignIn(t, e, ctx, kim)
	b.submitApplication()
	if subject, project := receiptSubject(t, e, kim), answers["project_title"].Text; subject != project+" is in the "+ed.Name {
		t.Fatalf("receipt subject %q, want the edited one for %q", subject, project)
	}
}
