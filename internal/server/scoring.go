package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"prizeportal/internal/application"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/clarify"
	"prizeportal/internal/committee"
	"prizeportal/internal/country"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/field"
	"prizeportal/internal/files"
	"prizeportal/internal/form"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/scoring"
	"prizeportal/internal/screening"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Round 2, the committee's score sheets (issue 7 items 3, 4 and 7; DOMAIN.md "Round 2"). An
// evaluator lists the entries assigned to them, declares on first opening that they have no
// conflict of interest (or recuses, which ends the assignment), then scores the entry on a sheet
// generated from its category's criteria, beside the entry as submitted, its clarifications and
// context data. Drafts autosave (form.js) with the sheet's version as optimistic lock; a submitted
// sheet may be revised and resubmitted until the scoring round closes. Every query repeats the
// assignment in SQL (internal/scoring), so an entry that is not theirs is a 404, and no page
// shows another evaluator's scores while the round is open; once it closes, the committee head
// reads every sheet of an entry. The secretariat and the head follow the progress and remind
// evaluators; SendScoringReminders reminds them automatically before the scoring window ends.

func scoringHref(id int64) string { return "/scoring/" + strconv.FormatInt(id, 10) }

// sheetCommentsRequired reports whether a submitted sheet needs a comment on every criterion in
// edition ed (an edition setting).
func sheetCommentsRequired(ed *edition.Edition) bool { return ed.Scoring.CriterionCommentsRequired }

// evaluatorEntry loads entry {id} when it is assigned to the acting evaluator (SQL filtered;
// db.ErrNotFound otherwise), with its edition and category.
func (s *Server) evaluatorEntry(r *http.Request) (scoring.Entry, *edition.Edition, *edition.Category, error) {
	ctx := r.Context()
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return scoring.Entry{}, nil, nil, errNotFound
	}
	e, err := scoring.AssignedEntry(ctx, s.pool, authz.ActorFrom(ctx).UserID, id)
	if err != nil {
		return scoring.Entry{}, nil, nil, err
	}
	ed, err := edition.ByID(ctx, s.pool, e.EditionID)
	if err != nil {
		return scoring.Entry{}, nil, nil, err
	}
	for i := range ed.Categories {
		if ed.Categories[i].ID == e.CategoryID {
			return e, ed, &ed.Categories[i], nil
		}
	}
	return scoring.Entry{}, nil, nil, errNotFound
}

func entryTitle(title string, id int64) string {
	if strings.TrimSpace(title) == "" {
		return "Untitled entry " + strconv.FormatInt(id, 10)
	}
	return title
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

// scoringList lists the acting evaluator's assigned entries (GET /scoring).
func (s *Server) scoringList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := authz.ActorFrom(ctx)
	list, err := scoring.Assigned(ctx, s.pool, actor.UserID)
	if err != nil {
		return err
	}
	v := pages.ScoringListView{Page: s.page(r, "Your entries to score")}
	seen := map[int64]bool{}
	for _, g := range actor.Grants {
		if (g.Role != authz.RoleEvaluator && g.Role != authz.RoleCommitteeHead) || seen[g.EditionID] {
			continue
		}
		seen[g.EditionID] = true
		ed, err := edition.ByID(ctx, s.pool, g.EditionID)
		if err != nil {
			return err
		}
		v.Lines = append(v.Lines, ed.Name+": scoring runs "+formatWindow(ed.Schedule.Scoring, ed.TimeZone)+
			". Sheets can be submitted and revised until the round closes.")
	}
	for _, e := range list {
		title := entryTitle(e.Title, e.ID)
		v.Rows = append(v.Rows, pages.ScoringRow{Href: scoringHref(e.ID), Title: title, Category: e.Category, Status: e.Status.Label()})
		if e.Status == scoring.Submitted {
			v.Done++
		} else if v.Next == "" {
			v.Next, v.NextTitle = scoringHref(e.ID), title
		}
	}
	return s.render(w, r, http.StatusOK, pages.ScoringList(v))
}

