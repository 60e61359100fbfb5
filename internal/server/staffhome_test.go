package server_test

import (
	"html"
	"strconv"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
)

// TestStaffHome: the secretariat's home shows the edition's timeline in its named time zone with
// today marked, and what needs action now with exact counts, each linked to the list filtered
// accordingly, which lists as many entries as the link says. An evaluator has no home.
func TestStaffHome(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ed := e.edition(t, "seoul-2023")
	submittedEntry(t, e, "kim")
	late := submittedEntry(t, e, "lee")
	sec := matrixUser(t, e, "sec", "secretariat")
	dbtest.Exec(t, e.pool, `INSERT INTO clarifications (application_id, question, deadline, asked_by, asked_at) VALUES ($1, 'Why?', $2, $3, $4)`,
		late, fixedNow.Add(-time.Hour), sec, fixedNow.Add(-48*time.Hour))
	c := e.signedInClient(t, sec)

	home := c.get("/staff")
	if home.status != 200 {
		t.Fatalf("home: %d\n%s", home.status, home.body)
	}
	body := html.UnescapeString(home.body)
	edq := "edition=" + strconv.FormatInt(ed.ID, 10)
	for _, want := range []string{
		"Dates in the edition's time zone, Asia/Seoul (KST, UTC+09:00).",
		`<span class="step-state">Done</span> Applications open:`,
		`aria-current="date"><span class="step-state">Today</span> 10 May 2023</li>`,
		`<span class="step-state">Next</span> Application deadline: 31 May 2023, 23:59 KST`,
		`<span class="step-state">Later</span> Winners announced:`,
		`<dt>Round 1: screening by the secretariat</dt><dd>Open: decisions from submission; the window runs 1–30 June 2023`,
		`<dt>Round 2: scoring by the Evaluation Committee</dt><dd>Opens on 1 July 2023, 00:00 KST (Asia/Seoul time).</dd>`,
		`<a href="/secretariat/screening?category=tech-innovacity&` + edq + `&status=undecided">2 entries not decided in round 1, Tech-InnovaCity</a>`,
		`<a href="/secretariat/screening?category=tech-innovacity&` + edq + `&status=overdue">1 entry with a clarification overdue, Tech-InnovaCity</a>`,
		`<th scope="row">Tech-InnovaCity</th><td>2</td><td>0</td><td>2</td><td>0 of 2 entries</td><td>0</td><td>0 / 0</td><td>0 / 0</td>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("home lacks %q", want)
		}
	}
	if strings.Contains(body, "Human-CentriCity</a>") || strings.Contains(body, "nominations waiting") {
		t.Error("home shows an action with nothing to do")
	}
	// The links' lists hold as many entries as they say.
	if r := c.get("/secretariat/screening?category=tech-innovacity&" + edq + "&status=overdue"); !strings.Contains(r.body, "Project lee") || strings.Contains(r.body, "Project kim") {
		t.Errorf("overdue list: %d\n%s", r.status, r.body)
	}
	if r := c.get("/secretariat/screening?category=tech-innovacity&" + edq + "&status=undecided"); !strings.Contains(r.body, "Project lee") || !strings.Contains(r.body, "Project kim") {
		t.Errorf("undecided list: %d", r.status)
	}
	// the nominations list's filter, shown with its value
	if r := c.get("/secretariat/nominations?missing=letter&" + edq); r.status != 200 || !strings.Contains(r.body, "No nomination matches this filter.") ||
		!strings.Contains(r.body, `<option value="letter" selected>`) {
		t.Errorf("nominations without a letter: %d\n%s", r.status, r.body)
	}
	if r := e.signedInClient(t, matrixUser(t, e, "eva", "evaluator")).get("/staff"); r.status != 403 {
		t.Errorf("evaluator's home: %d", r.status)
	}
}

// TestStaffNavigation: the staff navigation shows each actor only the pages they may open,
// marks the current one and opens its round; applicants get none.
func TestStaffNavigation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ed := e.edition(t, "seoul-2023")
	edq := "edition=" + strconv.FormatInt(ed.ID, 10)
	nav := func(body string) string {
		i, j := strings.Index(body, `<nav class="staff-nav" aria-label="Staff pages">`), strings.Index(body, "<main")
		if i < 0 || j < i {
			return ""
		}
		return html.UnescapeString(body[i:j])
	}

	sec := nav(e.signedInClient(t, matrixUser(t, e, "sec", "secretariat")).get("/secretariat/screening").body)
	for _, want := range []string{
		`<a href="/staff?` + edq + `">Home</a>`,
		`<details open><summary>Round 1</summary>`,
		`<a href="/secretariat/screening?` + edq + `" aria-current="page">Screening</a>`,
		`<a href="/secretariat/screening?` + edq + `&status=overdue">Overdue clarifications</a>`,
		`<details><summary>Round 2</summary>`,
		`<a href="/scoring/progress?` + edq + `">Scoring progress</a>`,
		`<a href="/council?` + edq + `">Prize Council</a>`,
		`<a href="/analytics?` + edq + `">Analytics</a>`,
	} {
		if !strings.Contains(sec, want) {
			t.Errorf("secretariat's navigation lacks %q:\n%s", want, sec)
		}
	}
	for _, not := range []string{"Your entries to score", "Your declarations", "Ballot:", "Editions"} {
		if strings.Contains(sec, not) {
			t.Errorf("secretariat's navigation offers %q", not)
		}
	}

	ev := nav(e.signedInClient(t, matrixUser(t, e, "eva", "evaluator")).get("/evaluator/declarations").body)
	for _, want := range []string{
		`<a href="/dashboard">Home</a>`,
		`<a href="/scoring">Your entries to score</a>`,
		`<a href="/evaluator/declarations?` + edq + `" aria-current="page">Your declarations</a>`,
		`<a href="/exports?` + edq + `">Exports</a>`,
		`<a href="/analytics?` + edq + `">Analytics</a>`, // their categories' analysis once round 2 is closed
	} {
		if !strings.Contains(ev, want) {
			t.Errorf("evaluator's navigation lacks %q:\n%s", want, ev)
		}
	}
	for _, not := range []string{"Round 1", "Round 3", "Screening", "Scoring progress", "/staff"} {
		if strings.Contains(ev, not) {
			t.Errorf("evaluator's navigation offers %q", not)
		}
	}

	mgr := nav(e.signedInClient(t, matrixUser(t, e, "mgr", "manager")).get("/staff").body)
	if !strings.Contains(mgr, `<a href="/studio">Editions</a>`) || !strings.Contains(mgr, `aria-current="page">Home</a>`) || strings.Contains(mgr, "Round 1") {
		t.Errorf("manager's navigation:\n%s", mgr)
	}
	if app := e.signedInClient(t, applicantUser(t, e, "kim", true)).get("/dashboard"); strings.Contains(app.body, "staff-nav") {
		t.Error("an applicant gets the staff navigation")
	}
}
