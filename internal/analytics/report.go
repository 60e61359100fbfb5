package analytics

import (
	"context"
	"math"
	"strconv"
	"strings"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/chart"
	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/committee"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/ranking"
)

// SealedForEvaluators is what an evaluator reads of the analysis before round 2 closes.
const SealedForEvaluators = "The analysis of your categories opens to the evaluators once the committee head closes round 2: the scores are sealed until then."

// LoadReport reads the analytics of edition ed for actor (Load) and builds its charts: the
// council and the evaluators read the evaluators as "Evaluator 1..n", the secretariat and the
// committee head by name (committee.SeesEvaluatorNames). An evaluator who is neither
// (authz.ReadsAllAnalytics) reads it for the categories they score, once round 2 is closed
// (DOMAIN.md "Round 2": the analysis is shared with the committee); before, only
// SealedForEvaluators.
func LoadReport(ctx context.Context, q db.DBTX, actor authz.Actor, ed *edition.Edition) ([]chart.Section, error) {
	if !authz.ReadsAllAnalytics(actor, ed.ID) {
		st, err := ranking.Round(ctx, q, ed.ID)
		if err != nil {
			return nil, err
		}
		if !st.Closed() {
			return []chart.Section{{ID: "sealed", Title: i18n.M("The analysis of the scores"), Note: i18n.M(SealedForEvaluators)}}, nil
		}
		if ed, err = ownCategories(ctx, q, actor.UserID, ed); err != nil {
			return nil, err
		}
	}
	data, err := Load(ctx, q, actor.UserID, ed)
	if err != nil {
		return nil, err
	}
	return data.Report(ed, committee.SeesEvaluatorNames(actor, ed.ID)), nil
}

// Figure is the chart id of sections that has data (its Note is empty), for its CSV download.
func Figure(sections []chart.Section, id string) (chart.Figure, bool) {
	for _, sec := range sections {
		for _, c := range sec.Charts {
			if c.ID == id && c.Note == "" {
				return c, true
			}
		}
	}
	return chart.Figure{}, false
}

// Report builds the sections of the analytics of ed from d, each chart with its text
// alternative and its data table (DOMAIN.md "Round 2"); named shows the evaluators by name
// (else "Evaluator 1..n").
func (d Data) Report(ed *edition.Edition, named bool) []chart.Section {
	b := builder{ed: ed, named: named, data: d}
	subs, nums := b.submissions(), b.numbers()
	scores := chart.Section{ID: "scores", Title: i18n.M("Score distributions"),
		Intro: i18n.M("Each value is one submitted score sheet's score on one criterion: the mean of its indicator scores, on the category's scale. Drafts never count.")}
	profiles := chart.Section{ID: "semi-finalists", Title: i18n.M("Semi-finalists' criterion profiles"),
		Intro: i18n.M("The Evaluation Committee's mean score per criterion of each confirmed semi-finalist (the mean over its submitted sheets of the sheet's criterion score), on the category's scale.")}
	if !d.Closed {
		scores.Note = i18n.M("The scores are sealed until the committee head closes round 2.")
		profiles.Note = scores.Note
	} else {
		scores.Charts = b.scores()
		profiles.Charts, profiles.Note = b.profiles()
	}
	return []chart.Section{subs, nums, scores, profiles}
}

// builder turns the aggregates of Data into charts with their tables.
type builder struct {
	ed    *edition.Edition
	named bool // the evaluators are shown by name (else "Evaluator 1..n")
	data  Data
}

// chart is the frame of chart id of kind with its CSV link and table head.
func (b *builder) chart(id string, kind, title string, head ...string) chart.Figure {
	return chart.Figure{ID: id, Kind: kind, Title: title, Table: chart.Table{Head: head},
		CSV: "/analytics/" + id + ".csv?edition=" + strconv.FormatInt(b.ed.ID, 10)}
}

