package dossier

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/blocks/pdfdoc"
	"prizeportal/internal/clarify"
	"prizeportal/internal/contextdata"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/ranking"
)

// Dossier is everything a semi-finalist's dossier shows (DOMAIN.md "Round 3": the council
// discusses the semi-finalists' materials; "Round 2": the analysis of the scores is shared with
// the council), loaded once for the page and the PDF: the entry as submitted, the committee's
// scores of the category's semi-finalists and the comments without the evaluators' names.
type Dossier struct {
	Entry    Entry
	Edition  *edition.Edition
	Category *edition.Category
	Version  application.Version
	Peers    []Entry // the category's semi-finalists, the entry among them
	Scores   map[int64][]CriterionScore
	Comments Comments
	// Method is the aggregation method the committee head chose (DOMAIN.md "Round 2"), and
	// Ranked the ranking of the entry's category under every method (ranking.Compute; nil
	// when nothing of it was scored): the overall scores beside the criteria's figures.
	Method ranking.Method
	Ranked *ranking.Category
	// Lang is the reader's language (the request's, i18n.From): the dossier's own words, on
	// its page and in its PDF, are in it.
	Lang *i18n.Localizer
}

// l is the reader's language, English when none was set.
func (d *Dossier) l() *i18n.Localizer {
	if d.Lang == nil {
		return i18n.For("en")
	}
	return d.Lang
}

