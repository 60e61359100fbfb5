package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/application"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/screening"
)

// roundOneNow is in round 1 of seoul-2023: applications closed on 31 May, screening in June.
var roundOneNow = time.Date(2023, 6, 5, 3, 0, 0, 0, time.UTC)

// screeningNote is a secretariat note no applicant page may ever show.
const screeningNote = "Internal note: the budget looks inflated"

// clarEnv is a portal in round 1 with a movable clock, a secretariat member and an applicant
// with a submitted Tech-InnovaCity application.
type clarEnv struct {
	*env
	clock     *testClock
	ed        *edition.Edition
	sec       int64
	kim       int64
	app       int64
	secClient *client
	kimClient *client
}

// submittedApplicant creates an applicant with a complete, submitted application and returns
// the user's and the application's ids.
func submittedApplicant(t *testing.T, e *env, login string) (int64, int64) {
	t.Helper()
	id := applicantUser(t, e, login, true)
	saveAnswers(t, e, id, completeAnswers(t, e))
	a := storedApplication(t, e, id)
	if _, err := application.Submit(context.Background(), e.pool, a, a.Version, a.Answers, fixedNow); err != nil {
		t.Fatal(err)
	}
	return id, a.ID
}

func newClarEnv(t *testing.T, now time.Time) *clarEnv {
	t.Helper()
	clock := &testClock{now: now}
	e := newEnvWithClock(t, clock)
	ed := e.edition(t, "seoul-2023")
	c := &clarEnv{env: e, clock: clock, ed: ed, sec: matrixUser(t, e, "sec", "secretariat")}
	c.kim, c.app = submittedApplicant(t, e, "kim")
	c.secClient, c.kimClient = e.signedInClient(t, c.sec), e.signedInClient(t, c.kim)
	return c
}

func (c *clarEnv) clarPath() string {
	return fmt.Sprintf("/secretariat/screening/%d/clarifications", c.app)
}

// ask posts the secretariat's form and expects the redirect to the screening view.
func (c *clarEnv) ask(t *testing.T, question, deadline string, keys ...string) {
	t.Helper()
	r := c.secClient.post(c.clarPath(), url.Values{"question": {question}, "deadline": {deadline}, "keys": keys})
	if r.status != 303 || r.location != fmt.Sprintf("/secretariat/screening/%d", c.app) {
		t.Fatalf("ask: %d %q\n%s", r.status, r.location, r.body)
	}
}

func (c *clarEnv) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	return dbtest.Count(t, c.pool, sql, args...)
}

