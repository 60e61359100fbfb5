package server_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/tools/browsertest"
)

// TestBrowserAdministration: an admin signs in with password and code, searches the users list,
// invites a staff member (first with a mistake), opens the user's page and the audit log; the
// invitee opens the link. Every page is checked with axe-core on a desktop and a phone screen and
// photographed.
func TestBrowserAdministration(t *testing.T) {
	e := newTwoFactorEnv(t)
	adminID, secret := e.enrolledAccount(t, "root", "admin")
	dbtest.Exec(t, e.pool, `
		INSERT INTO users (login_id, email, name, organisation, password_hash, last_sign_in_at)
		SELECT 'officer' || i, 'officer' || i || '@busan.example', 'Busan Officer ' || lpad(i::text, 2, '0'), 'Busan Metropolitan City', 'x', now()
		FROM generate_series(1, 55) i`)
	ctx := browsertest.Tab(t)
	base := e.srv.URL
	browserRun(t, ctx, "sign in",
		chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(`#f-login`, chromedp.ByQuery),
		browserSignInForm("root", tfPassword),
		chromedp.WaitVisible(`#f-code`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-code`, e.code(t, secret), chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.cards`, chromedp.ByQuery),
	)
	browserWantPath(t, ctx, "after signing in", "/dashboard")

	// The users list, searched by typing and submitting the filter form.
	var summary string
	browserRun(t, ctx, "users list",
		chromedp.Navigate(base+"/admin/users"),
		chromedp.WaitVisible(`#f-q`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-q`, "busan", chromedp.ByQuery),
		chromedp.Click(`form.filters button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//nav[@class="pager"]/p[contains(., "of 55.")]`, chromedp.BySearch),
		chromedp.Text(`.pager p`, &summary, chromedp.ByQuery),
	)
	if summary != "Users 1 to 50 of 55." {
		t.Fatalf("pager says %q", summary)
	}
	browsertest.CheckA11y(t, ctx, "users list")
	browsertest.Screenshot(t, ctx, "admin-users")
	if err := chromedp.Run(ctx, browsertest.Phone(), chromedp.Reload(), chromedp.WaitVisible(`#f-q`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	browsertest.CheckA11y(t, ctx, "users list (phone)")
	browsertest.Screenshot(t, ctx, "admin-users-phone")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}

	// The invitation form: a mistake first, then a good invitation.
	var emailErr, kept string
	browserRun(t, ctx, "invite form",
		chromedp.Navigate(base+"/admin/invite"),
		chromedp.WaitVisible(`#f-email`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "invite form")
	browsertest.Screenshot(t, ctx, "admin-invite")
	browserRun(t, ctx, "invite form with errors",
		chromedp.SendKeys(`#f-email`, "jang at seoul", chromedp.ByQuery),
		chromedp.SendKeys(`#f-name`, "Jang Min-ho", chromedp.ByQuery),
		chromedp.Click(`#f-roles-evaluator`, chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
		chromedp.Text(`#f-email-error`, &emailErr, chromedp.ByQuery),
		chromedp.Value(`#f-name`, &kept, chromedp.ByQuery),
	)
	if !strings.Contains(emailErr, "Enter an email address") || kept != "Jang Min-ho" {
		t.Fatalf("error %q, kept name %q", emailErr, kept)
	}
	var checked bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector('#f-roles-evaluator').checked`, &checked)); err != nil || !checked {
		t.Fatalf("the chosen role was not kept (%v)", err)
	}
	browsertest.CheckA11y(t, ctx, "invite form with errors")
	browsertest.Screenshot(t, ctx, "admin-invite-errors")
	var flash string
	browserRun(t, ctx, "invite",
		chromedp.SetValue(`#f-email`, "jang@seoul.example", chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#history-h`, chromedp.ByQuery),
		chromedp.Text(`.flash`, &flash, chromedp.ByQuery),
	)
	if !strings.Contains(flash, "Invitation sent to jang@seoul.example") {
		t.Fatalf("flash %q", flash)
	}
	browsertest.CheckA11y(t, ctx, "user page")
	browsertest.Screenshot(t, ctx, "admin-user")

	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/admin/audit"), chromedp.WaitVisible(`#f-action`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	browsertest.CheckA11y(t, ctx, "audit log")
	browsertest.Screenshot(t, ctx, "admin-audit")

	// Erasing a winner: the confirmation page names the entry the prize keeps, and why; the
	// form without the box ticked shows the error summary.
	var winner int64
	if err := e.pool.QueryRow(context.Background(), `
		WITH u AS (INSERT INTO users (login_id, email, name, organisation, password_hash, edition_id, category_id)
		           SELECT 'winner', 'winner@busan.example', 'Won Winner', 'Busan Metropolitan City', 'x', c.edition_id, c.id
		           FROM categories c WHERE c.kind = 'project' ORDER BY c.position LIMIT 1 RETURNING id, edition_id, category_id),
		     a AS (INSERT INTO applications (user_id, edition_id, category_id, status, answers, submitted_at)
		           SELECT id, edition_id, category_id, 'submitted', '{"project_title": {"text": "Busan bus stops"}}', now() FROM u
		           RETURNING id, edition_id, category_id)
		INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, confirmed_by, confirmed_at)
		SELECT a.id, a.edition_id, a.category_id, 1, 'First place', $1, now() FROM a RETURNING (SELECT id FROM u)`, adminID).Scan(&winner); err != nil {
		t.Fatal(err)
	}
	var keeps string
	browserRun(t, ctx, "erase confirmation",
		chromedp.Navigate(base+"/admin/users/"+strconv.FormatInt(winner, 10)+"/erase"),
		chromedp.WaitVisible(`#f-confirm`, chromedp.ByQuery),
		chromedp.Text(`main`, &keeps, chromedp.ByQuery),
	)
	if !strings.Contains(keeps, "What the prize keeps") || !strings.Contains(keeps, "Busan bus stops") || !strings.Contains(keeps, "published results (First place)") {
		t.Fatalf("erase page:\n%s", keeps)
	}
	browsertest.CheckA11y(t, ctx, "erase confirmation")
	browsertest.Screenshot(t, ctx, "admin-erase")
	browserRun(t, ctx, "erase confirmation with errors",
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "erase confirmation with errors")

	// A person without an account, by their address: the plan, then the confirmation error.
	dbtest.Exec(t, e.pool, `
		INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at, confirmed_at)
		SELECT id, 'Citizen Cho', 'Busan', 'KR', 'cho@citizen.example', 'cho@citizen.example', now(), now()
		FROM applications WHERE user_id = $1`, winner)
	browserRun(t, ctx, "erase an address",
		chromedp.Navigate(base+"/admin/erase-address"),
		chromedp.WaitVisible(`#f-email`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-email`, "cho@citizen.example", chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-confirm`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "erase an address")
	browsertest.Screenshot(t, ctx, "admin-erase-address")
	browserRun(t, ctx, "erase an address with errors",
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "erase an address with errors")
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/account/data"), chromedp.WaitVisible(`#pd-account`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	browsertest.CheckA11y(t, ctx, "personal data")
	browsertest.Screenshot(t, ctx, "personal-data")

	// The invitee's page, in a fresh tab without the admin's cookies.
	link := e.lastLink(t, "jang@seoul.example", "invite")
	tab := browsertest.Tab(t)
	if err := chromedp.Run(tab, network.ClearBrowserCookies()); err != nil {
		t.Fatal(err)
	}
	var h1 string
	if err := chromedp.Run(tab, chromedp.Navigate(base+link), chromedp.WaitVisible(`#f-password`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	browsertest.CheckA11y(t, tab, "invitation page")
	browsertest.Screenshot(t, tab, "invite-accept")
	browserRun(t, tab, "invitation page with errors",
		chromedp.SendKeys(`#f-password`, "short", chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "invitation page with errors")
	browsertest.Screenshot(t, tab, "invite-accept-errors")
	e.clock.Advance(8 * 24 * time.Hour)
	browserRun(t, tab, "expired invitation", chromedp.Navigate(base+link), chromedp.Text(`h1`, &h1, chromedp.ByQuery))
	if h1 != "This invitation link cannot be used" {
		t.Fatalf("expired link: h1 %q", h1)
	}
	browsertest.CheckA11y(t, tab, "expired invitation")
	browsertest.Screenshot(t, tab, "invite-expired")
}
