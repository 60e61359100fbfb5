package views

import (
	"net/url"
	"slices"
	"strconv"
	"time"

	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/clarify"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/scoring"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Round 2, the score sheets (DOMAIN.md "Round 2"): the sheet, progress and
// head's pages.

// EntryFacts are the facts of an entry shown to its evaluator.
func EntryFacts(p scoring.Place) []pages.Fact {
	e := p.Entry
	et := e.EntityType
	if t, ok := p.Edition.EntityType(e.EntityType); ok {
		et = t.Name
	}
	return []pages.Fact{
		{Label: i18n.M("Category"), Value: p.Category.Name},
		{Label: i18n.M("Organisation"), Value: e.Organisation},
		{Label: i18n.M("Entity type and place"), Value: et + ", " + e.City + ", " + country.Name(e.Country)},
	}
}

func ReasonField(value string, errs field.Errors) components.Field {
	return components.Field{Name: "reason", Label: i18n.M("Why you recuse yourself"), Type: "textarea", Value: value, Required: true,
		MaxLength: scoring.MaxReason, Error: errs.Get("reason"),
		Hint: i18n.M("For example: \"I advised this city on the project.\" The committee head and the secretariat read it.")}
}

// SheetState is what a sheet page shows besides the sheet: the input as typed (after a failed
// save), the errors and a notice.
type SheetState struct {
	Typed  *scoring.Input
	Reason string
	Errs   field.Errors
	Notice string
}

// SheetView is the sheet page of desk d: the sheet as stored, or as typed (st.Typed).
func SheetView(page components.Page, d scoring.Desk, st SheetState, now time.Time) pages.ScoringSheetView {
	e, ed, cat, sheet := d.Entry, d.Edition, d.Category, d.Sheet
	loc := ed.TimeZone
	in := sheet.Input
	if st.Typed != nil {
		in = *st.Typed
	}
	if in.Scores == nil {
		in.Scores = map[int64]int{}
	}
	href := ScoringHref(e.ID)
	v := pages.ScoringSheetView{
		Page: page, Title: EntryTitle(e.Title, e.ID), Back: "/scoring", Notice: st.Notice, Errors: st.Errs,
		Facts: EntryFacts(d.Place), Version: sheet.Version, Action: href, SubmitURL: href + "/submit", RecuseURL: href + "/recuse",
		Submitted: sheet.Status == scoring.Submitted, ReadOnly: !d.Scorable(now), Recusable: !e.Closed(), Reason: ReasonField(st.Reason, st.Errs),
		Scale: i18n.Msg("Score each indicator from {{.Min}} (lowest) to {{.Max}} (highest). Your draft is saved as you go; submit the sheet when every indicator is scored.",
			"Min", strconv.Itoa(cat.Scale.Min), "Max", strconv.Itoa(cat.Scale.Max)),
		Overall: components.Field{Name: scoring.OverallField, Label: i18n.M("Overall comment"), Type: "textarea", Value: in.Overall,
			MaxLength: scoring.MaxComment, Error: st.Errs.Get(scoring.OverallField)},
	}
	round := d.Round(now)
	switch {
	case round.Phase == edition.PhaseUpcoming:
		v.Status = i18n.Msg("Scoring opens on {{.When}}: you can fill in the sheet from then. Until then you can read the entry and recuse yourself if you find a conflict of interest.", "When", i18n.Start(round.Opens, loc))
	case !round.Open():
		switch {
		case e.Closed() && sheet.Status == scoring.Submitted:
			v.Status = i18n.Msg("The round closed on {{.When}}: the sheet can no longer change. It was submitted on {{.Submitted}}.",
				"When", i18n.Instant(*e.ClosedAt, loc), "Submitted", i18n.Instant(*sheet.SubmittedAt, loc))
		case e.Closed():
			v.Status = i18n.Msg("The round closed on {{.When}}: the sheet can no longer change. It was not submitted.", "When", i18n.Instant(*e.ClosedAt, loc))
		case sheet.Status == scoring.Submitted:
			v.Status = i18n.Msg("The scoring window ended on {{.When}}: the sheet can no longer change. It was submitted on {{.Submitted}}.",
				"When", i18n.End(round.Window.End, loc), "Submitted", i18n.Instant(*sheet.SubmittedAt, loc))
		default:
			v.Status = i18n.Msg("The scoring window ended on {{.When}}: the sheet can no longer change. It was not submitted.", "When", i18n.End(round.Window.End, loc))
		}
	case sheet.Status == scoring.Submitted:
		v.Status = i18n.Msg("Submitted on {{.When}}. You can revise it and resubmit it until the round closes.", "When", i18n.Instant(*sheet.SubmittedAt, loc))
	default:
		v.Status = i18n.Msg("Draft, last saved on {{.When}}. Not submitted yet.", "When", i18n.Instant(sheet.UpdatedAt, loc))
	}
	v.Criteria = SheetCriteria(cat, in, &st, d.CommentsRequired())
	ver := d.Papers.Submitted
	v.Facts = append(v.Facts, pages.Fact{Label: i18n.M("Submitted"), Value: i18n.Msg("{{.When}} (version {{.Version}})", "When", i18n.Instant(ver.SubmittedAt, loc), "Version", strconv.Itoa(ver.Number))})
	fileURL := func(ref form.FileRef) string { return href + "/files/" + ref.ID }
	for i := range cat.Form.Sections {
		sec := &cat.Form.Sections[i]
		v.Sections = append(v.Sections, pages.ReviewSection{Title: sec.Title, Questions: ReviewQuestions(cat.Form, sec, ver.Answers, fileURL)})
	}
	if d.Papers.SeesClarifications {
		base := "/entries/" + strconv.FormatInt(e.ID, 10) + "/clarifications/files/"
		v.Panels = append(v.Panels, pages.ScoringClarifications(pages.ClarificationPanelView{
			Items: ClarThreadItems(d.Papers.Clarifications, clarify.FormOf(ed, e.CategoryID), loc, now, func(doc clarify.Document) string {
				return base + strconv.FormatInt(doc.ID, 10)
			})}))
	}
	if panel := ContextPanelOf(d.Papers.Context, ed); panel != nil {
		v.Panels = append(v.Panels, panel)
	}
	return v
}

// ScoringWindowLine says to an evaluator where round 2 of ed stands (round r): when the
// sheets can be filled in, until when, or that they no longer change.
func ScoringWindowLine(ed *edition.Edition, r edition.Round) string {
	loc := ed.TimeZone
	window := i18n.Window(r.Window.Start, r.Window.End, loc)
	switch r.Phase {
	case edition.PhaseUpcoming:
		return i18n.Msg("{{.Edition}}: scoring runs {{.Window}}. You can fill in the sheets from {{.When}}; until then you can read the entries.",
			"Edition", ed.Name, "Window", window, "When", i18n.Start(r.Opens, loc))
	case edition.PhaseOpen:
		return i18n.Msg("{{.Edition}}: scoring runs {{.Window}}. Sheets can be submitted and revised until {{.When}}, unless the round closes earlier.",
			"Edition", ed.Name, "Window", window, "When", i18n.End(r.Window.End, loc))
	}
	return i18n.Msg("{{.Edition}}: scoring runs {{.Window}}. {{.Status}} The sheets can no longer change.",
		"Edition", ed.Name, "Window", window, "Status", r.Status(loc))
}

// ProgressView is the progress page of edition ed from report rep; head links the sheets of
// each entry once the round is closed.
func ProgressView(page components.Page, ed *edition.Edition, picker components.Field, rep scoring.Report, head bool, errs field.Errors) pages.ScoringProgressView {
	pq := url.Values{"edition": {strconv.FormatInt(ed.ID, 10)}}
	edq := "/scoring/progress?" + pq.Encode()
	v := pages.ScoringProgressView{
		Page: page, Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name,
		Window: i18n.Msg("{{.Round}} Scoring runs {{.Window}}. Evaluators with unfinished sheets are reminded automatically three days and one day before it ends.",
			"Round", scoringPhase(rep.Round, ed.TimeZone), "Window", i18n.Window(ed.Schedule.Scoring.Start, ed.Schedule.Scoring.End, ed.TimeZone)),
		ByEntry: rep.ByEntry, Remind: "/scoring/progress/remind?" + pq.Encode(), Errors: errs,
		Tabs: []components.Link{{Label: i18n.M("By evaluator"), Href: edq}, {Label: i18n.M("Evaluators behind"), Href: edq + "&view=behind"},
			{Label: i18n.M("By entry"), Href: edq + "&view=entries"}},
	}
	if rep.ClosedAt != nil {
		v.Closed = i18n.Msg("The round closed on {{.When}}.", "When", i18n.Instant(*rep.ClosedAt, ed.TimeZone))
	}
	if !rep.ByEntry {
		if rep.Behind { // the current tab first
			v.Tabs[0], v.Tabs[1] = v.Tabs[1], v.Tabs[0]
			pq.Set("view", "behind")
		}
		list := rep.Evaluators
		for _, p := range list.Rows {
			v.Evaluators = append(v.Evaluators, pages.ProgressEvaluatorRow{ID: p.ID, Name: p.Name, Assigned: p.Assigned,
				NotOpened: p.NotOpened(), Drafts: p.Drafts, Submitted: p.Submitted})
		}
		v.Pager = PagerFor("/scoring/progress", pq, list.Page, list.Pages, list.Total, scoring.PerPage, "evaluators")
		return v
	}
	slices.Reverse(v.Tabs)
	pq.Set("view", "entries")
	list := rep.Entries
	for _, p := range list.Rows {
		row := pages.ProgressEntryRow{Title: EntryTitle(p.Title, p.ID), Category: p.Category, Assigned: p.Assigned, Submitted: p.Submitted}
		if rep.ClosedAt != nil && head {
			row.Sheets = "/scoring/entries/" + strconv.FormatInt(p.ID, 10) + "/sheets"
		}
		v.Entries = append(v.Entries, row)
	}
	v.Pager = PagerFor("/scoring/progress", pq, list.Page, list.Pages, list.Total, scoring.PerPage, "entries")
	return v
}

// SheetsView is every sheet of an entry for the committee head.
func SheetsView(page components.Page, title string, rv scoring.Review) pages.ScoringSheetsView {
	ed := rv.Edition
	v := pages.ScoringSheetsView{Page: page, Title: i18n.Msg("Score sheets: {{.Title}}", "Title", title),
		Back: "/scoring/progress?edition=" + strconv.FormatInt(ed.ID, 10) + "&view=entries"}
	for _, sh := range rv.Sheets {
		hv := pages.HeadSheetView{Evaluator: sh.EvaluatorName, Overall: sh.Overall, Status: i18n.M("Not submitted (a draft)."),
			Criteria: SheetCriteria(rv.Category, sh.Input, nil, false)}
		if sh.Status == scoring.Submitted {
			hv.Status = i18n.Msg("Submitted on {{.When}}.", "When", i18n.Instant(*sh.SubmittedAt, ed.TimeZone))
		}
		v.Sheets = append(v.Sheets, hv)
	}
	return v
}

// SheetCriteria are the criteria of cat with the scores and comments of in; with st (the
// evaluator's own sheet) they are the fields to edit them, with their errors.
func SheetCriteria(cat *edition.Category, in scoring.Input, st *SheetState, commentsRequired bool) []pages.SheetCriterion {
	var out []pages.SheetCriterion
	for _, c := range cat.Criteria {
		cv := pages.SheetCriterion{Name: c.Name, Comment: components.Field{Value: in.Comments[c.Key]}}
		if st != nil {
			cv.Description = c.Description
			cv.Comment = components.Field{Name: scoring.CommentField(c.Key), Label: i18n.Msg("Comment on {{.Criterion}}", "Criterion", c.Name), Type: "textarea",
				Value: in.Comments[c.Key], MaxLength: scoring.MaxComment, Required: commentsRequired, Error: st.Errs.Get(scoring.CommentField(c.Key))}
			if c.Weight != 0 {
				cv.Weight = i18n.Msg("(weight {{.Weight}})", "Weight", strconv.FormatFloat(c.Weight, 'f', -1, 64))
			}
		}
		for _, ind := range c.Indicators {
			n, scored := in.Scores[ind.ID]
			f := pages.IndicatorField{Field: components.Field{Label: ind.Name}, Score: i18n.M("Not scored")}
			if scored {
				f.Score = strconv.Itoa(n)
			}
			if st != nil {
				opts := []components.Option{{Value: "", Label: i18n.M("Not scored"), Selected: !scored}}
				for p := cat.Scale.Min; p <= cat.Scale.Max; p++ {
					opts = append(opts, components.Option{Value: strconv.Itoa(p), Label: strconv.Itoa(p), Selected: scored && n == p})
				}
				f.Field = components.Field{Name: scoring.ScoreField(ind.ID), Label: ind.Name, Type: "select",
					Options: opts, Required: true, Error: st.Errs.Get(scoring.ScoreField(ind.ID))}
			}
			cv.Indicators = append(cv.Indicators, f)
		}
		out = append(out, cv)
	}
	return out
}
