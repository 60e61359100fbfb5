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
	b := studioTab{t: t, ctx: ctx, base: e.srv.URL, shots: "studio"}
	b.signInWithCode(e, "mina", secret)
	b.copyEdition("Seoul Smart City Prize 2023", "Seoul Smart City Prize 2024", "seoul-2024")

	// The schedule: a date that is not one is refused next to its field, what was typed kept.
	b.openPart("Schedule", studioDeadline)
	var kept, problem string
	b.run("a wrong deadline",
		chromedp.SetValue(studioDeadline, "31 May", chromedp.ByQuery),
		submit,
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
	b.publish()
	ed := e.edition(t, "seoul-2024")
	if ed.Draft() || ed.Categories[0].Criteria[0].Weight != 2 || ed.Schedule.ApplicationDeadline.Format("2006-01-02 15:04") != "2024-05-24 18:00" {
		t.Errorf("stored: draft %v, weight %v, deadline %v", ed.Draft(), ed.Categories[0].Criteria[0].Weight, ed.Schedule.ApplicationDeadline)
	}
}
