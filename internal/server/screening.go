package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"prizeportal/internal/application"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/clarify"
	"prizeportal/internal/country"
	"prizeportal/internal/edition"
	"prizeportal/internal/fault"
	"prizeportal/internal/field"
	"prizeportal/internal/files"
	"prizeportal/internal/form"
	"prizeportal/internal/screening"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Round 1, the secretariat's screening (issue 6; DOMAIN.md "Round 1"): the queue per category
// with filters, sorting, pages and bulk decisions; the screening view (the entry as submitted
// beside a checklist the portal pre-fills, the decision and a second opinion); the entry's
// history; the round summary and closing, which schedules the outcome emails for the date the
// schedule announces them. The route policy lets in the secretariat; every query repeats the
// edition check in SQL (internal/screening), so another edition's entry is a 404.

func screeningEntryHref(id int64) string {
	return "/secretariat/screening/" + strconv.FormatInt(id, 10)
}

// screeningCategory is the category the queue shows: ?category=KEY, or the edition's first.
func screeningCategory(r *http.Request, ed *edition.Edition) (*edition.Category, error) {
	if len(ed.Categories) == 0 {
		return nil, errNotFound
	}
	key := r.URL.Query().Get("category")
	if key == "" {
		return &ed.Categories[0], nil
	}
	c, ok := ed.Category(key)
	if !ok {
		return nil, errNotFound
	}
	return c, nil
}

// decisionLabel describes an entry's decision for the queue.
func decisionLabel(e screening.Entry, cat *edition.Category) string {
	l := e.Decision.Label()
	if e.Decision == screening.Ineligible {
		if r := screening.ReasonLabel(cat, e.ReasonKey); r != "" {
			l += ": " + r
		}
	}
	if e.ReviewPending {
		l += " (second opinion asked)"
	}
	return l
}

func flagLabel(kind string) string {
	switch kind {
	case "conflict":
		return "Conflict of interest"
	case "evaluator-conflict":
		return "Evaluator conflict"
	}
	return kind
}

func (s *Server) reasonField(cat *edition.Category, selected string, errs field.Errors) components.Field {
	opts := []components.Option{{Value: "", Label: "Choose a reason"}}
	for _, c := range screening.Reasons(cat) {
		opts = append(opts, components.Option{Value: c.Key, Label: c.Reason, Selected: c.Key == selected})
	}
	return components.Field{Name: "reason", Label: "Reason for ineligibility", Type: "select", Options: opts,
		Error: errs.Get("reason"), Hint: "Required when the entry is ineligible. The applicant is told this reason."}
}

// screeningQueue lists one category's entries (GET /secretariat/screening).
func (s *Server) screeningQueue(w http.ResponseWriter, r *http.Request) error {
	return s.renderQueue(w, r, http.StatusOK, "", nil, "")
}

func (s *Server) renderQueue(w http.ResponseWriter, r *http.Request, status int, notice string, errs field.Errors, text string) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	cat, err := screeningCategory(r, ed)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := screening.Filter{EditionID: ed.ID, CategoryID: cat.ID, EntityType: q.Get("entity_type"), Country: q.Get("country"),
		Status: q.Get("status"), Flag: q.Get("flag"), Sort: q.Get("sort"), Page: queryPage(q)}
	if !slices.Contains([]string{"", "undecided", "eligible", "ineligible", "clarification", "review"}, f.Status) {
		f.Status = ""
	}
	if !slices.Contains([]string{"", "flagged", "conflict", "evaluator-conflict"}, f.Flag) {
		f.Flag = ""
	}
	if _, ok := ed.EntityType(f.EntityType); !ok {
		f.EntityType = ""
	}
	if !country.Valid(f.Country) {
		f.Country = ""
	}
	list, err := screening.LoadQueue(ctx, s.pool, authz.ActorFrom(ctx), f)
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.ScreeningQueue(s.queueView(r, ed, picker, cat, f, list, notice, errs, text)))
}