// scoringPage shows entry {id}: the declaration on first opening, else the sheet
// (GET /scoring/{id}).
func (s *Server) scoringPage(w http.ResponseWriter, r *http.Request) error {
	e, ed, cat, err := s.evaluatorEntry(r)
	if err != nil {
		return err
	}
	closed, _, err := scoring.Closed(r.Context(), s.pool, ed.ID)
	if err != nil {
		return err
	}
	if !e.Declared && !closed {
		return s.renderDeclare(w, r, http.StatusOK, e, ed, cat, "", nil, "")
	}
	return s.renderSheet(w, r, http.StatusOK, sheetState{e: e, ed: ed, cat: cat})
}

// entryFacts are the facts of an entry shown to its evaluator.
func entryFacts(e scoring.Entry, ed *edition.Edition, cat *edition.Category) []pages.Fact {
	et := e.EntityType
	if t, ok := ed.EntityType(e.EntityType); ok {
		et = t.Name
	}
	return []pages.Fact{
		{Label: "Category", Value: cat.Name},
		{Label: "Organisation", Value: e.Organisation},
		{Label: "Entity type and place", Value: et + ", " + e.City + ", " + country.Name(e.Country)},
	}
}

func reasonField(value string, errs field.Errors) components.Field {
	return components.Field{Name: "reason", Label: "Why you recuse yourself", Type: "textarea", Value: value, Required: true,
		MaxLength: scoring.MaxReason, Error: errs.Get("reason"),
		Hint: "For example: \"I advised this city on the project.\" The committee head and the secretariat read it."}
}

func (s *Server) renderDeclare(w http.ResponseWriter, r *http.Request, status int, e scoring.Entry, ed *edition.Edition, cat *edition.Category, reason string, errs field.Errors, notice string) error {
	title := entryTitle(e.Title, e.ID)
	return s.render(w, r, status, pages.ScoringDeclare(pages.ScoringDeclareView{
		Page: s.page(r, "Conflict of interest: "+title), Title: title, Facts: entryFacts(e, ed, cat),
		Declare: scoringHref(e.ID) + "/declare", Recuse: scoringHref(e.ID) + "/recuse",
		Reason: reasonField(reason, errs), Errors: errs, Notice: notice,
	}))
}

// sheetState is what a sheet page shows besides the stored sheet: the input as typed (after a
// failed save), the version the form carries, the errors and a notice.
type sheetState struct {
	e       scoring.Entry
	ed      *edition.Edition
	cat     *edition.Category
	typed   *scoring.Input
	version int // 0: the stored sheet's
	reason  string
	errs    field.Errors
	notice  string
}