// TestClarificationAskAndAnswer: the secretariat asks (the decision becomes "clarification",
// keeping its note), the applicant is emailed, answers with text, a PDF and an edited named
// question, which becomes a new submitted version; the secretariat is emailed and reads the
// answer. Another applicant gets 404, and no applicant page shows the screening note.
func TestClarificationAskAndAnswer(t *testing.T) {
	t.Parallel()
	c := newClarEnv(t, roundOneNow)
	ctx := context.Background()
	// An earlier decision with a note, which asking keeps.
	err := db.InTx(ctx, c.pool, func(tx pgx.Tx) error {
		e, err := screening.Get(ctx, tx, c.sec, c.app)
		if err != nil {
			return err
		}
		return screening.Decide(ctx, tx, c.sec, e, c.ed.ID, screening.Input{Decision: screening.Eligible, ReasonText: screeningNote,
			Checklist: map[string]string{"english": "yes"}}, roundOneNow)
	})
	if err != nil {
		t.Fatal(err)
	}

	if r := c.secClient.get(c.clarPath()); r.status != 200 || !strings.Contains(r.body, `id="clarification-ask"`) ||
		!strings.Contains(r.body, "No clarification has been asked") || !strings.Contains(r.body, "Asia/Seoul") {
		t.Fatalf("secretariat page: %d\n%s", r.status, r.body)
	}
	c.ask(t, "Which department runs the project?\nPlease also update your summary.", "2023-06-12T18:00", "summary")

	rec, err := screening.DecisionOf(ctx, c.pool, c.app)
	if err != nil || rec.Decision != screening.Clarification || rec.ReasonText != screeningNote || rec.Checklist["english"] != "yes" {
		t.Fatalf("decision after asking: %+v %v", rec, err)
	}
	if n := c.count(t, `SELECT count(*) FROM audit_log WHERE action = 'screening.clarification_ask' AND object_id = $1`, fmt.Sprint(c.app)); n != 1 {
		t.Fatalf("%d audit entries for the question", n)
	}
	link := c.lastLink(t, "kim@example.org", "clarification-request")
	if !strings.HasPrefix(link, "/clarifications/") {
		t.Fatalf("emailed link %q", link)
	}
	var mail string
	c.pool.QueryRow(ctx, `SELECT text_body FROM email_outbox WHERE kind = 'clarification-request'`).Scan(&mail)
	if !strings.Contains(mail, "Which department runs the project?") || !strings.Contains(mail, "12 June 2023, 18:00 KST") || strings.Contains(mail, screeningNote) {
		t.Fatalf("request email:\n%s", mail)
	}

	// The applicant's pages: the question and the deadline with its zone, never the note.
	dash := c.kimClient.get("/dashboard")
	if !strings.Contains(dash.body, "Clarification requested") || !strings.Contains(dash.body, `href="/clarifications"`) {
		t.Fatalf("dashboard has no clarification link:\n%s", dash.body)
	}
	list := c.kimClient.get("/clarifications")
	page := c.kimClient.get(link)
	for name, r := range map[string]reply{"list": list, "page": page, "dashboard": dash} {
		if r.status != 200 || strings.Contains(r.body, screeningNote) || strings.Contains(r.body, "Eligible") || strings.Contains(r.body, "User sec") {
			t.Fatalf("applicant's %s: %d, shows screening details or the staff member\n%s", name, r.status, r.body)
		}
	}
	if !strings.Contains(list.body, "<td>Which department runs the project? Please also update your summary.</td>") || !strings.Contains(list.body, "12 June 2023, 18:00 KST") {
		t.Fatalf("the applicant's list does not show the question and its deadline:\n%s", list.body)
	}
	if !strings.Contains(page.body, "Which department runs the project?") || !strings.Contains(page.body, "12 June 2023, 18:00 KST") ||
		!strings.Contains(page.body, `id="clarification-answer"`) || !strings.Contains(page.body, `name="q.summary"`) ||
		strings.Contains(page.body, `name="q.project_title"`) {
		t.Fatalf("answer page:\n%s", page.body)
	}

	// Another applicant sees nothing of it.
	lee, _ := submittedApplicant(t, c.env, "lee")
	leeClient := c.signedInClient(t, lee)
	if r := leeClient.get(link); r.status != 404 {
		t.Fatalf("lee opens kim's clarification: %d", r.status)
	}
	if r := leeClient.postMultipart(link, url.Values{"answer": {"mine"}}); r.status != 404 {
		t.Fatalf("lee answers kim's clarification: %d", r.status)
	}
	if r := leeClient.get("/clarifications"); r.status != 200 || strings.Contains(r.body, "Which department") {
		t.Fatalf("lee's list: %d\n%s", r.status, r.body)
	}

	// Nothing written, nothing attached: refused, what was typed kept.
	r := c.kimClient.postMultipart(link, url.Values{"answer": {"  "}, "q.summary": {"Typed summary"}})
	if r.status != 422 || !strings.Contains(r.body, "Write your answer, or attach a document.") || !strings.Contains(r.body, "Typed summary") {
		t.Fatalf("empty answer: %d\n%s", r.status, r.body)
	}
	// The named question must stay complete.
	r = c.kimClient.postMultipart(link, url.Values{"answer": {"The transport department."}, "q.summary": {""}})
	if r.status != 422 || !strings.Contains(r.body, `aria-invalid="true"`) || !strings.Contains(r.body, "The transport department.") {
		t.Fatalf("emptied named question: %d\n%s", r.status, r.body)
	}

	r = c.kimClient.postMultipart(link, url.Values{"answer": {"The transport department runs it."}, "q.summary": {"A clarified summary"}},
		upload{"documents", "organigram.pdf", samplePDF})
	if r.status != 303 || r.location != link {
		t.Fatalf("answer: %d %q\n%s", r.status, r.location, r.body)
	}
	a := storedApplication(t, c.env, c.kim)
	last, err := application.LastVersion(ctx, c.pool, c.kim, c.app)
	if err != nil || a.Status != application.Submitted || a.Submissions != 2 || last.Number != 2 ||
		last.Answers["summary"].Text != "A clarified summary" || a.Changed() {
		t.Fatalf("after the answer: %+v, last version %+v %v", a, last, err)
	}
	if rec, _ := screening.DecisionOf(ctx, c.pool, c.app); rec.Decision != screening.Clarification {
		t.Fatalf("decision after the answer: %s, want clarification until the secretariat decides", rec.Decision)
	}
	if n := c.count(t, `SELECT count(*) FROM audit_log WHERE action = 'screening.clarification_answer' AND object_id = $1`, fmt.Sprint(c.app)); n != 1 {
		t.Fatalf("%d audit entries for the answer", n)
	}
	if n := c.count(t, `SELECT count(*) FROM email_outbox WHERE kind = 'clarification-answer' AND to_address = $1`, c.ed.ContactEmail); n != 1 {
		t.Fatalf("%d emails to the secretariat (%s)", n, c.ed.ContactEmail)
	}
	var fileID int64
	if err := c.pool.QueryRow(ctx, `SELECT file_id FROM clarification_files`).Scan(&fileID); err != nil {
		t.Fatal(err)
	}

	// The applicant sees their answer (and can answer only once); the secretariat reads it.
	page = c.kimClient.get(link)
	if !strings.Contains(page.body, "The transport department runs it.") || !strings.Contains(page.body, "organigram.pdf") ||
		strings.Contains(page.body, `id="clarification-answer"`) || strings.Contains(page.body, screeningNote) {
		t.Fatalf("answered page:\n%s", page.body)
	}
	if r := c.kimClient.postMultipart(link, url.Values{"answer": {"again"}}); r.status != 409 {
		t.Fatalf("second answer: %d", r.status)
	}
	if r := c.kimClient.get(fmt.Sprintf("%s/files/%d", link, fileID)); r.status != 200 || !strings.HasPrefix(r.body, "%PDF-") {
		t.Fatalf("applicant's document: %d", r.status)
	}
	if r := leeClient.get(fmt.Sprintf("%s/files/%d", link, fileID)); r.status != 404 {
		t.Fatalf("lee's download of kim's document: %d", r.status)
	}
	thread := c.secClient.get(c.clarPath())
	if !strings.Contains(thread.body, "The transport department runs it.") || !strings.Contains(thread.body, "organigram.pdf") ||
		!strings.Contains(thread.body, "Project summary") || !strings.Contains(thread.body, "submission 2") {
		t.Fatalf("secretariat's thread:\n%s", thread.body)
	}
	if r := c.secClient.get(fmt.Sprintf("%s/files/%d", c.clarPath(), fileID)); r.status != 200 || !strings.HasPrefix(r.body, "%PDF-") {
		t.Fatalf("secretariat's document: %d", r.status)
	}
	if r := c.kimClient.get("/dashboard"); strings.Contains(r.body, "Clarification requested") {
		t.Fatal("the dashboard still asks for an answer")
	}
}

