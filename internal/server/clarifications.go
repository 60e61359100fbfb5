package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/clarify"
	"prizeportal/internal/db"
	"prizeportal/internal/files"
	"prizeportal/internal/i18n"
	"prizeportal/internal/screening"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// Clarifications (DOMAIN.md "Round 1": the secretariat may ask an applicant for
// clarification or more information). The secretariat asks from the screening view (the panel
// views.ClarPanel, or the page /secretariat/screening/{id}/clarifications that also shows the
// form's errors); the applicant, emailed a link, answers at /clarifications/{id} in writing and
// with documents, and may change the questions of the locked application the secretariat named,
// which are kept as a new submitted version. Applicants see only the questions and their own
// answers, never the screening decision or its notes. Evaluators and the council read the thread
// from round 2 on (authz.CanSeeClarifications) at /entries/{id}/clarifications.

// routeFile reads the {id} and {file} of a route that sends a document.
func routeFile(r *http.Request) (id, file int64, err error) {
	id, err = routeID(r)
	if f, ferr := strconv.ParseInt(chi.URLParam(r, "file"), 10, 64); err == nil && ferr == nil {
		return id, f, nil
	}
	return 0, 0, errNotFound
}

// secretariatClarificationsPage is the page of sc's thread with the ask form holding d and errs.
func (s *Server) secretariatClarificationsPage(r *http.Request, sc *clarify.Screening, d views.ClarAskDraft, errs field.Errors) templ.Component {
	v := views.Clarifications(sc, d, errs)
	v.Page = s.page(r, v.Heading)
	return pages.ClarificationsPage(v)
}

// secretariatClarifications shows an entry's clarification thread with the ask form
// (GET /secretariat/screening/{id}/clarifications).
func (s *Server) secretariatClarifications(w http.ResponseWriter, r *http.Request) error {
	return showByID(s, w, r, s.clarifications.Screening, func(sc *clarify.Screening) templ.Component {
		return s.secretariatClarificationsPage(r, sc, views.ClarAskDraft{}, nil)
	})
}

// secretariatClarificationAsk asks the applicant of an entry a clarification
// (POST /secretariat/screening/{id}/clarifications): in one transaction the question is stored,
// the decision becomes "clarification requested" (keeping the reason and checklist), the audit
// log records it and the applicant (a nomination's nominator) is emailed a link to answer.
func (s *Server) secretariatClarificationAsk(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var d views.ClarAskDraft
	id, err := postedID(w, r, &d)
	if err != nil {
		return err
	}
	sc, err := s.clarifications.Screening(ctx, authz.ActorFrom(ctx), id)
	if err != nil {
		return err
	}
	e, ed := sc.Entry, sc.Edition
	req, err := s.clarifications.Ask(ctx, authz.ActorFrom(ctx), e, ed, clarify.Draft{Question: d.Question, Deadline: d.Deadline, Keys: d.Keys})
	var errs field.Errors
	if errors.As(err, &errs) {
		return s.render(w, r, http.StatusUnprocessableEntity, s.secretariatClarificationsPage(r, sc, d, errs))
	}
	if errors.Is(err, screening.ErrRoundClosed) { // nothing was stored: the thread is as loaded, and the panel says it is closed
		sc.Closed = true
		return s.render(w, r, http.StatusConflict, s.secretariatClarificationsPage(r, sc, d, nil))
	}
	if err != nil {
		return err
	}
	s.flash(ctx, i18n.Msg("The question was sent to {{.Name}} ({{.Email}}), to answer by {{.When}}.", "Name", e.Applicant, "Email", e.Email, "When", i18n.End(req.Deadline, ed.TimeZone)))
	return redirect(w, r, "/secretariat/screening/"+strconv.FormatInt(e.ID, 10))
}

// secretariatClarificationFile sends a document of an answer about entry {id} to the secretariat
// of its edition (GET /secretariat/screening/{id}/clarifications/files/{file}).
func (s *Server) secretariatClarificationFile(w http.ResponseWriter, r *http.Request) error {
	return s.viewerClarificationFile(w, r)
}

// viewerClarificationFile sends a document of an answer about application {id} to whoever may see
// its thread (the store filters with authz.CanSeeClarifications' SQL form).
func (s *Server) viewerClarificationFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	app, file, err := routeFile(r)
	if err != nil {
		return err
	}
	f, err := clarify.ViewerDocument(ctx, s.pool, authz.ActorFrom(ctx).UserID, app, file, s.now())
	if err != nil {
		return err
	}
	return files.Serve(w, r, s.files, f)
}

// entryClarifications shows an entry's clarification thread, read-only, to the secretariat and,
// from round 2 on, to the evaluators, committee head and council of its edition
// (GET /entries/{id}/clarifications; DOMAIN.md "Round 1"). Before then they get 403.
func (s *Server) entryClarifications(w http.ResponseWriter, r *http.Request) error {
	t, err := byID(r, s.clarifications.Read)
	if err != nil {
		return err
	}
	id := strconv.FormatInt(t.App, 10)
	v := pages.ClarificationsPageView{
		Page: s.page(r, "Clarifications"), Heading: i18n.Msg("Clarifications of entry {{.ID}}", "ID", id),
		Intro: []string{i18n.M("The questions the secretariat asked the applicant during round 1 and the answers, oldest first.")},
		Panel: pages.ClarificationPanelView{Level: 2, Items: views.ClarThreadItems(t.Thread, t.Form, t.Edition.TimeZone, t.At, func(d clarify.Document) string {
			return "/entries/" + id + "/clarifications/files/" + strconv.FormatInt(d.ID, 10)
		})},
	}
	return s.render(w, r, http.StatusOK, pages.ClarificationsPage(v))
}