func (s *Server) renderSheet(w http.ResponseWriter, r *http.Request, status int, st sheetState) error {
	ctx := r.Context()
	actor, now := authz.ActorFrom(ctx), s.now()
	e, ed, cat := st.e, st.ed, st.cat
	loc := ed.TimeZone
	sheet, err := scoring.SheetOf(ctx, s.pool, actor.UserID, e.ID)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return err
	}
	closed, closedAt, err := scoring.Closed(ctx, s.pool, ed.ID)
	if err != nil {
		return err
	}
	in := sheet.Input
	if st.typed != nil {
		in = *st.typed
	}
	if in.Scores == nil {
		in.Scores = map[int64]int{}
	}
	version := sheet.Version
	if st.version != 0 {
		version = st.version
	}
	href := scoringHref(e.ID)
	title := entryTitle(e.Title, e.ID)
	v := pages.ScoringSheetView{
		Page: s.page(r, "Score sheet: "+title), Title: title, Back: "/scoring", Notice: st.notice, Errors: st.errs,
		Facts: entryFacts(e, ed, cat), Version: version, Action: href, SubmitURL: href + "/submit", RecuseURL: href + "/recuse",
		Submitted: sheet.Status == scoring.Submitted, ReadOnly: closed, Reason: reasonField(st.reason, st.errs),
		Scale: "Score each indicator from " + strconv.Itoa(cat.Scale.Min) + " (lowest) to " + strconv.Itoa(cat.Scale.Max) +
			" (highest). Your draft is saved as you go; submit the sheet when every indicator is scored.",
		Overall: components.Field{Name: scoring.OverallField, Label: "Overall comment", Type: "textarea", Value: in.Overall,
			MaxLength: scoring.MaxComment, Error: st.errs.Get(scoring.OverallField)},
	}
	switch {
	case closed:
		v.Status = "The round closed on " + formatInstant(closedAt, loc) + ": the sheet can no longer change."
		if sheet.Status == scoring.Submitted {
			v.Status += " It was submitted on " + formatInstant(*sheet.SubmittedAt, loc) + "."
		} else {
			v.Status += " It was not submitted."
		}
	case sheet.Status == scoring.Submitted:
		v.Status = "Submitted on " + formatInstant(*sheet.SubmittedAt, loc) + ". You can revise it and resubmit it until the round closes."
	default:
		v.Status = "Draft, last saved on " + formatInstant(sheet.UpdatedAt, loc) + ". Not submitted yet."
	}
	commentsRequired := sheetCommentsRequired(ed)
	for _, c := range cat.Criteria {
		cv := pages.SheetCriterion{Name: c.Name, Description: c.Description,
			Comment: components.Field{Name: scoring.CommentField(c.Key), Label: "Comment on " + c.Name, Type: "textarea",
				Value: in.Comments[c.Key], MaxLength: scoring.MaxComment, Required: commentsRequired, Error: st.errs.Get(scoring.CommentField(c.Key))}}
		if c.Weight != 0 {
			cv.Weight = "(weight " + strconv.FormatFloat(c.Weight, 'f', -1, 64) + ")"
		}
		for _, ind := range c.Indicators {
			n, scored := in.Scores[ind.ID]
			opts := []components.Option{{Value: "", Label: "Not scored", Selected: !scored}}
			for p := cat.Scale.Min; p <= cat.Scale.Max; p++ {
				opts = append(opts, components.Option{Value: strconv.Itoa(p), Label: strconv.Itoa(p), Selected: scored && n == p})
			}
			f := pages.IndicatorField{Field: components.Field{Name: scoring.ScoreField(ind.ID), Label: ind.Name, Type: "select",
				Options: opts, Required: true, Error: st.errs.Get(scoring.ScoreField(ind.ID))}, Score: "Not scored"}
			if scored {
				f.Score = strconv.Itoa(n)
			}
			cv.Indicators = append(cv.Indicators, f)
		}
		v.Criteria = append(v.Criteria, cv)
	}
	ver, err := application.SubmittedVersion(ctx, s.pool, e.ID)
	if err != nil {
		return err
	}
	v.Facts = append(v.Facts, pages.Fact{Label: "Submitted", Value: formatInstant(ver.SubmittedAt, loc) + " (version " + strconv.Itoa(ver.Number) + ")"})
	fileURL := func(ref form.FileRef) string { return href + "/files/" + ref.ID }
	for i := range cat.Form.Sections {
		sec := &cat.Form.Sections[i]
		v.Sections = append(v.Sections, pages.ReviewSection{Title: sec.Title, Questions: reviewQuestions(cat.Form, sec, ver.Answers, fileURL)})
	}
	if authz.CanSeeClarifications(actor, ed.ID, now, ed.Schedule.Scoring.Start) {
		thread, err := clarify.Thread(ctx, s.pool, actor.UserID, e.ID, now)
		if err != nil {
			return err
		}
		base := "/entries/" + strconv.FormatInt(e.ID, 10) + "/clarifications/files/"
		v.Panels = append(v.Panels, pages.ScoringClarifications(pages.ClarificationPanelView{
			Items: clarThreadItems(thread, clarForm(ed, e.CategoryID), loc, now, func(d clarify.Document) string {
				return base + strconv.FormatInt(d.ID, 10)
			})}))
	}
	ctxPanel, err := s.contextPanel(r, screening.Entry{ID: e.ID, EditionID: ed.ID, CategoryID: e.CategoryID}, ed)
	if err != nil {
		return err
	}
	if ctxPanel != nil {
		v.Panels = append(v.Panels, ctxPanel)
	}
	return s.render(w, r, status, pages.ScoringSheet(v))
}

