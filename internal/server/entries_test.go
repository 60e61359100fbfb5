package server_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/account"
	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/invitation"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

// returningWorld is a portal whose 2023 applicant kim (profile filled in) saved an entry titled
// "Seoul Talk 2023"; a copy of seoul-2023 one year later is open for applications, and the clock
// shows a day of its application period. It returns kim and the 2023 entry's id.
func returningWorld(t *testing.T) (*env, int64, int64) {
	t.Helper()
	clock := &testClock{now: fixedNow}
	e := newEnvWithClock(t, clock)
	kim := returningApplicant(t, e, "kim")
	old := storedApplication(t, e, kim)
	editiontest.ImportNextYear(t, e.pool, "seoul-2023")
	clock.mu.Lock()
	clock.now = time.Date(2024, 5, 10, 3, 0, 0, 0, time.UTC)
	clock.mu.Unlock()
	return e, kim, old.ID
}

// returningApplicant is a Tech-InnovaCity applicant of seoul-2023 with the password tfPassword
// and the profile filled in, who saved an entry titled "Seoul Talk 2023".
func returningApplicant(t *testing.T, e *env, login string) int64 {
	t.Helper()
	id := applicantUser(t, e, login, true)
	hash, err := account.HashPassword(tfPassword, account.TestHashParams)
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, e.pool, `UPDATE users SET organisation = 'Seoul Metropolitan Government', phone = '+82 2 120 0000',
		city = 'Seoul', country = 'KR', password_hash = $2 WHERE id = $1`, id, hash)
	saveAnswers(t, e, id, form.Answers{"project_title": {Text: "Seoul Talk 2023"}})
	return id
}

// TestReturningParticipant: the 2023 applicant signs in while the 2024 edition is open, is
// offered a new entry on the dashboard, starts it with the profile pre-filled (a refused form
// keeps what was typed), works on the 2024 entry at /application, and still reads the 2023 entry,
// read-only; nobody else can. A second entry in 2024 is not offered.
func TestReturningParticipant(t *testing.T) {
	t.Parallel()
	e, kim, old := returningWorld(t)
	c := e.signedInClient(t, kim)

	home := c.get("/dashboard")
	if home.status != 200 || !strings.Contains(home.body, "Start your entry in the Seoul Smart City Prize 2024") ||
		!strings.Contains(home.body, `href="/entries/new"`) {
		t.Fatalf("dashboard: %d\n%s", home.status, home.body)
	}
	page := c.get("/entries/new")
	if page.status != 200 || !strings.Contains(page.body, `value="Seoul Metropolitan Government"`) ||
		!strings.Contains(page.body, `value="+82 2 120 0000"`) || !strings.Contains(page.body, "Human-CentriCity") ||
		strings.Contains(page.body, "Leadership:") {
		t.Fatalf("new entry form: %d\n%s", page.status, page.body)
	}
	form := url.Values{"category": {"human-centricity"}, "name": {"Min-jun Kim"}, "organisation": {"Seoul Digital Foundation"},
		"phone": {"+82 2 120 0001"}, "city": {"Seoul"}, "country": {"KR"}}
	refused := c.post("/entries/new", form)
	if refused.status != 422 || !strings.Contains(refused.body, "error-summary") || !strings.Contains(refused.body, "terms and conditions") ||
		!strings.Contains(refused.body, `value="Seoul Digital Foundation"`) {
		t.Fatalf("without the terms: %d\n%s", refused.status, refused.body)
	}
	form.Set("terms", "yes")
	if r := c.post("/entries/new", form); r.status != 303 || r.location != "/application" {
		t.Fatalf("start: %d %s\n%s", r.status, r.location, r.body)
	}
	cur := c.get("/application")
	if cur.status != 200 || !strings.Contains(cur.body, "Seoul Smart City Prize 2024") || !strings.Contains(cur.body, "Human-CentriCity") {
		t.Fatalf("2024 application: %d\n%s", cur.status, cur.body)
	}
	past := "/entries/" + strconv.FormatInt(old, 10)
	home = c.get("/dashboard")
	if !strings.Contains(home.body, `href="`+past+`"`) || !strings.Contains(home.body, "read-only") ||
		strings.Contains(home.body, `href="/entries/new"`) {
		t.Fatalf("dashboard after starting:\n%s", home.body)
	}
	read := c.get(past)
	if read.status != 200 || !strings.Contains(read.body, "Your entry in the Seoul Smart City Prize 2023") ||
		!strings.Contains(read.body, "Seoul Talk 2023") || strings.Contains(read.body, "<form class=\"form\"") ||
		strings.Contains(read.body, ">Change ") {
		t.Fatalf("2023 entry: %d\n%s", read.status, read.body)
	}
	if r := c.get("/entries/new"); r.status != 200 || !strings.Contains(r.body, "No edition of the prize is open for a new entry") {
		t.Fatalf("second start: %d\n%s", r.status, r.body)
	}
	if r := c.post("/entries/new", form); r.status != 200 || !strings.Contains(r.body, "No edition of the prize is open") {
		t.Fatalf("second start posted: %d", r.status)
	}
	a, err := application.LoadEntry(context.Background(), e.pool, kim, old)
	if err != nil || !a.Past || a.Answers["project_title"].Text != "Seoul Talk 2023" {
		t.Fatalf("2023 entry: %+v %v", a, err)
	}
	_, lee := signedInApplicant(t, e, "lee")
	if r := lee.get(past); r.status != 404 {
		t.Fatalf("another applicant reads the entry: %d", r.status)
	}
	// Both registrations are on the account, each with the terms accepted for its edition: on the
	// person's own data page and on the administrator's page of the account.
	admin := e.signedInClient(t, matrixUser(t, e, "adm", "admin"))
	for who, page := range map[string]reply{"own data": c.get("/account/data"), "admin": admin.get("/admin/users/" + strconv.FormatInt(kim, 10))} {
		if page.status != 200 || !strings.Contains(page.body, "Entered Seoul Smart City Prize 2024") ||
			!strings.Contains(page.body, "Entered Seoul Smart City Prize 2023") || !strings.Contains(page.body, "Human-CentriCity; terms version") {
			t.Fatalf("%s: the registrations: %d\n%s", who, page.status, page.body)
		}
	}
}

