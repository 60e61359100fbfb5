package server

import (
	"net/http"
	"strconv"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/conflict"
	"prizeportal/internal/edition"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// The conflict-of-interest registry (DOMAIN.md "Registration": entities represented among the
// organisers or evaluators may not apply). The secretariat keeps the registry of an edition
// (authz.CanManageApplications; internal/conflict repeats it in SQL); evaluators and the
// committee head declare their own affiliations and conflicts for the editions they serve.
// Every change is audited and re-flags the edition's entries in the same transaction
// (conflict.Service), so the screening queue's flags are always current.

func (s *Server) renderConflicts(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, f views.ConflictForm, errs field.Errors) error {
	ctx := r.Context()
	list, err := conflict.Organisations(ctx, s.pool, authz.ActorFrom(ctx).UserID, ed.ID)
	if err != nil {
		return err
	}
	v := views.ConflictsView(ed, list, f, errs)
	v.Page, v.Edition, v.Choose = s.page(r, "Conflict-of-interest registry, "+ed.Name), picker, len(picker.Options) > 1
	return s.render(w, r, status, pages.Conflicts(v))
}

// secretariatConflicts shows the registry of an edition with the form to add an organisation
// (GET /secretariat/conflicts?edition=ID).
func (s *Server) secretariatConflicts(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	return s.renderConflicts(w, r, http.StatusOK, ed, picker, views.ConflictForm{}, nil)
}

// secretariatConflictAdd adds an organisation to the registry, re-flagging the edition's
// entries (POST /secretariat/conflicts?edition=ID; conflict.Service.AddOrganisation).
func (s *Server) secretariatConflictAdd(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	var f views.ConflictForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	o, err := s.conflicts.AddOrganisation(ctx, authz.ActorFrom(ctx), ed.ID, f.Input(""))
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderConflicts(w, r, http.StatusUnprocessableEntity, ed, picker, f, errs)
	}, o.Name+" was added to the registry; matching entries are flagged.", views.ConflictsHref(ed.ID))
}

// staffConflict loads registry organisation {id} for the acting secretariat member (the store
// filters by the edition's secretariat in SQL: a miss is 404) with its edition.
func (s *Server) staffConflict(r *http.Request) (conflict.Organisation, *edition.Edition, error) {
	id, err := routeID(r)
	if err != nil {
		return conflict.Organisation{}, nil, err
	}
	return conflict.LoadOrganisation(r.Context(), s.pool, authz.ActorFrom(r.Context()), id)
}

func (s *Server) renderConflictEdit(w http.ResponseWriter, r *http.Request, status int, o conflict.Organisation, ed *edition.Edition, f views.ConflictForm, errs field.Errors) error {
	facts := []pages.Fact{{Label: "Edition", Value: ed.Name}, {Label: "Added", Value: views.Stamp(o.AddedBy, o.AddedAt, ed.TimeZone)}}
	if o.UpdatedAt != nil {
		facts = append(facts, pages.Fact{Label: "Last changed", Value: views.Stamp(o.UpdatedBy, *o.UpdatedAt, ed.TimeZone)})
	}
	return s.render(w, r, status, pages.ConflictEdit(pages.ConflictEditView{
		Page: s.page(r, "Change "+o.Name), Name: o.Name, Back: views.ConflictsHref(ed.ID), Errors: errs,
		Facts:  append(facts, pages.Fact{Label: "Submitted entries flagged", Value: strconv.Itoa(o.Flagged)}),
		Form:   views.ConflictFormView(views.ConflictHref(o.ID), "Save the changes", views.ConflictsHref(ed.ID), f, errs),
		Delete: views.ConflictHref(o.ID) + "/delete",
	}))
}

// secretariatConflict shows a registered organisation's form (GET /secretariat/conflicts/{id}).
func (s *Server) secretariatConflict(w http.ResponseWriter, r *http.Request) error {
	o, ed, err := s.staffConflict(r)
	if err != nil {
		return err
	}
	return s.renderConflictEdit(w, r, http.StatusOK, o, ed, views.ConflictFormOf(o), nil)
}

