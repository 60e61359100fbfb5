package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify/notifytest"
)

// openEndorsements is anaNominatesKim with the nomination's public endorsement page opened
// (enOpen): the nominator, the nomination and the page's path.
func openEndorsements(t *testing.T, e *env) (int64, int64, string) {
	t.Helper()
	ana, id := anaNominatesKim(t, e)
	return ana, id, enOpen(t, e, ana, id)
}

// enOpen opens the endorsement page of owner's nomination id through the nominator's page and
// returns the public path ("/endorse/CODE").
func enOpen(t *testing.T, e *env, owner, id int64) string {
	t.Helper()
	c := e.signedInClient(t, owner)
	href := "/nominations/" + strconv.FormatInt(id, 10) + "/endorsements"
	if r := c.post(href, url.Values{}); r.status != 303 || r.location != href {
		t.Fatalf("open endorsements: %d %q\n%s", r.status, r.location, r.body)
	}
	var code string
	if err := e.pool.QueryRow(context.Background(), `SELECT endorsement_code FROM nominations WHERE application_id = $1`, id).Scan(&code); err != nil {
		t.Fatal(err)
	}
	return "/endorse/" + code
}

// enSignature is the public form filled in for email.
func enSignature(name, email string) url.Values {
	return url.Values{"name": {name}, "city": {"Busan"}, "country": {"KR"}, "email": {email}, "confirm": {"yes"}}
}

