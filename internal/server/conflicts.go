package server

import (
	"context"
	"net/http"
	"strconv"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/conflict"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// The conflict-of-interest registry (DOMAIN.md "Registration": entities represented among the
// organisers or evaluators may not apply). The secretariat keeps the registry of an edition
// (authz.CanManageApplications; internal/conflict repeats it in SQL); evaluators and the
// committee head declare their own affiliations and conflicts for the editions they serve.
// Every change is audited and re-flags the edition's entries in the same transaction
// (conflict.Service), so the screening queue's flags are always current.

// conflictsList is the registry of an edition with the form to add an organisation.
var conflictsList = newEditionList(i18n.M("Conflict-of-interest registry, {{.Edition}}"), conflict.RegistryIn, views.ConflictsView, pages.Conflicts)

// secretariatConflicts shows the registry of an edition with the form to add an organisation
// (GET /secretariat/conflicts?edition=ID).
func (s *Server) secretariatConflicts(w http.ResponseWriter, r *http.Request) error {
	return conflictsList.show(s, w, r)
}

// secretariatConflictAdd adds an organisation to the registry, re-flagging the edition's
// entries (POST /secretariat/conflicts?edition=ID; conflict.Service.AddOrganisation).
func (s *Server) secretariatConflictAdd(w http.ResponseWriter, r *http.Request) error {
	return conflictsList.add(s, w, r, func(ctx context.Context, ed *edition.Edition, f views.ConflictForm) (string, string, error) {
		o, err := s.conflicts.AddOrganisation(ctx, authz.ActorFrom(ctx), ed.ID, f.Input(""))
		return i18n.Msg("{{.Name}} was added to the registry; matching entries are flagged.", "Name", o.Name), views.ConflictsHref(ed.ID), err
	})
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
	facts := []pages.Fact{{Label: i18n.M("Edition"), Value: ed.Name}, {Label: i18n.M("Added"), Value: i18n.Msg("{{.Name}}, {{.When}}", "Name", o.AddedBy, "When", i18n.Instant(o.AddedAt, ed.TimeZone))}}
	if o.UpdatedAt != nil {
		facts = append(facts, pages.Fact{Label: i18n.M("Last changed"), Value: i18n.Msg("{{.Name}}, {{.When}}", "Name", o.UpdatedBy, "When", i18n.Instant(*o.UpdatedAt, ed.TimeZone))})
	}
	return s.render(w, r, status, pages.ConflictEdit(pages.ConflictEditView{
		Page: s.page(r, i18n.Msg("Change {{.Name}}", "Name", o.Name)), Name: o.Name, Back: views.ConflictsHref(ed.ID), Errors: errs,
		Facts:  append(facts, pages.Fact{Label: i18n.M("Submitted entries flagged"), Value: strconv.Itoa(o.Flagged)}),
		Form:   views.ConflictFormView(views.ConflictHref(o.ID), i18n.M("Save the changes"), views.ConflictsHref(ed.ID), f, errs),
		Delete: views.ConflictHref(o.ID) + "/delete",
	}))
}

// secretariatConflict shows a registered organisation's form (GET /secretariat/conflicts/{id}).
func (s *Server) secretariatConflict(w http.ResponseWriter, r *http.Request) error {
	return showForm(w, r, s.staffConflict, views.ConflictFormOf, s.renderConflictEdit)
}

// secretariatConflictSave changes a registered organisation, re-flagging the edition's entries
// (POST /secretariat/conflicts/{id}; conflict.Service.UpdateOrganisation).
func (s *Server) secretariatConflictSave(w http.ResponseWriter, r *http.Request) error {
	return postForm(s, w, r, s.staffConflict, s.renderConflictEdit, func(ctx context.Context, o conflict.Organisation, ed *edition.Edition, f views.ConflictForm) (string, string, error) {
		after, err := s.conflicts.UpdateOrganisation(ctx, authz.ActorFrom(ctx), o.ID, f.Input(""))
		return i18n.Msg("The changes to {{.Name}} were saved; the flags of the entries are updated.", "Name", after.Name), views.ConflictsHref(ed.ID), err
	})
}

// secretariatConflictDelete removes an organisation from the registry after a confirmation step,
// re-flagging the edition's entries (POST /secretariat/conflicts/{id}/delete;
// conflict.Service.RemoveOrganisation; without confirm=yes it shows the confirmation).
func (s *Server) secretariatConflictDelete(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	o, ed, f, err := loadThenForm[confirmForm](w, r, s.staffConflict)
	if err != nil {
		return err
	}
	if f.Confirm != "yes" {
		flagged := i18n.M("No submitted entry is flagged because of it.")
		if o.Flagged == 1 {
			flagged = i18n.M("1 submitted entry is flagged because of it; that flag goes with it.")
		} else if o.Flagged > 1 {
			flagged = i18n.Msg("{{.Count}} submitted entries are flagged because of it; those flags go with it.", "Count", strconv.Itoa(o.Flagged))
		}
		return s.render(w, r, http.StatusOK, pages.ConflictDelete(pages.ConflictDeleteView{
			Page: s.page(r, i18n.Msg("Remove {{.Name}} from the registry?", "Name", o.Name)), Name: o.Name, Flagged: flagged,
			Action: views.ConflictHref(o.ID) + "/delete", Cancel: views.ConflictHref(o.ID),
		}))
	}
	if _, err := s.conflicts.RemoveOrganisation(ctx, authz.ActorFrom(ctx), o.ID); err != nil {
		return err
	}
	s.flash(ctx, i18n.Msg("{{.Name}} was removed from the registry.", "Name", o.Name))
	return redirect(w, r, views.ConflictsHref(ed.ID))
}

// declarationsList is the actor's declarations for an edition with the forms to declare.
var declarationsList = newEditionList(i18n.M("Your affiliations and conflicts of interest, {{.Edition}}"), conflict.MineIn, views.DeclarationsView, pages.Declarations)

// evaluatorDeclarations shows the actor's declarations for an edition they serve
// (GET /evaluator/declarations?edition=ID).
func (s *Server) evaluatorDeclarations(w http.ResponseWriter, r *http.Request) error {
	return declarationsList.show(s, w, r)
}

// evaluatorDeclarationsPost declares an organisation, a city or a person, removes a
// declaration, or answers a conflict the portal found, with its audit entry, re-flagging the
// edition's entries (POST /evaluator/declarations?edition=ID; conflict.Service.Declare, Withdraw
// and Review).
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
	if f.Action == "review" {
		id, err := strconv.ParseInt(f.ID, 10, 64)
		if err != nil {
			return errNotFound
		}
		p = f.Prefix()
		f.Decision, f.Explanation = get(p+"decision"), get(p+"explanation")
		fc, err := s.conflicts.Review(ctx, authz.ActorFrom(ctx), id, conflict.Answer{Decision: f.Decision, Explanation: f.Explanation})
		return s.formDone(w, r, err, func(errs field.Errors) error {
			return declarationsList.render(s, w, r, http.StatusUnprocessableEntity, ed, picker, f, errs)
		}, i18n.Msg("Your answer about {{.Entry}} is saved.", "Entry", fc.Entry), views.DeclarationsHref(ed.ID))
	}
	if f.Action == "remove" {
		id, err := strconv.ParseInt(f.ID, 10, 64)
		if err != nil {
			return errNotFound
		}
		d, err := s.conflicts.Withdraw(ctx, authz.ActorFrom(ctx), id)
		if err != nil {
			return err
		}
		s.flash(ctx, i18n.Msg("You removed the {{.Declaration}}.", "Declaration", d.Describe()))
		return redirect(w, r, views.DeclarationsHref(d.EditionID))
	}
	kind := conflict.Kind(f.Action)
	if !kind.Valid() {
		return errBadForm
	}
	d, err := s.conflicts.Declare(ctx, authz.ActorFrom(ctx), ed.ID, f.Input(kind))
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return declarationsList.render(s, w, r, http.StatusUnprocessableEntity, ed, picker, f, errs)
	}, i18n.Msg("You declared the {{.Declaration}}.", "Declaration", d.Describe()), views.DeclarationsHref(ed.ID))
}
