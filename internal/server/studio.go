package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/studio"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// The edition studio (internal/studio): the managers of an edition and administrators set up and
// change editions from the browser. Every change is reviewed as a diff before it is saved.

// studioBy is the signed-in actor of ctx as the studio's use cases record them.
func studioBy(ctx context.Context) studio.By {
	a := authz.ActorFrom(ctx)
	return studio.By{Actor: a, Label: a.Name}
}

// studioList lists the editions the actor manages (GET /studio).
func (s *Server) studioList(w http.ResponseWriter, r *http.Request) error {
	rows, err := s.studio.List(r.Context(), authz.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.StudioList(views.StudioList(s.page(r, "Editions"), rows)))
}

// studioNewPage shows the new-edition form (GET /studio/new?from=SLUG).
func (s *Server) studioNewPage(w http.ResponseWriter, r *http.Request) error {
	rows, err := s.studio.List(r.Context(), authz.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	f := views.StudioNewDefaults(rows, r.URL.Query().Get("from"), s.now())
	return s.render(w, r, http.StatusOK, pages.StudioNew(views.StudioNew(s.page(r, "New edition"), rows, f, nil)))
}

// studioNew creates a draft edition, blank or as a copy (POST /studio/new).
func (s *Server) studioNew(w http.ResponseWriter, r *http.Request) error {
	var f views.StudioNewForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	n, errs := f.Input()
	var e *edition.Edition
	err := errs.Err()
	if err == nil {
		e, err = s.studio.Create(r.Context(), studioBy(r.Context()), n)
	}
	if errs := views.StudioFieldErrors(err, nil, map[string]string{"slug": "slug", "name": "name", "year": "year"}); errs != nil {
		rows, lerr := s.studio.List(r.Context(), authz.ActorFrom(r.Context()))
		if lerr != nil {
			return lerr
		}
		return s.render(w, r, http.StatusUnprocessableEntity, pages.StudioNew(views.StudioNew(s.page(r, "New edition"), rows, f, errs)))
	}
	if err != nil {
		return err
	}
	s.flash(r.Context(), i18n.Msg("The draft {{.Name}} was created. Only its managers see it until it is published.", "Name", e.Name))
	return redirect(w, r, views.StudioHref(e.Slug))
}

// studioEdition shows an edition's page in the studio with its history (GET /studio/{slug}).
func (s *Server) studioEdition(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := authz.ActorFrom(ctx)
	e, def, err := s.studio.Definition(ctx, actor, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	h, err := s.studio.History(ctx, actor, e.Slug, max(page, 1))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.StudioEdition(views.StudioEdition(s.page(r, e.Name), e, def, h, max(page, 1), s.now())))
}

// studioDownload sends the edition's YAML file (GET /studio/{slug}/edition.yaml).
func (s *Server) studioDownload(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	src, err := s.studio.Export(r.Context(), authz.ActorFrom(r.Context()), slug)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+slug+`.yaml"`)
	_, err = w.Write(src)
	return err
}

// studioPublish publishes a draft (POST /studio/{slug}/publish).
func (s *Server) studioPublish(w http.ResponseWriter, r *http.Request) error {
	var f struct {
		Version int `form:"version"`
	}
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	slug := chi.URLParam(r, "slug")
	if err := s.studio.Publish(r.Context(), studioBy(r.Context()), slug, f.Version); err != nil {
		return err
	}
	s.flash(r.Context(), "The edition is published: the public sees it, and applicants may enter it on its dates.")
	return redirect(w, r, views.StudioHref(slug))
}

// studioSheet shows one part of an edition to edit (GET /studio/{slug}/{sheet}), or the upload
// of a changed YAML file (sheet "yaml").
func (s *Server) studioSheet(w http.ResponseWriter, r *http.Request) error {
	e, def, sh, err := s.loadSheet(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.StudioSheet(views.StudioSheet(s.page(r, sh.Title), e, def, sh, nil, "", nil)))
}

