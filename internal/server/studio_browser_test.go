package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// byName selects the form control named name (the studio's fields are named by their path in the
// edition's definition, which holds dots and brackets).
func byName(name string) string { return `[name="` + name + `"]` }

// TestBrowserStudio: an edition manager copies seoul-2023 into a 2024 draft, changes its deadline
// (a mistake first, then a good date), reviews the difference, saves it with a reason, changes
// two weights, and publishes the edition. Every page is checked with axe-core and photographed.
func TestBrowserStudio(t *testing.T) {
	e := newTwoFactorEnv(t)
	_, secret := e.enrolledAccount(t, "mina", "manager")
	ctx := browsertest.Tab(t)
	base := e.srv.URL
	browserRun(t, ctx, "sign in",
		chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(`#f-login`, chromedp.ByQuery),
		browserSignInForm("mina", tfPassword),
		chromedp.WaitVisible(`#f-code`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-code`, e.code(t, secret), chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//h1[contains(., "Dashboard") or contains(., "Welcome")]`, chromedp.BySearch),
	)
	browserWantPath(t, ctx, "after signing in", "/dashboard")
	browserRun(t, ctx, "the editions", chromedp.Navigate(base+"/studio"), chromedp.WaitVisible(`table`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "studio list")
	browsertest.Screenshot(t, ctx, "studio-list")

	browserRun(t, ctx, "copy seoul-2023",
		chromedp.Click(`//a[starts-with(., "Copy")]`, chromedp.BySearch),
		chromedp.WaitVisible(`#f-slug`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "new edition form")
	browsertest.Screenshot(t, ctx, "studio-new")
	browserRun(t, ctx, "create the draft",
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//h1[contains(., "Seoul Smart City Prize 2024")]`, chromedp.BySearch),
	)
	browserWantPath(t, ctx, "the draft's page", "/studio/seoul-2024")
	browsertest.CheckA11y(t, ctx, "edition page")
	browsertest.Screenshot(t, ctx, "studio-edition")

	// The schedule: a date that is not one is refused next to its field, what was typed kept.
	deadline := byName("schedule.application_deadline")
	var kept, problem string
	browserRun(t, ctx, "a wrong deadline",
		chromedp.Click(`//a[.="Schedule"]`, chromedp.BySearch),
		chromedp.WaitVisible(deadline, chromedp.ByQuery),
		chromedp.SetValue(deadline, "31 May", chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
		chromedp.Value(deadline, &kept, chromedp.ByQuery),
		chromedp.Text(`.has-error .field-error`, &problem, chromedp.ByQuery),
	)
	if kept != "31 May" || !strings.Contains(problem, "Application deadline") {
		t.Errorf("after a wrong date: kept %q, problem %q", kept, problem)
	}
	browsertest.CheckA11y(t, ctx, "schedule with an error")
	browsertest.Screenshot(t, ctx, "studio-schedule-error")
	var diff string
	browserRun(t, ctx, "review a new deadline",
		chromedp.SetValue(deadline, "2024-05-24 18:00", chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table.diff`, chromedp.ByQuery),
		chromedp.Text(`table.diff tbody`, &diff, chromedp.ByQuery),
	)
	if !strings.Contains(diff, "2024-05-31 23:59") || !strings.Contains(diff, "2024-05-24 18:00") {
		t.Errorf("the review shows %q", diff)
	}
	browsertest.CheckA11y(t, ctx, "review of the change")
	browsertest.Screenshot(t, ctx, "studio-review")
	browserRun(t, ctx, "save the deadline",
		chromedp.SendKeys(`#f-reason`, "The ceremony moved.", chromedp.ByQuery),
		chromedp.Click(`button[value=yes]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//div[@class="flash" and contains(., "Saved: 1 value changed")]`, chromedp.BySearch),
	)

	// Two weights of the first category.
	browserRun(t, ctx, "change two weights",
		chromedp.Click(`//a[.="Criteria, weights and prizes"]`, chromedp.BySearch),
		chromedp.WaitVisible(byName("categories[0].criteria[0].weight"), chromedp.ByQuery),
		chromedp.SetValue(byName("categories[0].criteria[0].weight"), "2", chromedp.ByQuery),
		chromedp.SetValue(byName("categories[0].criteria[1].weight"), "0.5", chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "criteria sheet")
	browsertest.Screenshot(t, ctx, "studio-criteria")
	browserRun(t, ctx, "review and save the weights",
		chromedp.Click(`//button[.="Review the changes"]`, chromedp.BySearch),
		chromedp.WaitVisible(`table.diff`, chromedp.ByQuery),
		chromedp.Click(`button[value=yes]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//div[@class="flash" and contains(., "Saved: 2 values changed")]`, chromedp.BySearch),
	)
	browsertest.CheckA11y(t, ctx, "edition page with its history")
	browsertest.Screenshot(t, ctx, "studio-history")

	// A criterion with two indicators added to the first category, then its third prize removed.
	nc := len(e.edition(t, "seoul-2024").Categories[0].Criteria)
	crit := fmt.Sprintf("categories[0].criteria[%d].", nc)
	browserRun(t, ctx, "a new criterion",
		chromedp.Click(`//a[.="Criteria, weights and prizes"]`, chromedp.BySearch),
		chromedp.WaitVisible(byName(crit+"name"), chromedp.ByQuery),
		chromedp.SendKeys(byName(crit+"name"), "Resilience", chromedp.ByQuery),
		chromedp.SendKeys(byName(crit+"indicators"), "Floods\nHeat waves", chromedp.ByQuery),
		chromedp.Click(`//button[.="Add the criterion to Tech-InnovaCity"]`, chromedp.BySearch),
		chromedp.WaitVisible(`table.diff`, chromedp.ByQuery),
		chromedp.Text(`table.diff tbody`, &diff, chromedp.ByQuery),
	)
	if !strings.Contains(diff, "Resilience") || !strings.Contains(diff, "Heat waves") {
		t.Errorf("the review of the new criterion shows %q", diff)
	}
	browsertest.CheckA11y(t, ctx, "review of a new criterion")
	browsertest.Screenshot(t, ctx, "studio-criterion-review")
	browserRun(t, ctx, "save the criterion",
		chromedp.Click(`button[value=yes]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//div[@class="flash" and contains(., "Saved:")]`, chromedp.BySearch),
	)
	browserRun(t, ctx, "remove a prize",
		chromedp.Click(`//a[.="Criteria, weights and prizes"]`, chromedp.BySearch),
		chromedp.WaitVisible(`[id="f-categories[0].prizes[2]"]`, chromedp.ByQuery),
		chromedp.Click(`[id="f-categories[0].prizes[2]"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table.diff`, chromedp.ByQuery),
		chromedp.Text(`table.diff tbody`, &diff, chromedp.ByQuery),
	)
	if !strings.Contains(diff, "Third Prize") {
		t.Errorf("the review of the removed prize shows %q", diff)
	}
	browserRun(t, ctx, "save the removal",
		chromedp.Click(`button[value=yes]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//div[@class="flash" and contains(., "Saved:")]`, chromedp.BySearch),
	)
	// An entity type that a category lists is refused next to its Remove button.
	browserRun(t, ctx, "remove a listed entity type",
		chromedp.Click(`//a[.="Entity types"]`, chromedp.BySearch),
		chromedp.WaitVisible(`[id="f-entity_types[0]"]`, chromedp.ByQuery),
		chromedp.Click(`[id="f-entity_types[0]"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
		chromedp.Text(`[id="f-entity_types[0]-error"]`, &problem, chromedp.ByQuery),
	)
	if !strings.Contains(problem, "Tech-InnovaCity") {
		t.Errorf("the refusal of the removal says %q", problem)
	}
	browsertest.CheckA11y(t, ctx, "entity types with a refused removal")
	browsertest.Screenshot(t, ctx, "studio-entities-error")
	browserRun(t, ctx, "the categories", chromedp.Navigate(base+"/studio/seoul-2024/categories"),
		chromedp.WaitVisible(`//button[.="Add the category"]`, chromedp.BySearch))
	browsertest.CheckA11y(t, ctx, "categories sheet")
	browserRun(t, ctx, "back to the edition", chromedp.Navigate(base+"/studio/seoul-2024"),
		chromedp.WaitVisible(`//button[.="Publish this edition"]`, chromedp.BySearch))

	browserRun(t, ctx, "publish",
		chromedp.Click(`//button[.="Publish this edition"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//div[@class="flash" and contains(., "The edition is published")]`, chromedp.BySearch),
	)
	ed := e.edition(t, "seoul-2024")
	if cat := ed.Categories[0]; len(cat.Criteria) != nc+1 || len(cat.Criteria[nc].Indicators) != 2 || len(cat.Prizes) != 2 {
		t.Errorf("stored: %d criteria (the last with %d indicators), %d prizes", len(cat.Criteria), len(cat.Criteria[len(cat.Criteria)-1].Indicators), len(cat.Prizes))
	}
	if ed.Draft() || ed.Categories[0].Criteria[0].Weight != 2 || ed.Schedule.ApplicationDeadline.Format("2006-01-02 15:04") != "2024-05-24 18:00" {
		t.Errorf("stored: draft %v, weight %v, deadline %v", ed.Draft(), ed.Categories[0].Criteria[0].Weight, ed.Schedule.ApplicationDeadline)
	}
}
