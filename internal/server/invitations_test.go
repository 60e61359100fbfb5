package server_test

import (
	"context"
	"net/url"
	"prizeportal/internal/db/dbtest"
	"regexp"
	"strings"
	"testing"
	"time"
)

// invitationLink returns the path and query of the link in the newest invitation emailed to
// addr (lastLink keeps only the path; the invitation's token is in the query).
func invitationLink(t *testing.T, e *env, addr string) string {
	t.Helper()
	var text string
	if err := e.pool.QueryRow(context.Background(), `SELECT text_body FROM email_outbox WHERE to_address = $1 AND kind = 'entry-invitation'
		ORDER BY id DESC LIMIT 1`, addr).Scan(&text); err != nil {
		t.Fatalf("no invitation to %s: %v", addr, err)
	}
	u, err := url.Parse(regexp.MustCompile(`https?://\S+/register\?invitation=\S+`).FindString(text))
	if err != nil || u.Path != "/register" || u.Query().Get("invitation") == "" {
		t.Fatalf("no registration link in the invitation:\n%s", text)
	}
	return u.RequestURI()
}

// invite has sec send the invitation form and fails the test unless it was sent (303); it
// returns the link of the email the invitee got.
func invite(t *testing.T, e *env, sec *client, form url.Values) string {
	t.Helper()
	if r := sec.post("/secretariat/invitations", form); r.status != 303 {
		t.Fatalf("invite: %d\n%s", r.status, r.body)
	}
	return invitationLink(t, e, form.Get("email"))
}

func inviteForm(name, email, org, entityType, category string) url.Values {
	return url.Values{"name": {name}, "email": {email}, "organisation": {org}, "entity_type": {entityType},
		"category": {category}, "message": {"Your bus project impressed the jury of a partner prize."}}
}

// invitedRegistration is the registration form as an invitee posts it: the invitation's
// pre-filled values plus what they add.
func invitedRegistration(link, login, email string) url.Values {
	u, _ := url.Parse(link)
	v := registration(login, email)
	v.Set("invitation", u.Query().Get("invitation"))
	return v
}

func TestInvitationFormValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	sec := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))

	page := sec.get("/secretariat/invitations")
	if page.status != 200 || !strings.Contains(page.body, "Invite an entity") || !strings.Contains(page.body, "No invitation has been sent") ||
		!strings.Contains(page.body, "Leadership (for Individual)") {
		t.Fatalf("page: %d\n%s", page.status, page.body)
	}
	empty := sec.post("/secretariat/invitations", url.Values{})
	if empty.status != 422 || !strings.Contains(empty.body, "There is a problem") {
		t.Fatalf("empty form: %d", empty.status)
	}
	for _, id := range []string{"f-name-error", "f-email-error", "f-entity_type-error", "f-category-error"} {
		if !strings.Contains(empty.body, `id="`+id+`"`) {
			t.Errorf("empty form: no %s next to its field", id)
		}
	}
	wrong := sec.post("/secretariat/invitations", inviteForm("Min-jun Kim", "kim@busan.example", "Busan", "city", "leadership"))
	if wrong.status != 422 || !strings.Contains(wrong.body, "Leadership cannot be entered by a City") ||
		!strings.Contains(wrong.body, `value="kim@busan.example"`) {
		t.Fatalf("a city invited to Leadership: %d\n%s", wrong.status, wrong.body)
	}
	if n := invCount(t, e, `SELECT count(*) FROM invitations`); n != 0 {
		t.Fatalf("%d invitations stored from invalid forms", n)
	}

	ok := sec.post("/secretariat/invitations", inviteForm("Min-jun Kim", "kim@busan.example", "Busan Metropolitan City", "city", "tech-innovacity"))
	if ok.status != 303 || ok.location != "/secretariat/invitations?edition="+invEditionID(t, e) {
		t.Fatalf("invite: %d %q\n%s", ok.status, ok.location, ok.body)
	}
	link := invitationLink(t, e, "kim@busan.example")
	var subject, text string
	e.pool.QueryRow(context.Background(), `SELECT subject, text_body FROM email_outbox WHERE kind = 'entry-invitation'`).Scan(&subject, &text)
	if !strings.Contains(subject, "invitation") || !strings.Contains(text, "Tech-InnovaCity") || !strings.Contains(text, "Your bus project impressed") ||
		!strings.Contains(text, "KST") {
		t.Fatalf("invitation email: %s\n%s", subject, text)
	}
	if n := invCount(t, e, `SELECT count(*) FROM audit_log WHERE action = 'invitation.send'`); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	list := sec.get(ok.location)
	if !strings.Contains(list.body, "kim@busan.example") || !strings.Contains(list.body, "Tech-InnovaCity, as City") ||
		!strings.Contains(list.body, "Sent 10 May 2023, 12:00 KST by sec") {
		t.Fatalf("list:\n%s", list.body)
	}
	again := sec.post("/secretariat/invitations", inviteForm("Min-jun Kim", "KIM@busan.example", "Busan", "company", "human-centricity"))
	if again.status != 422 || !strings.Contains(again.body, "already invited") {
		t.Fatalf("the same address again: %d", again.status)
	}
	taken := sec.post("/secretariat/invitations", inviteForm("Sec", "sec@example.org", "Busan", "city", "tech-innovacity"))
	if taken.status != 422 || !strings.Contains(taken.body, "An account already uses this address") {
		t.Fatalf("an address with an account: %d", taken.status)
	}

	// Resending replaces the link: the first one now says so.
	var id string
	e.pool.QueryRow(context.Background(), `SELECT id::text FROM invitations`).Scan(&id)
	if r := sec.post("/secretariat/invitations/"+id+"/resend", url.Values{}); r.status != 303 {
		t.Fatalf("resend: %d", r.status)
	}
	fresh := invitationLink(t, e, "kim@busan.example")
	if fresh == link {
		t.Fatal("the resend carries the same link")
	}
	anon := e.client(t)
	if r := anon.get(link); r.status != 410 || !strings.Contains(r.body, "already been used") || !strings.Contains(r.body, "newer one") {
		t.Fatalf("the replaced link: %d\n%s", r.status, r.body)
	}
	if r := anon.get(fresh); r.status != 200 {
		t.Fatalf("the new link: %d", r.status)
	}
	if r := anon.get("/register?invitation=no-such-token"); r.status != 404 || !strings.Contains(r.body, "This link is not valid") {
		t.Fatalf("an unknown invitation: %d", r.status)
	}
	if r := sec.get(ok.location); !strings.Contains(r.body, "2 emails in all") {
		t.Fatalf("list after the resend:\n%s", r.body)
	}
	// Another edition's secretariat (here: an evaluator) cannot resend.
	ev := e.signedInClient(t, matrixUser(t, e, "ev", "evaluator"))
	if r := ev.post("/secretariat/invitations/"+id+"/resend", url.Values{}); r.status != 403 {
		t.Fatalf("an evaluator resends: %d", r.status)
	}
}

