package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/tools/browsertest"
)

// TestBrowserInvitationToRegistration: a secretariat member sends an invitation from the
// invitations page (a first try shows the errors); the invitee opens the emailed link (real
// SMTP), finds the category chosen and their details filled in, and registers; the link then
// says it was used, and the secretariat sees the invitation registered. Every page is checked
// with axe-core.
func TestBrowserInvitationToRegistration(t *testing.T) {
	e := newEnv(t, nil, "seoul-2023")
	mail := startMail(t, e)
	sec := matrixUser(t, e, "sec", "secretariat")
	base := e.srv.URL

	ctx := signedInTab(t, e, sec)
	browserRun(t, ctx, "invitations page", chromedp.Navigate(base+"/secretariat/invitations"),
		chromedp.WaitVisible(`#f-email`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "secretariat invitations (none yet)")
	browserRun(t, ctx, "a city invited to Leadership",
		chromedp.SendKeys(`#f-name`, "Min-jun Kim", chromedp.ByQuery),
		chromedp.SendKeys(`#f-email`, "kim@busan.example", chromedp.ByQuery),
		chromedp.SetValue(`#f-entity_type`, "city", chromedp.ByQuery),
		chromedp.SetValue(`#f-category`, "leadership", chromedp.ByQuery),
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	if text := browserText(t, ctx); !strings.Contains(text, "Leadership cannot be entered by a City") || !strings.Contains(text, "Enter the city government") {
		t.Fatalf("errors:\n%s", text)
	}
	browsertest.CheckA11y(t, ctx, "secretariat invitations with errors")
	browserRun(t, ctx, "invite",
		chromedp.SendKeys(`#f-organisation`, "Busan Metropolitan City", chromedp.ByQuery),
		chromedp.SetValue(`#f-category`, "tech-innovacity", chromedp.ByQuery),
		chromedp.SendKeys(`#f-message`, "We read about your smart bus shelters.", chromedp.ByQuery),
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#invitations-caption`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "secretariat invitations (one sent)")

	m := mail.WaitFor(t, "kim@busan.example", "invitation", 20*time.Second)
	u, err := url.Parse(notifytest.FirstLink(m.Text, "/register?invitation="))
	if err != nil || u.Query().Get("invitation") == "" {
		t.Fatalf("no registration link in:\n%s", m.Text)
	}
	link := base + u.RequestURI()

	// The invitee has no account: the secretariat's session is gone from this browser.
	browserRun(t, ctx, "sign out", network.DeleteCookies(e.sessions.Cookie.Name).WithURL(base))
	var checked bool
	var email string
	browserRun(t, ctx, "open the link", chromedp.Navigate(link), chromedp.WaitVisible(`#f-login_id`, chromedp.ByQuery),
		chromedp.JavascriptAttribute(`input[name="category"][value="tech-innovacity"]`, "checked", &checked, chromedp.ByQuery),
		chromedp.Value(`#f-email`, &email, chromedp.ByQuery))
	if text := browserText(t, ctx); !checked || email != "kim@busan.example" || !strings.Contains(text, "We read about your smart bus shelters.") {
		t.Fatalf("invited registration: checked=%v email=%q\n%s", checked, email, text)
	}
	browsertest.CheckA11y(t, ctx, "registration through an invitation")
	browserRun(t, ctx, "register",
		chromedp.SendKeys(`#f-phone`, "+82 51 120 0000", chromedp.ByQuery),
		chromedp.SendKeys(`#f-city`, "Busan", chromedp.ByQuery),
		chromedp.SetValue(`#f-country`, "KR", chromedp.ByQuery),
		chromedp.SendKeys(`#f-login_id`, "busan-city", chromedp.ByQuery),
		chromedp.SendKeys(`#f-password`, "violet tram under busan", chromedp.ByQuery),
		chromedp.Click(`#f-terms`, chromedp.ByQuery),
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery))
	// Registering leads to the sign-in page (the same answer whether or not the address had an
	// account); the invitee signs in.
	browserRun(t, ctx, "sign in after registering",
		chromedp.SendKeys(`#f-login`, "busan-city", chromedp.ByQuery),
		chromedp.SendKeys(`#f-password`, "violet tram under busan", chromedp.ByQuery),
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//h1[contains(., "Welcome")]`, chromedp.BySearch))
	if text := browserText(t, ctx); !strings.Contains(text, "Tech-InnovaCity") {
		t.Fatalf("dashboard after registering:\n%s", text)
	}
	browsertest.CheckA11y(t, ctx, "dashboard after an invited registration")
	browserRun(t, ctx, "sign out again", network.DeleteCookies(e.sessions.Cookie.Name).WithURL(base))
	browserRun(t, ctx, "the link again", chromedp.Navigate(link), chromedp.WaitVisible(`//h1[contains(., "already been used")]`, chromedp.BySearch))
	browsertest.CheckA11y(t, ctx, "used invitation link")

	browserSignIn(t, e, ctx, sec)
	browserRun(t, ctx, "invitations after", chromedp.Navigate(base+"/secretariat/invitations"),
		chromedp.WaitVisible(`#invitations-caption`, chromedp.ByQuery))
	if text := browserText(t, ctx); !strings.Contains(text, "Account created") {
		t.Fatalf("invitations after registration:\n%s", text)
	}
	browsertest.CheckA11y(t, ctx, "secretariat invitations (registered)")
	browsertest.Screenshot(t, ctx, "secretariat-invitations")
}