// barChart makes a bar chart of labelled counts or values, with a two-column data table.
func (b *builder) barChart(id, title, desc, caption string, head [2]string, bars []chart.Bar, empty string) chart.Figure {
	c := b.chart(id, chart.KindBars, title, head[:]...)
	c.Desc, c.Table.Caption = desc, caption
	if len(bars) == 0 {
		c.Note = empty
		return c
	}
	c.Bars = chart.Bars(bars)
	c.Items = items(bars)
	for _, bar := range bars {
		c.Table.Rows = append(c.Table.Rows, []string{bar.Label, bar.Text})
	}
	return c
}

// items are the bars as a chart's description lists them ("a 3; b 1; c 0" once joined, see
// chart.Figure.Items), each label carried as it is (a country, a marked text or data).
func items(bars []chart.Bar) []string {
	out := make([]string, len(bars))
	for i, b := range bars {
		out[i] = i18n.Msg("{{.Label}} {{.Value}}", "Label", b.Label, "Value", b.Text)
	}
	return out
}

// wordSeries is "a, b and c" of names (data), in the reader's language.
func wordSeries(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return i18n.Msg("{{.First}} and {{.Last}}", "First", strings.Join(names[:len(names)-1], ", "), "Last", names[len(names)-1])
}

func countBar(label string, n int) chart.Bar {
	return chart.Bar{Label: label, Value: float64(n), Text: numfmt.Thousands(n)}
}

// submissions is the section of the submitted entries' counts.
func (b *builder) submissions() chart.Section {
	sec := chart.Section{ID: "submissions", Title: i18n.M("Submissions"),
		Intro: i18n.M("Submitted entries (withdrawn and draft applications are not counted), as last submitted.")}
	dims := map[string][]chart.Bar{}
	total := 0
	for _, c := range b.data.Submissions {
		label := c.Label
		switch c.Dimension {
		case ByCountry:
			label = i18n.M("Not given")
			if country.Valid(c.Key) {
				label = i18n.Country(c.Key)
			} else if c.Key != "" {
				label = c.Key
			}
		case ByRegion:
			label = regionName(c.Key, c.Label)
		case ByCategory:
			total += c.N
		}
		dims[c.Dimension] = append(dims[c.Dimension], countBar(label, c.N))
	}
	for _, d := range []struct{ dim, id, title, desc, head string }{
		{ByCategory, "submissions-category", i18n.M("Submitted entries by category"),
			i18n.M("Bar chart of the {{.Total}} submitted entries by category: {{.Bars}}."), i18n.M("Category")},
		{ByEntityType, "submissions-entity-type", i18n.M("Submitted entries by entity type"),
			i18n.M("Bar chart of the {{.Total}} submitted entries by entity type: {{.Bars}}."), i18n.M("Entity type")},
		{ByRegion, "submissions-region", i18n.M("Submitted entries by world region (UN M49)"),
			i18n.M("Bar chart of the {{.Total}} submitted entries by world region (UN M49): {{.Bars}}."), i18n.M("Region")},
		{ByCountry, "submissions-country", i18n.M("Submitted entries by country"),
			i18n.M("Bar chart of the {{.Total}} submitted entries by country: {{.Bars}}."), i18n.M("Country")},
	} {
		bars := dims[d.dim]
		if total == 0 {
			bars = nil
		}
		sec.Charts = append(sec.Charts, b.barChart(d.id, d.title, i18n.Msg(d.desc, "Total", numfmt.Thousands(total)),
			d.title, [2]string{d.head, i18n.M("Entries")}, bars, i18n.M("No entry has been submitted yet.")))
	}
	for _, t := range b.data.Tallies() {
		var bars []chart.Bar
		for _, o := range t.Options {
			bars = append(bars, countBar(o.Label, o.N))
		}
		q := t.Question
		title := i18n.Msg("Submitted entries by answer: {{.Question}}", "Question", q.Label)
		desc := i18n.Msg("Bar chart of the {{.Count}} submitted entries that answered “{{.Question}}”: {{.Bars}}.",
			"Count", numfmt.Thousands(t.Answered), "Question", q.Label)
		if t.Multiple {
			desc = i18n.Msg("Bar chart of the {{.Count}} submitted entries that answered “{{.Question}}” (an entry may choose several answers): {{.Bars}}.",
				"Count", numfmt.Thousands(t.Answered), "Question", q.Label)
		}
		sec.Charts = append(sec.Charts, b.barChart("answers-"+strings.ReplaceAll(q.Key, "_", "-"), title, desc, title,
			[2]string{i18n.M("Answer"), i18n.M("Entries")}, bars, i18n.M("No submitted entry answered this question yet.")))
	}
	return sec
}

