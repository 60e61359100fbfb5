package components_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/edition"
	"prizeportal/web/components"
)

// referenceForms returns the forms of the shipped editions, by "edition/category".
func referenceForms(t *testing.T) map[string]*form.Form {
	t.Helper()
	out := map[string]*form.Form{}
	for _, name := range edition.BuiltinNames() {
		d, err := edition.ParseBuiltin(name)
		if err != nil {
			t.Fatal(err)
		}
		e, err := d.Resolve()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range e.Categories {
			if c.Form != nil {
				out[name+"/"+c.Key] = c.Form
			}
		}
	}
	if len(out) != 6 {
		t.Fatalf("%d reference forms, want 6", len(out))
	}
	out["extra"] = extraForm()
	return out
}

// extraForm has the types the reference forms do not use.
func extraForm() *form.Form {
	return &form.Form{Sections: []form.Section{{Key: "extra", Title: "Extra", Questions: []form.Question{
		{Key: "kind", Label: "Kind", Type: form.SingleChoice, Display: form.Dropdown, Required: true, MayBeConfidential: true,
			Options: []form.Option{{Key: "a", Label: "Alpha"}, {Key: "b", Label: "Beta"}}},
		{Key: "happy", Label: "Happy?", Type: form.YesNo, Help: "Say yes or no."},
		{Key: "why", Label: "Why not?", Type: form.LongText, ShowIf: &form.Condition{Question: "happy", Equals: "no"}},
		{Key: "site", Label: "Website", Type: form.URL, Published: true},
		{Key: "mail", Label: "Email", Type: form.Email},
		{Key: "tags", Label: "Tags", Type: form.MultipleChoice, MinChoices: 1, MaxChoices: 2,
			Options: []form.Option{{Key: "x", Label: "X"}, {Key: "y", Label: "Y"}, {Key: "z", Label: "Z"}}},
		{Key: "team", Label: "Team", Type: form.Table, MaxRows: 3, RowLabel: "Member", Columns: []form.Column{
			{Key: "name", Label: "Name", Type: form.ShortText, Required: true},
			{Key: "since", Label: "Since", Type: form.Year},
			{Key: "page", Label: "Page", Type: form.URL},
			{Key: "size", Label: "Size", Type: form.Number},
			{Key: "role", Label: "Role", Type: form.SingleChoice, Options: []form.Option{{Key: "lead", Label: "Lead"}, {Key: "member", Label: "Member"}}},
		}},
	}}}}
}

func render(t *testing.T, v components.SectionView) *html.Node {
	t.Helper()
	var buf bytes.Buffer
	if err := components.FormSection(v).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func text(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

func isControl(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.Data {
	case "select", "textarea":
		return true
	case "input":
		typ, _ := attr(n, "type")
		return typ != "hidden" && typ != "submit"
	}
	return false
}

// checkAccessible checks the rendered section: ids valid and unique, every control labelled by
// a <label for>, every aria-describedby target present, every error field reachable as "#f-"
// + name from the error summary.
func checkAccessible(t *testing.T, doc *html.Node, errs field.Errors) map[string]string {
	t.Helper()
	ids := map[string]bool{}
	labels := map[string]string{}
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if id, ok := attr(n, "id"); ok {
			if id == "" || strings.ContainsAny(id, " \t\n") {
				t.Errorf("invalid id %q", id)
			}
			if ids[id] {
				t.Errorf("duplicate id %q", id)
			}
			ids[id] = true
		}
		if n.Data == "label" {
			if f, ok := attr(n, "for"); ok {
				labels[f] = text(n)
			}
		}
	})
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if isControl(n) {
			id, _ := attr(n, "id")
			name, _ := attr(n, "name")
			if labels[id] == "" {
				t.Errorf("control %s %q (id %q) has no label", n.Data, name, id)
			}
			if !strings.HasPrefix(name, "q.") {
				t.Errorf("control named %q", name)
			}
		}
		if d, ok := attr(n, "aria-describedby"); ok {
			for _, id := range strings.Fields(d) {
				if !ids[id] {
					t.Errorf("aria-describedby names a missing id %q", id)
				}
			}
		}
	})
	for _, e := range errs {
		if !ids["f-"+e.Field] {
			t.Errorf("error on %s has no element with id f-%s", e.Field, e.Field)
		}
	}
	return labels
}

