package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/files"
	"prizeportal/internal/i18n"
	"prizeportal/internal/nomination"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// appContext is what every page of an application needs, for the applicant's project
// application and a nominator's nomination alike: the application of the acting user (loaded
// with the owner filter) with its edition, category and owner, and the acting user.
type appContext struct {
	application.Entry
	actor authz.Actor
	// nom holds the facts of a nomination; nil for a project application.
	nom *nomination.Nomination
}

// url is the path of one of the application's pages, such as "/review".
func (c *appContext) url(suffix string) string { return c.Home + suffix }

func (c *appContext) sectionURL(key string) string { return views.SectionHref(c.Home, key) }

// loadEntry loads the application the request is about: the nomination named in the path
// ("/nominations/{nomination}/..."), or else the acting applicant's project application. An
// account that registered for no category with a form has no application page (404).
func (s *Server) loadEntry(r *http.Request) (*appContext, error) {
	if chi.URLParam(r, "nomination") != "" {
		return s.loadNomination(r)
	}
	ctx := r.Context()
	e, err := s.applications.Project(ctx, authz.ActorFrom(ctx).UserID)
	if err != nil {
		return nil, err
	}
	e.Home = "/application"
	return &appContext{Entry: e, actor: authz.ActorFrom(ctx)}, nil
}

// postedEntry decodes the posted form into dst and loads the application the request is about.
func (s *Server) postedEntry(w http.ResponseWriter, r *http.Request, dst any) (*appContext, error) {
	if err := decodeForm(w, r, dst); err != nil {
		return nil, err
	}
	return s.loadEntry(r)
}

// yours is the heading of c's overview: "Your project application" or "Your nomination".
func (c *appContext) yours() string {
	if c.nom != nil {
		return i18n.M("Your nomination")
	}
	return i18n.M("Your project application")
}

// open reports whether the application may still be changed (application.Entry.Open).
func (s *Server) open(c *appContext) bool { return c.Open(s.now()) }

func (s *Server) appSummary(c *appContext) pages.ApplicationSummary {
	return views.ApplicationSummary(c.Entry, c.nom != nil, s.now())
}

// applicationOverview shows the sections with what is complete and missing, the status and the
// deadline.
func (s *Server) applicationOverview(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	v := pages.ApplicationOverviewView{
		Page: s.page(r, c.yours()), Summary: s.appSummary(c),
		Title: application.Title(c.App.Answers), Unverified: !c.actor.EmailVerified,
		CanWithdraw: c.App.Status == application.Submitted && s.open(c),
	}
	if c.nom != nil {
		v.Title = i18n.Msg("Nomination of {{.Candidate}}", "Candidate", c.nom.CandidateName)
		v.Nomination = s.nominationPanel(c)
	}
	for _, p := range form.Progress(c.Category.Form, c.App.Answers) {
		os := pages.OverviewSection{Title: p.Title, Href: c.sectionURL(p.Key), Complete: p.Complete(), Problems: p.Problems}
		for _, m := range p.Missing {
			os.Missing = append(os.Missing, m.Label)
		}
		v.Sections = append(v.Sections, os)
	}
	return s.render(w, r, http.StatusOK, pages.ApplicationOverview(v))
}

func (s *Server) renderSection(w http.ResponseWriter, r *http.Request, status int, c *appContext, sec *form.Section, st views.SectionState) error {
	v := views.ApplicationSection(c.Entry, c.nom != nil, s.now(), sec, st)
	if c.nom != nil {
		v.Page = s.page(r, i18n.Msg("{{.Section}} – your nomination", "Section", sec.Title))
	} else {
		v.Page = s.page(r, i18n.Msg("{{.Section}} – your project application", "Section", sec.Title))
	}
	return s.render(w, r, status, pages.ApplicationSection(v))
}

