package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/edition"
)

// formBuilder is a portal with seoul-2023, a client signed in as one of its managers, and the
// addresses of the Tech-InnovaCity form's pages.
type formBuilder struct {
	t    *testing.T
	e    *env
	c    *client
	ed   *edition.Edition
	base string // the form's pages, without the edition
	q    string // "?edition=ID"
}

func newFormBuilder(t *testing.T) *formBuilder {
	t.Helper()
	e := newEnv(t, nil, "seoul-2023")
	ed := e.edition(t, "seoul-2023")
	mgr := conflictStaff(t, e, "mara", "Mara Manager", "manager", "seoul-2023")
	return &formBuilder{t: t, e: e, c: e.signedInClient(t, mgr), ed: ed,
		base: "/studio/forms/tech-innovacity", q: fmt.Sprintf("?edition=%d", ed.ID)}
}

// page is the address of the form's page at rest.
func (b *formBuilder) page(rest string) string { return b.base + rest + b.q }

// stored is the Tech-InnovaCity form as stored now.
func (b *formBuilder) stored() *form.Form {
	b.t.Helper()
	return b.e.edition(b.t, "seoul-2023").Categories[0].Form
}

// post posts values to the page at rest, with the edition's version as the page would carry it
// unless values give one, and wants status.
func (b *formBuilder) post(rest string, values url.Values, status int) reply {
	b.t.Helper()
	if !values.Has("version") {
		values.Set("version", fmt.Sprint(b.e.edition(b.t, "seoul-2023").Version))
	}
	r := b.c.post(b.page(rest), values)
	if r.status != status {
		b.t.Fatalf("POST %s %v: %d, want %d (location %q)\n%s", rest, values, r.status, status, r.location, r.body)
	}
	return r
}

func wantAll(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func keysOf(s *form.Section) []string {
	var ks []string
	for _, q := range s.Questions {
		ks = append(ks, q.Key)
	}
	return ks
}

func TestFormBuilderAddsAConditionalQuestionAndMovesIt(t *testing.T) {
	t.Parallel()
	b := newFormBuilder(t)
	if r := b.c.get("/studio/forms" + b.q); r.status != 200 || !strings.Contains(r.body, "Tech-InnovaCity") {
		t.Fatalf("the list of forms: %d\n%s", r.status, r.body)
	}
	r := b.c.get(b.page(""))
	if r.status != 200 {
		t.Fatalf("outline: %d", r.status)
	}
	wantAll(t, "the outline", r.body, "Project title", "Short text (one line)", "Shown if “Stage of the project” is Completed", "Required, Published")

	// Adding a question starts with its type; the settings of the type follow.
	r = b.c.get(b.page("/sections/project/questions/new"))
	if r.status != 200 || !strings.Contains(r.body, "Type of answer") || strings.Contains(r.body, `name="label"`) {
		t.Fatalf("the first step: %d\n%s", r.status, r.body)
	}
	r = b.post("/sections/project/questions/new", url.Values{"type": {"yes_no"}, "action": {"refresh"}}, 200)
	wantAll(t, "the second step", r.body, `name="label"`, `name="key"`, `name="show_if_question"`)
	b.post("/sections/project/questions/new", url.Values{"type": {"yes_no"}, "action": {"save"}, "key": {"in_index"},
		"label": {"Is the city in a smart-city index?"}, "required": {"yes"}}, 303)
	// The condition's answers are chosen after its question (a refresh keeps what was typed).
	r = b.post("/sections/project/questions/new", url.Values{"type": {"short_text"}, "action": {"refresh"}, "key": {"index_name"},
		"label": {"Which index?"}, "show_if_question": {"in_index"}}, 200)
	wantAll(t, "the condition's answers", r.body, `value="index_name"`, `value="Which index?"`, "Answers to “Is the city in a smart-city index?” that show it", `name="show_if_values" value="yes"`)
	r = b.post("/sections/project/questions/new", url.Values{"type": {"short_text"}, "action": {"save"}, "key": {"index_name"},
		"label": {"Which index?"}, "max_length": {"100"}, "show_if_question": {"in_index"}, "show_if_values": {"yes"}}, 303)
	if r.location != b.page("")+"#q-index_name" {
		t.Errorf("after adding: %q", r.location)
	}
	f := b.stored()
	q, ok := f.Question("index_name")
	if !ok || q.ShowIf == nil || q.ShowIf.Question != "in_index" || q.ShowIf.Equals != "yes" || q.MaxLength != 100 {
		t.Fatalf("stored: %+v", q)
	}
	project, _ := f.Section("project")
	n := len(project.Questions)
	if ks := keysOf(project); ks[n-2] != "in_index" || ks[n-1] != "index_name" {
		t.Fatalf("order: %v", ks)
	}

	// Moving the conditional question above the question it depends on is refused with the reason.
	r = b.post("/move", url.Values{"question": {"index_name"}, "dir": {"up"}}, 422)
	wantAll(t, "the refused move", r.body, "comes later in the form", `href="#f-form"`)
	// Both move up, one after the other.
	b.post("/move", url.Values{"question": {"in_index"}, "dir": {"up"}}, 303)
	b.post("/move", url.Values{"question": {"index_name"}, "dir": {"up"}}, 303)
	project, _ = b.stored().Section("project")
	if ks := keysOf(project); ks[n-3] != "in_index" || ks[n-2] != "index_name" {
		t.Fatalf("order after the moves: %v", ks)
	}
	// Another section: the question moves to its end.
	r = b.c.get(b.page("/questions/index_name"))
	wantAll(t, "the edit page", r.body, `value="Which index?"`, `<option value="in_index" selected`, `name="show_if_values" value="yes" checked`)
	b.post("/questions/index_name", url.Values{"type": {"short_text"}, "key": {"index_name"}, "label": {"Which index?"},
		"section": {"organisation"}, "show_if_question": {"in_index"}, "show_if_values": {"yes"}}, 303)
	org, _ := b.stored().Section("organisation")
	if ks := keysOf(org); ks[len(ks)-1] != "index_name" {
		t.Fatalf("organisation: %v", ks)
	}
	if n := countAudit(t, b.e, "edition.change"); n != 5 {
		t.Errorf("%d audit entries of changes for five saves", n)
	}
	// A page rendered before another manager's change does not overwrite it: the conflict shows,
	// with what was typed.
	old := fmt.Sprint(b.e.edition(t, "seoul-2023").Version - 1)
	r = b.post("/questions/index_name", url.Values{"version": {old}, "type": {"short_text"}, "key": {"index_name"},
		"label": {"Which index, typed on an old page?"}, "show_if_question": {"in_index"}, "show_if_values": {"yes"}}, 422)
	wantAll(t, "the conflict", r.body, "Someone else changed this edition after you opened this page", `value="Which index, typed on an old page?"`)
	if q, _ := b.stored().Question("index_name"); q.Label != "Which index?" {
		t.Fatalf("the old page overwrote the change: %+v", q)
	}

	// The preview renders the form with the applicant's component, filled with sample answers
	// in which the condition holds.
	r = b.c.get(b.page("/preview"))
	if r.status != 200 {
		t.Fatalf("preview: %d", r.status)
	}
	wantAll(t, "the preview", r.body, "data-preview", `data-question="index_name"`, `data-show-if="{&#34;field&#34;:&#34;q.in_index&#34;`,
		`name="q.in_index" value="yes" checked`, `value="Project title (sample)"`)
	if strings.Contains(r.body, `name="version"`) || strings.Contains(r.body, "data-autosave") {
		t.Error("the preview looks like a form that saves")
	}
	before := b.stored()
	b.post("/preview", url.Values{"q.project_title": {"Changed"}}, 200)
	if got, _ := b.stored().Question("project_title"); got.Label != "Project title" || len(b.stored().Questions()) != len(before.Questions()) {
		t.Error("a post to the preview changed the form")
	}
}

func countAudit(t *testing.T, e *env, action string) int {
	t.Helper()
	var n int
	e.pool.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n)
	return n
}