// queueView is the queue page of cat with filter f.
func (s *Server) queueView(r *http.Request, ed *edition.Edition, picker components.Field, cat *edition.Category, f screening.Filter, list screening.QueuePage, notice string, errs field.Errors, text string) pages.ScreeningQueueView {
	q := r.URL.Query()
	edq := "edition=" + strconv.FormatInt(ed.ID, 10)
	v := pages.ScreeningQueueView{
		Page: s.page(r, "Screening, "+cat.Name), Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name,
		Category: cat.Name, Bulk: "/secretariat/screening/bulk?" + r.URL.RawQuery, RoundURL: "/secretariat/screening/round?" + edq,
		Hidden:  []components.Field{{Name: "edition", Value: strconv.FormatInt(ed.ID, 10)}, {Name: "category", Value: cat.Key}},
		Pager:   pagerFor("/secretariat/screening", q, list.Page, list.Pages, list.Total, screening.PerPage, "entries"),
		Reasons: s.reasonField(cat, r.PostFormValue("reason"), errs), Notice: notice, Errors: errs,
		Text: components.Field{Name: "reason_text", Label: "Explanation (for \"another reason\"; kept in the secretariat's notes)",
			Value: text, MaxLength: 2000, Error: errs.Get("reason_text")},
	}
	for i := range ed.Categories {
		c := &ed.Categories[i]
		v.Categories = append(v.Categories, components.Link{Label: c.Name, Href: "/secretariat/screening?" + edq + "&category=" + c.Key})
	}
	sel := func(name, label, value string, opts ...components.Option) components.Field {
		for i := range opts {
			opts[i].Selected = opts[i].Value == value
		}
		return components.Field{Name: name, Label: label, Type: "select", Options: opts}
	}
	types := []components.Option{{Value: "", Label: "Any"}}
	for _, t := range ed.EntityTypes {
		if slices.Contains(cat.EligibleTypes, t.Key) || t.Key == f.EntityType {
			types = append(types, components.Option{Value: t.Key, Label: t.Name})
		}
	}
	v.Filters = []components.Field{
		sel("entity_type", "Entity type", f.EntityType, types...),
		sel("country", "Country", f.Country, countryOptions("", "Any")...),
		sel("status", "Decision", f.Status, components.Option{Value: "", Label: "Any"},
			components.Option{Value: "undecided", Label: "Not decided"}, components.Option{Value: "clarification", Label: "Clarification requested"},
			components.Option{Value: "eligible", Label: "Eligible"}, components.Option{Value: "ineligible", Label: "Ineligible"},
			components.Option{Value: "review", Label: "Second opinion asked"}),
		sel("flag", "Flags", f.Flag, components.Option{Value: "", Label: "Any"}, components.Option{Value: "flagged", Label: "Any flag"},
			components.Option{Value: "conflict", Label: "Conflict of interest"}, components.Option{Value: "evaluator-conflict", Label: "Evaluator conflict"}),
		sel("sort", "Sort by", f.Sort, components.Option{Value: "", Label: "Submission time, oldest first"},
			components.Option{Value: "applicant", Label: "Applicant name"}, components.Option{Value: "country", Label: "Country"}),
	}
	for _, e := range list.Entries {
		row := pages.ScreeningRow{ID: e.ID, Href: screeningEntryHref(e.ID), Title: e.Title, Applicant: e.Applicant,
			Org: e.Organisation, Type: e.EntityType, Country: country.Name(e.Country),
			Submitted: formatInstant(e.SubmittedAt, ed.TimeZone), Decision: decisionLabel(e, cat)}
		if t, ok := ed.EntityType(e.EntityType); ok {
			row.Type = t.Name
		}
		if row.Title == "" {
			row.Title = "Untitled entry " + strconv.FormatInt(e.ID, 10)
		}
		for _, fl := range e.Flags {
			row.Flags = append(row.Flags, flagLabel(fl))
		}
		v.Rows = append(v.Rows, row)
	}
	if list.ClosedAt != nil {
		v.Closed = "The round was closed on " + formatInstant(*list.ClosedAt, ed.TimeZone) + ": decisions can no longer change."
	}
	return v
}

