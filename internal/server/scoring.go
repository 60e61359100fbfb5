package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
	"prizeportal/internal/i18n"
	"prizeportal/internal/scoring"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// Round 2, the committee's score sheets (DOMAIN.md "Round 2"). An evaluator lists the entries
// assigned to them, declares on first opening that they have no conflict of interest (or recuses,
// which ends the assignment), then scores the entry on a sheet generated from its category's
// criteria, beside the entry as submitted, its clarifications and context data. Drafts autosave
// (form.js) with the sheet's version as optimistic lock; a submitted sheet may be revised and
// resubmitted until the scoring round closes. Every query repeats the assignment in SQL
// (internal/scoring), so an entry that is not theirs is a 404, and no page shows another
// evaluator's scores while the round is open; once it closes, the committee head reads every sheet
// of an entry. The secretariat and the head follow the progress and remind evaluators;
// scoring.Service.ReminderTask reminds them automatically before the scoring window ends.

// scoringEntry loads the place of entry {id} for the acting evaluator: 404 unless it is assigned
// to them (in SQL).
func (s *Server) scoringEntry(r *http.Request) (scoring.Place, error) {
	id, err := routeID(r)
	if err != nil {
		return scoring.Place{}, err
	}
	return s.scoring.Place(r.Context(), authz.ActorFrom(r.Context()), id)
}

// scoringValues reads a sheet's posted form: urlencoded from the buttons, multipart from
// form.js's autosave.
func scoringValues(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseMultipartForm(maxFormBytes); err != nil {
			return nil, formError(err)
		}
		cleanValues(r.PostForm)
		return r.PostForm, nil
	}
	if err := parseForm(w, r); err != nil {
		return nil, err
	}
	return r.PostForm, nil
}

// sheetForm reads the sheet of entry {id} posted by the acting evaluator (404 unless it is
// assigned to them).
func (s *Server) sheetForm(w http.ResponseWriter, r *http.Request) (url.Values, scoring.Place, scoring.Form, error) {
	vals, err := scoringValues(w, r)
	if err != nil {
		return nil, scoring.Place{}, scoring.Form{}, err
	}
	p, err := s.scoringEntry(r)
	if err != nil {
		return nil, scoring.Place{}, scoring.Form{}, err
	}
	return vals, p, scoring.ReadForm(p.Category, vals.Get), nil
}

