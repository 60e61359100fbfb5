package form

import (
	"strings"

	"prizeportal/internal/i18n"
)

// AnswerLines writes an answer for people, one line per item: the text as typed, option labels
// for choices, "Column: value" cells for each table row, file names for files.
func AnswerLines(q *Question, a Answer) []string {
	if a.Empty() {
		return nil
	}
	label := func(key string) string {
		if o, ok := q.Option(key); ok {
			return o.Label
		}
		return key
	}
	switch q.Type {
	case SingleChoice:
		return []string{label(a.Text)}
	case YesNo:
		if a.Text == "yes" {
			return []string{i18n.M("Yes")}
		}
		return []string{i18n.M("No")}
	case Declaration:
		return []string{i18n.M("Confirmed")}
	case MultipleChoice:
		out := make([]string, 0, len(a.Choices))
		for _, c := range a.Choices {
			out = append(out, label(c))
		}
		return out
	case File:
		out := make([]string, 0, len(a.Files))
		for _, f := range a.Files {
			out = append(out, f.Name)
		}
		return out
	case Table:
		out := make([]string, 0, len(a.Rows))
		for i, row := range a.Rows {
			var cells []string
			for _, c := range q.Columns {
				v := row[c.Key]
				if v == "" {
					continue
				}
				if o, ok := c.Option(v); ok {
					v = o.Label
				}
				cells = append(cells, c.Label+": "+v)
			}
			out = append(out, q.RowName(i+1)+" — "+strings.Join(cells, "; "))
		}
		return out
	case Money:
		if q.Currency != "" {
			return []string{a.Text + " " + q.Currency}
		}
	case Number:
		if q.Unit != "" {
			return []string{a.Text + " " + q.Unit}
		}
	}
	return strings.Split(a.Text, "\n")
}