// scoringDeclare records the acting evaluator's declaration that they have no conflict of
// interest with entry {id} (POST /scoring/{id}/declare).
func (s *Server) scoringDeclare(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	e, ed, cat, err := s.evaluatorEntry(r)
	if err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		sheet, err := scoring.Declare(ctx, tx, actor.UserID, e.ID, s.now())
		if err != nil {
			return err
		}
		if e.Declared {
			return nil
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "scoring.declare", ObjectType: "score_sheet",
			ObjectID: strconv.FormatInt(sheet.ID, 10), IP: s.clientIP(r),
			Details: map[string]any{"application": e.ID, "edition": ed.ID, "no_conflict": true}})
	})
	if errors.Is(err, scoring.ErrRoundClosed) {
		return s.renderDeclare(w, r, http.StatusConflict, e, ed, cat, "", nil, "The scoring round is closed.")
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "Thank you: you declared that you have no conflict of interest with this entry.")
	return redirect(w, r, scoringHref(e.ID))
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
	e, ed, cat, err := s.evaluatorEntry(r)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(f.Reason)
	var errs field.Errors
	switch {
	case reason == "":
		errs.Add("reason", "Say why you recuse yourself.")
	case utf8.RuneCountInString(reason) > scoring.MaxReason:
		errs.Add("reason", "Use at most 2,000 characters.")
	}
	if errs.Any() {
		if !e.Declared {
			return s.renderDeclare(w, r, http.StatusUnprocessableEntity, e, ed, cat, f.Reason, errs, "")
		}
		return s.renderSheet(w, r, http.StatusUnprocessableEntity, sheetState{e: e, ed: ed, cat: cat, reason: f.Reason, errs: errs})
	}
	actor := authz.ActorFrom(ctx)
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		// The round must be open; the sheet goes, then the committee ends the assignment,
		// audits it and refills the entry.
		if closed, _, err := scoring.Closed(ctx, tx, ed.ID); err != nil || closed {
			if closed {
				return scoring.ErrRoundClosed
			}
			return err
		}
		if err := scoring.DeleteSheet(ctx, tx, actor.UserID, e.ID); err != nil {
			return err
		}
		_, err := committee.Recuse(ctx, tx, actor.UserID, e.ID, reason, s.now())
		return err
	})
	if errors.Is(err, scoring.ErrRoundClosed) {
		return s.renderSheet(w, r, http.StatusConflict, sheetState{e: e, ed: ed, cat: cat, notice: "The scoring round is closed: you can no longer recuse yourself."})
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "You recused yourself from \""+entryTitle(e.Title, e.ID)+"\". The entry will be given to another evaluator.")
	return redirect(w, r, "/scoring")
}

// sheetProblem answers a save or submission that stored nothing because of err (one of the
// store's refusals), as JSON for an autosave or as the page; handled is false for other errors.
func (s *Server) sheetProblem(w http.ResponseWriter, r *http.Request, auto bool, st sheetState, err error) (bool, error) {
	var status int
	var msg string
	switch {
	case errors.Is(err, scoring.ErrRoundClosed):
		status, msg = http.StatusForbidden, "The scoring round is closed: the sheet can no longer change. Your changes were not saved."
	case errors.Is(err, scoring.ErrSubmitted):
		status, msg = http.StatusConflict, "This sheet is submitted: your changes are saved only when you resubmit it."
	case errors.Is(err, db.ErrConflict):
		status, msg = http.StatusConflict, "This sheet was saved in another tab or window after you opened it, so your changes were not saved yet. Your entries are in the form below: save again to keep them."
	case errors.Is(err, scoring.ErrNotDeclared):
		if auto {
			return true, writeAutosave(w, http.StatusConflict, autosaveReply{Error: "Declare first that you have no conflict of interest: reload the page."})
		}
		return true, redirect(w, r, scoringHref(st.e.ID))
	default:
		return false, nil
	}
	if auto {
		if errors.Is(err, db.ErrConflict) {
			msg = "This sheet was saved in another tab or window. Autosave has stopped: press Save draft to keep your changes."
		}
		return true, writeAutosave(w, status, autosaveReply{Error: msg})
	}
	st.notice = msg
	if cur, err := scoring.SheetOf(r.Context(), s.pool, authz.ActorFrom(r.Context()).UserID, st.e.ID); err == nil {
		st.version = cur.Version
	}
	if status == http.StatusForbidden {
		st.typed = nil
	}
	return true, s.renderSheet(w, r, status, st)
}