// Load loads dossier id for viewer: db.ErrNotFound unless it is a confirmed semi-finalist of an
// edition viewer serves as council or secretariat (checked in SQL).
func Load(ctx context.Context, q db.DBTX, viewer, id int64) (*Dossier, error) {
	var err error
	d := &Dossier{Lang: i18n.From(ctx)}
	if d.Entry, err = Get(ctx, q, viewer, id); err != nil {
		return nil, err
	}
	if d.Edition, err = edition.ByID(ctx, q, d.Entry.EditionID); err != nil {
		return nil, err
	}
	var ok bool
	if d.Category, ok = d.Edition.CategoryByID(d.Entry.CategoryID); !ok {
		return nil, db.ErrNotFound
	}
	if d.Version, err = application.SubmittedVersion(ctx, q, d.Entry.ID); err != nil {
		return nil, err
	}
	all, err := List(ctx, q, viewer, d.Edition.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range all {
		if p.CategoryID == d.Entry.CategoryID {
			d.Peers = append(d.Peers, p)
		}
	}
	if d.Scores, err = CategoryScores(ctx, q, viewer, d.Entry.CategoryID); err != nil {
		return nil, err
	}
	if d.Comments, err = CommentsOf(ctx, q, viewer, d.Entry.ID); err != nil {
		return nil, err
	}
	// the category's list is confirmed (checked in SQL above), so round 2 is closed and its
	// ranking unsealed: the same figures as the head's ranking page
	res, err := ranking.Compute(ctx, q, d.Edition.ID)
	if err != nil {
		return nil, err
	}
	d.Method, d.Ranked = res.Method, res.Category(d.Entry.CategoryID)
	return d, nil
}

// Thread returns the clarifications of d's entry that actor may read at now: none before the
// scoring round opens to them (authz.CanSeeClarifications).
func Thread(ctx context.Context, q db.DBTX, actor authz.Actor, d *Dossier, now time.Time) ([]clarify.Clarification, error) {
	if !authz.CanSeeClarifications(actor, d.Edition.ID, now, d.Edition.Schedule.Scoring.Start) {
		return nil, nil
	}
	return clarify.Thread(ctx, q, actor.UserID, d.Entry.ID, now)
}

// Page is a dossier with what its page shows besides (DOMAIN.md "Round 3"): the clarification
// thread its reader may see and the context data of its entry's place.
type Page struct {
	*Dossier
	Thread  []clarify.Clarification
	Context []contextdata.Indicator
}

// LoadPage loads dossier id as actor reads it at now, for its page: Load, Thread and the entry's
// context data (contextdata.ForEntry).
func LoadPage(ctx context.Context, q db.DBTX, actor authz.Actor, id int64, now time.Time) (*Page, error) {
	d, err := Load(ctx, q, actor.UserID, id)
	if err != nil {
		return nil, err
	}
	p := &Page{Dossier: d}
	if p.Thread, err = Thread(ctx, q, actor, d, now); err != nil {
		return nil, err
	}
	if p.Context, err = contextdata.ForEntry(ctx, q, d.Entry.ID); err != nil {
		return nil, err
	}
	return p, nil
}

// DocumentOf is dossier id as actor reads it at now, as a PDF document (the dossier's download
// and the decision pack): Load, Thread and Document.
func DocumentOf(ctx context.Context, q db.DBTX, actor authz.Actor, id int64, now time.Time) (pdfdoc.Document, error) {
	d, err := Load(ctx, q, actor.UserID, id)
	if err != nil {
		return pdfdoc.Document{}, err
	}
	thread, err := Thread(ctx, q, actor, d, now)
	if err != nil {
		return pdfdoc.Document{}, err
	}
	return d.Document(thread, now), nil
}

// Title is an entry's title, or "Untitled entry <id>" when it has none.
func Title(title string, id int64) string { return i18n.English(TitleText(title, id)) }

// TitleText is an entry's title, or "Untitled entry <id>" carried for translation where it is
// shown (i18n.T) when it has none.
func TitleText(title string, id int64) string {
	if strings.TrimSpace(title) == "" {
		return i18n.Msg("Untitled entry {{.ID}}", "ID", strconv.FormatInt(id, 10))
	}
	return title
}

// title is entry id's title in the reader's language (TitleText).
func (d *Dossier) title(title string, id int64) string { return d.l().T(TitleText(title, id)) }

// PlaceText is where an entry is from, "City, Country", carried for translation where it is
// shown (i18n.T): the country in the reader's language, and in the order its language writes a
// place ("대한민국 서울").
func PlaceText(city, code string) string {
	switch {
	case city != "" && code != "":
		return i18n.Msg("{{.City}}, {{.Country}}", "City", city, "Country", i18n.Country(code))
	case code != "":
		return i18n.Country(code)
	}
	return city
}

// place is Place in the reader's language.
func (d *Dossier) place(city, code string) string { return d.l().T(PlaceText(city, code)) }

// RankText is the committee's rank of a semi-finalist, or how it joined the list.
func RankText(e Entry) string {
	if e.Rank > 0 {
		return strconv.Itoa(e.Rank)
	}
	switch e.Source {
	case ranking.SourceRanking:
		return i18n.M("Ranking")
	case ranking.SourceTie:
		return i18n.M("Tie decided by the head")
	case ranking.SourceAddition:
		return i18n.M("Added by the organisers")
	}
	return ""
}

// ShortLabel cuts s to n characters with an ellipsis.
func ShortLabel(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// ScaleText explains the category's scoring scale and how a sheet's criterion score is made.
func (d *Dossier) ScaleText() string {
	return d.l().T("Scale {{.Min}} (lowest) to {{.Max}} (highest). A sheet's score on a criterion is the mean of its indicator scores; only submitted sheets count.",
		"Min", strconv.Itoa(d.Category.Scale.Min), "Max", strconv.Itoa(d.Category.Scale.Max))
}

// Overall returns entry app's overall score under method m with its rank among the category's
// scored entries (ranking.Compute); false when no sheet of it was submitted.
func (d *Dossier) Overall(app int64, m ranking.Method) (ranking.Value, bool) {
	if d.Ranked == nil {
		return ranking.Value{}, false
	}
	if e := d.Ranked.Entry(app); e != nil {
		return e.By[m], true
	}
	return ranking.Value{}, false
}

// OverallText is entry app's overall score under m as the dossier writes it: "3.85, rank 1 of
// 12 scored entries".
func (d *Dossier) OverallText(app int64, m ranking.Method) string {
	v, ok := d.Overall(app, m)
	if !ok {
		return d.l().T("no submitted score sheet")
	}
	return d.l().N(len(d.Ranked.Entries), "{{.Score}}, rank {{.Rank}} of {{.Count}} scored entry", "{{.Score}}, rank {{.Rank}} of {{.Count}} scored entries",
		"Score", numfmt.Score2(v.Value), "Rank", strconv.Itoa(v.Rank))
}

// OverallLabel names the overall score under the method the head chose.
func (d *Dossier) OverallLabel() string {
	return d.l().T("Overall score ({{.Method}}, the method the committee head chose)", "Method", d.Method.Label())
}

// weightShare is criterion cr's part of its category's weights (0 to 1).
func (d *Dossier) weightShare(cr edition.Criterion) float64 {
	var total float64
	for _, x := range d.Category.Criteria {
		total += x.Weight
	}
	if total <= 0 {
		return 0
	}
	return cr.Weight / total
}

// Weighted is what one criterion counts for in an entry's overall score: its share of the
// category's weights ("25%") and that share of its mean ("1.00"), the parts summing to the
// weighted mean.
type Weighted struct{ Share, Part string }

// CriterionWeighted is criterion cr's weight and weighted part for its scores sc.
func (d *Dossier) CriterionWeighted(cr edition.Criterion, sc CriterionScore) Weighted {
	return Weighted{Share: d.Category.Share(cr), Part: numfmt.Score2(d.weightShare(cr) * sc.Mean)}
}

// WeightedText explains the weighted figures and the methods.
func (d *Dossier) WeightedText() string {
	return d.l().T("Weighted is the criterion's share of the weights times its mean: the parts add up to the weighted mean. " +
		"The overall score is the committee's aggregate of the sheets' weighted scores under the method the committee head chose before the scores were unsealed; the other methods are shown for comparison (the z-score rescaled to the scale).")
}

// MethodsTable is the entry's overall score under every method, the chosen one marked, each
// with its rank in the category (DOMAIN.md "Round 2": the analysis shared with the council).
func (d *Dossier) MethodsTable() pdfdoc.Table {
	l := d.l()
	t := pdfdoc.Table{Label: l.T("Overall score of this entry under each aggregation method, and its rank in the category"),
		Header: []string{l.T("Method"), l.T("Overall score and rank")}}
	for _, m := range ranking.Methods {
		label := l.T(m.Label())
		if m == d.Method {
			label = l.T("{{.Method}} (chosen by the committee head)", "Method", m.Label())
		}
		t.Rows = append(t.Rows, []string{label, d.OverallText(d.Entry.ID, m)})
	}
	return t
}

// Facts are the dossier's key facts: category, organisation, who nominated a nomination (with its
// co-nominators), place, the committee's rank and overall score, and the submission.
func (d *Dossier) Facts() []pdfdoc.Field {
	loc, l := d.Edition.TimeZone, d.l()
	out := []pdfdoc.Field{
		{Label: l.T("Category"), Value: d.Category.Name},
		{Label: l.T("Organisation"), Value: d.Entry.Organisation},
		{Label: l.T("Place"), Value: d.place(d.Entry.City, d.Entry.Country)},
		{Label: l.T("Committee's rank"), Value: l.T(RankText(d.Entry))},
		{Label: d.OverallLabel(), Value: d.OverallText(d.Entry.ID, d.Method)},
		{Label: l.T("Submitted"), Value: l.T("{{.When}} (version {{.Version}})", "When", i18n.Instant(d.Version.SubmittedAt, loc), "Version", strconv.Itoa(d.Version.Number))},
	}
	if d.Entry.Nominators != "" {
		out = slices.Insert(out, 2, pdfdoc.Field{Label: l.T("Nominated by"), Value: d.Entry.Nominators})
	}
	return out
}

// Score returns the score of criterion key of entry app.
func (d *Dossier) Score(app int64, key string) (CriterionScore, bool) {
	for _, c := range d.Scores[app] {
		if c.Key == key {
			return c, true
		}
	}
	return CriterionScore{}, false
}

// Row is one semi-finalist in the comparison table: its means per criterion.
type Row struct {
	Title   string
	Current bool // the dossier's own entry
	Cells   []string
}

// Comparison is the table of the category's semi-finalists' means per criterion, then their
// overall score under the method the head chose.
func (d *Dossier) Comparison() (head []string, rows []Row) {
	l := d.l()
	head = []string{l.T("Semi-finalist")}
	for _, c := range d.Category.Criteria {
		head = append(head, c.Name)
	}
	head = append(head, l.T("Overall ({{.Method}})", "Method", d.Method.Label()))
	for _, p := range d.Peers {
		row := Row{Title: d.title(p.Title, p.ID), Current: p.ID == d.Entry.ID}
		for _, c := range d.Category.Criteria {
			cell := "—"
			if sc, ok := d.Score(p.ID, c.Key); ok {
				cell = numfmt.Score2(sc.Mean)
			}
			row.Cells = append(row.Cells, cell)
		}
		overall := "—"
		if v, ok := d.Overall(p.ID, d.Method); ok {
			overall = numfmt.Score2(v.Value)
		}
		row.Cells = append(row.Cells, overall)
		rows = append(rows, row)
	}
	return head, rows
}

// Document is the dossier as a PDF document created at now, with the clarification thread its
// reader may see (Thread): the scores, the comparison, the comments without the evaluators'
// names, the clarifications and the entry as submitted.
func (d *Dossier) Document(thread []clarify.Clarification, now time.Time) pdfdoc.Document {
	loc, l := d.Edition.TimeZone, d.l()
	title := d.title(d.Entry.Title, d.Entry.ID)
	copyDoc := application.Copy(d.Category.Form, d.Version.Answers, application.CopyInfo{Prize: d.Edition.Name, Category: d.Category.Name, Created: now.In(loc), Lang: l})
	doc := pdfdoc.Document{Title: title, Subtitle: l.T("{{.Edition}}, {{.Category}}: dossier for the Prize Council", "Edition", d.Edition.Name, "Category", d.Category.Name),
		Meta: d.Facts(), Footer: l.T("{{.Edition}}: dossier of {{.Title}} (confidential)", "Edition", d.Edition.Name, "Title", ShortLabel(title, 60)),
		Created: now.In(loc), Words: copyDoc.Words}

	scores := pdfdoc.Table{Label: l.T("Aggregate (mean of the submitted sheets) and spread per criterion, with its weight"),
		Header: []string{l.T("Criterion"), l.T("Weight"), l.T("Mean"), l.T("Weighted"), l.T("Lowest–highest"), l.T("Std dev"), l.T("Sheets")}}
	for _, c := range d.Category.Criteria {
		if sc, ok := d.Score(d.Entry.ID, c.Key); ok {
			w := d.CriterionWeighted(c, sc)
			scores.Rows = append(scores.Rows, []string{c.Name, w.Share, numfmt.Score2(sc.Mean), w.Part,
				numfmt.Score2(sc.Min) + "–" + numfmt.Score2(sc.Max), numfmt.Score2(sc.StdDev), strconv.Itoa(sc.Sheets)})
		}
	}
	head, rows := d.Comparison()
	cmp := pdfdoc.Table{Label: l.T("Mean score per criterion of the category's semi-finalists"), Header: head}
	for _, r := range rows {
		name := r.Title
		if r.Current {
			name = l.T("{{.Title}} (this entry)", "Title", r.Title)
		}
		cmp.Rows = append(cmp.Rows, append([]string{name}, r.Cells...))
	}
	doc.Sections = append(doc.Sections, pdfdoc.Section{Heading: l.T("The committee's scores"), Intro: d.ScaleText() + " " + d.WeightedText(),
		Blocks: []pdfdoc.Block{scores, d.MethodsTable(), cmp}})
	comments := pdfdoc.Section{Heading: l.T("The committee's comments"), Intro: l.T("Comments of the submitted score sheets, without the evaluators' names.")}
	for _, c := range d.Category.Criteria {
		if items := d.Comments.ByCriterion[c.Key]; len(items) > 0 {
			comments.Blocks = append(comments.Blocks, pdfdoc.List{Label: c.Name, Items: items})
		}
	}
	if len(d.Comments.Overall) > 0 {
		comments.Blocks = append(comments.Blocks, pdfdoc.List{Label: l.T("Overall comments"), Items: d.Comments.Overall})
	}
	if len(comments.Blocks) == 0 {
		comments.Blocks = append(comments.Blocks, pdfdoc.Note{Text: l.T("The committee left no comments on this entry.")})
	}
	doc.Sections = append(doc.Sections, comments)
	if len(thread) > 0 {
		sec := pdfdoc.Section{Heading: l.T("Clarifications asked in round 1")}
		for _, c := range thread {
			answer := c.Answer
			if c.AnsweredAt == nil {
				answer = l.T("Not answered.")
			}
			sec.Blocks = append(sec.Blocks, pdfdoc.Answer{Label: l.T("Asked on {{.When}}: {{.Question}}", "When", i18n.Instant(c.AskedAt, loc), "Question", c.Question), Value: answer})
		}
		doc.Sections = append(doc.Sections, sec)
	}
	for _, sec := range copyDoc.Sections {
		sec.Heading = l.T("Application: {{.Section}}", "Section", sec.Heading)
		doc.Sections = append(doc.Sections, sec)
	}
	return doc
}
