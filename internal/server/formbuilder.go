package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/studio"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// The form builder: the managers of an edition (authz.InEdition(authz.EditionManagers), and
// authz.CanManageEdition for the edition in scope, checked again by the studio) edit each category's application form:
// sections and questions added, changed, moved and removed, and a preview as applicants see it.
// Every change is one call of studio.Service.ChangeForm, which checks the version the page was
// rendered with, runs the edition file's validator and the studio's safety rules, and stores,
// versions and audits the edition; a refused change shows the page again with the problems next
// to their fields and everything typed kept.

// formBuilderEdition is the edition in scope, for a manager of it.
func (s *Server) formBuilderEdition(r *http.Request) (*edition.Edition, error) {
	ed, _, err := s.scope(r)
	if err != nil {
		return nil, err
	}
	if !authz.CanManageEdition(authz.ActorFrom(r.Context()), ed.ID) {
		return nil, authz.ErrForbidden
	}
	return ed, nil
}

// formCategory is the edition in scope and its category {category}, which has a form.
func (s *Server) formCategory(r *http.Request) (*edition.Edition, *edition.Category, error) {
	ed, err := s.formBuilderEdition(r)
	if err != nil {
		return nil, nil, err
	}
	c, ok := ed.Category(chi.URLParam(r, "category"))
	if !ok || c.Form == nil {
		return nil, nil, errNotFound
	}
	return ed, c, nil
}

// categoryIndex is the position of c in ed, as the edition file's paths count categories.
func categoryIndex(ed *edition.Edition, c *edition.Category) int {
	for i := range ed.Categories {
		if ed.Categories[i].Key == c.Key {
			return i
		}
	}
	return -1
}

// changeForm saves change to the form of c as one change of the edition
// (studio.Service.ChangeForm), made on version, the edition's version the page was rendered
// with. A refusal becomes field problems: the validator's and the studio's safety rules',
// placed by views.FormProblems on the form as change makes it (question and section name the
// item the page edits), a key already in use, or the edition changed by someone else since
// (studio.ErrVersion: the page shows it, with the other change's version).
func (s *Server) changeForm(ctx context.Context, ed *edition.Edition, c *edition.Category, version int, question, section string, change func(*form.Form) error) error {
	_, err := s.studio.ChangeForm(ctx, studioBy(ctx), ed.Slug, version, c.Key, change)
	var invalid *edition.ValidationError
	switch {
	case errors.As(err, &invalid):
		candidate := c.Form.Clone()
		if change(candidate) != nil {
			candidate = c.Form
		}
		return views.FormProblems(candidate, categoryIndex(ed, c), invalid.Problems, question, section)
	case errors.Is(err, form.ErrDuplicateKey):
		return field.Errors{{Field: "key", Message: i18n.M("Key: another item of the form already has this key; choose another")}}
	case errors.Is(err, studio.ErrVersion):
		_, msg, _ := refusalOf(err)
		return field.Errors{{Field: "form", Message: msg}}
	}
	return err
}

// formsList lists the application forms of the edition in scope (GET /studio/forms?edition=ID).
func (s *Server) formsList(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	if !authz.CanManageEdition(authz.ActorFrom(r.Context()), ed.ID) {
		return authz.ErrForbidden
	}
	return s.render(w, r, http.StatusOK, pages.Forms(views.FormsView(s.page(r, i18n.Msg("Application forms, {{.Edition}}", "Edition", ed.Name)), ed, picker)))
}

func (s *Server) renderOutline(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, c *edition.Category, errs field.Errors) error {
	return s.render(w, r, status, pages.FormOutline(views.FormOutlineView(s.page(r, i18n.Msg("Application form: {{.Category}}", "Category", c.Name)), ed, c, errs)))
}

// formOutline shows the outline of a form (GET /studio/forms/{category}?edition=ID).
func (s *Server) formOutline(w http.ResponseWriter, r *http.Request) error {
	ed, c, err := s.formCategory(r)
	if err != nil {
		return err
	}
	return s.renderOutline(w, r, http.StatusOK, ed, c, nil)
}

// moveForm is a move button of the outline: a section or a question, up or down.
type moveForm struct {
	Section  string `form:"section"`
	Question string `form:"question"`
	Dir      string `form:"dir"`
	Version  int    `form:"version"`
}

// removeForm is a removal's confirmation: anything but confirm=yes shows the question.
type removeForm struct {
	Confirm string `form:"confirm"`
	Version int    `form:"version"`
}

