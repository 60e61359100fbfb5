package server

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/analytics"
	"prizeportal/internal/authz"
	"prizeportal/internal/chart"
	"prizeportal/internal/committee"
	"prizeportal/internal/country"
	"prizeportal/internal/edition"
	"prizeportal/internal/form"
	"prizeportal/web/pages"
)

// Analytics with charts (issue 9 item 3; DOMAIN.md "Round 2": the "analysis and visualization
// of data collected from the applicants" assists the committee and the council). The
// secretariat, the committee head and the council of an edition open /analytics?edition=: the
// submissions by category, entity type, world region, country and the answers to the form's
// choice questions (stage and sector among them); the numeric answers (number and money
// questions of each category's form) compared across entries; once the head has closed round 2
// (the scores are sealed until then, as on the ranking page), the distribution of the criterion
// scores per criterion and per evaluator; and, once a category's semi-finalists are confirmed,
// their criterion profiles as radar charts. The council reads the evaluators as "Evaluator 1..n"
// (the dossiers, too, show the committee's work without the evaluators' names); the secretariat
// and the head see their names, as on the ranking page. Every chart is SVG drawn on the server
// (internal/chart), with a description, a data table and /analytics/{chart}.csv serving exactly
// the table. internal/analytics repeats the roles, the seal and the confirmation in SQL.

func analyticsHref(editionID int64) string {
	return "/analytics?edition=" + strconv.FormatInt(editionID, 10)
}

// analyticsEdition is the edition the analytics pages show: ?edition=ID when the actor is its
// secretariat, committee head or council, else the newest such edition; with the picker.
func (s *Server) analyticsEdition(r *http.Request) (*edition.Edition, pages.AnalyticsView, error) {
	ed, picker, err := s.scope(r)
	if err != nil {
		return nil, pages.AnalyticsView{}, err
	}
	return ed, pages.AnalyticsView{Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name}, nil
}

// analyticsPage shows every chart of the edition (GET /analytics?edition=).
func (s *Server) analyticsPage(w http.ResponseWriter, r *http.Request) error {
	ed, v, err := s.analyticsEdition(r)
	if err != nil {
		return err
	}
	if v.Sections, err = s.analyticsSections(r.Context(), ed); err != nil {
		return err
	}
	v.Page = s.page(r, "Analytics, "+ed.Name)
	return s.render(w, r, http.StatusOK, pages.Analytics(v))
}

// analyticsCSV serves the data of one chart as CSV, exactly its data table
// (GET /analytics/{chart}.csv?edition=); 404 for a chart the page does not show.
func (s *Server) analyticsCSV(w http.ResponseWriter, r *http.Request) error {
	ed, _, err := s.analyticsEdition(r)
	if err != nil {
		return err
	}
	id := chi.URLParam(r, "chart")
	sections, err := s.analyticsSections(r.Context(), ed)
	if err != nil {
		return err
	}
	for _, sec := range sections {
		for _, c := range sec.Charts {
			if c.ID != id || c.Note != "" {
				continue
			}
			var buf bytes.Buffer
			if err := analytics.WriteCSV(&buf, c.Table.Head, c.Table.Rows); err != nil {
				return err
			}
			return sendBytes(w, download{Name: ed.Slug + "-" + id + ".csv", ContentType: "text/csv; charset=utf-8", Data: buf.Bytes()})
		}
	}
	return errNotFound
}

// analyticsSections gathers the charts of edition ed for the acting user: the data are loaded
// once (analytics.Load), the charts built without I/O (analyticsView).
func (s *Server) analyticsSections(ctx context.Context, ed *edition.Edition) ([]pages.AnalyticsSection, error) {
	actor := authz.ActorFrom(ctx)
	order, _ := choiceQuestions(ed)
	_, keys := numberQuestions(ed)
	data, err := analytics.Load(ctx, s.pool, actor.UserID, ed.ID, order, keys)
	if err != nil {
		return nil, err
	}
	named := committee.SeesEvaluatorNames(actor, ed.ID)
	return analyticsView(ed, named, data), nil
}

