package analytics

import (
	"math"
	"slices"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// ChoiceQuestion is a choice question of the forms of an edition (stage, sectors, target groups,
// ...), with the options of every form that asks it.
type ChoiceQuestion struct {
	Question form.Question
	Multiple bool
	Options  []form.Option
}

// ChoiceQuestions are the choice questions of the forms of ed, by key in the order of the first
// form that asks them.
func ChoiceQuestions(ed *edition.Edition) []ChoiceQuestion {
	var out []ChoiceQuestion
	for _, cat := range ed.Categories {
		if cat.Form == nil {
			continue
		}
		for _, section := range cat.Form.Sections {
			for _, q := range section.Questions {
				if q.Type != form.SingleChoice && q.Type != form.MultipleChoice {
					continue
				}
				i := slices.IndexFunc(out, func(c ChoiceQuestion) bool { return c.Question.Key == q.Key })
				if i < 0 {
					out = append(out, ChoiceQuestion{Question: q, Multiple: q.Type == form.MultipleChoice})
					i = len(out) - 1
				}
				for _, o := range q.Options {
					out[i].Options = addOption(out[i].Options, o)
				}
			}
		}
	}
	return out
}

func addOption(opts []form.Option, o form.Option) []form.Option {
	if slices.ContainsFunc(opts, func(x form.Option) bool { return x.Key == o.Key }) {
		return opts
	}
	return append(opts, o)
}

// NumericQuestion is a numeric question (number or money) of a category's form.
type NumericQuestion struct {
	Category *edition.Category
	Question form.Question
}

// Unit is the question's unit: its currency or its unit.
func (n NumericQuestion) Unit() string {
	if n.Question.Type == form.Money {
		return n.Question.Currency
	}
	return n.Question.Unit
}

// NumericQuestions are the numeric questions of the forms of ed, in the edition's order.
func NumericQuestions(ed *edition.Edition) []NumericQuestion {
	var out []NumericQuestion
	for i := range ed.Categories {
		cat := &ed.Categories[i]
		if cat.Form == nil {
			continue
		}
		for _, section := range cat.Form.Sections {
			for _, q := range section.Questions {
				if q.Type == form.Number || q.Type == form.Money {
					out = append(out, NumericQuestion{cat, q})
				}
			}
		}
	}
	return out
}

// OptionCount is the number of entries that chose one option.
type OptionCount struct {
	Label string
	N     int
}

// Tally is the answers of the submitted entries to a choice question: how many answered it and,
// when any did, the count of every option of the forms (zeros included) then of the answers no
// form offers.
type Tally struct {
	ChoiceQuestion
	Answered int
	Options  []OptionCount
}

// Tallies are the answers to every choice question of the edition.
func (d Data) Tallies() []Tally {
	out := make([]Tally, len(d.ChoiceQs))
	for i, cq := range d.ChoiceQs {
		n := map[string]int{}
		opts := cq.Options
		out[i].ChoiceQuestion = cq
		for _, c := range d.Choices {
			switch {
			case c.Question != cq.Question.Key:
			case c.Option == "":
				out[i].Answered = c.N
			default:
				n[c.Option] = c.N
				opts = addOption(slices.Clip(opts), form.Option{Key: c.Option, Label: c.Option})
			}
		}
		if out[i].Answered > 0 {
			for _, o := range opts {
				out[i].Options = append(out[i].Options, OptionCount{o.Label, n[o.Key]})
			}
		}
	}
	return out
}

// Series is the answers of a category's entries to a numeric question, the largest first, with
// their summary (nil when no entry answered).
type Series struct {
	NumericQuestion
	Values  []NumberValue
	Summary *NumberSummary
}

// Series are the answers to every numeric question of the edition.
func (d Data) Series() []Series {
	out := make([]Series, len(d.NumberQs))
	for i, x := range d.NumberQs {
		out[i].NumericQuestion = x
		for _, v := range d.Values {
			if v.CategoryID == x.Category.ID && v.Question == x.Question.Key {
				out[i].Values = append(out[i].Values, v)
			}
		}
		for j, sm := range d.Summaries {
			if sm.CategoryID == x.Category.ID && sm.Question == x.Question.Key {
				out[i].Summary = &d.Summaries[j]
			}
		}
	}
	return out
}

// Labelled is a distribution with the label it is shown under.
type Labelled struct {
	Label string
	Distribution
}

// ByCriterion are the score distributions of cat per criterion, in the criteria's order.
func (d Data) ByCriterion(cat *edition.Category) []Labelled {
	var out []Labelled
	for _, cr := range cat.Criteria {
		for _, x := range d.Criteria {
			if x.CategoryID == cat.ID && x.CriterionID == cr.ID {
				out = append(out, Labelled{cr.Name, x})
			}
		}
	}
	return out
}

// ByEvaluator are the score distributions of cat per evaluator, the highest mean first: by name
// when named, else as "Evaluator 1..n" (the council reads the committee's work without the
// evaluators' names, DOMAIN.md "Round 2").
func (d Data) ByEvaluator(cat *edition.Category, named bool) []Labelled {
	var out []Labelled
	for _, x := range d.Evaluators {
		if x.CategoryID != cat.ID {
			continue
		}
		// committee.EvaluatorLabel's wording, in the reader's language
		label := i18n.Msg("Evaluator {{.Number}}", "Number", len(out)+1)
		if named {
			label = x.Name
		}
		out = append(out, Labelled{label, x})
	}
	return out
}

// ProfileSet is the criterion profiles of a category's confirmed semi-finalists: per entry its
// mean per criterion (NaN when none), and the mean of the semi-finalists per criterion.
type ProfileSet struct {
	Category *edition.Category
	Axes     []string
	Entries  []Profile
	Values   [][]float64
	Mean     []float64
}

// ProfileSets are the profiles of every category whose list the head confirmed, and the names of
// the categories not confirmed yet.
func (d Data) ProfileSets(ed *edition.Edition) (sets []ProfileSet, unconfirmed []string) {
	for i := range ed.Categories {
		cat := &ed.Categories[i]
		ps := ProfileSet{Category: cat, Mean: make([]float64, len(cat.Criteria))}
		for _, p := range d.Profiles {
			if p.CategoryID == cat.ID {
				ps.Entries = append(ps.Entries, p)
			}
		}
		if len(ps.Entries) == 0 {
			unconfirmed = append(unconfirmed, cat.Name)
			continue
		}
		for j, cr := range cat.Criteria {
			ps.Axes = append(ps.Axes, cr.Name)
			ps.Mean[j] = math.NaN()
		}
		for _, p := range ps.Entries {
			vals := make([]float64, len(cat.Criteria))
			for j, cr := range cat.Criteria {
				vals[j] = math.NaN()
				for _, m := range p.Means {
					if m.CriterionID == cr.ID {
						vals[j], ps.Mean[j] = m.Mean, m.CategoryMean
					}
				}
			}
			ps.Values = append(ps.Values, vals)
		}
		sets = append(sets, ps)
	}
	return sets, unconfirmed
}
