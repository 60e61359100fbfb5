package views

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/screening"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Choose marks the option of value selected.
func Choose(value string, opts ...components.Option) []components.Option {
	for i := range opts {
		opts[i].Selected = opts[i].Value == value
	}
	return opts
}

// ReviewSections are the sections of form f with answers, read-only, each file linked at
// filesHref followed by its id (the staff views of an entry: screening, scoring, dossiers).
func ReviewSections(f *form.Form, answers form.Answers, filesHref string) []pages.ReviewSection {
	fileURL := func(ref form.FileRef) string { return filesHref + ref.ID }
	out := make([]pages.ReviewSection, 0, len(f.Sections))
	for i := range f.Sections {
		out = append(out, pages.ReviewSection{Title: f.Sections[i].Title, Questions: ReviewQuestions(f, &f.Sections[i], answers, fileURL)})
	}
	return out
}

// IneligibleReasonField is the select of the reasons an entry of cat may be ineligible for, with
// selected chosen.
func IneligibleReasonField(cat *edition.Category, selected string, errs field.Errors) components.Field {
	opts := []components.Option{{Value: "", Label: i18n.M("Choose a reason")}}
	for _, c := range screening.Reasons(cat) {
		opts = append(opts, components.Option{Value: c.Key, Label: c.Reason})
	}
	return components.Field{Name: "reason", Label: i18n.M("Reason for ineligibility"), Type: "select", Options: Choose(selected, opts...),
		Error: errs.Get("reason"), Hint: i18n.M("Required when the entry is ineligible. The applicant is told this reason.")}
}

// BulkForm is the queue's bulk decision form.
type BulkForm struct {
	IDs    []int64 `form:"ids"`
	Action string  `form:"action"`
	Reason string  `form:"reason"`
	Text   string  `form:"reason_text"`
}

// ScreeningQueue is the queue of cat with filter f showing list, with the bulk form as posted. No I/O.
func ScreeningQueue(ed *edition.Edition, cat *edition.Category, f screening.Filter, list screening.QueuePage, bulk BulkForm, errs field.Errors) pages.ScreeningQueueView {
	v := pages.ScreeningQueueView{
		Name: ed.Name, Category: cat.Name, RoundURL: "/secretariat/screening/round?edition=" + strconv.FormatInt(ed.ID, 10),
		Hidden:  []components.Field{{Name: "edition", Value: strconv.FormatInt(ed.ID, 10)}, {Name: "category", Value: cat.Key}},
		Reasons: IneligibleReasonField(cat, bulk.Reason, errs), Errors: errs, Phase: list.Round.Summary(ed.TimeZone),
		Incomplete: cat.Nominations != nil,
		Text: components.Field{Name: "reason_text", Label: i18n.M("Explanation (for \"another reason\"; kept in the secretariat's notes)"),
			Value: bulk.Text, MaxLength: 2000, Error: errs.Get("reason_text")},
	}
	for i := range ed.Categories {
		v.Categories = append(v.Categories, components.Link{Label: ed.Categories[i].Name, Href: ScreeningQueueHref(ed, &ed.Categories[i])})
	}
	sel := func(name, label, value string, choices []screening.Choice, opts ...components.Option) components.Field {
		for _, c := range choices {
			opts = append(opts, components.Option{Value: c.Value, Label: c.Label})
		}
		return components.Field{Name: name, Label: label, Type: "select", Options: Choose(value, opts...)}
	}
	types := []screening.Choice{{Value: "", Label: i18n.M("Any")}}
	for _, t := range ed.EntityTypes {
		if slices.Contains(cat.EligibleTypes, t.Key) || t.Key == f.EntityType {
			types = append(types, screening.Choice{Value: t.Key, Label: t.Name})
		}
	}
	v.Filters = []components.Field{sel("entity_type", i18n.M("Entity type"), f.EntityType, types),
		sel("country", i18n.M("Country"), f.Country, nil, CountryOptions("", i18n.M("Any"))...), sel("status", i18n.M("Decision"), f.Status, screening.Statuses),
		sel("flag", i18n.M("Flags"), f.Flag, screening.FlagChoices), sel("sort", i18n.M("Sort by"), f.Sort, screening.Sorts)}
	for _, e := range list.Entries {
		row := pages.ScreeningRow{ID: e.ID, Href: ScreeningEntryHref(e.ID), Title: e.Name(), Who: e.Who(),
			Type: e.EntityType, Country: i18n.Country(e.Country),
			Submitted: i18n.Instant(e.SubmittedAt, ed.TimeZone), Decision: e.Status(cat), Flags: e.FlagLabels()}
		if t, ok := ed.EntityType(e.EntityType); ok {
			row.Type = t.Name
		}
		v.Rows = append(v.Rows, row)
	}
	if list.ClosedAt != nil {
		v.Closed = i18n.Msg("The round was closed on {{.When}}: decisions can no longer change.", "When", i18n.Instant(*list.ClosedAt, ed.TimeZone))
	}
	return v
}

