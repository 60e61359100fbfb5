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
	run := browserSteps(t, ctx)
	outline := fmt.Sprintf("%s/studio/forms/tech-innovacity?edition=%d", e.srv.URL, ed.ID)

	browserSignIn(t, e, ctx, mgr)
	run("outline", chromedp.Navigate(outline), chromedp.WaitVisible(`#q-project_title`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "form outline")
	run("add a yes/no question",
		chromedp.Click(`a[href*="/sections/project/questions/new"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-type`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "new question: its type")
	run("its settings",
		chromedp.SetValue(`#f-type`, "yes_no", chromedp.ByQuery),
		chromedp.Click(`button[value="refresh"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-label`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-label`, "Is the city in a smart-city index?", chromedp.ByQuery),
		chromedp.SendKeys(`#f-key`, "in_index", chromedp.ByQuery),
		chromedp.Click(`button[value="save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#q-in_index`, chromedp.ByQuery))

	run("add the conditional question",
		chromedp.Click(`a[href*="/sections/project/questions/new"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-type`, chromedp.ByQuery),
		chromedp.SetValue(`#f-type`, "short_text", chromedp.ByQuery),
		chromedp.Click(`button[value="refresh"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-label`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-label`, "Which index?", chromedp.ByQuery),
		chromedp.SendKeys(`#f-key`, "index_name", chromedp.ByQuery),
		chromedp.SendKeys(`#f-max_length`, "-1", chromedp.ByQuery),
		chromedp.SetValue(`#f-show_if_question`, "in_index", chromedp.ByQuery),
		chromedp.Click(`button[value="refresh"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-show_if_values-0`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "new question with its condition")
	run("save with a mistake",
		chromedp.Click(`#f-show_if_values-0`, chromedp.ByQuery),
		chromedp.Click(`button[value="save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	var problem, label string
	run("the problem", chromedp.Text(`#f-max_length-error`, &problem, chromedp.ByQuery), chromedp.Value(`#f-label`, &label, chromedp.ByQuery))
	if !strings.Contains(problem, "Most characters: must be between 1 and 1000") || label != "Which index?" {
		t.Fatalf("after the mistake: %q, label %q", problem, label)
	}
	browsertest.CheckA11y(t, ctx, "question with an error")
	run("save",
		chromedp.SetValue(`#f-max_length`, "100", chromedp.ByQuery),
		chromedp.Click(`button[value="save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#q-index_name`, chromedp.ByQuery))
	var cond string
	run("its condition", chromedp.Text(`#q-index_name em`, &cond, chromedp.ByQuery))
	if cond != "Shown if “Is the city in a smart-city index?” is Yes" {
		t.Errorf("outline condition %q", cond)
	}

	run("move both up",
		chromedp.Click(`#q-in_index button[value="up"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#q-in_index + #q-expected_end_date`, chromedp.ByQuery),
		chromedp.Click(`#q-index_name button[value="up"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#q-index_name + #q-expected_end_date`, chromedp.ByQuery))
	var order []string
	run("order", chromedp.Evaluate(`Array.from(document.querySelectorAll("#section-project ~ ol > li")).map(li => li.id)`, &order))
	if n := len(order); n < 3 || order[n-3] != "q-in_index" || order[n-2] != "q-index_name" {
		t.Fatalf("order after the moves: %v", order)
	}
	browsertest.CheckA11y(t, ctx, "outline after the moves")

	var hidden bool
	run("preview", chromedp.Navigate(strings.Replace(outline, "?", "/preview?", 1)),
		chromedp.WaitVisible(`[data-question="index_name"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('[data-question="index_name"]').hidden`, &hidden))
	if hidden {
		t.Fatal("the preview hides the conditional question, though the sample answers yes")
	}
	browsertest.CheckA11y(t, ctx, "form preview")
	browsertest.Screenshot(t, ctx, "form-builder-preview")
	run("answer no", chromedp.Click(`input[name="q.in_index"][value="no"]`, chromedp.ByQuery),
		chromedp.WaitNotVisible(`[data-question="index_name"]`, chromedp.ByQuery))
	if q, _ := e.edition(t, "seoul-2023").Categories[0].Form.Question("index_name"); q == nil || q.MaxLength != 100 {
		t.Fatalf("stored: %+v", q)
	}
}
