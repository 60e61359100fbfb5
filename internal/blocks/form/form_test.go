package form_test

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/edition"
)

// testForm has a question of every type, conditions (one chained) and limits on everything.
func testForm() *form.Form {
	opts := func(keys ...string) []form.Option {
		var o []form.Option
		for _, k := range keys {
			o = append(o, form.Option{Key: k, Label: strings.ToUpper(k)})
		}
		return o
	}
	return &form.Form{Sections: []form.Section{
		{Key: "basics", Title: "Basics", Questions: []form.Question{
			{Key: "name", Label: "Name", Type: form.ShortText, MaxLength: 20, Required: true, MayBeConfidential: true, Published: true},
			{Key: "story", Label: "Story", Type: form.LongText, MaxWords: 5, Required: true, Published: true},
			{Key: "count", Label: "Count", Type: form.Number, Integer: true, Min: "0", Max: "100", Unit: "people"},
			{Key: "ratio", Label: "Ratio", Type: form.Number, Min: "-1.5", Max: "2.5"},
			{Key: "budget", Label: "Budget", Type: form.Money, Currency: "KRW", Min: "0", Required: true, MayBeConfidential: true, Published: true},
			{Key: "started", Label: "Started", Type: form.Date, Min: "2000-01-01", Max: "2030-12-31"},
			{Key: "site", Label: "Site", Type: form.URL},
			{Key: "contact", Label: "Contact", Type: form.Email},
			{Key: "kind", Label: "Kind", Type: form.SingleChoice, Display: form.Dropdown, Options: opts("a", "b", "c"), Required: true, Published: true},
			{Key: "kind_detail", Label: "Kind detail", Type: form.ShortText, Required: true, ShowIf: &form.Condition{Question: "kind", In: []string{"b", "c"}}},
			{Key: "sub", Label: "Sub", Type: form.SingleChoice, Options: opts("s1", "s2"), ShowIf: &form.Condition{Question: "kind", Equals: "c"}},
			{Key: "sub_note", Label: "Sub note", Type: form.ShortText, Required: true, ShowIf: &form.Condition{Question: "sub", Equals: "s1"}},
			{Key: "tags", Label: "Tags", Type: form.MultipleChoice, Options: opts("x", "y", "z"), MinChoices: 2, MaxChoices: 2},
			{Key: "tag_note", Label: "Tag note", Type: form.LongText, Required: true, ShowIf: &form.Condition{Question: "tags", Equals: "z"}},
			{Key: "happy", Label: "Happy", Type: form.YesNo, Required: true},
			{Key: "why_not", Label: "Why not", Type: form.LongText, Required: true, ShowIf: &form.Condition{Question: "happy", Equals: "no"}},
		}},
		{Key: "more", Title: "More", Questions: []form.Question{
			{Key: "people", Label: "People", Type: form.Table, RowLabel: "Person", MinRows: 2, MaxRows: 3, Required: true, Published: true, Columns: []form.Column{
				{Key: "name", Label: "Name", Type: form.ShortText, MaxLength: 10, Required: true},
				{Key: "role", Label: "Role", Type: form.SingleChoice, Options: opts("lead", "member")},
				{Key: "year", Label: "Year", Type: form.Year},
				{Key: "link", Label: "Link", Type: form.URL},
				{Key: "amount", Label: "Amount", Type: form.Number},
			}},
			{Key: "docs", Label: "Documents", Type: form.File, Accept: []string{"pdf", "jpg"}, MaxFiles: 2, Required: true, MayBeConfidential: true, Published: true},
			{Key: "agree", Label: "I agree", Type: form.Declaration, Required: true},
		}},
	}}
}

// reference returns the form of a category of a shipped edition.
func reference(t testing.TB, name, category string) *form.Form {
	t.Helper()
	d, err := edition.ParseBuiltin(name)
	if err != nil {
		t.Fatal(err)
	}
	e, err := d.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	c, ok := e.Category(category)
	if !ok || c.Form == nil {
		t.Fatalf("%s has no form for %s", name, category)
	}
	return c.Form
}

// errorFields lists the fields of errs in order.
func errorFields(errs field.Errors) []string {
	var fs []string
	for _, e := range errs {
		fs = append(fs, e.Field)
	}
	return fs
}

func TestTestFormIsValid(t *testing.T) {
	t.Parallel()
	if p := testForm().Check(nil); len(p) != 0 {
		t.Fatalf("test form: %v", p)
	}
}