// formMove moves a section or a question one place up or down (POST
// /studio/forms/{category}/move?edition=ID). A move the validator refuses (a question above the
// question its condition depends on) shows the outline with the reason.
func (s *Server) formMove(w http.ResponseWriter, r *http.Request) error {
	ed, c, f, err := loadThenForm[moveForm](w, r, s.formCategory)
	if err != nil {
		return err
	}
	delta := 1
	switch f.Dir {
	case "up":
		delta = -1
	case "down":
	default:
		return errBadForm
	}
	ctx := r.Context()
	err = s.changeForm(ctx, ed, c, f.Version, "", "", func(fm *form.Form) error {
		if f.Question != "" {
			return fm.MoveQuestion(f.Question, delta)
		}
		return fm.MoveSection(f.Section, delta)
	})
	next, what := views.FormHref(ed.ID, c.Key, ""), i18n.M("The section was moved.")
	if f.Question != "" {
		next, what = next+"#q-"+f.Question, i18n.M("The question was moved.")
	}
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderOutline(w, r, http.StatusUnprocessableEntity, ed, c, errs)
	}, what, next)
}

// formSection is formCategory with the section {section}, when the route names one.
func (s *Server) formSection(r *http.Request) (*edition.Edition, *edition.Category, *form.Section, error) {
	ed, c, err := s.formCategory(r)
	if err != nil {
		return nil, nil, nil, err
	}
	sec, ok := c.Form.Section(chi.URLParam(r, "section"))
	if !ok {
		return nil, nil, nil, errNotFound
	}
	return ed, c, sec, nil
}

func (s *Server) renderSectionEdit(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, c *edition.Category, sec *form.Section, f views.SectionForm, errs field.Errors) error {
	v := views.SectionEditView(s.page(r, i18n.Msg("Application form: {{.Category}}", "Category", c.Name)), ed, c, sec, f, errs)
	return s.render(w, r, status, pages.SectionEdit(v))
}

// formSectionNewPage shows the form that adds a section (GET /studio/forms/{category}/sections/new).
func (s *Server) formSectionNewPage(w http.ResponseWriter, r *http.Request) error {
	ed, c, err := s.formCategory(r)
	if err != nil {
		return err
	}
	return s.renderSectionEdit(w, r, http.StatusOK, ed, c, nil, views.SectionForm{}, nil)
}

// formSectionNew adds a section at the end of the form; it is saved as the validator allows,
// so it needs a question before it can be stored: the page goes on to the new section's first
// question, and the section is saved with it (POST /studio/forms/{category}/sections/new).
func (s *Server) formSectionNew(w http.ResponseWriter, r *http.Request) error {
	ed, c, f, err := loadThenForm[views.SectionForm](w, r, s.formCategory)
	if err != nil {
		return err
	}
	sec := f.Section()
	probe := c.Form.Clone()
	errs := field.Errors{}
	if err := probe.AddSection(sec); err != nil {
		errs.Add("key", "Key: another section already has this key; choose another")
	}
	for _, p := range probe.Check(nil) {
		// Only the new section's own fields can be wrong here; its missing questions are
		// added on the next page.
		if name, msg := views.SectionProblem(p, len(c.Form.Sections)); name != "" {
			errs.Add(name, msg)
		}
	}
	if errs.Any() {
		return s.renderSectionEdit(w, r, http.StatusUnprocessableEntity, ed, c, nil, f, errs)
	}
	return s.renderQuestionEdit(w, r, http.StatusOK, ed, c, nil, views.QuestionForm{Section: sec.Key, NewSection: f}, nil)
}

// formSectionPage shows a section's form (GET /studio/forms/{category}/sections/{section}).
func (s *Server) formSectionPage(w http.ResponseWriter, r *http.Request) error {
	ed, c, sec, err := s.formSection(r)
	if err != nil {
		return err
	}
	return s.renderSectionEdit(w, r, http.StatusOK, ed, c, sec, views.SectionFormOf(sec), nil)
}

// formSectionSave changes a section's key, title and introduction
// (POST /studio/forms/{category}/sections/{section}).
func (s *Server) formSectionSave(w http.ResponseWriter, r *http.Request) error {
	ed, c, sec, err := s.formSection(r)
	if err != nil {
		return err
	}
	var f views.SectionForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	changed := f.Section()
	err = s.changeForm(r.Context(), ed, c, f.Version, "", changed.Key, func(fm *form.Form) error { return fm.UpdateSection(sec.Key, changed) })
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderSectionEdit(w, r, http.StatusUnprocessableEntity, ed, c, sec, f, errs)
	}, i18n.Msg("The section “{{.Title}}” was saved.", "Title", changed.Title), views.FormHref(ed.ID, c.Key, ""))
}