type bulkForm struct {
	IDs    []int64 `form:"ids"`
	Action string  `form:"action"`
	Reason string  `form:"reason"`
	Text   string  `form:"reason_text"`
}

// screeningBulk decides the selected entries at once (POST /secretariat/screening/bulk): mark
// them eligible or ineligible (with a reason), or ask for a second opinion. Entries with a final
// decision already are left alone (a change of decision needs its own reason, on its page).
func (s *Server) screeningBulk(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f bulkForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	ed, _, err := s.scope(r)
	if err != nil {
		return err
	}
	cat, err := screeningCategory(r, ed)
	if err != nil {
		return err
	}
	res, err := s.screening.DecideMany(ctx, authz.ActorFrom(ctx), ed, cat, screening.Bulk{IDs: f.IDs, Action: f.Action, Reason: f.Reason, Text: f.Text})
	var errs field.Errors
	if errors.As(err, &errs) {
		return s.renderQueue(w, r, http.StatusUnprocessableEntity, "", errs, f.Text)
	}
	if errors.Is(err, screening.ErrRoundClosed) {
		return s.renderQueue(w, r, http.StatusConflict, "The round is closed: decisions can no longer change.", nil, "")
	}
	if err != nil {
		return err
	}
	done, skipped := res.Done, res.Skipped
	msg := strconv.Itoa(done) + " entries updated."
	if skipped > 0 {
		msg += " " + strconv.Itoa(skipped) + " left as they were: they already had a final decision (change it on the entry's page, with a reason) or had no decision to review."
	}
	s.flash(ctx, msg)
	return redirect(w, r, "/secretariat/screening?"+r.URL.RawQuery)
}

// staffEntry loads entry {id} for the acting secretariat member, with its edition and category.
func (s *Server) staffEntry(r *http.Request) (screening.Entry, *edition.Edition, *edition.Category, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return screening.Entry{}, nil, nil, errNotFound
	}
	st, err := screening.LoadStaffed(r.Context(), s.pool, authz.ActorFrom(r.Context()), id)
	return st.Entry, st.Edition, st.Category, err
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

// autoChecks works out what the portal can check itself, by check key: a sentence, and
// whether the check failed.
func autoChecks(p *screening.EntryPage) (map[string]string, map[string]bool) {
	e, ed, cat, v := p.Entry, p.Edition, p.Category, p.Version
	text, failed := map[string]string{}, map[string]bool{}
	et := e.EntityType
	if t, ok := ed.EntityType(e.EntityType); ok {
		et = t.Name
	}
	if slices.Contains(cat.EligibleTypes, e.EntityType) {
		text[screening.CheckEntityType] = "Passed: registered as " + et + "."
	} else {
		text[screening.CheckEntityType], failed[screening.CheckEntityType] = "Failed: registered as "+et+", which this category does not accept.", true
	}
	if errs := form.Validate(cat.Form, v.Answers, form.Submit); errs.Any() {
		text[screening.CheckComplete], failed[screening.CheckComplete] = "Failed: "+strconv.Itoa(len(errs))+" required answers are missing or invalid in the submitted version.", true
	} else {
		text[screening.CheckComplete] = "Passed: every required answer is given (submitted version " + strconv.Itoa(v.Number) + ")."
	}
	if slices.Contains(e.Flags, "conflict") {
		text[screening.CheckNotBarred], failed[screening.CheckNotBarred] = "Failed: the entry matches the conflict-of-interest registry (see below).", true
	} else {
		text[screening.CheckNotBarred] = "Passed: no match in the conflict-of-interest registry."
	}
	nfiles := 0
	for _, a := range v.Answers {
		nfiles += len(a.Files)
	}
	text[screening.CheckDocuments] = strconv.Itoa(nfiles) + " documents attached; each passed the file type check on upload. Open them to confirm they are readable."
	if cat.Kind == edition.KindProject {
		text[screening.CheckDuplicate] = "Compare with the likely duplicates across categories: /secretariat/duplicates?edition=" + strconv.FormatInt(ed.ID, 10)
	}
	if n := p.Nomination; cat.Nominations != nil && n != nil {
		if n.Complete(cat.Nominations) {
			text[screening.CheckLeadership] = "Passed: " + consentLabel(n, ed.TimeZone) + " " + letterLabel(n, ed.TimeZone) + " " + strconv.Itoa(n.Endorsements) + " confirmed endorsements."
		} else {
			text[screening.CheckLeadership], failed[screening.CheckLeadership] = "Failed: "+strings.Join(n.Problems(cat.Nominations), " "), true
		}
	}
	return text, failed
}