// TestBrowserReturningParticipant is the journey in a browser: from the dashboard to the new
// entry form (refused once, then accepted) and to the 2023 entry, read-only; axe on every page.
func TestBrowserReturningParticipant(t *testing.T) {
	e, kim, old := returningWorld(t)
	ctx := signedInTab(t, e, kim)
	b := studioTab{t: t, ctx: ctx, base: e.srv.URL, shots: "returning"}
	b.startReturningEntry("human-centricity")
	past := "/entries/" + strconv.FormatInt(old, 10)
	b.run("back home", chromedp.Navigate(b.base+"/dashboard"), chromedp.WaitVisible(`a[href="`+past+`"]`, chromedp.ByQuery),
		chromedp.Click(`a[href="`+past+`"]`, chromedp.ByQuery), chromedp.WaitVisible(`h1`, chromedp.ByQuery))
	browserWantPath(t, ctx, "the 2023 entry", past)
	var forms int
	b.run("read-only", chromedp.Evaluate(`document.querySelectorAll("main form, form.form").length`, &forms))
	if forms != 0 {
		t.Fatalf("the 2023 entry shows %d forms", forms)
	}
	b.check("2023 entry read-only")
}

// TestReturningParticipantInvited: the 2024 secretariat invites the address of the 2023
// applicant; the invitation's link opens the new entry form (after signing in) with the invited
// category chosen, and starting the entry accepts the invitation.
func TestReturningParticipantInvited(t *testing.T) {
	t.Parallel()
	e, kim, _ := returningWorld(t)
	next := e.edition(t, "seoul-2024")
	sec := matrixUser(t, e, "sec24", "secretariat")
	dbtest.Exec(t, e.pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, sec, next.ID)
	svc := &invitation.Service{Deps: usecase.New(e.pool, notify.NewOutbox(e.pool), emails.Site{BaseURL: "https://portal.example"},
		func() time.Time { return time.Date(2024, 5, 10, 3, 0, 0, 0, time.UTC) })}
	actor := authz.Actor{UserID: sec, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: next.ID}}}
	if _, err := svc.Send(context.Background(), actor, next, invitation.Input{Email: "kim@example.org", Name: "Min-jun Kim",
		Organisation: "Seoul", EntityType: "city", Category: "human-centricity"}); err != nil {
		t.Fatal(err)
	}
	var text string
	if err := e.pool.QueryRow(context.Background(), `SELECT text_body FROM email_outbox WHERE kind = 'entry-invitation' AND to_address = 'kim@example.org'`).Scan(&text); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`/entries/new\?invitation=([A-Za-z0-9_-]+)`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no link to start the entry:\n%s", text)
	}
	c := e.signedInClient(t, kim)
	page := c.get(m[0])
	if page.status != 200 || !strings.Contains(page.body, "The secretariat invited you") ||
		!regexp.MustCompile(`value="human-centricity"[^>]*checked`).MatchString(page.body) {
		t.Fatalf("invited form: %d\n%s", page.status, page.body)
	}
	form := url.Values{"category": {"human-centricity"}, "name": {"Min-jun Kim"}, "organisation": {"Seoul"}, "phone": {"+82 2 120 0000"},
		"city": {"Seoul"}, "country": {"KR"}, "terms": {"yes"}, "invitation": {m[1]}}
	if r := c.post("/entries/new", form); r.status != 303 {
		t.Fatalf("start: %d\n%s", r.status, r.body)
	}
	var accepted *int64
	if err := e.pool.QueryRow(context.Background(), `SELECT accepted_by FROM invitations`).Scan(&accepted); err != nil || accepted == nil || *accepted != kim {
		t.Fatalf("accepted by %v (%v), want %d", accepted, err, kim)
	}
}
