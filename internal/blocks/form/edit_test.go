package form_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"prizeportal/internal/blocks/form"
)

// outline lists the form as "section: q1 q2 | section: ..." for comparisons.
func outline(f *form.Form) string {
	var parts []string
	for _, s := range f.Sections {
		var keys []string
		for _, q := range s.Questions {
			keys = append(keys, q.Key)
		}
		parts = append(parts, s.Key+": "+strings.Join(keys, " "))
	}
	return strings.Join(parts, " | ")
}

// noProblems fails when Check finds anything in f.
func noProblems(t *testing.T, f *form.Form) {
	t.Helper()
	if ps := f.Check(nil); len(ps) > 0 {
		t.Fatalf("Check: %v", ps)
	}
}

func TestSectionsAreAddedChangedMovedAndRemoved(t *testing.T) {
	f := testForm()
	if err := f.AddSection(form.Section{Key: "extra", Title: "Extra", Questions: []form.Question{{Key: "note", Label: "Note", Type: form.ShortText}}}); err != nil {
		t.Fatal(err)
	}
	if err := f.AddSection(form.Section{Key: "basics", Title: "Again"}); !errors.Is(err, form.ErrDuplicateKey) {
		t.Fatalf("a second section basics: got %v, want ErrDuplicateKey", err)
	}
	noProblems(t, f)
	if err := f.MoveSection("extra", -1); err != nil {
		t.Fatal(err)
	}
	if err := f.MoveSection("basics", -1); err != nil { // already first: stays
		t.Fatal(err)
	}
	keys := func() []string {
		var ks []string
		for _, s := range f.Sections {
			ks = append(ks, s.Key)
		}
		return ks
	}
	if got := keys(); !slices.Equal(got, []string{"basics", "extra", "more"}) {
		t.Fatalf("after moving extra up: %v", got)
	}
	if err := f.UpdateSection("extra", form.Section{Key: "notes", Title: "Notes", Intro: "Anything else."}); err != nil {
		t.Fatal(err)
	}
	if s, ok := f.Section("notes"); !ok || s.Title != "Notes" || s.Intro != "Anything else." || len(s.Questions) != 1 {
		t.Fatalf("updated section: %+v", s)
	}
	if err := f.UpdateSection("notes", form.Section{Key: "more", Title: "More"}); !errors.Is(err, form.ErrDuplicateKey) {
		t.Fatalf("renaming to an existing key: got %v", err)
	}
	if err := f.RemoveSection("notes"); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.Question("note"); ok {
		t.Fatal("the removed section's question is still there")
	}
	if err := f.RemoveSection("notes"); !errors.Is(err, form.ErrNoSuchItem) {
		t.Fatalf("removing a missing section: got %v", err)
	}
	noProblems(t, f)
}

func TestQuestionsMoveWithinAndAcrossSections(t *testing.T) {
	f := &form.Form{Sections: []form.Section{
		{Key: "a", Title: "A", Questions: []form.Question{{Key: "q1"}, {Key: "q2"}}},
		{Key: "b", Title: "B", Questions: []form.Question{{Key: "q3"}}},
	}}
	steps := []struct {
		key   string
		delta int
		want  string
	}{
		{"q2", -1, "a: q2 q1 | b: q3"},
		{"q2", -1, "a: q2 q1 | b: q3"}, // the first of the form stays
		{"q1", 1, "a: q2 | b: q1 q3"},  // the last of a section goes to the start of the next
		{"q1", -1, "a: q2 q1 | b: q3"}, // the first of a section goes to the end of the previous
		{"q1", 1, "a: q2 | b: q1 q3"},
		{"q3", 1, "a: q2 | b: q1 q3"}, // the last of the form stays
		{"q3", -1, "a: q2 | b: q3 q1"},
	}
	for _, st := range steps {
		if err := f.MoveQuestion(st.key, st.delta); err != nil {
			t.Fatal(err)
		}
		if got := outline(f); got != st.want {
			t.Fatalf("move %s by %d: got %q, want %q", st.key, st.delta, got, st.want)
		}
	}
	if err := f.MoveQuestionTo("q1", "a"); err != nil {
		t.Fatal(err)
	}
	if got := outline(f); got != "a: q2 q1 | b: q3" {
		t.Fatalf("move q1 to a: %q", got)
	}
	if err := f.MoveQuestion("nope", 1); !errors.Is(err, form.ErrNoSuchItem) {
		t.Fatalf("moving a missing question: %v", err)
	}
	if err := f.MoveQuestionTo("q1", "nope"); !errors.Is(err, form.ErrNoSuchItem) {
		t.Fatalf("moving to a missing section: %v", err)
	}
}

