package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/db/dbtest"
)

// newAdminEnv is a new two-factor environment with its administrator root signed in: the
// environment, root's client and root's id.
func newAdminEnv(t *testing.T) (*tfEnv, *client, int64) {
	t.Helper()
	e := newTwoFactorEnv(t)
	admin, id := e.adminSignIn(t, "root", "admin")
	return e, admin, id
}

// adminSignIn creates an account holding role (see tfEnv.newAccount), enrols TOTP when the role
// requires it, signs in through /signin and the code step, and returns the signed-in client.
func (e *tfEnv) adminSignIn(t *testing.T, login, role string) (*client, int64) {
	t.Helper()
	id := e.newAccount(t, login, role)
	c := e.client(t)
	if role == "" || role == "applicant" || role == "nominator" {
		if r := signInPassword(c, login, ""); r.status != http.StatusSeeOther || r.location != "/dashboard" {
			t.Fatalf("sign in %s: %d %s", login, r.status, r.location)
		}
		return c, id
	}
	secret, _ := e.enrol(t, id)
	if r := signInPassword(c, login, ""); r.status != http.StatusSeeOther || r.location != "/signin/two-factor" {
		t.Fatalf("sign in %s: %d %s", login, r.status, r.location)
	}
	if r := c.post("/signin/two-factor", url.Values{"method": {"totp"}, "code": {e.code(t, secret)}}); r.status != http.StatusSeeOther || r.location != "/dashboard" {
		t.Fatalf("code step of %s: %d %s\n%s", login, r.status, r.location, r.body)
	}
	e.clock.Advance(30 * time.Second)
	return c, id
}

