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
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
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

// screeningQueue lists one category's entries (GET /secretariat/screening).
func (s *Server) screeningQueue(w http.ResponseWriter, r *http.Request) error {
	ed, picker, cat, err := s.queueCategory(r)
	if err != nil {
		return err
	}
	return s.renderQueue(w, r, http.StatusOK, ed, picker, cat, "", views.BulkForm{}, nil)
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
func (s *Server) renderQueue(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, cat *edition.Category, notice string, f views.BulkForm, errs field.Errors) error {
	ctx, q := r.Context(), r.URL.Query()
	filter := screening.Filter{EditionID: ed.ID, CategoryID: cat.ID, EntityType: q.Get("entity_type"), Country: q.Get("country"),
		Status: q.Get("status"), Flag: q.Get("flag"), Sort: q.Get("sort"), Page: queryPage(q), Now: s.now(),
		Nominations: cat.Nominations != nil}.Checked(ed)
	list, err := screening.LoadQueue(ctx, s.pool, authz.ActorFrom(ctx), ed, filter)
	if err != nil {
		return err
	}
	v := views.ScreeningQueue(ed, cat, filter, list, f, errs)
	v.Page, v.Edition, v.Choose, v.Notice = s.page(r, i18n.Msg("Screening, {{.Category}}", "Category", cat.Name)), picker, len(picker.Options) > 1, notice
	v.Bulk, v.Pager = "/secretariat/screening/bulk?"+r.URL.RawQuery, views.PagerFor("/secretariat/screening", q, list.Page, list.Pages, list.Total, screening.PerPage, "entries")
	return s.render(w, r, status, pages.ScreeningQueue(v))
}

// screeningBulk decides the selected entries at once (POST /secretariat/screening/bulk;
// screening.Service.DecideMany): entries with a final decision already are left alone.
func (s *Server) screeningBulk(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f views.BulkForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	ed, picker, cat, err := s.queueCategory(r)
	if err != nil {
		return err
	}
	res, err := s.screening.DecideMany(ctx, authz.ActorFrom(ctx), ed, cat, screening.Bulk{IDs: f.IDs, Action: f.Action, Reason: f.Reason, Text: f.Text})
	if status, msg, ok := refusalOf(err); ok {
		return s.renderQueue(w, r, status, ed, picker, cat, msg, views.BulkForm{Reason: f.Reason}, nil)
	}
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderQueue(w, r, http.StatusUnprocessableEntity, ed, picker, cat, "", f, errs)
	}, res.Message(), "/secretariat/screening?"+r.URL.RawQuery)
}

// staffEntry loads entry {id} for the acting secretariat member, with its edition and category.
func (s *Server) staffEntry(r *http.Request) (screening.Staffed, error) {
	return byID(r, func(ctx context.Context, actor authz.Actor, id int64) (screening.Staffed, error) {
		return screening.LoadStaffed(ctx, s.pool, actor, id)
	})
}

// renderEntry shows the screening view of st with the form f as posted (nil: the decision in
// force), its checklist answers and problems.
func (s *Server) renderEntry(w http.ResponseWriter, r *http.Request, status int, st screening.Staffed, f *views.DecisionForm, checks map[string]string, mf views.MergeForm, errs field.Errors) error {
	actor := authz.ActorFrom(r.Context())
	p, err := s.clarifications.EntryPage(r.Context(), actor, st)
	if err != nil {
		return err
	}
	view := views.ScreeningEntry(&p.EntryPage, actor.UserID, f, checks, errs, s.now())
	view.Page = s.page(r, i18n.Msg("Screening: {{.Entry}}", "Entry", st.Entry.Title))
	// The clarification thread is the clarifications' own panel (DOMAIN.md "Round 1").
	clar := pages.ClarificationPanel(views.ClarPanel(p.Panel, st.Entry, st.Edition, views.ClarAskDraft{}, nil))
	view.Panels = slices.DeleteFunc([]templ.Component{views.MergePanel(&p.EntryPage, mf, errs), views.ConflictPanel(p.Conflicts), clar,
		views.ContextPanelOf(p.Context, st.Edition)},
		func(c templ.Component) bool { return c == nil })
	return s.render(w, r, status, pages.ScreeningEntry(view))
}

// screeningEntry shows one entry with its checklist and decision (GET /secretariat/screening/{id}).
func (s *Server) screeningEntry(w http.ResponseWriter, r *http.Request) error {
	st, err := s.staffEntry(r)
	if err != nil {
		return err
	}
	return s.renderEntry(w, r, http.StatusOK, st, nil, nil, views.MergeForm{}, nil)
}

