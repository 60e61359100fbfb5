package form

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"prizeportal/internal/blocks/field"
)

// Mode says how strictly Validate judges answers.
type Mode int

const (
	// Draft reports only problems with what was typed: too long, not a number, not a date, a
	// bad URL or email, a value out of range, an answer that is not one of the options. It
	// never asks for a missing answer, so that a draft can always be saved (DOMAIN.md
	// "The project application": drafts are saved and edited until the deadline).
	Draft Mode = iota
	// Submit also requires every required question that is shown, confirmed declarations,
	// word limits, the minimum and maximum number of choices, rows and files.
	Submit
)

// Validate judges every answer of the form and returns the problems in form order, each keyed
// by the field name of its input. Questions hidden by their condition are skipped, and answers
// to questions the form does not have are ignored.
func Validate(f *Form, a Answers, mode Mode) field.Errors {
	var errs field.Errors
	for i := range f.Sections {
		errs = append(errs, ValidateSection(f, f.Sections[i].Key, a, mode)...)
	}
	return errs
}

// ValidateSection is Validate for the questions of one section (conditions may still depend on
// answers of other sections). An unknown section has no problems.
func ValidateSection(f *Form, section string, a Answers, mode Mode) field.Errors {
	var errs field.Errors
	s, ok := f.Section(section)
	if !ok {
		return nil
	}
	for i := range s.Questions {
		q := &s.Questions[i]
		if f.Visible(q, a) {
			validateQuestion(&errs, q, a[q.Key], mode)
		}
	}
	return errs
}

