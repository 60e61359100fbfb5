package server_test

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/scoring"
	"prizeportal/web/views"
)

// scoringNow is in round 2 of seoul-2023 (scoring runs 1 to 12 July).
var scoringNow = time.Date(2023, 7, 3, 3, 0, 0, 0, time.UTC)

// scoringEnv is a portal in round 2: Tech-InnovaCity entries found eligible in a closed round 1,
// a secretariat member, a committee head and evaluators.
type scoringEnv struct {
	*env
	clock *testClock
	ed    *edition.Edition
	tech  *edition.Category
	sec   int64
	head  int64
	apps  []int64
}

func newScoringEnv(t *testing.T, entries int) *scoringEnv {
	t.Helper()
	clock := &testClock{now: scoringNow}
	e := newEnvWithClock(t, clock)
	ed := e.edition(t, "seoul-2023")
	tech, _ := ed.Category("tech-innovacity")
	s := &scoringEnv{env: e, clock: clock, ed: ed, tech: tech, sec: matrixUser(t, e, "sec", "secretariat"), head: matrixUser(t, e, "head", "committee_head")}
	for i := range entries {
		id := submittedEntry(t, e, fmt.Sprintf("city%d", i))
		s.exec(t, `UPDATE users SET organisation = 'Organisation ' || $2::text WHERE id = (SELECT user_id FROM applications WHERE id = $1)`, id, strconv.Itoa(i))
		s.exec(t, `INSERT INTO screening_decisions (application_id, decision, decided_by, decided_at) VALUES ($1, 'eligible', $2, $3)`, id, s.sec, scoringNow)
		s.apps = append(s.apps, id)
	}
	s.exec(t, `INSERT INTO screening_rounds (edition_id, closed_at, closed_by) VALUES ($1, $2, $3)`, ed.ID, scoringNow, s.sec)
	return s
}

func (s *scoringEnv) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	dbtest.Exec(t, s.pool, sql, args...)
}

func (s *scoringEnv) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	return dbtest.Count(t, s.pool, sql, args...)
}

func (s *scoringEnv) assign(t *testing.T, evaluator int64, apps ...int64) {
	t.Helper()
	for _, app := range apps {
		s.exec(t, `INSERT INTO assignments (application_id, evaluator_id, edition_id, assigned_at) VALUES ($1, $2, $3, $4)`, app, evaluator, s.ed.ID, scoringNow)
	}
}

// sheetValues scores every indicator of Tech-InnovaCity with score, with a comment per criterion.
func (s *scoringEnv) sheetValues(version, score int) url.Values {
	v := url.Values{"version": {strconv.Itoa(version)}, "overall": {"A convincing project."}}
	for _, c := range s.tech.Criteria {
		for _, ind := range c.Indicators {
			v.Set(scoring.ScoreField(ind.ID), strconv.Itoa(score))
		}
		v.Set(scoring.CommentField(c.Key), "About "+c.Name)
	}
	return v
}

func (s *scoringEnv) closeRound(t *testing.T) {
	t.Helper()
	s.exec(t, `INSERT INTO scoring_rounds (edition_id, closed_at, closed_by) VALUES ($1, $2, $3)`, s.ed.ID, s.clock.Now(), s.head)
}

