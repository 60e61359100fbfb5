package server_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/nomination"
	"prizeportal/internal/notify/notifytest"
)

// ltLetterDeadline is the letter deadline of seoul-2023's Leadership category.
func ltLetterDeadline(t *testing.T, e *env) time.Time {
	t.Helper()
	ed := e.edition(t, "seoul-2023")
	cat, _ := ed.Category("leadership")
	return cat.Nominations.LetterDeadline
}

// ltSetup gives a nominator (signed in) with a third-party nomination of "Candidate lee".
func ltSetup(t *testing.T, e *env, login string, head bool) (*client, int64, string) {
	t.Helper()
	owner := nominatorUser(t, e, login, true)
	d := thirdPartyDetails("lee")
	d.CandidateIsHead = head
	id := newNomination(t, e, owner, d)
	return e.signedInClient(t, owner), id, "/nominations/" + strconv.FormatInt(id, 10) + "/letter"
}

func ltInvite(name, email, org string) url.Values {
	return url.Values{"name": {name}, "email": {email}, "organisation": {org}}
}

// ltCount counts the outbox emails of kind to addr.
func ltCount(t *testing.T, e *env, addr, kind string) int {
	t.Helper()
	return dbtest.Count(t, e.pool, `SELECT count(*) FROM email_outbox WHERE to_address = $1 AND kind = $2`,
		addr, kind)
}

// ltLetterForm is a valid letter as the recommender's form sends it.
func ltLetterForm(text string) url.Values {
	return url.Values{"name": {"Park Won-soon"}, "title": {"Secretary-General"}, "organisation": {"WeGO"},
		"category": {"civil-society-head"}, "letter_text": {text}}
}