// scoringSave saves the sheet of entry {id} as a draft (POST /scoring/{id}): from the Save
// buttons, or from form.js's autosave (answered with JSON). A save from a page loaded at an
// older version stores nothing and shows the evaluator's entries again.
func (s *Server) scoringSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	auto := r.Header.Get(autosaveHeader) == "1"
	vals, err := scoringValues(w, r)
	if err != nil {
		return err
	}
	e, ed, cat, err := s.evaluatorEntry(r)
	if err != nil {
		return err
	}
	in, errs := scoring.Parse(cat, vals.Get)
	base, _ := strconv.Atoi(vals.Get("version"))
	actor := authz.ActorFrom(ctx)
	var sheet scoring.Sheet
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if sheet, err = scoring.Save(ctx, tx, actor.UserID, e.ID, cat, base, in, s.now()); err != nil || auto {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "scoring.save", ObjectType: "score_sheet",
			ObjectID: strconv.FormatInt(sheet.ID, 10), IP: s.clientIP(r),
			Details: map[string]any{"application": e.ID, "edition": ed.ID, "version": sheet.Version, "scored": len(sheet.Scores)}})
	})
	st := sheetState{e: e, ed: ed, cat: cat, typed: &in, errs: errs}
	if handled, herr := s.sheetProblem(w, r, auto, st, err); handled {
		return herr
	} else if err != nil {
		return err
	}
	if auto {
		return writeAutosave(w, http.StatusOK, autosaveReply{Version: sheet.Version, SavedAt: sheet.UpdatedAt.UTC().Format(time.RFC3339),
			SavedAtText: sheet.UpdatedAt.In(ed.TimeZone).Format("15:04 MST"), Problems: len(errs)})
	}
	if errs.Any() {
		st.typed, st.version = &in, sheet.Version
		st.notice = "Your draft was saved, but some entries need your attention: see the messages next to them."
		return s.renderSheet(w, r, http.StatusUnprocessableEntity, st)
	}
	s.flash(ctx, "Your draft was saved.")
	if vals.Get("action") == "next" {
		next, err := scoring.NextUnfinished(ctx, s.pool, actor.UserID, e.ID)
		if err != nil {
			return err
		}
		if next == 0 {
			s.flash(ctx, "Your draft was saved. No other entry is waiting for your scores.")
			return redirect(w, r, "/scoring")
		}
		return redirect(w, r, scoringHref(next))
	}
	return redirect(w, r, scoringHref(e.ID))
}

// scoringSubmit submits (or resubmits) the sheet of entry {id} (POST /scoring/{id}/submit):
// every indicator must be scored on the scale, and each criterion commented when the edition
// requires it; otherwise the errors are shown next to the fields, and a draft keeps what was
// typed (it is saved as a draft).
func (s *Server) scoringSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vals, err := scoringValues(w, r)
	if err != nil {
		return err
	}
	e, ed, cat, err := s.evaluatorEntry(r)
	if err != nil {
		return err
	}
	in, errs := scoring.Parse(cat, vals.Get)
	if !errs.Any() {
		errs = scoring.Validate(cat, in, sheetCommentsRequired(ed))
	}
	base, _ := strconv.Atoi(vals.Get("version"))
	actor, now := authz.ActorFrom(ctx), s.now()
	st := sheetState{e: e, ed: ed, cat: cat, typed: &in, errs: errs}
	if errs.Any() {
		// A draft keeps what was typed; a submitted sheet stays as it was submitted.
		if e.Status != scoring.Submitted {
			var sheet scoring.Sheet
			err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
				var err error
				sheet, err = scoring.Save(ctx, tx, actor.UserID, e.ID, cat, base, in, now)
				return err
			})
			if handled, herr := s.sheetProblem(w, r, false, st, err); handled {
				return herr
			} else if err != nil {
				return err
			}
			st.version = sheet.Version
			st.notice = "Your draft was saved, but the sheet cannot be submitted yet: see the messages next to the fields."
		} else {
			st.notice = "Your revision was not submitted: see the messages next to the fields. The sheet you submitted earlier stands."
		}
		return s.renderSheet(w, r, http.StatusUnprocessableEntity, st)
	}
	var sheet scoring.Sheet
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if sheet, err = scoring.Submit(ctx, tx, actor.UserID, e.ID, cat, base, in, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "scoring.submit", ObjectType: "score_sheet",
			ObjectID: strconv.FormatInt(sheet.ID, 10), IP: s.clientIP(r),
			Details: map[string]any{"application": e.ID, "edition": ed.ID, "version": sheet.Version, "revised": e.Status == scoring.Submitted}})
	})
	if handled, herr := s.sheetProblem(w, r, false, st, err); handled {
		return herr
	} else if err != nil {
		return err
	}
	msg := "Your score sheet for \"" + entryTitle(e.Title, e.ID) + "\" was submitted."
	if e.Status == scoring.Submitted {
		msg = "Your revised score sheet for \"" + entryTitle(e.Title, e.ID) + "\" was submitted."
	}
	s.flash(ctx, msg)
	return redirect(w, r, "/scoring")
}

