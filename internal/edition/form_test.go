package edition_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
)

// TestFormProblemsHavePaths checks that each problem of a form is reported at the path of its
// key in the edition file, with its line.
func TestFormProblemsHavePaths(t *testing.T) {
	t.Parallel()
	const q = "categories[0].form.sections[0].questions"
	tests := []struct {
		old, new, path, message string
	}{
		{"{question: stage, equals: done}", "{question: stag, equals: done}", q + "[2].show_if.question", `unknown question "stag"`},
		{"{question: stage, equals: done}", "{question: story, equals: done}", q + "[2].show_if.question", `question "story" comes later in the form`},
		{"{question: stage, equals: done}", "{question: done_on, equals: done}", q + "[2].show_if.question", "a question cannot depend on itself"},
		{"{question: stage, equals: done}", "{question: title, equals: done}", q + "[2].show_if.question", `question "title" is a short_text question`},
		{"{question: stage, equals: done}", "{question: stage, equals: finished}", q + "[2].show_if.equals", `"finished" is not an option of question "stage" (idea, done)`},
		{"{question: stage, equals: done}", "{question: stage, in: [idea, dune]}", q + "[2].show_if.in[1]", `"dune" is not an option of question "stage"`},
		{"{question: stage, equals: done}", "{question: stage, equals: done, in: [idea]}", q + "[2].show_if", "give either equals or in, not both"},
		{"{question: stage, equals: done}", "{question: stage}", q + "[2].show_if", "give equals (one answer) or in"},
		{"{key: story, label:", "{key: title, label:", q + "[3].key", `duplicate key "title" (also at sections[0].questions[0].key)`},
		{"{key: done, label: Done}", "{key: idea, label: Done}", q + "[1].options[1].key", `duplicate key "idea"`},
		{"[{key: idea, label: Idea}, {key: done, label: Done}]", "[{key: idea, label: Idea}]", q + "[1].options", "at least two options are required"},
		{"criterion: impact}", "criterion: reach}", q + "[3].criterion", `unknown criterion "reach" (the category has impact, novelty)`},
		{"{key: title, label: Title,", "{key: Title-1, label: Title,", q + "[0].key", "must be a lowercase key of letters, digits and underscores"},
		{"type: short_text, required: true}", "type: short_text, required: true, max_words: 5}", q + "[0].max_words", "applies only to long_text questions, not to short_text"},
		{"type: short_text, required: true}", "type: paragraph, required: true}", q + "[0].type", `must be one of short_text, long_text, number, money, date, url, email, single_choice, multiple_choice, yes_no, declaration, file, table, got "paragraph"`},
		{"type: short_text, required: true}", "type: short_text, required: true, wordlimit: 5}", q + "[0].wordlimit", "unknown key"},
		{"type: short_text, required: true}", "type: short_text, required: yes}", q + "[0].required", `must be true or false, got "yes"`},
		{"max_words: 100", "max_words: -5", q + "[3].max_words", "must be between 1 and 10000, got -5"},
		{"type: date, show_if:", "type: date, min: someday, show_if:", q + "[2].min", `must be a date such as 2020-01-31, got "someday"`},
		{"          title: About the project\n", "", "categories[0].form.sections[0].title", "is required"},
		{"        - key: about\n", "        - key: About\n", "categories[0].form.sections[0].key", "must be a lowercase key"},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.message, func(t *testing.T) {
			wantProblem(t, tt.old, tt.new, tt.path+": "+tt.message)
		})
	}
}

