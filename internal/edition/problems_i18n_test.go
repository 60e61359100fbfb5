package edition_test

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// badEdition breaks nearly every rule of the validator and of the YAML reader at once.
const badEdition = `slug: Bad_Slug
name: ""
year: 12
contact_email: nope
time_zone: Mars/Base
language: xx
retention_years: 500
unknwon: 1
schedule:
  applications_open: soon
  application_deadline: 2020-01-01
  grace_period: 90s5ms
entity_types: []
scale: {min: 5, max: 1}
categories:
  - key: a
    name: A
    kind: other
    eligible_entity_types: [ghost]
    semi_finalists: 0
    prizes: [{place: 0, name: X, count: 0}, {place: 0, name: Y, count: 1}]
    criteria: []
    nominations: {nominator_categories: []}
  - key: b
    name: B
    kind: leadership
    eligible_entity_types: []
    semi_finalists: 1
    prizes: [{place: 1, name: X, count: 3}]
    criteria: [{key: c, name: C, weight: -1, indicators: [{name: "!!"}]}]
    nominations: {nominator_categories: [{key: n, name: N}], endorsements_more_than: -1, letter_deadline: later}
scoring: {method: average, criterion_comments: maybe, evaluators_per_entry: 0}
voting: {method: plurality, quorum: 0, attendance_deadline: never}
publication: {repository: everything, semi_finalists_list: maybe}
translations: {xx: {}, en: {}}
special_mentions: {awards: [{name: M, count: [1]}]}
`

// badForm breaks the form rules that carry a value.
func badForm() *form.Form {
	return &form.Form{Sections: []form.Section{
		{Key: "one", Title: "One", Questions: []form.Question{
			{Key: "Name", Label: "Name", Type: form.ShortText, MaxLength: 5000},
			{Key: "kind", Label: "Kind", Type: "colour"},
			{Key: "budget", Label: "Budget", Type: form.Money, Currency: "won", Min: "10", Max: "1", Unit: "won"},
			{Key: "when", Label: "When", Type: form.Date, Min: "2020-02-01", Max: "2020-01-32"},
			{Key: "pick", Label: "Pick", Type: form.SingleChoice, Display: "list",
				Options: []form.Option{{Key: "a", Label: "A"}, {Key: "a", Label: "B"}}},
			{Key: "many", Label: "Many", Type: form.MultipleChoice, MinChoices: 4, MaxChoices: 3,
				Options: []form.Option{{Key: "a", Label: "A"}, {Key: "b", Label: "B"}}},
			{Key: "docs", Label: "Docs", Type: form.File, Accept: []string{"exe"}},
			{Key: "files", Label: "Files", Type: form.File},
			{Key: "grid", Label: "Grid", Type: form.Table, MaxRows: 2, MinRows: 3, Columns: []form.Column{
				{Key: "c", Label: "C", Type: form.Date, Options: []form.Option{{Key: "a", Label: "A"}}, MaxLength: 3}}},
			{Key: "why", Label: "Why", Type: form.LongText, Criterion: "impact",
				ShowIf: &form.Condition{Question: "pick", In: []string{"z"}}},
			{Key: "later", Label: "Later", Type: form.LongText, ShowIf: &form.Condition{Question: "last"}},
			{Key: "text", Label: "Text", Type: form.LongText, ShowIf: &form.Condition{Question: "why", Equals: "x"}},
			{Key: "ghost", Label: "Ghost", Type: form.LongText, ShowIf: &form.Condition{Question: "nowhere", Equals: "x"}},
			{Key: "last", Label: "Last", Type: form.YesNo, ShowIf: &form.Condition{Question: "pick", Equals: "z"}},
			{Key: "count", Label: "Count", Type: form.Number, Min: "1e9"},
			{Key: "name", Label: "Name", Type: form.ShortText},
			{Key: "name", Label: "Name", Type: form.ShortText},
		}},
	}}
}

// everyProblem is every problem of badEdition and badForm, each as the pages get it.
func everyProblem(t *testing.T) []string {
	t.Helper()
	_, err := edition.Parse([]byte(badEdition))
	var verr *edition.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("the bad edition: %v", err)
	}
	var out []string
	for _, p := range verr.Problems {
		out = append(out, p.Shown())
	}
	for _, p := range badForm().Check([]string{"novelty"}) {
		out = append(out, p.Shown())
	}
	for _, src := range []string{"", "a: [", "a: *x\n"} {
		_, err := edition.Parse([]byte(src))
		if !errors.As(err, &verr) || len(verr.Problems) == 0 {
			t.Fatalf("%q: %v", src, err)
		}
		out = append(out, verr.Problems[0].Shown())
	}
	return out
}

// value is a value a problem quotes as it was given ("Bad_Slug"), or a path, key or list of keys
// of the definition (schedule.scoring.start, single_choice, doc, docx): not words to translate.
var value = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|[A-Za-z0-9_]+(?:[._\[\]/-][A-Za-z0-9_\[\]]*)+|\b(?:[a-z]+, )+[a-z]+\b`)

// technical are the words a Korean problem keeps as they are: the definition's own keys and
// values, and names of standards.
var technical = []string{"YAML", "IANA", "ISO", "USD", "KRW", "equals", "in", "min", "max", "true", "false",
	"required", "optional", "schulze", "borda", "project", "leadership", "head", "name", "line", "did", "not",
	"x", "a", "b", "z", "xx", "en", "c", "n", "info", "novelty", "number", "money", "date"}

// english is what is left of s, a problem in Korean, that reads as English. The detail of a
// YAML syntax error is the YAML reader's own, in English.
func english(s string) []string {
	var left []string
	s, _, _ = strings.Cut(s, "YAML 구문 오류: ")
	for _, w := range strings.FieldsFunc(value.ReplaceAllString(s, " "), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) {
		if !slices.Contains(technical, w) {
			left = append(left, w)
		}
	}
	return left
}

// TestProblemsInKorean: every problem of the edition file and of a form, values and all, reads
// in Korean, and the pseudo-locale marks each as a whole (no English glued around a value).
func TestProblemsInKorean(t *testing.T) {
	i18n.EnablePseudo()
	ko, pseudo := i18n.For("ko"), i18n.For(i18n.Pseudo)
	problems := everyProblem(t)
	if len(problems) < 60 {
		t.Fatalf("only %d problems: %q", len(problems), problems)
	}
	for _, p := range problems {
		en, k := i18n.English(p), ko.T(p)
		if !strings.ContainsFunc(k, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) {
			t.Errorf("not in Korean: %q", en)
		} else if left := english(k); len(left) > 0 {
			t.Errorf("English %q left in %q (%q)", left, k, en)
		}
		if ps := pseudo.T(p); !strings.HasPrefix(ps, i18n.PseudoOpen) || !strings.HasSuffix(ps, i18n.PseudoClose) {
			t.Errorf("not marked as a whole in the pseudo-locale: %q", ps)
		}
	}
}