func (e *tfEnv) editionID(t *testing.T) string {
	t.Helper()
	var id int64
	if err := e.pool.QueryRow(context.Background(), `SELECT id FROM editions WHERE slug = 'seoul-2023'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(id)
}

func wantStatus(t *testing.T, what string, r reply, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.status, status, r.body)
	}
}

func TestAdminInvitesStaffWhoSetsAPassword(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	ctx := context.Background()
	admin, _ := e.adminSignIn(t, "root", "admin")
	ed := e.editionID(t)

	page := admin.get("/admin/invite")
	wantStatus(t, "invite form", page, http.StatusOK)
	if !strings.Contains(page.body, "Head of the Evaluation Committee") || !strings.Contains(page.body, `selected`) {
		t.Fatalf("invite form lacks roles or the current edition:\n%s", page.body)
	}
	// Errors are shown next to their fields and typed values are kept.
	bad := admin.post("/admin/invite", url.Values{"email": {"not-an-email"}, "name": {"Kim"}, "edition": {ed}})
	wantStatus(t, "invalid invitation", bad, http.StatusUnprocessableEntity)
	for _, want := range []string{"There is a problem", `id="f-email-error"`, `id="f-roles-error"`, `value="Kim"`} {
		if !strings.Contains(bad.body, want) {
			t.Errorf("invalid invitation page lacks %s", want)
		}
	}

	sent := admin.post("/admin/invite", url.Values{
		"email": {"Sec@Seoul.example"}, "name": {"Seo-yeon Park"}, "roles": {"secretariat", "council"}, "edition": {ed},
	})
	wantStatus(t, "invitation", sent, http.StatusSeeOther)
	var userID int64
	var subject, html string
	err := e.pool.QueryRow(ctx, `SELECT user_id, subject, html_body FROM email_outbox WHERE kind = 'invite' AND to_address = 'Sec@Seoul.example'`).Scan(&userID, &subject, &html)
	if err != nil {
		t.Fatal(err)
	}
	if sent.location != fmt.Sprintf("/admin/users/%d", userID) {
		t.Fatalf("redirect to %q", sent.location)
	}
	if subject != "You are invited to the Seoul Smart City Prize 2023 portal" || !strings.Contains(html, "Prize Council member (Seoul Smart City Prize 2023)") || !strings.Contains(html, "/invite/") {
		t.Fatalf("email %q:\n%s", subject, html)
	}
	if detail := admin.get(sent.location); !strings.Contains(detail.body, "Invitation sent to Sec@Seoul.example") || !strings.Contains(detail.body, "invitation not accepted yet") {
		t.Fatalf("user page after inviting:\n%s", detail.body)
	}
	link := e.lastLink(t, "Sec@Seoul.example", "invite")

	invitee := e.client(t)
	form := invitee.get(link)
	wantStatus(t, "invitation page", form, http.StatusOK)
	if !strings.Contains(form.body, "Sec@Seoul.example") || !strings.Contains(form.body, `value="Seo-yeon Park"`) || !strings.Contains(form.body, "Secretariat, Seoul Smart City Prize 2023") {
		t.Fatalf("invitation page:\n%s", form.body)
	}
	short := invitee.post(link, url.Values{"name": {"Seo-yeon Park"}, "password": {"short"}, "repeat": {"short"}})
	wantStatus(t, "short password", short, http.StatusUnprocessableEntity)
	if !strings.Contains(short.body, "at least 12 characters") {
		t.Fatalf("short password message missing:\n%s", short.body)
	}
	done := invitee.post(link, url.Values{"name": {"Seo-yeon Park"}, "password": {"granite heron tuesday"}, "repeat": {"granite heron tuesday"}})
	wantStatus(t, "accept", done, http.StatusSeeOther)
	if done.location != "/signin/two-factor/setup" {
		t.Fatalf("staff go to enrol TOTP after accepting, got %q", done.location)
	}
	if setup := invitee.get(done.location); setup.status != http.StatusOK {
		t.Fatalf("enrolment page: %d", setup.status)
	}
	actor, _, err := account.LoadActor(ctx, e.pool, userID)
	if err != nil || !actor.EmailVerified || !actor.HasAny(authz.RoleSecretariat) || !actor.HasAny(authz.RoleCouncil) {
		t.Fatalf("invitee %+v %v", actor, err)
	}
	if again := e.client(t).get(link); again.status != http.StatusGone || !strings.Contains(again.body, "cannot be used") {
		t.Fatalf("used link: %d\n%s", again.status, again.body)
	}
	if again := e.client(t).post(link, url.Values{"name": {"X"}, "password": {"granite heron tuesday"}, "repeat": {"granite heron tuesday"}}); again.status != http.StatusGone {
		t.Fatalf("posting a used link: %d", again.status)
	}

	// An expired link is refused with the same clear page.
	wantStatus(t, "second invitation", admin.post("/admin/invite", url.Values{
		"email": {"late@seoul.example"}, "name": {"Lee"}, "roles": {"evaluator"}, "edition": {ed},
	}), http.StatusSeeOther)
	late := e.lastLink(t, "late@seoul.example", "invite")
	e.clock.Advance(account.InviteTTL + time.Minute)
	if r := e.client(t).get(late); r.status != http.StatusGone || !strings.Contains(r.body, "expired or has already been used") {
		t.Fatalf("expired link: %d\n%s", r.status, r.body)
	}

	// Inviting an existing account adds the roles and tells the person without a link.
	wantStatus(t, "invite existing", admin.post("/admin/invite", url.Values{
		"email": {"sec@seoul.example"}, "name": {"ignored"}, "roles": {"evaluator"}, "edition": {ed},
	}), http.StatusSeeOther)
	var text string
	if err := e.pool.QueryRow(ctx, `SELECT text_body FROM email_outbox WHERE kind = 'roles-added'`).Scan(&text); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "/invite/") || !strings.Contains(text, "Evaluator (Seoul Smart City Prize 2023)") || !strings.Contains(text, "/signin") {
		t.Fatalf("roles-added email:\n%s", text)
	}
}

func TestAdminPagesAreForAdminsOnly(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	applicant, _ := e.adminSignIn(t, "appl", "")
	secretariat, _ := e.adminSignIn(t, "secr", "secretariat")
	for _, path := range []string{"/admin/users", "/admin/users/1", "/admin/invite", "/admin/audit", "/admin/users/1/erase"} {
		if r := applicant.get(path); r.status != http.StatusForbidden {
			t.Errorf("applicant GET %s: %d", path, r.status)
		}
		if r := secretariat.get(path); r.status != http.StatusForbidden {
			t.Errorf("secretariat GET %s: %d", path, r.status)
		}
		if r := e.client(t).get(path); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/signin") {
			t.Errorf("anonymous GET %s: %d %s", path, r.status, r.location)
		}
	}
	if r := applicant.post("/admin/users/1/deactivate", nil); r.status != http.StatusForbidden {
		t.Errorf("applicant deactivating: %d", r.status)
	}
}

func TestAdminUsersSearchAndPagination(t *testing.T) {
	t.Parallel()
	e, admin, _ := newAdminEnv(t)
	dbtest.Exec(t, e.pool, `
		INSERT INTO users (login_id, email, name, organisation, password_hash)
		SELECT 'officer' || i, 'officer' || i || '@busan.example', 'Busan Officer ' || lpad(i::text, 2, '0'), 'Busan City', 'x'
		FROM generate_series(1, 60) i`)
	e.newAccount(t, "percent", "")
	dbtest.Exec(t, e.pool, `UPDATE users SET organisation = '100% Green' WHERE login_id = 'percent'`)

	p1 := admin.get("/admin/users?q=busan")
	wantStatus(t, "search", p1, http.StatusOK)
	if !strings.Contains(p1.body, "Users 1 to 50 of 60.") || !strings.Contains(p1.body, "Busan Officer 01") || strings.Contains(p1.body, "Busan Officer 51") {
		t.Fatalf("page 1:\n%s", p1.body)
	}
	next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(p1.body)
	if next == nil {
		t.Fatal("no link to the next page")
	}
	p2 := admin.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	if !strings.Contains(p2.body, "Users 51 to 60 of 60.") || !strings.Contains(p2.body, "Busan Officer 60") || strings.Contains(p2.body, `rel="next"`) {
		t.Fatalf("page 2 (%s):\n%s", next[1], p2.body)
	}
	if r := admin.get("/admin/users?q=" + url.QueryEscape("100%")); !strings.Contains(r.body, "Users 1 to 1 of 1.") || !strings.Contains(r.body, "100% Green") {
		t.Fatalf("search for 100%%:\n%s", r.body)
	}
	admins := admin.get("/admin/users?role=admin")
	if !strings.Contains(admins.body, "Users 1 to 1 of 1.") || !strings.Contains(admins.body, "Administrator, All editions") {
		t.Fatalf("admins filter:\n%s", admins.body)
	}
	if r := admin.get("/admin/users?q=nobody-at-all"); !strings.Contains(r.body, "No user matches") {
		t.Fatalf("empty search:\n%s", r.body)
	}
}

func TestAdminDeactivationEndsSessions(t *testing.T) {
	t.Parallel()
	e, admin, adminID := newAdminEnv(t)
	user, userID := e.adminSignIn(t, "appl", "")
	other := e.client(t)
	if r := signInPassword(other, "appl", ""); r.status != http.StatusSeeOther {
		t.Fatalf("second session: %d", r.status)
	}
	wantStatus(t, "dashboard before", user.get("/dashboard"), http.StatusOK)

	self := admin.post(fmt.Sprintf("/admin/users/%d/deactivate", adminID), nil)
	wantStatus(t, "self-deactivation", self, http.StatusSeeOther)
	if r := admin.get(self.location); !strings.Contains(r.body, "You cannot deactivate your own account") {
		t.Fatalf("self-deactivation message:\n%s", r.body)
	}

	wantStatus(t, "deactivate", admin.post(fmt.Sprintf("/admin/users/%d/deactivate", userID), nil), http.StatusSeeOther)
	for _, c := range []*client{user, other} {
		if r := c.get("/dashboard"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/signin") {
			t.Fatalf("a session of the deactivated user goes on: %d %s", r.status, r.location)
		}
	}
	if r := signInPassword(e.client(t), "appl", ""); r.status == http.StatusSeeOther {
		t.Fatal("a deactivated account signed in")
	}
	if r := admin.get(fmt.Sprintf("/admin/users/%d", userID)); !strings.Contains(r.body, "Deactivated on") || !strings.Contains(r.body, "Reactivate the account") {
		t.Fatalf("user page after deactivation:\n%s", r.body)
	}
	wantStatus(t, "reactivate", admin.post(fmt.Sprintf("/admin/users/%d/reactivate", userID), nil), http.StatusSeeOther)
	if r := signInPassword(e.client(t), "appl", ""); r.status != http.StatusSeeOther || r.location != "/dashboard" {
		t.Fatalf("sign-in after reactivation: %d %s", r.status, r.location)
	}
}

func TestAdminRoleHistoryShowsGrantAndRevoke(t *testing.T) {
	t.Parallel()
	e, admin, _ := newAdminEnv(t)
	userID := e.newAccount(t, "kim", "")
	ed := e.editionID(t)
	path := fmt.Sprintf("/admin/users/%d", userID)

	missing := admin.post(path+"/roles", url.Values{"role": {"council"}})
	wantStatus(t, "grant without edition", missing, http.StatusUnprocessableEntity)
	if !strings.Contains(missing.body, "Choose the edition the role is for.") {
		t.Fatalf("grant without edition:\n%s", missing.body)
	}
	wantStatus(t, "grant", admin.post(path+"/roles", url.Values{"role": {"council"}, "edition": {ed}}), http.StatusSeeOther)
	if r := admin.post(path+"/roles", url.Values{"role": {"council"}, "edition": {ed}}); !strings.Contains(r.body, "already holds this role") {
		t.Fatalf("second grant:\n%s", r.body)
	}
	detail := admin.get(path)
	revokeHref := regexp.MustCompile(`href="(/admin/users/\d+/revoke\?[^"]+)"`).FindStringSubmatch(detail.body)
	if revokeHref == nil {
		t.Fatalf("no revoke link:\n%s", detail.body)
	}
	confirm := admin.get(strings.ReplaceAll(revokeHref[1], "&amp;", "&"))
	wantStatus(t, "revoke page", confirm, http.StatusOK)
	noReason := admin.post(path+"/revoke", url.Values{"role": {"council"}, "edition": {ed}, "reason": {"  "}})
	wantStatus(t, "revoke without reason", noReason, http.StatusUnprocessableEntity)
	if !strings.Contains(noReason.body, "Enter the reason") {
		t.Fatalf("revoke without reason:\n%s", noReason.body)
	}
	wantStatus(t, "revoke", admin.post(path+"/revoke", url.Values{"role": {"council"}, "edition": {ed}, "reason": {"Joined an applicant's team"}}), http.StatusSeeOther)
	if r := admin.post(path+"/revoke", url.Values{"role": {"council"}, "edition": {ed}, "reason": {"again"}}); r.status != http.StatusNotFound {
		t.Fatalf("revoking a role not held: %d", r.status)
	}
	history := admin.get(path).body
	section := history[strings.Index(history, `id="history-h"`):]
	for _, want := range []string{"Prize Council member", "Joined an applicant&#39;s team", "by Test root", "10 May 2023"} {
		if !strings.Contains(section, want) {
			t.Errorf("role history lacks %q:\n%s", want, section)
		}
	}
	if !strings.Contains(history, "This account holds no role.") {
		t.Error("the revoked role is still shown as held")
	}
	audits := dbtest.Count(t, e.pool, `SELECT count(*) FROM audit_log WHERE action IN ('role.grant', 'role.revoke') AND object_id = $1 AND ip <> ''`, fmt.Sprint(userID))
	if audits != 2 {
		t.Fatalf("audit entries for grant and revoke = %d", audits)
	}
}