// enCount returns the endorsement rows of nomination id: all of them and the confirmed ones.
func enCount(t *testing.T, e *env, id int64) (all, confirmed int) {
	t.Helper()
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*), count(confirmed_at) FROM endorsements WHERE application_id = $1`, id).Scan(&all, &confirmed); err != nil {
		t.Fatal(err)
	}
	return all, confirmed
}

// TestEndorsementFlow: the nominator opens the public page; a citizen signs, gets the link by
// real SMTP, confirms with a button (a GET changes nothing); repeated addresses count once and
// reveal nothing on the page; used and unknown links and codes get clear pages; the nominator
// sees counts only and the secretariat the list.
func TestEndorsementFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	smtp := notifytest.StartSMTP(t)
	smtp.StartWorker(t, e.pool)
	ana, ben := nominatorUser(t, e, "ana", true), nominatorUser(t, e, "ben", true)
	id := newNomination(t, e, ana, thirdPartyDetails("kim"))
	nominatorPage := "/nominations/" + strconv.FormatInt(id, 10) + "/endorsements"
	nom := e.signedInClient(t, ana)

	before := nom.get(nominatorPage)
	if before.status != 200 || !strings.Contains(before.body, "Open the endorsement page") || strings.Contains(before.body, "/endorse/") ||
		!strings.Contains(before.body, "more than 30") {
		t.Fatalf("nominator page before opening: %d\n%s", before.status, before.body)
	}
	if r := e.signedInClient(t, ben).get(nominatorPage); r.status != 404 {
		t.Fatalf("another nominator's endorsements page: %d", r.status)
	}
	if r := e.signedInClient(t, ben).post(nominatorPage, url.Values{}); r.status != 404 {
		t.Fatalf("another nominator opens: %d", r.status)
	}
	public := enOpen(t, e, ana, id)
	if len(strings.TrimPrefix(public, "/endorse/")) < 26 {
		t.Fatalf("endorsement code too short: %q", public)
	}
	opened := nom.get(nominatorPage)
	if !strings.Contains(opened.body, `href="http`) || !strings.Contains(opened.body, public+`"`) || strings.Contains(opened.body, "Open the endorsement page") {
		t.Fatalf("nominator page after opening lacks the absolute link:\n%s", opened.body)
	}
	if again := enOpen(t, e, ana, id); again != public {
		t.Fatal("opening again changed the address")
	}

	citizen := e.client(t)
	page := citizen.get(public)
	for _, want := range []string{"Candidate kim", "Chief Digital Officer", "Seoul Metropolitan Government", "Leadership", "Seoul Smart City Prize",
		"What endorsing means", `name="confirm"`, `<option value="KR"`} {
		if !strings.Contains(page.body, want) {
			t.Fatalf("public page lacks %q:\n%s", want, page.body)
		}
	}
	// Everything is required; what was typed is kept.
	bad := citizen.post(public, url.Values{"name": {"Ji-woo Park"}, "city": {""}, "country": {"ZZ"}, "email": {"nope"}})
	if bad.status != 422 || !strings.Contains(bad.body, "error-summary") || !strings.Contains(bad.body, `value="Ji-woo Park"`) ||
		!strings.Contains(bad.body, `id="f-city-error"`) || !strings.Contains(bad.body, `id="f-country-error"`) ||
		!strings.Contains(bad.body, `id="f-email-error"`) || !strings.Contains(bad.body, `id="f-confirm-error"`) || !strings.Contains(bad.body, `value="nope"`) {
		t.Fatalf("invalid signature: %d\n%s", bad.status, bad.body)
	}
	if all, _ := enCount(t, e, id); all != 0 {
		t.Fatalf("an invalid signature stored %d rows", all)
	}

	// Sign, then confirm through the emailed link.
	signed := citizen.post(public, enSignature("Ji-woo Park", " Jiwoo@Example.org "))
	if signed.status != 200 || !strings.Contains(signed.body, "Check your email") {
		t.Fatalf("sign: %d\n%s", signed.status, signed.body)
	}
	mail := smtp.WaitFor(t, "Jiwoo@Example.org", "Confirm your endorsement", 30*time.Second)
	confirmURL, err := url.Parse(notifytest.FirstLink(mail.Text, "/endorse/confirm/"))
	if err != nil || confirmURL.Path == "" {
		t.Fatalf("no confirmation link in:\n%s", mail.Text)
	}
	if !strings.Contains(mail.Text, "Candidate kim") || !strings.Contains(mail.Text, "works once") {
		t.Fatalf("confirmation email:\n%s", mail.Text)
	}
	confirm := confirmURL.Path
	if r := citizen.get(confirm); r.status != 200 || !strings.Contains(r.body, "Confirm your endorsement of Candidate kim") {
		t.Fatalf("confirm page: %d\n%s", r.status, r.body)
	}
	if _, confirmed := enCount(t, e, id); confirmed != 0 {
		t.Fatal("opening the link (GET) confirmed the endorsement")
	}
	if r := citizen.post(confirm, url.Values{}); r.status != 200 || !strings.Contains(r.body, "your endorsement is confirmed") {
		t.Fatalf("confirm: %d\n%s", r.status, r.body)
	}
	if all, confirmed := enCount(t, e, id); all != 1 || confirmed != 1 {
		t.Fatalf("after confirming: %d rows, %d confirmed", all, confirmed)
	}
	for _, method := range []string{"GET", "POST"} {
		var r reply
		if method == "GET" {
			r = citizen.get(confirm)
		} else {
			r = citizen.post(confirm, url.Values{})
		}
		if r.status != 410 || !strings.Contains(r.body, "already been used") {
			t.Fatalf("%s used link: %d\n%s", method, r.status, r.body)
		}
	}
	if r := citizen.get("/endorse/confirm/NOSUCHTOKEN"); r.status != 404 || !strings.Contains(r.body, "This link is not valid") {
		t.Fatalf("unknown link: %d", r.status)
	}
	if r := citizen.get("/endorse/NOSUCHCODE"); r.status != 404 || !strings.Contains(r.body, "This endorsement page does not exist") {
		t.Fatalf("unknown code: %d\n%s", r.status, r.body)
	}
	if r := citizen.post("/endorse/NOSUCHCODE", enSignature("X", "x@example.org")); r.status != 404 {
		t.Fatalf("unknown code, POST: %d", r.status)
	}

	// The same address again, in other case: the same page, no row, an email saying so.
	again := e.client(t).post(public, enSignature("Ji-woo Park", "JIWOO@example.org"))
	if again.status != 200 || !strings.Contains(again.body, "Check your email") {
		t.Fatalf("repeated address: %d\n%s", again.status, again.body)
	}
	smtp.WaitFor(t, "JIWOO@example.org", "You have already endorsed", 30*time.Second)
	if all, _ := enCount(t, e, id); all != 1 {
		t.Fatalf("a repeated confirmed address stored a row: %d rows", all)
	}

	// One address signs twice before confirming: both links work, the address counts once.
	// The links are read from the mail as received: once sent, the outbox keeps no usable token.
	confirmLinks := func(n int) []string {
		var out []string
		for _, m := range smtp.WaitForN(t, "min@example.org", "Confirm your endorsement", n, 30*time.Second) {
			u, err := url.Parse(notifytest.FirstLink(m.Text, "/endorse/confirm/"))
			if err != nil || u.Path == "" {
				t.Fatalf("no confirmation link in:\n%s", m.Text)
			}
			out = append(out, u.Path)
		}
		return out
	}
	citizen.post(public, enSignature("Min Lee", "min@example.org"))
	first := confirmLinks(1)[0]
	citizen.post(public, enSignature("Min Lee", " MIN@example.org"))
	second := confirmLinks(2)[1]
	if first == second {
		t.Fatal("two signatures share a link")
	}
	if r := citizen.post(first, url.Values{}); r.status != 200 || !strings.Contains(r.body, "your endorsement is confirmed") {
		t.Fatalf("first confirmation: %d", r.status)
	}
	if r := citizen.post(second, url.Values{}); r.status != 200 || !strings.Contains(r.body, "You had already endorsed") {
		t.Fatalf("second confirmation of the same address: %d\n%s", r.status, r.body)
	}
	if r := citizen.get(second); r.status != 410 {
		t.Fatalf("the second link is not used up: %d", r.status)
	}
	// A third signature, left unconfirmed.
	citizen.post(public, enSignature("Soo Choi", "soo@example.org"))

	// The nominator sees counts only.
	counts := nom.get(nominatorPage)
	if !strings.Contains(counts.body, "<dt>Confirmed endorsements</dt><dd>2</dd>") ||
		!strings.Contains(counts.body, "<dt>Awaiting confirmation by email</dt><dd>1</dd>") ||
		!strings.Contains(counts.body, "Not yet: 29 more") {
		t.Fatalf("nominator counts:\n%s", counts.body)
	}
	for _, secret := range []string{"Ji-woo", "jiwoo", "Min Lee", "soo@example.org", "Busan"} {
		if strings.Contains(strings.ToLower(counts.body), strings.ToLower(secret)) {
			t.Fatalf("the nominator sees %q", secret)
		}
	}

	// The secretariat sees the list; other staff do not.
	list := "/secretariat/nominations/" + strconv.FormatInt(id, 10) + "/endorsements"
	staff := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
	r := staff.get(list)
	for _, want := range []string{"Ji-woo Park", "Jiwoo@Example.org", "Busan", "Korea", "Not confirmed", "Soo Choi",
		"Signatures 1 to 4 of 4.", `href="/secretariat/nominations/` + strconv.FormatInt(id, 10) + `"`} {
		if !strings.Contains(r.body, want) {
			t.Fatalf("secretariat list lacks %q: %d\n%s", want, r.status, r.body)
		}
	}
	if r := e.signedInClient(t, matrixUser(t, e, "eva", "evaluator")).get(list); r.status != 403 {
		t.Fatalf("evaluator: %d", r.status)
	}
	if r := staff.get("/secretariat/nominations/999999/endorsements"); r.status != 404 {
		t.Fatalf("unknown nomination: %d", r.status)
	}

	var audits int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action IN ('nomination.endorse', 'nomination.endorse_confirm', 'nomination.endorsements_open')`).Scan(&audits)
	if audits != 2+4+2 { // opened twice, four signatures stored, two confirmations that counted
		t.Fatalf("%d audit entries", audits)
	}
}

