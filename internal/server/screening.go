package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"prizeportal/internal/application"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/edition"
	"prizeportal/internal/screening"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// Round 1, the secretariat's screening (DOMAIN.md "Round 1"): the queue per category with
// filters, sorting, pages and bulk decisions; the screening view (the entry as submitted beside
// a checklist the portal pre-fills, the decision and a second opinion); the entry's history; the
// round summary and closing, which schedules the outcome emails for the date the schedule
// announces them. The route policy lets in the secretariat; every query repeats the edition
// check in SQL (internal/screening), so another edition's entry is a 404.

// choose marks the option of value selected.
func choose(value string, opts ...components.Option) []components.Option {
	for i := range opts {
		opts[i].Selected = opts[i].Value == value
	}
	return opts
}

// reviewSections are the sections of form f with answers, read-only, each file linked at
// filesHref followed by its id (the staff views of an entry: screening, scoring, dossiers).
func reviewSections(f *form.Form, answers form.Answers, filesHref string) []pages.ReviewSection {
	fileURL := func(ref form.FileRef) string { return filesHref + ref.ID }
	out := make([]pages.ReviewSection, 0, len(f.Sections))
	for i := range f.Sections {
		out = append(out, pages.ReviewSection{Title: f.Sections[i].Title, Questions: views.ReviewQuestions(f, &f.Sections[i], answers, fileURL)})
	}
	return out
}

func ineligibleReasonField(cat *edition.Category, selected string, errs field.Errors) components.Field {
	opts := []components.Option{{Value: "", Label: "Choose a reason"}}
	for _, c := range screening.Reasons(cat) {
		opts = append(opts, components.Option{Value: c.Key, Label: c.Reason})
	}
	return components.Field{Name: "reason", Label: "Reason for ineligibility", Type: "select", Options: choose(selected, opts...),
		Error: errs.Get("reason"), Hint: "Required when the entry is ineligible. The applicant is told this reason."}
}

// bulkForm is the queue's bulk decision form.
type bulkForm struct {
	IDs    []int64 `form:"ids"`
	Action string  `form:"action"`
	Reason string  `form:"reason"`
	Text   string  `form:"reason_text"`
}

// screeningQueue lists one category's entries (GET /secretariat/screening).
func (s *Server) screeningQueue(w http.ResponseWriter, r *http.Request) error {
	ed, picker, cat, err := s.queueCategory(r)
	if err != nil {
		return err
	}
	return s.renderQueue(w, r, http.StatusOK, ed, picker, cat, "", bulkForm{}, nil)
}

// queueCategory is the edition and the category whose queue is asked for (?category=KEY, or
// the edition's first), with the edition picker.
func (s *Server) queueCategory(r *http.Request) (*edition.Edition, components.Field, *edition.Category, error) {
	ed, picker, err := s.scope(r)
	if err != nil {
		return nil, picker, nil, err
	}
	cat, err := screening.QueueCategory(ed, r.URL.Query().Get("category"))
	return ed, picker, cat, err
}

// renderQueue shows the queue of cat in ed with a notice and the bulk form f as posted.
func (s *Server) renderQueue(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, cat *edition.Category, notice string, f bulkForm, errs field.Errors) error {
	ctx, q := r.Context(), r.URL.Query()
	filter := screening.Filter{EditionID: ed.ID, CategoryID: cat.ID, EntityType: q.Get("entity_type"), Country: q.Get("country"),
		Status: q.Get("status"), Flag: q.Get("flag"), Sort: q.Get("sort"), Page: queryPage(q)}.Checked(ed)
	list, err := screening.LoadQueue(ctx, s.pool, authz.ActorFrom(ctx), filter)
	if err != nil {
		return err
	}
	v := queueView(ed, cat, filter, list, f, errs)
	v.Page, v.Edition, v.Choose, v.Notice = s.page(r, "Screening, "+cat.Name), picker, len(picker.Options) > 1, notice
	v.Bulk, v.Pager = "/secretariat/screening/bulk?"+r.URL.RawQuery, views.PagerFor("/secretariat/screening", q, list.Page, list.Pages, list.Total, screening.PerPage, "entries")
	return s.render(w, r, status, pages.ScreeningQueue(v))
}