// submit collects the values a browser would send for the rendered section.
func submit(doc *html.Node) url.Values {
	values := url.Values{}
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		name, ok := attr(n, "name")
		if !ok {
			return
		}
		switch n.Data {
		case "input":
			typ, _ := attr(n, "type")
			val, _ := attr(n, "value")
			switch typ {
			case "checkbox", "radio":
				if _, checked := attr(n, "checked"); checked {
					values.Add(name, val)
				}
			case "submit", "file":
			default:
				values.Add(name, val)
			}
		case "textarea":
			values.Add(name, text(n))
		case "select":
			walk(n, func(o *html.Node) {
				if o.Type == html.ElementNode && o.Data == "option" {
					if _, sel := attr(o, "selected"); sel {
						val, _ := attr(o, "value")
						values.Add(name, val)
					}
				}
			})
		}
	})
	return values
}

// sample answers every question of a form with a valid answer.
func sample(f *form.Form) form.Answers {
	a := form.Answers{}
	for _, q := range f.Questions() {
		var ans form.Answer
		switch q.Type {
		case form.ShortText:
			ans.Text = "Short answer"
		case form.LongText:
			ans.Text = "A narrative answer of a few words."
		case form.Number:
			ans.Text, ans.Number = "1200", "1200"
		case form.Money:
			ans.Text, ans.Number = "2,500,000", "2500000"
		case form.Date:
			ans.Text = "2022-02-01"
		case form.URL:
			ans.Text = "https://example.org/"
		case form.Email:
			ans.Text = "team@example.org"
		case form.SingleChoice, form.YesNo:
			opts := q.ChoiceOptions()
			ans.Text = opts[len(opts)-1].Key
		case form.MultipleChoice:
			ans.Choices = []string{q.Options[0].Key, q.Options[len(q.Options)-1].Key}
		case form.Declaration:
			ans.Text = "yes"
		case form.File:
			ans.Files = []form.FileRef{{ID: "file-1", Name: "report.pdf"}}
		case form.Table:
			for r := range 2 {
				row := form.Row{}
				for _, c := range q.Columns {
					switch c.Type {
					case form.ShortText:
						row[c.Key] = "Cell " + c.Key
					case form.Number:
						row[c.Key] = "3.5"
					case form.Year:
						row[c.Key] = "2021"
					case form.URL:
						row[c.Key] = "https://example.org/" + c.Key
					case form.SingleChoice:
						row[c.Key] = c.Options[r%len(c.Options)].Key
					}
				}
				ans.Rows = append(ans.Rows, row)
			}
		}
		ans.Confidential = q.MayBeConfidential
		a[q.Key] = ans
	}
	return a
}

// TestFormSectionRendersEveryReferenceSection renders every section of every form empty, with
// every submission problem, and filled, and checks the HTML.
func TestFormSectionRendersEveryReferenceSection(t *testing.T) {
	t.Parallel()
	for name, f := range referenceForms(t) {
		filled := sample(f)
		for _, s := range f.Sections {
			t.Run(name+"/"+s.Key, func(t *testing.T) {
				// Empty, with the problems of an empty submission.
				errs := form.ValidateSection(f, s.Key, form.Answers{}, form.Submit)
				doc := render(t, components.SectionView{Form: f, Section: s.Key, Errors: errs})
				checkAccessible(t, doc, errs)

				// Filled with problems in every cell and text.
				bad := form.Answers{}
				for _, q := range s.Questions {
					ans := filled.Clone()[q.Key]
					if ans.Text != "" && q.Type != form.Declaration {
						ans.Text = strings.Repeat("bad ", 600)
					}
					for i := range ans.Rows {
						for k := range ans.Rows[i] {
							ans.Rows[i][k] = strings.Repeat("x", 1001)
						}
					}
					bad[q.Key] = ans
				}
				errs = form.ValidateSection(f, s.Key, bad, form.Submit)
				if !errs.Any() {
					t.Fatal("no problems with bad answers")
				}
				checkAccessible(t, render(t, components.SectionView{Form: f, Section: s.Key, Answers: bad, Errors: errs}), errs)

				// Filled: what the browser sends back decodes to the same answers.
				doc = render(t, components.SectionView{Form: f, Section: s.Key, Answers: filled})
				labels := checkAccessible(t, doc, nil)
				decoded, errs := form.Decode(f, s.Key, submit(doc))
				if errs.Any() {
					t.Fatalf("decoding the rendered answers: %v", errs)
				}
				merged, _ := form.Merge(f, s.Key, filled, decoded)
				if !reflect.DeepEqual(merged, filled) {
					got, _ := json.Marshal(merged)
					want, _ := json.Marshal(filled)
					t.Errorf("round trip through the HTML:\n got %s\nwant %s", got, want)
				}
				for _, q := range s.Questions {
					checkQuestion(t, doc, labels, f, q)
				}
			})
		}
	}
}