func (s *Server) renderEntry(w http.ResponseWriter, r *http.Request, status int, e screening.Entry, ed *edition.Edition, cat *edition.Category, f *decisionForm, checks map[string]string, errs field.Errors) error {
	actor := authz.ActorFrom(r.Context())
	p, err := screening.LoadEntryPage(r.Context(), s.pool, actor, screening.Staffed{Entry: e, Edition: ed, Category: cat})
	if err != nil {
		return err
	}
	view := s.entryView(r, &p, actor, f, checks, errs)
	// The clarification thread is the clarifications' own panel, loaded by them.
	clar, err := s.clarificationPanel(r, e, ed)
	if err != nil {
		return err
	}
	view.Panels = slices.DeleteFunc([]templ.Component{conflictPanel(p.Conflicts), clar, contextPanelOf(p.Context, ed)},
		func(c templ.Component) bool { return c == nil })
	return s.render(w, r, status, pages.ScreeningEntry(view))
}

// entryView is the screening view of p for actor, with the form f (nil: the decision in force)
// and its problems errs.
func (s *Server) entryView(r *http.Request, p *screening.EntryPage, actor authz.Actor, f *decisionForm, checks map[string]string, errs field.Errors) pages.ScreeningEntryView {
	e, ed, cat, v := p.Entry, p.Edition, p.Category, p.Version
	loc := ed.TimeZone
	auto, failed := autoChecks(p)
	var rec screening.Record
	hasDecision := p.Decision != nil
	if hasDecision {
		rec = *p.Decision
	}
	if f == nil {
		f = &decisionForm{Decision: string(rec.Decision), Reason: rec.ReasonKey, Text: rec.ReasonText}
		checks = rec.Checklist
	}
	href := screeningEntryHref(e.ID)
	fileURL := func(ref form.FileRef) string { return href + "/files/" + ref.ID }
	view := pages.ScreeningEntryView{
		Page:  s.page(r, "Screening: "+e.Title),
		Title: e.Title, Back: "/secretariat/screening?edition=" + strconv.FormatInt(ed.ID, 10) + "&category=" + cat.Key,
		Tabs: []components.Link{{Label: "Screening", Href: href}, {Label: "History", Href: href + "/history"}},
		Facts: []pages.Fact{
			{Label: "Category", Value: cat.Name},
			{Label: "Applicant", Value: e.Applicant + " <" + e.Email + ">"},
			{Label: "Organisation", Value: e.Organisation},
			{Label: "Entity type and place", Value: e.EntityType + ", " + e.City + ", " + country.Name(e.Country)},
			{Label: "Submitted", Value: formatInstant(e.SubmittedAt, loc) + " (version " + strconv.Itoa(v.Number) + ")"},
		},
		Action: href + "/decision", ReviewURL: href + "/review", Errors: errs,
	}
	for i := range cat.Form.Sections {
		sec := &cat.Form.Sections[i]
		view.Sections = append(view.Sections, pages.ReviewSection{Title: sec.Title, Questions: reviewQuestions(cat.Form, sec, v.Answers, fileURL)})
	}
	for _, c := range screening.Checklist(cat) {
		label := c.Label
		if c.Auto {
			label += " (checked by the portal)"
		}
		cv := pages.CheckView{Key: c.Key, Label: c.Label, Auto: auto[c.Key], Failed: failed[c.Key],
			Field: components.Field{Name: "check." + c.Key, Label: label, Type: "radio", Options: []components.Option{
				{Value: "yes", Label: "Confirmed", Selected: checks[c.Key] == "yes"},
				{Value: "no", Label: "Not met", Selected: checks[c.Key] == "no"},
				{Value: "", Label: "Not checked yet", Selected: checks[c.Key] == ""},
			}}}
		view.Checks = append(view.Checks, cv)
	}
	decisions := []components.Option{
		{Value: "eligible", Label: "Eligible"}, {Value: "ineligible", Label: "Ineligible"},
		{Value: "clarification", Label: "Clarification needed first (ask below)"},
	}
	for i := range decisions {
		decisions[i].Selected = decisions[i].Value == f.Decision
	}
	view.Decision = components.Field{Name: "decision", Label: "Decision", Type: "radio", Options: decisions, Required: true, Error: errs.Get("decision")}
	view.Reason = s.reasonField(cat, f.Reason, errs)
	view.Text = components.Field{Name: "reason_text", Label: "Notes (never shown to the applicant)", Type: "textarea", Value: f.Text,
		MaxLength: 2000, Error: errs.Get("reason_text"), Hint: "Required for \"another reason\"."}
	view.Revision = components.Field{Name: "revision_reason", Label: "Why the decision changes", Type: "textarea", Value: f.Revision,
		MaxLength: 2000, Error: errs.Get("revision_reason"), Hint: "Required when you change an earlier decision."}
	view.AskReview = components.Field{Name: "ask_review", Label: "Ask another secretariat member for a second opinion", Type: "checkbox", Checked: f.AskReview == "yes"}
	view.Note = components.Field{Name: "review_note", Label: "Note for the second opinion", Type: "textarea", Value: f.Note, MaxLength: 2000}
	if hasDecision {
		view.Current = "Decision in force: " + rec.Decision.Label()
		if rec.Decision == screening.Ineligible {
			view.Current += " (" + screening.ReasonLabel(cat, rec.ReasonKey) + ")"
		}
		view.Current += ", by " + rec.DecidedByName + " on " + formatInstant(rec.DecidedAt, loc) + "."
		if rec.Revision > 1 {
			view.Current += " Revision " + strconv.Itoa(rec.Revision) + ": " + rec.RevisionReason
		}
		switch {
		case rec.ReviewedAt != nil:
			view.Review = "Second opinion by " + rec.ReviewedByName + " on " + formatInstant(*rec.ReviewedAt, loc) + ": " + rec.ReviewOutcome + ". " + rec.ReviewNote
		case rec.ReviewRequestedAt != nil:
			view.Review = "A second opinion was asked on " + formatInstant(*rec.ReviewRequestedAt, loc) + ". " + rec.ReviewNote
			view.CanReview = rec.ReviewRequestedBy != nil && *rec.ReviewRequestedBy != actor.UserID
		}
	}
	if p.ClosedAt != nil {
		view.Closed = "The round was closed on " + formatInstant(*p.ClosedAt, loc) + ": the decision can no longer change."
		view.CanReview = false
	}
	return view
}