// TestScoringConfidentiality: an evaluator opens only entries assigned to them (an unassigned or
// conflicted entry, and its files, are 404), declares or recuses on opening, autosaves with
// version locking, submits with validation, revises, and the sheet is read-only after close.
func TestScoringConfidentiality(t *testing.T) {
	t.Parallel()
	s := newScoringEnv(t, 4)
	ev := matrixUser(t, s.env, "ev1", "evaluator")
	other := matrixUser(t, s.env, "ev2", "evaluator")
	s.assign(t, ev, s.apps[0], s.apps[1], s.apps[3])
	s.assign(t, other, s.apps[2])
	// ev1 declares a tie to entry 3's organisation: conflict_matches hides it from them.
	s.exec(t, `INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, created_at) VALUES ($1, $2, 'organisation', 'Organisation 3', $3)`,
		s.ed.ID, ev, scoringNow)
	c := s.signedInClient(t, ev)

	list := c.get("/scoring")
	if list.status != 200 || !strings.Contains(list.body, "Project city0") || !strings.Contains(list.body, "Project city1") ||
		strings.Contains(list.body, "Project city2") || strings.Contains(list.body, "Project city3") || !strings.Contains(list.body, "Not opened") {
		t.Fatalf("list: %d\n%s", list.status, list.body)
	}
	for name, app := range map[string]int64{"unassigned": s.apps[2], "conflicted": s.apps[3]} {
		for _, path := range []string{"", "/files/1"} {
			wantStatus(t, name+path, c.get(views.ScoringHref(app)+path), 404)
		}
		wantStatus(t, name+" declare", c.post(views.ScoringHref(app)+"/declare", nil), 404)
		wantStatus(t, name+" save", c.post(views.ScoringHref(app), s.sheetValues(1, 3)), 404)
	}
	href := views.ScoringHref(s.apps[0])
	page := c.get(href)
	if page.status != 200 || !strings.Contains(page.body, "I have no conflict of interest with this entry") || strings.Contains(page.body, `name="version"`) {
		t.Fatalf("first opening: %d\n%s", page.status, page.body)
	}
	// Saving before declaring goes back to the declaration.
	if r := c.post(href, s.sheetValues(1, 3)); r.status != 303 || r.location != href {
		t.Fatalf("save before declaring: %d %q", r.status, r.location)
	}
	wantStatus(t, "declare", c.post(href+"/declare", nil), 303)
	page = c.get(href)
	first := s.tech.Criteria[0].Indicators[0]
	for _, want := range []string{"Your score sheet", "The entry as submitted", `name="` + scoring.ScoreField(first.ID) + `"`, first.Name, "data-autosave", "Save and next"} {
		if !strings.Contains(page.body, want) {
			t.Fatalf("sheet lacks %q", want)
		}
	}
	// Autosave: saved with the version; a stale version is refused.
	r, body := c.autosave(href, url.Values{"version": {"1"}, scoring.ScoreField(first.ID): {"4"}})
	if r.status != 200 || body["version"] != float64(2) {
		t.Fatalf("autosave: %d %v", r.status, body)
	}
	if r, body := c.autosave(href, url.Values{"version": {"1"}, scoring.ScoreField(first.ID): {"1"}}); r.status != 409 || body["error"] == "" {
		t.Fatalf("stale autosave: %d %v", r.status, body)
	}
	// A stale Save keeps the typed entries and does not overwrite.
	stale := c.post(href, url.Values{"version": {"1"}, "overall": {"My stale text"}})
	if stale.status != 409 || !strings.Contains(stale.body, "My stale text") || !strings.Contains(stale.body, `name="version" value="2"`) {
		t.Fatalf("stale save: %d", stale.status)
	}
	// Submission needs every indicator.
	sub := c.post(href+"/submit", url.Values{"version": {"2"}, scoring.ScoreField(first.ID): {"4"}})
	if sub.status != 422 || !strings.Contains(sub.body, "There is a problem") || !strings.Contains(sub.body, `href="#f-`+scoring.ScoreField(s.tech.Criteria[0].Indicators[1].ID)) {
		t.Fatalf("incomplete submission: %d", sub.status)
	}
	// The failed submission saved the draft (version 3).
	if r := c.post(href+"/submit", s.sheetValues(3, 4)); r.status != 303 || r.location != "/scoring" {
		t.Fatalf("submit: %d %q\n%s", r.status, r.location, r.body)
	}
	if n := s.count(t, `SELECT count(*) FROM audit_log WHERE action = 'scoring.submit' AND actor_id = $1`, ev); n != 1 {
		t.Fatalf("submit audited %d times", n)
	}
	page = c.get(href)
	if !strings.Contains(page.body, "Resubmit the revised sheet") || strings.Contains(page.body, "data-autosave") {
		t.Fatal("a submitted sheet offers autosave or no resubmission")
	}
	if r, _ := c.autosave(href, s.sheetValues(4, 2)); r.status != 409 {
		t.Fatalf("autosave of a submitted sheet: %d", r.status)
	}
	if r := c.post(href+"/submit", s.sheetValues(4, 5)); r.status != 303 {
		t.Fatalf("resubmit: %d", r.status)
	}
	// Save and next goes to the next unfinished entry.
	href1 := views.ScoringHref(s.apps[1])
	wantStatus(t, "declare 2", c.post(href1+"/declare", nil), 303)
	if r := c.post(href1, url.Values{"version": {"1"}, "action": {"next"}}); r.status != 303 || r.location != "/scoring" {
		t.Fatalf("save and next with nothing left: %d %q", r.status, r.location)
	}
	// Another evaluator never reads ev1's sheet; ev1 never reads theirs.
	oc := s.signedInClient(t, other)
	wantStatus(t, "other evaluator", oc.get(href), 404)
	// Recusal needs a reason, ends the assignment and deletes the sheet.
	rec := c.post(href1+"/recuse", url.Values{"reason": {"  "}})
	if rec.status != 422 || !strings.Contains(rec.body, "Say why you recuse yourself") {
		t.Fatalf("recusal without reason: %d", rec.status)
	}
	if r := c.post(href1+"/recuse", url.Values{"reason": {"I advised this city."}}); r.status != 303 || r.location != "/scoring" {
		t.Fatalf("recuse: %d %q", r.status, r.location)
	}
	if n := s.count(t, `SELECT count(*) FROM assignments WHERE application_id = $1 AND evaluator_id = $2 AND end_kind = 'recused' AND end_reason = 'I advised this city.'`, s.apps[1], ev); n != 1 {
		t.Fatal("assignment not ended")
	}
	if n := s.count(t, `SELECT count(*) FROM score_sheets WHERE application_id = $1 AND evaluator_id = $2`, s.apps[1], ev); n != 0 {
		t.Fatal("the recused sheet is kept")
	}
	wantStatus(t, "recused entry", c.get(href1), 404)
	// After the round closes, the sheet is read-only.
	s.closeRound(t)
	page = c.get(href)
	if page.status != 200 || !strings.Contains(page.body, "can no longer change") || strings.Contains(page.body, "<select") {
		t.Fatalf("closed sheet: %d", page.status)
	}
	if r := c.post(href+"/submit", s.sheetValues(5, 1)); r.status != 403 {
		t.Fatalf("submit after close: %d", r.status)
	}
	// Applicants have no page of scores.
	kim := s.signedInClient(t, int64(s.count(t, `SELECT user_id::int FROM applications WHERE id = $1`, s.apps[0])))
	wantStatus(t, "applicant", kim.get(href), 403)
	wantStatus(t, "applicant progress", kim.get("/scoring/progress"), 403)
}