// secretariatConflictSave changes a registered organisation, re-flagging the edition's entries
// (POST /secretariat/conflicts/{id}; conflict.Service.UpdateOrganisation).
func (s *Server) secretariatConflictSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	o, ed, err := s.staffConflict(r)
	if err != nil {
		return err
	}
	var f views.ConflictForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	after, err := s.conflicts.UpdateOrganisation(ctx, authz.ActorFrom(ctx), o.ID, f.Input(""))
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderConflictEdit(w, r, http.StatusUnprocessableEntity, o, ed, f, errs)
	}, "The changes to "+after.Name+" were saved; the flags of the entries are updated.", views.ConflictsHref(ed.ID))
}

// secretariatConflictDelete removes an organisation from the registry after a confirmation step,
// re-flagging the edition's entries (POST /secretariat/conflicts/{id}/delete;
// conflict.Service.RemoveOrganisation; without confirm=yes it shows the confirmation).
func (s *Server) secretariatConflictDelete(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	o, ed, err := s.staffConflict(r)
	if err != nil {
		return err
	}
	var f struct {
		Confirm string `form:"confirm"`
	}
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	if f.Confirm != "yes" {
		flagged := "No submitted entry is flagged because of it."
		if o.Flagged == 1 {
			flagged = "1 submitted entry is flagged because of it; that flag goes with it."
		} else if o.Flagged > 1 {
			flagged = strconv.Itoa(o.Flagged) + " submitted entries are flagged because of it; those flags go with it."
		}
		return s.render(w, r, http.StatusOK, pages.ConflictDelete(pages.ConflictDeleteView{
			Page: s.page(r, "Remove "+o.Name+" from the registry?"), Name: o.Name, Flagged: flagged,
			Action: views.ConflictHref(o.ID) + "/delete", Cancel: views.ConflictHref(o.ID),
		}))
	}
	if _, err := s.conflicts.RemoveOrganisation(ctx, authz.ActorFrom(ctx), o.ID); err != nil {
		return err
	}
	s.flash(ctx, o.Name+" was removed from the registry.")
	return redirect(w, r, views.ConflictsHref(ed.ID))
}

func (s *Server) renderDeclarations(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, f views.DeclarationForm, errs field.Errors) error {
	ctx := r.Context()
	list, err := conflict.Declarations(ctx, s.pool, authz.ActorFrom(ctx).UserID, ed.ID)
	if err != nil {
		return err
	}
	v := views.DeclarationsView(ed, list, f, errs)
	v.Page, v.Edition, v.Choose = s.page(r, "Your affiliations and conflicts of interest, "+ed.Name), picker, len(picker.Options) > 1
	return s.render(w, r, status, pages.Declarations(v))
}

// evaluatorDeclarations shows the actor's declarations for an edition they serve
// (GET /evaluator/declarations?edition=ID).
func (s *Server) evaluatorDeclarations(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	return s.renderDeclarations(w, r, http.StatusOK, ed, picker, views.DeclarationForm{}, nil)
}

// evaluatorDeclarationsPost declares an organisation, a city or a person, or removes a
// declaration, with its audit entry, re-flagging the edition's entries
// (POST /evaluator/declarations?edition=ID; conflict.Service.Declare and Withdraw).
func (s *Server) evaluatorDeclarationsPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	get := r.PostForm.Get
	f := views.DeclarationForm{Action: get("action"), ID: get("id")}
	p := f.Action + "_"
	f.ConflictForm = views.ConflictForm{Name: get(p + "name"), Aliases: get(p + "aliases"), Domains: get(p + "domains"),
		Country: get(p + "country"), Email: get(p + "email"), Note: get(p + "note")}
	if f.Action == "remove" {
		id, err := strconv.ParseInt(f.ID, 10, 64)
		if err != nil {
			return errNotFound
		}
		d, err := s.conflicts.Withdraw(ctx, authz.ActorFrom(ctx), id)
		if err != nil {
			return err
		}
		s.flash(ctx, "You removed the "+d.Describe()+".")
		return redirect(w, r, views.DeclarationsHref(d.EditionID))
	}
	kind := conflict.Kind(f.Action)
	if !kind.Valid() {
		return errBadForm
	}
	d, err := s.conflicts.Declare(ctx, authz.ActorFrom(ctx), ed.ID, f.Input(kind))
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderDeclarations(w, r, http.StatusUnprocessableEntity, ed, picker, f, errs)
	}, "You declared the "+d.Describe()+".", views.DeclarationsHref(ed.ID))
}
