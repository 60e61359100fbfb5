package form

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"

	"prizeportal/internal/blocks/field"
)

// Decode reads the posted fields of one section (see the package documentation for the names)
// into answers, with the problems a draft save reports (Validate in Draft mode) plus those of
// decoding itself. It only looks up the names the section's questions use, at most MaxRows rows
// per table and a bounded number of values per field, so its work is bounded by the form and
// not by the request; unknown fields are ignored. Text is cleaned (valid UTF-8, "\n" line
// breaks, no control characters, trimmed) and cut at MaxTextRunes (MaxLineRunes for one line,
// MaxCellRunes for a cell) with a problem. A number, date, URL or email that is not valid is
// kept as typed with a problem, so nothing typed is lost; only a value that is not one of the
// options (which no form on the page can send) is dropped.
//
// Empty answers are left out. A file question's answer carries only the confidential mark and
// the files to remove (uploads are not form values): apply it with Merge. Conditions are not
// applied here, since they may depend on other sections: every posted answer is decoded.
// An unknown section decodes to no answers.
func Decode(f *Form, section string, values url.Values) (Answers, field.Errors) {
	out := Answers{}
	var errs field.Errors
	s, ok := f.Section(section)
	if !ok {
		return out, nil
	}
	for i := range s.Questions {
		q := &s.Questions[i]
		a := decodeQuestion(&errs, q, values)
		if q.MayBeConfidential && values.Get(ConfidentialName(q.Key)) == "yes" {
			a.Confidential = true
		}
		if !a.Empty() || a.Confidential || len(a.remove) > 0 {
			out[q.Key] = a
		}
		validateQuestion(&errs, q, a, Draft)
	}
	return out, errs
}

// firstValues returns at most n values posted under name.
func firstValues(values url.Values, name string, n int) []string {
	vs := values[name]
	if len(vs) > n {
		vs = vs[:n]
	}
	return vs
}

func decodeQuestion(errs *field.Errors, q *Question, values url.Values) Answer {
	name := q.FieldName()
	raw := values.Get(name)
	var a Answer
	switch q.Type {
	case LongText:
		text, cut := cleanText(raw, true, MaxTextRunes)
		if cut {
			errs.Add(name, problem(q.Label, "the text was cut at %d characters", MaxTextRunes))
		}
		a.Text = text
	case ShortText, Number, Money, Date, URL, Email:
		text, cut := cleanText(raw, false, MaxLineRunes)
		if cut {
			errs.Add(name, problem(q.Label, "the text was cut at %d characters", MaxLineRunes))
		}
		a.Text = text
		if q.Type == Number || q.Type == Money {
			if n, ok := parseNumber(text); ok && numberProblem(q, text) == "" {
				a.Number = json.Number(n)
			}
		}
	case SingleChoice, YesNo:
		text, _ := cleanText(raw, false, MaxLineRunes)
		if _, ok := findOption(q.ChoiceOptions(), text); ok {
			a.Text = text
		} else if text != "" {
			errs.Add(name, problem(q.Label, "choose one of the options"))
		}
	case Declaration:
		if raw == "yes" {
			a.Text = "yes"
		}
	case MultipleChoice:
		chosen := map[string]bool{}
		for _, v := range firstValues(values, name, 2*len(q.Options)+1) {
			if _, ok := q.Option(v); ok {
				chosen[v] = true
			} else if v != "" {
				errs.Add(name, problem(q.Label, "choose from the options listed"))
			}
		}
		for _, o := range q.Options { // in the order of the options
			if chosen[o.Key] {
				a.Choices = append(a.Choices, o.Key)
			}
		}
	case File:
		for _, id := range firstValues(values, RemoveName(q.Key), 2*q.FileLimit()) {
			if id != "" && !slices.Contains(a.remove, id) {
				a.remove = append(a.remove, id)
			}
		}
	case Table:
		a.Rows = decodeRows(errs, q, values)
	}
	return a
}

// decodeRows reads rows 1 to MaxRows of a table, leaving out empty rows. Problems are keyed by
// the row's place among the kept rows, which is where the page shows it next time.
func decodeRows(errs *field.Errors, q *Question, values url.Values) []Row {
	var rows []Row
	for r := 1; r <= MaxRows; r++ {
		row := Row{}
		var pending []field.Error
		for j := range q.Columns {
			col := &q.Columns[j]
			raw, ok := values[CellName(q.Key, r, col.Key)]
			if !ok || len(raw) == 0 {
				continue
			}
			cell, cut := cleanText(raw[0], false, MaxCellRunes)
			if cell == "" {
				continue
			}
			at := len(rows) + 1
			where := q.RowName(at) + ", " + clip(col.Label)
			if cut {
				pending = append(pending, field.Error{Field: CellName(q.Key, at, col.Key), Message: where + ": the text was cut at " + strconv.Itoa(MaxCellRunes) + " characters"})
			}
			if col.Type == SingleChoice {
				if _, ok := col.Option(cell); !ok {
					pending = append(pending, field.Error{Field: CellName(q.Key, at, col.Key), Message: where + ": choose one of the options"})
					continue
				}
			}
			row[col.Key] = cell
		}
		if len(row) == 0 {
			continue
		}
		rows = append(rows, row)
		for _, e := range pending {
			errs.Add(e.Field, e.Message)
		}
	}
	return rows
}