func TestFormRequiredForEveryCategory(t *testing.T) {
	t.Parallel()
	start := strings.Index(minimal, "    form:\n")
	end := strings.Index(minimal, "  - key: people")
	_, err := edition.Parse([]byte(minimal[:start] + minimal[end:]))
	if err == nil || !strings.Contains(err.Error(), `categories[0].form: is required for a category of kind "project"`) {
		t.Errorf("project category without a form: %v", err)
	}

	// A leadership category needs its Leadership Application Form, in the same format, linked
	// to its own criteria.
	start = strings.LastIndex(minimal, "    form:\n")
	end = strings.Index(minimal, "    nominations:\n")
	_, err = edition.Parse([]byte(minimal[:start] + minimal[end:]))
	if err == nil || !strings.Contains(err.Error(), `categories[1].form: is required for a category of kind "leadership" (the Leadership Application Form)`) {
		t.Errorf("leadership category without a form: %v", err)
	}
	_, e := mustResolve(t, []byte(minimal))
	people, _ := e.Category("people")
	if people.Form == nil || people.Form.Sections[0].Questions[0].Criterion != "vision" {
		t.Errorf("leadership form = %+v", people.Form)
	}
	_, err = edition.Parse([]byte(edit(t, minimal, "criterion: vision}", "criterion: impact}")))
	if err == nil || !strings.Contains(err.Error(), `categories[1].form.sections[0].questions[0].criterion: unknown criterion "impact"`) {
		t.Errorf("leadership form linked to another category's criterion: %v", err)
	}
}

// question returns the question of the category's form with the given key, failing the test
// when there is none.
func question(t *testing.T, c *edition.Category, key string) *form.Question {
	t.Helper()
	q, ok := c.Form.Question(key)
	if !ok {
		t.Fatalf("%s: no question %q", c.Key, key)
	}
	return q
}

func optionKeys(opts []form.Option) []string {
	var keys []string
	for _, o := range opts {
		keys = append(keys, o.Key)
	}
	return keys
}

func columnKeys(q *form.Question) []string {
	return collect(q.Columns, func(c form.Column) string { return c.Key })
}

// collect is f of each of xs, in order.
func collect[T any](xs []T, f func(T) string) []string {
	var out []string
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

// wantProblem parses minimal with old replaced by new and checks that the validation error says
// want, and that every problem has its line.
func wantProblem(t *testing.T, old, new, want string) {
	t.Helper()
	_, err := edition.Parse([]byte(edit(t, minimal, old, new)))
	var ve *edition.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Parse = %v, want a *ValidationError", err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %v\nwant %s", err, want)
	}
	for _, p := range ve.Problems {
		if p.Line == 0 {
			t.Errorf("problem without a line: %v", p)
		}
	}
}

// TestReferenceForms checks the shipped project forms against DOMAIN.md
// "The project application", and the Leadership Application Forms against "Leadership nominations".
func TestReferenceForms(t *testing.T) {
	t.Parallel()
	for _, name := range edition.BuiltinNames() {
		_, e := mustResolve(t, builtin(t, name))
		for i := range e.Categories {
			c := &e.Categories[i]
			t.Run(name+"/"+c.Key, func(t *testing.T) {
				if c.Form == nil {
					t.Fatal("no form")
				}
				if c.Kind == edition.KindLeadership {
					checkLeadershipForm(t, c)
					return
				}
				checkReferenceForm(t, c)
			})
		}
	}
}