// DecisionForm is the screening view's form.
type DecisionForm struct {
	Decision  string `form:"decision"`
	Reason    string `form:"reason"`
	Text      string `form:"reason_text"`
	Revision  string `form:"revision_reason"`
	AskReview string `form:"ask_review"`
	Note      string `form:"review_note"`
}

// ScreeningEntry is the screening view of p for the secretariat member viewer, with the form f (nil:
// the decision in force), its checklist answers and problems errs. No I/O.
func ScreeningEntry(p *screening.EntryPage, viewer int64, f *DecisionForm, checks map[string]string, errs field.Errors, now time.Time) pages.ScreeningEntryView {
	e, ed, cat, v, loc := p.Entry, p.Edition, p.Category, p.Version, p.Edition.TimeZone
	leadership := ""
	if p.Nomination != nil {
		leadership = i18n.Msg("{{.Consent}} {{.Letter}}", "Consent", p.Nomination.ConsentText(loc), "Letter", p.Nomination.LetterText(loc))
	}
	auto := p.AutoChecks(leadership)
	rec := screening.Record{}
	if p.Decision != nil {
		rec = *p.Decision
	}
	if f == nil {
		// The items the portal checks itself start with its answer (DOMAIN.md "Round 1": the
		// checklist the portal pre-fills); the member may answer otherwise, with a note.
		f, checks = &DecisionForm{Decision: string(rec.Decision), Reason: rec.ReasonKey, Text: rec.ReasonText}, maps.Clone(rec.Checklist)
		if checks == nil {
			checks = map[string]string{}
		}
		for k, a := range auto {
			if checks[k] == "" && a.Answer != "" {
				checks[k] = a.Answer
			}
		}
	}
	href := ScreeningEntryHref(e.ID)
	view := pages.ScreeningEntryView{
		Title: e.Title, Back: ScreeningQueueHref(ed, cat), Phase: p.Round.Summary(loc),
		Tabs:   []components.Link{{Label: i18n.M("Screening"), Href: href}, {Label: i18n.M("History"), Href: href + "/history"}},
		Facts:  screeningFacts(e, cat, v.Number, loc),
		Action: href + "/decision", ReviewURL: href + "/review", Errors: errs,
		Decision: components.Field{Name: "decision", Label: i18n.M("Decision"), Type: "radio", Required: true, Error: errs.Get("decision"),
			Options: Choose(f.Decision, components.Option{Value: "eligible", Label: i18n.M("Eligible")}, components.Option{Value: "ineligible", Label: i18n.M("Ineligible")},
				components.Option{Value: "clarification", Label: i18n.M("Clarification needed first (ask below)")})},
		Reason: IneligibleReasonField(cat, f.Reason, errs),
		Text: components.Field{Name: "reason_text", Label: i18n.M("Notes (never shown to the applicant)"), Type: "textarea", Value: f.Text,
			MaxLength: 2000, Error: errs.Get("reason_text"), Hint: i18n.M("Required for \"another reason\".")},
		Revision: components.Field{Name: "revision_reason", Label: i18n.M("Why the decision changes"), Type: "textarea", Value: f.Revision,
			MaxLength: 2000, Error: errs.Get("revision_reason"), Hint: i18n.M("Required when you change an earlier decision.")},
		AskReview: components.Field{Name: "ask_review", Label: i18n.M("Ask another secretariat member for a second opinion"), Type: "checkbox", Checked: f.AskReview == "yes"},
		Note:      components.Field{Name: "review_note", Label: i18n.M("Note for the second opinion"), Type: "textarea", Value: f.Note, MaxLength: 2000},
	}
	view.Sections = ReviewSections(cat.Form, v.Answers, href+"/files/")
	for _, c := range screening.Checklist(cat) {
		label := c.Label
		if c.Auto {
			label = i18n.Msg("{{.Check}} (checked by the portal)", "Check", c.Label)
		}
		cv := pages.CheckView{Key: c.Key, Label: c.Label, Auto: auto[c.Key].Text, Failed: auto[c.Key].Failed,
			Field: components.Field{Name: "check." + c.Key, Label: label, Type: "radio", Error: errs.Get("check." + c.Key), Options: Choose(checks[c.Key],
				components.Option{Value: "yes", Label: i18n.M("Confirmed")}, components.Option{Value: "no", Label: i18n.M("Not met")},
				components.Option{Value: "", Label: i18n.M("Not checked yet")})}}
		if auto[c.Key].Answer != "" {
			name := "check." + c.Key + ".note"
			cv.Note = &components.Field{Name: name, Label: i18n.M("Your note, if your answer differs from the portal's check"), Value: checks[c.Key+".note"],
				MaxLength: 2000, Error: errs.Get(name)}
		}
		view.Checks = append(view.Checks, cv)
	}
	if p.Decision != nil {
		view.Current, view.Review = rec.Describe(cat, loc)
		view.CanReview = rec.Reviewable(viewer)
	}
	if p.ClosedAt != nil {
		view.Closed = i18n.Msg("The round was closed on {{.When}}: the decision can no longer change.", "When", i18n.Instant(*p.ClosedAt, loc))
		view.CanReview = false
	}
	return view
}

