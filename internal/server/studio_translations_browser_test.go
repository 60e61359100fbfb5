package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserStudioTranslations: an edition manager opens the Korean texts of seoul-2023 from the
// edition's page, changes one translation and empties another, and saves them: the emptied text
// is then counted and listed first as missing, the change is in the edition, and the page passes
// axe before and after.
func TestBrowserStudioTranslations(t *testing.T) {
	e := newTwoFactorEnv(t)
	_, secret := e.enrolledAccount(t, "mina", "manager")
	ctx := browsertest.Tab(t)
	b := studioTab{t: t, ctx: ctx, base: e.srv.URL, shots: "studio-translations"}
	b.signInWithCode(e, "mina", secret)
	b.run("the edition's page", chromedp.Navigate(b.base+"/studio/seoul-2023"), chromedp.WaitVisible(`h1`, chromedp.ByQuery))
	b.openPart("Texts in Korean", `#tr-0`)
	b.check("translations")
	b.shot("all")

	var summary, first string
	var set bool
	b.run("change one translation, empty another",
		chromedp.Evaluate(`document.querySelector("#tr-0").value = "서울스마트시티상 2023"; document.querySelector("#tr-1").value = ""; true`, &set),
		chromedp.Click(`//button[.="Save the translations"]`, chromedp.BySearch),
		flash("The translations are saved."),
		chromedp.Text(`main p strong`, &summary, chromedp.ByQuery),
		chromedp.Text(`#tr-0-text`, &first, chromedp.ByQuery),
	)
	if !strings.Contains(summary, "1 of 232 texts lacks Korean") {
		t.Errorf("the summary after emptying one translation reads %q", summary)
	}
	if !strings.HasPrefix(first, "Fostering digital transformation") {
		t.Errorf("the first text listed is %q, want the one without a translation", first)
	}
	b.check("translations after saving")
	b.shot("saved")

	ed := e.edition(t, "seoul-2023")
	if tr, _ := ed.Translation("ko", "Seoul Smart City Prize 2023"); tr != "서울스마트시티상 2023" {
		t.Errorf("the edition's name in Korean is %q", tr)
	}
	if _, ok := ed.Translation("ko", ed.Theme); ok {
		t.Error("the emptied translation is still in the edition")
	}
}