// scoringFile sends a document of entry {id} to its evaluator (GET /scoring/{id}/files/{file}),
// checked by the assignment in SQL.
func (s *Server) scoringFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	fileID, err := strconv.ParseInt(chi.URLParam(r, "file"), 10, 64)
	if err != nil {
		return errNotFound
	}
	f, err := scoring.File(ctx, s.pool, authz.ActorFrom(ctx).UserID, id, fileID)
	if err != nil {
		return err
	}
	return files.Serve(w, r, s.files, f)
}

// --- progress (the secretariat and the committee head)

// mayFollowScoring reports whether actor may follow the scoring of edition: its secretariat or
// committee head (internal/scoring repeats it in SQL).
func mayFollowScoring(actor authz.Actor, edition int64) bool {
	return edition != 0 && (actor.Has(authz.RoleSecretariat, edition) || actor.Has(authz.RoleCommitteeHead, edition))
}

// progressEdition is the edition the progress page shows: ?edition=ID when the actor may follow
// it, else the newest they may; with the picker of those editions.
func (s *Server) progressEdition(r *http.Request) (*edition.Edition, components.Field, error) {
	return s.pickEdition(r, mayFollowScoring)
}

// scoringProgress shows the completion per evaluator, or per entry with ?view=entries
// (GET /scoring/progress?edition=).
func (s *Server) scoringProgress(w http.ResponseWriter, r *http.Request) error {
	return s.renderProgress(w, r, http.StatusOK, nil)
}

