package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/clarify"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
	"prizeportal/internal/notify/emails"
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
		v.Lines = append(v.Lines, ed.Name+": scoring runs "+ed.Schedule.Scoring.Text(ed.TimeZone)+
			". Sheets can be submitted and revised until the round closes.")
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
	return s.renderSheet(w, r, http.StatusOK, d, sheetState{})
}

// entryFacts are the facts of an entry shown to its evaluator.
func entryFacts(p scoring.Place) []pages.Fact {
	e := p.Entry
	et := e.EntityType
	if t, ok := p.Edition.EntityType(e.EntityType); ok {
		et = t.Name
	}
	return []pages.Fact{
		{Label: "Category", Value: p.Category.Name},
		{Label: "Organisation", Value: e.Organisation},
		{Label: "Entity type and place", Value: et + ", " + e.City + ", " + country.Name(e.Country)},
	}
}

func reasonField(value string, errs field.Errors) components.Field {
	return components.Field{Name: "reason", Label: "Why you recuse yourself", Type: "textarea", Value: value, Required: true,
		MaxLength: scoring.MaxReason, Error: errs.Get("reason"),
		Hint: "For example: \"I advised this city on the project.\" The committee head and the secretariat read it."}
}

func (s *Server) renderDeclare(w http.ResponseWriter, r *http.Request, status int, p scoring.Place, reason string, errs field.Errors, notice string) error {
	title := views.EntryTitle(p.Entry.Title, p.Entry.ID)
	return s.render(w, r, status, pages.ScoringDeclare(pages.ScoringDeclareView{
		Page: s.page(r, "Conflict of interest: "+title), Title: title, Facts: entryFacts(p),
		Declare: views.ScoringHref(p.Entry.ID) + "/declare", Recuse: views.ScoringHref(p.Entry.ID) + "/recuse",
		Reason: reasonField(reason, errs), Errors: errs, Notice: notice,
	}))
}

// sheetState is what a sheet page shows besides the sheet: the input as typed (after a failed
// save), the errors and a notice.
type sheetState struct {
	typed  *scoring.Input
	reason string
	errs   field.Errors
	notice string
}

// sheetPage renders the sheet page of place p with sheet as it stands (the one a write
// returned), loading the papers beside it.
func (s *Server) sheetPage(w http.ResponseWriter, r *http.Request, status int, p scoring.Place, sheet scoring.Sheet, st sheetState) error {
	papers, err := s.scoring.Papers(r.Context(), authz.ActorFrom(r.Context()), p)
	if err != nil {
		return err
	}
	return s.renderSheet(w, r, status, scoring.Desk{Place: p, Sheet: sheet, Papers: papers}, st)
}

func (s *Server) renderSheet(w http.ResponseWriter, r *http.Request, status int, d scoring.Desk, st sheetState) error {
	title := views.EntryTitle(d.Entry.Title, d.Entry.ID)
	return s.render(w, r, status, pages.ScoringSheet(sheetView(s.page(r, "Score sheet: "+title), d, st, s.now())))
}

