package server_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"prizeportal/internal/conflict"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
)

// committeeWorld is seoul-2023 with a closed round 1: the entries are eligible submitted
// applications of Tech-InnovaCity; the staff and evaluators are matrix users.
type committeeWorld struct {
	e       *env
	ed      *edition.Edition
	sec     int64
	head    int64
	entries []int64
}

// newCommitteeWorld seeds entries (one per login, applicant "Applicant <login>") found eligible
// in a closed round 1, a secretariat member and a committee head.
func newCommitteeWorld(t *testing.T, logins ...string) *committeeWorld {
	t.Helper()
	e := newEnv(t, nil, "seoul-2023")
	w := &committeeWorld{e: e}
	ctx := context.Background()
	var err error
	if w.ed, err = edition.BySlug(ctx, e.pool, "seoul-2023"); err != nil {
		t.Fatal(err)
	}
	w.sec = matrixUser(t, e, "sec", "secretariat")
	w.head = matrixUser(t, e, "head", "committee_head")
	for _, l := range logins {
		id := submittedEntry(t, e, l)
		dbtest.Exec(t, e.pool, `INSERT INTO screening_decisions (application_id, decision, decided_by, decided_at)
			VALUES ($1, 'eligible', $2, now())`, id, w.sec)
		w.entries = append(w.entries, id)
	}
	dbtest.Exec(t, e.pool, `INSERT INTO screening_rounds (edition_id, closed_at, closed_by) VALUES ($1, now(), $2)`, w.ed.ID, w.sec)
	return w
}

func (w *committeeWorld) catID(t *testing.T, key string) string {
	t.Helper()
	c, ok := w.ed.Category(key)
	if !ok {
		t.Fatalf("no category %s", key)
	}
	return strconv.FormatInt(c.ID, 10)
}

// evaluator adds an evaluator with expertise in Tech-InnovaCity.
func (w *committeeWorld) evaluator(t *testing.T, login string) int64 {
	t.Helper()
	id := matrixUser(t, w.e, login, "evaluator")
	dbtest.Exec(t, w.e.pool, `INSERT INTO evaluator_categories (user_id, category_id)
		SELECT $1, c.id FROM categories c WHERE c.edition_id = $2 AND c.key = 'tech-innovacity'`, id, w.ed.ID)
	return id
}

func (w *committeeWorld) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	return dbtest.Count(t, w.e.pool, sql, args...)
}