func (s *Server) loadSheet(r *http.Request) (*edition.Edition, *edition.Definition, studio.Sheet, error) {
	ctx := r.Context()
	actor := authz.ActorFrom(ctx)
	slug := chi.URLParam(r, "slug")
	e, def, err := s.studio.Definition(ctx, actor, slug)
	if err != nil {
		return nil, nil, studio.Sheet{}, err
	}
	key := chi.URLParam(r, "sheet")
	if key == "yaml" {
		return e, def, studio.UploadSheet(def), nil
	}
	sh, ok := studio.SheetOf(def, key)
	if !ok {
		return nil, nil, studio.Sheet{}, errNotFound
	}
	return e, def, sh, nil
}

// studioSheetPost reviews the changes posted on a sheet and, once confirmed, saves them
// (POST /studio/{slug}/{sheet}): the first post shows the differences (a dry run of the change);
// the confirmation (confirm=yes, with the version the manager saw and the reason) saves them.
func (s *Server) studioSheetPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := parseForm(w, r); err != nil {
		return err
	}
	e, def, sh, err := s.loadSheet(r)
	if err != nil {
		return err
	}
	values := map[string]string{}
	for k, v := range r.PostForm {
		if len(v) > 0 && k != "version" && k != "confirm" && k != "reason" {
			values[k] = v[0]
		}
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	confirm, reason := r.PostForm.Get("confirm"), r.PostForm.Get("reason")
	c := studio.Change{Slug: e.Slug, Version: version, Reason: reason, Edit: sh.Edit(values), DryRun: confirm != "yes"}
	if sh.Key == "yaml" {
		c.Edit, c.File = nil, []byte(values["file"])
	}
	res, err := s.studio.Change(ctx, studioBy(r.Context()), c)
	if errors.Is(err, studio.ErrVersion) {
		s.flash(ctx, "Someone else changed this edition after you opened the page. Nothing was saved: here is the edition as it is now.")
		return redirect(w, r, views.StudioSheetHref(e.Slug, sh.Key))
	}
	if errs := views.StudioFieldErrors(err, def, nil); errs != nil {
		shown := sh.With(values)
		if confirm == "yes" && !hasSheetError(errs) {
			// Only the review's own field (the reason) is wrong: show the review again.
			dry := c
			dry.DryRun = true
			if res, derr := s.studio.Change(ctx, studioBy(r.Context()), dry); derr == nil {
				v := views.StudioSheet(s.page(r, sh.Title), e, def, shown, res.Changes, reason, errs)
				v.Reason.Required = res.NeedsReason
				return s.render(w, r, http.StatusUnprocessableEntity, pages.StudioSheet(v))
			}
		}
		return s.render(w, r, http.StatusUnprocessableEntity, pages.StudioSheet(views.StudioSheet(s.page(r, sh.Title), e, def, shown, nil, reason, errs)))
	}
	if err != nil {
		return err
	}
	switch {
	case len(res.Changes) == 0:
		s.flash(ctx, "Nothing changed: the values are those the edition already holds.")
		return redirect(w, r, views.StudioHref(e.Slug))
	case confirm == "edit":
		return s.render(w, r, http.StatusOK, pages.StudioSheet(views.StudioSheet(s.page(r, sh.Title), e, def, sh.With(values), nil, reason, nil)))
	case c.DryRun:
		v := views.StudioSheet(s.page(r, sh.Title), e, def, sh.With(values), res.Changes, reason, nil)
		v.Reason.Required = res.NeedsReason
		return s.render(w, r, http.StatusOK, pages.StudioSheet(v))
	}
	msg := views.StudioSaved(res)
	s.flash(ctx, msg)
	return redirect(w, r, views.StudioHref(res.Slug)+"#history")
}

// hasSheetError reports whether one of errs is at a field of the sheet (not the reason alone).
func hasSheetError(errs field.Errors) bool {
	for _, e := range errs {
		if e.Field != "reason" {
			return true
		}
	}
	return false
}
