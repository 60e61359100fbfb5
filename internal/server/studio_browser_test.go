package server_test

import (
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
	if kept != "31 May" || !strings.Contains(problem, "application deadline") {
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
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table.diff`, chromedp.ByQuery),
		chromedp.Click(`button[value=yes]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//div[@class="flash" and contains(., "Saved: 2 values changed")]`, chromedp.BySearch),
	)
	browsertest.CheckA11y(t, ctx, "edition page with its history")
	browsertest.Screenshot(t, ctx, "studio-history")

	browserRun(t, ctx, "publish",
		chromedp.Click(`//button[.="Publish this edition"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//div[@class="flash" and contains(., "The edition is published")]`, chromedp.BySearch),
	)
	ed := e.edition(t, "seoul-2024")
	if ed.Draft() || ed.Categories[0].Criteria[0].Weight != 2 || ed.Schedule.ApplicationDeadline.Format("2006-01-02 15:04") != "2024-05-24 18:00" {
		t.Errorf("stored: draft %v, weight %v, deadline %v", ed.Draft(), ed.Categories[0].Criteria[0].Weight, ed.Schedule.ApplicationDeadline)
	}
}
