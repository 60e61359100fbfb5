package server

import (
	"net/http"
	"strconv"
	"strings"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/timefmt"
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

// conflictForm is a registry organisation or a declaration as posted.
type conflictForm struct {
	Name    string `form:"name"`
	Aliases string `form:"aliases"`
	Domains string `form:"domains"`
	Country string `form:"country"`
	Email   string `form:"email"`
	Note    string `form:"note"`
}

func (f conflictForm) input(kind conflict.Kind) conflict.Input {
	return conflict.Input{Kind: kind, Name: f.Name, Aliases: f.Aliases, Domains: f.Domains, Country: f.Country, Email: f.Email, Note: f.Note}
}

func formOf(o conflict.Organisation) conflictForm {
	return conflictForm{Name: o.Name, Aliases: strings.Join(o.Aliases, "\n"), Domains: strings.Join(o.Domains, ", "),
		Country: o.Country, Note: o.Note}
}

func conflictFormView(action, submit, cancel string, f conflictForm, errs field.Errors) pages.ConflictForm {
	return pages.ConflictForm{
		Action: action, Submit: submit, Cancel: cancel,
		Name: components.Field{Name: "name", Label: "Name of the organisation", Value: f.Name, Required: true,
			MaxLength: conflict.MaxName, Error: errs.Get("name"), Hint: "For example: World Smart Sustainable Cities Organization."},
		Aliases: components.Field{Name: "aliases", Label: "Other names and abbreviations (optional)", Value: f.Aliases,
			Error: errs.Get("aliases"), Hint: "One per line, for example: WeGO."},
		Domains: components.Field{Name: "domains", Label: "Email domains (optional)", Value: f.Domains,
			Error: errs.Get("domains"), Hint: "Separated by commas, for example: wego-net.org. Subdomains are included."},
		Country: components.Field{Name: "country", Label: "Country (optional)", Type: "select",
			Options: views.CountryOptions(f.Country, "No country"), Error: errs.Get("country")},
		Note: components.Field{Name: "note", Label: "Note (optional)", Value: f.Note, MaxLength: conflict.MaxNote,
			Error: errs.Get("note"), Hint: "Why it is in the registry, for example: co-organiser of the prize."},
	}
}

func (s *Server) renderConflicts(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, f conflictForm, errs field.Errors) error {
	ctx := r.Context()
	list, err := conflict.Organisations(ctx, s.pool, authz.ActorFrom(ctx).UserID, ed.ID)
	if err != nil {
		return err
	}
	v := conflictsView(ed, list, f, errs)
	v.Page, v.Edition, v.Choose = s.page(r, "Conflict-of-interest registry, "+ed.Name), picker, len(picker.Options) > 1
	return s.render(w, r, status, pages.Conflicts(v))
}

// conflictsView is the registry page of ed listing list, with the form f to add an
// organisation. No I/O.
func conflictsView(ed *edition.Edition, list []conflict.Organisation, f conflictForm, errs field.Errors) pages.ConflictsView {
	v := pages.ConflictsView{Name: ed.Name, Errors: errs, Form: conflictFormView(views.ConflictsHref(ed.ID), "Add the organisation", "", f, errs)}
	for _, o := range list {
		v.Rows = append(v.Rows, pages.ConflictRow{Name: o.Name, Aliases: strings.Join(o.Aliases, "; "), Domains: strings.Join(o.Domains, ", "),
			Country: country.Name(o.Country), Note: o.Note, Href: views.ConflictHref(o.ID), Added: views.Stamp(o.AddedBy, o.AddedAt, ed.TimeZone),
			Flagged: strconv.Itoa(o.Flagged)})
	}
	return v
}

// secretariatConflicts shows the registry of an edition with the form to add an organisation
// (GET /secretariat/conflicts?edition=ID).
func (s *Server) secretariatConflicts(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	return s.renderConflicts(w, r, http.StatusOK, ed, picker, conflictForm{}, nil)
}

// secretariatConflictAdd adds an organisation to the registry, re-flagging the edition's
// entries (POST /secretariat/conflicts?edition=ID; conflict.Service.AddOrganisation).
func (s *Server) secretariatConflictAdd(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	var f conflictForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	o, err := s.conflicts.AddOrganisation(ctx, authz.ActorFrom(ctx), ed.ID, f.input(""))
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

func (s *Server) renderConflictEdit(w http.ResponseWriter, r *http.Request, status int, o conflict.Organisation, ed *edition.Edition, f conflictForm, errs field.Errors) error {
	facts := []pages.Fact{{Label: "Edition", Value: ed.Name}, {Label: "Added", Value: views.Stamp(o.AddedBy, o.AddedAt, ed.TimeZone)}}
	if o.UpdatedAt != nil {
		facts = append(facts, pages.Fact{Label: "Last changed", Value: views.Stamp(o.UpdatedBy, *o.UpdatedAt, ed.TimeZone)})
	}
	return s.render(w, r, status, pages.ConflictEdit(pages.ConflictEditView{
		Page: s.page(r, "Change "+o.Name), Name: o.Name, Back: views.ConflictsHref(ed.ID), Errors: errs,
		Facts:  append(facts, pages.Fact{Label: "Submitted entries flagged", Value: strconv.Itoa(o.Flagged)}),
		Form:   conflictFormView(views.ConflictHref(o.ID), "Save the changes", views.ConflictsHref(ed.ID), f, errs),
		Delete: views.ConflictHref(o.ID) + "/delete",
	}))
}

// secretariatConflict shows a registered organisation's form (GET /secretariat/conflicts/{id}).
func (s *Server) secretariatConflict(w http.ResponseWriter, r *http.Request) error {
	o, ed, err := s.staffConflict(r)
	if err != nil {
		return err
	}
	return s.renderConflictEdit(w, r, http.StatusOK, o, ed, formOf(o), nil)
}

// secretariatConflictSave changes a registered organisation, re-flagging the edition's entries
// (POST /secretariat/conflicts/{id}; conflict.Service.UpdateOrganisation).
func (s *Server) secretariatConflictSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	o, ed, err := s.staffConflict(r)
	if err != nil {
		return err
	}
	var f conflictForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	after, err := s.conflicts.UpdateOrganisation(ctx, authz.ActorFrom(ctx), o.ID, f.input(""))
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

// declarationForm is one of the declaration forms as posted: action is "organisation", "city"
// or "person" (declare) or "remove" (with id). The fields of each form carry its kind as a
// prefix (declarationFields).
type declarationForm struct {
	Action string `form:"action"`
	ID     string `form:"id"`
	conflictForm
}

// declarationFields are the fields of the form for kind, filled from f when f is of that kind;
// each field is named after the form's field and its id is prefixed with the kind, so that the
// three forms of the page have distinct ids.
func declarationFields(kind conflict.Kind, f declarationForm, errs field.Errors) []components.Field {
	if f.Action != string(kind) {
		f, errs = declarationForm{}, nil
	}
	p := string(kind) + "_"
	name := components.Field{Name: p + "name", Label: "Name of the organisation", Value: f.Name, Required: true, MaxLength: conflict.MaxName, Error: errs.Get("name")}
	note := components.Field{Name: p + "note", Label: "How you are connected (optional)", Value: f.Note, MaxLength: conflict.MaxNote,
		Error: errs.Get("note"), Hint: "For example: my employer, a former colleague, my home town."}
	switch kind {
	case conflict.KindOrganisation:
		return []components.Field{name,
			{Name: p + "aliases", Label: "Other names and abbreviations (optional)", Type: "textarea", Value: f.Aliases,
				Error: errs.Get("aliases"), Hint: "One per line."},
			{Name: p + "domains", Label: "Email domains (optional)", Value: f.Domains, Error: errs.Get("domains"),
				Hint: "Separated by commas, for example: seoul.go.kr. Subdomains are included."},
			note}
	case conflict.KindCity:
		name.Label = "City"
		return []components.Field{name,
			{Name: p + "country", Label: "Country", Type: "select", Required: true, Options: views.CountryOptions(f.Country, "Choose a country"),
				Error: errs.Get("country")},
			note}
	}
	name.Label, name.Hint = "Name of the person", "Entries whose applicant or candidate has this name are matched, without regard to case and punctuation."
	return []components.Field{name, {Name: p + "email", Label: "Their email address (optional)", Type: "email", Value: f.Email, Error: errs.Get("email")}, note}
}

func (s *Server) renderDeclarations(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, f declarationForm, errs field.Errors) error {
	ctx := r.Context()
	list, err := conflict.Declarations(ctx, s.pool, authz.ActorFrom(ctx).UserID, ed.ID)
	if err != nil {
		return err
	}
	v := declarationsView(ed, list, f, errs)
	v.Page, v.Edition, v.Choose = s.page(r, "Your affiliations and conflicts of interest, "+ed.Name), picker, len(picker.Options) > 1
	return s.render(w, r, status, pages.Declarations(v))
}

// declarationsView is the declarations page of ed listing list, with the forms to declare (f,
// with its problems errs, is the one posted; the summary names the prefixed fields). No I/O.
func declarationsView(ed *edition.Edition, list []conflict.Declaration, f declarationForm, errs field.Errors) pages.DeclarationsView {
	v := pages.DeclarationsView{Name: ed.Name, Action: views.DeclarationsHref(ed.ID),
		Organisation: declarationFields(conflict.KindOrganisation, f, errs),
		City:         declarationFields(conflict.KindCity, f, errs),
		Person:       declarationFields(conflict.KindPerson, f, errs),
	}
	for _, e := range errs {
		v.Errors = append(v.Errors, field.Error{Field: f.Action + "_" + e.Field, Message: e.Message})
	}
	for _, d := range list {
		v.Rows = append(v.Rows, pages.DeclarationRow{ID: strconv.FormatInt(d.ID, 10), Kind: d.Kind.Label(), Name: d.Name,
			Details: d.Details(), Note: d.Note, Added: timefmt.Instant(d.CreatedAt, ed.TimeZone)})
	}
	return v
}

// evaluatorDeclarations shows the actor's declarations for an edition they serve
// (GET /evaluator/declarations?edition=ID).
func (s *Server) evaluatorDeclarations(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	return s.renderDeclarations(w, r, http.StatusOK, ed, picker, declarationForm{}, nil)
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
	f := declarationForm{Action: get("action"), ID: get("id")}
	p := f.Action + "_"
	f.conflictForm = conflictForm{Name: get(p + "name"), Aliases: get(p + "aliases"), Domains: get(p + "domains"),
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
	d, err := s.conflicts.Declare(ctx, authz.ActorFrom(ctx), ed.ID, f.input(kind))
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderDeclarations(w, r, http.StatusUnprocessableEntity, ed, picker, f, errs)
	}, "You declared the "+d.Describe()+".", views.DeclarationsHref(ed.ID))
}