// entryClarificationFile sends a document of an answer to a reader of the thread
// (GET /entries/{id}/clarifications/files/{file}), under the same rule as entryClarifications.
func (s *Server) entryClarificationFile(w http.ResponseWriter, r *http.Request) error {
	if _, err := byID(r, s.clarifications.Read); err != nil {
		return err
	}
	return s.viewerClarificationFile(w, r)
}

// --- the applicant's side (project applicants and nominators; every query filters by owner)

// clarificationsList lists the acting user's clarifications (GET /clarifications).
func (s *Server) clarificationsList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	list, err := s.clarifications.OwnerList(ctx, authz.ActorFrom(ctx).UserID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.ApplicantClarifications(views.ApplicantClarifications(s.page(r, "Questions from the secretariat"), list, s.now())))
}

func (s *Server) loadClarTarget(r *http.Request) (*clarify.Target, error) {
	ctx := r.Context()
	id, err := routeID(r)
	if err != nil {
		return nil, err
	}
	return s.clarifications.Target(ctx, authz.ActorFrom(ctx).UserID, id)
}

func (s *Server) renderClarAnswer(w http.ResponseWriter, r *http.Request, status int, t *clarify.Target, st views.ClarAnswerState) error {
	v := views.ClarAnswer(t, st, s.now())
	v.Page = s.page(r, "A question from the secretariat")
	return s.render(w, r, status, pages.ClarificationAnswer(v))
}

// clarificationPage shows a question of the secretariat and the answer form
// (GET /clarifications/{id}).
func (s *Server) clarificationPage(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadClarTarget(r)
	if err != nil {
		return err
	}
	return s.renderClarAnswer(w, r, http.StatusOK, t, views.ClarAnswerState{})
}

// clarificationAnswer receives the applicant's answer (POST /clarifications/{id};
// clarify.Service.Answer): text and/or documents and, when the secretariat named questions of the
// application, their new answers, kept as a new submitted version. Refused from the response
// deadline on. The secretariat is emailed that an answer arrived.
func (s *Server) clarificationAnswer(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, err := s.loadClarTarget(r)
	if err != nil {
		return err
	}
	notSent := func(t *clarify.Target, status int, notice string) error {
		return s.renderClarAnswer(w, r, status, t, views.ClarAnswerState{Notice: notice})
	}
	switch t.Item.State(s.now()) {
	case clarify.Answered:
		return notSent(t, http.StatusConflict, i18n.M("You have already answered this question."))
	case clarify.Expired:
		return notSent(t, http.StatusForbidden, i18n.Msg("{{.Notice}} Your answer was not sent.", "Notice", views.ClarLateNotice(t)))
	}
	res, err := s.receive(w, r, t.Limits(), func(status int, msg string) error {
		return notSent(t, status, i18n.Msg("{{.Problem}} Your answer was not sent.", "Problem", msg))
	})
	if err != nil || res == nil {
		return err
	}
	attached := len(res.Files) > 0
	defer s.discardUploads(ctx, res, "clarification") // nothing left once the answer is stored
	reply, errs := t.Reply(res)
	st := views.ClarAnswerState{Text: reply.Text, Answers: reply.Edit.Answers}
	if row := res.Values.Get(form.AddRowField); row != "" && t.Named != nil {
		st.ExtraRows = map[string]int{row: 1}
		return s.renderClarAnswer(w, r, http.StatusOK, t, st)
	}
	if errs.Any() {
		if attached {
			st.Notice = i18n.M("Your answer was not sent yet. The files you chose were not kept: choose them again.")
		}
		st.Errs = errs
		return s.renderClarAnswer(w, r, http.StatusUnprocessableEntity, t, st)
	}
	if _, err := s.clarifications.Answer(ctx, authz.ActorFrom(ctx), t, reply); err != nil {
		switch {
		case errors.Is(err, clarify.ErrLate):
			return notSent(t, http.StatusForbidden, i18n.Msg("{{.Notice}} Your answer was not sent.", "Notice", views.ClarLateNotice(t)))
		case errors.Is(err, clarify.ErrAnswered), errors.Is(err, db.ErrConflict):
			fresh, lerr := s.loadClarTarget(r)
			if lerr != nil {
				return lerr
			}
			if errors.Is(err, clarify.ErrAnswered) {
				return notSent(fresh, http.StatusConflict, i18n.M("You have already answered this question."))
			}
			st.Errs, st.Answers = nil, nil
			st.Notice = i18n.M("Your application was changed while you answered, so your answer was not sent yet. Check the answers below and send it again.")
			return s.renderClarAnswer(w, r, http.StatusConflict, fresh, st)
		}
		return err
	}
	res.Files = nil // stored with the answer
	s.flash(ctx, "Your answer was sent to the secretariat. Thank you.")
	return redirect(w, r, clarify.Href(t.Item.ID))
}

// clarificationFile sends a document of the acting user's answer
// (GET /clarifications/{id}/files/{file}); anyone else's is 404.
func (s *Server) clarificationFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, file, err := routeFile(r)
	if err != nil {
		return err
	}
	f, err := clarify.OwnerDocument(ctx, s.pool, authz.ActorFrom(ctx).UserID, id, file)
	if err != nil {
		return err
	}
	return files.Serve(w, r, s.files, f)
}