// loadSection loads the application the request is about and its section named in the path.
func (s *Server) loadSection(r *http.Request) (*appContext, *form.Section, error) {
	c, err := s.loadEntry(r)
	if err != nil {
		return nil, nil, err
	}
	sec, ok := c.Category.Form.Section(chi.URLParam(r, "section"))
	if !ok {
		return nil, nil, errNotFound
	}
	return c, sec, nil
}

// applicationSection shows one section of the application: a form before the deadline, the
// answers read-only after it.
func (s *Server) applicationSection(w http.ResponseWriter, r *http.Request) error {
	c, sec, err := s.loadSection(r)
	if err != nil {
		return err
	}
	return s.renderSection(w, r, http.StatusOK, c, sec, views.SectionState{Answers: c.App.Answers, Version: c.App.Version})
}

// receive reads a multipart form and its files under limits (files.Receiver). A request refused
// as a whole is answered by refused with its status and message, and no result is returned.
// This is the HTTP part of every form with uploads: a section, a clarification's answer, a letter.
func (s *Server) receive(w http.ResponseWriter, r *http.Request, limits map[string]files.Limits, refused func(status int, message string) error) (*files.Result, error) {
	res, err := (&files.Receiver{Storage: s.files, Files: limits}).Receive(w, r)
	var reqErr *files.RequestError
	if errors.As(err, &reqErr) {
		return nil, refused(reqErr.Status, reqErr.Message)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// applicationSectionPost saves one section as a draft (application.Service.SavePosted). Nothing
// typed is lost: answers with format problems are saved as typed and the problems shown; a save
// from a page loaded at an older version (another tab saved since) is not applied, and both
// texts are shown instead. An autosave (autosaveHeader) is saved the same way and answered with
// JSON.
func (s *Server) applicationSectionPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, sec, err := s.loadSection(r)
	if err != nil {
		return err
	}
	auto := r.Header.Get(autosaveHeader) == "1"
	notSaved := func(status int, notice string) error {
		if auto {
			return writeAutosave(w, status, autosaveReply{Error: i18n.T(ctx, notice)})
		}
		return s.renderSection(w, r, status, c, sec, views.SectionState{Answers: c.App.Answers, Version: c.App.Version, Notice: notice})
	}
	if !s.open(c) {
		return notSaved(http.StatusForbidden, i18n.Msg("{{.Notice}} Your changes were not saved.", "Notice", c.ClosedNotice()))
	}
	res, err := s.receive(w, r, application.FileLimits(sec, c.App.Answers), func(status int, msg string) error {
		return notSaved(status, i18n.Msg("{{.Problem}} Nothing was saved.", "Problem", msg))
	})
	if err != nil || res == nil {
		return err
	}
	saved, errs, err := s.applications.SavePosted(ctx, c.actor, c.Entry, sec, res)
	if err != nil {
		attached := len(res.Files) > 0
		s.discardUploads(ctx, res, "application")
		var conflict *application.ConflictError
		switch {
		case errors.As(err, &conflict) && auto:
			return writeAutosave(w, http.StatusConflict, autosaveReply{
				Error: i18n.T(ctx, "This section was saved in another tab or window. Autosave has stopped: press Save to see both versions.")})
		case errors.As(err, &conflict):
			// Nothing is overwritten: the form shows the user's answers, and each question the
			// other tab changed is listed with its saved text, so the user can choose and save again.
			st := views.SectionState{Answers: conflict.Shown, Version: conflict.Current.Version,
				Notice: i18n.M("This section was saved in another tab or window after you opened it, so your changes were not saved yet.")}
			if attached {
				st.Notice = i18n.M("This section was saved in another tab or window after you opened it, so your changes were not saved yet. The files you attached were not kept: attach them again.")
			}
			for _, cf := range conflict.Conflicts {
				st.Conflicts = append(st.Conflicts, pages.ConflictView(cf))
			}
			c.App = conflict.Current
			return s.renderSection(w, r, http.StatusConflict, c, sec, st)
		case errors.Is(err, application.ErrClosed): // the deadline passed while the form was sent
			return notSaved(http.StatusForbidden, i18n.Msg("{{.Notice}} Your changes were not saved.", "Notice", c.ClosedNotice()))
		}
		return err
	}
	c.App = saved
	if auto {
		return writeAutosave(w, http.StatusOK, autosaveReply{Version: saved.Version,
			SavedAt: saved.UpdatedAt.UTC().Format(time.RFC3339), SavedAtText: saved.UpdatedAt.In(c.Edition.TimeZone).Format("15:04 MST"),
			Problems: len(errs)})
	}
	st := views.SectionState{Answers: saved.Answers, Version: saved.Version, Errs: errs}
	if row := res.Values.Get(form.AddRowField); row != "" {
		st.ExtraRows = map[string]int{row: 1}
		return s.renderSection(w, r, http.StatusOK, c, sec, st)
	}
	if errs.Any() {
		st.Notice = i18n.M("Your answers were saved, but some need your attention: see the messages next to the questions.")
		return s.renderSection(w, r, http.StatusUnprocessableEntity, c, sec, st)
	}
	s.flash(ctx, "Your answers were saved.")
	switch res.Values.Get("action") {
	case "continue":
		if i := c.Category.Form.SectionIndex(sec.Key); i+1 < len(c.Category.Form.Sections) {
			return redirect(w, r, c.sectionURL(c.Category.Form.Sections[i+1].Key))
		}
	case "review":
		return redirect(w, r, c.url("/review"))
	}
	return redirect(w, r, c.sectionURL(sec.Key))
}

// autosaveHeader marks a save sent by form.js while the applicant types: it is saved exactly like
// the Save button (same validation, same version check), and answered with an autosaveReply.
const autosaveHeader = "X-Autosave"

// autosaveReply is the JSON answer to an autosave: the new version and when it was saved, or why
// nothing was saved.
type autosaveReply struct {
	Version int `json:"version,omitempty"`
	// SavedAt is the time of the save in RFC 3339; SavedAtText shows it in the prize's time zone
	// ("14:32 KST").
	SavedAt     string `json:"savedAt,omitempty"`
	SavedAtText string `json:"savedAtText,omitempty"`
	// Problems counts the answers saved as typed that need the applicant's attention.
	Problems int    `json:"problems,omitempty"`
	Error    string `json:"error,omitempty"`
}

func writeAutosave(w http.ResponseWriter, status int, v autosaveReply) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// discardUploads removes the files received with a request that saved nothing; a failure leaves
// orphan objects, logged under area, and changes nothing for the user.
func (s *Server) discardUploads(ctx context.Context, res *files.Result, area string) {
	if res == nil || len(res.Files) == 0 {
		return
	}
	if err := res.Discard(context.WithoutCancel(ctx)); err != nil {
		s.ctxLog(ctx).Error(area+": discard uploads", "err", err)
	}
}

// applicationFile sends a file of the acting user's application; anyone else's file is 404.
func (s *Server) applicationFile(w http.ResponseWriter, r *http.Request) error {
	id, err := routeID(r)
	if err != nil {
		return err
	}
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	f, err := application.File(r.Context(), s.pool, c.actor.UserID, c.App.ID, id)
	if err != nil {
		return err
	}
	return files.Serve(w, r, s.files, f)
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, status int, c *appContext, problems []application.Problem, notice string) error {
	v := views.ApplicationReview(c.Entry, c.nom != nil, c.actor.EmailVerified, s.now(), problems, notice)
	v.Page = s.page(r, "Review your application")
	return s.render(w, r, status, pages.ApplicationReview(v))
}

// applicationReview shows the whole application before submitting.
func (s *Server) applicationReview(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	return s.renderReview(w, r, http.StatusOK, c, nil, "")
}

type submitForm struct {
	Version int `form:"version"`
}

// applicationSubmit submits the application (application.Service.Submit): a refusal shows the
// review page again with why, and the answers that stop it. The pruned answers are kept as a new
// version and a receipt is emailed.
func (s *Server) applicationSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f submitForm
	c, err := s.postedEntry(w, r, &f)
	if err != nil {
		return err
	}
	_, err = s.applications.Submit(ctx, c.actor, c.Entry, f.Version)
	if refusal, ok := fault.As(err); ok {
		if refusal.Kind == fault.Conflict {
			var lerr error
			if c, lerr = s.loadEntry(r); lerr != nil {
				return lerr
			}
		}
		var problems *application.ProblemsError
		if !errors.As(err, &problems) {
			problems = &application.ProblemsError{}
		}
		notice := refusal.Message
		if errors.Is(err, application.ErrClosed) || errors.Is(err, application.ErrPastEdition) {
			notice = c.ClosedNotice() // the same text, in the reader's language
		}
		return s.renderReview(w, r, faultProblem(err).status, c, problems.Problems, notice)
	}
	if err != nil {
		return err
	}
	s.flash(ctx, views.Submitted(c.Entry, c.nom))
	return redirect(w, r, c.Home)
}

