package form_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
)

// fuzzForms are the forms the fuzz tests run against: the test form (every type) and two
// reference forms.
func fuzzForms(t testing.TB) []*form.Form {
	return []*form.Form{
		testForm(),
		reference(t, "seoul-2023", "tech-innovacity"),
		reference(t, "seoul-2024", "human-centricity"),
	}
}

// isField reports whether name is the name of an input that a page renders for the section
// (any section when section is "") with answers a: "q.<key>" of one of its questions, or a
// cell "q.<key>.<row>.<col>" of a row the answers hold.
func isField(f *form.Form, section, name string, a form.Answers) bool {
	rest, ok := strings.CutPrefix(name, "q.")
	if !ok {
		return false
	}
	parts := strings.Split(rest, ".")
	q, ok := f.Question(parts[0])
	if !ok {
		return false
	}
	if section != "" {
		s, _ := f.Section(section)
		if s == nil || !containsQuestion(s, q.Key) {
			return false
		}
	}
	switch len(parts) {
	case 1:
		return true
	case 3:
		row, err := strconv.Atoi(parts[1])
		_, col := q.Column(parts[2])
		return q.Type == form.Table && err == nil && strconv.Itoa(row) == parts[1] &&
			row >= 1 && row <= len(a[q.Key].Rows) && col
	}
	return false
}

func containsQuestion(s *form.Section, key string) bool {
	for _, q := range s.Questions {
		if q.Key == key {
			return true
		}
	}
	return false
}

func checkErrorFields(t *testing.T, what string, f *form.Form, section string, errs field.Errors, a form.Answers) {
	t.Helper()
	seen := map[string]bool{}
	for _, e := range errs {
		if !isField(f, section, e.Field, a) {
			t.Fatalf("%s: error on %q, which is not a field of section %q: %v", what, e.Field, section, e)
		}
		if seen[e.Field] {
			t.Fatalf("%s: two errors on %q", what, e.Field)
		}
		if e.Message == "" {
			t.Fatalf("%s: empty message on %q", what, e.Field)
		}
		seen[e.Field] = true
	}
}

// checkText fails unless s is clean: valid UTF-8, no control characters but line feeds and tabs
// in long texts, trimmed, and within limit characters.
func checkText(t *testing.T, what, s string, multiline bool, limit int) {
	t.Helper()
	if !utf8.ValidString(s) || strings.TrimSpace(s) != s || utf8.RuneCountInString(s) > limit {
		t.Fatalf("%s: unclean or too long text %q", what, s)
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) {
			t.Fatalf("%s: control character %U in %q", what, r, s)
		}
	}
}

func FuzzDecode(f *testing.F) {
	seeds := []string{
		"",
		"q.name=Alice&q.name.confidential=yes&q.story=one+two&q.count=42&q.ratio=-1.5&q.budget=1%2C500%2C000.50" +
			"&q.started=2023-05-31&q.site=https%3A%2F%2Fexample.org&q.contact=a%40example.org&q.kind=b&q.kind_detail=x" +
			"&q.tags=x&q.tags=z&q.tag_note=note&q.happy=no&q.why_not=because",
		"q.people.1.name=Bob&q.people.1.role=lead&q.people.2.year=20x3&q.people.3.role=boss&q.people.100.amount=1e9" +
			"&q.docs.remove=1&q.docs.remove=1&q.docs.confidential=yes&q.agree=yes&add_row=people",
		"q.project_title=Seoul+Talk&q.sectors=mobility&q.sectors=other&q.sector_other=Tourism&q.stage=implementing" +
			"&q.start_date=2021-03-01&q.expected_end_date=2025-12-31",
		"q.partners.1.organisation=KT&q.partners.1.sector=private&q.partners.2.sector=people&q.partners.30.role=x",
		"q.indicators.1.indicator=Users&q.indicators.1.value=35%2C000&q.indicators.1.year=2023&q.indicators.1.source=City",
		"q.budget=%00%FF&q.count=%E2%80%A8&q.name=a%0D%0Ab&q.story=%EF%BB%BF&q.kind=&q.tags=&q.tags=y",
		"q.people.0.name=zero&q.people.-1.name=neg&q.people.01.name=lead0&q.people.1.=x&q..=y&q.=z",
		"q.declare_accuracy=on&q.consent_publication=yes&q.videos.1.url=javascript%3Aalert(1)",
		strings.Repeat("q.tags=x&", 50) + "q.count=" + strings.Repeat("9", 60),
	}
	for i, s := range seeds {
		f.Add(s, uint8(i))
	}
	forms := fuzzForms(f)
	f.Fuzz(func(t *testing.T, query string, pick uint8) {
		values, _ := url.ParseQuery(query) // what a handler gets, even from a malformed body
		for _, fm := range forms {
			s := fm.Sections[int(pick)%len(fm.Sections)]
			a, errs := form.Decode(fm, s.Key, values)
			checkErrorFields(t, "Decode", fm, s.Key, errs, a)
			if again, errs2 := form.Decode(fm, s.Key, values); !reflect.DeepEqual(again, a) || !reflect.DeepEqual(errs2, errs) {
				t.Fatal("Decode is not deterministic")
			}
			for key, ans := range a {
				q, ok := fm.Question(key)
				if !ok || !containsQuestion(&s, key) {
					t.Fatalf("answer to %q, not a question of section %s", key, s.Key)
				}
				if ans.Empty() && !ans.Confidential && len(ans.RemovedFiles()) == 0 {
					t.Fatalf("empty answer kept for %s", key)
				}
				if ans.Confidential && !q.MayBeConfidential {
					t.Fatalf("%s marked confidential", key)
				}
				limit := form.MaxLineRunes
				if q.Type == form.LongText {
					limit = form.MaxTextRunes
				}
				checkText(t, key, ans.Text, q.Type == form.LongText, limit)
				if ans.Number != "" {
					if _, err := ans.Number.Float64(); err != nil {
						t.Fatalf("%s: number %q: %v", key, ans.Number, err)
					}
				}
				for _, c := range ans.Choices {
					if _, ok := q.Option(c); !ok {
						t.Fatalf("%s: unknown choice %q kept", key, c)
					}
				}
				if len(ans.Rows) > form.MaxRows {
					t.Fatalf("%s: %d rows", key, len(ans.Rows))
				}
				for _, r := range ans.Rows {
					if len(r) == 0 {
						t.Fatalf("%s: empty row kept", key)
					}
					for col, cell := range r {
						if _, ok := q.Column(col); !ok {
							t.Fatalf("%s: unknown column %q", key, col)
						}
						checkText(t, key+"."+col, cell, false, form.MaxCellRunes)
					}
				}
			}
			data, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(data, []byte(`\u0000`)) {
				t.Fatalf("JSON holds a NUL, which JSONB refuses: %s", data)
			}
			var back form.Answers
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatalf("JSON %s: %v", data, err)
			}
			if again, _ := json.Marshal(back); !bytes.Equal(again, data) {
				t.Fatalf("JSON not stable:\n%s\n%s", data, again)
			}
			merged, _ := form.Merge(fm, s.Key, nil, a)
			checkErrorFields(t, "Validate after Decode", fm, s.Key, form.ValidateSection(fm, s.Key, merged, form.Draft), merged)
		}
	})
}

