package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserLanding opens the landing page in headless Chromium on a desktop and a phone screen,
// checks the criteria are shown, that the first Tab reaches the skip link, and runs axe-core.
func TestBrowserLanding(t *testing.T) {
	e := newEnv(t, nil, "seoul-2023")
	for _, tc := range []struct {
		name  string
		setup chromedp.Action
	}{
		{"desktop", chromedp.EmulateViewport(1280, 900)},
		{"phone", browsertest.Phone()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := browsertest.Tab(t)
			var criteria, h1, focused string
			browserRun(t, ctx, "landing",
				tc.setup,
				chromedp.Navigate(e.srv.URL+"/"),
				chromedp.Text("h1", &h1, chromedp.ByQuery),
				chromedp.Text(`section[aria-labelledby="criteria"]`, &criteria, chromedp.ByQuery),
				chromedp.KeyEvent("\t"),
				chromedp.Evaluate(`document.activeElement.textContent`, &focused),
			)
			if h1 != "Seoul Smart City Prize 2023" {
				t.Errorf("h1 = %q", h1)
			}
			for _, want := range []string{"Technological Novelty", "Service Accessibility", "Impact on the quality of life of citizens"} {
				if !strings.Contains(criteria, want) {
					t.Errorf("criteria section lacks %q", want)
				}
			}
			if !strings.Contains(focused, "Skip to main content") {
				t.Errorf("first Tab focused %q, want the skip link", focused)
			}
			var overflow bool
			if err := chromedp.Run(ctx, chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth`, &overflow)); err != nil {
				t.Fatal(err)
			}
			if overflow {
				t.Error("the page scrolls sideways")
			}
			browsertest.CheckA11y(t, ctx, "landing ("+tc.name+")")
			browsertest.Screenshot(t, ctx, "landing-"+tc.name)
		})
	}
}

// TestBrowserNotFound checks the 404 page in the browser, with axe-core.
func TestBrowserNotFound(t *testing.T) {
	e := newEnv(t, nil, "seoul-2023")
	ctx := browsertest.Tab(t)
	var h1 string
	if err := chromedp.Run(ctx, chromedp.Navigate(e.srv.URL+"/no-such-page"), chromedp.Text("h1", &h1, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if h1 != "Page not found" {
		t.Errorf("h1 = %q", h1)
	}
	browsertest.CheckA11y(t, ctx, "404 page")
	browsertest.Screenshot(t, ctx, "not-found")
}

// TestBrowserLanguageSwitch switches the landing page to Korean with the header's switch (a form,
// so it works without JavaScript): the page says lang="ko", the frame reads in Korean, the choice
// stays for the next page, and axe finds nothing in either language.
func TestBrowserLanguageSwitch(t *testing.T) {
	e := newEnv(t, nil, "seoul-2023")
	ctx := browsertest.Tab(t)
	var lang, nav, langAfter string
	browserRun(t, ctx, "language switch",
		browsertest.Phone(),
		chromedp.Navigate(e.srv.URL+"/terms"),
		chromedp.Click(`nav.language-switch button[lang="ko"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`html[lang="ko"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.lang`, &lang),
		chromedp.Text("header", &nav, chromedp.ByQuery),
		chromedp.Navigate(e.srv.URL+"/"),
		chromedp.Evaluate(`document.documentElement.lang`, &langAfter),
	)
	if lang != "ko" || langAfter != "ko" {
		t.Errorf("lang = %q, then %q; want ko both times", lang, langAfter)
	}
	if !strings.Contains(nav, "로그인") {
		t.Errorf("header in Korean lacks 로그인: %q", nav)
	}
	browsertest.CheckA11y(t, ctx, "landing (Korean, phone)")
	browsertest.Screenshot(t, ctx, "landing-ko-phone")
}