// scoringList lists the acting evaluator's assigned entries (GET /scoring).
func (s *Server) scoringList(w http.ResponseWriter, r *http.Request) error {
	wl, err := s.scoring.Worklist(r.Context(), authz.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	v := pages.ScoringListView{Page: s.page(r, "Your entries to score"), Done: wl.Done()}
	for _, ed := range wl.Editions {
		v.Lines = append(v.Lines, views.ScoringWindowLine(ed, wl.Round(ed, s.now())))
	}
	for _, e := range wl.Entries {
		v.Rows = append(v.Rows, pages.ScoringRow{Href: views.ScoringHref(e.ID), Title: views.EntryTitle(e.Title, e.ID), Category: e.Category, Status: e.Status.Label()})
	}
	if e := wl.Next(); e != nil {
		v.Next, v.NextTitle = views.ScoringHref(e.ID), views.EntryTitle(e.Title, e.ID)
	}
	return s.render(w, r, http.StatusOK, pages.ScoringList(v))
}

// scoringPage shows entry {id}: the declaration on first opening, else the sheet
// (GET /scoring/{id}).
func (s *Server) scoringPage(w http.ResponseWriter, r *http.Request) error {
	id, err := routeID(r)
	if err != nil {
		return err
	}
	d, err := s.scoring.Desk(r.Context(), authz.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	if d.MustDeclare() {
		return s.renderDeclare(w, r, http.StatusOK, d.Place, "", nil, "")
	}
	return s.renderSheet(w, r, http.StatusOK, d, views.SheetState{})
}

func (s *Server) renderDeclare(w http.ResponseWriter, r *http.Request, status int, p scoring.Place, reason string, errs field.Errors, notice string) error {
	title := views.EntryTitle(p.Entry.Title, p.Entry.ID)
	return s.render(w, r, status, pages.ScoringDeclare(pages.ScoringDeclareView{
		Page: s.page(r, i18n.Msg("Conflict of interest: {{.Title}}", "Title", title)), Title: title, Facts: views.EntryFacts(p),
		Declare: views.ScoringHref(p.Entry.ID) + "/declare", Recuse: views.ScoringHref(p.Entry.ID) + "/recuse",
		Reason: views.ReasonField(reason, errs), Errors: errs, Notice: notice,
	}))
}

// sheetPage renders the sheet page of place p with sheet as it stands (the one a write
// returned), loading the papers beside it.
func (s *Server) sheetPage(w http.ResponseWriter, r *http.Request, status int, p scoring.Place, sheet scoring.Sheet, st views.SheetState) error {
	papers, err := s.scoring.Papers(r.Context(), authz.ActorFrom(r.Context()), p)
	if err != nil {
		return err
	}
	return s.renderSheet(w, r, status, scoring.Desk{Place: p, Sheet: sheet, Papers: papers}, st)
}

func (s *Server) renderSheet(w http.ResponseWriter, r *http.Request, status int, d scoring.Desk, st views.SheetState) error {
	title := views.EntryTitle(d.Entry.Title, d.Entry.ID)
	return s.render(w, r, status, pages.ScoringSheet(views.SheetView(s.page(r, i18n.Msg("Score sheet: {{.Title}}", "Title", title)), d, st, s.now())))
}

// scoringDeclare records the acting evaluator's declaration that they have no conflict of
// interest with entry {id} (POST /scoring/{id}/declare).
func (s *Server) scoringDeclare(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	_, p, err := formThenLoadOne[struct{}](w, r, s.scoringEntry)
	if err != nil {
		return err
	}
	err = s.scoring.Declare(ctx, authz.ActorFrom(ctx), p)
	if status, msg, ok := refusalOf(err); ok {
		return s.renderDeclare(w, r, status, p, "", nil, msg)
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "Thank you: you declared that you have no conflict of interest with this entry.")
	return redirect(w, r, views.ScoringHref(p.Entry.ID))
}

// scoringRecuse ends the acting evaluator's assignment to entry {id} with their reason
// (POST /scoring/{id}/recuse): their sheet is deleted and the entry is no longer theirs.
func (s *Server) scoringRecuse(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, p, err := formThenLoadOne[reasonForm](w, r, s.scoringEntry)
	if err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	err = s.scoring.Recuse(ctx, actor, p, f.Reason)
	var errs field.Errors
	switch {
	case errors.As(err, &errs) && !p.Entry.Declared:
		return s.renderDeclare(w, r, http.StatusUnprocessableEntity, p, f.Reason, errs, "")
	case errors.As(err, &errs), isFault(err):
		d, derr := s.scoring.DeskOf(ctx, actor, p)
		if derr != nil {
			return derr
		}
		if errs.Any() {
			return s.renderSheet(w, r, http.StatusUnprocessableEntity, d, views.SheetState{Reason: f.Reason, Errs: errs})
		}
		status, msg, _ := refusalOf(err)
		return s.renderSheet(w, r, status, d, views.SheetState{Notice: msg})
	case err != nil:
		return err
	}
	s.flash(ctx, i18n.Msg("You recused yourself from \"{{.Title}}\". The entry will be given to another evaluator.", "Title", views.EntryTitle(p.Entry.Title, p.Entry.ID)))
	return redirect(w, r, "/scoring")
}

// sheetProblem answers a save or submission that stored nothing because of err, a refusal of
// the domain (with sheet as it stands), as JSON for an autosave or as the page (a missing
// declaration sends to it); handled is false for other errors.
func (s *Server) sheetProblem(w http.ResponseWriter, r *http.Request, auto bool, p scoring.Place, sheet scoring.Sheet, st views.SheetState, err error) (bool, error) {
	status, msg, ok := refusalOf(err)
	switch {
	case !ok:
		return false, nil
	case auto:
		return true, writeAutosave(w, status, autosaveReply{Error: msg})
	case errors.Is(err, scoring.ErrNotDeclared):
		return true, redirect(w, r, views.ScoringHref(p.Entry.ID))
	}
	st.Notice = msg
	if status == http.StatusForbidden {
		st.Typed = nil
	}
	return true, s.sheetPage(w, r, status, p, sheet, st)
}

// scoringSave saves the sheet of entry {id} as a draft (POST /scoring/{id}): from the Save
// buttons, or from form.js's autosave (answered with JSON). A save from a page loaded at an
// older version stores nothing and shows the evaluator's entries again.
func (s *Server) scoringSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	auto := r.Header.Get(autosaveHeader) == "1"
	vals, p, f, err := s.sheetForm(w, r)
	if err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	save := s.scoring.Save
	if auto {
		save = s.scoring.Autosave
	}
	sheet, err := save(ctx, actor, p, f)
	st := views.SheetState{Typed: &f.Input, Errs: f.Problems}
	if handled, herr := s.sheetProblem(w, r, auto, p, sheet, st, err); handled {
		return herr
	} else if err != nil {
		return err
	}
	if auto {
		return writeAutosave(w, http.StatusOK, autosaveReply{Version: sheet.Version, SavedAt: sheet.UpdatedAt.UTC().Format(time.RFC3339),
			SavedAtText: sheet.UpdatedAt.In(p.Edition.TimeZone).Format("15:04 MST"), Problems: len(f.Problems)})
	}
	if f.Problems.Any() {
		st.Notice = i18n.M("Your draft was saved, but some entries need your attention: see the messages next to them.")
		return s.sheetPage(w, r, http.StatusUnprocessableEntity, p, sheet, st)
	}
	s.flash(ctx, "Your draft was saved.")
	if vals.Get("action") == "next" {
		next, err := s.scoring.Next(ctx, actor, p.Entry.ID)
		if err != nil {
			return err
		}
		if next == 0 {
			s.flash(ctx, "Your draft was saved. No other entry is waiting for your scores.")
			return redirect(w, r, "/scoring")
		}
		return redirect(w, r, views.ScoringHref(next))
	}
	return redirect(w, r, views.ScoringHref(p.Entry.ID))
}

// scoringSubmit submits (or resubmits) the sheet of entry {id} (POST /scoring/{id}/submit):
// every indicator must be scored on the scale, and each criterion commented when the edition
// requires it; otherwise the errors are shown next to the fields, and a draft keeps what was
// typed (it is saved as a draft).
func (s *Server) scoringSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	_, p, f, err := s.sheetForm(w, r)
	if err != nil {
		return err
	}
	sheet, err := s.scoring.Submit(ctx, authz.ActorFrom(ctx), p, f)
	var errs field.Errors
	errors.As(err, &errs)
	st := views.SheetState{Typed: &f.Input, Errs: errs}
	if handled, herr := s.sheetProblem(w, r, false, p, sheet, st, err); handled {
		return herr
	}
	if errs.Any() {
		st.Notice = i18n.M("Your draft was saved, but the sheet cannot be submitted yet: see the messages next to the fields.")
		if p.Entry.Status == scoring.Submitted {
			st.Notice = i18n.M("Your revision was not submitted: see the messages next to the fields. The sheet you submitted earlier stands.")
		}
		return s.sheetPage(w, r, http.StatusUnprocessableEntity, p, sheet, st)
	}
	if err != nil {
		return err
	}
	msg := i18n.Msg("Your score sheet for \"{{.Title}}\" was submitted.", "Title", views.EntryTitle(p.Entry.Title, p.Entry.ID))
	if p.Entry.Status == scoring.Submitted {
		msg = i18n.Msg("Your revised score sheet for \"{{.Title}}\" was submitted.", "Title", views.EntryTitle(p.Entry.Title, p.Entry.ID))
	}
	s.flash(ctx, msg)
	return redirect(w, r, "/scoring")
}