// queueView is the queue of cat with filter f showing list, with the bulk form as posted. No I/O.
func queueView(ed *edition.Edition, cat *edition.Category, f screening.Filter, list screening.QueuePage, bulk bulkForm, errs field.Errors) pages.ScreeningQueueView {
	v := pages.ScreeningQueueView{
		Name: ed.Name, Category: cat.Name, RoundURL: "/secretariat/screening/round?edition=" + strconv.FormatInt(ed.ID, 10),
		Hidden:  []components.Field{{Name: "edition", Value: strconv.FormatInt(ed.ID, 10)}, {Name: "category", Value: cat.Key}},
		Reasons: ineligibleReasonField(cat, bulk.Reason, errs), Errors: errs,
		Text: components.Field{Name: "reason_text", Label: "Explanation (for \"another reason\"; kept in the secretariat's notes)",
			Value: bulk.Text, MaxLength: 2000, Error: errs.Get("reason_text")},
	}
	for i := range ed.Categories {
		v.Categories = append(v.Categories, components.Link{Label: ed.Categories[i].Name, Href: views.ScreeningQueueHref(ed, &ed.Categories[i])})
	}
	sel := func(name, label, value string, choices []screening.Choice, opts ...components.Option) components.Field {
		for _, c := range choices {
			opts = append(opts, components.Option{Value: c.Value, Label: c.Label})
		}
		return components.Field{Name: name, Label: label, Type: "select", Options: choose(value, opts...)}
	}
	types := []screening.Choice{{Value: "", Label: "Any"}}
	for _, t := range ed.EntityTypes {
		if slices.Contains(cat.EligibleTypes, t.Key) || t.Key == f.EntityType {
			types = append(types, screening.Choice{Value: t.Key, Label: t.Name})
		}
	}
	v.Filters = []components.Field{sel("entity_type", "Entity type", f.EntityType, types),
		sel("country", "Country", f.Country, nil, views.CountryOptions("", "Any")...), sel("status", "Decision", f.Status, screening.Statuses),
		sel("flag", "Flags", f.Flag, screening.FlagChoices), sel("sort", "Sort by", f.Sort, screening.Sorts)}
	for _, e := range list.Entries {
		row := pages.ScreeningRow{ID: e.ID, Href: views.ScreeningEntryHref(e.ID), Title: e.Name(), Applicant: e.Applicant,
			Org: e.Organisation, Type: e.EntityType, Country: country.Name(e.Country),
			Submitted: timefmt.Instant(e.SubmittedAt, ed.TimeZone), Decision: e.Status(cat), Flags: e.FlagLabels()}
		if t, ok := ed.EntityType(e.EntityType); ok {
			row.Type = t.Name
		}
		v.Rows = append(v.Rows, row)
	}
	if list.ClosedAt != nil {
		v.Closed = "The round was closed on " + timefmt.Instant(*list.ClosedAt, ed.TimeZone) + ": decisions can no longer change."
	}
	return v
}

// screeningBulk decides the selected entries at once (POST /secretariat/screening/bulk;
// screening.Service.DecideMany): entries with a final decision already are left alone.
func (s *Server) screeningBulk(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f bulkForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	ed, picker, cat, err := s.queueCategory(r)
	if err != nil {
		return err
	}
	res, err := s.screening.DecideMany(ctx, authz.ActorFrom(ctx), ed, cat, screening.Bulk{IDs: f.IDs, Action: f.Action, Reason: f.Reason, Text: f.Text})
	if status, msg, ok := refusalOf(err); ok {
		return s.renderQueue(w, r, status, ed, picker, cat, msg, bulkForm{Reason: f.Reason}, nil)
	}
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderQueue(w, r, http.StatusUnprocessableEntity, ed, picker, cat, "", f, errs)
	}, res.Summary(), "/secretariat/screening?"+r.URL.RawQuery)
}

// staffEntry loads entry {id} for the acting secretariat member, with its edition and category.
func (s *Server) staffEntry(r *http.Request) (screening.Staffed, error) {
	return byID(r, func(ctx context.Context, actor authz.Actor, id int64) (screening.Staffed, error) {
		return screening.LoadStaffed(ctx, s.pool, actor, id)
	})
}

