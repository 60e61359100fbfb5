package views

import (
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// The form builder: the managers of an edition edit each category's application form
// (internal/blocks/form) on the pages below FormsPath. The forms posted here become form values
// (Question, Section); the edition's validator judges the result on save, and FormProblems puts
// its problems next to the fields they are about.

// FormsPath is the form builder's list of an edition's forms; a category's pages are below it.
const FormsPath = "/studio/forms"

// FormsHref is the list of the forms of edition editionID.
func FormsHref(editionID int64) string { return inEdition(FormsPath, editionID) }

// FormHref is the page at rest (such as "/preview"; "" for the outline) of the form of
// category in edition editionID.
func FormHref(editionID int64, category, rest string) string {
	return inEdition(FormsPath+"/"+url.PathEscape(category)+rest, editionID)
}

// FormQuestionHref is the page of question key (rest "" to edit it, "/remove").
func FormQuestionHref(editionID int64, category, key, rest string) string {
	return FormHref(editionID, category, "/questions/"+url.PathEscape(key)+rest)
}

// FormSectionHref is the page of section key (rest "" to edit it, "/remove", "/questions/new").
func FormSectionHref(editionID int64, category, key, rest string) string {
	return FormHref(editionID, category, "/sections/"+url.PathEscape(key)+rest)
}

// typeLabels name the question types for people.
var typeLabels = map[form.Type]string{
	form.ShortText:      i18n.M("Short text (one line)"),
	form.LongText:       i18n.M("Long text (with a word limit)"),
	form.Number:         i18n.M("Number (with a unit)"),
	form.Money:          i18n.M("Amount of money"),
	form.Date:           i18n.M("Date"),
	form.URL:            i18n.M("Web address (such as a video link)"),
	form.Email:          i18n.M("Email address"),
	form.SingleChoice:   i18n.M("One choice from a list"),
	form.MultipleChoice: i18n.M("Several choices from a list"),
	form.YesNo:          i18n.M("Yes or no"),
	form.Declaration:    i18n.M("Declaration to confirm"),
	form.File:           i18n.M("File upload"),
	form.Table:          i18n.M("Table (rows and columns, such as indicators)"),
	form.Year:           i18n.M("Year"),
}

// TypeLabel names question type t for people.
func TypeLabel(t form.Type) string {
	if l, ok := typeLabels[t]; ok {
		return l
	}
	return string(t)
}

// SectionForm is a section as posted.
type SectionForm struct {
	Key   string `form:"key"`
	Title string `form:"title"`
	Intro string `form:"intro"`
	// Version is the edition's version the page was rendered with (a conflict shows, never a
	// silent overwrite).
	Version int `form:"version"`
}

// Section is the posted section as a form section (without its questions).
func (f SectionForm) Section() form.Section {
	return form.Section{Key: strings.TrimSpace(f.Key), Title: strings.TrimSpace(f.Title), Intro: strings.TrimSpace(f.Intro)}
}

// SectionFormOf is the form of section s, to edit it.
func SectionFormOf(s *form.Section) SectionForm {
	return SectionForm{Key: s.Key, Title: s.Title, Intro: s.Intro}
}

// QuestionForm is a question as posted. Action "refresh" shows the form again for its type
// and condition (the two-step type change without JavaScript); anything else saves. Numbers
// are posted as typed and read by Question.
type QuestionForm struct {
	Action            string   `form:"action"`
	Version           int      `form:"version"` // the edition's, as the page was rendered
	Section           string   `form:"section"`
	Key               string   `form:"key"`
	Label             string   `form:"label"`
	Help              string   `form:"help"`
	Type              string   `form:"type"`
	Required          string   `form:"required"`
	MayBeConfidential string   `form:"may_be_confidential"`
	Published         string   `form:"published"`
	Criterion         string   `form:"criterion"`
	ShowIfQuestion    string   `form:"show_if_question"`
	ShowIfValues      []string `form:"show_if_values"`
	MaxLength         string   `form:"max_length"`
	MaxWords          string   `form:"max_words"`
	Unit              string   `form:"unit"`
	Integer           string   `form:"integer"`
	Currency          string   `form:"currency"`
	Min               string   `form:"min"`
	Max               string   `form:"max"`
	Options           string   `form:"options"`
	Display           string   `form:"display"`
	MinChoices        string   `form:"min_choices"`
	MaxChoices        string   `form:"max_choices"`
	Accept            []string `form:"accept"`
	MaxSizeMB         string   `form:"max_size_mb"`
	MaxFiles          string   `form:"max_files"`
	Columns           string   `form:"columns"`
	MinRows           string   `form:"min_rows"`
	MaxRows           string   `form:"max_rows"`
	RowLabel          string   `form:"row_label"`
	// NewSection is a new section that is added with this question, its first (a section
	// needs one); posted along as hidden fields.
	NewSection SectionForm `form:"new_section"`
}

// Refresh reports whether the post asks to show the form again rather than save it.
func (f QuestionForm) Refresh() bool { return f.Action == "refresh" }

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

func itoaOrEmpty(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// QuestionFormOf is the form of question q in section, to edit it.
func QuestionFormOf(section string, q *form.Question) QuestionForm {
	f := QuestionForm{
		Section: section, Key: q.Key, Label: q.Label, Help: q.Help, Type: string(q.Type),
		Required: yes(q.Required), MayBeConfidential: yes(q.MayBeConfidential), Published: yes(q.Published),
		Criterion: q.Criterion, MaxLength: itoaOrEmpty(q.MaxLength), MaxWords: itoaOrEmpty(q.MaxWords),
		Unit: q.Unit, Integer: yes(q.Integer), Currency: q.Currency, Min: q.Min, Max: q.Max,
		Options: FormatOptions(q.Options), Display: string(q.Display), MinChoices: itoaOrEmpty(q.MinChoices),
		MaxChoices: itoaOrEmpty(q.MaxChoices), Accept: slices.Clone(q.Accept), MaxSizeMB: itoaOrEmpty(q.MaxSizeMB),
		MaxFiles: itoaOrEmpty(q.MaxFiles), Columns: FormatColumns(q.Columns), MinRows: itoaOrEmpty(q.MinRows),
		MaxRows: itoaOrEmpty(q.MaxRows), RowLabel: q.RowLabel,
	}
	if q.ShowIf != nil {
		f.ShowIfQuestion, f.ShowIfValues = q.ShowIf.Question, slices.Clone(q.ShowIf.Values())
	}
	return f
}

// Question reads the posted question: its texts trimmed, its numbers and lists read, and only
// the settings of its type kept (form.Question.WithType). A number that is not a whole number,
// an option or a column line that cannot be read, is a problem at its field; everything else is
// the form engine's to judge on save.
func (f QuestionForm) Question() (form.Question, field.Errors) {
	var errs field.Errors
	num := func(name, s string) int {
		s = strings.TrimSpace(s)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			errs.Add(name, i18n.Msg("{{.Field}}: enter a whole number, such as 100, or leave it empty", "Field", questionFieldLabels[name]))
		}
		return n
	}
	q := form.Question{
		Key: strings.TrimSpace(f.Key), Label: strings.TrimSpace(f.Label), Help: strings.TrimSpace(f.Help),
		Type: form.Type(f.Type), Required: f.Required == "yes", MayBeConfidential: f.MayBeConfidential == "yes",
		Published: f.Published == "yes", Criterion: f.Criterion,
		MaxLength: num("max_length", f.MaxLength), MaxWords: num("max_words", f.MaxWords),
		Unit: strings.TrimSpace(f.Unit), Integer: f.Integer == "yes", Currency: strings.TrimSpace(f.Currency),
		Min: strings.TrimSpace(f.Min), Max: strings.TrimSpace(f.Max), Display: form.Display(f.Display),
		MinChoices: num("min_choices", f.MinChoices), MaxChoices: num("max_choices", f.MaxChoices),
		Accept: slices.Clone(f.Accept), MaxSizeMB: num("max_size_mb", f.MaxSizeMB), MaxFiles: num("max_files", f.MaxFiles),
		MinRows: num("min_rows", f.MinRows), MaxRows: num("max_rows", f.MaxRows), RowLabel: strings.TrimSpace(f.RowLabel),
	}
	var err error
	if q.Options, err = ParseOptions(f.Options); err != nil {
		errs.Add("options", i18n.Msg("Options: {{.Problem}}", "Problem", problemOf(err)))
	}
	if q.Columns, err = ParseColumns(f.Columns); err != nil {
		errs.Add("columns", i18n.Msg("Columns: {{.Problem}}", "Problem", problemOf(err)))
	}
	if on := strings.TrimSpace(f.ShowIfQuestion); on != "" {
		q.ShowIf = &form.Condition{Question: on}
		if len(f.ShowIfValues) == 1 {
			q.ShowIf.Equals = f.ShowIfValues[0]
		} else {
			q.ShowIf.In = slices.Clone(f.ShowIfValues)
		}
	}
	return q.WithType(q.Type), errs
}

// lineError is a line of options or columns that cannot be read: a text carried for
// translation (i18n.Msg), in English as an error.
type lineError string

func (e lineError) Error() string { return i18n.English(string(e)) }

// problemOf is err's text for a page: a lineError's carried text, translated where it is shown.
func problemOf(err error) string {
	var le lineError
	if errors.As(err, &le) {
		return string(le)
	}
	return err.Error()
}

// FormatOptions writes options one a line as "key: Label".
func FormatOptions(opts []form.Option) string {
	lines := make([]string, len(opts))
	for i, o := range opts {
		lines[i] = o.Key + ": " + o.Label
	}
	return strings.Join(lines, "\n")
}

// ParseOptions reads options written one a line as "key: Label"; empty lines are skipped. It
// returns nil for no options.
func ParseOptions(text string) ([]form.Option, error) {
	var opts []form.Option
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		key, label, ok := strings.Cut(line, ":")
		if !ok {
			return nil, lineError(i18n.Msg("line {{.Line}}: write the key, a colon and the label, such as “mobility: Mobility”", "Line", i+1))
		}
		opts = append(opts, form.Option{Key: strings.TrimSpace(key), Label: strings.TrimSpace(label)})
	}
	return opts, nil
}