// TestEndorsementQualifiesAt31: with the reference edition's threshold (more than 30), 30
// confirmed addresses do not qualify the nomination; the 31st, through the real pages, does.
func TestEndorsementQualifiesAt31(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ana, id, public := openEndorsements(t, e)
	enConfirmed(t, e, id, 30)
	nom := e.signedInClient(t, ana)
	page := nom.get("/nominations/" + strconv.FormatInt(id, 10) + "/endorsements")
	if !strings.Contains(page.body, "<dd>30</dd>") || !strings.Contains(page.body, "Not yet: 1 more confirmed endorsement needed") {
		t.Fatalf("30 confirmed:\n%s", page.body)
	}
	c := e.client(t)
	if r := c.post(public, enSignature("Thirty One", "c31@example.org")); r.status != 200 {
		t.Fatalf("sign: %d", r.status)
	}
	if r := c.post(e.lastLink(t, "c31@example.org", "endorsement-confirm"), url.Values{}); r.status != 200 {
		t.Fatalf("confirm: %d", r.status)
	}
	page = nom.get("/nominations/" + strconv.FormatInt(id, 10) + "/endorsements")
	if !strings.Contains(page.body, "<dd>31</dd>") || !strings.Contains(page.body, "<dt>Enough to replace the letter</dt><dd>Yes</dd>") {
		t.Fatalf("31 confirmed:\n%s", page.body)
	}
	if panel := nom.get("/nominations/" + strconv.FormatInt(id, 10)); !strings.Contains(panel.body, "31 confirmed: more than 30, enough to replace the letter.") {
		t.Fatalf("the nomination's panel at 31 confirmed:\n%s", panel.body)
	}
}