// decisionForm is the screening view's form.
type decisionForm struct {
	Decision  string `form:"decision"`
	Reason    string `form:"reason"`
	Text      string `form:"reason_text"`
	Revision  string `form:"revision_reason"`
	AskReview string `form:"ask_review"`
	Note      string `form:"review_note"`
}

// renderEntry shows the screening view of st with the form f as posted (nil: the decision in
// force), its checklist answers and problems.
func (s *Server) renderEntry(w http.ResponseWriter, r *http.Request, status int, st screening.Staffed, f *decisionForm, checks map[string]string, errs field.Errors) error {
	actor := authz.ActorFrom(r.Context())
	p, err := s.clarifications.EntryPage(r.Context(), actor, st)
	if err != nil {
		return err
	}
	view := entryView(&p.EntryPage, actor.UserID, f, checks, errs)
	view.Page = s.page(r, "Screening: "+st.Entry.Title)
	// The clarification thread is the clarifications' own panel (DOMAIN.md "Round 1").
	clar := pages.ClarificationPanel(clarPanelView(p.Panel, st.Entry, st.Edition, clarAskDraft{}, nil))
	view.Panels = slices.DeleteFunc([]templ.Component{views.ConflictPanel(p.Conflicts), clar, views.ContextPanelOf(p.Context, st.Edition)},
		func(c templ.Component) bool { return c == nil })
	return s.render(w, r, status, pages.ScreeningEntry(view))
}

// entryView is the screening view of p for the secretariat member viewer, with the form f (nil:
// the decision in force), its checklist answers and problems errs. No I/O.
func entryView(p *screening.EntryPage, viewer int64, f *decisionForm, checks map[string]string, errs field.Errors) pages.ScreeningEntryView {
	e, ed, cat, v, loc := p.Entry, p.Edition, p.Category, p.Version, p.Edition.TimeZone
	leadership := ""
	if p.Nomination != nil {
		leadership = p.Nomination.ConsentText(loc) + " " + p.Nomination.LetterText(loc)
	}
	auto := p.AutoChecks(leadership)
	rec := screening.Record{}
	if p.Decision != nil {
		rec = *p.Decision
	}
	if f == nil {
		f, checks = &decisionForm{Decision: string(rec.Decision), Reason: rec.ReasonKey, Text: rec.ReasonText}, rec.Checklist
	}
	href := views.ScreeningEntryHref(e.ID)
	view := pages.ScreeningEntryView{
		Title: e.Title, Back: views.ScreeningQueueHref(ed, cat),
		Tabs: []components.Link{{Label: "Screening", Href: href}, {Label: "History", Href: href + "/history"}},
		Facts: []pages.Fact{
			{Label: "Category", Value: cat.Name},
			{Label: "Applicant", Value: e.Applicant + " <" + e.Email + ">"},
			{Label: "Organisation", Value: e.Organisation},
			{Label: "Entity type and place", Value: e.EntityType + ", " + e.City + ", " + country.Name(e.Country)},
			{Label: "Submitted", Value: timefmt.Instant(e.SubmittedAt, loc) + " (version " + strconv.Itoa(v.Number) + ")"},
		},
		Action: href + "/decision", ReviewURL: href + "/review", Errors: errs,
		Decision: components.Field{Name: "decision", Label: "Decision", Type: "radio", Required: true, Error: errs.Get("decision"),
			Options: choose(f.Decision, components.Option{Value: "eligible", Label: "Eligible"}, components.Option{Value: "ineligible", Label: "Ineligible"},
				components.Option{Value: "clarification", Label: "Clarification needed first (ask below)"})},
		Reason: ineligibleReasonField(cat, f.Reason, errs),
		Text: components.Field{Name: "reason_text", Label: "Notes (never shown to the applicant)", Type: "textarea", Value: f.Text,
			MaxLength: 2000, Error: errs.Get("reason_text"), Hint: "Required for \"another reason\"."},
		Revision: components.Field{Name: "revision_reason", Label: "Why the decision changes", Type: "textarea", Value: f.Revision,
			MaxLength: 2000, Error: errs.Get("revision_reason"), Hint: "Required when you change an earlier decision."},
		AskReview: components.Field{Name: "ask_review", Label: "Ask another secretariat member for a second opinion", Type: "checkbox", Checked: f.AskReview == "yes"},
		Note:      components.Field{Name: "review_note", Label: "Note for the second opinion", Type: "textarea", Value: f.Note, MaxLength: 2000},
	}
	view.Sections = reviewSections(cat.Form, v.Answers, href+"/files/")
	for _, c := range screening.Checklist(cat) {
		label := c.Label
		if c.Auto {
			label += " (checked by the portal)"
		}
		view.Checks = append(view.Checks, pages.CheckView{Key: c.Key, Label: c.Label, Auto: auto[c.Key].Text, Failed: auto[c.Key].Failed,
			Field: components.Field{Name: "check." + c.Key, Label: label, Type: "radio", Options: choose(checks[c.Key],
				components.Option{Value: "yes", Label: "Confirmed"}, components.Option{Value: "no", Label: "Not met"},
				components.Option{Value: "", Label: "Not checked yet"})}})
	}
	if p.Decision != nil {
		view.Current, view.Review = rec.Describe(cat, loc)
		view.CanReview = rec.Reviewable(viewer)
	}
	if p.ClosedAt != nil {
		view.Closed = "The round was closed on " + timefmt.Instant(*p.ClosedAt, loc) + ": the decision can no longer change."
		view.CanReview = false
	}
	return view
}