// TestScoringHeadSeesSheetsAfterClose: every sheet of an entry is sealed while the round is
// open (403 for the head), and shown to the head only once it is closed.
func TestScoringHeadSeesSheetsAfterClose(t *testing.T) {
	t.Parallel()
	s := newScoringEnv(t, 1)
	ev := matrixUser(t, s.env, "ev1", "evaluator")
	s.assign(t, ev, s.apps[0])
	c := s.signedInClient(t, ev)
	href := views.ScoringHref(s.apps[0])
	wantStatus(t, "declare", c.post(href+"/declare", nil), 303)
	wantStatus(t, "submit", c.post(href+"/submit", s.sheetValues(1, 4)), 303)
	path := "/scoring/entries/" + strconv.FormatInt(s.apps[0], 10) + "/sheets"
	head := s.signedInClient(t, s.head)
	wantStatus(t, "head before close", head.get(path), 403)
	wantStatus(t, "secretariat", s.signedInClient(t, s.sec).get(path), 403)
	wantStatus(t, "evaluator", c.get(path), 403)
	// The progress page never shows scores.
	prog := head.get("/scoring/progress?view=entries")
	if prog.status != 200 || !strings.Contains(prog.body, "Project city0") || strings.Contains(prog.body, path) {
		t.Fatalf("head's progress: %d", prog.status)
	}
	s.closeRound(t)
	page := head.get(path)
	if page.status != 200 || !strings.Contains(page.body, "ev1") || !strings.Contains(page.body, "About "+s.tech.Criteria[0].Name) ||
		!strings.Contains(page.body, "Submitted on") {
		t.Fatalf("head after close: %d\n%s", page.status, page.body)
	}
	if prog := head.get("/scoring/progress?view=entries"); !strings.Contains(prog.body, path) {
		t.Fatal("no link to the sheets after close")
	}
	wantStatus(t, "unknown entry", head.get("/scoring/entries/999999/sheets"), 404)
}