func TestAdminAuditLogFilters(t *testing.T) {
	t.Parallel()
	e, admin, _ := newAdminEnv(t)
	userID := e.newAccount(t, "kim", "")
	wantStatus(t, "grant", admin.post(fmt.Sprintf("/admin/users/%d/roles", userID), url.Values{"role": {"evaluator"}, "edition": {e.editionID(t)}}), http.StatusSeeOther)
	signInPassword(e.client(t), "kim", "")

	roles := admin.get("/admin/audit?action=role.")
	wantStatus(t, "audit by action", roles, http.StatusOK)
	if !strings.Contains(roles.body, "Entries 1 to 1 of 1.") || !strings.Contains(roles.body, "<code>role.grant</code>") || strings.Contains(roles.body, "<code>account.signin</code>") {
		t.Fatalf("filter by action:\n%s", roles.body)
	}
	if !strings.Contains(roles.body, "Test root (root)") || !strings.Contains(roles.body, "UTC") || !strings.Contains(roles.body, `&#34;role&#34;: &#34;evaluator&#34;`) {
		t.Fatalf("audit row lacks actor, time zone or details:\n%s", roles.body)
	}
	byActor := admin.get("/admin/audit?actor=kim%40example")
	if !strings.Contains(byActor.body, "<code>account.signin</code>") || strings.Contains(byActor.body, "<code>role.grant</code>") {
		t.Fatalf("filter by actor:\n%s", byActor.body)
	}
	byObject := admin.get(fmt.Sprintf("/admin/audit?object_type=user&object_id=%d&action=role", userID))
	if !strings.Contains(byObject.body, "Entries 1 to 1 of 1.") {
		t.Fatalf("filter by object:\n%s", byObject.body)
	}
	// Audit entries carry the database's time; a range around today finds them, a later one not.
	today := time.Now().UTC()
	day := func(d int) string { return today.AddDate(0, 0, d).Format("2006-01-02") }
	if r := admin.get("/admin/audit?action=role&from=" + day(2)); !strings.Contains(r.body, "No entry matches") {
		t.Fatalf("entries after today:\n%s", r.body)
	}
	if r := admin.get("/admin/audit?action=role&from=" + day(-1) + "&to=" + day(1)); !strings.Contains(r.body, "Entries 1 to 1 of 1.") {
		t.Fatalf("a range around today:\n%s", r.body)
	}
	if r := admin.get("/admin/audit?from=" + day(1) + "&to=" + day(-1)); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "must not be before") {
		t.Fatalf("reversed range: %d", r.status)
	}
	bad := admin.get("/admin/audit?from=31.05.2023")
	wantStatus(t, "malformed date", bad, http.StatusUnprocessableEntity)
	if !strings.Contains(bad.body, "Enter a date like 2023-05-31.") || !strings.Contains(bad.body, `value="31.05.2023"`) {
		t.Fatalf("malformed date:\n%s", bad.body)
	}
}