// screeningFacts are the facts of entry e of category cat, submitted as version number: who it
// is about (a nomination's candidate, then who nominated them) and where.
func screeningFacts(e screening.Entry, cat *edition.Category, number int, loc *time.Location) []pages.Fact {
	placeLabel, place := i18n.M("Entity type and place"), i18n.Msg("{{.Type}}, {{.City}}, {{.Country}}", "Type", e.EntityType, "City", e.City, "Country", i18n.Country(e.Country))
	facts := []pages.Fact{{Label: i18n.M("Category"), Value: cat.Name}}
	if e.Kind == "nomination" {
		facts = append(facts, pages.Fact{Label: i18n.M("Candidate"), Value: e.Candidate + " <" + e.CandidateEmail + ">"},
			pages.Fact{Label: i18n.M("Nominated by"), Value: e.Applicant + " <" + e.Email + ">"})
		if len(e.CoNominators) > 0 {
			var co []string
			for _, c := range e.CoNominators {
				co = append(co, c.Name+" <"+c.Email+"> (nomination "+strconv.FormatInt(c.Nomination, 10)+", merged here)")
			}
			facts = append(facts, pages.Fact{Label: i18n.M("Co-nominators"), Value: strings.Join(co, "; ")})
		}
		placeLabel, place = i18n.M("Where the candidate works"), i18n.Msg("{{.City}}, {{.Country}}", "City", e.City, "Country", i18n.Country(e.Country))
	} else {
		facts = append(facts, pages.Fact{Label: i18n.M("Applicant"), Value: e.Applicant + " <" + e.Email + ">"})
	}
	return append(facts, pages.Fact{Label: i18n.M("Organisation"), Value: e.Organisation},
		pages.Fact{Label: placeLabel, Value: place},
		pages.Fact{Label: i18n.M("Submitted"), Value: timefmt.Instant(e.SubmittedAt, loc) + " (version " + strconv.Itoa(number) + ")"})
}