// screeningEntry shows one entry with its checklist and decision (GET /secretariat/screening/{id}).
func (s *Server) screeningEntry(w http.ResponseWriter, r *http.Request) error {
	e, ed, cat, err := s.staffEntry(r)
	if err != nil {
		return err
	}
	return s.renderEntry(w, r, http.StatusOK, e, ed, cat, nil, nil, nil)
}

// screeningDecide saves the decision (POST /secretariat/screening/{id}/decision).
func (s *Server) screeningDecide(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f decisionForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	e, ed, cat, err := s.staffEntry(r)
	if err != nil {
		return err
	}
	checks := map[string]string{}
	for _, c := range screening.Checklist(cat) {
		if v := r.PostForm.Get("check." + c.Key); v == "yes" || v == "no" {
			checks[c.Key] = v
		}
	}
	d := screening.Decision(f.Decision)
	if d != screening.Ineligible {
		f.Reason = "" // only an ineligible entry has a reason
	}
	in := screening.Input{Decision: d, ReasonKey: f.Reason, ReasonText: f.Text, Checklist: checks,
		RevisionReason: f.Revision, AskReview: f.AskReview == "yes", ReviewNote: f.Note}
	err = s.screening.Decide(ctx, authz.ActorFrom(ctx), ed, e.ID, in)
	var errs field.Errors
	if errors.As(err, &errs) {
		return s.renderEntry(w, r, http.StatusUnprocessableEntity, e, ed, cat, &f, checks, errs)
	}
	if errors.Is(err, screening.ErrRoundClosed) {
		return s.renderEntry(w, r, http.StatusConflict, e, ed, cat, &f, checks, field.Errors{{Field: "decision", Message: "The round is closed: the decision can no longer change."}})
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "The decision was saved: "+d.Label()+".")
	return redirect(w, r, screeningEntryHref(e.ID))
}