func checkReferenceForm(t *testing.T, c *edition.Category) {
	f := c.Form
	// The reference form's questions, in their order.
	for _, key := range []string{"project_title", "summary", "lead_organisation", "responsible", "funding", "technology", "key_results"} {
		if q := question(t, c, key); !q.Required || !q.Published {
			t.Errorf("%s: required %v, published %v; want both", key, q.Required, q.Published)
		}
	}
	if q := question(t, c, "sectors"); q.Type != form.MultipleChoice ||
		!slices.Equal(optionKeys(q.Options), []string{"mobility", "safety", "welfare", "environment", "energy", "culture", "governance", "other"}) {
		t.Errorf("sectors = %s %v", q.Type, optionKeys(q.Options))
	}
	if c.Key == "human-centricity" {
		q := question(t, c, "target_groups")
		if keys := optionKeys(q.Options); q.Type != form.MultipleChoice || !q.Required ||
			!slices.Contains(keys, "elderly") || !slices.Contains(keys, "youth") || !slices.Contains(keys, "disabled") {
			t.Errorf("target groups = %s %v", q.Type, keys)
		}
	} else if _, ok := f.Question("target_groups"); ok {
		t.Error("target groups belong to Human-CentriCity")
	}
	stage := question(t, c, "stage")
	if stage.Type != form.SingleChoice || !slices.Equal(optionKeys(stage.Options), []string{"planning", "feasibility_study", "legal_assessment", "implementing", "completed"}) {
		t.Errorf("stage = %s %v", stage.Type, optionKeys(stage.Options))
	}
	if q := question(t, c, "start_date"); q.Type != form.Date || !q.Required {
		t.Errorf("start date = %+v", q)
	}
	expected := question(t, c, "expected_end_date")
	if expected.ShowIf == nil || expected.ShowIf.Question != "stage" || slices.Contains(expected.ShowIf.Values(), "completed") || len(expected.ShowIf.Values()) != 4 {
		t.Errorf("expected completion date condition = %+v", expected.ShowIf)
	}
	if q := question(t, c, "end_date"); q.ShowIf == nil || !slices.Equal(q.ShowIf.Values(), []string{"completed"}) {
		t.Errorf("completion date condition = %+v", q.ShowIf)
	}
	partners := question(t, c, "partners")
	if partners.Type != form.Table || !slices.Equal(columnKeys(partners), []string{"organisation", "sector", "role"}) {
		t.Errorf("partners = %s %v", partners.Type, columnKeys(partners))
	} else if sector, _ := partners.Column("sector"); !slices.Equal(optionKeys(sector.Options), []string{"public", "private", "people"}) {
		t.Errorf("partner sectors = %v", optionKeys(sector.Options))
	}
	if q := question(t, c, "budget"); q.Type != form.Money || q.Currency == "" || !q.MayBeConfidential {
		t.Errorf("budget = %+v", q)
	}
	if q := question(t, c, "indicators"); q.Type != form.Table || !q.Required ||
		!slices.Equal(columnKeys(q), []string{"indicator", "value", "unit", "year", "source"}) {
		t.Errorf("indicators = %s %v", q.Type, columnKeys(q))
	}
	if q := question(t, c, "documents"); q.Type != form.File || !slices.Equal(q.Accept, []string{"pdf", "doc", "docx", "hwp", "hwpx", "xls", "xlsx", "ppt", "pptx", "jpg", "png", "gif", "webp"}) || q.Required {
		t.Errorf("documents = %+v", q)
	}
	if q := question(t, c, "videos"); q.Type != form.Table || q.Columns[0].Type != form.URL {
		t.Errorf("videos = %+v", q)
	}
	for _, key := range []string{"declare_accuracy", "declare_rights", "consent_publication"} {
		if q := question(t, c, key); q.Type != form.Declaration || !q.Required || q.Published {
			t.Errorf("%s = %+v", key, q)
		}
	}

	// One required narrative per criterion, linked to it.
	linked := map[string]int{}
	confidential := 0
	for _, q := range f.Questions() {
		if q.Criterion != "" {
			linked[q.Criterion]++
			if q.Type != form.LongText || !q.Required || q.MaxWords == 0 {
				t.Errorf("narrative %s = %s required %v max words %d", q.Key, q.Type, q.Required, q.MaxWords)
			}
		}
		if q.MayBeConfidential {
			confidential++
		}
	}
	for _, cr := range c.Criteria {
		if linked[cr.Key] != 1 {
			t.Errorf("criterion %s has %d narratives, want 1", cr.Key, linked[cr.Key])
		}
	}
	if len(linked) != len(c.Criteria) || confidential < 5 {
		t.Errorf("linked %v, %d questions may be confidential", linked, confidential)
	}
	if problems := f.Check(nil); len(problems) != len(c.Criteria) {
		t.Errorf("Check without criteria = %d problems, want one per criterion link", len(problems))
	}
}

