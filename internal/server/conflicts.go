package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/conflict"
	"prizeportal/internal/country"
	"prizeportal/internal/edition"
	"prizeportal/internal/field"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// The conflict-of-interest registry (issue 6 item 4; DOMAIN.md "Registration": entities
// represented among the organisers or evaluators may not apply). The secretariat keeps the
// registry of an edition (authz.CanManageApplications; internal/conflict repeats it in SQL);
// evaluators and the committee head declare their own affiliations and conflicts for the
// editions they serve. Every change is audited and re-flags the edition's entries in the same
// transaction, so the screening queue's flags are always current.

const conflictsPath = "/secretariat/conflicts"

func conflictsHref(editionID int64) string {
	return conflictsPath + "?edition=" + strconv.FormatInt(editionID, 10)
}

func conflictHref(id int64) string { return conflictsPath + "/" + strconv.FormatInt(id, 10) }

// conflictForm is the registry form as posted.
type conflictForm struct {
	Name    string `form:"name"`
	Aliases string `form:"aliases"`
	Domains string `form:"domains"`
	Country string `form:"country"`
	Note    string `form:"note"`
}

func (f conflictForm) input() conflict.Input {
	return conflict.Input{Name: f.Name, Aliases: f.Aliases, Domains: f.Domains, Country: f.Country, Note: f.Note}
}

func formOf(o conflict.Organisation) conflictForm {
	return conflictForm{Name: o.Name, Aliases: strings.Join(o.Aliases, "\n"), Domains: strings.Join(o.Domains, ", "),
		Country: o.Country, Note: o.Note}
}

// countryOptions is a country dropdown with code selected; first is the empty choice.
func countryOptions(code, first string) []components.Option {
	opts := []components.Option{{Value: "", Label: first}}
	for _, c := range country.All() {
		opts = append(opts, components.Option{Value: c.Code, Label: c.Name, Selected: c.Code == strings.ToUpper(strings.TrimSpace(code))})
	}
	return opts
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
			Options: countryOptions(f.Country, "No country"), Error: errs.Get("country")},
		Note: components.Field{Name: "note", Label: "Note (optional)", Value: f.Note, MaxLength: conflict.MaxNote,
			Error: errs.Get("note"), Hint: "Why it is in the registry, for example: co-organiser of the prize."},
	}
}

func (s *Server) renderConflicts(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, f conflictForm, errs field.Errors) error {
	ctx := r.Context()
	actor := authz.ActorFrom(ctx)
	list, err := conflict.Organisations(ctx, s.pool, actor.UserID, ed.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.Conflicts(s.conflictsView(r, ed, picker, list, f, errs)))
}

// conflictsView is the registry page of ed listing list, with the form f to add an organisation.
func (s *Server) conflictsView(r *http.Request, ed *edition.Edition, picker components.Field, list []conflict.Organisation, f conflictForm, errs field.Errors) pages.ConflictsView {
	v := pages.ConflictsView{
		Page:    s.page(r, "Conflict-of-interest registry, "+ed.Name),
		Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name, Errors: errs,
		Form: conflictFormView(conflictsHref(ed.ID), "Add the organisation", "", f, errs),
	}
	for _, o := range list {
		v.Rows = append(v.Rows, pages.ConflictRow{
			Name: o.Name, Aliases: strings.Join(o.Aliases, "; "), Domains: strings.Join(o.Domains, ", "),
			Country: country.Name(o.Country), Note: o.Note, Href: conflictHref(o.ID),
			Added:   strings.TrimSpace(o.AddedBy + ", " + formatInstant(o.AddedAt, ed.TimeZone)),
			Flagged: strconv.Itoa(o.Flagged),
		})
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
// entries (POST /secretariat/conflicts?edition=ID).
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
	o, err := s.conflicts.AddOrganisation(ctx, authz.ActorFrom(ctx), ed.ID, f.input())
	var errs field.Errors
	if errors.As(err, &errs) {
		return s.renderConflicts(w, r, http.StatusUnprocessableEntity, ed, picker, f, errs)
	}
	if err != nil {
		return err
	}
	s.flash(ctx, o.Name+" was added to the registry; matching entries are flagged.")
	return redirect(w, r, conflictsHref(ed.ID))
}

// staffConflict loads registry organisation {id} for the acting secretariat member (the store
// filters by the edition's secretariat in SQL: a miss is 404) with its edition.
func (s *Server) staffConflict(r *http.Request) (conflict.Organisation, *edition.Edition, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return conflict.Organisation{}, nil, errNotFound
	}
	return conflict.LoadOrganisation(r.Context(), s.pool, authz.ActorFrom(r.Context()), id)
}