// TestClarificationLateAnswerRefused: from the response deadline on (to the second) the answer is
// refused with a clear message and nothing is stored; the secretariat may ask again.
func TestClarificationLateAnswerRefused(t *testing.T) {
	t.Parallel()
	c := newClarEnv(t, roundOneNow)
	c.ask(t, "Please send the budget table.", "2023-06-05T13:00") // 04:00 UTC, an hour from now
	link := c.lastLink(t, "kim@example.org", "clarification-request")
	c.clock.Advance(time.Hour)
	if r := c.kimClient.get(link); r.status != 200 || !strings.Contains(r.body, "passed on 5 June 2023, 13:00 KST") ||
		strings.Contains(r.body, `id="clarification-answer"`) || !strings.Contains(r.body, "info@seoulsmartcityprize.com") {
		t.Fatalf("page after the deadline: %d\n%s", r.status, r.body)
	}
	r := c.kimClient.postMultipart(link, url.Values{"answer": {"Here it is."}}, upload{"documents", "budget.pdf", samplePDF})
	if r.status != 403 || !strings.Contains(r.body, "answers are no longer accepted") {
		t.Fatalf("late answer: %d\n%s", r.status, r.body)
	}
	if n := c.count(t, `SELECT count(*) FROM clarifications WHERE answered_at IS NOT NULL`); n != 0 {
		t.Fatal("a late answer was stored")
	}
	if n := c.count(t, `SELECT count(*) FROM files`); n != 0 {
		t.Fatal("a late answer's document was kept")
	}
	if r := c.kimClient.get("/clarifications"); !strings.Contains(r.body, "Deadline passed") {
		t.Fatalf("list after the deadline:\n%s", r.body)
	}
	// Asked again, the applicant can answer the new question.
	c.ask(t, "Please send the budget table (second request).", "2023-06-09T18:00")
	again := c.lastLink(t, "kim@example.org", "clarification-request")
	if again == link {
		t.Fatal("the second request links to the first question")
	}
	if r := c.kimClient.postMultipart(again, url.Values{"answer": {"Here it is."}}); r.status != 303 {
		t.Fatalf("answer to the second request: %d\n%s", r.status, r.body)
	}
}