type reviewForm struct {
	Outcome string `form:"outcome"`
	Note    string `form:"review_note"`
}

// screeningReview records a second opinion (POST /secretariat/screening/{id}/review): by
// another member than the one who asked.
func (s *Server) screeningReview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f reviewForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	e, ed, _, err := s.staffEntry(r)
	if err != nil {
		return err
	}
	err = s.screening.GiveReview(ctx, authz.ActorFrom(ctx), ed, e.ID, f.Outcome, f.Note)
	switch {
	case errors.Is(err, screening.ErrRoundClosed):
		s.flash(ctx, "The round is closed.")
		return redirect(w, r, screeningEntryHref(e.ID))
	case errors.Is(err, screening.ErrNoOutcome), errors.Is(err, screening.ErrNoReview):
		fe, _ := fault.As(err)
		s.flash(ctx, fe.Message)
		return redirect(w, r, screeningEntryHref(e.ID))
	case err != nil:
		return err
	}
	s.flash(ctx, "Your second opinion was recorded.")
	return redirect(w, r, screeningEntryHref(e.ID))
}

// screeningHistory lists every recorded action on the entry (GET /secretariat/screening/{id}/history).
func (s *Server) screeningHistory(w http.ResponseWriter, r *http.Request) error {
	e, ed, cat, err := s.staffEntry(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := audit.Search(r.Context(), s.pool, audit.Filter{ObjectType: "application", ObjectID: strconv.FormatInt(e.ID, 10), Page: queryPage(q)})
	if err != nil {
		return err
	}
	href := screeningEntryHref(e.ID)
	v := pages.ScreeningHistoryView{Page: s.page(r, "History: "+e.Title), Title: e.Title,
		Back:  "/secretariat/screening?edition=" + strconv.FormatInt(ed.ID, 10) + "&category=" + cat.Key,
		Tabs:  []components.Link{{Label: "History", Href: href + "/history"}, {Label: "Screening", Href: href}},
		Pager: pagerFor(href+"/history", q, page.Page, page.Pages, page.Total, audit.PerPage, "entries")}
	for _, row := range page.Rows {
		who := row.ActorName
		if who == "" {
			who = row.ActorLabel
		}
		if who == "" {
			who = "Someone without an account"
		}
		v.Rows = append(v.Rows, pages.HistoryRow{At: row.At.UTC().Format("2 Jan 2006, 15:04 MST"), Actor: who, Action: row.Action, Details: detailsText(row.Details)})
	}
	return s.render(w, r, http.StatusOK, pages.ScreeningHistory(v))
}

// screeningFile sends a file of an entry to the secretariat (GET /secretariat/screening/{id}/files/{file}).
func (s *Server) screeningFile(w http.ResponseWriter, r *http.Request) error {
	e, _, _, err := s.staffEntry(r)
	if err != nil {
		return err
	}
	fileID, err := strconv.ParseInt(chi.URLParam(r, "file"), 10, 64)
	if err != nil {
		return errNotFound
	}
	f, err := application.StaffFile(r.Context(), s.pool, authz.ActorFrom(r.Context()).UserID, e.ID, fileID)
	if err != nil {
		return err
	}
	return files.Serve(w, r, s.files, f)
}

func (s *Server) renderRound(w http.ResponseWriter, r *http.Request, status int, notice string) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	round, err := screening.LoadRound(ctx, s.pool, actor, ed.ID)
	if err != nil {
		return err
	}
	open, err := clarify.OpenInEdition(ctx, s.pool, actor.UserID, ed.ID, s.now())
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.ScreeningRound(s.roundView(r, ed, picker, round, open, notice)))
}