func (s *Server) renderConflictEdit(w http.ResponseWriter, r *http.Request, status int, o conflict.Organisation, ed *edition.Edition, f conflictForm, errs field.Errors) error {
	loc := ed.TimeZone
	facts := []pages.Fact{
		{Label: "Edition", Value: ed.Name},
		{Label: "Added", Value: strings.TrimSpace(o.AddedBy + ", " + formatInstant(o.AddedAt, loc))},
	}
	if o.UpdatedAt != nil {
		facts = append(facts, pages.Fact{Label: "Last changed", Value: strings.TrimSpace(o.UpdatedBy + ", " + formatInstant(*o.UpdatedAt, loc))})
	}
	facts = append(facts, pages.Fact{Label: "Submitted entries flagged", Value: strconv.Itoa(o.Flagged)})
	v := pages.ConflictEditView{
		Page: s.page(r, "Change "+o.Name), Name: o.Name, Back: conflictsHref(ed.ID), Facts: facts, Errors: errs,
		Form:   conflictFormView(conflictHref(o.ID), "Save the changes", conflictsHref(ed.ID), f, errs),
		Delete: conflictHref(o.ID) + "/delete",
	}
	return s.render(w, r, status, pages.ConflictEdit(v))
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
// (POST /secretariat/conflicts/{id}).
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
	after, err := s.conflicts.UpdateOrganisation(ctx, authz.ActorFrom(ctx), o.ID, f.input())
	var errs field.Errors
	if errors.As(err, &errs) {
		return s.renderConflictEdit(w, r, http.StatusUnprocessableEntity, o, ed, f, errs)
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "The changes to "+after.Name+" were saved; the flags of the entries are updated.")
	return redirect(w, r, conflictsHref(ed.ID))
}

// secretariatConflictDelete removes an organisation from the registry after a confirmation step,
// re-flagging the edition's entries (POST /secretariat/conflicts/{id}/delete; without
// confirm=yes it shows the confirmation).
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
		switch o.Flagged {
		case 0:
		case 1:
			flagged = "1 submitted entry is flagged because of it; that flag goes with it."
		default:
			flagged = strconv.Itoa(o.Flagged) + " submitted entries are flagged because of it; those flags go with it."
		}
		return s.render(w, r, http.StatusOK, pages.ConflictDelete(pages.ConflictDeleteView{
			Page: s.page(r, "Remove "+o.Name+" from the registry?"), Name: o.Name, Flagged: flagged,
			Action: conflictHref(o.ID) + "/delete", Cancel: conflictHref(o.ID),
		}))
	}
	_, err = s.conflicts.RemoveOrganisation(ctx, authz.ActorFrom(ctx), o.ID)
	if err != nil {
		return err
	}
	s.flash(ctx, o.Name+" was removed from the registry.")
	return redirect(w, r, conflictsHref(ed.ID))
}

// declarationForm is one of the declaration forms as posted: action is "organisation", "city"
// or "person" (declare) or "remove" (with id).
type declarationForm struct {
	Action  string `form:"action"`
	ID      string `form:"id"`
	Name    string `form:"name"`
	Aliases string `form:"aliases"`
	Domains string `form:"domains"`
	Country string `form:"country"`
	Email   string `form:"email"`
	Note    string `form:"note"`
}

// declarationFields are the fields of the form for kind, filled from f when f is of that kind;
// each field is named after the form's field and its id is prefixed with the kind, so that the
// three forms of the page have distinct ids.
func declarationFields(kind conflict.Kind, f declarationForm, errs field.Errors) []components.Field {
	if f.Action != string(kind) {
		f, errs = declarationForm{}, nil
	}
	p := string(kind) + "_"
	note := components.Field{Name: p + "note", Label: "How you are connected (optional)", Value: f.Note, MaxLength: conflict.MaxNote,
		Error: errs.Get("note"), Hint: "For example: my employer, a former colleague, my home town."}
	switch kind {
	case conflict.KindOrganisation:
		return []components.Field{
			{Name: p + "name", Label: "Name of the organisation", Value: f.Name, Required: true, MaxLength: conflict.MaxName, Error: errs.Get("name")},
			{Name: p + "aliases", Label: "Other names and abbreviations (optional)", Type: "textarea", Value: f.Aliases,
				Error: errs.Get("aliases"), Hint: "One per line."},
			{Name: p + "domains", Label: "Email domains (optional)", Value: f.Domains, Error: errs.Get("domains"),
				Hint: "Separated by commas, for example: seoul.go.kr. Subdomains are included."},
			note,
		}
	case conflict.KindCity:
		return []components.Field{
			{Name: p + "name", Label: "City", Value: f.Name, Required: true, MaxLength: conflict.MaxName, Error: errs.Get("name")},
			{Name: p + "country", Label: "Country", Type: "select", Required: true, Options: countryOptions(f.Country, "Choose a country"),
				Error: errs.Get("country")},
			note,
		}
	}
	return []components.Field{
		{Name: p + "name", Label: "Name of the person", Value: f.Name, Required: true, MaxLength: conflict.MaxName, Error: errs.Get("name"),
			Hint: "Entries whose applicant or candidate has this name are matched, without regard to case and punctuation."},
		{Name: p + "email", Label: "Their email address (optional)", Type: "email", Value: f.Email, Error: errs.Get("email")},
		note,
	}
}

// prefixed returns errs with each field name prefixed, matching the ids of declarationFields.
func prefixed(errs field.Errors, p string) field.Errors {
	out := make(field.Errors, len(errs))
	for i, e := range errs {
		out[i] = field.Error{Field: p + e.Field, Message: e.Message}
	}
	return out
}

