package server_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/application"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/nomination"
)

// nominatorUser creates a nominator registered for the Leadership category of seoul-2023, who
// lives in Paris, France (their candidates mostly do not).
func nominatorUser(t *testing.T, e *env, login string, verified bool) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := e.pool.QueryRow(ctx, `
		INSERT INTO users (login_id, email, name, password_hash, edition_id, category_id, entity_type, organisation, email_verified_at,
		                   city, country)
		SELECT $1, $1 || '@example.org', 'Nominator ' || $1, 'x', ed.id, c.id, 'individual', 'WeGO', CASE WHEN $2 THEN now() END,
		       'Paris', 'FR' 
		FROM editions ed JOIN categories c ON c.edition_id = ed.id
		WHERE ed.slug = 'seoul-2023' AND c.key = 'leadership' RETURNING id`, login, verified).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, e.pool, `INSERT INTO role_grants (user_id, role, edition_id) SELECT $1, 'nominator', edition_id FROM users WHERE id = $1`, id)
	return id
}

// thirdPartyDetails nominates candidate (a login-like name) of Seoul Metropolitan Government.
func thirdPartyDetails(candidate string) nomination.Details {
	return nomination.Details{NominatorCategory: "smart-city-professional", NominatorOrganisation: "WeGO",
		CandidateName: "Candidate " + candidate, CandidateEmail: candidate + "@city.example",
		CandidateOrganisation: "Seoul Metropolitan Government", CandidatePosition: "Chief Digital Officer",
		CandidateCity: "Seoul", CandidateCountry: "KR"}
}

// consentAnswer is the consent form of the candidate of d answering decision, their facts as d
// declares them.
func consentAnswer(d nomination.Details, decision string) url.Values {
	return url.Values{"decision": {decision}, "candidate_name": {d.CandidateName}, "candidate_email": {d.CandidateEmail},
		"candidate_organisation": {d.CandidateOrganisation}, "candidate_position": {d.CandidatePosition},
		"candidate_city": {d.CandidateCity}, "candidate_country": {d.CandidateCountry}}
}

// anaNominatesKim creates Ana, a nominator with a verified email, and her third-party nomination
// of Candidate kim, and returns their ids.
func anaNominatesKim(t *testing.T, e *env) (ana, id int64) {
	t.Helper()
	ana = nominatorUser(t, e, "ana", true)
	return ana, newNomination(t, e, ana, thirdPartyDetails("kim"))
}