func TestLetterInviteResendReplace(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	nom, _, page := ltSetup(t, e, "lt-nom", false)

	res := nom.get(page)
	wantStatus(t, "letter page", res, 200)
	for _, want := range []string{"No recommender has been invited yet", "Mayor or head of city offices", "Head of a university", "Asia/Seoul"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("letter page lacks %q", want)
		}
	}
	res = nom.post(page, ltInvite("", "nope", ""))
	wantStatus(t, "empty invitation", res, 422)
	for _, want := range []string{"f-name-error", "f-email-error", "f-organisation-error", "error-summary", `value="nope"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("refused invitation lacks %q", want)
		}
	}

	res = nom.post(page, ltInvite("Park Won-soon", "park@wego.example", "WeGO"))
	if res.status != 303 || res.location != page {
		t.Fatalf("invite: %d %q\n%s", res.status, res.location, res.body)
	}
	first := e.lastLink(t, "park@wego.example", "recommendation-letter-invite")
	res = nom.get(page)
	if !strings.Contains(res.body, "Invited") || !strings.Contains(res.body, "park@wego.example") || !strings.Contains(res.body, "KST") {
		t.Fatalf("status after invite:\n%s", res.body)
	}

	anon := e.client(t)
	res = anon.get(first)
	wantStatus(t, "recommender page", res, 200)
	for _, want := range []string{"Candidate lee", "Nominator lt-nom", "Seoul Smart City Prize", "KST", "Asia/Seoul", "Send my letter", `type="file"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("recommender page lacks %q", want)
		}
	}
	if res = nom.get(page); !strings.Contains(res.body, "Opened") {
		t.Fatal("the nominator does not see the letter opened")
	}

	res = nom.post(page+"/resend", nil)
	if res.status != 303 || ltCount(t, e, "park@wego.example", "recommendation-letter-invite") != 2 {
		t.Fatalf("resend: %d, %d emails", res.status, ltCount(t, e, "park@wego.example", "recommendation-letter-invite"))
	}
	second := e.lastLink(t, "park@wego.example", "recommendation-letter-invite")
	if second == first {
		t.Fatal("resend sent the same link")
	}
	wantStatus(t, "older link after resend", anon.get(first), 200)
	wantStatus(t, "new link", anon.get(second), 200)

	// Replace: the old recommender's links stop working with a clear page.
	res = nom.post(page, ltInvite("Oh Se-hoon", "oh@un.example", "UN-Habitat"))
	if res.status != 303 {
		t.Fatalf("replace: %d\n%s", res.status, res.body)
	}
	for _, l := range []string{first, second} {
		res = anon.get(l)
		if res.status != 410 || !strings.Contains(res.body, "replaced") {
			t.Fatalf("replaced link: %d\n%s", res.status, res.body)
		}
	}
	res = nom.get(page)
	if !strings.Contains(res.body, "oh@un.example") || strings.Contains(res.body, "park@wego.example") {
		t.Fatal("the page does not show the new recommender only")
	}
	var statuses string
	e.pool.QueryRow(context.Background(), `SELECT string_agg(status || ':' || (replaced_at IS NOT NULL)::text, ',' ORDER BY id) FROM recommendation_letters`).Scan(&statuses)
	if statuses != "replaced:true,invited:false" {
		t.Fatalf("letters: %s", statuses)
	}
	var audits int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action IN ('nomination.letter_invite', 'nomination.letter_resend')`).Scan(&audits)
	if audits != 3 {
		t.Fatalf("audit entries: %d", audits)
	}
	wantStatus(t, "new recommender", anon.get(e.lastLink(t, "oh@un.example", "recommendation-letter-invite")), 200)

	// Another nominator cannot see or change this nomination.
	other := e.signedInClient(t, nominatorUser(t, e, "lt-other", true))
	wantStatus(t, "another nominator's letter page", other.get(page), 404)
	wantStatus(t, "another nominator's invite", other.post(page, ltInvite("X", "x@x.example", "X")), 404)
}

// TestLetterHeadOfOrganisationRefused: a candidate who heads an organisation needs a recommender
// from a different organisation (guidelines §6): the invitation is refused with the rule
// explained next to the organisation.
func TestLetterHeadOfOrganisationRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	nom, _, page := ltSetup(t, e, "lt-head", true)
	if res := nom.get(page); !strings.Contains(res.body, "must be from a different organisation") {
		t.Error("the form does not explain the rule before it blocks")
	}
	res := nom.post(page, ltInvite("Deputy Mayor", "deputy@seoul.example", "seoul metropolitan government"))
	wantStatus(t, "same organisation", res, 422)
	if !strings.Contains(res.body, `id="f-organisation-error"`) || !strings.Contains(res.body, "guidelines §6") || !strings.Contains(res.body, `value="Deputy Mayor"`) {
		t.Fatalf("refusal:\n%s", res.body)
	}
	if n := ltCount(t, e, "deputy@seoul.example", "recommendation-letter-invite"); n != 0 {
		t.Fatalf("%d invitations sent", n)
	}
	res = nom.post(page, ltInvite("Deputy Mayor", "deputy@busan.example", "Busan Metropolitan City"))
	wantStatus(t, "another organisation", res, 303)
}

// TestLetterRecommenderWrites: the recommender writes the letter; mistakes are shown next to the
// fields with nothing typed lost; the letter arrives, the nominator is told (without the
// content) and never sees it; the link is then used up. The secretariat reads it.
func TestLetterRecommenderWrites(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	mail := startMail(t, e)
	nom, id, page := ltSetup(t, e, "lt-write", false)
	wantStatus(t, "invite", nom.post(page, ltInvite("Park Won-soon", "park@wego.example", "WeGO")), 303)
	m := mail.WaitFor(t, "park@wego.example", "letter of recommendation", 20*time.Second)
	link := emailedPath(t, m, "/letters/")
	rec := e.client(t)
	wantStatus(t, "open", rec.get(link), 200)

	const phrase = "violet tram crossing the Han at dawn"
	bad := ltLetterForm(strings.Repeat("word ", nomination.MaxLetterWords) + phrase)
	bad.Set("category", "smart-city-professional")
	bad.Set("title", "")
	res := rec.postMultipart(link, bad)
	wantStatus(t, "bad letter", res, 422)
	for _, want := range []string{"error-summary", "f-title-error", "f-category-error", "f-letter_text-error", phrase, `value="Park Won-soon"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("refused letter page lacks %q", want)
		}
	}
	if res = rec.postMultipart(link, url.Values{"name": {"P"}, "title": {"T"}, "organisation": {"O"}, "category": {"city-head"}}); res.status != 422 || !strings.Contains(res.body, "Write your letter in the box") {
		t.Fatalf("no letter: %d", res.status)
	}

	res = rec.postMultipart(link, ltLetterForm("Dear committee,\n\nI recommend Candidate lee: "+phrase+".\n\nPark"))
	if res.status != 200 || !strings.Contains(res.body, "Thank you") {
		t.Fatalf("send: %d\n%s", res.status, res.body)
	}
	told := mail.WaitFor(t, "lt-write@example.org", "has arrived", 20*time.Second)
	if strings.Contains(told.Text, phrase) || strings.Contains(told.HTML, phrase) {
		t.Fatal("the nominator's email contains the letter")
	}
	mail.WaitFor(t, "park@wego.example", "was received", 20*time.Second)

	res = rec.get(link)
	if res.status != 410 || !strings.Contains(res.body, "already been used") || !strings.Contains(res.body, "was received on") {
		t.Fatalf("used link: %d\n%s", res.status, res.body)
	}
	if res = rec.postMultipart(link, ltLetterForm("again")); res.status != 410 {
		t.Fatalf("second send: %d", res.status)
	}

	home := "/nominations/" + strconv.FormatInt(id, 10)
	for _, p := range []string{page, home, "/nominations", "/dashboard"} {
		res := nom.get(p)
		if res.status != 200 || strings.Contains(res.body, phrase) || strings.Contains(res.body, "Secretary-General") {
			t.Fatalf("nominator page %s: %d, shows the letter or the declared details", p, res.status)
		}
	}
	if res = nom.get(page); !strings.Contains(res.body, "Received") || strings.Contains(res.body, "Email the recommender a new link") {
		t.Fatal("the nominator's page does not show the letter received")
	}
	if res = nom.post(page+"/resend", nil); res.status != 303 || ltCount(t, e, "park@wego.example", "recommendation-letter-invite") != 1 {
		t.Fatal("a received letter was asked for again")
	}

	staff := e.signedInClient(t, matrixUser(t, e, "lt-sec", "secretariat"))
	res = staff.get("/secretariat/nominations/" + strconv.FormatInt(id, 10) + "/letter")
	wantStatus(t, "secretariat letter", res, 200)
	for _, want := range []string{phrase, "Secretary-General", "Head of an international organization", "Park Won-soon"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("secretariat page lacks %q", want)
		}
	}
	wantStatus(t, "no file", staff.get("/secretariat/nominations/"+strconv.FormatInt(id, 10)+"/letter/file"), 404)
	var audits int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'nomination.letter_receive'`).Scan(&audits)
	if audits != 1 {
		t.Fatalf("audit entries: %d", audits)
	}
}

// TestLetterRecommenderUploadsPDF: a PDF letter (only a PDF) reaches the secretariat.
func TestLetterRecommenderUploadsPDF(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	nom, id, page := ltSetup(t, e, "lt-pdf", false)
	wantStatus(t, "invite", nom.post(page, ltInvite("Park Won-soon", "park@wego.example", "WeGO")), 303)
	link := e.lastLink(t, "park@wego.example", "recommendation-letter-invite")
	rec := e.client(t)

	res := rec.postMultipart(link, ltLetterForm(""), upload{"letter_file", "letter.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")})
	if res.status != 422 || !strings.Contains(res.body, "f-letter_file-error") {
		t.Fatalf("a Word file: %d\n%s", res.status, res.body)
	}
	res = rec.postMultipart(link, ltLetterForm("Also typed."), upload{"letter_file", "letter.pdf", samplePDF})
	if res.status != 422 || !strings.Contains(res.body, "not both") || !strings.Contains(res.body, "choose it again") {
		t.Fatalf("both: %d\n%s", res.status, res.body)
	}
	res = rec.postMultipart(link, ltLetterForm(""), upload{"letter_file", "Recommendation Park.pdf", samplePDF})
	if res.status != 200 || !strings.Contains(res.body, "Thank you") {
		t.Fatalf("send: %d\n%s", res.status, res.body)
	}
	var files int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM files`).Scan(&files)
	if files != 1 {
		t.Fatalf("%d files recorded; the refused uploads must not be kept", files)
	}
	staff := e.signedInClient(t, matrixUser(t, e, "lt-sec", "secretariat"))
	base := "/secretariat/nominations/" + strconv.FormatInt(id, 10) + "/letter"
	if res = staff.get(base); !strings.Contains(res.body, "Recommendation Park.pdf") || !strings.Contains(res.body, base+"/file") {
		t.Fatalf("secretariat page:\n%s", res.body)
	}
	res = staff.get(base + "/file")
	if res.status != 200 || res.body != string(samplePDF) {
		t.Fatalf("file: %d", res.status)
	}
	if res = nom.get(page); strings.Contains(res.body, "Recommendation Park.pdf") {
		t.Fatal("the nominator sees the file")
	}
	wantStatus(t, "the nominator and the secretariat file", nom.get(base+"/file"), 403)
}

