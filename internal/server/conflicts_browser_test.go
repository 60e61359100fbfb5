package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/conflict"
	"prizeportal/internal/tools/browsertest"
)

// TestBrowserConflicts: the secretariat adds an organisation with an alias and an email domain
// to the conflict-of-interest registry (a matching entry is flagged), opens it and asks to remove
// it; an evaluator declares a conflict, first with a mistake. Every page is checked with axe-core.
func TestBrowserConflicts(t *testing.T) {
	e := newEnv(t, nil, "seoul-2023")
	sec := conflictStaff(t, e, "sec", "Sec Retariat", "secretariat", "seoul-2023")
	lee := conflictStaff(t, e, "lee", "Dr Lee", "evaluator", "seoul-2023")
	wego := conflictEntry(t, e, "wego", "", "kim@mail.wego-net.org", "Seoul")
	ctx := browsertest.Tab(t)
	base := e.srv.URL
	run := browserSteps(t, ctx)

	browserSignIn(t, e, ctx, sec)
	run("registry", chromedp.Navigate(base+"/secretariat/conflicts"),
		chromedp.WaitVisible(`#f-name`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "empty registry")
	run("add with a mistake",
		chromedp.SendKeys(`#f-name`, "WeGO", chromedp.ByQuery),
		chromedp.SendKeys(`#f-domains`, "wego-net", chromedp.ByQuery),
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "registry form with an error")
	run("add",
		chromedp.SetValue(`#f-domains`, "wego-net.org", chromedp.ByQuery),
		chromedp.SendKeys(`#f-aliases`, "World Smart Sustainable Cities Organization", chromedp.ByQuery),
		chromedp.SetValue(`#f-country`, "KR", chromedp.ByQuery),
		chromedp.SendKeys(`#f-note`, "Co-organiser of the prize", chromedp.ByQuery),
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table`, chromedp.ByQuery))
	var table string
	run("registry table", chromedp.Text(`table`, &table, chromedp.ByQuery))
	if !strings.Contains(table, "World Smart Sustainable Cities Organization") || !strings.Contains(table, "wego-net.org") {
		t.Errorf("the registry shows:\n%s", table)
	}
	var registrants string
	run("registrants table", chromedp.Text(`[aria-labelledby="registrants-caption"] table`, &registrants, chromedp.ByQuery))
	if !strings.Contains(registrants, "kim@mail.wego-net.org") {
		t.Errorf("the registrants matching the registry show:\n%s", registrants)
	}
	if f := conflictFlags(t, e, wego, conflict.FlagRegistry); len(f) != 1 {
		t.Errorf("the entry from wego-net.org is not flagged: %q", f)
	}
	browsertest.CheckA11y(t, ctx, "registry")
	browsertest.Screenshot(t, ctx, "conflict-registry")
	var badge string
	run("applications list", chromedp.Navigate(base+"/secretariat/applications"),
		chromedp.Text(`td .badge`, &badge, chromedp.ByQuery))
	if badge != "Matches the registry: WeGO" {
		t.Errorf("the applications list flags %q", badge)
	}
	browsertest.CheckA11y(t, ctx, "applications list with a registry match")
	run("back to the registry", chromedp.Navigate(base+"/secretariat/conflicts"), chromedp.WaitVisible(`table a`, chromedp.ByQuery))
	run("edit", chromedp.Click(`table a`, chromedp.ByQuery), chromedp.WaitVisible(`form[action$="/delete"] button`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "registry entry")
	var heading string
	run("remove", chromedp.Click(`form[action$="/delete"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`form.form input[name="confirm"] ~ .actions button`, chromedp.ByQuery),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery))
	if heading != "Remove WeGO from the registry?" {
		t.Errorf("confirmation heading %q", heading)
	}
	browsertest.CheckA11y(t, ctx, "removal confirmation")

	browserSignIn(t, e, ctx, lee)
	run("declarations", chromedp.Navigate(base+"/evaluator/declarations"),
		chromedp.WaitVisible(`#f-organisation_name`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "declarations")
	run("declare a city without its country",
		chromedp.SendKeys(`#f-city_name`, "Seoul", chromedp.ByQuery),
		chromedp.Click(`form[aria-labelledby="declare-city"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "declarations with an error")
	run("declare the city",
		chromedp.SetValue(`#f-city_country`, "KR", chromedp.ByQuery),
		chromedp.SendKeys(`#f-city_note`, "My home town", chromedp.ByQuery),
		chromedp.Click(`form[aria-labelledby="declare-city"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table`, chromedp.ByQuery))
	run("declare an organisation",
		chromedp.SendKeys(`#f-organisation_name`, "Seoul Digital Foundation", chromedp.ByQuery),
		chromedp.SendKeys(`#f-organisation_domains`, "sdf.seoul.kr", chromedp.ByQuery),
		chromedp.Click(`form[aria-labelledby="declare-organisation"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//td[contains(., "sdf.seoul.kr")]`, chromedp.BySearch))
	run("declared", chromedp.Text(`table`, &table, chromedp.ByQuery))
	if !strings.Contains(table, "Seoul Digital Foundation") || !strings.Contains(table, "My home town") {
		t.Errorf("the declarations show:\n%s", table)
	}
	if f := conflictFlags(t, e, wego, conflict.FlagEvaluator); len(f) != 1 || f[0] != "Dr Lee: city Seoul (KR)" {
		t.Errorf("the Seoul entry's evaluator flags: %q", f)
	}
	browsertest.CheckA11y(t, ctx, "declarations with entries")
	browsertest.Screenshot(t, ctx, "evaluator-declarations")
}