// find returns the element with the given id.
func find(doc *html.Node, id string) *html.Node {
	var found *html.Node
	walk(doc, func(n *html.Node) {
		if v, ok := attr(n, "id"); ok && v == id && found == nil {
			found = n
		}
	})
	return found
}

// checkQuestion checks what each type promises.
func checkQuestion(t *testing.T, doc *html.Node, labels map[string]string, f *form.Form, q form.Question) {
	t.Helper()
	id := "f-" + q.FieldName()
	el := find(doc, id)
	if el == nil {
		t.Errorf("%s: no element %s", q.Key, id)
		return
	}
	var wrapper *html.Node
	walk(doc, func(n *html.Node) {
		if v, ok := attr(n, "data-question"); ok && v == q.Key {
			wrapper = n
		}
	})
	if wrapper == nil {
		t.Fatalf("%s: no wrapper", q.Key)
	}
	showIf, hasShowIf := attr(wrapper, "data-show-if")
	if hasShowIf != (q.ShowIf != nil) {
		t.Errorf("%s: data-show-if %q", q.Key, showIf)
	}
	if q.ShowIf != nil {
		var cond struct {
			Field  string   `json:"field"`
			Values []string `json:"values"`
		}
		if err := json.Unmarshal([]byte(showIf), &cond); err != nil || cond.Field != form.FieldName(q.ShowIf.Question) || !slices.Equal(cond.Values, q.ShowIf.Values()) {
			t.Errorf("%s: data-show-if %q (%v)", q.Key, showIf, err)
		}
		if !strings.Contains(text(wrapper), "Answer only if") {
			t.Errorf("%s: no hint on when to answer", q.Key)
		}
	}
	if q.Required && !strings.Contains(text(wrapper), "(required)") {
		t.Errorf("%s: no required mark", q.Key)
	}
	if q.MayBeConfidential && find(doc, "f-"+form.ConfidentialName(q.Key)) == nil {
		t.Errorf("%s: no confidential checkbox", q.Key)
	}
	if !q.MayBeConfidential && find(doc, "f-"+form.ConfidentialName(q.Key)) != nil {
		t.Errorf("%s: confidential checkbox", q.Key)
	}
	switch q.Type {
	case form.LongText:
		if el.Data != "textarea" {
			t.Errorf("%s: %s, want a textarea", q.Key, el.Data)
		}
		if q.MaxWords > 0 {
			if v, _ := attr(el, "data-max-words"); v != strconv.Itoa(q.MaxWords) || !strings.Contains(text(wrapper), "Up to "+strconv.Itoa(q.MaxWords)+" words.") {
				t.Errorf("%s: data-max-words %q; text %q", q.Key, v, text(wrapper))
			}
		}
	case form.SingleChoice, form.MultipleChoice, form.YesNo:
		if q.Display == form.Dropdown {
			if el.Data != "select" {
				t.Errorf("%s: %s, want a select", q.Key, el.Data)
			}
			break
		}
		if el.Data != "fieldset" || el.FirstChild == nil {
			t.Errorf("%s: %s, want a fieldset", q.Key, el.Data)
		}
		var legend string
		walk(el, func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "legend" {
				legend = text(n)
			}
		})
		if !strings.HasPrefix(legend, q.Label) {
			t.Errorf("%s: legend %q", q.Key, legend)
		}
		for i, o := range q.ChoiceOptions() {
			if labels[id+"-"+strconv.Itoa(i)] != o.Label {
				t.Errorf("%s: option %d labelled %q, want %q", q.Key, i, labels[id+"-"+strconv.Itoa(i)], o.Label)
			}
		}
	case form.File:
		if typ, _ := attr(el, "type"); typ != "file" {
			t.Errorf("%s: type %q", q.Key, typ)
		}
		if acc, _ := attr(el, "accept"); !strings.HasPrefix(acc, q.Extensions()[0]) {
			t.Errorf("%s: accept %q", q.Key, acc)
		}
		if !strings.Contains(text(wrapper), "up to "+strconv.Itoa(q.SizeLimitMB())+" MB each") {
			t.Errorf("%s: no size limit in %q", q.Key, text(wrapper))
		}
		if labels["f-"+form.RemoveName(q.Key)+"-0"] != "Remove report.pdf" {
			t.Errorf("%s: no remove checkbox for the uploaded file", q.Key)
		}
	case form.Table:
		if el.Data != "fieldset" {
			t.Errorf("%s: %s, want a fieldset", q.Key, el.Data)
		}
		want := q.RowName(2) + ", " + q.Columns[0].Label
		if got := labels["f-"+form.CellName(q.Key, 2, q.Columns[0].Key)]; got != want {
			t.Errorf("%s: cell label %q, want %q", q.Key, got, want)
		}
		// Two filled rows and form.BlankRows empty ones, as far as max_rows allows.
		last := min(2+form.BlankRows, q.RowLimit())
		if find(doc, "f-"+form.CellName(q.Key, last, q.Columns[0].Key)) == nil || find(doc, "f-"+form.CellName(q.Key, last+1, q.Columns[0].Key)) != nil {
			t.Errorf("%s: want %d rows", q.Key, last)
		}
		var button *html.Node
		walk(wrapper, func(n *html.Node) {
			if v, _ := attr(n, "name"); n.Data == "button" && v == form.AddRowField {
				button = n
			}
		})
		if canAdd := last < q.RowLimit(); (button != nil) != canAdd {
			t.Errorf("%s: add-a-row button %v, want %v", q.Key, button != nil, canAdd)
		} else if button != nil {
			if v, _ := attr(button, "value"); v != q.Key {
				t.Errorf("%s: button value %q", q.Key, v)
			}
		}
	}
}