// TestLetterLinkProblems: an unknown link, and after the letter deadline an expired link, the
// invitation form and the resend button refused with clear pages.
func TestLetterLinkProblems(t *testing.T) {
	t.Parallel()
	clock := &testClock{now: fixedNow}
	e := newEnvWithClock(t, clock)
	nom, _, page := ltSetup(t, e, "lt-late", false)
	rec := e.client(t)
	res := rec.get("/letters/NOSUCHTOKEN")
	if res.status != 404 || !strings.Contains(res.body, "This link is not valid") {
		t.Fatalf("unknown: %d", res.status)
	}
	wantStatus(t, "invite", nom.post(page, ltInvite("Park Won-soon", "park@wego.example", "WeGO")), 303)
	link := e.lastLink(t, "park@wego.example", "recommendation-letter-invite")

	// After the application deadline, before the letter deadline: letters still come in.
	clock.Advance(ltLetterDeadline(t, e).Sub(fixedNow) - time.Hour)
	wantStatus(t, "invite after the application deadline", nom.post(page, ltInvite("Oh Se-hoon", "oh@un.example", "UN-Habitat")), 303)
	link = e.lastLink(t, "oh@un.example", "recommendation-letter-invite")
	wantStatus(t, "link before the letter deadline", rec.get(link), 200)

	clock.Advance(2 * time.Hour)
	res = rec.get(link)
	if res.status != 410 || !strings.Contains(res.body, "deadline for letters has passed") || !strings.Contains(res.body, "KST") {
		t.Fatalf("expired: %d\n%s", res.status, res.body)
	}
	if res = rec.postMultipart(link, ltLetterForm("Late.")); res.status != 410 {
		t.Fatalf("late letter: %d", res.status)
	}
	res = nom.get(page)
	if !strings.Contains(res.body, "deadline for letters of recommendation passed") || strings.Contains(res.body, `name="email"`) {
		t.Fatal("the page offers the form after the deadline")
	}
	wantStatus(t, "late invitation", nom.post(page, ltInvite("X", "x@x.example", "X")), 403)
	nom.post(page+"/resend", nil)
	if n := ltCount(t, e, "oh@un.example", "recommendation-letter-invite"); n != 1 {
		t.Fatalf("a link was sent after the deadline: %d", n)
	}
}

