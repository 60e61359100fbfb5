package form

import (
	"encoding/json"
	"strconv"
	"strings"

	"prizeportal/internal/i18n"
)

// Sample returns a plausible answer to every question of f, for a preview of the form as an
// applicant sees it: texts within their limits, numbers, amounts and dates within their bounds,
// a choice that shows the questions depending on it (the first option otherwise), a confirmed
// declaration, two rows per table. File questions stay unanswered: nothing is uploaded.
func Sample(f *Form) Answers {
	// wanted counts, by question, the answers that later questions' conditions ask for.
	wanted := map[string][]string{}
	for _, q := range f.Questions() {
		if c := q.ShowIf; c != nil && len(c.Values()) > 0 {
			wanted[c.Question] = append(wanted[c.Question], c.Values()...)
		}
	}
	a := Answers{}
	for _, q := range f.Questions() {
		if ans, ok := sampleAnswer(q, wanted[q.Key]); ok {
			a[q.Key] = ans
		}
	}
	return a
}

// SampleText is the sample answer of a long text question, marked for translation: a preview
// shows it in the reader's language.
var SampleText = i18n.M("The city opened a data platform that citizens, companies and researchers use every day, " +
	"with services for mobility, safety and welfare designed together with the people who use them.")

func sampleAnswer(q *Question, wanted []string) (Answer, bool) {
	switch q.Type {
	case ShortText:
		return Answer{Text: cut(q.Label+" (sample)", q.LengthLimit())}, true
	case LongText:
		text := SampleText
		if q.MaxWords > 0 {
			words := strings.Fields(text)
			text = strings.Join(words[:min(len(words), q.MaxWords)], " ")
		}
		return Answer{Text: text}, true
	case Number, Money:
		n := sampleNumber(q)
		c, _ := parseNumber(n)
		return Answer{Text: n, Number: json.Number(c)}, true
	case Date:
		return Answer{Text: sampleDate(q)}, true
	case URL:
		return Answer{Text: "https://example.org/project"}, true
	case Email:
		return Answer{Text: "contact@example.org"}, true
	case SingleChoice, YesNo:
		return Answer{Text: sampleChoice(q.ChoiceOptions(), wanted)}, len(q.ChoiceOptions()) > 0
	case MultipleChoice:
		return Answer{Choices: sampleChoices(q, wanted)}, len(q.Options) > 0
	case Declaration:
		return Answer{Text: "yes"}, true
	case Table:
		var rows []Row
		for r := 1; r <= max(q.MinRows, 2) && r <= q.RowLimit(); r++ {
			row := Row{}
			for _, c := range q.Columns {
				row[c.Key] = sampleCell(&c, r)
			}
			rows = append(rows, row)
		}
		return Answer{Rows: rows}, len(rows) > 0
	}
	return Answer{}, false
}

// sampleChoices picks the options wanted by conditions and then the first options, as many as
// the question asks for at least and no more than it allows, in the order of the options.
func sampleChoices(q *Question, wanted []string) []string {
	least := max(q.MinChoices, 1)
	most := len(q.Options)
	if q.MaxChoices > 0 {
		most = q.MaxChoices
	}
	pick := map[string]bool{}
	for _, w := range wanted {
		if _, ok := q.Option(w); ok && len(pick) < most {
			pick[w] = true
		}
	}
	for _, o := range q.Options {
		if len(pick) >= least {
			break
		}
		pick[o.Key] = true
	}
	var choices []string
	for _, o := range q.Options {
		if pick[o.Key] {
			choices = append(choices, o.Key)
		}
	}
	return choices
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// sampleChoice is the option most wanted by conditions, the first option when none is.
func sampleChoice(opts []Option, wanted []string) string {
	best, most := "", 0
	for _, o := range opts {
		if n := countOf(wanted, o.Key); n > most {
			best, most = o.Key, n
		}
	}
	if best == "" && len(opts) > 0 {
		best = opts[0].Key
	}
	return best
}

func countOf(list []string, v string) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}

// sampleNumber is 1500 (150000 for an amount) moved into the question's bounds.
func sampleNumber(q *Question) string {
	v := 1500.0
	if q.Type == Money {
		v = 150000
	}
	if lo, ok := q.MinNumber(); ok && v < lo {
		v = lo
	}
	if hi, ok := q.MaxNumber(); ok && v > hi {
		v = hi
	}
	if q.Integer {
		if lo, ok := q.MinNumber(); ok && float64(int64(v)) < lo {
			v++
		}
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// sampleDate is 1 March 2021 moved into the question's bounds.
func sampleDate(q *Question) string {
	d := "2021-03-01"
	if lo, ok := parseDate(q.Min); ok {
		if t, _ := parseDate(d); t.Before(lo) {
			d = q.Min
		}
	}
	if hi, ok := parseDate(q.Max); ok {
		if t, _ := parseDate(d); t.After(hi) {
			d = q.Max
		}
	}
	return d
}

func sampleCell(c *Column, row int) string {
	switch c.Type {
	case Number:
		return strconv.Itoa(10 * row)
	case Year:
		return strconv.Itoa(2020 + row)
	case URL:
		return "https://example.org/" + strconv.Itoa(row)
	case SingleChoice:
		if len(c.Options) == 0 {
			return ""
		}
		return c.Options[(row-1)%len(c.Options)].Key
	}
	return cut(c.Label+" "+strconv.Itoa(row), c.LengthLimit())
}