// scoringFile sends a document of entry {id} to its evaluator (GET /scoring/{id}/files/{file}),
// checked by the assignment in SQL.
func (s *Server) scoringFile(w http.ResponseWriter, r *http.Request) error {
	id, err := routeID(r)
	fileID, ferr := strconv.ParseInt(chi.URLParam(r, "file"), 10, 64)
	if err != nil || ferr != nil {
		return errNotFound
	}
	f, err := s.scoring.File(r.Context(), authz.ActorFrom(r.Context()), id, fileID)
	if err != nil {
		return err
	}
	return files.Serve(w, r, s.files, f)
}

// --- progress (the secretariat and the committee head)

// scoringProgress shows the completion per evaluator, or per entry with ?view=entries
// (GET /scoring/progress?edition=).
func (s *Server) scoringProgress(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	return s.renderProgress(w, r, http.StatusOK, ed, picker, nil)
}

func (s *Server) renderProgress(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, errs field.Errors) error {
	ctx := r.Context()
	actor := authz.ActorFrom(ctx)
	q := r.URL.Query()
	rep, err := s.scoring.Progress(ctx, actor, ed, q.Get("view") == "entries", q.Get("view") == "behind", queryPage(q))
	if err != nil {
		return err
	}
	v := views.ProgressView(s.page(r, i18n.Msg("Round 2 progress, {{.Edition}}", "Edition", ed.Name)), ed, picker, rep, actor.Has(authz.RoleCommitteeHead, ed.ID), errs)
	return s.render(w, r, status, pages.ScoringProgress(v))
}