// FormatColumns writes the columns of a table one a line as
// "key | Label | type | required max=N | a: A; b: B" (flags and options only where set).
func FormatColumns(cols []form.Column) string {
	lines := make([]string, len(cols))
	for i, c := range cols {
		parts := []string{c.Key, c.Label, string(c.Type)}
		var flags []string
		if c.Required {
			flags = append(flags, "required")
		}
		if c.MaxLength > 0 {
			flags = append(flags, "max="+strconv.Itoa(c.MaxLength))
		}
		var opts []string
		for _, o := range c.Options {
			opts = append(opts, o.Key+": "+o.Label)
		}
		if len(flags) > 0 || len(opts) > 0 {
			parts = append(parts, strings.Join(flags, " "))
		}
		if len(opts) > 0 {
			parts = append(parts, strings.Join(opts, "; "))
		}
		lines[i] = strings.Join(parts, " | ")
	}
	return strings.Join(lines, "\n")
}

// ParseColumns reads the lines FormatColumns writes; empty lines are skipped. It returns nil for
// no columns.
func ParseColumns(text string) ([]form.Column, error) {
	var cols []form.Column
	for i, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "|")
		for j := range parts {
			parts[j] = strings.TrimSpace(parts[j])
		}
		if len(parts) < 3 || len(parts) > 5 {
			return nil, lineError(i18n.Msg("line {{.Line}}: write key | Label | type, then optionally | required max=N | a: A; b: B", "Line", i+1))
		}
		c := form.Column{Key: parts[0], Label: parts[1], Type: form.Type(parts[2])}
		if len(parts) > 3 {
			for _, flag := range strings.Fields(parts[3]) {
				switch n, isMax := strings.CutPrefix(flag, "max="); {
				case flag == "required":
					c.Required = true
				case isMax:
					v, err := strconv.Atoi(n)
					if err != nil {
						return nil, lineError(i18n.Msg("line {{.Line}}: max= takes a whole number, got {{.Got}}", "Line", i+1, "Got", strconv.Quote(n)))
					}
					c.MaxLength = v
				default:
					return nil, lineError(i18n.Msg("line {{.Line}}: unknown setting {{.Setting}} (required or max=N)", "Line", i+1, "Setting", strconv.Quote(flag)))
				}
			}
		}
		if len(parts) > 4 {
			opts, err := ParseOptions(strings.ReplaceAll(parts[4], ";", "\n"))
			if err != nil {
				return nil, lineError(i18n.Msg("line {{.Line}}: options: write them as “a: A; b: B”", "Line", i+1))
			}
			c.Options = opts
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// questionFieldLabels name the fields of the question form, by field name (the YAML key of
// the question's attribute, which is how the validator's paths name it).
var questionFieldLabels = map[string]string{
	"key": i18n.M("Key"), "label": i18n.M("Question"), "help": i18n.M("Help text"), "type": i18n.M("Type"), "required": i18n.M("Required"),
	"may_be_confidential": i18n.M("May be marked confidential"), "published": i18n.M("Published"), "criterion": i18n.M("Criterion"),
	"show_if_question": i18n.M("Shown only if"), "show_if_values": i18n.M("Answers that show it"),
	"max_length": i18n.M("Most characters"), "max_words": i18n.M("Word limit"), "unit": i18n.M("Unit"), "integer": i18n.M("Whole numbers only"),
	"currency": i18n.M("Currency"), "min": i18n.M("Lowest value"), "max": i18n.M("Highest value"), "options": i18n.M("Options"),
	"display": i18n.M("Shown as"), "min_choices": i18n.M("Fewest choices"), "max_choices": i18n.M("Most choices"),
	"accept": i18n.M("File kinds"), "max_size_mb": i18n.M("Largest file (MB)"), "max_files": i18n.M("Most files"),
	"columns": i18n.M("Columns"), "min_rows": i18n.M("Fewest rows"), "max_rows": i18n.M("Most rows"), "row_label": i18n.M("Row name"),
}

var sectionFieldLabels = map[string]string{"key": i18n.M("Key"), "title": i18n.M("Title"), "intro": i18n.M("Introduction")}

var (
	formPathPattern = regexp.MustCompile(`^categories\[(\d+)\]\.form(?:\.(.*))?$`)
	itemPathPattern = regexp.MustCompile(`^sections\[(\d+)\](?:\.questions\[(\d+)\])?(?:\.(.*))?$`)
	pathHead        = regexp.MustCompile(`^[a-z_]+`)
)

// FormProblems turns the problems of a refused save (edition.ValidationError's, whose paths
// name the whole edition file) into field problems of the page that made the change:
// candidate is the form as the change made it, category its category's position in the
// edition; the problems of the question or section with key self go next to their fields
// (named like the validator's paths: "max_words", "show_if_question", "options"), every other
// problem to the field "form" (the page's heading), naming what it is about.
func FormProblems(candidate *form.Form, category int, problems []edition.Problem, question, section string) field.Errors {
	var errs field.Errors
	for _, p := range problems {
		name, msg := "form", problemText(p.Path, p.Shown())
		if m := formPathPattern.FindStringSubmatch(p.Path); m != nil && m[1] == strconv.Itoa(category) {
			name, msg = formProblem(candidate, m[2], p.Shown(), question, section)
		}
		if name == "form" { // every problem of the form as a whole is listed
			errs = append(errs, field.Error{Field: name, Message: msg})
		} else {
			errs.Add(name, msg)
		}
	}
	return errs
}

func problemText(path, msg string) string {
	if path == "" {
		return msg
	}
	return i18n.Msg("{{.Path}}: {{.Problem}}", "Path", path, "Problem", msg)
}

// fieldProblem is msg about the field named label.
func fieldProblem(label, msg string) string {
	return i18n.Msg("{{.Field}}: {{.Problem}}", "Field", label, "Problem", msg)
}

// formProblem places one problem at path (relative to the form).
func formProblem(f *form.Form, path, msg, question, section string) (string, string) {
	m := itemPathPattern.FindStringSubmatch(path)
	if m == nil {
		return "form", i18n.Msg("The form: {{.Problem}}", "Problem", msg)
	}
	si, _ := strconv.Atoi(m[1])
	if si >= len(f.Sections) {
		return "form", problemText(path, msg)
	}
	s := &f.Sections[si]
	rest := m[3]
	if m[2] == "" {
		if s.Key == section && section != "" && sectionFieldLabels[rest] != "" {
			return rest, fieldProblem(sectionFieldLabels[rest], msg)
		}
		return "form", i18n.Msg("Section “{{.Title}}”: {{.Problem}}", "Title", s.Title, "Problem", problemText(rest, msg))
	}
	qi, _ := strconv.Atoi(m[2])
	if qi >= len(s.Questions) {
		return "form", i18n.Msg("Section “{{.Title}}”: {{.Problem}}", "Title", s.Title, "Problem", problemText(rest, msg))
	}
	q := &s.Questions[qi]
	if q.Key != question || question == "" {
		return "form", i18n.Msg("Question “{{.Label}}” ({{.Key}}): {{.Problem}}", "Label", q.Label, "Key", q.Key, "Problem", problemText(rest, msg))
	}
	name := pathHead.FindString(rest)
	switch {
	case name == "show_if" && rest == "show_if.question":
		name = "show_if_question"
	case name == "show_if":
		name = "show_if_values"
	case questionFieldLabels[name] == "":
		name = "form"
	}
	what := questionFieldLabels[name]
	if name == "form" {
		what = i18n.M("This question")
	}
	if detail := strings.TrimPrefix(rest, pathHead.FindString(rest)); detail != "" && detail != ".question" {
		return name, i18n.Msg("{{.Field}} ({{.Detail}}): {{.Problem}}", "Field", what, "Detail", strings.TrimPrefix(detail, "."), "Problem", msg)
	}
	return name, fieldProblem(what, msg)
}

// SectionProblem places a problem of Check about the fields of the section at index (a new
// section, checked before its first question is added): "" for a problem elsewhere or about its
// questions.
func SectionProblem(p form.Problem, index int) (string, string) {
	m := itemPathPattern.FindStringSubmatch(p.Path)
	if m == nil || m[1] != strconv.Itoa(index) || m[2] != "" || sectionFieldLabels[m[3]] == "" {
		return "", ""
	}
	return m[3], fieldProblem(sectionFieldLabels[m[3]], p.Shown())
}

// ConditionText says when question q of f is shown, for the outline ("" when always).
func ConditionText(f *form.Form, q *form.Question) string {
	if q.ShowIf == nil {
		return ""
	}
	ref, ok := f.Question(q.ShowIf.Question)
	if !ok {
		return i18n.Msg("Shown if {{.Question}} (a missing question) is {{.Values}}", "Question", q.ShowIf.Question, "Values", eitherOf(q.ShowIf.Values()))
	}
	var labels []string
	for _, v := range q.ShowIf.Values() {
		label := v
		for _, o := range ref.ChoiceOptions() {
			if o.Key == v {
				label = o.Label
			}
		}
		labels = append(labels, label)
	}
	return i18n.Msg("Shown if “{{.Question}}” is {{.Values}}", "Question", ref.Label, "Values", eitherOf(labels))
}

// eitherOf is "A or B or C", the values of a condition.
func eitherOf(values []string) string {
	if len(values) == 0 {
		return ""
	}
	out := values[0]
	for _, v := range values[1:] {
		out = i18n.Msg("{{.Either}} or {{.Or}}", "Either", out, "Or", v)
	}
	return out
}

// versionField carries the edition's version with a form of the builder: a save made on an
// older version is refused (studio.ErrVersion) and shown.
func versionField(ed *edition.Edition) components.Field {
	return components.Field{Name: "version", Type: "hidden", Value: strconv.Itoa(ed.Version)}
}

// FormsView is the list of the forms of ed.
func FormsView(page components.Page, ed *edition.Edition, picker components.Field) pages.FormsView {
	v := pages.FormsView{Page: page, Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name}
	for _, c := range ed.Categories {
		if c.Form == nil {
			continue
		}
		v.Forms = append(v.Forms, pages.FormsRow{Category: c.Name, Href: FormHref(ed.ID, c.Key, ""),
			Preview: FormHref(ed.ID, c.Key, "/preview"), Sections: len(c.Form.Sections), Questions: len(c.Form.Questions())})
	}
	return v
}

// FormOutlineView is the outline of the form of category c of ed: its sections and questions in
// order, with the buttons that move, change and remove them.
func FormOutlineView(page components.Page, ed *edition.Edition, c *edition.Category, errs field.Errors) pages.FormOutlineView {
	f := c.Form
	v := pages.FormOutlineView{Page: page, Edition: ed.Name, Category: c.Name, Errors: errs, Version: strconv.Itoa(ed.Version),
		Back: FormsHref(ed.ID), Move: FormHref(ed.ID, c.Key, "/move"), Preview: FormHref(ed.ID, c.Key, "/preview"),
		AddSection: FormHref(ed.ID, c.Key, "/sections/new")}
	for i, s := range f.Sections {
		sv := pages.OutlineSection{Key: s.Key, Title: s.Title, Intro: s.Intro,
			Edit: FormSectionHref(ed.ID, c.Key, s.Key, ""), Remove: FormSectionHref(ed.ID, c.Key, s.Key, "/remove"),
			AddQuestion: FormSectionHref(ed.ID, c.Key, s.Key, "/questions/new"),
			First:       i == 0, Last: i == len(f.Sections)-1}
		for j := range s.Questions {
			q := &s.Questions[j]
			var flags []string
			if q.Required {
				flags = append(flags, i18n.M("Required"))
			}
			if q.MayBeConfidential {
				flags = append(flags, i18n.M("May be marked confidential"))
			}
			if q.Published {
				flags = append(flags, i18n.M("Published"))
			}
			sv.Questions = append(sv.Questions, pages.OutlineQuestion{Key: q.Key, Label: q.Label, Type: TypeLabel(q.Type),
				Flags: flags, Condition: ConditionText(f, q),
				Edit: FormQuestionHref(ed.ID, c.Key, q.Key, ""), Remove: FormQuestionHref(ed.ID, c.Key, q.Key, "/remove"),
				First: i == 0 && j == 0, Last: i == len(f.Sections)-1 && j == len(s.Questions)-1})
		}
		v.Sections = append(v.Sections, sv)
	}
	return v
}

// SectionEditView is the page to add a section to the form of c (s nil) or to change section s.
func SectionEditView(page components.Page, ed *edition.Edition, c *edition.Category, s *form.Section, f SectionForm, errs field.Errors) pages.SectionEditView {
	v := pages.SectionEditView{Page: page, Category: c.Name, Errors: errs, Back: FormHref(ed.ID, c.Key, ""),
		Heading: i18n.M("Add a section"), Action: FormHref(ed.ID, c.Key, "/sections/new"), Submit: i18n.M("Add the section")}
	if s != nil {
		v.Heading, v.Action, v.Submit = i18n.Msg("Change the section “{{.Title}}”", "Title", s.Title), FormSectionHref(ed.ID, c.Key, s.Key, ""), i18n.M("Save the section")
	}
	v.Fields = components.WithErrors([]components.Field{
		versionField(ed),
		{Name: "title", Label: i18n.M("Title"), Value: f.Title, Required: true, Hint: i18n.M("The heading of the section's page, such as “The project”.")},
		{Name: "key", Label: i18n.M("Key"), Value: f.Key, Required: true, MaxLength: form.MaxKeyLength,
			Hint: i18n.M("Lowercase letters, digits and underscores, starting with a letter, such as “project”. It is part of the section's address.")},
		{Name: "intro", Label: i18n.M("Introduction (optional)"), Type: "textarea", Value: f.Intro, Hint: i18n.M("A paragraph above the questions.")},
	}, errs)
	return v
}

// QuestionEditView is the page to add a question to section of the form of c (q nil) or to
// change question q, with the form f as posted (or read from q) and its problems.
func QuestionEditView(page components.Page, ed *edition.Edition, c *edition.Category, q *form.Question, f QuestionForm, errs field.Errors) pages.QuestionEditView {
	v := pages.QuestionEditView{Page: page, Category: c.Name, Errors: errs, Back: FormHref(ed.ID, c.Key, ""),
		Heading: i18n.M("Add a question"), Submit: i18n.M("Add the question"), Action: FormSectionHref(ed.ID, c.Key, f.Section, "/questions/new"),
		TypeChosen: f.Type != ""}
	if q != nil {
		v.Heading, v.Submit, v.Action = i18n.Msg("Change the question “{{.Label}}”", "Label", q.Label), i18n.M("Save the question"), FormQuestionHref(ed.ID, c.Key, q.Key, "")
	}
	v.Hidden = []components.Field{versionField(ed)}
	typ := form.Type(f.Type)
	var typeOpts []components.Option
	if f.Type == "" {
		typeOpts = append(typeOpts, components.Option{Value: "", Label: i18n.M("Choose a type")})
	}
	for _, t := range form.QuestionTypes() {
		typeOpts = append(typeOpts, components.Option{Value: string(t), Label: TypeLabel(t), Selected: t == typ})
	}
	v.Type = components.Field{Name: "type", Label: i18n.M("Type of answer"), Type: "select", Options: typeOpts, Error: errs.Get("type"),
		Hint: i18n.M("The settings of the question depend on its type: choose it, then press “Continue”.")}
	if v.TypeChosen {
		v.Type.Hint = i18n.M("The fields below depend on the type: after choosing another type, press “Show the settings of this type”; nothing is saved until you save.")
	}
	if n := f.NewSection; n.Key != "" {
		v.Hidden = append(v.Hidden, components.Field{Name: "new_section.key", Type: "hidden", Value: n.Key},
			components.Field{Name: "new_section.title", Type: "hidden", Value: n.Title}, components.Field{Name: "new_section.intro", Type: "hidden", Value: n.Intro})
		v.Heading = i18n.Msg("Add the first question of the new section “{{.Title}}”", "Title", n.Title)
	}
	if !v.TypeChosen {
		return v
	}
	var sectionOpts []components.Option
	for _, s := range c.Form.Sections {
		sectionOpts = append(sectionOpts, components.Option{Value: s.Key, Label: s.Title, Selected: s.Key == f.Section})
	}
	text := func(name, value, hint string) components.Field {
		return components.Field{Name: name, Label: questionFieldLabels[name], Value: value, Hint: hint, Error: errs.Get(name)}
	}
	number := func(name, value, hint string) components.Field {
		fd := text(name, value, hint)
		fd.InputMode = "numeric"
		return fd
	}
	check := func(name, value, label string) components.Field {
		return components.Field{Name: name, Label: label, Type: "checkbox", Checked: value == "yes", Error: errs.Get(name)}
	}
	v.Common = []components.Field{
		{Name: "label", Label: i18n.M("Question"), Value: f.Label, Required: true, Error: errs.Get("label"), Hint: i18n.M("As the applicant reads it.")},
		{Name: "key", Label: i18n.M("Key"), Value: f.Key, Required: true, MaxLength: form.MaxKeyLength, Error: errs.Get("key"),
			Hint: i18n.M("Lowercase letters, digits and underscores, starting with a letter, such as “project_title”. Answers are stored under it: do not change it once applicants have answered.")},
		{Name: "help", Label: i18n.M("Help text (optional)"), Type: "textarea", Value: f.Help, Error: errs.Get("help"), Hint: i18n.M("Shown under the question.")},
		check("required", f.Required, i18n.M("An answer is required to submit")),
	}
	if q != nil {
		v.Common = append(v.Common, components.Field{Name: "section", Label: i18n.M("Section"), Type: "select", Options: sectionOpts,
			Error: errs.Get("section"), Hint: i18n.M("Choosing another section moves the question to its end.")})
	}
	if typ != form.Declaration {
		v.Common = append(v.Common, check("may_be_confidential", f.MayBeConfidential, i18n.M("The applicant may mark the answer confidential (it is then never published)")))
	}
	v.Common = append(v.Common, check("published", f.Published, i18n.M("The answer may be published in the best-practice repository")))
	if len(c.Criteria) > 0 {
		opts := []components.Option{{Value: "", Label: i18n.M("None")}}
		for _, cr := range c.Criteria {
			opts = append(opts, components.Option{Value: cr.Key, Label: cr.Name, Selected: cr.Key == f.Criterion})
		}
		v.Common = append(v.Common, components.Field{Name: "criterion", Label: i18n.M("Evaluation criterion (optional)"), Type: "select", Options: opts,
			Error: errs.Get("criterion"), Hint: i18n.M("Links the answer to the criterion it informs.")})
	}

	switch typ {
	case form.ShortText:
		v.Settings = []components.Field{number("max_length", f.MaxLength, i18n.Msg("Up to {{.Most}}; {{.Default}} when empty.", "Most", form.MaxShortLength, "Default", form.DefaultMaxLength))}
	case form.LongText:
		v.Settings = []components.Field{number("max_words", f.MaxWords, i18n.Msg("Up to {{.Most}}; no limit when empty.", "Most", form.MaxWordsLimit))}
	case form.Number:
		v.Settings = []components.Field{text("unit", f.Unit, i18n.M("Such as “people” or “km”; optional.")),
			check("integer", f.Integer, i18n.M("Whole numbers only")),
			text("min", f.Min, i18n.M("Optional, such as 0.")), text("max", f.Max, i18n.M("Optional."))}
	case form.Money:
		v.Settings = []components.Field{text("currency", f.Currency, i18n.M("A three-letter code such as USD or KRW.")),
			text("min", f.Min, i18n.M("Optional, such as 0.")), text("max", f.Max, i18n.M("Optional."))}
	case form.Date:
		v.Settings = []components.Field{text("min", f.Min, i18n.M("Optional, as year-month-day, such as 2020-01-31.")), text("max", f.Max, i18n.M("Optional, as year-month-day."))}
	case form.SingleChoice, form.MultipleChoice:
		opt := text("options", f.Options, i18n.M("One a line: the key, a colon and the label, such as “mobility: Mobility”. At least two."))
		opt.Type = "textarea"
		v.Settings = []components.Field{opt}
		if typ == form.SingleChoice {
			v.Settings = append(v.Settings, components.Field{Name: "display", Label: questionFieldLabels["display"], Type: "select", Error: errs.Get("display"),
				Options: []components.Option{{Value: "", Label: i18n.M("Radio buttons"), Selected: f.Display == "" || f.Display == string(form.Radio)},
					{Value: string(form.Dropdown), Label: i18n.M("A dropdown list"), Selected: f.Display == string(form.Dropdown)}}})
		} else {
			v.Settings = append(v.Settings, number("min_choices", f.MinChoices, i18n.M("Optional.")), number("max_choices", f.MaxChoices, i18n.M("Optional.")))
		}
	case form.File:
		var kinds []components.Option
		for _, k := range form.FileKindNames() {
			kinds = append(kinds, components.Option{Value: k, Label: form.FileKinds[k].Label, Selected: slices.Contains(f.Accept, k)})
		}
		v.Accept = components.Field{Name: "accept", Label: questionFieldLabels["accept"], Options: kinds, Error: errs.Get("accept")}
		v.Settings = []components.Field{
			number("max_size_mb", f.MaxSizeMB, i18n.Msg("Up to {{.Most}}; {{.Default}} when empty.", "Most", form.MaxFileSizeMB, "Default", form.DefaultFileMB)),
			number("max_files", f.MaxFiles, i18n.Msg("Up to {{.Most}}; 1 when empty.", "Most", form.MaxFilesLimit))}
	case form.Table:
		cols := text("columns", f.Columns, i18n.M("One a line: key | Label | type, then optionally | required max=N | options for a one-choice column as “a: A; b: B”. Types: short_text, number, year, url, single_choice."))
		cols.Type = "textarea"
		v.Settings = []components.Field{cols, number("min_rows", f.MinRows, i18n.M("Optional.")),
			number("max_rows", f.MaxRows, i18n.Msg("Up to {{.Most}}; {{.Default}} when empty.", "Most", form.MaxRows, "Default", form.DefaultMaxRows)),
			text("row_label", f.RowLabel, i18n.M("Names the rows, such as “Partner” (Partner 1, Partner 2); “Row” when empty."))}
	}

	// The condition: an earlier question with answers to choose from.
	condOpts := []components.Option{{Value: "", Label: i18n.M("Always shown")}}
	var on *form.Question
	for _, other := range earlierQuestions(c.Form, q, f.Section) {
		if other.ChoiceOptions() == nil {
			continue
		}
		condOpts = append(condOpts, components.Option{Value: other.Key, Label: other.Label, Selected: other.Key == f.ShowIfQuestion})
		if other.Key == f.ShowIfQuestion {
			on = other
		}
	}
	v.ShowIf = components.Field{Name: "show_if_question", Label: questionFieldLabels["show_if_question"], Type: "select", Options: condOpts,
		Error: errs.Get("show_if_question"), Hint: i18n.M("Show the question only when an earlier question has one of some answers. After choosing the question, press “Choose its answers”.")}
	if on != nil {
		var opts []components.Option
		for _, o := range on.ChoiceOptions() {
			opts = append(opts, components.Option{Value: o.Key, Label: o.Label, Selected: slices.Contains(f.ShowIfValues, o.Key)})
		}
		v.ShowIfValues = components.Field{Name: "show_if_values", Label: i18n.Msg("Answers to “{{.Question}}” that show it", "Question", on.Label), Options: opts, Error: errs.Get("show_if_values")}
	}
	return v
}

// earlierQuestions are the questions a condition of question q may depend on: those before it
// (a new question, q nil, comes at the end of section).
func earlierQuestions(f *form.Form, q *form.Question, section string) []*form.Question {
	var out []*form.Question
	for i := range f.Sections {
		for j := range f.Sections[i].Questions {
			if q != nil && f.Sections[i].Questions[j].Key == q.Key {
				return out
			}
			out = append(out, &f.Sections[i].Questions[j])
		}
		if q == nil && f.Sections[i].Key == section {
			return out
		}
	}
	return out
}

// FormRemoveView asks to confirm removing what (“the question …”) from the form of c.
func FormRemoveView(page components.Page, ed *edition.Edition, c *edition.Category, what, note, action string) pages.FormRemoveView {
	return pages.FormRemoveView{Page: page, Category: c.Name, What: what, Note: note, Action: action, Cancel: FormHref(ed.ID, c.Key, ""),
		Version: strconv.Itoa(ed.Version)}
}

// FormPreviewView renders the form of c as an applicant sees it, every section filled with
// the sample answers (form.Sample).
func FormPreviewView(page components.Page, ed *edition.Edition, c *edition.Category) pages.FormPreviewView {
	answers := form.Sample(c.Form)
	v := pages.FormPreviewView{Page: page, Edition: ed.Name, Category: c.Name, Intro: c.Form.Intro,
		Back: FormHref(ed.ID, c.Key, ""), Action: FormHref(ed.ID, c.Key, "/preview")}
	for i, s := range c.Form.Sections {
		v.Sections = append(v.Sections, pages.PreviewSection{Title: s.Title,
			Step:    i18n.Msg("Section {{.Number}} of {{.Count}}", "Number", i+1, "Count", len(c.Form.Sections)),
			Section: components.SectionView{Form: c.Form, Section: s.Key, Answers: answers}})
	}
	return v
}
