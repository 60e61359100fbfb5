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
	b := studioTab{t: t, ctx: ctx, base: e.srv.URL, shots: "studio"}
	b.signInWithCode(e, "mina", secret)
	b.copyEdition("Seoul Smart City Prize 2023", "Seoul Smart City Prize 2024", "seoul-2024")

	// The schedule: a date that is not one is refused next to its field, what was typed kept.
	b.openPart("Schedule", studioDeadline)
	var kept, problem string
	b.run("a wrong deadline",
		chromedp.SetValue(studioDeadline, "31 May", chromedp.ByQuery),
		review,
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
		chromedp.Value(studioDeadline, &kept, chromedp.ByQuery),
		chromedp.Text(`.has-error .field-error`, &problem, chromedp.ByQuery),
	)
	if kept != "31 May" || !strings.Contains(problem, "Application deadline") {
		t.Errorf("after a wrong date: kept %q, problem %q", kept, problem)
	}
	b.check("schedule with an error")
	b.shot("schedule-error")
	b.changeDeadline("2024-05-31 23:59", "2024-05-24 18:00", "The ceremony moved.")
	b.changeWeights("2", "0.5")

	// A criterion with two indicators added to the first category, then its third prize removed.
	nc := len(e.edition(t, "seoul-2024").Categories[0].Criteria)
	crit := fmt.Sprintf("categories[0].criteria[%d].", nc)
	var diff string
	b.openPart("Criteria, weights and prizes", byName(crit+"name"))
	b.run("a new criterion",
		chromedp.SendKeys(byName(crit+"name"), "Resilience", chromedp.ByQuery),
		chromedp.SendKeys(byName(crit+"indicators"), "Floods\nHeat waves", chromedp.ByQuery),
		chromedp.Click(`//button[.="Add the criterion to Tech-InnovaCity"]`, chromedp.BySearch),
		chromedp.WaitVisible(`table.diff`, chromedp.ByQuery),
		chromedp.Text(`table.diff tbody`, &diff, chromedp.ByQuery),
	)
	if !strings.Contains(diff, "Resilience") || !strings.Contains(diff, "Heat waves") {
		t.Errorf("the review of the new criterion shows %q", diff)
	}
	b.check("review of a new criterion")
	b.shot("criterion-review")
	b.run("save the criterion", chromedp.Click(`button[value=yes]`, chromedp.ByQuery), flash("Saved:"))
	b.openPart("Criteria, weights and prizes", `[id="f-categories[0].prizes[2]"]`)
	b.run("remove a prize",
		chromedp.Click(`[id="f-categories[0].prizes[2]"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table.diff`, chromedp.ByQuery),
		chromedp.Text(`table.diff tbody`, &diff, chromedp.ByQuery),
	)
	if !strings.Contains(diff, "Third Prize") {
		t.Errorf("the review of the removed prize shows %q", diff)
	}
	b.run("save the removal", chromedp.Click(`button[value=yes]`, chromedp.ByQuery), flash("Saved:"))
	// An entity type that a category lists is refused next to its Remove button.
	b.openPart("Entity types", `[id="f-entity_types[0]"]`)
	b.run("remove a listed entity type",
		chromedp.Click(`[id="f-entity_types[0]"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
		chromedp.Text(`[id="f-entity_types[0]-error"]`, &problem, chromedp.ByQuery),
	)
	if !strings.Contains(problem, "Tech-InnovaCity") {
		t.Errorf("the refusal of the removal says %q", problem)
	}
	b.check("entity types with a refused removal")
	b.shot("entities-error")
	b.run("the categories", chromedp.Navigate(b.base+"/studio/seoul-2024/categories"),
		chromedp.WaitVisible(`//button[.="Add the category"]`, chromedp.BySearch))
	b.check("categories sheet")
	b.run("back to the edition", chromedp.Navigate(b.base+"/studio/seoul-2024"),
		chromedp.WaitVisible(`//button[.="Publish this edition"]`, chromedp.BySearch))
	b.publish()
	ed := e.edition(t, "seoul-2024")
	if cat := ed.Categories[0]; len(cat.Criteria) != nc+1 || len(cat.Criteria[nc].Indicators) != 2 || len(cat.Prizes) != 2 {
		t.Errorf("stored: %d criteria (the last with %d indicators), %d prizes", len(cat.Criteria), len(cat.Criteria[len(cat.Criteria)-1].Indicators), len(cat.Prizes))
	}
	if ed.Draft() || ed.Categories[0].Criteria[0].Weight != 2 || ed.Schedule.ApplicationDeadline.Format("2006-01-02 15:04") != "2024-05-24 18:00" {
		t.Errorf("stored: draft %v, weight %v, deadline %v", ed.Draft(), ed.Categories[0].Criteria[0].Weight, ed.Schedule.ApplicationDeadline)
	}
}