func TestPersonalDataPageAndDownload(t *testing.T) {
	t.Parallel()
	e, admin, _ := newAdminEnv(t)
	userID := e.newAccount(t, "mina", "")
	e.newAccount(t, "otto", "")
	wantStatus(t, "grant", admin.post(fmt.Sprintf("/admin/users/%d/roles", userID), url.Values{"role": {"council"}, "edition": {e.editionID(t)}}), http.StatusSeeOther)
	// A council member signs in with a second factor.
	secret, _ := e.enrol(t, userID)
	user := e.client(t)
	signInPassword(user, "mina", "")
	wantStatus(t, "code step", user.post("/signin/two-factor", url.Values{"code": {e.code(t, secret)}}), http.StatusSeeOther)

	page := user.get("/account/data")
	wantStatus(t, "personal data page", page, http.StatusOK)
	for _, want := range []string{"mina@example.org", "Prize Council member", "role.grant", "someone else", "account.signin", "/account/data.json"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("personal data page lacks %q", want)
		}
	}
	req, _ := http.NewRequest("GET", user.base+"/account/data.json", nil)
	res, err := user.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("download headers: %q %q", cd, res.Header.Get("Content-Type"))
	}
	var data account.PersonalData
	if err := json.NewDecoder(res.Body).Decode(&data); err != nil {
		t.Fatal(err)
	}
	if data.Account.ID != userID || data.Account.Email != "mina@example.org" || len(data.Roles) != 1 || len(data.Activity) < 2 {
		t.Fatalf("export %+v", data)
	}
	b, _ := json.Marshal(data)
	for _, leak := range []string{"otto", "root", "Test root"} {
		if strings.Contains(string(b), leak) {
			t.Errorf("export holds %q of another user:\n%s", leak, b)
		}
	}
	if r := e.client(t).get("/account/data.json"); r.status != http.StatusSeeOther {
		t.Fatalf("anonymous download: %d", r.status)
	}
}