// screeningDecide saves the decision (POST /secretariat/screening/{id}/decision;
// screening.Service.Decide).
func (s *Server) screeningDecide(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, st, err := formThenLoadOne[views.DecisionForm](w, r, s.staffEntry)
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
		return s.renderEntry(w, r, status, st, &f, checks, views.MergeForm{}, field.Errors{{Field: "decision", Message: msg}})
	}
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderEntry(w, r, http.StatusUnprocessableEntity, st, &f, checks, views.MergeForm{}, errs)
	}, i18n.Msg("The decision was saved: {{.Decision}}.", "Decision", d.Label()), views.ScreeningEntryHref(st.Entry.ID))
}

// screeningMerge merges another nomination of the candidate into the entry (POST
// /secretariat/screening/{id}/merge; screening.Service.Merge), then says what moved.
func (s *Server) screeningMerge(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, st, err := formThenLoadOne[views.MergeForm](w, r, s.staffEntry)
	if err != nil {
		return err
	}
	m, err := s.screening.Merge(ctx, authz.ActorFrom(ctx), st.Edition, st.Entry.ID, f.From, f.Reason, f.Confirm == "yes")
	if status, msg, ok := refusalOf(err); ok {
		return s.renderEntry(w, r, status, st, nil, nil, f, field.Errors{{Field: "merge_from", Message: msg}})
	}
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderEntry(w, r, http.StatusUnprocessableEntity, st, nil, nil, f, errs)
	}, m.Message(), views.ScreeningEntryHref(st.Entry.ID))
}

type reviewForm struct {
	Outcome string `form:"outcome"`
	Note    string `form:"review_note"`
}

// screeningReview records a second opinion (POST /secretariat/screening/{id}/review;
// screening.Service.GiveReview): by another member than the one who asked.
func (s *Server) screeningReview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, st, err := formThenLoadOne[reviewForm](w, r, s.staffEntry)
	if err != nil {
		return err
	}
	err = s.screening.GiveReview(ctx, authz.ActorFrom(ctx), st.Edition, st.Entry.ID, f.Outcome, f.Note)
	return s.flashThen(w, r, err, views.ScreeningEntryHref(st.Entry.ID), func() string { return i18n.M("Your second opinion was recorded.") })
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
	v := pages.ScreeningHistoryView{Page: s.page(r, i18n.Msg("History: {{.Entry}}", "Entry", e.Title)), Title: e.Title, Back: views.ScreeningQueueHref(st.Edition, st.Category),
		Tabs:  []components.Link{{Label: i18n.M("History"), Href: href + "/history"}, {Label: i18n.M("Screening"), Href: href}},
		Pager: views.PagerFor(href+"/history", q, page.Page, page.Pages, page.Total, audit.PerPage, "entries")}
	for _, row := range page.Rows {
		v.Rows = append(v.Rows, pages.HistoryRow{At: i18n.Deadline(row.At, time.UTC), Actor: row.Who(), Action: row.Action, Details: row.DetailsText()})
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

func (s *Server) renderRound(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, notice string, f reasonForm, errs field.Errors) error {
	ctx := r.Context()
	round, err := s.clarifications.RoundPage(ctx, authz.ActorFrom(ctx), ed)
	if err != nil {
		return err
	}
	if round.Pending.Any() && notice == round.Pending.Text(ed.TimeZone) {
		notice = round.Pending.Message(ed.TimeZone) // the refusal to close, in the reader's language
	}
	v := views.ScreeningRound(ed, round, s.now(), f.Reason, errs)
	v.Page, v.Edition, v.Choose, v.Notice = s.page(r, i18n.Msg("Round 1 summary, {{.Edition}}", "Edition", ed.Name)), picker, len(picker.Options) > 1, notice
	return s.render(w, r, status, pages.ScreeningRound(v))
}

// screeningRound shows the round summary (GET /secretariat/screening/round).
func (s *Server) screeningRound(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	return s.renderRound(w, r, http.StatusOK, ed, picker, "", reasonForm{}, nil)
}

// screeningClose closes the round (POST /secretariat/screening/round/close;
// screening.Service.CloseRound): refused while anything is pending (the deadline, extensions,
// the letters' deadline, entries without a final decision), saying what; before the end of the
// screening window only with a reason; then every applicant's outcome email is queued for the
// date the schedule announces it.
func (s *Server) screeningClose(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, ed, picker, err := formThenLoad[reasonForm](w, r, s.scope)
	if err != nil {
		return err
	}
	n, err := s.screening.CloseRound(ctx, authz.ActorFrom(ctx), ed, f.Reason)
	if status, msg, ok := refusalOf(err); ok {
		return s.renderRound(w, r, status, ed, picker, msg, f, nil)
	}
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderRound(w, r, http.StatusUnprocessableEntity, ed, picker, "", f, errs)
	}, i18n.Msg("Round 1 is closed. {{.Count}} outcome emails are scheduled.", "Count", strconv.Itoa(n)), "/secretariat/screening/round?edition="+strconv.FormatInt(ed.ID, 10))
}