func (s *Server) renderProgress(w http.ResponseWriter, r *http.Request, status int, errs field.Errors) error {
	ctx := r.Context()
	ed, picker, err := s.progressEdition(r)
	if err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	q := r.URL.Query()
	edq := "/scoring/progress?edition=" + strconv.FormatInt(ed.ID, 10)
	byEntry := q.Get("view") == "entries"
	v := pages.ScoringProgressView{
		Page: s.page(r, "Round 2 progress, "+ed.Name), Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name,
		Window:  "Scoring runs " + formatWindow(ed.Schedule.Scoring, ed.TimeZone) + ". Evaluators with unfinished sheets are reminded automatically three days and one day before it ends.",
		ByEntry: byEntry, Remind: "/scoring/progress/remind?edition=" + strconv.FormatInt(ed.ID, 10), Errors: errs,
	}
	evTab, enTab := components.Link{Label: "By evaluator", Href: edq}, components.Link{Label: "By entry", Href: edq + "&view=entries"}
	if byEntry {
		v.Tabs = []components.Link{enTab, evTab}
	} else {
		v.Tabs = []components.Link{evTab, enTab}
	}
	closed, closedAt, err := scoring.Closed(ctx, s.pool, ed.ID)
	if err != nil {
		return err
	}
	if closed {
		v.Closed = "The round closed on " + formatInstant(closedAt, ed.TimeZone) + "."
	}
	pq := url.Values{"edition": {strconv.FormatInt(ed.ID, 10)}}
	if byEntry {
		pq.Set("view", "entries")
		list, err := scoring.Entries(ctx, s.pool, actor.UserID, ed.ID, queryPage(q))
		if err != nil {
			return err
		}
		head := actor.Has(authz.RoleCommitteeHead, ed.ID)
		for _, p := range list.Rows {
			row := pages.ProgressEntryRow{Title: entryTitle(p.Title, p.ID), Category: p.Category, Assigned: p.Assigned, Submitted: p.Submitted}
			if closed && head {
				row.Sheets = "/scoring/entries/" + strconv.FormatInt(p.ID, 10) + "/sheets"
			}
			v.Entries = append(v.Entries, row)
		}
		v.Pager = pagerFor("/scoring/progress", pq, list.Page, list.Pages, list.Total, scoring.PerPage, "entries")
	} else {
		list, err := scoring.Evaluators(ctx, s.pool, actor.UserID, ed.ID, queryPage(q))
		if err != nil {
			return err
		}
		for _, p := range list.Rows {
			v.Evaluators = append(v.Evaluators, pages.ProgressEvaluatorRow{ID: p.ID, Name: p.Name, Assigned: p.Assigned,
				NotOpened: p.Assigned - p.Drafts - p.Submitted, Drafts: p.Drafts, Submitted: p.Submitted})
		}
		v.Pager = pagerFor("/scoring/progress", pq, list.Page, list.Pages, list.Total, scoring.PerPage, "evaluators")
	}
	return s.render(w, r, status, pages.ScoringProgress(v))
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
	ed, _, err := s.progressEdition(r)
	if err != nil {
		return err
	}
	if len(f.IDs) == 0 || len(f.IDs) > scoring.PerPage {
		return s.renderProgress(w, r, http.StatusUnprocessableEntity, field.Errors{{Field: "ids", Message: "Select the evaluators to remind."}})
	}
	actor := authz.ActorFrom(ctx)
	sent, skipped := 0, 0
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		sent, skipped = 0, 0
		for _, id := range f.IDs {
			p, err := scoring.Member(ctx, tx, actor.UserID, ed.ID, id)
			if errors.Is(err, db.ErrNotFound) || (err == nil && p.Unfinished() == 0) {
				skipped++
				continue
			}
			if err != nil {
				return err
			}
			if _, err := s.outbox.Queue(ctx, tx, s.scoringReminderEmail(ed, p.ID, p.Name, p.Email, p.Unfinished(), "")); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "scoring.remind", ObjectType: "user",
				ObjectID: strconv.FormatInt(p.ID, 10), IP: s.clientIP(r), Details: map[string]any{"edition": ed.ID, "unfinished": p.Unfinished()}}); err != nil {
				return err
			}
			sent++
		}
		return nil
	})
	if err != nil {
		return err
	}
	msg := countText(sent, "reminder", "reminders") + " sent."
	if skipped > 0 {
		msg += " " + countText(skipped, "selected evaluator has", "selected evaluators have") + " no unfinished sheet and got none."
	}
	s.flash(ctx, msg)
	return redirect(w, r, "/scoring/progress?edition="+strconv.FormatInt(ed.ID, 10))
}

// scoringReminderEmail asks evaluator name to finish their unfinished sheets of ed; when names
// when ("in three days", "tomorrow") for an automatic reminder.
func (s *Server) scoringReminderEmail(ed *edition.Edition, id int64, name, email string, unfinished int, when string) notify.Message {
	end := endStamp(ed.Schedule.Scoring.End, ed.TimeZone)
	lead := "A reminder from the " + prizeName(ed) + ": "
	if when != "" {
		lead = "The scoring round of the " + prizeName(ed) + " ends " + when + ". "
	}
	return actionMessage("scoring-reminder", email, name, "Reminder: "+countText(unfinished, "score sheet", "score sheets")+" to submit by "+end, id,
		emails.ActionEmail{Meta: s.emailMeta(ed), Title: "Score sheets to finish", Greeting: "Dear " + name + ",",
			Paragraphs: []string{
				lead + countText(unfinished, "entry assigned to you has", "entries assigned to you have") + " no submitted score sheet yet.",
				"Please score them and submit your sheets by " + end + ".",
			},
			ActionLabel: "Open your entries", ActionURL: s.absURL("/scoring")})
}