// numberText writes v with thousands separators, with two decimals unless it is whole.
func numberText(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return numfmt.Decimal(strconv.FormatFloat(v, 'f', 0, 64))
	}
	return numfmt.Decimal(strconv.FormatFloat(v, 'f', 2, 64))
}

// numbers is the section of the numeric answers compared across entries.
func (b *builder) numbers() chart.Section {
	sec := chart.Section{ID: "indicators", Title: i18n.M("Quantitative indicators"),
		Intro: i18n.M("The answers to the numeric questions of each category's form, compared across the submitted entries, the largest first.")}
	if len(b.data.NumberQs) == 0 {
		sec.Note = i18n.M("The forms of this edition ask no numeric question.")
		return sec
	}
	for _, x := range b.data.Series() {
		var bars []chart.Bar
		for _, v := range x.Values {
			bars = append(bars, chart.Bar{Label: v.Title, Value: v.Value, Text: numberText(v.Value)})
		}
		summary := ""
		if sm := x.Summary; sm != nil {
			summary = i18n.Msg("{{.Count}} entries answered: lowest {{.Min}}, median {{.Median}}, highest {{.Max}}, mean {{.Mean}}.",
				"Count", numfmt.Thousands(sm.N), "Min", numberText(sm.Min), "Median", numberText(sm.Median), "Max", numberText(sm.Max), "Mean", numberText(sm.Mean))
		}
		cat := x.Category
		title := i18n.Msg("{{.Question}}, {{.Category}}", "Question", x.Question.Label, "Category", cat.Name)
		valueHead := i18n.M("Value")
		if unit := x.Unit(); unit != "" {
			title = i18n.Msg("{{.Question}} ({{.Unit}}), {{.Category}}", "Question", x.Question.Label, "Unit", unit, "Category", cat.Name)
			valueHead = i18n.Msg("Value ({{.Unit}})", "Unit", unit)
		}
		id := "indicator-" + cat.Key + "-" + strings.ReplaceAll(x.Question.Key, "_", "-")
		c := b.barChart(id, title, i18n.Msg("Bar chart of the answers to “{{.Question}}” of the {{.Category}} entries, the largest first. {{.Summary}}",
			"Question", x.Question.Label, "Category", cat.Name, "Summary", summary),
			i18n.Msg("{{.Title}}, per entry", "Title", title), [2]string{i18n.M("Entry"), valueHead}, bars,
			i18n.Msg("No submitted entry of {{.Category}} answered this question yet.", "Category", cat.Name))
		c.Legend = summary
		sec.Charts = append(sec.Charts, c)
	}
	return sec
}

// regionName is the name of the M49 region code (name is its English name from the query), in
// the reader's language; "" is the entries without a region.
func regionName(code, name string) string {
	switch code {
	case "":
		return i18n.M("No region (country not given or not in a region)")
	case "002":
		return i18n.M("Africa")
	case "019":
		return i18n.M("Americas")
	case "142":
		return i18n.M("Asia")
	case "150":
		return i18n.M("Europe")
	case "009":
		return i18n.M("Oceania")
	}
	return name
}

const (
	boxLegend = "How to read it: the line runs from the lowest to the highest score; the box spans the middle half (first to third quartile); the thick bar inside the box is the median and the diamond the mean; n is the number of scores."
	// boxLegendNumbered is boxLegend for a reader who sees the evaluators numbered.
	boxLegendNumbered = boxLegend + " The evaluators are numbered within the category, the highest mean first, without their names."
)