// TestLetterReminders: recommenders who have not sent their letter are reminded a week and a
// day before the letter deadline, each once, with a link that works; a received letter is not.
func TestLetterReminders(t *testing.T) {
	t.Parallel()
	clock := &testClock{now: fixedNow}
	e := newEnvWithClock(t, clock)
	mail := startMail(t, e)
	nom, _, page := ltSetup(t, e, "lt-rem", false)
	wantStatus(t, "invite", nom.post(page, ltInvite("Park Won-soon", "park@wego.example", "WeGO")), 303)
	other, _, otherPage := ltSetup(t, e, "lt-rem2", false)
	wantStatus(t, "invite", other.post(otherPage, ltInvite("Oh Se-hoon", "oh@un.example", "UN-Habitat")), 303)
	wantStatus(t, "letter", e.client(t).postMultipart(e.lastLink(t, "oh@un.example", "recommendation-letter-invite"), ltLetterForm("Done early.")), 200)
	deadline := ltLetterDeadline(t, e)

	run := func(at time.Time) {
		t.Helper()
		clock.Advance(at.Sub(clock.Now()))
		for range 2 { // a second run sends nothing more
			e.runTask(t, "letter-reminders", clock.Now)
		}
	}
	// reminders waits for want reminders to park, checks that no more arrive, and returns their
	// texts in order.
	reminders := func(want int) []string {
		t.Helper()
		texts := func() []string {
			var out []string
			for _, m := range mail.MessagesTo("park@wego.example") {
				if strings.HasPrefix(m.Subject, "Reminder:") {
					out = append(out, m.Text)
				}
			}
			return out
		}
		for end := time.Now().Add(20 * time.Second); len(texts()) < want && time.Now().Before(end); {
			time.Sleep(50 * time.Millisecond)
		}
		time.Sleep(300 * time.Millisecond) // nothing more arrives
		got := texts()
		if len(got) != want || len(mail.MessagesTo("oh@un.example")) != 2 { // invitation and confirmation only
			t.Fatalf("%d reminders to park (want %d), %d emails to oh", len(got), want, len(mail.MessagesTo("oh@un.example")))
		}
		return got
	}
	run(deadline.Add(-8 * 24 * time.Hour))
	reminders(0)
	run(deadline.Add(-7*24*time.Hour + time.Minute))
	week := reminders(1)
	if !strings.Contains(week[0], "due in a week") {
		t.Fatalf("week reminder:\n%s", week[0])
	}
	run(deadline.Add(-2 * 24 * time.Hour))
	reminders(1)
	run(deadline.Add(-12 * time.Hour))
	day := reminders(2)
	if !strings.Contains(day[1], "due tomorrow") {
		t.Fatalf("day reminder:\n%s", day[1])
	}
	res := e.client(t).get(emailedPath(t, notifytest.Mail{Text: day[1]}, "/letters/"))
	wantStatus(t, "reminder link", res, 200)
	run(deadline.Add(time.Hour))
	reminders(2)
	if res := nom.get(page); !strings.Contains(res.body, "Automatic reminders sent") {
		t.Fatal("the nominator does not see the reminders")
	}
	var audits int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'nomination.letter_reminder'`).Scan(&audits)
	if audits != 2 {
		t.Fatalf("audit entries: %d", audits)
	}
}