func (s *Server) renderWithdraw(w http.ResponseWriter, r *http.Request, status int, c *appContext, notice string) error {
	v := views.ApplicationWithdraw(c.Entry, s.now(), notice)
	v.Page = s.page(r, "Withdraw your application")
	return s.render(w, r, status, pages.FormPage(v))
}

// applicationWithdrawPage asks for confirmation before withdrawing, or says why it cannot be.
func (s *Server) applicationWithdrawPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	return s.renderWithdraw(w, r, http.StatusOK, c, "")
}

// applicationWithdraw withdraws the submitted application (application.Service.Withdraw).
func (s *Server) applicationWithdraw(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.postedEntry(w, r, &struct{}{})
	if err != nil {
		return err
	}
	err = s.applications.Withdraw(ctx, c.actor, c.App, c.Edition.Schedule)
	if errors.Is(err, application.ErrClosed) {
		// the notice names the application's own deadline
		return s.renderWithdraw(w, r, http.StatusForbidden, c, c.ClosedNotice())
	}
	if status, msg, ok := refusalOf(err); ok {
		return s.renderWithdraw(w, r, status, c, msg)
	} else if err != nil {
		return err
	}
	if c.nom != nil {
		s.flash(ctx, "Your nomination was withdrawn.")
	} else {
		s.flash(ctx, "Your project application was withdrawn.")
	}
	return redirect(w, r, c.Home)
}