// scores is the section of the score distributions (the round is closed): per category, a box
// chart per criterion and one per evaluator.
func (b *builder) scores() []chart.Figure {
	var out []chart.Figure
	for i := range b.ed.Categories {
		cat := &b.ed.Categories[i]
		if len(cat.Criteria) == 0 {
			continue
		}
		evLegend := i18n.M(boxLegend)
		if !b.named {
			evLegend = i18n.M(boxLegendNumbered)
		}
		out = append(out,
			b.boxChart(cat, "criteria", i18n.M("Criterion"), i18n.Msg("Scores per criterion, {{.Category}}", "Category", cat.Name),
				i18n.Msg("Box chart of the criterion scores of the submitted sheets of {{.Category}} per criterion, on the scale {{.Min}} to {{.Max}}. {{.Bars}}.",
					"Category", cat.Name, "Min", cat.Scale.Min, "Max", cat.Scale.Max),
				i18n.M(boxLegend), b.data.ByCriterion(cat)),
			b.boxChart(cat, "evaluators", i18n.M("Evaluator"), i18n.Msg("Scores per evaluator, {{.Category}}", "Category", cat.Name),
				i18n.Msg("Box chart of the criterion scores of the submitted sheets of {{.Category}} per evaluator, the highest mean first, on the scale {{.Min}} to {{.Max}}. {{.Bars}}.",
					"Category", cat.Name, "Min", cat.Scale.Min, "Max", cat.Scale.Max),
				evLegend, b.data.ByEvaluator(cat, b.named)))
	}
	return out
}

// boxChart is the box chart of the criterion scores of cat per kind (criteria or evaluators),
// titled title, described by desc (its rows fill {{.Bars}}) and read with legend.
func (b *builder) boxChart(cat *edition.Category, kind, first, title, desc, legend string, rows []Labelled) chart.Figure {
	c := b.chart("scores-"+cat.Key+"-"+kind, chart.KindBoxes, title,
		first, i18n.M("Scores"), i18n.M("Lowest"), i18n.M("First quartile"), i18n.M("Median"), i18n.M("Third quartile"), i18n.M("Highest"), i18n.M("Mean"))
	c.Legend, c.Desc = legend, desc
	c.Table.Caption = i18n.Msg("{{.Title}}, on the scale {{.Min}} to {{.Max}}", "Title", title, "Min", cat.Scale.Min, "Max", cat.Scale.Max)
	var boxes []chart.Summary
	for _, r := range rows {
		d := r.Distribution
		boxes = append(boxes, chart.Summary{Label: r.Label, N: d.N, Min: d.Min, Q1: d.Q1, Median: d.Median, Q3: d.Q3, Max: d.Max, Mean: d.Mean,
			Text: i18n.Msg("mean {{.Mean}}, n = {{.Count}}", "Mean", numfmt.Score2(d.Mean), "Count", strconv.Itoa(d.N))})
		c.Table.Rows = append(c.Table.Rows, []string{r.Label, strconv.Itoa(d.N), numfmt.Score2(d.Min), numfmt.Score2(d.Q1), numfmt.Score2(d.Median), numfmt.Score2(d.Q3), numfmt.Score2(d.Max), numfmt.Score2(d.Mean)})
		c.Items = append(c.Items, i18n.Msg("{{.Label}}: mean {{.Mean}}, median {{.Median}}, from {{.Min}} to {{.Max}} ({{.Count}} scores)",
			"Label", r.Label, "Mean", numfmt.Score2(d.Mean), "Median", numfmt.Score2(d.Median), "Min", numfmt.Score2(d.Min), "Max", numfmt.Score2(d.Max),
			"Count", strconv.Itoa(d.N)))
	}
	if len(boxes) == 0 {
		c.Note = i18n.Msg("No score sheet of {{.Category}} was submitted.", "Category", cat.Name)
	} else {
		c.Boxes = chart.Boxes(boxes, float64(cat.Scale.Min), float64(cat.Scale.Max))
	}
	return c
}

// scoreCells are the table cells of values ("–" for none).
func scoreCells(vs []float64) []string {
	out := make([]string, len(vs))
	for j, v := range vs {
		out[j] = "–"
		if !math.IsNaN(v) {
			out[j] = numfmt.Score2(v)
		}
	}
	return out
}