// newNomination stores a nomination of owner's and returns its id.
func newNomination(t *testing.T, e *env, owner int64, d nomination.Details) int64 {
	t.Helper()
	ctx := context.Background()
	ed := e.edition(t, "seoul-2023")
	cat, _ := ed.Category("leadership")
	var id int64
	err := db.InTx(ctx, e.pool, func(tx pgx.Tx) error {
		var err error
		id, err = nomination.Create(ctx, tx, owner, ed.ID, cat.ID, d, fixedNow)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// fillNomination stores complete answers to the Leadership Application Form of nomination id.
func fillNomination(t *testing.T, e *env, owner, id int64) {
	t.Helper()
	a, err := application.LoadEntry(context.Background(), e.pool, owner, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := application.Save(context.Background(), e.pool, a, a.Version, completeAnswersFor(t, e, "leadership"), fixedNow); err != nil {
		t.Fatal(err)
	}
}

func detailsForm(d nomination.Details) url.Values {
	v := url.Values{"self": {"third"}, "nominator_category": {d.NominatorCategory}, "nominator_organisation": {d.NominatorOrganisation},
		"candidate_name": {d.CandidateName}, "candidate_email": {d.CandidateEmail}, "candidate_organisation": {d.CandidateOrganisation},
		"candidate_position": {d.CandidatePosition}, "candidate_city": {d.CandidateCity},
		"candidate_country": {d.CandidateCountry}, "candidate_is_head": {"no"}}
	if d.Self {
		v.Set("self", "self")
	}
	if d.CandidateIsHead {
		v.Set("candidate_is_head", "yes")
	}
	return v
}

func TestNominationCreateAndSelfRule(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ana := nominatorUser(t, e, "ana", true)
	c := e.signedInClient(t, ana)

	if r := c.get("/nominations"); r.status != 200 || !strings.Contains(r.body, "You have not made a nomination yet") {
		t.Fatalf("empty list: %d", r.status)
	}
	if r := c.get("/nominations/new"); r.status != 200 || !strings.Contains(r.body, "Mayor or head of city offices") {
		t.Fatalf("new page: %d", r.status)
	}
	// Missing facts are explained next to their fields; nothing typed is lost.
	bad := detailsForm(thirdPartyDetails("kim"))
	bad.Set("nominator_category", "")
	bad.Set("candidate_email", "not-an-address")
	r := c.post("/nominations/new", bad)
	if r.status != 422 || !strings.Contains(r.body, "Choose the category of nominators you belong to") ||
		!strings.Contains(r.body, "Enter an email address like") || !strings.Contains(r.body, `value="Candidate kim"`) {
		t.Fatalf("invalid nomination: %d\n%s", r.status, r.body)
	}
	r = c.post("/nominations/new", detailsForm(thirdPartyDetails("kim")))
	if r.status != 303 || !strings.HasPrefix(r.location, "/nominations/") {
		t.Fatalf("create: %d %s", r.status, r.location)
	}
	home := r.location
	if r := c.get(home); r.status != 200 || !strings.Contains(r.body, "Nomination of Candidate kim") ||
		!strings.Contains(r.body, "Ask the candidate for consent") || !strings.Contains(r.body, "The nomination is not complete yet") {
		t.Fatalf("overview: %d\n%s", r.status, r.body)
	}
	// Any number of third-party nominations; one self-nomination.
	if r := c.post("/nominations/new", detailsForm(thirdPartyDetails("lee"))); r.status != 303 {
		t.Fatalf("second third-party nomination: %d", r.status)
	}
	self := nomination.Details{Self: true, CandidateOrganisation: "Open City Lab", CandidatePosition: "Founder"}
	if r := c.post("/nominations/new", detailsForm(self)); r.status != 303 {
		t.Fatalf("self-nomination: %d %s", r.status, r.body)
	}
	r = c.post("/nominations/new", detailsForm(self))
	if r.status != 409 || !strings.Contains(r.body, "You have already nominated yourself") {
		t.Fatalf("second self-nomination: %d", r.status)
	}
	list := c.get("/nominations")
	for _, want := range []string{"Candidate kim", "Candidate lee", "Nominator ana", "Self-nomination"} {
		if !strings.Contains(list.body, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	// Another nominator sees none of them.
	ben := e.signedInClient(t, nominatorUser(t, e, "ben", true))
	if r := ben.get(home); r.status != 404 {
		t.Fatalf("another nominator's nomination: %d", r.status)
	}
	if r := ben.post(home+"/details", detailsForm(thirdPartyDetails("x"))); r.status != 404 {
		t.Fatalf("another nominator's details: %d", r.status)
	}
}

func TestNominationConsent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ana, id := anaNominatesKim(t, e)
	fillNomination(t, e, ana, id)
	home := "/nominations/" + strconv.FormatInt(id, 10)
	c := e.signedInClient(t, ana)

	// Not submitted without consent.
	a, _ := application.LoadEntry(context.Background(), e.pool, ana, id)
	r := c.post(home+"/submit", url.Values{"version": {strconv.Itoa(a.Version)}})
	if r.status != 422 || !strings.Contains(r.body, "the candidate has not consented yet") {
		t.Fatalf("submit without consent: %d\n%s", r.status, r.body)
	}
	if r := c.post(home+"/consent", nil); r.status != 303 {
		t.Fatalf("ask consent: %d", r.status)
	}
	first := e.lastLink(t, "kim@city.example", "nomination-consent")
	if r := c.post(home+"/consent", nil); r.status != 303 {
		t.Fatalf("ask again: %d", r.status)
	}
	link := e.lastLink(t, "kim@city.example", "nomination-consent")
	if link == first || len(strings.TrimPrefix(link, "/consent/")) < 26 {
		t.Fatalf("consent links %q, %q", first, link)
	}
	anon := e.client(t)
	if r := anon.get(first); r.status != 410 || !strings.Contains(r.body, "already been used") {
		t.Fatalf("replaced link: %d", r.status)
	}
	if r := anon.get("/consent/AAAAAAAAAAAAAAAAAAAAAAAAAA"); r.status != 404 || !strings.Contains(r.body, "This link is not valid") {
		t.Fatalf("unknown link: %d", r.status)
	}
	p := anon.get(link)
	if p.status != 200 || !strings.Contains(p.body, "Nominator ana") || !strings.Contains(p.body, "Smart bus stops") {
		t.Fatalf("consent page: %d\n%s", p.status, p.body)
	}
	if r := anon.post(link, url.Values{"decision": {"maybe"}}); r.status != 422 {
		t.Fatalf("no decision: %d", r.status)
	}
	// The candidate confirms their facts: a refused answer keeps what they typed and says why.
	answer := consentAnswer(thirdPartyDetails("kim"), "consent")
	answer.Set("note", "Happy to be nominated.")
	answer.Set("candidate_city", "")
	answer.Set("candidate_position", "Deputy Mayor")
	r = anon.post(link, answer)
	if r.status != 422 || !strings.Contains(r.body, "There is a problem") || !strings.Contains(r.body, "Enter the city where the candidate works") ||
		!strings.Contains(r.body, `value="Deputy Mayor"`) || !strings.Contains(r.body, "Happy to be nominated.") {
		t.Fatalf("consent without a city: %d\n%s", r.status, r.body)
	}
	answer.Set("candidate_city", "Busan")
	r = anon.post(link, answer)
	if r.status != 200 || !strings.Contains(r.body, "You consented to this nomination on") ||
		!strings.Contains(r.body, "Busan, Korea (South)") || !strings.Contains(r.body, "Deputy Mayor") {
		t.Fatalf("consent: %d\n%s", r.status, r.body)
	}
	if r := anon.post(link, url.Values{"decision": {"decline"}}); r.status != 409 || !strings.Contains(r.body, "You consented") {
		t.Fatalf("second answer: %d", r.status)
	}
	var kind string
	if err := e.pool.QueryRow(context.Background(), `SELECT kind FROM email_outbox WHERE to_address = 'ana@example.org' ORDER BY id DESC LIMIT 1`).Scan(&kind); err != nil || kind != "nomination-consent-answer" {
		t.Fatalf("nominator not told: %q %v", kind, err)
	}
	if r := c.get(home); !strings.Contains(r.body, "Given on 10 May 2023") {
		t.Fatalf("overview after consent lacks the consent time")
	}
	// Now it can be submitted.
	a, _ = application.LoadEntry(context.Background(), e.pool, ana, id)
	if r := c.post(home+"/submit", url.Values{"version": {strconv.Itoa(a.Version)}}); r.status != 303 {
		t.Fatalf("submit with consent: %d\n%s", r.status, r.body)
	}
	if a, _ = application.LoadEntry(context.Background(), e.pool, ana, id); a.Status != application.Submitted {
		t.Fatalf("status %s", a.Status)
	}
	// Without a letter it is incomplete: the nominator is told what is missing and by when, and
	// the secretariat sees it in the queue, marked incomplete.
	if r := c.get(home); !strings.Contains(r.body, "It is not complete yet: Invite a recommender") ||
		!strings.Contains(r.body, "Letters of recommendation and endorsements are accepted until 7 June 2023, 23:59 KST (Asia/Seoul time); a nomination still incomplete then is found ineligible") {
		t.Fatalf("the nominator's page after submitting an incomplete nomination:\n%s", r.body)
	}
	sec := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
	if r := sec.get("/secretariat/screening?category=leadership"); !strings.Contains(r.body, "Incomplete nomination") || !strings.Contains(r.body, "Not decided") {
		t.Fatalf("the queue lacks the incomplete nomination:\n%s", r.body)
	}
}

func TestNominationConsentLinkExpires(t *testing.T) {
	t.Parallel()
	clock := &testClock{now: fixedNow}
	e := newEnvWithClock(t, clock)
	ana, id := anaNominatesKim(t, e)
	c := e.signedInClient(t, ana)
	if r := c.post("/nominations/"+strconv.FormatInt(id, 10)+"/consent", nil); r.status != 303 {
		t.Fatalf("ask consent: %d", r.status)
	}
	link := e.lastLink(t, "kim@city.example", "nomination-consent")
	clock.Advance(time.Date(2023, 6, 8, 0, 0, 0, 0, time.UTC).Sub(fixedNow)) // after the letter deadline (7 June, KST)
	if r := e.client(t).get(link); r.status != 410 || !strings.Contains(r.body, "This link has expired") {
		t.Fatalf("expired link: %d", r.status)
	}
}

func TestSecretariatNominations(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ana := nominatorUser(t, e, "ana", true)
	d := thirdPartyDetails("kim")
	d.CandidateIsHead = true
	id := newNomination(t, e, ana, d)
	ctx := context.Background()
	// A received letter from the candidate's own organisation (declared with other spacing).
	dbtest.Exec(t, e.pool, `
		INSERT INTO recommendation_letters (application_id, status, invited_name, invited_email, invited_organisation, invited_at,
		                                    received_at, recommender_organisation, letter_text)
		VALUES ($1, 'received', 'Lee', 'lee@city.example', 'Seoul Metropolitan Govt', now(), now(), 'seoul metropolitan  government', 'A fine candidate.')`, id)
	staff := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
	list := staff.get("/secretariat/nominations")
	if list.status != 200 || !strings.Contains(list.body, "Candidate kim") || !strings.Contains(list.body, "same organisation as the candidate") {
		t.Fatalf("list: %d\n%s", list.status, list.body)
	}
	href := "/secretariat/nominations/" + strconv.FormatInt(id, 10)
	page := staff.get(href)
	if page.status != 200 || !strings.Contains(page.body, "must come from someone at a different organisation") {
		t.Fatalf("detail: %d\n%s", page.status, page.body)
	}
	if r := staff.post(href+"/override", url.Values{"reason": {"  "}}); r.status != 422 || !strings.Contains(r.body, "Give the reason") {
		t.Fatalf("override without reason: %d", r.status)
	}
	if r := staff.post(href+"/override", url.Values{"reason": {"The recommender chairs the independent city council."}}); r.status != 303 {
		t.Fatalf("override: %d", r.status)
	}
	page = staff.get(href)
	if !strings.Contains(page.body, "The recommender chairs the independent city council.") || strings.Contains(page.body, "must come from someone at a different organisation") {
		t.Fatalf("after override:\n%s", page.body)
	}
	var n int
	e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'nomination.override'`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d override audit entries", n)
	}
	// The nominator's page never shows the letter text.
	if r := e.signedInClient(t, ana).get("/nominations/" + strconv.FormatInt(id, 10)); r.status != 200 || strings.Contains(r.body, "A fine candidate.") {
		t.Fatalf("nominator overview: %d", r.status)
	}
}