// analyticsView builds the sections of the analytics of ed from data; named shows the
// evaluators by name (else "Evaluator 1..n").
func analyticsView(ed *edition.Edition, named bool, data analytics.Data) []pages.AnalyticsSection {
	b := analyticsBuilder{ed: ed, named: named, data: data}
	subs, nums := b.submissions(), b.numbers()
	scores := pages.AnalyticsSection{ID: "scores", Title: "Score distributions",
		Intro: "Each value is one submitted score sheet's score on one criterion: the mean of its indicator scores, on the category's scale. Drafts never count."}
	profiles := pages.AnalyticsSection{ID: "semi-finalists", Title: "Semi-finalists' criterion profiles",
		Intro: "The Evaluation Committee's mean score per criterion of each confirmed semi-finalist (the mean over its submitted sheets of the sheet's criterion score), on the category's scale."}
	if !data.Closed {
		scores.Note = "The scores are sealed until the committee head closes round 2."
		profiles.Note = scores.Note
	} else {
		scores.Charts = b.scores()
		profiles.Charts, profiles.Note = b.profiles()
	}
	return []pages.AnalyticsSection{subs, nums, scores, profiles}
}

// analyticsBuilder turns the aggregates of internal/analytics into charts with their tables.
type analyticsBuilder struct {
	ed    *edition.Edition
	named bool // the evaluators are shown by name (else "Evaluator 1..n")
	data  analytics.Data
}

func (b *analyticsBuilder) csv(id string) string {
	return "/analytics/" + id + ".csv?edition=" + strconv.FormatInt(b.ed.ID, 10)
}

// barChart makes a bar chart of labelled counts or values, with a two-column data table.
func (b *analyticsBuilder) barChart(id, title, desc, caption string, head [2]string, bars []chart.Bar, empty string) pages.AnalyticsChart {
	c := pages.AnalyticsChart{ID: id, Title: title, Desc: desc, Kind: pages.ChartBars, CSV: b.csv(id),
		Table: pages.AnalyticsTable{Caption: caption, Head: head[:]}}
	if len(bars) == 0 {
		c.Note = empty
		return c
	}
	c.Bars = chart.Bars(bars)
	for _, bar := range bars {
		c.Table.Rows = append(c.Table.Rows, []string{bar.Label, bar.Text})
	}
	return c
}

// listing is "a 3; b 1; c 0" of bars, for a chart's description.
func listing(bars []chart.Bar) string {
	parts := make([]string, len(bars))
	for i, b := range bars {
		parts[i] = b.Label + " " + b.Text
	}
	return strings.Join(parts, "; ")
}

func countBar(label string, n int) chart.Bar {
	return chart.Bar{Label: label, Value: float64(n), Text: thousandsText(n)}
}

// submissions is the section of the submitted entries' counts.
func (b *analyticsBuilder) submissions() pages.AnalyticsSection {
	sec := pages.AnalyticsSection{ID: "submissions", Title: "Submissions",
		Intro: "Submitted entries (withdrawn and draft applications are not counted), as last submitted."}
	counts := b.data.Submissions
	dims := map[string][]chart.Bar{}
	total := 0
	for _, c := range counts {
		label := c.Label
		switch c.Dimension {
		case analytics.ByCountry:
			label = country.Name(c.Key)
			if label == "" {
				label = "Not given"
				if c.Key != "" {
					label = c.Key
				}
			}
		case analytics.ByRegion:
			if c.Key == "" {
				label = "No region (country not given or not in a region)"
			}
		case analytics.ByCategory:
			total += c.N
		}
		dims[c.Dimension] = append(dims[c.Dimension], countBar(label, c.N))
	}
	none := "No entry has been submitted yet."
	for _, d := range []struct{ dim, id, by, head string }{
		{analytics.ByCategory, "submissions-category", "category", "Category"},
		{analytics.ByEntityType, "submissions-entity-type", "entity type", "Entity type"},
		{analytics.ByRegion, "submissions-region", "world region (UN M49)", "Region"},
		{analytics.ByCountry, "submissions-country", "country", "Country"},
	} {
		bars := dims[d.dim]
		if total == 0 {
			bars = nil
		}
		title := "Submitted entries by " + d.by
		sec.Charts = append(sec.Charts, b.barChart(d.id, title,
			"Bar chart of the "+thousandsText(total)+" submitted entries by "+d.by+": "+listing(bars)+".",
			title, [2]string{d.head, "Entries"}, bars, none))
	}

	order, qs := choiceQuestions(b.ed)
	choices := b.data.Choices
	for _, key := range order {
		cq := qs[key]
		n := map[string]int{}
		answered := 0
		var extra []form.Option
		for _, c := range choices {
			if c.Question != key {
				continue
			}
			if c.Option == "" {
				answered = c.N
				continue
			}
			n[c.Option] = c.N
			if !hasOption(cq.options, c.Option) && !hasOption(extra, c.Option) {
				extra = append(extra, form.Option{Key: c.Option, Label: c.Option})
			}
		}
		var bars []chart.Bar
		if answered > 0 {
			for _, o := range append(cq.options, extra...) {
				bars = append(bars, countBar(o.Label, n[o.Key]))
			}
		}
		title := "Submitted entries by answer: " + cq.q.Label
		desc := "Bar chart of the " + thousandsText(answered) + " submitted entries that answered “" + cq.q.Label + "”"
		if cq.multiple {
			desc += " (an entry may choose several answers)"
		}
		desc += ": " + listing(bars) + "."
		sec.Charts = append(sec.Charts, b.barChart("answers-"+strings.ReplaceAll(key, "_", "-"), title, desc, title,
			[2]string{"Answer", "Entries"}, bars, "No submitted entry answered this question yet."))
	}
	return sec
}