// sheetView is the sheet page of desk d: the sheet as stored, or as typed (st.typed).
func sheetView(page components.Page, d scoring.Desk, st sheetState, now time.Time) pages.ScoringSheetView {
	e, ed, cat, sheet := d.Entry, d.Edition, d.Category, d.Sheet
	loc := ed.TimeZone
	in := sheet.Input
	if st.typed != nil {
		in = *st.typed
	}
	if in.Scores == nil {
		in.Scores = map[int64]int{}
	}
	href := views.ScoringHref(e.ID)
	v := pages.ScoringSheetView{
		Page: page, Title: views.EntryTitle(e.Title, e.ID), Back: "/scoring", Notice: st.notice, Errors: st.errs,
		Facts: entryFacts(d.Place), Version: sheet.Version, Action: href, SubmitURL: href + "/submit", RecuseURL: href + "/recuse",
		Submitted: sheet.Status == scoring.Submitted, ReadOnly: e.Closed(), Reason: reasonField(st.reason, st.errs),
		Scale: "Score each indicator from " + strconv.Itoa(cat.Scale.Min) + " (lowest) to " + strconv.Itoa(cat.Scale.Max) +
			" (highest). Your draft is saved as you go; submit the sheet when every indicator is scored.",
		Overall: components.Field{Name: scoring.OverallField, Label: "Overall comment", Type: "textarea", Value: in.Overall,
			MaxLength: scoring.MaxComment, Error: st.errs.Get(scoring.OverallField)},
	}
	switch {
	case e.Closed():
		v.Status = "The round closed on " + timefmt.Instant(*e.ClosedAt, loc) + ": the sheet can no longer change."
		if sheet.Status == scoring.Submitted {
			v.Status += " It was submitted on " + timefmt.Instant(*sheet.SubmittedAt, loc) + "."
		} else {
			v.Status += " It was not submitted."
		}
	case sheet.Status == scoring.Submitted:
		v.Status = "Submitted on " + timefmt.Instant(*sheet.SubmittedAt, loc) + ". You can revise it and resubmit it until the round closes."
	default:
		v.Status = "Draft, last saved on " + timefmt.Instant(sheet.UpdatedAt, loc) + ". Not submitted yet."
	}
	v.Criteria = sheetCriteria(cat, in, &st, d.CommentsRequired())
	ver := d.Papers.Submitted
	v.Facts = append(v.Facts, pages.Fact{Label: "Submitted", Value: timefmt.Instant(ver.SubmittedAt, loc) + " (version " + strconv.Itoa(ver.Number) + ")"})
	fileURL := func(ref form.FileRef) string { return href + "/files/" + ref.ID }
	for i := range cat.Form.Sections {
		sec := &cat.Form.Sections[i]
		v.Sections = append(v.Sections, pages.ReviewSection{Title: sec.Title, Questions: views.ReviewQuestions(cat.Form, sec, ver.Answers, fileURL)})
	}
	if d.Papers.SeesClarifications {
		base := "/entries/" + strconv.FormatInt(e.ID, 10) + "/clarifications/files/"
		v.Panels = append(v.Panels, pages.ScoringClarifications(pages.ClarificationPanelView{
			Items: views.ClarThreadItems(d.Papers.Clarifications, clarify.FormOf(ed, e.CategoryID), loc, now, func(doc clarify.Document) string {
				return base + strconv.FormatInt(doc.ID, 10)
			})}))
	}
	if panel := views.ContextPanelOf(d.Papers.Context, ed); panel != nil {
		v.Panels = append(v.Panels, panel)
	}
	return v
}

// scoringDeclare records the acting evaluator's declaration that they have no conflict of
// interest with entry {id} (POST /scoring/{id}/declare).
func (s *Server) scoringDeclare(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	p, err := s.scoringEntry(r)
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
	var f struct {
		Reason string `form:"reason"`
	}
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	p, err := s.scoringEntry(r)
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
			return s.renderSheet(w, r, http.StatusUnprocessableEntity, d, sheetState{reason: f.Reason, errs: errs})
		}
		status, msg, _ := refusalOf(err)
		return s.renderSheet(w, r, status, d, sheetState{notice: msg})
	case err != nil:
		return err
	}
	s.flash(ctx, "You recused yourself from \""+views.EntryTitle(p.Entry.Title, p.Entry.ID)+"\". The entry will be given to another evaluator.")
	return redirect(w, r, "/scoring")
}

