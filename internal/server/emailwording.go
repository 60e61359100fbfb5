package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify/wording"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// The wording of an edition's emails, for the edition's managers and the administrators
// (authz.EditionManagers; internal/notify/wording repeats the rule in SQL): the list of the
// emails with their state, and a page per email to change its subject and text (with the
// placeholders it offers and a preview with sample values) or to reset it to the default. Saves
// and resets are audited and version-checked (wording.Service).

// wordingLanguage is the language of the wording the page shows and edits (?lang=ko): one of
// the portal's languages, English by default.
func wordingLanguage(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l != "" && l != i18n.Pseudo && i18n.Supported(l) {
		return l
	}
	return "en"
}

// studioEmails lists the emails of an edition with their wording (GET /studio/emails?edition=ID).
func (s *Server) studioEmails(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	list, err := wording.List(ctx, s.pool, authz.ActorFrom(ctx), ed.ID, wordingLanguage(r))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.EmailWordings(views.EmailWordingsView(s.page(r, i18n.Msg("Emails of {{.Edition}}", "Edition", ed.Name)), ed, picker, list)))
}

// studioWording loads email {key} of the edition in scope for the acting manager.
func (s *Server) studioWording(r *http.Request) (wording.Wording, *edition.Edition, error) {
	ctx := r.Context()
	ed, _, err := s.scope(r)
	if err != nil {
		return wording.Wording{}, nil, err
	}
	wd, err := wording.Load(ctx, s.pool, authz.ActorFrom(ctx), ed.ID, wordingLanguage(r), chi.URLParam(r, "key"))
	return wd, ed, err
}

func (s *Server) renderWording(w http.ResponseWriter, r *http.Request, status int, wd wording.Wording, ed *edition.Edition, f views.EmailWordingForm, errs field.Errors, conflict bool) error {
	return s.render(w, r, status, pages.EmailWording(views.EmailWordingView(s.page(r, wd.Default.Name), ed, wd, f, errs, conflict)))
}

func (s *Server) renderWordingEdit(w http.ResponseWriter, r *http.Request, status int, wd wording.Wording, ed *edition.Edition, f views.EmailWordingForm, errs field.Errors) error {
	return s.renderWording(w, r, status, wd, ed, f, errs, false)
}

// wordingConflict shows the email's wording as someone else saved it meanwhile, with the form as
// posted (f, at the newer version, so that saving again is a deliberate replacement); message
// says what was not done.
func (s *Server) wordingConflict(w http.ResponseWriter, r *http.Request, now wording.Wording, ed *edition.Edition, f views.EmailWordingForm, message string) error {
	f.Version = now.Version
	errs := field.Errors{{Field: "subject", Message: message}}
	return s.renderWording(w, r, http.StatusConflict, now, ed, f, errs, true)
}

// studioEmail shows the wording of an email with the placeholders and the preview
// (GET /studio/emails/{key}?edition=ID).
func (s *Server) studioEmail(w http.ResponseWriter, r *http.Request) error {
	return showForm(w, r, s.studioWording, views.EmailWordingFormOf, s.renderWordingEdit)
}

// studioEmailSave previews the posted wording with the sample values (action=preview) or saves it
// for the edition (POST /studio/emails/{key}?edition=ID; wording.Service.Save): unknown or
// malformed placeholders are named next to their field, a save on an older version shows the
// newer one.
func (s *Server) studioEmailSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	wd, ed, f, err := loadThenForm[views.EmailWordingForm](w, r, s.studioWording)
	if err != nil {
		return err
	}
	if f.Action == "preview" {
		status, errs := http.StatusOK, f.Input(wd.Language).Validate(wd.Default)
		if errs.Any() {
			status = http.StatusUnprocessableEntity
		}
		return s.renderWording(w, r, status, wd, ed, f, errs, false)
	}
	saved, err := s.wording.Save(ctx, authz.ActorFrom(ctx), ed.ID, wd.Default.Key, f.Input(wd.Language))
	if errors.Is(err, wording.ErrChanged) {
		return s.wordingConflict(w, r, saved, ed, f, i18n.M("Someone else changed the wording of this email since you opened it, so your save was not done. Their wording is shown above the form; yours is kept in it."))
	}
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderWordingEdit(w, r, http.StatusUnprocessableEntity, wd, ed, f, errs)
	}, i18n.Msg("The wording of “{{.Email}}” was saved: this edition's emails use it from now on.", "Email", wd.Default.Name), views.EmailWordingLangHref(ed.ID, wd.Default.Key, wd.Language))
}

// studioEmailReset returns an email of the edition to its default wording
// (POST /studio/emails/{key}/reset?edition=ID; wording.Service.Reset).
func (s *Server) studioEmailReset(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	wd, ed, f, err := loadThenForm[views.EmailWordingForm](w, r, s.studioWording)
	if err != nil {
		return err
	}
	now, err := s.wording.Reset(ctx, authz.ActorFrom(ctx), ed.ID, wd.Language, wd.Default.Key, f.Version)
	if errors.Is(err, wording.ErrChanged) {
		return s.wordingConflict(w, r, now, ed, views.EmailWordingFormOf(now), i18n.M("Someone else changed the wording of this email since you opened it, so the reset was not done. Their wording is shown above the form; yours is kept in it."))
	}
	if err != nil {
		return err
	}
	s.flash(ctx, i18n.Msg("“{{.Email}}” is back to the default wording.", "Email", wd.Default.Name))
	return redirect(w, r, views.EmailWordingLangHref(ed.ID, wd.Default.Key, wd.Language))
}