func TestQuestionsAreAddedUpdatedAndRemoved(t *testing.T) {
	f := testForm()
	q := form.Question{Key: "budget_note", Label: "About the budget", Type: form.LongText, MaxWords: 100, Help: "Optional."}
	if err := f.AddQuestion("basics", q); err != nil {
		t.Fatal(err)
	}
	if err := f.AddQuestion("basics", form.Question{Key: "name"}); !errors.Is(err, form.ErrDuplicateKey) {
		t.Fatalf("a second question name: %v", err)
	}
	if err := f.AddQuestion("nope", q); !errors.Is(err, form.ErrNoSuchItem) {
		t.Fatalf("adding to a missing section: %v", err)
	}
	noProblems(t, f)
	// Renaming a question takes the conditions that depend on it along.
	kind, _ := f.Question("kind")
	renamed := *kind
	renamed.Key = "category"
	if err := f.UpdateQuestion("kind", renamed); err != nil {
		t.Fatal(err)
	}
	if d, _ := f.Question("kind_detail"); d.ShowIf.Question != "category" {
		t.Fatalf("the condition still names %q", d.ShowIf.Question)
	}
	noProblems(t, f)
	if err := f.UpdateQuestion("category", form.Question{Key: "name"}); !errors.Is(err, form.ErrDuplicateKey) {
		t.Fatalf("renaming onto another question: %v", err)
	}
	// Removing a question others depend on is left for Check to report.
	if err := f.RemoveQuestion("happy"); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.Question("happy"); ok {
		t.Fatal("happy is still there")
	}
	ps := f.Check(nil)
	if len(ps) != 1 || ps[0].Path != "sections[0].questions[14].show_if.question" {
		t.Fatalf("Check after removing happy: %v", ps)
	}
	if err := f.RemoveQuestion("happy"); !errors.Is(err, form.ErrNoSuchItem) {
		t.Fatalf("removing twice: %v", err)
	}
}