// choiceQ is a choice question of the forms of an edition, with the options of every form
// that asks it.
type choiceQ struct {
	q        form.Question
	multiple bool
	options  []form.Option
}

// choiceQuestions are the choice questions of the forms of ed (stage, sectors, target groups,
// ...), by key in the order of the first form that asks them.
func choiceQuestions(ed *edition.Edition) ([]string, map[string]*choiceQ) {
	var order []string
	qs := map[string]*choiceQ{}
	for _, cat := range ed.Categories {
		if cat.Form == nil {
			continue
		}
		for _, section := range cat.Form.Sections {
			for _, q := range section.Questions {
				if q.Type != form.SingleChoice && q.Type != form.MultipleChoice {
					continue
				}
				cq, ok := qs[q.Key]
				if !ok {
					cq = &choiceQ{q: q, multiple: q.Type == form.MultipleChoice}
					qs[q.Key] = cq
					order = append(order, q.Key)
				}
				for _, o := range q.Options {
					if !hasOption(cq.options, o.Key) {
						cq.options = append(cq.options, o)
					}
				}
			}
		}
	}
	return order, qs
}

func hasOption(opts []form.Option, key string) bool {
	for _, o := range opts {
		if o.Key == key {
			return true
		}
	}
	return false
}

// numberText writes v with thousands separators, with two decimals unless it is whole.
func numberText(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return decimalText(strconv.FormatFloat(v, 'f', 0, 64))
	}
	return decimalText(strconv.FormatFloat(v, 'f', 2, 64))
}

// unitOf is a numeric question's unit: its currency or its unit.
func unitOf(q form.Question) string {
	if q.Type == form.Money {
		return q.Currency
	}
	return q.Unit
}

// numbers is the section of the numeric answers compared across entries.
// numQ is a numeric question of a category's form.
type numQ struct {
	cat *edition.Category
	q   form.Question
}

// numberQuestions are the numeric questions (numbers and money) of the forms of ed, with their
// keys for analytics.Numbers.
func numberQuestions(ed *edition.Edition) ([]numQ, []analytics.NumberQuestion) {
	var list []numQ
	var keys []analytics.NumberQuestion
	for i := range ed.Categories {
		cat := &ed.Categories[i]
		if cat.Form == nil {
			continue
		}
		for _, section := range cat.Form.Sections {
			for _, q := range section.Questions {
				if q.Type == form.Number || q.Type == form.Money {
					list = append(list, numQ{cat, q})
					keys = append(keys, analytics.NumberQuestion{CategoryID: cat.ID, Key: q.Key})
				}
			}
		}
	}
	return list, keys
}

// numbers is the section of the numeric answers compared across entries.
func (b *analyticsBuilder) numbers() pages.AnalyticsSection {
	sec := pages.AnalyticsSection{ID: "indicators", Title: "Quantitative indicators",
		Intro: "The answers to the numeric questions of each category's form, compared across the submitted entries, the largest first."}
	list, _ := numberQuestions(b.ed)
	if len(list) == 0 {
		sec.Note = "The forms of this edition ask no numeric question."
		return sec
	}
	vals, sums := b.data.Values, b.data.Summaries
	for _, x := range list {
		unit := unitOf(x.q)
		var bars []chart.Bar
		for _, v := range vals {
			if v.CategoryID == x.cat.ID && v.Question == x.q.Key {
				bars = append(bars, chart.Bar{Label: v.Title, Value: v.Value, Text: numberText(v.Value)})
			}
		}
		summary := ""
		for _, sm := range sums {
			if sm.CategoryID == x.cat.ID && sm.Question == x.q.Key {
				summary = thousandsText(sm.N) + " entries answered: lowest " + numberText(sm.Min) + ", median " + numberText(sm.Median) +
					", highest " + numberText(sm.Max) + ", mean " + numberText(sm.Mean) + "."
			}
		}
		title := x.q.Label
		valueHead := "Value"
		if unit != "" {
			title += " (" + unit + ")"
			valueHead += " (" + unit + ")"
		}
		title += ", " + x.cat.Name
		id := "indicator-" + x.cat.Key + "-" + strings.ReplaceAll(x.q.Key, "_", "-")
		c := b.barChart(id, title, "Bar chart of the answers to “"+x.q.Label+"” of the "+x.cat.Name+" entries, the largest first. "+summary,
			title+", per entry", [2]string{"Entry", valueHead}, bars, "No submitted entry of "+x.cat.Name+" answered this question yet.")
		if summary != "" {
			c.Legend = summary
		}
		sec.Charts = append(sec.Charts, c)
	}
	return sec
}

