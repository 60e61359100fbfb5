package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// nomHome is the nominator's page of nomination id.
func nomHome(id int64) string { return "/nominations/" + strconv.FormatInt(id, 10) }

// outboxTo counts the outbox emails of kind to addr.
func outboxTo(t *testing.T, e *env, addr, kind string) int {
	t.Helper()
	return ltCount(t, e, addr, kind)
}

// TestConsentResendLimited: the candidate is asked at most a few times a day; further requests
// are refused with a clear message and send nothing.
func TestConsentResendLimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ana, id := anaNominatesKim(t, e)
	c := e.signedInClient(t, ana)
	for i := range 3 {
		if r := c.post(nomHome(id)+"/consent", nil); r.status != 303 {
			t.Fatalf("request %d: %d", i+1, r.status)
		}
		if r := c.get(nomHome(id)); !strings.Contains(r.body, "We have emailed Candidate kim") {
			t.Fatalf("request %d not confirmed:\n%s", i+1, r.body)
		}
	}
	r := c.post(nomHome(id)+"/consent", nil)
	if r.status != 303 && r.status != 429 {
		t.Fatalf("fourth request: %d", r.status)
	}
	page := c.get(nomHome(id))
	if !strings.Contains(page.body, "kim@city.example has been emailed 3 times in the last 24 hours") {
		t.Fatalf("fourth request not explained:\n%s", page.body)
	}
	if n := outboxTo(t, e, "kim@city.example", "nomination-consent"); n != 3 {
		t.Fatalf("%d consent emails, want 3", n)
	}
}

// TestLetterInvitationsLimited: per nomination and day, per recipient across nominations, and
// per account and day; a refused invitation keeps what was typed.
func TestLetterInvitationsLimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ana, id := anaNominatesKim(t, e)
	c := e.signedInClient(t, ana)
	page := nomHome(id) + "/letter"
	for i := range 4 {
		if r := c.post(page, ltInvite("Recommender", fmt.Sprintf("r%d@wego.example", i), "WeGO")); r.status != 303 {
			t.Fatalf("invitation %d: %d\n%s", i+1, r.status, r.body)
		}
	}
	r := c.post(page, ltInvite("Fifth Recommender", "r5@wego.example", "WeGO"))
	if r.status != 429 || !strings.Contains(r.body, "This nomination has sent 4 emails in the last 24 hours") ||
		!strings.Contains(r.body, `value="Fifth Recommender"`) || !strings.Contains(r.body, `value="r5@wego.example"`) {
		t.Fatalf("fifth invitation of the day: %d\n%s", r.status, r.body)
	}
	if n := outboxTo(t, e, "r5@wego.example", "recommendation-letter-invite"); n != 0 {
		t.Fatalf("the refused invitation was sent")
	}
	if r := c.post(page+"/resend", nil); r.status != 303 || outboxTo(t, e, "r3@wego.example", "recommendation-letter-invite") != 1 {
		t.Fatalf("resend past the limit: %d", r.status)
	}

	// One recipient, invited from several nominations: at most 3 a day.
	for i := range 3 {
		nid := newNomination(t, e, ana, thirdPartyDetails(fmt.Sprintf("cand%d", i)))
		if r := c.post(nomHome(nid)+"/letter", ltInvite("Mayor Oh", "Oh@Seoul.example", "Seoul")); r.status != 303 {
			t.Fatalf("invitation of the shared recommender %d: %d\n%s", i+1, r.status, r.body)
		}
	}
	nid := newNomination(t, e, ana, thirdPartyDetails("cand4"))
	r = c.post(nomHome(nid)+"/letter", ltInvite("Mayor Oh", "oh@seoul.example", "Seoul"))
	if r.status != 429 || !strings.Contains(r.body, "oh@seoul.example has been emailed 3 times in the last 24 hours") {
		t.Fatalf("fourth invitation of one recipient: %d\n%s", r.status, r.body)
	}

	// One account: at most 10 emails a day across its nominations (4 + 3 sent so far).
	for i := range 3 {
		if r := c.post(nomHome(nid)+"/letter", ltInvite("Another", fmt.Sprintf("x%d@un.example", i), "UN")); r.status != 303 {
			t.Fatalf("invitation %d of the account: %d\n%s", 8+i, r.status, r.body)
		}
	}
	other := newNomination(t, e, ana, thirdPartyDetails("cand5"))
	r = c.post(nomHome(other)+"/letter", ltInvite("Eleventh", "x11@un.example", "UN"))
	if r.status != 429 || !strings.Contains(r.body, "You have sent 10 emails through the portal in the last 24 hours") {
		t.Fatalf("eleventh email of the account: %d\n%s", r.status, r.body)
	}
}

// TestConsentParallelRequestsLimited: simultaneous requests do not get past the limit.
func TestConsentParallelRequestsLimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ana, id := anaNominatesKim(t, e)
	const n = 10
	tabs := make([]*client, n)
	for i := range tabs {
		tabs[i] = e.signedInClient(t, ana)
	}
	var statuses []int
	for _, r := range atOnce(tabs, nomHome(id)+"/consent", nil) {
		statuses = append(statuses, r.status)
	}
	for _, s := range statuses {
		if s >= 500 {
			t.Fatalf("statuses %v: a server error", statuses)
		}
	}
	if got := outboxTo(t, e, "kim@city.example", "nomination-consent"); got != 3 {
		t.Fatalf("%d consent emails after %d simultaneous requests, want 3", got, n)
	}
}