func TestFormBuilderRefusesAnInvalidQuestionNextToItsField(t *testing.T) {
	t.Parallel()
	b := newFormBuilder(t)
	summary := url.Values{"type": {"long_text"}, "key": {"summary"}, "label": {"Project summary, typed anew"},
		"help": {"Kept after the error"}, "required": {"yes"}, "published": {"yes"}, "max_words": {"-5"}, "section": {"project"}}
	r := b.post("/questions/summary", summary, 422)
	wantAll(t, "a negative word limit", r.body, `href="#f-max_words"`, "Word limit: must be between 1 and 10000, got -5",
		`id="f-max_words-error"`, `aria-invalid="true"`, `value="Project summary, typed anew"`, "Kept after the error")
	summary.Set("max_words", "many")
	r = b.post("/questions/summary", summary, 422)
	wantAll(t, "a word limit that is no number", r.body, "Word limit: enter a whole number", `value="many"`)
	if got, _ := b.stored().Question("summary"); got.MaxWords != 300 || got.Label != "Project summary" {
		t.Fatalf("a refused save was stored: %+v", got)
	}
	// A condition on a question the form does not have.
	r = b.post("/questions/summary", url.Values{"type": {"long_text"}, "key": {"summary"}, "label": {"Project summary"},
		"max_words": {"300"}, "show_if_question": {"nope"}, "show_if_values": {"yes"}}, 422)
	wantAll(t, "a condition on a missing question", r.body, `href="#f-show_if_question"`, `unknown question &#34;nope&#34;`)
	// A key already used elsewhere.
	r = b.post("/sections/project/questions/new", url.Values{"type": {"short_text"}, "key": {"summary"}, "label": {"Again"}}, 422)
	wantAll(t, "a duplicate key", r.body, `href="#f-key"`, `value="Again"`)
	// Options that cannot be read, and too few of them.
	r = b.post("/sections/project/questions/new", url.Values{"type": {"single_choice"}, "key": {"mode"}, "label": {"Mode"},
		"options": {"bus: Bus\ntram"}}, 422)
	wantAll(t, "an option line without its key", r.body, `href="#f-options"`, "line 2", "bus: Bus\ntram")
	r = b.post("/sections/project/questions/new", url.Values{"type": {"single_choice"}, "key": {"mode"}, "label": {"Mode"},
		"options": {"bus: Bus"}}, 422)
	wantAll(t, "one option", r.body, "Options: at least two options are required")
	// A table with its columns, and a file question, are stored with their settings.
	b.post("/sections/project/questions/new", url.Values{"type": {"table"}, "key": {"kpis"}, "label": {"Indicators"},
		"columns":  {"name | Indicator | short_text | required max=80\nvalue | Value | number\nkind | Kind | single_choice | | in: Input; out: Outcome"},
		"max_rows": {"5"}, "row_label": {"Indicator"}}, 303)
	b.post("/sections/project/questions/new", url.Values{"type": {"file"}, "key": {"brochure"}, "label": {"Brochure"},
		"accept": {"pdf", "docx"}, "max_size_mb": {"5"}, "max_files": {"2"}, "may_be_confidential": {"yes"}}, 303)
	f := b.stored()
	tbl, _ := f.Question("kpis")
	if len(tbl.Columns) != 3 || !tbl.Columns[0].Required || tbl.Columns[0].MaxLength != 80 || len(tbl.Columns[2].Options) != 2 || tbl.MaxRows != 5 {
		t.Fatalf("table: %+v", tbl)
	}
	file, _ := f.Question("brochure")
	if strings.Join(file.Accept, ",") != "pdf,docx" || file.MaxSizeMB != 5 || file.MaxFiles != 2 || !file.MayBeConfidential {
		t.Fatalf("file: %+v", file)
	}
	// A question another depends on cannot be removed before its dependant.
	r = b.post("/questions/stage/remove", url.Values{"confirm": {"yes"}}, 422)
	wantAll(t, "the refused removal", r.body, "unknown question &#34;stage&#34;", "Completion date")
	if r := b.c.get(b.page("/questions/brochure/remove")); r.status != 200 || !strings.Contains(r.body, "Remove the question “Brochure”?") {
		t.Fatalf("confirmation: %d", r.status)
	}
	b.post("/questions/brochure/remove", url.Values{"confirm": {"yes"}}, 303)
	if _, ok := b.stored().Question("brochure"); ok {
		t.Fatal("the removed question is still there")
	}
	// Another edition's manager, and the secretariat, are refused.
	sec := conflictStaff(t, b.e, "sam", "Sam Secretariat", "secretariat", "seoul-2023")
	if r := b.e.signedInClient(t, sec).get(b.page("")); r.status != 403 {
		t.Errorf("the secretariat opening the builder: %d", r.status)
	}
}