// screeningEntry shows one entry with its checklist and decision (GET /secretariat/screening/{id}).
func (s *Server) screeningEntry(w http.ResponseWriter, r *http.Request) error {
	st, err := s.staffEntry(r)
	if err != nil {
		return err
	}
	return s.renderEntry(w, r, http.StatusOK, st, nil, nil, nil)
}

// screeningDecide saves the decision (POST /secretariat/screening/{id}/decision;
// screening.Service.Decide).
func (s *Server) screeningDecide(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f decisionForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	st, err := s.staffEntry(r)
	if err != nil {
		return err
	}
	checks := screening.Answers(st.Category, r.PostForm.Get)
	d := screening.Decision(f.Decision)
	if d != screening.Ineligible {
		f.Reason = "" // only an ineligible entry has a reason
	}
	err = s.screening.Decide(ctx, authz.ActorFrom(ctx), st.Edition, st.Entry.ID, screening.Input{Decision: d, ReasonKey: f.Reason,
		ReasonText: f.Text, Checklist: checks, RevisionReason: f.Revision, AskReview: f.AskReview == "yes", ReviewNote: f.Note})
	if status, msg, ok := refusalOf(err); ok {
		return s.renderEntry(w, r, status, st, &f, checks, field.Errors{{Field: "decision", Message: msg}})
	}
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderEntry(w, r, http.StatusUnprocessableEntity, st, &f, checks, errs)
	}, "The decision was saved: "+d.Label()+".", views.ScreeningEntryHref(st.Entry.ID))
}

type reviewForm struct {
	Outcome string `form:"outcome"`
	Note    string `form:"review_note"`
}

// screeningReview records a second opinion (POST /secretariat/screening/{id}/review;
// screening.Service.GiveReview): by another member than the one who asked.
func (s *Server) screeningReview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f reviewForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	st, err := s.staffEntry(r)
	if err != nil {
		return err
	}
	err = s.screening.GiveReview(ctx, authz.ActorFrom(ctx), st.Edition, st.Entry.ID, f.Outcome, f.Note)
	return s.flashThen(w, r, err, views.ScreeningEntryHref(st.Entry.ID), func() string { return "Your second opinion was recorded." })
}

