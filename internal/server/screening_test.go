package server_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/screening"
)

// submittedEntry creates an applicant of Tech-InnovaCity with a complete, submitted application
// and returns the application's id.
func submittedEntry(t *testing.T, e *env, login string) int64 {
	t.Helper()
	id := applicantUser(t, e, login, true)
	answers := completeAnswers(t, e)
	answers["project_title"] = form.Answer{Text: "Project " + login}
	saveAnswers(t, e, id, answers)
	a := storedApplication(t, e, id)
	if _, err := application.Submit(context.Background(), e.pool, a, a.Version, answers, fixedNow); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// confirmedChecks is a posted checklist of a Tech-InnovaCity entry with every item confirmed,
// with more values.
func confirmedChecks(more url.Values) url.Values {
	for _, k := range []string{"entity_type", "complete", "english", "documents", "not_barred", "not_duplicate"} {
		more.Set("check."+k, "yes")
	}
	return more
}

func TestScreeningDecisionsAndClosing(t *testing.T) {
	t.Parallel()
	clock := &testClock{now: fixedNow} // 10 May 2023, before the application deadline
	e := newEnvWithClock(t, clock)
	ids := []int64{submittedEntry(t, e, "kim"), submittedEntry(t, e, "lee"), submittedEntry(t, e, "park")}
	sec := matrixUser(t, e, "sec", "secretariat")
	c := e.signedInClient(t, sec)

	q := c.get("/secretariat/screening")
	if q.status != 200 || !strings.Contains(q.body, "Project kim") || !strings.Contains(q.body, "Not decided") {
		t.Fatalf("queue: %d\n%s", q.status, q.body)
	}
	if r := c.get("/secretariat/screening?status=eligible"); !strings.Contains(r.body, "No entry matches") {
		t.Fatal("status filter")
	}
	href := "/secretariat/screening/" + strconv.FormatInt(ids[0], 10)
	page := c.get(href)
	for _, want := range []string{"Project kim", "Passed: registered as City", "Passed: every required answer is given", "Written in English", "Save the decision",
		// the items the portal checks start with its answer; the others are not checked yet
		`name="check.entity_type" value="yes" checked`, `name="check.not_barred" value="yes" checked`, `name="check.english" value="" checked`,
		"Round 1: screening by the secretariat. Open: decisions from submission; the window runs 1–30 June 2023."} {
		if !strings.Contains(page.body, want) {
			t.Errorf("screening view lacks %q", want)
		}
	}
	// Eligible needs every item answered: the error is next to the item, and what was typed stays.
	r0 := c.post(href+"/decision", url.Values{"decision": {"eligible"}, "check.entity_type": {"yes"}, "reason_text": {"Kept note"}})
	if r0.status != 422 || !strings.Contains(r0.body, "a decision of Eligible needs every item of the checklist answered") ||
		!strings.Contains(r0.body, "Kept note") || !strings.Contains(r0.body, `name="check.entity_type" value="yes" checked`) {
		t.Fatalf("eligible with the checklist unanswered: %d\n%s", r0.status, r0.body)
	}
	// An answer that differs from the portal's needs a note.
	differs := confirmedChecks(url.Values{"decision": {"ineligible"}, "reason": {"entity_type"}})
	differs.Set("check.entity_type", "no")
	if r := c.post(href+"/decision", differs); r.status != 422 ||
		!strings.Contains(r.body, "Say why your answer differs from the portal") {
		t.Fatalf("differing from the portal without a note: %d", r.status)
	}
	// Ineligible needs a reason; "other" needs the explanation.
	r := c.post(href+"/decision", url.Values{"decision": {"ineligible"}})
	if r.status != 422 || !strings.Contains(r.body, "Choose the reason why the entry is ineligible") {
		t.Fatalf("ineligible without reason: %d", r.status)
	}
	r = c.post(href+"/decision", url.Values{"decision": {"ineligible"}, "reason": {"other"}, "check.english": {"no"}})
	if r.status != 422 || !strings.Contains(r.body, "Explain the other reason") {
		t.Fatalf("other without text: %d", r.status)
	}
	if r := c.post(href+"/decision", url.Values{"decision": {"ineligible"}, "reason": {"english"}, "reason_text": {"Internal: written in Korean only"},
		"check.english": {"no"}}); r.status != 303 {
		t.Fatalf("decide: %d\n%s", r.status, r.body)
	}
	// A change needs a reason.
	r = c.post(href+"/decision", url.Values{"decision": {"eligible"}})
	if r.status != 422 || !strings.Contains(r.body, "Say why the decision changes") {
		t.Fatalf("revision without reason: %d", r.status)
	}
	if r := c.post(href+"/decision", confirmedChecks(url.Values{"decision": {"eligible"}, "revision_reason": {"An English version was sent."}, "ask_review": {"yes"}})); r.status != 303 {
		t.Fatalf("revise: %d", r.status)
	}
	// Only another member gives the second opinion.
	c.post(href+"/review", url.Values{"outcome": {"agree"}})
	rec, _ := screening.DecisionOf(context.Background(), e.pool, ids[0])
	if rec.ReviewedAt != nil || rec.Revision != 2 {
		t.Fatalf("own second opinion recorded: %+v", rec)
	}
	other := e.signedInClient(t, matrixUser(t, e, "sec2", "secretariat"))
	if r := other.get(href); !strings.Contains(r.body, "I agree with the decision") {
		t.Fatal("second member cannot give the opinion")
	}
	other.post(href+"/review", url.Values{"outcome": {"agree"}, "review_note": {"Fine."}})
	if rec, _ = screening.DecisionOf(context.Background(), e.pool, ids[0]); rec.ReviewOutcome != "agree" {
		t.Fatalf("second opinion: %+v", rec)
	}
	hist := c.get(href + "/history")
	if hist.status != 200 || strings.Count(hist.body, "screening.decide") != 2 || !strings.Contains(hist.body, "screening.review") ||
		!strings.Contains(hist.body, "revision_reason: An English version was sent.") {
		t.Fatalf("history:\n%s", hist.body)
	}

	// The round cannot close with undecided entries, nor before the deadlines: the page says
	// what is still open.
	r = c.post("/secretariat/screening/round/close", url.Values{"reason": {"Early"}})
	if r.status != 409 || !strings.Contains(r.body, "cannot close yet") || !strings.Contains(r.body, "applications are accepted until 31 May 2023, 23:59 KST") ||
		!strings.Contains(r.body, "2 entries have no decision") {
		t.Fatalf("close with undecided: %d\n%s", r.status, r.body)
	}
	// Bulk: the two others; the decided one is left alone.
	form := url.Values{"ids": {strconv.FormatInt(ids[0], 10), strconv.FormatInt(ids[1], 10)}, "action": {"ineligible"}, "reason": {"english"}}
	if r := c.post("/secretariat/screening/bulk", form); r.status != 303 {
		t.Fatalf("bulk: %d\n%s", r.status, r.body)
	}
	if r := c.post("/secretariat/screening/bulk", url.Values{"ids": {strconv.FormatInt(ids[2], 10)}, "action": {"eligible"}}); r.status != 303 {
		t.Fatalf("bulk eligible: %d", r.status)
	}
	if rec, _ := screening.DecisionOf(context.Background(), e.pool, ids[0]); rec.Decision != screening.Eligible {
		t.Fatalf("bulk overwrote a final decision: %s", rec.Decision)
	}
	if r := c.post("/secretariat/screening/round/close", nil); r.status != 409 || !strings.Contains(r.body, "It can close from 7 June 2023, 23:59 KST") {
		t.Fatalf("close before the deadlines: %d\n%s", r.status, r.body)
	}
	clock.Advance(31 * 24 * time.Hour) // 10 June 2023: the deadlines have passed; the window runs until 30 June
	if r := c.get("/secretariat/screening/round"); !strings.Contains(r.body, "Open until 30 June 2023, 23:59 KST") {
		t.Fatalf("round page without the phase:\n%s", r.body)
	}
	if r := c.post("/secretariat/screening/round/close", nil); r.status != 422 || !strings.Contains(r.body, "Say why round 1 closes before the end of its window") {
		t.Fatalf("early close without a reason: %d\n%s", r.status, r.body)
	}
	if r := c.post("/secretariat/screening/round/close", url.Values{"reason": {"Every entry is decided."}}); r.status != 303 {
		t.Fatalf("close: %d\n%s", r.status, r.body)
	}
	// Outcome emails are tied to the end of the screening window (30 June 2023, KST).
	rows, err := e.pool.Query(context.Background(), `SELECT o.to_address, o.text_body, e.screening_end FROM email_outbox o JOIN editions e ON e.id = o.edition_id AND o.milestone = 'screening_end' WHERE o.kind = 'screening-outcome' ORDER BY o.to_address`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var n int
	for rows.Next() {
		var to, text string
		var after *time.Time
		rows.Scan(&to, &text, &after)
		n++
		if after == nil || !after.Equal(time.Date(2023, 6, 30, 15, 0, 0, 0, time.UTC)) {
			t.Errorf("email to %s scheduled for %v", to, after)
		}
		if strings.Contains(text, "Internal:") {
			t.Errorf("the secretariat's notes leaked into the email to %s", to)
		}
		if to == "lee@example.org" && !strings.Contains(text, "not eligible") {
			t.Errorf("lee's outcome:\n%s", text)
		}
	}
	if n != 3 {
		t.Fatalf("%d outcome emails, want 3", n)
	}
	if r := c.post(href+"/decision", url.Values{"decision": {"ineligible"}, "reason": {"english"}, "revision_reason": {"x"}}); r.status != 409 {
		t.Fatalf("decide after closing: %d", r.status)
	}
	// Applicants see none of it: no screening route, and their pages carry no notes.
	var kim int64
	e.pool.QueryRow(context.Background(), `SELECT id FROM users WHERE login_id = 'kim'`).Scan(&kim)
	app := e.signedInClient(t, kim)
	if r := app.get(href); r.status != 403 {
		t.Fatalf("applicant on the screening view: %d", r.status)
	}
	if r := app.get("/application/status"); strings.Contains(r.body, "Internal:") || strings.Contains(r.body, "An English version") {
		t.Fatal("screening notes on the applicant's status page")
	}
}

// TestScreeningOutcomeOnStatusPage: once the round is closed, the applicant's timeline shows
// the outcome from the end of the screening window on, not before.
func TestScreeningOutcomeOnStatusPage(t *testing.T) {
	t.Parallel()
	clock := &testClock{now: time.Date(2023, 6, 10, 0, 0, 0, 0, time.UTC)}
	e := newEnvWithClock(t, clock)
	id := submittedEntry(t, e, "kim")
	sec := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
	if r := sec.post("/secretariat/screening/"+strconv.FormatInt(id, 10)+"/decision", confirmedChecks(url.Values{"decision": {"eligible"}})); r.status != 303 {
		t.Fatalf("decide: %d", r.status)
	}
	if r := sec.post("/secretariat/screening/round/close", url.Values{"reason": {"All decided."}}); r.status != 303 {
		t.Fatalf("close: %d %s", r.status, r.body)
	}
	var kim int64
	e.pool.QueryRow(context.Background(), `SELECT id FROM users WHERE login_id = 'kim'`).Scan(&kim)
	app := e.signedInClient(t, kim)
	if r := app.get("/application/status"); !strings.Contains(r.body, "Eligible or not eligible") {
		t.Fatalf("outcome shown before its announcement:\n%s", r.body)
	}
	clock.Advance(21 * 24 * time.Hour) // 1 July 2023
	if r := app.get("/application/status"); strings.Contains(r.body, "Eligible or not eligible") || !strings.Contains(r.body, "Eligible") {
		t.Fatalf("outcome not shown after its announcement:\n%s", r.body)
	}
}

// submitNomination marks nomination id submitted, as version 1, for the screening tests.
func submitNomination(t *testing.T, e *env, id int64) {
	t.Helper()
	dbtest.Exec(t, e.pool, `UPDATE applications SET status = 'submitted', submitted_version = version, submitted_at = $2 WHERE id = $1`, id, fixedNow)
	dbtest.Exec(t, e.pool, `INSERT INTO application_versions (application_id, number, answers, submitted_at)
		SELECT id, version, answers, submitted_at FROM applications WHERE id = $1`, id)
}

// TestScreeningMergeRepeatNomination: on the entry page of a candidate nominated twice, the
// secretariat sees the other nomination and merges it into the entry through the form: a refused
// merge shows the error summary and keeps what was typed; after the merge the page says what
// moved and names the co-nominator, the merged nomination is no longer an entry, and its
// nominator reads where it went.
func TestScreeningMergeRepeatNomination(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ana, a := anaNominatesKim(t, e)
	ben := nominatorUser(t, e, "ben", true)
	b := newNomination(t, e, ben, thirdPartyDetails("kim"))
	submitNomination(t, e, a)
	submitNomination(t, e, b)
	dbtest.Exec(t, e.pool, `INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at, confirmed_at)
		SELECT $1, 'E' || i, 'Seoul', 'KR', 'e' || i || '@example.org', 'e' || i || '@example.org', $2, $2 FROM generate_series(1, 3) i`, b, fixedNow)
	staff := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
	href, bs := "/secretariat/screening/"+strconv.FormatInt(a, 10), strconv.FormatInt(b, 10)

	page := staff.get(href)
	for _, want := range []string{"Other nominations of the same candidate", "Nomination " + bs + " of Candidate kim by Nominator ben (same email address)",
		"No decision yet", "Merge into this entry", `name="merge_from" value="` + bs + `"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("entry page lacks %q", want)
		}
	}
	r := staff.post(href+"/merge", url.Values{"merge_from": {bs}, "merge_reason": {"Kept as typed"}})
	if r.status != 422 || !strings.Contains(r.body, "error-summary") || !strings.Contains(r.body, "Confirm the merge: it cannot be undone.") ||
		!strings.Contains(r.body, "Kept as typed") || !strings.Contains(r.body, `value="`+bs+`" checked`) {
		t.Fatalf("merge without confirming: %d\n%s", r.status, r.body)
	}
	if r := staff.post(href+"/merge", url.Values{"merge_from": {strconv.FormatInt(a, 10)}, "merge_reason": {"x"}, "merge_confirm": {"yes"}}); r.status != 422 ||
		!strings.Contains(r.body, "cannot be merged into itself") {
		t.Fatalf("merge into itself: %d", r.status)
	}
	if r := staff.post(href+"/merge", url.Values{"merge_from": {bs}, "merge_reason": {"Ben nominated Kim too."}, "merge_confirm": {"yes"}}); r.status != 303 {
		t.Fatalf("merge: %d\n%s", r.status, r.body)
	}
	page = staff.get(href)
	for _, want := range []string{"Nomination " + bs + " was merged into this entry: 0 letters of recommendation and 3 citizen endorsements moved here",
		"Nominator ben is now a co-nominator", "Co-nominators", "Nominator ben &lt;ben@example.org&gt; (nomination " + bs + ", merged here)"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("entry page after the merge lacks %q", want)
		}
	}
	if strings.Contains(page.body, "Other nominations of the same candidate") {
		t.Error("the merged nomination is still offered")
	}
	if r := staff.get("/secretariat/screening/" + bs); r.status != 404 {
		t.Fatalf("the merged nomination's entry page: %d", r.status)
	}
	if r := e.signedInClient(t, ben).get("/nominations/" + bs); r.status != 200 ||
		!strings.Contains(r.body, "The secretariat merged this nomination into nomination "+strconv.FormatInt(a, 10)) {
		t.Fatalf("ben's page: %d\n%s", r.status, r.body)
	}
	if r := e.signedInClient(t, ana).get("/nominations/" + strconv.FormatInt(a, 10)); r.status != 200 {
		t.Fatalf("ana's page: %d", r.status)
	}
}