func TestFormBuilderSections(t *testing.T) {
	t.Parallel()
	b := newFormBuilder(t)
	// A section is added with its first question (a section needs one).
	r := b.post("/sections/new", url.Values{"key": {"Bad Key"}, "title": {""}, "intro": {"Kept"}}, 422)
	wantAll(t, "a bad section", r.body, `href="#f-key"`, `href="#f-title"`, "Kept")
	r = b.post("/sections/new", url.Values{"key": {"impact"}, "title": {"Impact"}, "intro": {"What changed."}}, 200)
	wantAll(t, "the first question's page", r.body, `name="new_section.key" value="impact"`, "new section “Impact”")
	b.post("/sections/impact/questions/new", url.Values{"new_section.key": {"impact"}, "new_section.title": {"Impact"},
		"new_section.intro": {"What changed."}, "type": {"long_text"}, "key": {"impact_story"}, "label": {"What changed?"}, "max_words": {"200"}}, 303)
	f := b.stored()
	s, ok := f.Section("impact")
	if !ok || s.Intro != "What changed." || len(s.Questions) != 1 || f.Sections[len(f.Sections)-1].Key != "impact" {
		t.Fatalf("the new section: %+v", s)
	}
	if r := b.c.get(b.page("/sections/nope/questions/new")); r.status != 404 {
		t.Errorf("a question for a missing section: %d", r.status)
	}
	b.post("/sections/impact", url.Values{"key": {"impact"}, "title": {"The impact"}}, 303)
	b.post("/move", url.Values{"section": {"impact"}, "dir": {"up"}}, 303)
	f = b.stored()
	if f.Sections[len(f.Sections)-2].Key != "impact" || f.Sections[len(f.Sections)-2].Title != "The impact" {
		t.Fatalf("after the change and the move: %+v", f.Sections[len(f.Sections)-2])
	}
	// The last question of a section cannot go alone.
	r = b.post("/questions/impact_story/remove", url.Values{"confirm": {"yes"}}, 422)
	wantAll(t, "removing the only question", r.body, "at least one question is required")
	b.post("/sections/impact/remove", url.Values{"confirm": {"yes"}}, 303)
	if _, ok := b.stored().Section("impact"); ok {
		t.Fatal("the removed section is still there")
	}
}