func distributionHead(first string) []string {
	return []string{first, "Scores", "Lowest", "First quartile", "Median", "Third quartile", "Highest", "Mean"}
}

func distributionRow(label string, d analytics.Distribution) []string {
	return []string{label, strconv.Itoa(d.N), score2(d.Min), score2(d.Q1), score2(d.Median), score2(d.Q3), score2(d.Max), score2(d.Mean)}
}

const boxLegend = "How to read it: the line runs from the lowest to the highest score; the box spans the middle half (first to third quartile); the thick bar inside the box is the median and the diamond the mean; n is the number of scores."

func scaleRange(cat *edition.Category) string {
	return strconv.Itoa(cat.Scale.Min) + " to " + strconv.Itoa(cat.Scale.Max)
}

// scores is the section of the score distributions (the round is closed).
func (b *analyticsBuilder) scores() []pages.AnalyticsChart {
	crit, evs := b.data.Criteria, b.data.Evaluators
	var out []pages.AnalyticsChart
	for i := range b.ed.Categories {
		cat := &b.ed.Categories[i]
		if len(cat.Criteria) == 0 {
			continue
		}
		lo, hi := float64(cat.Scale.Min), float64(cat.Scale.Max)
		for _, kind := range []string{"criteria", "evaluators"} {
			id := "scores-" + cat.Key + "-" + kind
			c := pages.AnalyticsChart{ID: id, Kind: pages.ChartBoxes, CSV: b.csv(id), Legend: boxLegend}
			var rows []chart.Summary
			var parts []string
			n := 0
			add := func(label string, d analytics.Distribution) {
				rows = append(rows, chart.Summary{Label: label, N: d.N, Min: d.Min, Q1: d.Q1, Median: d.Median, Q3: d.Q3, Max: d.Max, Mean: d.Mean,
					Text: "mean " + score2(d.Mean) + ", n = " + strconv.Itoa(d.N)})
				c.Table.Rows = append(c.Table.Rows, distributionRow(label, d))
				parts = append(parts, label+": mean "+score2(d.Mean)+", median "+score2(d.Median)+", from "+score2(d.Min)+" to "+score2(d.Max)+
					" ("+strconv.Itoa(d.N)+" scores)")
			}
			if kind == "criteria" {
				c.Title = "Scores per criterion, " + cat.Name
				c.Table.Head = distributionHead("Criterion")
				for _, cr := range cat.Criteria {
					for _, d := range crit {
						if d.CategoryID == cat.ID && d.CriterionID == cr.ID {
							add(cr.Name, d)
						}
					}
				}
			} else {
				c.Title = "Scores per evaluator, " + cat.Name
				c.Table.Head = distributionHead("Evaluator")
				if !b.named {
					c.Legend += " The evaluators are numbered within the category, the highest mean first, without their names."
				}
				for _, d := range evs {
					if d.CategoryID != cat.ID {
						continue
					}
					n++
					label := committee.EvaluatorLabel(n)
					if b.named {
						label = d.Name
					}
					add(label, d)
				}
			}
			c.Table.Caption = c.Title + ", on the scale " + scaleRange(cat)
			c.Desc = "Box chart of the criterion scores of the submitted sheets of " + cat.Name + " " + map[string]string{
				"criteria": "per criterion", "evaluators": "per evaluator, the highest mean first"}[kind] + ", on the scale " + scaleRange(cat) + ". " +
				strings.Join(parts, "; ") + "."
			if len(rows) == 0 {
				c.Note = "No score sheet of " + cat.Name + " was submitted."
			} else {
				c.Boxes = chart.Boxes(rows, lo, hi)
			}
			out = append(out, c)
		}
	}
	return out
}