// checkLeadershipForm checks a Leadership Application Form (DOMAIN.md "Leadership
// nominations"): the nomination records who the candidate is, the form their record.
func checkLeadershipForm(t *testing.T, c *edition.Category) {
	t.Helper()
	f := c.Form
	var sections []string
	for _, s := range f.Sections {
		sections = append(sections, s.Key)
	}
	if want := []string{"candidate", "achievements", "materials", "declarations"}; !slices.Equal(sections, want) {
		t.Errorf("sections = %v, want %v", sections, want)
	}
	// Held by the nomination, not asked in the form.
	for _, key := range []string{"name", "email", "organisation", "position", "is_head"} {
		if _, ok := f.Question(key); ok {
			t.Errorf("the form asks %s, which the nomination holds", key)
		}
	}
	for _, key := range []string{"country", "city", "nationality"} {
		if q := question(t, c, key); q.Type != form.ShortText || !q.Required {
			t.Errorf("%s = %s required %v", key, q.Type, q.Required)
		}
	}
	for _, key := range []string{"biography", "achievements_summary"} {
		if q := question(t, c, key); q.Type != form.LongText || q.MaxWords != 300 || !q.Required || !q.Published {
			t.Errorf("%s = %+v", key, q)
		}
	}
	if q := question(t, c, "website"); q.Type != form.URL || q.Required {
		t.Errorf("website = %+v", q)
	}
	if q := question(t, c, "cv"); q.Type != form.File || !q.Required || q.FileLimit() != 1 || q.SizeLimitMB() != 10 ||
		!slices.Equal(q.Accept, []string{"pdf", "doc", "docx", "hwp", "hwpx", "ppt", "pptx"}) {
		t.Errorf("cv = %+v", q)
	}
	if q := question(t, c, "photo"); q.Type != form.File || q.Required || !slices.Equal(q.Accept, []string{"jpg", "png"}) {
		t.Errorf("photo = %+v", q)
	}
	if q := question(t, c, "documents"); q.Type != form.File || q.Required || q.FileLimit() != 5 {
		t.Errorf("documents = %+v", q)
	}
	if q := question(t, c, "links"); q.Type != form.Table || q.Required || !slices.Equal(columnKeys(q), []string{"url", "description"}) || q.Columns[0].Type != form.URL {
		t.Errorf("links = %+v", q)
	}
	for _, key := range []string{"declare_candidate_consent", "consent_publication", "declare_accuracy"} {
		if q := question(t, c, key); q.Type != form.Declaration || !q.Required || q.Published {
			t.Errorf("%s = %+v", key, q)
		}
	}
	// One required, confidential-able, published narrative per Leadership criterion.
	linked := map[string]int{}
	for _, q := range f.Questions() {
		if q.Criterion == "" {
			continue
		}
		linked[q.Criterion]++
		if q.Type != form.LongText || q.MaxWords != 500 || !q.Required || !q.MayBeConfidential || !q.Published || !strings.HasPrefix(q.Help, "Indicators: ") {
			t.Errorf("narrative %s = %+v", q.Key, q)
		}
	}
	for _, cr := range c.Criteria {
		if linked[cr.Key] != 1 {
			t.Errorf("criterion %s has %d narratives, want 1", cr.Key, linked[cr.Key])
		}
	}
	if len(linked) != 4 || len(c.Criteria) != 4 {
		t.Errorf("linked %v to %d criteria", linked, len(c.Criteria))
	}
}

func TestFormStoredAndReimported(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	if _, err := edition.Import(ctx, pool, parse(t, []byte(minimal))); err != nil {
		t.Fatal(err)
	}
	_, want := mustResolve(t, []byte(minimal))
	got, err := edition.BySlug(ctx, pool, "test-2030")
	if err != nil {
		t.Fatal(err)
	}
	wp, _ := want.Category("projects")
	gp, _ := got.Category("projects")
	if gp.Form == nil || !reflect.DeepEqual(gp.Form, wp.Form) {
		t.Fatalf("stored form = %+v, want %+v", gp.Form, wp.Form)
	}
	wl, _ := want.Category("people")
	if people, _ := got.Category("people"); people.Form == nil || !reflect.DeepEqual(people.Form, wl.Form) {
		t.Errorf("people form = %+v, want %+v", people.Form, wl.Form)
	}

	// Adding a question is an edit of the file only.
	src := edit(t, minimal, "            - {key: story,", "            - {key: website, label: Website, type: url}\n            - {key: story,")
	if _, err := edition.Import(ctx, pool, parse(t, []byte(src))); err != nil {
		t.Fatal(err)
	}
	got, err = edition.BySlug(ctx, pool, "test-2030")
	if err != nil {
		t.Fatal(err)
	}
	gp, _ = got.Category("projects")
	if q, ok := gp.Form.Question("website"); !ok || q.Type != form.URL || len(gp.Form.Sections[0].Questions) != 5 {
		t.Errorf("re-imported form = %+v", gp.Form)
	}
}