// roundView is the round summary of ed.
func (s *Server) roundView(r *http.Request, ed *edition.Edition, picker components.Field, round screening.RoundPage, open int, notice string) pages.ScreeningRoundView {
	view := pages.ScreeningRoundView{Page: s.page(r, "Round 1 summary, "+ed.Name), Edition: picker, Choose: len(picker.Options) > 1,
		Name: ed.Name, Action: "/secretariat/screening/round/close?edition=" + strconv.FormatInt(ed.ID, 10), Notice: notice,
		Back: "/secretariat/screening?edition=" + strconv.FormatInt(ed.ID, 10)}
	for i := range ed.Categories {
		rc := pages.RoundCount{Category: ed.Categories[i].Name}
		for _, c := range round.Counts {
			if c.CategoryID != ed.Categories[i].ID {
				continue
			}
			switch c.Decision {
			case screening.Undecided:
				rc.Undecided = c.Entries
			case screening.Clarification:
				rc.Clarification = c.Entries
			case screening.Eligible:
				rc.Eligible = c.Entries
			case screening.Ineligible:
				rc.Ineligible = c.Entries
			}
		}
		view.Counts = append(view.Counts, rc)
	}
	view.OpenClarifications = open
	if at := screening.OutcomeDate(ed, s.now()); at.IsZero() {
		view.Outcome = "at once (the end of the screening window has passed)"
	} else {
		view.Outcome = "on " + formatInstant(at, ed.TimeZone) + ", the end of the screening window"
	}
	if round.ClosedAt != nil {
		view.Closed = "The round was closed on " + formatInstant(*round.ClosedAt, ed.TimeZone) + ". The eligible entries go on to round 2."
	}
	return view
}

// screeningRound shows the round summary (GET /secretariat/screening/round).
func (s *Server) screeningRound(w http.ResponseWriter, r *http.Request) error {
	return s.renderRound(w, r, http.StatusOK, "")
}

// screeningClose closes the round (POST /secretariat/screening/round/close): refused while any
// entry lacks a final decision; then every applicant's outcome email is queued for the date the
// schedule announces it.
func (s *Server) screeningClose(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	ed, _, err := s.scope(r)
	if err != nil {
		return err
	}
	n, err := s.screening.CloseRound(ctx, authz.ActorFrom(ctx), ed)
	switch {
	case errors.Is(err, screening.ErrUndecided):
		return s.renderRound(w, r, http.StatusConflict, "The round cannot close yet: every entry needs a final decision (eligible or ineligible). Entries not decided, or waiting for a clarification, are counted below.")
	case errors.Is(err, screening.ErrRoundClosed):
		return s.renderRound(w, r, http.StatusConflict, "The round is already closed.")
	case err != nil:
		return err
	}
	s.flash(ctx, "Round 1 is closed. "+strconv.Itoa(n)+" outcome emails are scheduled.")
	return redirect(w, r, "/secretariat/screening/round?edition="+strconv.FormatInt(ed.ID, 10))
}

// detailsText shows an audit entry's JSON details as "key: value" pairs, keys in order.
func detailsText(raw string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil || len(m) == 0 {
		return raw
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := m[k]
		var text string
		switch x := v.(type) {
		case string:
			text = x
		default:
			b, _ := json.Marshal(x)
			text = string(b)
		}
		if text == "" || text == "{}" {
			continue
		}
		parts = append(parts, k+": "+text)
	}
	return strings.Join(parts, "; ")
}