// profiles is the section of the semi-finalists' radar charts (the round is closed); note
// explains an empty section.
func (b *analyticsBuilder) profiles() ([]pages.AnalyticsChart, string) {
	list := b.data.Profiles
	var out []pages.AnalyticsChart
	var unconfirmed []string
	for i := range b.ed.Categories {
		cat := &b.ed.Categories[i]
		var mine []analytics.Profile
		for _, p := range list {
			if p.CategoryID == cat.ID {
				mine = append(mine, p)
			}
		}
		if len(mine) == 0 {
			unconfirmed = append(unconfirmed, cat.Name)
			continue
		}
		id := "profiles-" + cat.Key
		c := pages.AnalyticsChart{ID: id, Kind: pages.ChartRadars, CSV: b.csv(id),
			Title:  "Criterion profiles of the semi-finalists, " + cat.Name,
			Legend: "How to read them: each spoke is a criterion, from " + strconv.Itoa(cat.Scale.Min) + " at the centre to " + strconv.Itoa(cat.Scale.Max) + " at the outer ring. The solid shape with dots is the semi-finalist's mean score per criterion; the dashed shape is the mean of the category's semi-finalists."}
		c.Desc = "Radar charts, one per semi-finalist of " + cat.Name + ", of the committee's mean score per criterion on the scale " + scaleRange(cat) + "."
		axes := make([]string, len(cat.Criteria))
		c.Table.Head = []string{"Semi-finalist", "Rank"}
		for j, cr := range cat.Criteria {
			axes[j] = cr.Name
			c.Table.Head = append(c.Table.Head, cr.Name)
		}
		c.Table.Caption = c.Title + ": mean score per criterion, on the scale " + scaleRange(cat)
		// the per-criterion values of each semi-finalist, and the mean of the semi-finalists
		values := make([][]float64, len(mine))
		sum, cnt := make([]float64, len(axes)), make([]int, len(axes))
		for k, p := range mine {
			values[k] = make([]float64, len(axes))
			for j, cr := range cat.Criteria {
				values[k][j] = math.NaN()
				for _, m := range p.Means {
					if m.CriterionID == cr.ID {
						values[k][j] = m.Mean
						sum[j] += m.Mean
						cnt[j]++
					}
				}
			}
		}
		mean := make([]float64, len(axes))
		for j := range mean {
			mean[j] = math.NaN()
			if cnt[j] > 0 {
				mean[j] = sum[j] / float64(cnt[j])
			}
		}
		cells := func(vs []float64) []string {
			out := make([]string, len(vs))
			for j, v := range vs {
				out[j] = "–"
				if !math.IsNaN(v) {
					out[j] = score2(v)
				}
			}
			return out
		}
		var unscored []string
		for k, p := range mine {
			rank := "Added by the organisers"
			if p.Rank > 0 {
				rank = strconv.Itoa(p.Rank)
			}
			c.Table.Rows = append(c.Table.Rows, append([]string{p.Title, rank}, cells(values[k])...))
			if len(p.Means) == 0 {
				unscored = append(unscored, p.Title)
				continue
			}
			parts := make([]string, len(axes))
			for j, a := range axes {
				parts[j] = a + " " + cells(values[k])[j]
			}
			rid := id + "-" + strconv.FormatInt(p.AppID, 10)
			c.Radars = append(c.Radars, pages.AnalyticsRadar{ID: rid, Title: p.Title + " (rank " + rank + ")",
				Desc: "Radar chart of the mean score per criterion of " + p.Title + " on the scale " + scaleRange(cat) + ": " + strings.Join(parts, "; ") +
					". The dashed shape is the mean of the category's semi-finalists: " + strings.Join(cells(mean), ", ") + ".",
				Chart: chart.Radar(axes, float64(cat.Scale.Min), float64(cat.Scale.Max), []chart.Series{
					{Name: "Mean of the semi-finalists", Values: mean, Dashed: true},
					{Name: p.Title, Values: values[k]},
				})})
		}
		c.Table.Rows = append(c.Table.Rows, append([]string{"Mean of the semi-finalists", ""}, cells(mean)...))
		if len(unscored) > 0 {
			c.Legend += " Without a submitted score sheet, so without a chart: " + joinWords(unscored) + "."
		}
		if len(c.Radars) == 0 {
			c.Note = "No semi-finalist of " + cat.Name + " has a submitted score sheet."
		}
		out = append(out, c)
	}
	note := ""
	if len(unconfirmed) > 0 {
		note = "The committee head has not confirmed the semi-finalists of " + joinWords(unconfirmed) + " yet."
	}
	return out, note
}

// joinWords joins items as "a, b and c".
func joinWords(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