// profiles is the section of the semi-finalists' radar charts (the round is closed); note
// explains an empty section.
func (b *builder) profiles() ([]chart.Figure, string) {
	sets, unconfirmed := b.data.ProfileSets(b.ed)
	var out []chart.Figure
	for _, ps := range sets {
		cat := ps.Category
		lo, hi := cat.Scale.Min, cat.Scale.Max
		id := "profiles-" + cat.Key
		c := b.chart(id, chart.KindRadars, i18n.Msg("Criterion profiles of the semi-finalists, {{.Category}}", "Category", cat.Name),
			append([]string{i18n.M("Semi-finalist"), i18n.M("Rank")}, ps.Axes...)...)
		c.Legend = i18n.Msg("How to read them: each spoke is a criterion, from {{.Min}} at the centre to {{.Max}} at the outer ring. The solid shape with dots is the semi-finalist's mean score per criterion; the dashed shape is the mean of the category's semi-finalists.",
			"Min", lo, "Max", hi)
		c.Desc = i18n.Msg("Radar charts, one per semi-finalist of {{.Category}}, of the committee's mean score per criterion on the scale {{.Min}} to {{.Max}}.",
			"Category", cat.Name, "Min", lo, "Max", hi)
		c.Table.Caption = i18n.Msg("{{.Title}}: mean score per criterion, on the scale {{.Min}} to {{.Max}}", "Title", c.Title, "Min", lo, "Max", hi)
		mean := scoreCells(ps.Mean)
		var unscored []string
		for k, p := range ps.Entries {
			rank := i18n.M("Added by the organisers")
			if p.Rank > 0 {
				rank = strconv.Itoa(p.Rank)
			}
			cells := scoreCells(ps.Values[k])
			c.Table.Rows = append(c.Table.Rows, append([]string{p.Title, rank}, cells...))
			if len(p.Means) == 0 {
				unscored = append(unscored, p.Title)
				continue
			}
			parts := make([]string, len(ps.Axes))
			for j, a := range ps.Axes {
				parts[j] = a + " " + cells[j]
			}
			c.Radars = append(c.Radars, chart.RadarFigure{ID: id + "-" + strconv.FormatInt(p.AppID, 10),
				Title: i18n.Msg("{{.Title}} (rank {{.Rank}})", "Title", p.Title, "Rank", rank),
				Desc: i18n.Msg("Radar chart of the mean score per criterion of {{.Title}} on the scale {{.Min}} to {{.Max}}: {{.Scores}}. The dashed shape is the mean of the category's semi-finalists: {{.Mean}}.",
					"Title", p.Title, "Min", lo, "Max", hi, "Scores", strings.Join(parts, "; "), "Mean", strings.Join(mean, ", ")),
				Chart: chart.Radar(ps.Axes, float64(lo), float64(hi), []chart.Series{
					{Name: i18n.M("Mean of the semi-finalists"), Values: ps.Mean, Dashed: true},
					{Name: p.Title, Values: ps.Values[k]},
				})})
		}
		c.Table.Rows = append(c.Table.Rows, append([]string{i18n.M("Mean of the semi-finalists"), ""}, mean...))
		if len(unscored) > 0 {
			c.Legend = i18n.Msg("How to read them: each spoke is a criterion, from {{.Min}} at the centre to {{.Max}} at the outer ring. The solid shape with dots is the semi-finalist's mean score per criterion; the dashed shape is the mean of the category's semi-finalists. Without a submitted score sheet, so without a chart: {{.Entries}}.",
				"Min", lo, "Max", hi, "Entries", wordSeries(unscored))
		}
		if len(c.Radars) == 0 {
			c.Note = i18n.Msg("No semi-finalist of {{.Category}} has a submitted score sheet.", "Category", cat.Name)
		}
		out = append(out, c)
	}
	note := ""
	if len(unconfirmed) > 0 {
		note = i18n.Msg("The committee head has not confirmed the semi-finalists of {{.Categories}} yet.", "Categories", wordSeries(unconfirmed))
	}
	return out, note
}