// problem formats a message that names the question, so that it reads well in the error
// summary as well as next to the field.
func problem(label, format string, args ...any) string {
	return clip(label) + ": " + fmt.Sprintf(format, args...)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// missing reports whether a required question counts as not answered.
func missing(q *Question, a Answer) bool {
	switch q.Type {
	case Declaration:
		return a.Text != "yes"
	case MultipleChoice:
		return len(a.Choices) == 0
	case Table:
		return filledRows(q, a) == 0
	case File:
		return len(a.Files) == 0
	}
	return strings.TrimSpace(a.Text) == ""
}

// filledRows counts the rows with at least one cell of a known column filled.
func filledRows(q *Question, a Answer) int {
	n := 0
	for _, r := range a.Rows {
		if rowFilled(q, r) {
			n++
		}
	}
	return n
}

func rowFilled(q *Question, r Row) bool {
	for _, col := range q.Columns {
		if strings.TrimSpace(r[col.Key]) != "" {
			return true
		}
	}
	return false
}

func validateQuestion(errs *field.Errors, q *Question, a Answer, mode Mode) {
	name := q.FieldName()
	if mode == Submit && q.Required && missing(q, a) {
		var msg string
		switch q.Type {
		case Declaration:
			msg = "confirm this declaration to submit"
		case SingleChoice, YesNo:
			msg = "choose an answer"
		case MultipleChoice:
			msg = "choose at least one option"
		case Table:
			msg = "add at least " + plural(max(q.MinRows, 1), "row", "rows")
		case File:
			msg = "upload at least one file"
		default:
			msg = "answer this question"
		}
		errs.Add(name, problem(q.Label, "%s", msg))
		return
	}
	text := a.Text
	switch q.Type {
	case ShortText:
		if n := utf8.RuneCountInString(text); n > q.LengthLimit() {
			errs.Add(name, problem(q.Label, "use at most %d characters (you have %d)", q.LengthLimit(), n))
		}
	case LongText:
		if n := utf8.RuneCountInString(text); n > MaxTextRunes {
			errs.Add(name, problem(q.Label, "use at most %d characters (you have %d)", MaxTextRunes, n))
		} else if mode == Submit && q.MaxWords > 0 {
			if n := CountWords(text); n > q.MaxWords {
				errs.Add(name, problem(q.Label, "use at most %d words (you have %d)", q.MaxWords, n))
			}
		}
	case Number, Money:
		if text != "" {
			if msg := numberProblem(q, text); msg != "" {
				errs.Add(name, problem(q.Label, "%s", msg))
			}
		}
	case Date:
		if text != "" {
			if msg := dateProblem(q, text); msg != "" {
				errs.Add(name, problem(q.Label, "%s", msg))
			}
		}
	case URL:
		if text != "" && !validURL(text) {
			errs.Add(name, problem(q.Label, "enter a full web address starting with https://"))
		}
	case Email:
		if text != "" && !validEmail(text) {
			errs.Add(name, problem(q.Label, "enter an email address such as name@example.org"))
		}
	case SingleChoice, YesNo:
		if _, ok := findOption(q.ChoiceOptions(), text); text != "" && !ok {
			errs.Add(name, problem(q.Label, "choose one of the options"))
		}
	case MultipleChoice:
		validateChoices(errs, q, a, mode)
	case File:
		if mode == Submit && len(a.Files) > q.FileLimit() {
			errs.Add(name, problem(q.Label, "keep at most %s (you have %d)", plural(q.FileLimit(), "file", "files"), len(a.Files)))
		}
	case Table:
		validateTable(errs, q, a, mode)
	}
}

func numberProblem(q *Question, text string) string {
	n, ok := parseNumber(text)
	if !ok {
		if q.Type == Money {
			return fmt.Sprintf("enter an amount in %s using digits, such as 1500000 or 1,500,000.50", q.Currency)
		}
		return "enter a number using digits, such as 1500 or 2.5"
	}
	if q.Integer && decimals(n) > 0 {
		return "enter a whole number"
	}
	if q.Type == Money && decimals(n) > 2 {
		return "use at most two decimal places"
	}
	v, err := strconv.ParseFloat(n, 64)
	if err != nil {
		return "enter a smaller number"
	}
	unit := q.Unit
	if q.Type == Money {
		unit = q.Currency
	}
	if lo, ok := q.MinNumber(); ok && v < lo {
		return strings.TrimSpace("must be at least " + q.Min + " " + unit)
	}
	if hi, ok := q.MaxNumber(); ok && v > hi {
		return strings.TrimSpace("must be at most " + q.Max + " " + unit)
	}
	return ""
}

func dateProblem(q *Question, text string) string {
	t, ok := parseDate(text)
	if !ok {
		return "enter a date as year-month-day, such as 2023-05-31"
	}
	if lo, ok := parseDate(q.Min); ok && t.Before(lo) {
		return "must be on or after " + q.Min
	}
	if hi, ok := parseDate(q.Max); ok && t.After(hi) {
		return "must be on or before " + q.Max
	}
	return ""
}

func validateChoices(errs *field.Errors, q *Question, a Answer, mode Mode) {
	name := q.FieldName()
	for _, c := range a.Choices {
		if _, ok := q.Option(c); !ok {
			errs.Add(name, problem(q.Label, "choose from the options listed"))
			return
		}
	}
	if mode != Submit {
		return
	}
	n := len(a.Choices)
	if least := max(q.MinChoices, 1); n > 0 && n < least {
		errs.Add(name, problem(q.Label, "choose at least %s", plural(least, "option", "options")))
	}
	if q.MaxChoices > 0 && n > q.MaxChoices {
		errs.Add(name, problem(q.Label, "choose at most %s (you chose %d)", plural(q.MaxChoices, "option", "options"), n))
	}
}

func validateTable(errs *field.Errors, q *Question, a Answer, mode Mode) {
	for i, r := range a.Rows {
		row := i + 1
		filled := rowFilled(q, r)
		for j := range q.Columns {
			col := &q.Columns[j]
			cell := r[col.Key]
			name := CellName(q.Key, row, col.Key)
			where := q.RowName(row) + ", " + clip(col.Label)
			if strings.TrimSpace(cell) == "" {
				if mode == Submit && col.Required && filled {
					errs.Add(name, where+": fill in this cell or empty the row")
				}
				continue
			}
			if msg := cellProblem(col, cell); msg != "" {
				errs.Add(name, where+": "+msg)
			}
		}
	}
	if mode != Submit {
		return
	}
	name := q.FieldName()
	n := filledRows(q, a)
	if least := max(q.MinRows, 1); n > 0 && n < least {
		errs.Add(name, problem(q.Label, "add at least %s", plural(least, "row", "rows")))
	}
	if n > q.RowLimit() {
		errs.Add(name, problem(q.Label, "use at most %s (you have %d)", plural(q.RowLimit(), "row", "rows"), n))
	}
}

func cellProblem(col *Column, cell string) string {
	switch col.Type {
	case ShortText:
		if n := utf8.RuneCountInString(cell); n > col.LengthLimit() {
			return fmt.Sprintf("use at most %d characters (you have %d)", col.LengthLimit(), n)
		}
	case Number:
		if _, ok := parseNumber(cell); !ok {
			return "enter a number using digits, such as 1500 or 2.5"
		}
	case Year:
		if !validYear(cell) {
			return "enter a year such as 2023"
		}
	case URL:
		if !validURL(cell) {
			return "enter a full web address starting with https://"
		}
	case SingleChoice:
		if _, ok := col.Option(cell); !ok {
			return "choose one of the options"
		}
	}
	return ""
}

// Missing is a required question that is not answered yet.
type Missing struct {
	Key   string
	Label string
	Field string // the field name, for a link to "#f-" + Field on the section's page
}

// SectionProgress tells how far one section is, for a section overview.
type SectionProgress struct {
	Key   string
	Title string
	// Missing lists the required questions that are shown and not answered.
	Missing []Missing
	// Problems counts the other problems that would stop a submission (too many words, a bad
	// number, a declaration ...).
	Problems int
}

// Complete reports whether the section is ready to submit.
func (p SectionProgress) Complete() bool { return len(p.Missing) == 0 && p.Problems == 0 }

// Progress reports every section of the form, in order, as Submit would judge it.
func Progress(f *Form, a Answers) []SectionProgress {
	out := make([]SectionProgress, 0, len(f.Sections))
	for i := range f.Sections {
		s := &f.Sections[i]
		p := SectionProgress{Key: s.Key, Title: s.Title}
		missed := map[string]bool{}
		for j := range s.Questions {
			q := &s.Questions[j]
			if q.Required && f.Visible(q, a) && missing(q, a[q.Key]) {
				p.Missing = append(p.Missing, Missing{Key: q.Key, Label: q.Label, Field: q.FieldName()})
				missed[q.FieldName()] = true
			}
		}
		for _, e := range ValidateSection(f, s.Key, a, Submit) {
			if !missed[e.Field] {
				p.Problems++
			}
		}
		out = append(out, p)
	}
	return out
}