// TestScoringProgressAndReminders: the secretariat sees completion per evaluator and per entry,
// reminds selected evaluators (emails through the outbox, audited); evaluators with unfinished
// sheets are reminded automatically three days and one day before the scoring window ends, each
// once.
func TestScoringProgressAndReminders(t *testing.T) {
	t.Parallel()
	s := newScoringEnv(t, 3)
	mail := startMail(t, s.env)
	ev1 := matrixUser(t, s.env, "ev1", "evaluator")
	ev2 := matrixUser(t, s.env, "ev2", "evaluator")
	s.assign(t, ev1, s.apps[0], s.apps[1])
	s.assign(t, ev2, s.apps[2])
	c2 := s.signedInClient(t, ev2)
	href := views.ScoringHref(s.apps[2])
	wantStatus(t, "declare", c2.post(href+"/declare", nil), 303)
	wantStatus(t, "submit", c2.post(href+"/submit", s.sheetValues(1, 3)), 303)
	c1 := s.signedInClient(t, ev1)
	wantStatus(t, "declare", c1.post(views.ScoringHref(s.apps[0])+"/declare", nil), 303)

	sec := s.signedInClient(t, s.sec)
	prog := sec.get("/scoring/progress")
	if prog.status != 200 || !strings.Contains(prog.body, "ev1") || !strings.Contains(prog.body, "Score sheets per evaluator") {
		t.Fatalf("progress: %d\n%s", prog.status, prog.body)
	}
	entries := sec.get("/scoring/progress?view=entries")
	if !strings.Contains(entries.body, "Project city2") || !strings.Contains(entries.body, "1 of 1") || !strings.Contains(entries.body, "0 of 1") {
		t.Fatalf("entries: %s", entries.body)
	}
	wantStatus(t, "evaluator progress", c1.get("/scoring/progress"), 403)
	wantStatus(t, "other edition", sec.get("/scoring/progress?edition=999999"), 403)
	if r := sec.post("/scoring/progress/remind", nil); r.status != 422 || !strings.Contains(r.body, "Select the evaluators to remind") {
		t.Fatalf("remind nobody: %d", r.status)
	}
	r := sec.post("/scoring/progress/remind?edition="+strconv.FormatInt(s.ed.ID, 10), url.Values{"ids": {strconv.FormatInt(ev1, 10), strconv.FormatInt(ev2, 10)}})
	if r.status != 303 {
		t.Fatalf("remind: %d", r.status)
	}
	m := mail.WaitFor(t, "ev1@example.org", "Reminder: 2 score sheets", 10*time.Second)
	if !strings.Contains(m.Text, "/scoring") {
		t.Fatalf("reminder: %s", m.Text)
	}
	reminders := func(kind string) int {
		return s.count(t, `SELECT count(*) FROM email_outbox WHERE kind = 'scoring-reminder' AND to_address = $1`, kind)
	}
	if reminders("ev1@example.org") != 1 || reminders("ev2@example.org") != 0 {
		t.Fatal("ev2, who has finished, was reminded")
	}
	if n := s.count(t, `SELECT count(*) FROM audit_log WHERE action = 'scoring.remind' AND actor_id = $1`, s.sec); n != 1 {
		t.Fatalf("reminders audited: %d", n)
	}
	// Automatic reminders.
	end := s.ed.Schedule.Scoring.End
	run := func(at time.Time) {
		t.Helper()
		s.clock.Advance(at.Sub(s.clock.Now()))
		for range 2 {
			s.runTask(t, "scoring-reminders", s.clock.Now)
		}
	}
	run(end.Add(-100 * time.Hour))
	if reminders("ev1@example.org") != 1 {
		t.Fatal("reminded too early")
	}
	run(end.Add(-71 * time.Hour))
	if reminders("ev1@example.org") != 2 || reminders("ev2@example.org") != 0 {
		t.Fatal("three-day reminder")
	}
	mail.WaitFor(t, "ev1@example.org", "Reminder: 2 score sheets", 10*time.Second)
	run(end.Add(-23 * time.Hour))
	if reminders("ev1@example.org") != 3 {
		t.Fatal("one-day reminder")
	}
	run(end.Add(time.Hour))
	if reminders("ev1@example.org") != 3 {
		t.Fatal("reminded after the end")
	}
	if n := s.count(t, `SELECT count(*) FROM audit_log WHERE action = $1`, scoring.ReminderAction); n != 2 {
		t.Fatalf("automatic reminders recorded: %d", n)
	}
}