// enConfirmed stores n confirmed endorsements of nomination id directly.
func enConfirmed(t *testing.T, e *env, id int64, n int) {
	t.Helper()
	dbtest.Exec(t, e.pool, `
		INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at, confirmed_at)
		SELECT $1, 'Citizen ' || i, 'Seoul', 'KR', 'c' || i || '@example.org', 'c' || i || '@example.org', $2, $2
		FROM generate_series(1, $3::int) i`, id, fixedNow, n)
}

// TestEndorsementDeadlineAndExpiry: confirmation links expire after seven days or at the letter
// deadline, whichever is first; after the deadline, or once the nomination is withdrawn, the
// public page says endorsements are closed.
func TestEndorsementDeadlineAndExpiry(t *testing.T) {
	t.Parallel()
	clock := &testClock{now: fixedNow}
	e := newEnvWithClock(t, clock)
	ana, id, public := openEndorsements(t, e)
	c := e.client(t)

	c.post(public, enSignature("Slow Reader", "slow@example.org"))
	slow := e.lastLink(t, "slow@example.org", "endorsement-confirm")
	clock.Advance(7*24*time.Hour + time.Minute)
	if r := c.get(slow); r.status != 410 || !strings.Contains(r.body, "This link has expired") {
		t.Fatalf("link after seven days: %d\n%s", r.status, r.body)
	}
	if r := c.post(slow, url.Values{}); r.status != 410 {
		t.Fatalf("confirm after seven days: %d", r.status)
	}

	ed := e.edition(t, "seoul-2023")
	cat, _ := ed.Category("leadership")
	deadline := cat.Nominations.LetterDeadline
	clock.now = deadline.Add(-time.Hour)
	c.post(public, enSignature("Last Minute", "last@example.org"))
	last := e.lastLink(t, "last@example.org", "endorsement-confirm")
	if r := c.get(last); r.status != 200 {
		t.Fatalf("link before the deadline: %d", r.status)
	}
	clock.now = deadline
	if r := c.get(last); r.status != 410 || !strings.Contains(r.body, "This link has expired") {
		t.Fatalf("link at the deadline: %d\n%s", r.status, r.body)
	}
	for _, r := range []reply{c.get(public), c.post(public, enSignature("Too Late", "late@example.org"))} {
		if r.status != 410 || !strings.Contains(r.body, "Endorsements for Candidate kim are closed") || !strings.Contains(r.body, "has passed") {
			t.Fatalf("public page after the deadline: %d\n%s", r.status, r.body)
		}
	}
	if all, _ := enCount(t, e, id); all != 2 {
		t.Fatalf("%d rows; the late signature must not be stored", all)
	}
	// The nominator cannot open a page for another nomination after the deadline.
	other := newNomination(t, e, ana, thirdPartyDetails("lee"))
	otherPage := "/nominations/" + strconv.FormatInt(other, 10) + "/endorsements"
	nom := e.signedInClient(t, ana)
	if r := nom.get(otherPage); r.status != 200 || strings.Contains(r.body, "Open the endorsement page") || !strings.Contains(r.body, "has passed") {
		t.Fatalf("nominator page after the deadline: %d\n%s", r.status, r.body)
	}
	if r := nom.post(otherPage, url.Values{}); r.status != 409 {
		t.Fatalf("opening after the deadline: %d", r.status)
	}

	// A withdrawn nomination accepts no endorsement, even before the deadline.
	clock.now = fixedNow
	dbtest.Exec(t, e.pool, `UPDATE applications SET status = 'withdrawn' WHERE id = $1`, id)
	if r := c.get(public); r.status != 410 || !strings.Contains(r.body, "withdrawn") {
		t.Fatalf("withdrawn: %d\n%s", r.status, r.body)
	}
}