// screeningHistory lists every recorded action on the entry (GET /secretariat/screening/{id}/history).
func (s *Server) screeningHistory(w http.ResponseWriter, r *http.Request) error {
	st, err := s.staffEntry(r)
	if err != nil {
		return err
	}
	q, e := r.URL.Query(), st.Entry
	page, err := audit.Search(r.Context(), s.pool, audit.Filter{ObjectType: "application", ObjectID: strconv.FormatInt(e.ID, 10), Page: queryPage(q)})
	if err != nil {
		return err
	}
	href := views.ScreeningEntryHref(e.ID)
	v := pages.ScreeningHistoryView{Page: s.page(r, "History: "+e.Title), Title: e.Title, Back: views.ScreeningQueueHref(st.Edition, st.Category),
		Tabs:  []components.Link{{Label: "History", Href: href + "/history"}, {Label: "Screening", Href: href}},
		Pager: views.PagerFor(href+"/history", q, page.Page, page.Pages, page.Total, audit.PerPage, "entries")}
	for _, row := range page.Rows {
		v.Rows = append(v.Rows, pages.HistoryRow{At: row.At.UTC().Format("2 Jan 2006, 15:04 MST"), Actor: row.Who(), Action: row.Action, Details: row.DetailsText()})
	}
	return s.render(w, r, http.StatusOK, pages.ScreeningHistory(v))
}

// screeningFile sends a file of an entry to the secretariat (GET /secretariat/screening/{id}/files/{file}).
func (s *Server) screeningFile(w http.ResponseWriter, r *http.Request) error {
	st, err := s.staffEntry(r)
	if err != nil {
		return err
	}
	_, fileID, err := routeFile(r)
	if err != nil {
		return err
	}
	f, err := application.StaffFile(r.Context(), s.pool, authz.ActorFrom(r.Context()).UserID, st.Entry.ID, fileID)
	if err != nil {
		return err
	}
	return s.sendStored(w, r, f)
}

func (s *Server) renderRound(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, notice string) error {
	ctx := r.Context()
	round, err := s.clarifications.RoundPage(ctx, authz.ActorFrom(ctx), ed)
	if err != nil {
		return err
	}
	v := roundView(ed, round, s.now())
	v.Page, v.Edition, v.Choose, v.Notice = s.page(r, "Round 1 summary, "+ed.Name), picker, len(picker.Options) > 1, notice
	return s.render(w, r, status, pages.ScreeningRound(v))
}

// roundView is the round summary of ed at now. No I/O.
func roundView(ed *edition.Edition, round screening.RoundPage, now time.Time) pages.ScreeningRoundView {
	v := pages.ScreeningRoundView{Name: ed.Name, Action: "/secretariat/screening/round/close?edition=" + strconv.FormatInt(ed.ID, 10),
		Back: views.ScreeningQueueHref(ed, nil), OpenClarifications: round.OpenClarifications,
		Outcome: "at once (the end of the screening window has passed)"}
	for i := range ed.Categories {
		n := round.Of(ed.Categories[i].ID)
		v.Counts = append(v.Counts, pages.RoundCount{Category: ed.Categories[i].Name, Undecided: n[screening.Undecided],
			Clarification: n[screening.Clarification], Eligible: n[screening.Eligible], Ineligible: n[screening.Ineligible]})
	}
	if at := screening.OutcomeDate(ed, now); !at.IsZero() {
		v.Outcome = "on " + timefmt.Instant(at, ed.TimeZone) + ", the end of the screening window"
	}
	if round.ClosedAt != nil {
		v.Closed = "The round was closed on " + timefmt.Instant(*round.ClosedAt, ed.TimeZone) + ". The eligible entries go on to round 2."
	}
	return v
}

// screeningRound shows the round summary (GET /secretariat/screening/round).
func (s *Server) screeningRound(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	return s.renderRound(w, r, http.StatusOK, ed, picker, "")
}

// screeningClose closes the round (POST /secretariat/screening/round/close;
// screening.Service.CloseRound): refused while any entry lacks a final decision; then every
// applicant's outcome email is queued for the date the schedule announces it.
func (s *Server) screeningClose(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	n, err := s.screening.CloseRound(ctx, authz.ActorFrom(ctx), ed)
	if status, msg, ok := refusalOf(err); ok {
		return s.renderRound(w, r, status, ed, picker, msg)
	} else if err != nil {
		return err
	}
	s.flash(ctx, "Round 1 is closed. "+strconv.Itoa(n)+" outcome emails are scheduled.")
	return redirect(w, r, "/secretariat/screening/round?edition="+strconv.FormatInt(ed.ID, 10))
}