// formSectionRemovePage asks to confirm the removal of a section
// (GET /studio/forms/{category}/sections/{section}/remove).
func (s *Server) formSectionRemovePage(w http.ResponseWriter, r *http.Request) error {
	ed, c, sec, err := s.formSection(r)
	if err != nil {
		return err
	}
	note := i18n.M("Its 1 question goes with it.")
	if len(sec.Questions) != 1 {
		note = i18n.Msg("Its {{.Count}} questions go with it.", "Count", numfmt.Thousands(len(sec.Questions)))
	}
	return s.render(w, r, http.StatusOK, pages.FormRemove(views.FormRemoveView(s.page(r, "Remove a section"), ed, c,
		i18n.Msg("Remove the section “{{.Title}}”?", "Title", sec.Title), note, views.FormSectionHref(ed.ID, c.Key, sec.Key, "/remove"))))
}

// formSectionRemove removes a section with its questions
// (POST /studio/forms/{category}/sections/{section}/remove, confirm=yes).
func (s *Server) formSectionRemove(w http.ResponseWriter, r *http.Request) error {
	ed, c, sec, err := s.formSection(r)
	if err != nil {
		return err
	}
	return s.formRemove(w, r, ed, c, s.formSectionRemovePage, func(fm *form.Form) error { return fm.RemoveSection(sec.Key) },
		i18n.Msg("The section “{{.Title}}” was removed.", "Title", sec.Title))
}

// formRemove confirms a removal from the form of category c (removeForm): without confirm=yes it
// shows the question (ask), else it makes the change remove and goes back to the outline, which
// shows a refusal with its reason.
func (s *Server) formRemove(w http.ResponseWriter, r *http.Request, ed *edition.Edition, c *edition.Category,
	ask func(http.ResponseWriter, *http.Request) error, remove func(*form.Form) error, done string) error {
	var f removeForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	if f.Confirm != "yes" {
		return ask(w, r)
	}
	err := s.changeForm(r.Context(), ed, c, f.Version, "", "", remove)
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderOutline(w, r, http.StatusUnprocessableEntity, ed, c, errs)
	}, done, views.FormHref(ed.ID, c.Key, ""))
}

// formQuestion is formCategory with the question {question} and the key of its section.
func (s *Server) formQuestion(r *http.Request) (*edition.Edition, *edition.Category, *form.Question, string, error) {
	ed, c, err := s.formCategory(r)
	if err != nil {
		return nil, nil, nil, "", err
	}
	key := chi.URLParam(r, "question")
	q, ok := c.Form.Question(key)
	if !ok {
		return nil, nil, nil, "", errNotFound
	}
	i, _, _ := c.Form.QuestionPosition(key)
	return ed, c, q, c.Form.Sections[i].Key, nil
}

func (s *Server) renderQuestionEdit(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, c *edition.Category, q *form.Question, f views.QuestionForm, errs field.Errors) error {
	v := views.QuestionEditView(s.page(r, i18n.Msg("Application form: {{.Category}}", "Category", c.Name)), ed, c, q, f, errs)
	return s.render(w, r, status, pages.QuestionEdit(v))
}

// formQuestionNewPage shows the first step of adding a question to a section: its type
// (GET /studio/forms/{category}/sections/{section}/questions/new).
func (s *Server) formQuestionNewPage(w http.ResponseWriter, r *http.Request) error {
	ed, c, sec, err := s.formSection(r)
	if err != nil {
		return err
	}
	return s.renderQuestionEdit(w, r, http.StatusOK, ed, c, nil, views.QuestionForm{Section: sec.Key}, nil)
}