// byID loads what the route's {id} names with load, a domain loader that applies the acting
// user's rule (in SQL): what the actor may not see is db.ErrNotFound.
func byID[T any](r *http.Request, load func(context.Context, authz.Actor, int64) (T, error)) (T, error) {
	id, err := routeID(r)
	if err != nil {
		var zero T
		return zero, err
	}
	return load(r.Context(), authz.ActorFrom(r.Context()), id)
}

// showByID renders the page that page builds of what load finds under the route's {id} (byID).
func showByID[T any](s *Server, w http.ResponseWriter, r *http.Request, load func(context.Context, authz.Actor, int64) (T, error), page func(T) templ.Component) error {
	v, err := byID(r, load)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, page(v))
}

// serveByID sends the stored file that load finds under the route's {id} (byID).
func (s *Server) serveByID(w http.ResponseWriter, r *http.Request, load func(context.Context, authz.Actor, int64) (files.File, error)) error {
	f, err := byID(r, load)
	if err != nil {
		return err
	}
	return s.sendStored(w, r, f)
}

// postedID decodes the posted form into dst and reads the route's {id}.
func postedID(w http.ResponseWriter, r *http.Request, dst any) (int64, error) {
	if err := decodeForm(w, r, dst); err != nil {
		return 0, err
	}
	return routeID(r)
}