// ScreeningRound is the round summary of ed at now, with the closing form's reason as posted
// and its problems. No I/O.
func ScreeningRound(ed *edition.Edition, round screening.RoundPage, now time.Time, reason string, errs field.Errors) pages.ScreeningRoundView {
	loc := ed.TimeZone
	v := pages.ScreeningRoundView{Name: ed.Name, Action: "/secretariat/screening/round/close?edition=" + strconv.FormatInt(ed.ID, 10),
		Back: ScreeningQueueHref(ed, nil), OpenClarifications: round.OpenClarifications,
		Outcome: i18n.M("at once (the end of the screening window has passed)"), Phase: round.Round.Summary(loc), Errors: errs,
		Dates: i18n.Msg("Applications are accepted until {{.End}} (with the grace period); the screening window runs {{.Window}}.",
			"End", i18n.End(round.Round.ClosableFrom, loc), "Window", i18n.Window(round.Round.Window.Start, round.Round.Window.End, loc))}
	if round.Pending.Any() {
		v.Pending = round.Pending.Message(loc)
	}
	if end := round.Round.Window.End; now.Before(end) {
		v.Reason = &components.Field{Name: "reason", Label: i18n.M("Why round 1 closes before the end of its window"), Type: "textarea", Value: reason,
			MaxLength: 2000, Required: true, Error: errs.Get("reason"),
			Hint: i18n.Msg("Required until {{.When}}. It is kept in the audit log.", "When", i18n.End(end, loc))}
	}
	for i := range ed.Categories {
		n := round.Of(ed.Categories[i].ID)
		v.Counts = append(v.Counts, pages.RoundCount{Category: ed.Categories[i].Name, Undecided: n[screening.Undecided],
			Clarification: n[screening.Clarification], Eligible: n[screening.Eligible], Ineligible: n[screening.Ineligible]})
	}
	if at := screening.OutcomeDate(ed, now); !at.IsZero() {
		v.Outcome = i18n.Msg("on {{.When}}, the end of the screening window", "When", i18n.Instant(at, ed.TimeZone))
	}
	if round.ClosedAt != nil {
		v.Closed = i18n.Msg("The round was closed on {{.When}}. The eligible entries go on to round 2.", "When", i18n.Instant(*round.ClosedAt, ed.TimeZone))
	}
	return v
}

// MergeForm is the screening view's form that merges another nomination of the candidate into
// the entry.
type MergeForm struct {
	From    int64  `form:"merge_from"`
	Reason  string `form:"merge_reason"`
	Confirm string `form:"merge_confirm"`
}

// MergePanel is the panel of p's other nominations of the same candidate with the merge form f
// as posted and its problems; nil when there are none. No I/O.
func MergePanel(p *screening.EntryPage, f MergeForm, errs field.Errors) templ.Component {
	if len(p.Repeats) == 0 {
		return nil
	}
	loc := p.Edition.TimeZone
	v := pages.MergePanelView{}
	from := components.Field{Name: "merge_from", Label: i18n.M("The nomination to merge into this entry"), Type: "radio", Required: true,
		Error: errs.Get("merge_from")}
	for _, r := range p.Repeats {
		id := strconv.FormatInt(r.ID, 10)
		label := i18n.Msg("Nomination {{.ID}} of {{.Candidate}} by {{.Nominator}} ({{.Match}}), submitted {{.When}}", "ID", id, "Candidate", r.Candidate,
			"Nominator", r.Nominator, "Match", r.Match(), "When", i18n.Instant(r.SubmittedAt, loc))
		state := i18n.M("No decision yet")
		if r.Decision != screening.Undecided {
			state = i18n.Msg("Decision: {{.Decision}}", "Decision", r.Decision.Label())
		}
		v.Repeats = append(v.Repeats, pages.MergeRepeat{Label: label, Href: ScreeningEntryHref(r.ID), State: state})
		from.Options = append(from.Options, components.Option{Value: id, Label: i18n.Msg("Nomination {{.ID}} by {{.Nominator}}", "ID", id, "Nominator", r.Nominator), Selected: f.From == r.ID})
	}
	if p.ClosedAt == nil {
		v.Action = ScreeningEntryHref(p.Entry.ID) + "/merge"
		v.From = from
		v.Reason = components.Field{Name: "merge_reason", Label: i18n.M("Why they are one entry"), Type: "textarea", Value: f.Reason, Required: true,
			MaxLength: screening.MaxMergeReason, Error: errs.Get("merge_reason"), Hint: i18n.M("Kept in the audit log.")}
		v.Confirm = components.Field{Name: "merge_confirm", Label: i18n.M("I understand that the merge cannot be undone"), Required: true,
			Checked: f.Confirm == "yes", Error: errs.Get("merge_confirm")}
	}
	return pages.MergePanel(v)
}