// TestConsentAfterDeclineOnlySecretariat: once the candidate declined, the nominator cannot ask
// again (not even after changing the address and back); the secretariat can, audited.
func TestConsentAfterDeclineOnlySecretariat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ana, id := anaNominatesKim(t, e)
	c := e.signedInClient(t, ana)
	if r := c.post(nomHome(id)+"/consent", nil); r.status != 303 {
		t.Fatalf("ask: %d", r.status)
	}
	link := e.lastLink(t, "kim@city.example", "nomination-consent")
	if r := e.client(t).post(link, url.Values{"decision": {"decline"}}); r.status != 200 {
		t.Fatalf("decline: %d\n%s", r.status, r.body)
	}
	c.post(nomHome(id)+"/consent", nil)
	if r := c.get(nomHome(id)); !strings.Contains(r.body, "The candidate declined the nomination, so you cannot ask them again") {
		t.Fatalf("ask after decline not refused clearly:\n%s", r.body)
	}
	// Changing the address and back does not reopen the question.
	d := thirdPartyDetails("kim")
	d.CandidateEmail = "kim2@city.example"
	if r := c.post(nomHome(id)+"/details", detailsForm(d)); r.status != 303 {
		t.Fatalf("change address: %d\n%s", r.status, r.body)
	}
	if r := c.post(nomHome(id)+"/details", detailsForm(thirdPartyDetails("kim"))); r.status != 303 {
		t.Fatalf("change address back: %d\n%s", r.status, r.body)
	}
	c.post(nomHome(id)+"/consent", nil)
	if n := outboxTo(t, e, "kim@city.example", "nomination-consent") + outboxTo(t, e, "kim2@city.example", "nomination-consent"); n != 1 {
		t.Fatalf("%d consent emails, want only the first", n)
	}
	// A new nomination of the same candidate by the same nominator is asking again too.
	again := newNomination(t, e, ana, thirdPartyDetails("kim"))
	c.post(nomHome(again)+"/consent", nil)
	if n := outboxTo(t, e, "kim@city.example", "nomination-consent"); n != 1 {
		t.Fatalf("a second nomination of the candidate who declined asked them again")
	}

	// The secretariat asks again.
	staff := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
	href := "/secretariat/nominations/" + strconv.FormatInt(id, 10)
	if p := staff.get(href); !strings.Contains(p.body, "Ask the candidate again") {
		t.Fatalf("the staff page offers no way to ask again:\n%s", p.body)
	}
	if r := e.signedInClient(t, ana).post(href+"/consent", nil); r.status != 403 && r.status != 404 {
		t.Fatalf("the nominator on the staff action: %d", r.status)
	}
	if r := staff.post(href+"/consent", nil); r.status != 303 {
		t.Fatalf("secretariat asks again: %d\n%s", r.status, r.body)
	}
	if n := outboxTo(t, e, "kim@city.example", "nomination-consent"); n != 2 {
		t.Fatalf("%d consent emails after the secretariat asked, want 2", n)
	}
	var audits int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'nomination.consent_reask'`).Scan(&audits)
	if audits != 1 {
		t.Fatalf("%d audit entries for asking again", audits)
	}
	// The candidate can answer the new request.
	if r := e.client(t).post(e.lastLink(t, "kim@city.example", "nomination-consent"), consentAnswer(thirdPartyDetails("kim"), "consent")); r.status != 200 {
		t.Fatalf("consent after the secretariat asked: %d\n%s", r.status, r.body)
	}
}

// TestSenderTextWithoutLinks: names and organisations that go into emails to other people are
// plain: no web or email addresses.
func TestSenderTextWithoutLinks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ana, id := anaNominatesKim(t, e)
	c := e.signedInClient(t, ana)
	r := c.post(nomHome(id)+"/letter", ltInvite("Claim your prize at https://evil.example", "r@wego.example", "WeGO"))
	if r.status != 422 || !strings.Contains(r.body, "without a web or email address") || !strings.Contains(r.body, "f-name-error") {
		t.Fatalf("a link in the recommender's name: %d\n%s", r.status, r.body)
	}
	r = c.post(nomHome(id)+"/letter", ltInvite("Park", "r@wego.example", "Visit www.win-now.example"))
	if r.status != 422 || !strings.Contains(r.body, "f-organisation-error") {
		t.Fatalf("a link in the organisation: %d\n%s", r.status, r.body)
	}
	bad := detailsForm(thirdPartyDetails("kim"))
	bad.Set("candidate_name", "Kim (reply to prize@evil.example)")
	r = c.post("/nominations/new", bad)
	if r.status != 422 || !strings.Contains(r.body, "without a web or email address") || !strings.Contains(r.body, `value="Kim (reply to prize@evil.example)"`) {
		t.Fatalf("an address in the candidate's name: %d\n%s", r.status, r.body)
	}
	if n := outboxTo(t, e, "r@wego.example", "recommendation-letter-invite"); n != 0 {
		t.Fatal("a refused invitation was sent")
	}
}