func TestSectionIndex(t *testing.T) {
	t.Parallel()
	f := testForm()
	last := f.Sections[len(f.Sections)-1].Key
	if i := f.SectionIndex(last); i != len(f.Sections)-1 {
		t.Fatalf("SectionIndex(%q) = %d", last, i)
	}
	if i := f.SectionIndex("no such section"); i != 0 {
		t.Fatalf("SectionIndex of an unknown key = %d, want 0", i)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		change  func(f *form.Form)
		path    string
		message string
	}{
		{"no sections", func(f *form.Form) { f.Sections = nil }, "sections", "at least one section is required"},
		{"empty section", func(f *form.Form) { f.Sections[1].Questions = nil }, "sections[1].questions", "at least one question"},
		{"duplicate section", func(f *form.Form) { f.Sections[1].Key = "basics" }, "sections[1].key", `duplicate key "basics" (also at sections[0].key)`},
		{"hyphen in key", func(f *form.Form) { f.Sections[0].Questions[0].Key = "full-name" }, "sections[0].questions[0].key", "underscores"},
		{"key across sections", func(f *form.Form) { f.Sections[1].Questions[2].Key = "name" }, "sections[1].questions[2].key", `duplicate key "name" (also at sections[0].questions[0].key)`},
		{"no label", func(f *form.Form) { f.Sections[0].Questions[1].Label = " " }, "sections[0].questions[1].label", "is required"},
		{"no type", func(f *form.Form) { f.Sections[0].Questions[1].Type = "" }, "sections[0].questions[1].type", "is required"},
		{"year is a column type", func(f *form.Form) {
			f.Sections[0].Questions[1].Type = form.Year
			f.Sections[0].Questions[1].MaxWords = 0
		}, "sections[0].questions[1].type", `got "year"`},
		{"max length", func(f *form.Form) { f.Sections[0].Questions[0].MaxLength = 5000 }, "sections[0].questions[0].max_length", "must be between 1 and 1000, got 5000"},
		{"min above max", func(f *form.Form) { f.Sections[0].Questions[2].Min = "200" }, "sections[0].questions[2].max", "must not be less than min (200)"},
		{"bad number bound", func(f *form.Form) { f.Sections[0].Questions[3].Max = "1e9" }, "sections[0].questions[3].max", `must be a number such as 0 or 2.5, got "1e9"`},
		{"no currency", func(f *form.Form) { f.Sections[0].Questions[4].Currency = "" }, "sections[0].questions[4].currency", "is required"},
		{"bad currency", func(f *form.Form) { f.Sections[0].Questions[4].Currency = "won" }, "sections[0].questions[4].currency", "three-letter ISO 4217 code"},
		{"dates reversed", func(f *form.Form) { f.Sections[0].Questions[5].Max = "1999-01-01" }, "sections[0].questions[5].max", "must not be before min (2000-01-01)"},
		{"unit on money", func(f *form.Form) { f.Sections[0].Questions[4].Unit = "won" }, "sections[0].questions[4].unit", "applies only to number questions, not to money"},
		{"options on text", func(f *form.Form) { f.Sections[0].Questions[0].Options = []form.Option{{Key: "a", Label: "A"}} }, "sections[0].questions[0].options", "applies only to single_choice, multiple_choice questions"},
		{"display", func(f *form.Form) { f.Sections[0].Questions[8].Display = "list" }, "sections[0].questions[8].display", `must be "dropdown" or "radio", got "list"`},
		{"option label", func(f *form.Form) { f.Sections[0].Questions[8].Options[2].Label = "" }, "sections[0].questions[8].options[2].label", "is required"},
		{"too many min choices", func(f *form.Form) { f.Sections[0].Questions[12].MinChoices = 4 }, "sections[0].questions[12].min_choices", "must not be more than the 3 options"},
		{"min above max choices", func(f *form.Form) { f.Sections[0].Questions[12].MaxChoices = 1 }, "sections[0].questions[12].max_choices", "must not be less than min_choices (2)"},
		{"condition on text", func(f *form.Form) { f.Sections[0].Questions[9].ShowIf.Question = "name" }, "sections[0].questions[9].show_if.question", `question "name" is a short_text question`},
		{"condition on yes/no", func(f *form.Form) { f.Sections[0].Questions[15].ShowIf.Equals = "nope" }, "sections[0].questions[15].show_if.equals", `"nope" is not an option of question "happy" (yes, no)`},
		{"unknown file kind", func(f *form.Form) { f.Sections[1].Questions[1].Accept = []string{"pdf", "exe", "pdf"} }, "sections[1].questions[1].accept[1]", `must be one of doc, docx, gif, hwp, hwpx, jpg, pdf, png, ppt, pptx, webp, xls, xlsx, got "exe"`},
		{"duplicate file kind", func(f *form.Form) { f.Sections[1].Questions[1].Accept = []string{"pdf", "pdf"} }, "sections[1].questions[1].accept[1]", `duplicate key "pdf"`},
		{"no file kind", func(f *form.Form) { f.Sections[1].Questions[1].Accept = nil }, "sections[1].questions[1].accept", "at least one file kind"},
		{"file size", func(f *form.Form) { f.Sections[1].Questions[1].MaxSizeMB = 1000 }, "sections[1].questions[1].max_size_mb", "must be between 1 and 200"},
		{"no columns", func(f *form.Form) { f.Sections[1].Questions[0].Columns = nil }, "sections[1].questions[0].columns", "at least one column"},
		{"column type", func(f *form.Form) { f.Sections[1].Questions[0].Columns[2].Type = form.Date }, "sections[1].questions[0].columns[2].type", `must be one of short_text, number, year, url, single_choice, got "date"`},
		{"column options", func(f *form.Form) { f.Sections[1].Questions[0].Columns[1].Options = nil }, "sections[1].questions[0].columns[1].options", "at least two options"},
		{"options on a number column", func(f *form.Form) {
			f.Sections[1].Questions[0].Columns[4].Options = []form.Option{{Key: "a", Label: "A"}}
		}, "sections[1].questions[0].columns[4].options", "applies only to single_choice columns"},
		{"duplicate column", func(f *form.Form) { f.Sections[1].Questions[0].Columns[3].Key = "year" }, "sections[1].questions[0].columns[3].key", `duplicate key "year"`},
		{"rows", func(f *form.Form) { f.Sections[1].Questions[0].MaxRows = 500 }, "sections[1].questions[0].max_rows", "must be between 1 and 100"},
		{"min rows", func(f *form.Form) { f.Sections[1].Questions[0].MinRows = 4 }, "sections[1].questions[0].min_rows", "must not be more than max_rows (3)"},
		{"confidential declaration", func(f *form.Form) { f.Sections[1].Questions[2].MayBeConfidential = true }, "sections[1].questions[2].may_be_confidential", "cannot be confidential"},
		{"criterion", func(f *form.Form) { f.Sections[0].Questions[1].Criterion = "impact" }, "sections[0].questions[1].criterion", `unknown criterion "impact" (the category has no criteria)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := testForm()
			tt.change(f)
			problems := f.Check(nil)
			for _, p := range problems {
				if p.Path == tt.path && strings.Contains(p.Message, tt.message) {
					return
				}
			}
			t.Errorf("problems = %v\nwant %s: %s", problems, tt.path, tt.message)
		})
	}
	f := testForm()
	f.Sections[0].Questions[1].Criterion = "impact"
	if p := f.Check([]string{"novelty", "impact"}); len(p) != 0 {
		t.Errorf("known criterion: %v", p)
	}
}

func TestCountWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want int
	}{
		{"", 0},
		{"   \n\t ", 0},
		{"one", 1},
		{"  one two  three ", 3},
		{"well-known, isn't it?", 3},
		{"line\nbreak\r\nand\ttab", 4},
		{"no\u00a0break", 2},          // no-break space separates words, as in JavaScript
		{"ideo\u3000graphic", 2},      // ideographic space
		{"zero\ufeffwidth", 2},        // U+FEFF is \s in JavaScript
		{"next\u0085line", 1},         // U+0085 is not \s in JavaScript
		{"thin\u2009space\u202f!", 3}, // U+2009 and U+202F
		{"서울 스마트 시티", 3},
		{"首尔智慧城市奖", 1},
		{"— - —", 3},
	}
	for _, tt := range tests {
		if got := form.CountWords(tt.text); got != tt.want {
			t.Errorf("CountWords(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
	// Exactly the characters JavaScript's /\s/ matches separate words (listed by Node 20).
	jsSpace := map[rune]bool{}
	for _, r := range []rune{0x9, 0xa, 0xb, 0xc, 0xd, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
		0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff} {
		jsSpace[r] = true
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		want := 1
		if jsSpace[r] {
			want = 2
		}
		if got := form.CountWords("a" + string(r) + "b"); got != want {
			t.Fatalf("CountWords with %U = %d, want %d", r, got, want)
		}
	}
}

func TestDecodeTypes(t *testing.T) {
	t.Parallel()
	f := testForm()
	tests := []struct {
		name    string
		values  url.Values
		key     string
		want    form.Answer
		wantErr string // a substring of the error on "q."+key; "" for none
	}{
		{"text trimmed", url.Values{"q.name": {"  Alice  "}}, "name", form.Answer{Text: "Alice"}, ""},
		{"text too long is kept", url.Values{"q.name": {"Alice Bobson-Carolson"}}, "name", form.Answer{Text: "Alice Bobson-Carolson"}, "Name: use at most 20 characters (you have 21)"},
		{"control characters", url.Values{"q.name": {"Al\x00i\nce\x1b"}}, "name", form.Answer{Text: "Ali ce"}, ""},
		{"invalid UTF-8", url.Values{"q.name": {"a\xffb"}}, "name", form.Answer{Text: "a\ufffdb"}, ""},
		{"long text line breaks", url.Values{"q.story": {"one\r\ntwo \r three\u0000"}}, "story", form.Answer{Text: "one\ntwo \n three"}, ""},
		{"word limit waits for submit", url.Values{"q.story": {"one two three four five six"}}, "story", form.Answer{Text: "one two three four five six"}, ""},
		{"whole number", url.Values{"q.count": {"42"}}, "count", form.Answer{Text: "42", Number: "42"}, ""},
		{"grouped number out of range", url.Values{"q.count": {"1,234"}}, "count", form.Answer{Text: "1,234"}, "Count: must be at most 100 people"},
		{"not whole", url.Values{"q.count": {"4.5"}}, "count", form.Answer{Text: "4.5"}, "enter a whole number"},
		{"not a number is kept", url.Values{"q.count": {"about 40"}}, "count", form.Answer{Text: "about 40"}, "Count: enter a number using digits"},
		{"exponent", url.Values{"q.ratio": {"1e2"}}, "ratio", form.Answer{Text: "1e2"}, "enter a number"},
		{"NaN", url.Values{"q.ratio": {"NaN"}}, "ratio", form.Answer{Text: "NaN"}, "enter a number"},
		{"decimal comma", url.Values{"q.ratio": {"1,5"}}, "ratio", form.Answer{Text: "1,5"}, "enter a number"},
		{"leading zeros", url.Values{"q.ratio": {"-0001.50"}}, "ratio", form.Answer{Text: "-0001.50", Number: "-1.50"}, ""},
		{"below min", url.Values{"q.ratio": {"-1.6"}}, "ratio", form.Answer{Text: "-1.6"}, "Ratio: must be at least -1.5"},
		{"money", url.Values{"q.budget": {"1,500,000.5"}}, "budget", form.Answer{Text: "1,500,000.5", Number: "1500000.5"}, ""},
		{"money negative", url.Values{"q.budget": {"-1"}}, "budget", form.Answer{Text: "-1"}, "Budget: must be at least 0 KRW"},
		{"money decimals", url.Values{"q.budget": {"1.234"}}, "budget", form.Answer{Text: "1.234"}, "use at most two decimal places"},
		{"money words", url.Values{"q.budget": {"a lot"}}, "budget", form.Answer{Text: "a lot"}, "enter an amount in KRW"},
		{"date", url.Values{"q.started": {"2023-05-31"}}, "started", form.Answer{Text: "2023-05-31"}, ""},
		{"date format", url.Values{"q.started": {"31/05/2023"}}, "started", form.Answer{Text: "31/05/2023"}, "enter a date as year-month-day"},
		{"date before min", url.Values{"q.started": {"1999-12-31"}}, "started", form.Answer{Text: "1999-12-31"}, "must be on or after 2000-01-01"},
		{"date after max", url.Values{"q.started": {"2031-01-01"}}, "started", form.Answer{Text: "2031-01-01"}, "must be on or before 2030-12-31"},
		{"url", url.Values{"q.site": {"https://example.org/a?b=c"}}, "site", form.Answer{Text: "https://example.org/a?b=c"}, ""},
		{"url without scheme", url.Values{"q.site": {"www.example.org"}}, "site", form.Answer{Text: "www.example.org"}, "enter a full web address"},
		{"javascript url", url.Values{"q.site": {"javascript:alert(1)"}}, "site", form.Answer{Text: "javascript:alert(1)"}, "enter a full web address"},
		{"email", url.Values{"q.contact": {"a@example.org"}}, "contact", form.Answer{Text: "a@example.org"}, ""},
		{"email with name", url.Values{"q.contact": {"A <a@example.org>"}}, "contact", form.Answer{Text: "A <a@example.org>"}, "enter an email address"},
		{"choice", url.Values{"q.kind": {"b"}}, "kind", form.Answer{Text: "b"}, ""},
		{"unknown choice dropped", url.Values{"q.kind": {"zzz"}}, "kind", form.Answer{}, "Kind: choose one of the options"},
		{"multiple choice in option order", url.Values{"q.tags": {"z", "x", "x", "bogus"}}, "tags", form.Answer{Choices: []string{"x", "z"}}, "Tags: choose from the options listed"},
		{"yes/no", url.Values{"q.happy": {"no"}}, "happy", form.Answer{Text: "no"}, ""},
		{"yes/no other", url.Values{"q.happy": {"maybe"}}, "happy", form.Answer{}, "choose one of the options"},
		{"confidential", url.Values{"q.name": {"Al"}, "q.name.confidential": {"yes"}}, "name", form.Answer{Text: "Al", Confidential: true}, ""},
		{"confidential alone", url.Values{"q.budget.confidential": {"yes"}}, "budget", form.Answer{Confidential: true}, ""},
		{"confidential not allowed", url.Values{"q.count": {"3"}, "q.count.confidential": {"yes"}}, "count", form.Answer{Text: "3", Number: "3"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answers, errs := form.Decode(f, "basics", tt.values)
			got := answers[tt.key]
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("answer = %#v, want %#v", got, tt.want)
			}
			msg := errs.Get("q." + tt.key)
			if (tt.wantErr == "") != (msg == "") || !strings.Contains(msg, tt.wantErr) {
				t.Errorf("error = %q, want %q", msg, tt.wantErr)
			}
			if len(errs) > 1 {
				t.Errorf("errors = %v, want at most one", errs)
			}
		})
	}
}

func TestDecodeSectionBoundsAndTables(t *testing.T) {
	t.Parallel()
	f := testForm()
	values := url.Values{
		// Row 1 is empty, row 4 has only an invalid choice: both are left out, and the errors
		// of row 3 are reported where it is shown next time, as row 2.
		"q.people.1.name":     {"  "},
		"q.people.2.name":     {"Bob"},
		"q.people.2.role":     {"lead"},
		"q.people.3.year":     {"20x3"},
		"q.people.3.role":     {"boss"},
		"q.people.3.amount":   {"12.5"},
		"q.people.4.role":     {"boss"},
		"q.people.101.name":   {"beyond the last row read"},
		"q.people.x.name":     {"not a row"},
		"q.docs.remove":       {"id1", "id1", "id2", "id3", "id4", "id5"},
		"q.docs.confidential": {"yes"},
		"q.agree":             {"yes"},
		"q.name":              {"a field of another section"},
		"unrelated":           {"ignored"},
	}
	answers, errs := form.Decode(f, "more", values)
	wantRows := []form.Row{{"name": "Bob", "role": "lead"}, {"year": "20x3", "amount": "12.5"}}
	if got := answers["people"].Rows; !reflect.DeepEqual(got, wantRows) {
		t.Errorf("rows = %v, want %v", got, wantRows)
	}
	if want := []string{"q.people.2.role", "q.people.2.year"}; !slices.Equal(errorFields(errs), want) {
		t.Errorf("errors = %v, want fields %v", errs, want)
	}
	if msg := errs.Get("q.people.2.year"); msg != "Person 2, Year: enter a year such as 2023" {
		t.Errorf("year error = %q", msg)
	}
	docs := answers["docs"]
	// At most twice max_files values are read.
	if !slices.Equal(docs.RemovedFiles(), []string{"id1", "id2", "id3"}) || !docs.Confidential || len(docs.Files) != 0 {
		t.Errorf("docs = %+v (remove %v), want the distinct ids of the first four values and the mark", docs, docs.RemovedFiles())
	}
	if answers["agree"].Text != "yes" {
		t.Errorf("agree = %+v", answers["agree"])
	}
	if _, ok := answers["name"]; ok || len(answers) != 3 {
		t.Errorf("answers = %v, want only this section's", answers)
	}

	// Text is cut at the limits, with a problem.
	long := strings.Repeat("word ", form.MaxTextRunes/5+10)
	answers, errs = form.Decode(f, "basics", url.Values{"q.story": {long}, "q.name": {strings.Repeat("n", form.MaxLineRunes+5)}})
	if n := len([]rune(answers["story"].Text)); n > form.MaxTextRunes || !strings.Contains(errs.Get("q.story"), "was cut at 50000 characters") {
		t.Errorf("story of %d runes, error %q", n, errs.Get("q.story"))
	}
	if n := len(answers["name"].Text); n != form.MaxLineRunes || !strings.Contains(errs.Get("q.name"), "was cut at 2000") {
		t.Errorf("name of %d bytes, error %q", n, errs.Get("q.name"))
	}
	cells := url.Values{"q.people.1.name": {strings.Repeat("é", form.MaxCellRunes+1)}}
	answers, errs = form.Decode(f, "more", cells)
	if n := len([]rune(answers["people"].Rows[0]["name"])); n != form.MaxCellRunes || !strings.Contains(errs.Get("q.people.1.name"), "was cut") {
		t.Errorf("cell of %d runes, errors %v", n, errs)
	}

	if a, errs := form.Decode(f, "nope", values); len(a) != 0 || errs != nil {
		t.Errorf("unknown section = %v, %v", a, errs)
	}
	if a, errs := form.Decode(f, "basics", url.Values{}); len(a) != 0 || errs != nil {
		t.Errorf("nothing posted = %v, %v", a, errs)
	}
}

func TestValidateDraftAndSubmit(t *testing.T) {
	t.Parallel()
	f := testForm()
	if errs := form.Validate(f, form.Answers{}, form.Draft); errs.Any() {
		t.Errorf("empty draft: %v", errs)
	}
	errs := form.Validate(f, nil, form.Submit)
	want := []string{"q.name", "q.story", "q.budget", "q.kind", "q.happy", "q.people", "q.docs", "q.agree"}
	if !slices.Equal(errorFields(errs), want) {
		t.Errorf("empty submission errors on %v, want %v", errorFields(errs), want)
	}
	for field, msg := range map[string]string{
		"q.name":   "Name: answer this question",
		"q.kind":   "Kind: choose an answer",
		"q.people": "People: add at least 2 rows",
		"q.docs":   "Documents: upload at least one file",
		"q.agree":  "I agree: confirm this declaration to submit",
	} {
		if got := errs.Get(field); got != msg {
			t.Errorf("%s: %q, want %q", field, got, msg)
		}
	}

	full := form.Answers{
		"name":   {Text: "Alice"},
		"story":  {Text: "one two three four five"},
		"budget": {Text: "1000", Number: "1000"},
		"kind":   {Text: "a"},
		"tags":   {Choices: []string{"x", "y"}},
		"happy":  {Text: "yes"},
		"people": {Rows: []form.Row{{"name": "Bob"}, {"name": "Eve", "role": "member", "year": "2021", "link": "https://example.org", "amount": "-3.5"}}},
		"docs":   {Files: []form.FileRef{{ID: "1", Name: "a.pdf"}}},
		"agree":  {Text: "yes"},
	}
	if errs := form.Validate(f, full, form.Submit); errs.Any() {
		t.Fatalf("complete answers: %v", errs)
	}

	tests := []struct {
		name  string
		key   string
		ans   form.Answer
		draft map[string]string // field -> message substring in Draft mode
		sub   map[string]string // ... in Submit mode (Draft problems are reported too)
	}{
		{"too many words", "story", form.Answer{Text: "one two three four five six"}, nil, map[string]string{"q.story": "Story: use at most 5 words (you have 6)"}},
		{"too few choices", "tags", form.Answer{Choices: []string{"x"}}, nil, map[string]string{"q.tags": "Tags: choose at least 2 options"}},
		{"too many choices", "tags", form.Answer{Choices: []string{"x", "y", "z"}}, nil, map[string]string{"q.tags": "choose at most 2 options (you chose 3)", "q.tag_note": "Tag note: answer this question"}},
		{"stale choice", "tags", form.Answer{Choices: []string{"x", "gone"}}, map[string]string{"q.tags": "choose from the options listed"}, map[string]string{"q.tags": "choose from the options listed"}},
		{"stale option", "kind", form.Answer{Text: "gone"}, map[string]string{"q.kind": "choose one of the options"}, map[string]string{"q.kind": "choose one of the options"}},
		{"bad number", "budget", form.Answer{Text: "lots"}, map[string]string{"q.budget": "enter an amount"}, map[string]string{"q.budget": "enter an amount"}},
		{"declaration not yes", "agree", form.Answer{Text: "no"}, nil, map[string]string{"q.agree": "confirm this declaration"}},
		{"one row", "people", form.Answer{Rows: []form.Row{{"name": "Bob"}}}, nil, map[string]string{"q.people": "People: add at least 2 rows"}},
		{"too many rows", "people", form.Answer{Rows: []form.Row{{"name": "A"}, {"name": "B"}, {"name": "C"}, {"name": "D"}}}, nil, map[string]string{"q.people": "use at most 3 rows (you have 4)"}},
		{"empty rows do not count", "people", form.Answer{Rows: []form.Row{{"name": "A"}, {"gone": "x"}, {"name": " "}}}, nil, map[string]string{"q.people": "add at least 2 rows"}},
		{"cells", "people", form.Answer{Rows: []form.Row{
			{"role": "member", "year": "3000", "link": "ftp://x", "amount": "1,5"},
			{"name": "A very long name", "role": "boss"},
		}}, map[string]string{
			"q.people.1.year":   "Person 1, Year: enter a year such as 2023",
			"q.people.1.link":   "Person 1, Link: enter a full web address",
			"q.people.1.amount": "Person 1, Amount: enter a number",
			"q.people.2.name":   "Person 2, Name: use at most 10 characters (you have 16)",
			"q.people.2.role":   "Person 2, Role: choose one of the options",
		}, map[string]string{"q.people.1.name": "Person 1, Name: fill in this cell or empty the row"}},
		{"too many files", "docs", form.Answer{Files: []form.FileRef{{ID: "1"}, {ID: "2"}, {ID: "3"}}}, nil, map[string]string{"q.docs": "keep at most 2 files (you have 3)"}},
		{"stored text over the cap", "story", form.Answer{Text: strings.Repeat("x", form.MaxTextRunes+1)}, map[string]string{"q.story": "use at most 50000 characters"}, map[string]string{"q.story": "use at most 50000 characters"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := full.Clone()
			a[tt.key] = tt.ans
			for mode, want := range map[form.Mode]map[string]string{form.Draft: tt.draft, form.Submit: tt.sub} {
				if mode == form.Submit {
					want = mergeMaps(tt.draft, tt.sub)
				}
				errs := form.Validate(f, a, mode)
				if len(errs) != len(want) {
					t.Errorf("mode %d: errors %v, want %v", mode, errs, want)
				}
				for field, msg := range want {
					if got := errs.Get(field); !strings.Contains(got, msg) {
						t.Errorf("mode %d: %s = %q, want %q", mode, field, got, msg)
					}
				}
			}
		})
	}
}

func mergeMaps(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func TestConditions(t *testing.T) {
	t.Parallel()
	f := testForm()
	q := func(key string) *form.Question {
		q, ok := f.Question(key)
		if !ok {
			t.Fatalf("no question %s", key)
		}
		return q
	}
	base := form.Answers{"kind": {Text: "a"}, "sub": {Text: "s1"}, "tags": {Choices: []string{"x", "z"}}, "happy": {Text: "yes"}}
	tests := []struct {
		key     string
		change  form.Answers
		visible bool
	}{
		{"name", nil, true},
		{"kind_detail", nil, false},
		{"kind_detail", form.Answers{"kind": {Text: "b"}}, true},
		{"kind_detail", form.Answers{"kind": {Text: "c"}}, true},
		{"kind_detail", form.Answers{"kind": {}}, false},
		// sub_note depends on sub, which is hidden unless kind is c: its stored answer s1 does
		// not count while it is hidden.
		{"sub_note", nil, false},
		{"sub_note", form.Answers{"kind": {Text: "c"}}, true},
		{"sub_note", form.Answers{"kind": {Text: "c"}, "sub": {Text: "s2"}}, false},
		{"tag_note", nil, true},
		{"tag_note", form.Answers{"tags": {Choices: []string{"x", "y"}}}, false},
		{"why_not", nil, false},
		{"why_not", form.Answers{"happy": {Text: "no"}}, true},
	}
	for _, tt := range tests {
		a := base.Clone()
		for k, v := range tt.change {
			a[k] = v
		}
		if got := f.Visible(q(tt.key), a); got != tt.visible {
			t.Errorf("%s visible = %v with %v, want %v", tt.key, got, tt.change, tt.visible)
		}
	}

	// A hidden question is never required and never validated; shown, it is.
	a := base.Clone()
	a["kind_detail"] = form.Answer{Text: strings.Repeat("d", 400)}
	a["sub_note"] = form.Answer{Text: strings.Repeat("n", 400)}
	errs := form.ValidateSection(f, "basics", a, form.Submit)
	if errs.Get("q.kind_detail") != "" || errs.Get("q.sub_note") != "" || errs.Get("q.why_not") != "" {
		t.Errorf("hidden questions judged: %v", errs)
	}
	if errs.Get("q.tag_note") != "Tag note: answer this question" {
		t.Errorf("shown tag note: %q", errs.Get("q.tag_note"))
	}
	a["kind"] = form.Answer{Text: "b"}
	if errs := form.ValidateSection(f, "basics", a, form.Draft); !strings.Contains(errs.Get("q.kind_detail"), "use at most 300 characters") {
		t.Errorf("shown kind detail: %v", errs)
	}
	a["kind"] = form.Answer{Text: "a"}

	// On submit, hidden answers are dropped, and so are answers to questions the form lacks,
	// empty answers, confidential marks where not allowed and cells of unknown columns.
	a["gone"] = form.Answer{Text: "old question"}
	a["count"] = form.Answer{Text: "3", Confidential: true}
	a["contact"] = form.Answer{Text: "  "}
	a["people"] = form.Answer{Rows: []form.Row{{"name": "A", "old": "x"}, {"old": "y"}, {"name": "B"}}}
	pruned := form.Prune(f, a)
	keys := make([]string, 0, len(pruned))
	for k := range pruned {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"count", "happy", "kind", "people", "tags"}; !slices.Equal(keys, want) {
		t.Errorf("pruned keys = %v, want %v", keys, want)
	}
	if pruned["count"].Confidential || !reflect.DeepEqual(pruned["people"].Rows, []form.Row{{"name": "A"}, {"name": "B"}}) {
		t.Errorf("pruned = %+v", pruned)
	}
	if a["people"].Rows[0]["old"] != "x" {
		t.Error("Prune changed its input")
	}
}

func TestProgress(t *testing.T) {
	t.Parallel()
	f := testForm()
	a := form.Answers{
		"name":   {Text: "Alice"},
		"story":  {Text: "one two three four five six"},
		"kind":   {Text: "b"},
		"happy":  {Text: "no"},
		"people": {Rows: []form.Row{{"name": "A"}, {"name": "B"}}},
		"docs":   {Files: []form.FileRef{{ID: "1", Name: "a.pdf"}}},
		"agree":  {Text: "yes"},
	}
	p := form.Progress(f, a)
	if len(p) != 2 || p[0].Key != "basics" || p[0].Title != "Basics" {
		t.Fatalf("progress = %+v", p)
	}
	var missing []string
	for _, m := range p[0].Missing {
		missing = append(missing, m.Key)
		if m.Field != "q."+m.Key || m.Label == "" {
			t.Errorf("missing = %+v", m)
		}
	}
	if want := []string{"budget", "kind_detail", "why_not"}; !slices.Equal(missing, want) || p[0].Problems != 1 || p[0].Complete() {
		t.Errorf("basics: missing %v, %d problems; want %v and the word limit", missing, p[0].Problems, want)
	}
	if !p[1].Complete() {
		t.Errorf("more = %+v, want complete", p[1])
	}
}

func TestMerge(t *testing.T) {
	t.Parallel()
	f := testForm()
	stored := form.Answers{
		"name":   {Text: "old"},
		"people": {Rows: []form.Row{{"name": "A"}}},
		"docs":   {Files: []form.FileRef{{ID: "1", Name: "a.pdf"}, {ID: "2", Name: "b.jpg"}}},
		"agree":  {Text: "yes"},
	}
	decoded, errs := form.Decode(f, "more", url.Values{
		"q.people.1.name":     {"B"},
		"q.docs.remove":       {"1", "99"},
		"q.docs.confidential": {"yes"},
	})
	if errs.Any() {
		t.Fatal(errs)
	}
	merged, removed := form.Merge(f, "more", stored, decoded)
	want := form.Answers{
		"name":   {Text: "old"}, // another section: untouched
		"people": {Rows: []form.Row{{"name": "B"}}},
		"docs":   {Files: []form.FileRef{{ID: "2", Name: "b.jpg"}}, Confidential: true},
		// agree was unticked: removed
	}
	if !reflect.DeepEqual(merged, want) {
		t.Errorf("merged = %+v\nwant %+v", merged, want)
	}
	if !reflect.DeepEqual(removed, []form.FileRef{{ID: "1", Name: "a.pdf"}}) {
		t.Errorf("removed = %v", removed)
	}
	if len(stored["docs"].Files) != 2 || stored["agree"].Text != "yes" {
		t.Error("Merge changed the stored answers")
	}
	merged, removed = form.Merge(f, "more", merged, form.Answers{"docs": {}})
	if _, ok := merged["docs"]; !ok || merged["docs"].Confidential || removed != nil {
		t.Errorf("docs after unticking confidential = %+v, %v", merged["docs"], removed)
	}
	if got, _ := form.Merge(f, "more", nil, nil); len(got) != 0 || got == nil {
		t.Errorf("Merge of nothing = %#v", got)
	}
}

func TestPublishable(t *testing.T) {
	t.Parallel()
	f := testForm()
	a := form.Answers{
		"name":   {Text: "Alice", Confidential: true}, // published, but confidential
		"story":  {Text: "told"},                      // published
		"budget": {Text: "5", Number: "5"},            // published, not marked
		"count":  {Text: "3"},                         // not published
		"kind":   {Text: "a"},                         // published
		"docs":   {Files: []form.FileRef{{ID: "1", Name: "secret.pdf"}}, Confidential: true},
	}
	got := form.Publishable(f, a)
	keys := make([]string, 0, len(got))
	for k := range got {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"budget", "kind", "story"}; !slices.Equal(keys, want) {
		t.Errorf("publishable = %v, want %v", keys, want)
	}
}

func TestAnswersJSONIsStable(t *testing.T) {
	t.Parallel()
	a := form.Answers{
		"budget":   {Text: "1,500,000", Number: "1500000", Confidential: true},
		"sectors":  {Choices: []string{"mobility", "safety"}},
		"partners": {Rows: []form.Row{{"sector": "private", "organisation": "KT"}}},
		"docs":     {Files: []form.FileRef{{ID: "f1", Name: "r.pdf"}}},
		"title":    {Text: "Seoul Talk"},
	}
	data, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"budget":{"text":"1,500,000","number":1500000,"confidential":true},"docs":{"files":[{"id":"f1","name":"r.pdf"}]},"partners":{"rows":[{"organisation":"KT","sector":"private"}]},"sectors":{"choices":["mobility","safety"]},"title":{"text":"Seoul Talk"}}`
	if string(data) != want {
		t.Errorf("JSON = %s\nwant %s", data, want)
	}
	var back form.Answers
	if err := json.Unmarshal(data, &back); err != nil || !reflect.DeepEqual(back, a) {
		t.Errorf("round trip = %+v, %v", back, err)
	}
}

func TestFieldNames(t *testing.T) {
	t.Parallel()
	if got := form.FieldName("stage"); got != "q.stage" {
		t.Error(got)
	}
	if got := form.ConfidentialName("budget"); got != "q.budget.confidential" {
		t.Error(got)
	}
	if got := form.RemoveName("documents"); got != "q.documents.remove" {
		t.Error(got)
	}
	if got := form.CellName("partners", 2, "organisation"); got != "q.partners.2.organisation" {
		t.Error(got)
	}
}

// TestReferenceApplication fills the Tech-InnovaCity form of 2023 section by section through
// Decode and Merge, as the application pages will, and submits it.
func TestReferenceApplication(t *testing.T) {
	t.Parallel()
	f := reference(t, "seoul-2023", "tech-innovacity")
	narrative := "The project connects city data, partners and residents to make services easier to use."
	posts := map[string]url.Values{
		"project": {
			"q.project_title": {"Seoul Talk"}, "q.summary": {narrative}, "q.location": {"Seoul, Republic of Korea"},
			"q.sectors": {"mobility", "other"}, "q.sector_other": {"Tourism"}, "q.stage": {"implementing"},
			"q.start_date": {"2021-03-01"}, "q.expected_end_date": {"2025-12-31"},
			"q.end_date": {""},
		},
		"organisation": {
			"q.lead_organisation": {"Seoul Metropolitan Government"}, "q.responsible": {narrative},
			"q.partners.1.organisation": {"KT"}, "q.partners.1.sector": {"private"}, "q.partners.1.role": {"Network"},
			"q.partners.2.organisation": {"Residents' council"}, "q.partners.2.sector": {"people"},
		},
		"funding": {
			"q.budget": {"2,500,000"}, "q.budget.confidential": {"yes"}, "q.funding_sources": {"own_budget", "partnership"},
			"q.funding": {narrative},
		},
		"results": {"q.technology": {narrative}, "q.key_results": {narrative}, "q.people_reached": {"120000"}},
		"criteria": {
			"q.relevance_to_the_theme": {narrative}, "q.aim_of_efficiency": {narrative}, "q.governance": {narrative},
			"q.multidisciplinary_teamwork": {narrative}, "q.data_security_and_ethics": {narrative},
		},
		"data": {
			"q.indicators.1.indicator": {"Monthly users"}, "q.indicators.1.value": {"35,000"}, "q.indicators.1.unit": {"users"},
			"q.indicators.1.year": {"2023"}, "q.indicators.1.source": {"City statistics"},
		},
		"materials":    {"q.videos.1.url": {"https://video.example.org/seoul-talk"}, "q.videos.1.title": {"Overview"}},
		"declarations": {"q.declare_accuracy": {"yes"}, "q.declare_rights": {"yes"}, "q.consent_publication": {"yes"}},
	}
	a := form.Answers{}
	for _, s := range f.Sections {
		before := form.Progress(f, a)
		decoded, errs := form.Decode(f, s.Key, posts[s.Key])
		if errs.Any() {
			t.Fatalf("section %s: %v", s.Key, errs)
		}
		a, _ = form.Merge(f, s.Key, a, decoded)
		for i, p := range form.Progress(f, a) {
			if p.Key == s.Key && !p.Complete() {
				t.Errorf("section %s after saving: %+v", s.Key, p)
			}
			if p.Key != s.Key && !reflect.DeepEqual(p, before[i]) && p.Key != "project" {
				t.Errorf("saving %s changed the progress of %s", s.Key, p.Key)
			}
		}
	}
	if errs := form.Validate(f, a, form.Submit); errs.Any() {
		t.Fatalf("submission: %v", errs)
	}
	if a["budget"].Number != "2500000" || !a["budget"].Confidential {
		t.Errorf("budget = %+v", a["budget"])
	}
	if pub := form.Publishable(f, a); pub["budget"].Text != "" || pub["project_title"].Text != "Seoul Talk" || pub["declare_accuracy"].Text != "" {
		t.Errorf("publishable = %v", pub)
	}

	// Completed: the completion date is now required, the expected one hidden and dropped.
	a["stage"] = form.Answer{Text: "completed"}
	errs := form.Validate(f, a, form.Submit)
	if !slices.Equal(errorFields(errs), []string{"q.end_date"}) {
		t.Errorf("errors = %v, want the completion date", errs)
	}
	if _, ok := form.Prune(f, a)["expected_end_date"]; ok {
		t.Error("hidden expected completion date kept on submit")
	}
}