// TestEndorsementThrottle: one network can sign only so often (429 with what was typed kept),
// and one address receives at most a few emails from a page, without the page telling.
func TestEndorsementThrottle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	_, _, public := openEndorsements(t, e)
	c := e.client(t)
	for i := range 4 {
		if r := c.post(public, enSignature("Same Person", "same@example.org")); r.status != 200 || !strings.Contains(r.body, "Check your email") {
			t.Fatalf("signature %d: %d", i, r.status)
		}
	}
	var mails int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM email_outbox WHERE to_address = 'same@example.org'`).Scan(&mails)
	if mails != 3 {
		t.Fatalf("%d emails to one address, want 3", mails)
	}
	for i := 4; i < 20; i++ {
		if r := c.post(public, enSignature("Bot", fmt.Sprintf("bot%d@example.org", i))); r.status != 200 {
			t.Fatalf("signature %d: %d", i, r.status)
		}
	}
	r := c.post(public, enSignature("Patient Person", "patient@example.org"))
	if r.status != 429 || !strings.Contains(r.body, "Too many endorsements came from your network") || !strings.Contains(r.body, `value="Patient Person"`) {
		t.Fatalf("21st signature from one network: %d\n%s", r.status, r.body)
	}
	var rows int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM endorsements WHERE email_norm = 'patient@example.org'`).Scan(&rows)
	if rows != 0 {
		t.Fatal("a throttled signature was stored")
	}
}

// TestEndorsementThrottleHoldsInParallel: signatures sent at once from one network share the
// network's allowance (20 an hour) instead of each seeing it unused.
func TestEndorsementThrottleHoldsInParallel(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	_, _, public := openEndorsements(t, e)
	const n = 30
	forms := make([]url.Values, n)
	for i := range forms {
		forms[i] = enSignature("Bot", fmt.Sprintf("par%d@example.org", i))
	}
	statuses := parallel(t, e, public, forms)
	var ok, limited int
	for i, s := range statuses {
		switch s {
		case 200:
			ok++
		case 429:
			limited++
		default:
			t.Errorf("signature %d: status %d", i, s)
		}
	}
	var rows int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM endorsements WHERE email_norm LIKE 'par%'`).Scan(&rows)
	if ok != 20 || limited != 10 || rows != 20 {
		t.Fatalf("%d accepted, %d refused, %d stored; want 20, 10 and 20", ok, limited, rows)
	}
}
