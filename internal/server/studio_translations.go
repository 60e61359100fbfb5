package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/studio"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// The translations of an edition's texts in the studio (internal/studio/translations.go): every
// text as written beside its translation into one of the portal's languages, the missing ones
// first, saved as a change of the edition.

// studioTranslationsEdition is the edition of the request as written, for its managers, and the
// language of the page: 404 for a language the portal does not offer or the edition's own.
func (s *Server) studioTranslationsEdition(r *http.Request) (*edition.Edition, *edition.Definition, string, error) {
	ctx := r.Context()
	e, def, err := s.studio.Definition(ctx, authz.ActorFrom(ctx), chi.URLParam(r, "slug"))
	if err != nil {
		return nil, nil, "", err
	}
	lang := chi.URLParam(r, "lang")
	if !i18n.Supported(lang) || lang == i18n.Pseudo || lang == e.Language {
		return nil, nil, "", errNotFound
	}
	return e, def, lang, nil
}

// studioTranslations shows the texts of an edition with their translations into lang
// (GET /studio/{slug}/translations/{lang}).
func (s *Server) studioTranslations(w http.ResponseWriter, r *http.Request) error {
	e, def, lang, err := s.studioTranslationsEdition(r)
	if err != nil {
		return err
	}
	v := views.StudioTranslations(s.page(r, "Translations of the edition"), e, def, lang, nil, nil)
	return s.render(w, r, http.StatusOK, pages.StudioTranslations(v))
}

// studioTranslationsSave saves the translations posted (POST /studio/{slug}/translations/{lang}).
func (s *Server) studioTranslationsSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := parseForm(w, r); err != nil {
		return err
	}
	e, def, lang, err := s.studioTranslationsEdition(r)
	if err != nil {
		return err
	}
	texts := map[string]string{}
	fields := map[string]string{} // the field of each text, for its problems
	for i := 0; ; i++ {
		src, ok := r.PostForm[views.SourceField(i)]
		if !ok || len(src) == 0 {
			break
		}
		text := strings.TrimSpace(src[0])
		texts[text] = r.PostForm.Get(views.TranslationField(i))
		fields["translations."+lang+"."+text] = views.TranslationField(i)
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	res, err := s.studio.Translate(ctx, studioBy(ctx), e.Slug, version, lang, texts)
	if errors.Is(err, studio.ErrVersion) {
		s.flash(ctx, "Someone else changed this edition after you opened the page. Nothing was saved: here is the edition as it is now.")
		return redirect(w, r, views.StudioTranslationsHref(e.Slug, lang))
	}
	var verr *edition.ValidationError
	if errors.As(err, &verr) {
		var errs field.Errors
		for _, p := range verr.Problems {
			name, ok := fields[p.Path]
			if !ok {
				name = views.TranslationField(0)
			}
			errs.Add(name, p.Shown())
		}
		v := views.StudioTranslations(s.page(r, "Translations of the edition"), e, def, lang, texts, errs)
		return s.render(w, r, http.StatusUnprocessableEntity, pages.StudioTranslations(v))
	}
	if err != nil {
		return err
	}
	if len(res.Changes) == 0 {
		s.flash(ctx, "Nothing changed: the values are those the edition already holds.")
	} else {
		s.flash(ctx, "The translations are saved.")
	}
	return redirect(w, r, views.StudioTranslationsHref(res.Slug, lang))
}