// sheetProblem answers a save or submission that stored nothing because of err, a refusal of
// the domain (with sheet as it stands), as JSON for an autosave or as the page (a missing
// declaration sends to it); handled is false for other errors.
func (s *Server) sheetProblem(w http.ResponseWriter, r *http.Request, auto bool, p scoring.Place, sheet scoring.Sheet, st sheetState, err error) (bool, error) {
	status, msg, ok := refusalOf(err)
	switch {
	case !ok:
		return false, nil
	case auto:
		return true, writeAutosave(w, status, autosaveReply{Error: msg})
	case errors.Is(err, scoring.ErrNotDeclared):
		return true, redirect(w, r, views.ScoringHref(p.Entry.ID))
	}
	st.notice = msg
	if status == http.StatusForbidden {
		st.typed = nil
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
	st := sheetState{typed: &f.Input, errs: f.Problems}
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
		st.notice = "Your draft was saved, but some entries need your attention: see the messages next to them."
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
	st := sheetState{typed: &f.Input, errs: errs}
	if handled, herr := s.sheetProblem(w, r, false, p, sheet, st, err); handled {
		return herr
	}
	if errs.Any() {
		st.notice = "Your draft was saved, but the sheet cannot be submitted yet: see the messages next to the fields."
		if p.Entry.Status == scoring.Submitted {
			st.notice = "Your revision was not submitted: see the messages next to the fields. The sheet you submitted earlier stands."
		}
		return s.sheetPage(w, r, http.StatusUnprocessableEntity, p, sheet, st)
	}
	if err != nil {
		return err
	}
	msg := "Your score sheet for \"" + views.EntryTitle(p.Entry.Title, p.Entry.ID) + "\" was submitted."
	if p.Entry.Status == scoring.Submitted {
		msg = "Your revised score sheet for \"" + views.EntryTitle(p.Entry.Title, p.Entry.ID) + "\" was submitted."
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
	byEntry := q.Get("view") == "entries"
	rep, err := s.scoring.Progress(ctx, actor, ed, byEntry, queryPage(q))
	if err != nil {
		return err
	}
	v := progressView(s.page(r, "Round 2 progress, "+ed.Name), ed, picker, rep, actor.Has(authz.RoleCommitteeHead, ed.ID), errs)
	return s.render(w, r, status, pages.ScoringProgress(v))
}

// progressView is the progress page of edition ed from report rep; head links the sheets of
// each entry once the round is closed.
func progressView(page components.Page, ed *edition.Edition, picker components.Field, rep scoring.Report, head bool, errs field.Errors) pages.ScoringProgressView {
	pq := url.Values{"edition": {strconv.FormatInt(ed.ID, 10)}}
	edq := "/scoring/progress?" + pq.Encode()
	v := pages.ScoringProgressView{
		Page: page, Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name,
		Window:  "Scoring runs " + ed.Schedule.Scoring.Text(ed.TimeZone) + ". Evaluators with unfinished sheets are reminded automatically three days and one day before it ends.",
		ByEntry: rep.ByEntry, Remind: "/scoring/progress/remind?" + pq.Encode(), Errors: errs,
		Tabs: []components.Link{{Label: "By evaluator", Href: edq}, {Label: "By entry", Href: edq + "&view=entries"}},
	}
	if rep.ClosedAt != nil {
		v.Closed = "The round closed on " + timefmt.Instant(*rep.ClosedAt, ed.TimeZone) + "."
	}
	if !rep.ByEntry {
		list := rep.Evaluators
		for _, p := range list.Rows {
			v.Evaluators = append(v.Evaluators, pages.ProgressEvaluatorRow{ID: p.ID, Name: p.Name, Assigned: p.Assigned,
				NotOpened: p.NotOpened(), Drafts: p.Drafts, Submitted: p.Submitted})
		}
		v.Pager = views.PagerFor("/scoring/progress", pq, list.Page, list.Pages, list.Total, scoring.PerPage, "evaluators")
		return v
	}
	slices.Reverse(v.Tabs)
	pq.Set("view", "entries")
	list := rep.Entries
	for _, p := range list.Rows {
		row := pages.ProgressEntryRow{Title: views.EntryTitle(p.Title, p.ID), Category: p.Category, Assigned: p.Assigned, Submitted: p.Submitted}
		if rep.ClosedAt != nil && head {
			row.Sheets = "/scoring/entries/" + strconv.FormatInt(p.ID, 10) + "/sheets"
		}
		v.Entries = append(v.Entries, row)
	}
	v.Pager = views.PagerFor("/scoring/progress", pq, list.Page, list.Pages, list.Total, scoring.PerPage, "entries")
	return v
}

// scoringRemind emails a reminder to the selected evaluators (POST /scoring/progress/remind):
// those with unfinished sheets; the others are left out and counted.
func (s *Server) scoringRemind(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f struct {
		IDs []int64 `form:"ids"`
	}
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	sent, skipped, err := s.scoring.Remind(ctx, authz.ActorFrom(ctx), ed, f.IDs)
	msg := emails.Count(sent, "reminder", "reminders") + " sent."
	if skipped > 0 {
		msg += " " + emails.Count(skipped, "selected evaluator has", "selected evaluators have") + " no unfinished sheet and got none."
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
	return s.render(w, r, http.StatusOK, pages.ScoringSheets(sheetsView(s.page(r, "Score sheets: "+title), title, rv)))
}

// sheetsView is every sheet of an entry for the committee head.
func sheetsView(page components.Page, title string, rv scoring.Review) pages.ScoringSheetsView {
	ed := rv.Edition
	v := pages.ScoringSheetsView{Page: page, Title: "Score sheets: " + title,
		Back: "/scoring/progress?edition=" + strconv.FormatInt(ed.ID, 10) + "&view=entries"}
	for _, sh := range rv.Sheets {
		hv := pages.HeadSheetView{Evaluator: sh.EvaluatorName, Overall: sh.Overall, Status: "Not submitted (a draft).",
			Criteria: sheetCriteria(rv.Category, sh.Input, nil, false)}
		if sh.Status == scoring.Submitted {
			hv.Status = "Submitted on " + timefmt.Instant(*sh.SubmittedAt, ed.TimeZone) + "."
		}
		v.Sheets = append(v.Sheets, hv)
	}
	return v
}

// sheetCriteria are the criteria of cat with the scores and comments of in; with st (the
// evaluator's own sheet) they are the fields to edit them, with their errors.
func sheetCriteria(cat *edition.Category, in scoring.Input, st *sheetState, commentsRequired bool) []pages.SheetCriterion {
	var out []pages.SheetCriterion
	for _, c := range cat.Criteria {
		cv := pages.SheetCriterion{Name: c.Name, Comment: components.Field{Value: in.Comments[c.Key]}}
		if st != nil {
			cv.Description = c.Description
			cv.Comment = components.Field{Name: scoring.CommentField(c.Key), Label: "Comment on " + c.Name, Type: "textarea",
				Value: in.Comments[c.Key], MaxLength: scoring.MaxComment, Required: commentsRequired, Error: st.errs.Get(scoring.CommentField(c.Key))}
			if c.Weight != 0 {
				cv.Weight = "(weight " + strconv.FormatFloat(c.Weight, 'f', -1, 64) + ")"
			}
		}
		for _, ind := range c.Indicators {
			n, scored := in.Scores[ind.ID]
			f := pages.IndicatorField{Field: components.Field{Label: ind.Name}, Score: "Not scored"}
			if scored {
				f.Score = strconv.Itoa(n)
			}
			if st != nil {
				opts := []components.Option{{Value: "", Label: "Not scored", Selected: !scored}}
				for p := cat.Scale.Min; p <= cat.Scale.Max; p++ {
					opts = append(opts, components.Option{Value: strconv.Itoa(p), Label: strconv.Itoa(p), Selected: scored && n == p})
				}
				f.Field = components.Field{Name: scoring.ScoreField(ind.ID), Label: ind.Name, Type: "select",
					Options: opts, Required: true, Error: st.errs.Get(scoring.ScoreField(ind.ID))}
			}
			cv.Indicators = append(cv.Indicators, f)
		}
		out = append(out, cv)
	}
	return out
}