// TestClarificationAskErrors: an empty question, a deadline in the past and a question the form
// does not have are shown on the secretariat's page with what was typed; nothing is stored.
func TestClarificationAskErrors(t *testing.T) {
	t.Parallel()
	c := newClarEnv(t, roundOneNow)
	r := c.secClient.post(c.clarPath(), url.Values{"question": {""}, "deadline": {"2023-06-01T10:00"}, "keys": {"no_such_question"}})
	if r.status != 422 || !strings.Contains(r.body, "There is a problem") || !strings.Contains(r.body, "Write the question to the applicant.") ||
		!strings.Contains(r.body, "Choose a response deadline in the future.") || !strings.Contains(r.body, "Choose questions of this entry") ||
		!strings.Contains(r.body, `value="2023-06-01T10:00"`) {
		t.Fatalf("bad question: %d\n%s", r.status, r.body)
	}
	r = c.secClient.post(c.clarPath(), url.Values{"question": {"Kept as typed"}, "deadline": {"next week"}})
	if r.status != 422 || !strings.Contains(r.body, "Kept as typed") || !strings.Contains(r.body, "Enter a date and time") {
		t.Fatalf("bad deadline: %d\n%s", r.status, r.body)
	}
	if n := c.count(t, `SELECT count(*) FROM clarifications`); n != 0 {
		t.Fatal("a bad question was stored")
	}
	if _, err := screening.DecisionOf(context.Background(), c.pool, c.app); err == nil {
		t.Fatal("a bad question changed the decision")
	}
	// An entry of the secretariat's edition only.
	if r := c.secClient.post(fmt.Sprintf("/secretariat/screening/%d/clarifications", c.app+1000), url.Values{"question": {"Q"}, "deadline": {"2023-06-12T18:00"}}); r.status != 404 {
		t.Fatalf("unknown entry: %d", r.status)
	}
}

// TestClarificationThreadFromRound2: evaluators and the council read the thread from the start of
// round 2 (scoring) on; before, and for applicants, it is 403. An evaluator reads it only for an
// entry assigned to them (404 otherwise, and after recusing).
func TestClarificationThreadFromRound2(t *testing.T) {
	t.Parallel()
	c := newClarEnv(t, roundOneNow)
	c.ask(t, "Which department runs the project?", "2023-06-12T18:00")
	link := c.lastLink(t, "kim@example.org", "clarification-request")
	if r := c.kimClient.postMultipart(link, url.Values{"answer": {"The transport department."}}, upload{"documents", "org.pdf", samplePDF}); r.status != 303 {
		t.Fatalf("answer: %d", r.status)
	}
	var fileID int64
	c.pool.QueryRow(context.Background(), `SELECT file_id FROM clarification_files`).Scan(&fileID)
	path := fmt.Sprintf("/entries/%d/clarifications", c.app)
	file := fmt.Sprintf("%s/files/%d", path, fileID)
	evaID := matrixUser(t, c.env, "eva", "evaluator")
	eva := c.signedInClient(t, evaID)
	cou := c.signedInClient(t, matrixUser(t, c.env, "cou", "council"))
	check := func(when string, cl *client, status int) {
		t.Helper()
		for _, p := range []string{path, file} {
			if r := cl.get(p); r.status != status {
				t.Errorf("%s: %s is %d, want %d", when, p, r.status, status)
			} else if status == 200 && p == path && (!strings.Contains(r.body, "The transport department.") || strings.Contains(r.body, screeningNote)) {
				t.Errorf("%s: thread\n%s", when, r.body)
			}
		}
	}
	check("secretariat in round 1", c.secClient, 200)
	check("evaluator in round 1", eva, 403)
	check("council in round 1", cou, 403)
	c.clock.now = c.ed.Schedule.Scoring.Start.Add(-time.Second)
	check("evaluator a second before round 2", eva, 403)
	c.clock.Advance(time.Second)
	check("evaluator in round 2, entry not assigned", eva, 404)
	assign := func(sql string) {
		t.Helper()
		if _, err := c.pool.Exec(context.Background(), sql, c.app, evaID, c.ed.ID); err != nil {
			t.Fatal(err)
		}
	}
	assign(`INSERT INTO assignments (application_id, evaluator_id, edition_id, assigned_at) VALUES ($1, $2, $3, now())`)
	check("evaluator in round 2, entry assigned", eva, 200)
	check("council in round 2", cou, 200)
	check("applicant in round 2", c.kimClient, 403)
	assign(`UPDATE assignments SET ended_at = now(), end_kind = 'recused' WHERE application_id = $1 AND evaluator_id = $2 AND edition_id = $3`)
	check("evaluator after recusing", eva, 404)
}