func TestAdminErasesAUserAfterConfirmation(t *testing.T) {
	t.Parallel()
	e, admin, adminID := newAdminEnv(t)
	user, userID := e.adminSignIn(t, "erin", "")
	path := fmt.Sprintf("/admin/users/%d/erase", userID)

	if r := admin.get(fmt.Sprintf("/admin/users/%d/erase", adminID)); !strings.Contains(r.body, "You cannot erase your own account") || strings.Contains(r.body, `name="confirm"`) {
		t.Fatalf("erasing oneself:\n%s", r.body)
	}
	confirm := admin.get(path)
	wantStatus(t, "erase page", confirm, http.StatusOK)
	if !strings.Contains(confirm.body, "cannot be undone") || !strings.Contains(confirm.body, `name="confirm"`) ||
		!strings.Contains(confirm.body, "What the prize keeps") || !strings.Contains(confirm.body, "Nothing: none of their entries") {
		t.Fatalf("erase page:\n%s", confirm.body)
	}
	unconfirmed := admin.post(path, nil)
	wantStatus(t, "erase without confirmation", unconfirmed, http.StatusUnprocessableEntity)
	if !strings.Contains(unconfirmed.body, "Tick the box") {
		t.Fatalf("erase without confirmation:\n%s", unconfirmed.body)
	}
	wantStatus(t, "erase", admin.post(path, url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
	detail := admin.get(fmt.Sprintf("/admin/users/%d", userID))
	if !strings.Contains(detail.body, "Erased on") || strings.Contains(detail.body, "erin@example.org") || strings.Contains(detail.body, "Test erin") {
		t.Fatalf("user page after erasure:\n%s", detail.body)
	}
	if r := user.get("/dashboard"); r.status != http.StatusSeeOther {
		t.Fatalf("the erased user's session goes on: %d", r.status)
	}
	leaks := dbtest.Count(t, e.pool, `SELECT count(*) FROM audit_log WHERE (actor_label || ip || details::text) ILIKE '%erin%' OR (actor_id = $1 AND ip <> '')`, userID)
	if leaks != 0 {
		t.Fatalf("%d audit entries still hold the erased user's data", leaks)
	}
}

func TestAdminRemovesALostAuthenticator(t *testing.T) {
	t.Parallel()
	e, admin, _ := newAdminEnv(t)
	staff, staffID := e.adminSignIn(t, "sec-lee", "secretariat")
	page := admin.get(fmt.Sprintf("/admin/users/%d", staffID))
	if !strings.Contains(page.body, "Remove two-factor sign-in") {
		t.Fatalf("no reset action on the user page:\n%s", page.body)
	}
	wantStatus(t, "reset", admin.post(fmt.Sprintf("/admin/users/%d/two-factor/reset", staffID), nil), http.StatusSeeOther)
	if r := staff.get("/dashboard"); r.status != http.StatusSeeOther {
		t.Fatalf("the staff member's session must end: %d", r.status)
	}
	if enrolled, _, _ := account.TwoFactorStatus(context.Background(), e.pool, staffID); enrolled {
		t.Fatal("two-factor still enrolled")
	}
	// At the next sign-in, staff must enrol again.
	if r := signInPassword(e.client(t), "sec-lee", ""); r.location != "/signin/two-factor/setup" {
		t.Fatalf("next sign-in goes to %q, want the enrolment", r.location)
	}
	audited := dbtest.Count(t, e.pool, `SELECT count(*) FROM audit_log WHERE action = 'two_factor.reset' AND object_id = $1`, fmt.Sprint(staffID))
	if audited != 1 {
		t.Fatal("the reset is not audited")
	}
}

// TestAdminErasesAnAddress: an admin erases a citizen without an account by their address: the
// first post shows what the portal holds and what the prize keeps, a changed address is shown
// before anything is erased, and the confirmed post erases it.
func TestAdminErasesAnAddress(t *testing.T) {
	t.Parallel()
	e, admin, _ := newAdminEnv(t)
	dbtest.Exec(t, e.pool, `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash, edition_id, category_id)
		           SELECT 'olga', 'olga@example.org', 'Olga', 'x', c.edition_id, c.id FROM categories c WHERE c.key = 'leadership'
		           RETURNING id, edition_id, category_id),
		     a AS (INSERT INTO applications (user_id, edition_id, category_id, kind) SELECT id, edition_id, category_id, 'nomination' FROM u
		           RETURNING id)
		INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at, confirmed_at)
		SELECT a.id, 'Citizen Cho', 'Busan', 'KR', 'cho@citizen.example', 'cho@citizen.example', now(), now() FROM a`)
	wantStatus(t, "page", admin.get("/admin/erase-address"), http.StatusOK)
	if r := admin.post("/admin/erase-address", url.Values{"email": {"not an address"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Enter an email address") {
		t.Fatalf("bad address: %d\n%s", r.status, r.body)
	}
	if r := admin.post("/admin/erase-address", url.Values{"email": {"olga@example.org"}}); !strings.Contains(r.body, "An account uses this address") || strings.Contains(r.body, `name="confirm"`) {
		t.Fatalf("an account's address:\n%s", r.body)
	}
	plan := admin.post("/admin/erase-address", url.Values{"email": {"cho@citizen.example"}})
	if !strings.Contains(plan.body, "1 endorsement they signed") || !strings.Contains(plan.body, "What the prize keeps") || !strings.Contains(plan.body, `name="confirm"`) {
		t.Fatalf("plan:\n%s", plan.body)
	}
	// The address changed after the plan was shown: the new plan is shown, nothing is erased.
	if r := admin.post("/admin/erase-address", url.Values{"email": {"cho@citizen.example"}, "previewed": {"kim@citizen.example"}, "confirm": {"yes"}}); r.status != http.StatusOK {
		t.Fatalf("changed address: %d", r.status)
	}
	wantStatus(t, "erase", admin.post("/admin/erase-address", url.Values{"email": {"cho@citizen.example"}, "previewed": {"cho@citizen.example"}, "confirm": {"yes"}}), http.StatusSeeOther)
	left := dbtest.Count(t, e.pool, `SELECT count(*) FROM endorsements WHERE email_norm = 'cho@citizen.example' OR name = 'Citizen Cho'`)
	audited := dbtest.Count(t, e.pool, `SELECT count(*) FROM audit_log WHERE action = 'privacy.erase_address'`)
	if left != 0 || audited != 1 {
		t.Fatalf("after erasure: %d endorsements left, %d audit entries", left, audited)
	}
}