func TestFormSectionRowsConditionsAndFiles(t *testing.T) {
	t.Parallel()
	f := referenceForms(t)["seoul-2023/tech-innovacity"]
	rowsShown := func(doc *html.Node, key string) int {
		n := 0
		for r := 1; r <= form.MaxRows+1; r++ {
			if find(doc, "f-"+form.CellName(key, r, "url")) != nil {
				n = r
			}
		}
		return n
	}
	// videos: max_rows 5.
	doc := render(t, components.SectionView{Form: f, Section: "materials", ExtraRows: map[string]int{"videos": 1}})
	if n := rowsShown(doc, "videos"); n != form.BlankRows+1 {
		t.Errorf("%d rows with one extra, want %d", n, form.BlankRows+1)
	}
	full := form.Answers{"videos": {Rows: make([]form.Row, 6)}}
	for i := range full["videos"].Rows {
		full["videos"].Rows[i] = form.Row{"url": "https://example.org/" + strconv.Itoa(i)}
	}
	doc = render(t, components.SectionView{Form: f, Section: "materials", Answers: full, ExtraRows: map[string]int{"videos": 3}})
	if n := rowsShown(doc, "videos"); n != 6 {
		t.Errorf("%d rows for 6 stored rows over max_rows 5, want all 6 and no empty one", n)
	}
	if strings.Contains(text(doc), "Add a row") {
		t.Error("add-a-row button on a full table")
	}

	doc = render(t, components.SectionView{Form: f, Section: "project"})
	for id, want := range map[string]string{
		"f-q.expected_end_date-condition": "Answer only if your answer to “Stage of the project” is Planning, Feasibility study, Legal assessment or Being implemented.",
		"f-q.end_date-condition":          "Answer only if your answer to “Stage of the project” is Completed.",
		"f-q.sector_other-condition":      "Answer only if you chose Other in “Sectors”.",
		"f-q.summary-notes":               "Up to 300 words. May be published in the best-practice repository.",
	} {
		if n := find(doc, id); n == nil || text(n) != want {
			t.Errorf("%s = %v, want %q", id, n, want)
		}
	}

	files := form.Answers{"documents": {Files: []form.FileRef{{ID: "a1", Name: "plan <v2>.pdf"}}}}
	doc = render(t, components.SectionView{Form: f, Section: "materials", Answers: files})
	links := 0
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" {
			links++
		}
	})
	if !strings.Contains(text(doc), "plan <v2>.pdf") || links != 0 {
		t.Errorf("file list without FileURL: %d links in %q", links, text(doc))
	}
	var buf bytes.Buffer
	v := components.SectionView{Form: f, Section: "materials", Answers: files, FileURL: func(r form.FileRef) string { return "/files/" + r.ID }}
	if err := components.FormSection(v).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `<a href="/files/a1">plan &lt;v2&gt;.pdf</a>`) {
		t.Errorf("no escaped link to the file in %s", buf.String())
	}
	if !strings.Contains(buf.String(), `accept=".pdf,.doc,.docx,.hwp,.hwpx,.xls,.xlsx,.ppt,.pptx,.jpg,.jpeg,.png,.gif,.webp"`) {
		t.Error("accept attribute")
	}

	// An unknown section renders nothing.
	buf.Reset()
	if err := components.FormSection(components.SectionView{Form: f, Section: "nope"}).Render(context.Background(), &buf); err != nil || buf.Len() != 0 {
		t.Errorf("unknown section: %q, %v", buf.String(), err)
	}
}
