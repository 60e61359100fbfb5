package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserFormBuilder: a manager of seoul-2023 adds a yes/no question and a question shown
// only on its "yes" to the Tech-InnovaCity form (first with a mistake), moves both up, and opens
// the preview: the conditional question shows, as the sample answers say yes, and hides when the
// answer becomes no. The outline, edit and preview pages are checked with axe-core.
func TestBrowserFormBuilder(t *testing.T) {
	e := newEnv(t, nil, "seoul-2023")
	ed := e.edition(t, "seoul-2023")
	mgr := conflictStaff(t, e, "mara", "Mara Manager", "manager", "seoul-2023")
	ctx := browsertest.Tab(t)
	b := studioTab{t: t, ctx: ctx, base: e.srv.URL, shots: "form-builder"}
	outline := fmt.Sprintf("%s/studio/forms/tech-innovacity?edition=%d", e.srv.URL, ed.ID)

	browserSignIn(t, e, ctx, mgr)
	b.run("outline", chromedp.Navigate(outline), chromedp.WaitVisible(`#q-project_title`, chromedp.ByQuery))
	b.check("form outline")
	b.addConditionalQuestion("-1", `.error-summary`)
	var problem, label string
	b.run("the problem", chromedp.Text(`#f-max_length-error`, &problem, chromedp.ByQuery), chromedp.Value(`#f-label`, &label, chromedp.ByQuery))
	if !strings.Contains(problem, "Most characters: must be between 1 and 1000") || label != "Which index?" {
		t.Fatalf("after the mistake: %q, label %q", problem, label)
	}
	b.check("question with an error")
	b.run("save",
		chromedp.SetValue(`#f-max_length`, "100", chromedp.ByQuery),
		chromedp.Click(`button[value="save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#q-index_name`, chromedp.ByQuery))
	b.wantCondition()

	b.run("move both up",
		chromedp.Click(`#q-in_index button[value="up"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#q-in_index + #q-expected_end_date`, chromedp.ByQuery),
		chromedp.Click(`#q-index_name button[value="up"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#q-index_name + #q-expected_end_date`, chromedp.ByQuery))
	var order []string
	b.run("order", chromedp.Evaluate(`Array.from(document.querySelectorAll("#section-project ~ ol > li")).map(li => li.id)`, &order))
	if n := len(order); n < 3 || order[n-3] != "q-in_index" || order[n-2] != "q-index_name" {
		t.Fatalf("order after the moves: %v", order)
	}
	b.check("outline after the moves")
	b.previewForm()
	if q, _ := e.edition(t, "seoul-2023").Categories[0].Form.Question("index_name"); q == nil || q.MaxLength != 100 {
		t.Fatalf("stored: %+v", q)
	}
}