func TestCommitteePageExpertise(t *testing.T) {
	t.Parallel()
	w := newCommitteeWorld(t)
	lee := matrixUser(t, w.e, "lee", "evaluator")
	if _, err := conflict.Declare(context.Background(), w.e.pool, lee, w.ed.ID,
		conflict.Input{Kind: conflict.KindOrganisation, Name: "Seoul Digital Foundation", Note: "I advise them"}, fixedNow); err != nil {
		t.Fatal(err)
	}
	c := w.e.signedInClient(t, w.sec)
	page := c.get("/committee")
	for _, want := range []string{"Evaluation Committee, Seoul Smart City Prize 2023", "lee", "Committee head", "Seoul Digital Foundation", "I advise them",
		"Categories of expertise of lee", "Tech-InnovaCity"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("committee page lacks %q", want)
		}
	}
	tech, human := w.catID(t, "tech-innovacity"), w.catID(t, "human-centricity")
	edQ := "?edition=" + strconv.FormatInt(w.ed.ID, 10)
	r := c.post("/committee"+edQ, url.Values{"member": {strconv.FormatInt(lee, 10)}, "category": {tech, human}})
	if r.status != 303 {
		t.Fatalf("save expertise: %d\n%s", r.status, r.body)
	}
	if n := w.count(t, `SELECT count(*) FROM evaluator_categories WHERE user_id = $1`, lee); n != 2 {
		t.Errorf("expertise rows: %d", n)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'committee.expertise' AND actor_id = $1 AND object_id = $2`,
		w.sec, strconv.FormatInt(lee, 10)); n != 1 {
		t.Errorf("expertise audit entries: %d", n)
	}
	if page := c.get("/committee"); !strings.Contains(page.body, "The expertise of lee was saved.") {
		t.Error("no confirmation")
	}
	// A category of no edition: 422 with the error next to the member's categories.
	r = c.post("/committee"+edQ, url.Values{"member": {strconv.FormatInt(lee, 10)}, "category": {"999999"}})
	if r.status != 422 || !strings.Contains(r.body, "Choose categories of this edition.") || !strings.Contains(r.body, `id="f-categories"`) {
		t.Fatalf("foreign category: %d", r.status)
	}
	// Someone not on the committee: 404; an evaluator may not open the page; nor may the
	// secretariat pick an edition it does not serve.
	if r := c.post("/committee"+edQ, url.Values{"member": {strconv.FormatInt(w.sec, 10)}}); r.status != 404 {
		t.Errorf("non-member: %d", r.status)
	}
	if r := w.e.signedInClient(t, lee).get("/committee"); r.status != 403 {
		t.Errorf("evaluator: %d", r.status)
	}
	if r := c.get("/committee?edition=999999"); r.status != 403 {
		t.Errorf("other edition: %d", r.status)
	}
}

func TestCommitteeAssignmentsPage(t *testing.T) {
	t.Parallel()
	w := newCommitteeWorld(t, "kim", "park")
	e1, e2, e3 := w.evaluator(t, "eva"), w.evaluator(t, "evb"), w.evaluator(t, "evc")
	conflicted := w.evaluator(t, "evd")
	ctx := context.Background()
	if _, err := conflict.Declare(ctx, w.e.pool, conflicted, w.ed.ID, conflict.Input{Kind: conflict.KindPerson, Name: "Applicant kim"}, fixedNow); err != nil {
		t.Fatal(err)
	}
	c := w.e.signedInClient(t, w.sec)
	edQ := "?edition=" + strconv.FormatInt(w.ed.ID, 10)
	page := c.get("/committee/assignments" + edQ)
	if page.status != 200 || !strings.Contains(page.body, "Run the automatic assignment") || !strings.Contains(page.body, "0 of 3") ||
		!strings.Contains(page.body, "2 entries have fewer than 3 evaluators") {
		t.Fatalf("assignments page: %d\n%s", page.status, page.body)
	}
	if r := c.post("/committee/assignments/auto"+edQ, nil); r.status != 303 {
		t.Fatalf("auto: %d", r.status)
	}
	page = c.get("/committee/assignments" + edQ)
	if !strings.Contains(page.body, "The automatic assignment made 6 new assignments.") || strings.Contains(page.body, "0 of 3") ||
		!strings.Contains(page.body, "3 of 3") || strings.Contains(page.body, "fewer than 3 evaluators") {
		t.Fatalf("after auto:\n%s", page.body)
	}
	if n := w.count(t, `SELECT count(*) FROM assignments WHERE application_id = $1 AND evaluator_id = $2`, w.entries[0], conflicted); n != 0 {
		t.Error("conflicted evaluator assigned")
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'committee.assignment.auto' AND actor_id = $1`, w.sec); n != 1 {
		t.Errorf("auto audit entries: %d", n)
	}

	// Manual assignment: every field is required; a conflicted evaluator is refused with why.
	kim := strconv.FormatInt(w.entries[0], 10)
	r := c.post("/committee/assignments"+edQ, url.Values{})
	for _, want := range []string{"Choose an entry of round 2.", "Choose a member of the committee.", "Say why you assign this evaluator by hand.", "error-summary"} {
		if r.status != 422 || !strings.Contains(r.body, want) {
			t.Errorf("empty manual assignment: %d, lacks %q", r.status, want)
		}
	}
	r = c.post("/committee/assignments"+edQ, url.Values{"entry": {kim}, "evaluator": {strconv.FormatInt(conflicted, 10)}, "reason": {"Needed"}})
	if r.status != 422 || !strings.Contains(r.body, "conflict of interest") || !strings.Contains(r.body, "Needed") {
		t.Fatalf("conflicted manual assignment: %d", r.status)
	}
	r = c.post("/committee/assignments"+edQ, url.Values{"entry": {kim}, "evaluator": {strconv.FormatInt(e1, 10)}, "reason": {"x"}})
	if r.status != 422 || !strings.Contains(r.body, "already assigned") {
		t.Fatalf("duplicate manual assignment: %d", r.status)
	}

	// Removal: a reason is required; then the assignment ends, audited.
	var id int64
	if err := w.e.pool.QueryRow(ctx, `SELECT id FROM assignments WHERE application_id = $1 AND evaluator_id = $2`, w.entries[0], e2).Scan(&id); err != nil {
		t.Fatal(err)
	}
	path := "/committee/assignments/" + strconv.FormatInt(id, 10) + "/remove"
	r = c.post(path, url.Values{"reason": {" "}})
	if r.status != 422 || !strings.Contains(r.body, "Say why you remove this evaluator from the entry.") ||
		!strings.Contains(r.body, `href="#f-reason-`+strconv.FormatInt(id, 10)+`"`) {
		t.Fatalf("remove without reason: %d", r.status)
	}
	if r := c.post(path, url.Values{"reason": {"Too many entries"}}); r.status != 303 {
		t.Fatalf("remove: %d", r.status)
	}
	if n := w.count(t, `SELECT count(*) FROM assignments WHERE id = $1 AND end_kind = 'removed' AND end_reason = 'Too many entries' AND ended_by = $2`, id, w.sec); n != 1 {
		t.Error("not removed")
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'committee.assignment.remove' AND actor_id = $1`, w.sec); n != 1 {
		t.Errorf("remove audit entries: %d", n)
	}
	page = c.get("/committee/assignments" + edQ)
	if !strings.Contains(page.body, "2 of 3") || !strings.Contains(page.body, "1 entry has fewer than 3 evaluators") {
		t.Fatalf("after removal:\n%s", page.body)
	}
	// The head adds the removed evaluator back by hand, with a reason.
	head := w.e.signedInClient(t, w.head)
	if r := head.post("/committee/assignments"+edQ, url.Values{"entry": {kim}, "evaluator": {strconv.FormatInt(e2, 10)}, "reason": {"Workload is fine after all"}}); r.status != 303 {
		t.Fatalf("head's manual assignment: %d\n%s", r.status, r.body)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'committee.assignment.add' AND actor_id = $1`, w.head); n != 1 {
		t.Errorf("add audit entries: %d", n)
	}
	_ = e3
	// An evaluator is refused; a secretariat member of another edition gets 404 for the removal.
	ev := w.e.signedInClient(t, e1)
	for _, p := range []string{"/committee/assignments", "/committee"} {
		if r := ev.get(p); r.status != 403 {
			t.Errorf("evaluator GET %s: %d", p, r.status)
		}
	}
	if r := ev.post(path, url.Values{"reason": {"x"}}); r.status != 403 {
		t.Errorf("evaluator removes: %d", r.status)
	}
}

// TestCommitteeHeadManagesAssignments: the committee head (not a matrix actor) opens every
// committee page of their edition and sees the links on the dashboard.
func TestCommitteeHeadManagesAssignments(t *testing.T) {
	t.Parallel()
	w := newCommitteeWorld(t, "kim")
	w.evaluator(t, "eva")
	c := w.e.signedInClient(t, w.head)
	for _, p := range []string{"/committee", "/committee/assignments"} {
		if r := c.get(p); r.status != 200 {
			t.Errorf("head GET %s: %d", p, r.status)
		}
	}
	if r := c.post("/committee/assignments/auto", nil); r.status != 303 {
		t.Errorf("head runs the assignment: %d", r.status)
	}
	if r := c.get("/committee/assignments"); !strings.Contains(r.body, "1 of 3") || !strings.Contains(r.body, "1 entry has fewer than 3 evaluators") {
		t.Errorf("unfilled entry not shown:\n%s", r.body)
	}
	if r := c.get("/dashboard"); !strings.Contains(r.body, "Round 2 assignments") {
		t.Error("dashboard lacks the assignments link")
	}
}