// remindForm is the evaluators selected for a reminder.
type remindForm struct {
	IDs []int64 `form:"ids"`
}

// scoringRemind emails a reminder to the selected evaluators (POST /scoring/progress/remind):
// those with unfinished sheets; the others are left out and counted.
func (s *Server) scoringRemind(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, ed, picker, err := formThenLoad[remindForm](w, r, s.scope)
	if err != nil {
		return err
	}
	sent, skipped, err := s.scoring.Remind(ctx, authz.ActorFrom(ctx), ed, f.IDs)
	msg := i18n.Msg("{{.Count}} reminders sent.", "Count", i18n.Number(sent))
	if sent == 1 {
		msg = i18n.M("1 reminder sent.")
	}
	switch {
	case skipped == 1:
		msg = i18n.Msg("{{.Sent}} 1 selected evaluator has no unfinished sheet and got none.", "Sent", msg)
	case skipped > 1:
		msg = i18n.Msg("{{.Sent}} {{.Count}} selected evaluators have no unfinished sheet and got none.", "Sent", msg, "Count", i18n.Number(skipped))
	}
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderProgress(w, r, http.StatusUnprocessableEntity, ed, picker, errs)
	}, msg, "/scoring/progress?edition="+strconv.FormatInt(ed.ID, 10))
}

// --- after the round: the committee head reads every sheet

// scoringSheets shows every sheet of entry {id} to the committee head of its edition once the
// round is closed (GET /scoring/entries/{id}/sheets): 404 for anyone else, 403 while the scores
// are sealed.
func (s *Server) scoringSheets(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := routeID(r)
	if err != nil {
		return err
	}
	rv, err := s.scoring.Review(ctx, authz.ActorFrom(ctx), id)
	if err != nil {
		return err
	}
	title := views.EntryTitle(rv.Title, id)
	return s.render(w, r, http.StatusOK, pages.ScoringSheets(views.SheetsView(s.page(r, i18n.Msg("Score sheets: {{.Title}}", "Title", title)), title, rv)))
}