// formQuestionNew adds a question at the end of a section, or, for action=refresh, shows the
// form again with the settings of the chosen type and the answers of the chosen condition
// (POST /studio/forms/{category}/sections/{section}/questions/new). A new section (the
// section form's fields posted along, NewSection) is added with its first question.
func (s *Server) formQuestionNew(w http.ResponseWriter, r *http.Request) error {
	ed, c, err := s.formCategory(r)
	if err != nil {
		return err
	}
	var f views.QuestionForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	f.Section = chi.URLParam(r, "section")
	if _, ok := c.Form.Section(f.Section); !ok && f.NewSection.Key != f.Section {
		return errNotFound
	}
	q, errs := f.Question()
	if f.Refresh() || errs.Any() {
		return s.renderQuestionEdit(w, r, status(errs), ed, c, nil, f, errs)
	}
	err = s.changeForm(r.Context(), ed, c, f.Version, q.Key, "", func(fm *form.Form) error {
		if _, ok := fm.Section(f.Section); !ok {
			if err := fm.AddSection(f.NewSection.Section()); err != nil {
				return err
			}
		}
		return fm.AddQuestion(f.Section, q)
	})
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderQuestionEdit(w, r, http.StatusUnprocessableEntity, ed, c, nil, f, errs)
	}, i18n.Msg("The question “{{.Label}}” was added.", "Label", q.Label), views.FormHref(ed.ID, c.Key, "")+"#q-"+q.Key)
}

// status is 422 when there are problems, else 200 (a form shown again on request).
func status(errs field.Errors) int {
	if errs.Any() {
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}

// formQuestionPage shows a question's form (GET /studio/forms/{category}/questions/{question}).
func (s *Server) formQuestionPage(w http.ResponseWriter, r *http.Request) error {
	ed, c, q, section, err := s.formQuestion(r)
	if err != nil {
		return err
	}
	return s.renderQuestionEdit(w, r, http.StatusOK, ed, c, q, views.QuestionFormOf(section, q), nil)
}

// formQuestionSave changes a question, and moves it to the end of another section when one
// is chosen; action=refresh shows the form again for another type or condition
// (POST /studio/forms/{category}/questions/{question}).
func (s *Server) formQuestionSave(w http.ResponseWriter, r *http.Request) error {
	ed, c, old, section, err := s.formQuestion(r)
	if err != nil {
		return err
	}
	var f views.QuestionForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	q, errs := f.Question()
	if f.Refresh() || errs.Any() {
		return s.renderQuestionEdit(w, r, status(errs), ed, c, old, f, errs)
	}
	err = s.changeForm(r.Context(), ed, c, f.Version, q.Key, "", func(fm *form.Form) error {
		if err := fm.UpdateQuestion(old.Key, q); err != nil {
			return err
		}
		if f.Section != "" && f.Section != section {
			return fm.MoveQuestionTo(q.Key, f.Section)
		}
		return nil
	})
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderQuestionEdit(w, r, http.StatusUnprocessableEntity, ed, c, old, f, errs)
	}, i18n.Msg("The question “{{.Label}}” was saved.", "Label", q.Label), views.FormHref(ed.ID, c.Key, "")+"#q-"+q.Key)
}

// formQuestionRemovePage asks to confirm the removal of a question
// (GET /studio/forms/{category}/questions/{question}/remove).
func (s *Server) formQuestionRemovePage(w http.ResponseWriter, r *http.Request) error {
	ed, c, q, _, err := s.formQuestion(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.FormRemove(views.FormRemoveView(s.page(r, "Remove a question"), ed, c,
		i18n.Msg("Remove the question “{{.Label}}”?", "Label", q.Label), i18n.M("Questions shown only on an answer to it must have their condition changed first."),
		views.FormQuestionHref(ed.ID, c.Key, q.Key, "/remove"))))
}

// formQuestionRemove removes a question (POST /studio/forms/{category}/questions/{question}/remove,
// confirm=yes). A removal the validator refuses (another question's condition depends on it)
// shows the outline with the reason.
func (s *Server) formQuestionRemove(w http.ResponseWriter, r *http.Request) error {
	ed, c, q, _, err := s.formQuestion(r)
	if err != nil {
		return err
	}
	return s.formRemove(w, r, ed, c, s.formQuestionRemovePage, func(fm *form.Form) error { return fm.RemoveQuestion(q.Key) },
		i18n.Msg("The question “{{.Label}}” was removed.", "Label", q.Label))
}

// formPreview shows the form as an applicant sees it, filled with sample answers; a post (the
// preview's own buttons, such as a table's "Add a row") shows it again and saves nothing
// (GET and POST /studio/forms/{category}/preview).
func (s *Server) formPreview(w http.ResponseWriter, r *http.Request) error {
	ed, c, err := s.formCategory(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.FormPreview(views.FormPreviewView(s.page(r, i18n.Msg("Preview: {{.Category}}", "Category", c.Name)), ed, c)))
}
