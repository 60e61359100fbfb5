package views

import (
	"reflect"
	"strings"
	"testing"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
)

// TestQuestionFormReadsBackEveryShippedQuestion: every question of the shipped editions' forms,
// written into the builder's form and read back, is the same question.
func TestQuestionFormReadsBackEveryShippedQuestion(t *testing.T) {
	for _, name := range edition.BuiltinNames() {
		for _, c := range editiontest.Resolved(t, name).Categories {
			for _, q := range c.Form.Questions() {
				got, errs := QuestionFormOf("s", q).Question()
				if errs.Any() {
					t.Fatalf("%s %s: %v", name, q.Key, errs)
				}
				if !reflect.DeepEqual(&got, q) {
					t.Errorf("%s %s:\n got %+v\nwant %+v", name, q.Key, got, *q)
				}
			}
		}
	}
}

func TestColumnsAndOptionsAreReadFromTheirLines(t *testing.T) {
	cols := []form.Column{
		{Key: "name", Label: "Partner", Type: form.ShortText, Required: true, MaxLength: 80},
		{Key: "since", Label: "Since", Type: form.Year},
		{Key: "sector", Label: "Sector", Type: form.SingleChoice, Options: []form.Option{{Key: "public", Label: "Public"}, {Key: "private", Label: "Private: for profit"}}},
	}
	text := FormatColumns(cols)
	if want := "name | Partner | short_text | required max=80\nsince | Since | year\nsector | Sector | single_choice |  | public: Public; private: Private: for profit"; text != want {
		t.Fatalf("FormatColumns:\n%s\nwant\n%s", text, want)
	}
	got, err := ParseColumns(text + "\n\n")
	if err != nil || !reflect.DeepEqual(got, cols) {
		t.Fatalf("ParseColumns: %+v, %v", got, err)
	}
	for _, bad := range []string{"name | Partner", "name | Partner | short_text | max=ten", "a | A | short_text | bold", "a | A | single_choice | | x"} {
		if _, err := ParseColumns(bad); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("ParseColumns(%q): %v", bad, err)
		}
	}
	if opts, err := ParseOptions(" yes: Yes, surely \n\nno:No"); err != nil || !reflect.DeepEqual(opts, []form.Option{{Key: "yes", Label: "Yes, surely"}, {Key: "no", Label: "No"}}) {
		t.Fatalf("ParseOptions: %+v, %v", opts, err)
	}
	if _, err := ParseOptions("yes: Yes\nno"); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("an option without its key: %v", err)
	}
}

// TestFormProblemsGoNextToTheirFields: the validator's problems of the question being edited go
// to its fields, those of other questions and sections to the form as a whole, naming them.
func TestFormProblemsGoNextToTheirFields(t *testing.T) {
	f := &form.Form{Sections: []form.Section{
		{Key: "a", Title: "First", Questions: []form.Question{{Key: "q1", Label: "One"}, {Key: "q2", Label: "Two"}}},
	}}
	problems := []edition.Problem{
		{Path: "categories[1].form.sections[0].questions[1].max_words", Message: "must be between 1 and 10000, got -5"},
		{Path: "categories[1].form.sections[0].questions[1].show_if.question", Message: `unknown question "x"`},
		{Path: "categories[1].form.sections[0].questions[1].show_if.in[1]", Message: `"z" is not an option`},
		{Path: "categories[1].form.sections[0].questions[1].options[2].key", Message: "is required"},
		{Path: "categories[1].form.sections[0].questions[0].show_if.question", Message: `unknown question "q9"`},
		{Path: "categories[1].form.sections[0].title", Message: "is required"},
		{Path: "categories[0].form.sections[0].title", Message: "is required"},
	}
	errs := FormProblems(f, 1, problems, "q2", "")
	want := map[string]string{
		"max_words":        "Word limit: must be between 1 and 10000, got -5",
		"show_if_question": `Shown only if: unknown question "x"`,
		"show_if_values":   `Answers that show it (in[1]): "z" is not an option`,
		"options":          "Options ([2].key): is required",
	}
	for name, msg := range want {
		if got := i18n.English(errs.Get(name)); got != msg {
			t.Errorf("%s: %q, want %q", name, got, msg)
		}
	}
	var general []string
	for _, e := range errs {
		if e.Field == "form" {
			general = append(general, i18n.English(e.Message))
		}
	}
	wantGeneral := []string{`Question “One” (q1): show_if.question: unknown question "q9"`, "Section “First”: title: is required",
		"categories[0].form.sections[0].title: is required"}
	if !reflect.DeepEqual(general, wantGeneral) {
		t.Errorf("general problems:\n%q\nwant\n%q", general, wantGeneral)
	}
	// The section's own problems go to its fields on its page.
	if got := FormProblems(f, 1, problems[5:6], "", "a").Get("title"); i18n.English(got) != "Title: is required" {
		t.Errorf("section title: %q", got)
	}
}

// TestConditionOffersOnlyEarlierChoices: a condition may depend only on an earlier question with
// answers to choose from.
func TestConditionOffersOnlyEarlierChoices(t *testing.T) {
	ed := editiontest.Resolved(t, "seoul-2023")
	c, _ := ed.Category("tech-innovacity")
	offered := func(q *form.Question, f QuestionForm) []string {
		var keys []string
		for _, o := range QuestionEditView(components.Page{}, ed, c, q, f, nil).ShowIf.Options {
			if o.Value != "" { // "Always shown"
				keys = append(keys, o.Value)
			}
		}
		return keys
	}
	end, _ := c.Form.Question("end_date")
	if got := offered(end, QuestionFormOf("project", end)); !reflect.DeepEqual(got, []string{"sectors", "stage"}) {
		t.Errorf("for end_date: %v", got)
	}
	if got := offered(nil, QuestionForm{Section: "project", Type: "short_text"}); !reflect.DeepEqual(got, []string{"sectors", "stage"}) {
		t.Errorf("for a new question of the first section: %v", got)
	}
	if got := offered(nil, QuestionForm{Section: "project", Type: ""}); got != nil {
		t.Errorf("before the type is chosen: %v", got)
	}
}