func (s *Server) renderDeclarations(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, f declarationForm, errs field.Errors) error {
	ctx := r.Context()
	actor := authz.ActorFrom(ctx)
	list, err := conflict.Declarations(ctx, s.pool, actor.UserID, ed.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.Declarations(s.declarationsView(r, ed, picker, list, f, errs)))
}

// declarationsView is the declarations page of ed listing list, with the forms to declare (f,
// with its problems errs, is the one posted).
func (s *Server) declarationsView(r *http.Request, ed *edition.Edition, picker components.Field, list []conflict.Declaration, f declarationForm, errs field.Errors) pages.DeclarationsView {
	v := pages.DeclarationsView{
		Page:    s.page(r, "Your affiliations and conflicts of interest, "+ed.Name),
		Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name,
		Action:       "/evaluator/declarations?edition=" + strconv.FormatInt(ed.ID, 10),
		Errors:       prefixed(errs, f.Action+"_"),
		Organisation: declarationFields(conflict.KindOrganisation, f, errs),
		City:         declarationFields(conflict.KindCity, f, errs),
		Person:       declarationFields(conflict.KindPerson, f, errs),
	}
	for _, d := range list {
		row := pages.DeclarationRow{ID: strconv.FormatInt(d.ID, 10), Name: d.Name, Note: d.Note,
			Added: formatInstant(d.CreatedAt, ed.TimeZone)}
		switch d.Kind {
		case conflict.KindOrganisation:
			row.Kind = "Organisation"
			var parts []string
			if len(d.Aliases) > 0 {
				parts = append(parts, "Also: "+strings.Join(d.Aliases, "; "))
			}
			if len(d.Domains) > 0 {
				parts = append(parts, "Email domains: "+strings.Join(d.Domains, ", "))
			}
			row.Details = strings.Join(parts, ". ")
		case conflict.KindCity:
			row.Kind, row.Details = "City", country.Name(d.Country)
		default:
			row.Kind, row.Details = "Person", d.Email
		}
		v.Rows = append(v.Rows, row)
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
// (POST /evaluator/declarations?edition=ID).
func (s *Server) evaluatorDeclarationsPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	var f declarationForm
	f.Action, f.ID = r.PostForm.Get("action"), r.PostForm.Get("id")
	// The fields of the three forms carry the kind as a prefix (declarationFields).
	p := f.Action + "_"
	f.Name, f.Aliases, f.Domains = r.PostForm.Get(p+"name"), r.PostForm.Get(p+"aliases"), r.PostForm.Get(p+"domains")
	f.Country, f.Email, f.Note = r.PostForm.Get(p+"country"), r.PostForm.Get(p+"email"), r.PostForm.Get(p+"note")
	actor := authz.ActorFrom(ctx)
	if f.Action == "remove" {
		id, err := strconv.ParseInt(f.ID, 10, 64)
		if err != nil {
			return errNotFound
		}
		d, err := s.conflicts.Withdraw(ctx, actor, id)
		if err != nil {
			return err
		}
		s.flash(ctx, "You removed the "+d.Describe()+".")
		return redirect(w, r, "/evaluator/declarations?edition="+strconv.FormatInt(d.EditionID, 10))
	}
	kind := conflict.Kind(f.Action)
	if !kind.Valid() {
		return errBadForm
	}
	in := conflict.Input{Kind: kind, Name: f.Name, Aliases: f.Aliases, Domains: f.Domains, Country: f.Country, Email: f.Email, Note: f.Note}
	d, err := s.conflicts.Declare(ctx, actor, ed.ID, in)
	var errs field.Errors
	if errors.As(err, &errs) {
		return s.renderDeclarations(w, r, http.StatusUnprocessableEntity, ed, picker, f, errs)
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "You declared the "+d.Describe()+".")
	return redirect(w, r, "/evaluator/declarations?edition="+strconv.FormatInt(ed.ID, 10))
}

// conflictPanel is the screening view's panel of an entry's conflicts of interest: each match
// with the registry or an evaluator's declaration and the field of the entry that matched; nil
// when there is none.
func conflictPanel(matches []conflict.Match) templ.Component {
	if len(matches) == 0 {
		return nil
	}
	var v pages.ConflictPanelView
	for _, m := range matches {
		pm := pages.ConflictMatch{Subject: m.Subject, Field: conflict.FieldLabel(m.Field), Matched: m.Matched}
		if m.Registry() {
			v.Barred = true
			pm.Source, pm.Href = "Registry", conflictHref(m.SourceID)
		} else {
			pm.Source = "Declared by " + m.EvaluatorName
			if m.EvaluatorName == "" {
				pm.Source = "Declared by an evaluator"
			}
			pm.Subject = conflictSubject(m)
		}
		v.Matches = append(v.Matches, pm)
	}
	return pages.ConflictPanel(v)
}

// conflictSubject names what an evaluator declared, e.g. "city Seoul (Korea (South))".
func conflictSubject(m conflict.Match) string {
	d := conflict.Declaration{Kind: conflict.Kind(m.SubjectKind), Name: m.Subject, Country: m.SubjectNote}
	return d.Describe()
}