func TestInvitationLeadsToApplication(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	sec := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
	link := invite(t, e, sec, inviteForm("Min-jun Kim", "kim@busan.example", "Busan Metropolitan City", "city", "human-centricity"))

	c := e.client(t)
	form := c.get(link)
	if form.status != 200 || !regexp.MustCompile(`value="human-centricity"[^>]*checked`).MatchString(form.body) ||
		!strings.Contains(form.body, `value="kim@busan.example"`) || !strings.Contains(form.body, `value="Busan Metropolitan City"`) ||
		!strings.Contains(form.body, `value="Min-jun Kim"`) || !strings.Contains(form.body, "The secretariat invited you to register for Human-CentriCity") ||
		!strings.Contains(form.body, "You are registering as: City") {
		t.Fatalf("registration through the invitation: %d\n%s", form.status, form.body)
	}
	// A mistake keeps the invitation in the form.
	bad := invitedRegistration(link, "busan", "kim@busan.example")
	bad.Set("category", "human-centricity")
	bad.Del("terms")
	if r := c.post("/register", bad); r.status != 422 || !strings.Contains(r.body, `name="invitation"`) {
		t.Fatalf("registration error: %d", r.status)
	}
	// The invitee may change the address; the invitation still leads to the account.
	reg := invitedRegistration(link, "busan", "mj@busan.example")
	reg.Set("category", "human-centricity")
	if r := c.registerAndSignIn(reg); r.status != 303 || r.location != "/dashboard" {
		t.Fatalf("register and sign in: %d %q\n%s", r.status, r.location, r.body)
	}
	var userID int64
	var category string
	if err := e.pool.QueryRow(context.Background(), `SELECT u.id, c.key FROM users u JOIN categories c ON c.id = u.category_id
		JOIN invitations i ON i.accepted_by = u.id WHERE u.login_id = 'busan' AND i.accepted_at IS NOT NULL`).Scan(&userID, &category); err != nil || category != "human-centricity" {
		t.Fatalf("the invitation is not linked to the account: %v %q", err, category)
	}
	if n := invCount(t, e, `SELECT count(*) FROM audit_log WHERE action = 'invitation.accept'`); n != 1 {
		t.Fatalf("%d accept audit entries", n)
	}
	if r := e.client(t).get(link); r.status != 410 || !strings.Contains(r.body, "already been used") {
		t.Fatalf("the used link: %d", r.status)
	}

	summary := func(want ...string) {
		t.Helper()
		r := sec.get("/secretariat/invitations")
		for _, w := range want {
			if !strings.Contains(r.body, w) {
				t.Fatalf("invitations page lacks %q:\n%s", w, r.body)
			}
		}
	}
	summary("<strong>Registered</strong>", "Account created 10 May 2023", "<dt>Registered</dt><dd>1</dd>", "<dt>Started an application</dt><dd>0</dd>")

	saveAnswers(t, e, userID, completeAnswersFor(t, e, "human-centricity"))
	summary("<strong>Application started</strong>", "<dt>Started an application</dt><dd>1</dd>", "<dt>Submitted</dt><dd>0</dd>")

	e.pool.Exec(context.Background(), `UPDATE users SET email_verified_at = now() WHERE id = $1`, userID)
	if r := c.post("/application/submit", url.Values{"version": {"1"}}); r.status != 303 {
		t.Fatalf("submit: %d\n%s", r.status, r.body)
	}
	summary("<strong>Submitted</strong>", "<dt>Invitations sent</dt><dd>1</dd>", "<dt>Submitted</dt><dd>1</dd>")

	// Nothing to resend once registered.
	var id string
	e.pool.QueryRow(context.Background(), `SELECT id::text FROM invitations`).Scan(&id)
	sec.post("/secretariat/invitations/"+id+"/resend", url.Values{})
	if n := invCount(t, e, `SELECT count(*) FROM email_outbox WHERE kind = 'entry-invitation'`); n != 1 {
		t.Fatalf("%d invitation emails after resending an accepted invitation", n)
	}
}