// SendScoringReminders emails each evaluator with unfinished sheets three days and one day
// before the end of the scoring window (edition.Schedule.Scoring.End), each stage once per
// evaluator and edition: the audit entry (scoring.ReminderAction) recorded with the email is
// the record. Run periodically by the worker (Tasks).
func (s *Server) SendScoringReminders(ctx context.Context) error {
	now := s.now()
	due, err := scoring.DueReminders(ctx, s.pool, now)
	if err != nil {
		return err
	}
	eds := map[int64]*edition.Edition{}
	var errs []error
	for _, d := range due {
		ed, ok := eds[d.EditionID]
		if !ok {
			if ed, err = edition.ByID(ctx, s.pool, d.EditionID); err != nil {
				errs = append(errs, err)
				continue
			}
			eds[d.EditionID] = ed
		}
		when := "in three days"
		if d.Stage == scoring.Stage1Day {
			when = "within a day"
		}
		err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			ok, err := scoring.ClaimReminder(ctx, tx, d)
			if err != nil || !ok {
				return err
			}
			if err := audit.Record(ctx, tx, audit.Entry{ActorLabel: "system", Action: scoring.ReminderAction, ObjectType: "user",
				ObjectID: strconv.FormatInt(d.EvaluatorID, 10), Details: map[string]any{"edition": d.EditionID, "stage": d.Stage, "unfinished": d.Unfinished}}); err != nil {
				return err
			}
			_, err = s.outbox.Queue(ctx, tx, s.scoringReminderEmail(ed, d.EvaluatorID, d.Name, d.Email, d.Unfinished, when))
			return err
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// --- after the round: the committee head reads every sheet

// scoringSheets shows every sheet of entry {id} to the committee head of its edition once the
// round is closed (GET /scoring/entries/{id}/sheets): 404 for anyone else, 403 while the scores
// are sealed.
func (s *Server) scoringSheets(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	title, edID, catID, err := scoring.EntryTitle(ctx, s.pool, id)
	if err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	if !actor.Has(authz.RoleCommitteeHead, edID) {
		return errNotFound
	}
	closed, _, err := scoring.Closed(ctx, s.pool, edID)
	if err != nil {
		return err
	}
	if !closed {
		return authz.ErrForbidden
	}
	ed, err := edition.ByID(ctx, s.pool, edID)
	if err != nil {
		return err
	}
	cat := clarCategory(ed, catID)
	if cat == nil {
		return errNotFound
	}
	sheets, err := scoring.EntrySheets(ctx, s.pool, actor.UserID, id)
	if err != nil {
		return err
	}
	title = entryTitle(title, id)
	v := pages.ScoringSheetsView{Page: s.page(r, "Score sheets: "+title), Title: "Score sheets: " + title,
		Back: "/scoring/progress?edition=" + strconv.FormatInt(ed.ID, 10) + "&view=entries"}
	for _, sh := range sheets {
		hv := pages.HeadSheetView{Evaluator: sh.EvaluatorName, Overall: sh.Overall, Status: "Not submitted (a draft)."}
		if sh.Status == scoring.Submitted {
			hv.Status = "Submitted on " + formatInstant(*sh.SubmittedAt, ed.TimeZone) + "."
		}
		for _, c := range cat.Criteria {
			cv := pages.SheetCriterion{Name: c.Name, Comment: components.Field{Value: sh.Comments[c.Key]}}
			for _, ind := range c.Indicators {
				f := pages.IndicatorField{Field: components.Field{Label: ind.Name}, Score: "Not scored"}
				if n, ok := sh.Scores[ind.ID]; ok {
					f.Score = strconv.Itoa(n)
				}
				cv.Indicators = append(cv.Indicators, f)
			}
			hv.Criteria = append(hv.Criteria, cv)
		}
		v.Sheets = append(v.Sheets, hv)
	}
	return s.render(w, r, http.StatusOK, pages.ScoringSheets(v))
}