func FuzzValidate(f *testing.F) {
	seeds := []string{
		`{}`,
		`{"name":{"text":"Alice","confidential":true},"story":{"text":"one two three four five six"},"budget":{"text":"-1","number":-1},"kind":{"text":"c"},"sub":{"text":"s1"},"sub_note":{"text":"   "},"tags":{"choices":["x","x","gone"]},"happy":{"text":"no"}}`,
		`{"people":{"rows":[{"name":"A"},{},{"name":" ","year":"3000"},{"gone":"x"},{"role":"boss","link":"ftp://x","amount":"1,5"}]},"docs":{"files":[{"id":"1","name":"a"},{"id":"2"},{"id":"3"}]},"agree":{"text":"no"}}`,
		`{"stage":{"text":"completed"},"expected_end_date":{"text":"2020-13-45"},"end_date":{"text":""},"sectors":{"choices":["other"]},"sector_other":{"text":"x"}}`,
		`{"indicators":{"rows":[{"indicator":"Users","value":"35,000","year":"2023","source":"City"},{"value":"x"}]},"videos":{"rows":[{"url":"https://example.org"}]}}`,
		`{"count":{"text":"1e400","number":1e400},"ratio":{"choices":["a"],"rows":[{"a":"b"}],"files":[{"id":"","name":""}]},"unknown":{"text":"x"}}`,
		`{"declare_accuracy":{"text":"yes"},"consent_publication":{"text":"YES"},"budget":{"text":"2,500,000","confidential":true}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	forms := fuzzForms(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var a form.Answers
		if err := json.Unmarshal(data, &a); err != nil {
			return
		}
		for _, fm := range forms {
			draft := form.Validate(fm, a, form.Draft)
			submit := form.Validate(fm, a, form.Submit)
			checkErrorFields(t, "Draft", fm, "", draft, a)
			checkErrorFields(t, "Submit", fm, "", submit, a)
			for _, e := range draft { // a submission is judged at least as strictly as a draft
				if submit.Get(e.Field) == "" {
					t.Fatalf("draft error on %s (%s) missing on submit", e.Field, e.Message)
				}
			}
			progress := form.Progress(fm, a)
			for i, p := range progress {
				s := fm.Sections[i]
				errs := form.ValidateSection(fm, s.Key, a, form.Submit)
				checkErrorFields(t, "ValidateSection", fm, s.Key, errs, a)
				if len(errs) != len(p.Missing)+p.Problems {
					t.Fatalf("section %s: %d errors, progress %+v", s.Key, len(errs), p)
				}
				for _, m := range p.Missing {
					if !isField(fm, s.Key, m.Field, a) || errs.Get(m.Field) == "" {
						t.Fatalf("section %s: missing %+v", s.Key, m)
					}
				}
			}
			pruned := form.Prune(fm, a)
			for key, ans := range pruned {
				q, ok := fm.Question(key)
				if !ok || !fm.Visible(q, pruned) || ans.Empty() || (ans.Confidential && !q.MayBeConfidential) {
					t.Fatalf("Prune kept %s = %+v", key, ans)
				}
			}
			// Pruning changes nothing the submission is judged on.
			if after := form.Validate(fm, pruned, form.Submit); len(after) > len(submit) {
				t.Fatalf("pruned answers have more problems: %v, before %v", after, submit)
			}
			for key, ans := range form.Publishable(fm, a) {
				if q, _ := fm.Question(key); ans.Confidential || !q.Published {
					t.Fatalf("Publishable kept %s = %+v", key, ans)
				}
			}
		}
	})
}