func TestInvitationToNominate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	sec := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
	if r := sec.post("/secretariat/invitations", inviteForm("Ji-woo Park", "park@wego.example", "", "individual", "leadership")); r.status != 303 {
		t.Fatalf("invite an individual: %d\n%s", r.status, r.body)
	}
	var text string
	e.pool.QueryRow(context.Background(), `SELECT text_body FROM email_outbox WHERE kind = 'entry-invitation'`).Scan(&text)
	if !strings.Contains(text, "invites you to nominate candidates for the Leadership prize") {
		t.Fatalf("leadership invitation:\n%s", text)
	}
	link := invitationLink(t, e, "park@wego.example")
	c := e.client(t)
	if r := c.get(link); !regexp.MustCompile(`value="leadership"[^>]*checked`).MatchString(r.body) || !strings.Contains(r.body, "Individual") {
		t.Fatalf("leadership registration:\n%s", r.body)
	}
	reg := invitedRegistration(link, "park", "park@wego.example")
	reg.Set("entity_type", "individual")
	reg.Set("category", "leadership")
	reg.Set("organisation", "")
	if r := c.registerAndSignIn(reg); r.status != 303 {
		t.Fatalf("register and sign in: %d\n%s", r.status, r.body)
	}
	if n := invCount(t, e, `SELECT count(*) FROM role_grants g JOIN invitations i ON i.accepted_by = g.user_id WHERE g.role = 'nominator'`); n != 1 {
		t.Fatal("the invitee is not a nominator linked to the invitation")
	}
	if r := c.get("/nominations"); r.status != 200 {
		t.Fatalf("the nominator's nominations: %d", r.status)
	}
}

func TestInvitationExpiresAtDeadline(t *testing.T) {
	t.Parallel()
	clock := &testClock{now: fixedNow}
	e := newEnvWithClock(t, clock)
	sec := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
	link := invite(t, e, sec, inviteForm("Min-jun Kim", "kim@busan.example", "Busan", "company", "tech-innovacity"))
	var deadline time.Time
	e.pool.QueryRow(context.Background(), `SELECT expires_at FROM private_links WHERE purpose = 'invitation'`).Scan(&deadline)
	clock.Advance(deadline.Sub(fixedNow))

	if r := e.client(t).get(link); r.status != 410 || !strings.Contains(r.body, "This link has expired") {
		t.Fatalf("expired link: %d\n%s", r.status, r.body)
	}
	page := sec.get("/secretariat/invitations")
	if !strings.Contains(page.body, "no invitation can be sent") || strings.Contains(page.body, "Send the invitation") ||
		!strings.Contains(page.body, "the link expired") || strings.Contains(page.body, "Send again") {
		t.Fatalf("page after the deadline:\n%s", page.body)
	}
	if r := sec.post("/secretariat/invitations", inviteForm("Lee", "lee@busan.example", "Busan", "city", "tech-innovacity")); r.status != 403 {
		t.Fatalf("invite after the deadline: %d", r.status)
	}
}

// invCount runs a count query.
func invCount(t *testing.T, e *env, sql string) int {
	t.Helper()
	return dbtest.Count(t, e.pool, sql)
}

// invEditionID is the id of the only edition, as text.
func invEditionID(t *testing.T, e *env) string {
	t.Helper()
	var id string
	if err := e.pool.QueryRow(context.Background(), `SELECT id::text FROM editions`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