func TestConditionsOptionsAndColumnsAreSet(t *testing.T) {
	f := testForm()
	if err := f.SetCondition("agree", "happy", []string{"yes"}); err != nil {
		t.Fatal(err)
	}
	if q, _ := f.Question("agree"); q.ShowIf == nil || q.ShowIf.Equals != "yes" || q.ShowIf.In != nil {
		t.Fatalf("one value: %+v", q.ShowIf)
	}
	noProblems(t, f)
	if err := f.SetCondition("people", "kind", []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	if q, _ := f.Question("people"); q.ShowIf.Equals != "" || !slices.Equal(q.ShowIf.In, []string{"a", "b"}) {
		t.Fatalf("two values: %+v", q.ShowIf)
	}
	noProblems(t, f)
	if err := f.SetCondition("people", "", nil); err != nil {
		t.Fatal(err)
	}
	if q, _ := f.Question("people"); q.ShowIf != nil {
		t.Fatalf("cleared: %+v", q.ShowIf)
	}
	// A condition on a later question or an unknown option is Check's to refuse.
	if err := f.SetCondition("site", "people", []string{"x"}); err != nil {
		t.Fatal(err)
	}
	if ps := f.Check(nil); len(ps) != 1 || !strings.HasSuffix(ps[0].Path, ".show_if.question") {
		t.Fatalf("condition on a later question: %v", ps)
	}
	if err := f.SetCondition("site", "", nil); err != nil {
		t.Fatal(err)
	}

	if err := f.SetOptions("kind", []form.Option{{Key: "a", Label: "A"}, {Key: "b", Label: "B"}, {Key: "c", Label: "C"}, {Key: "d", Label: "D"}}); err != nil {
		t.Fatal(err)
	}
	if q, _ := f.Question("kind"); len(q.Options) != 4 {
		t.Fatalf("options: %v", q.Options)
	}
	cols := []form.Column{{Key: "name", Label: "Name", Type: form.ShortText}, {Key: "since", Label: "Since", Type: form.Year}}
	if err := f.SetColumns("people", cols); err != nil {
		t.Fatal(err)
	}
	cols[0].Label = "changed after"
	if q, _ := f.Question("people"); len(q.Columns) != 2 || q.Columns[0].Label != "Name" {
		t.Fatalf("columns: %+v", q.Columns)
	}
	noProblems(t, f)
	if err := f.SetOptions("nope", nil); !errors.Is(err, form.ErrNoSuchItem) {
		t.Fatalf("options of a missing question: %v", err)
	}
}

func TestWithTypeKeepsOnlyTheNewTypesAttributes(t *testing.T) {
	f := testForm()
	for _, q := range f.Questions() {
		for _, typ := range form.QuestionTypes() {
			got := q.WithType(typ)
			if got.Type != typ || got.Key != q.Key || got.Label != q.Label || got.Required != q.Required || got.ShowIf != q.ShowIf {
				t.Fatalf("%s as %s lost its common fields: %+v", q.Key, typ, got)
			}
			g := &form.Form{Sections: []form.Section{{Key: "s", Title: "S", Questions: []form.Question{got}}}}
			got.ShowIf = nil
			g.Sections[0].Questions[0] = got
			for _, p := range g.Check(nil) {
				if strings.Contains(p.Message, "applies only to") || strings.Contains(p.Message, "cannot be confidential") {
					t.Errorf("%s as %s: %s: %s", q.Key, typ, p.Path, p.Message)
				}
			}
		}
	}
	budget, _ := f.Question("budget")
	if got := budget.WithType(form.Number); got.Min != "0" || got.Currency != "" {
		t.Fatalf("money to number keeps min and drops the currency: %+v", got)
	}
}

func TestSampleAnswersAreValidAndShowConditionalQuestions(t *testing.T) {
	for _, f := range []*form.Form{testForm(), reference(t, "seoul-2023", "tech-innovacity"), reference(t, "seoul-2023", "leadership")} {
		a := form.Sample(f)
		for _, e := range form.Validate(f, a, form.Submit) {
			q, _ := f.Question(strings.TrimPrefix(e.Field, "q."))
			if q != nil && q.Type == form.File {
				continue // nothing is uploaded in a sample
			}
			t.Errorf("sample answer %s: %s", e.Field, e.Message)
		}
		// Every question that others depend on is answered so that at least one of them shows.
		shown := map[string]bool{}
		for _, q := range f.Questions() {
			if q.ShowIf != nil {
				shown[q.ShowIf.Question] = shown[q.ShowIf.Question] || f.Visible(q, a)
			}
		}
		for ref, ok := range shown {
			if !ok {
				t.Errorf("no question depending on %s is shown by the sample (%+v)", ref, a[ref])
			}
		}
	}
	f := testForm()
	a := form.Sample(f)
	for _, key := range []string{"tag_note", "why_not", "sub", "kind_detail", "sub_note"} {
		if !f.Visible(mustQuestion(t, f, key), a) {
			t.Errorf("%s is hidden: %+v", key, a)
		}
	}
	if got := a["tags"].Choices; len(got) != 2 {
		t.Fatalf("tags asks for two choices: %v", got)
	}
	if _, ok := a["docs"]; ok {
		t.Fatal("a file question has a sample answer")
	}
}

func mustQuestion(t *testing.T, f *form.Form, key string) *form.Question {
	t.Helper()
	q, ok := f.Question(key)
	if !ok {
		t.Fatalf("no question %s", key)
	}
	return q
}
