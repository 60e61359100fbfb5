package views

import (
	"strconv"
	"strings"

	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/conflict"
	"prizeportal/internal/edition"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// The registry of conflicts of interest and the evaluators' declarations: their pages and forms.

// ConflictForm is a registry organisation or a declaration as posted.
type ConflictForm struct {
	Name    string `form:"name"`
	Aliases string `form:"aliases"`
	Domains string `form:"domains"`
	Country string `form:"country"`
	Email   string `form:"email"`
	Note    string `form:"note"`
}

// Input is the form as the input of the domain, of kind (empty for the registry).
func (f ConflictForm) Input(kind conflict.Kind) conflict.Input {
	return conflict.Input{Kind: kind, Name: f.Name, Aliases: f.Aliases, Domains: f.Domains, Country: f.Country, Email: f.Email, Note: f.Note}
}

// ConflictFormOf is the form of registry organisation o, to edit it.
func ConflictFormOf(o conflict.Organisation) ConflictForm {
	return ConflictForm{Name: o.Name, Aliases: strings.Join(o.Aliases, "\n"), Domains: strings.Join(o.Domains, ", "),
		Country: o.Country, Note: o.Note}
}

func ConflictFormView(action, submit, cancel string, f ConflictForm, errs field.Errors) pages.ConflictForm {
	return pages.ConflictForm{
		Action: action, Submit: submit, Cancel: cancel,
		Name: components.Field{Name: "name", Label: "Name of the organisation", Value: f.Name, Required: true,
			MaxLength: conflict.MaxName, Error: errs.Get("name"), Hint: "For example: World Smart Sustainable Cities Organization."},
		Aliases: components.Field{Name: "aliases", Label: "Other names and abbreviations (optional)", Value: f.Aliases,
			Error: errs.Get("aliases"), Hint: "One per line, for example: WeGO."},
		Domains: components.Field{Name: "domains", Label: "Email domains (optional)", Value: f.Domains,
			Error: errs.Get("domains"), Hint: "Separated by commas, for example: wego-net.org. Subdomains are included."},
		Country: components.Field{Name: "country", Label: "Country (optional)", Type: "select",
			Options: CountryOptions(f.Country, "No country"), Error: errs.Get("country")},
		Note: components.Field{Name: "note", Label: "Note (optional)", Value: f.Note, MaxLength: conflict.MaxNote,
			Error: errs.Get("note"), Hint: "Why it is in the registry, for example: co-organiser of the prize."},
	}
}

// ConflictsView is the registry page of ed listing list, with the form f to add an
// organisation and the edition chooser picker. No I/O.
func ConflictsView(page components.Page, ed *edition.Edition, picker components.Field, list []conflict.Organisation, f ConflictForm, errs field.Errors) pages.ConflictsView {
	v := pages.ConflictsView{Page: page, Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name, Errors: errs, Form: ConflictFormView(ConflictsHref(ed.ID), "Add the organisation", "", f, errs)}
	for _, o := range list {
		v.Rows = append(v.Rows, pages.ConflictRow{Name: o.Name, Aliases: strings.Join(o.Aliases, "; "), Domains: strings.Join(o.Domains, ", "),
			Country: country.Name(o.Country), Note: o.Note, Href: ConflictHref(o.ID), Added: Stamp(o.AddedBy, o.AddedAt, ed.TimeZone),
			Flagged: strconv.Itoa(o.Flagged)})
	}
	return v
}

// DeclarationForm is one of the declaration forms as posted: action is "organisation", "city"
// or "person" (declare) or "remove" (with id). The fields of each form carry its kind as a
// prefix (DeclarationFields).
type DeclarationForm struct {
	Action string `form:"action"`
	ID     string `form:"id"`
	ConflictForm
}

// DeclarationFields are the fields of the form for kind, filled from f when f is of that kind;
// each field is named after the form's field and its id is prefixed with the kind, so that the
// three forms of the page have distinct ids.
func DeclarationFields(kind conflict.Kind, f DeclarationForm, errs field.Errors) []components.Field {
	if f.Action != string(kind) {
		f, errs = DeclarationForm{}, nil
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
			{Name: p + "country", Label: "Country", Type: "select", Required: true, Options: CountryOptions(f.Country, "Choose a country"),
				Error: errs.Get("country")},
			note}
	}
	name.Label, name.Hint = "Name of the person", "Entries whose applicant or candidate has this name are matched, without regard to case and punctuation."
	return []components.Field{name, {Name: p + "email", Label: "Their email address (optional)", Type: "email", Value: f.Email, Error: errs.Get("email")}, note}
}

// DeclarationsView is the declarations page of ed listing list, with the forms to declare (f,
// with its problems errs, is the one posted; the summary names the prefixed fields) and the
// edition chooser picker. No I/O.
func DeclarationsView(page components.Page, ed *edition.Edition, picker components.Field, list []conflict.Declaration, f DeclarationForm, errs field.Errors) pages.DeclarationsView {
	v := pages.DeclarationsView{Page: page, Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name, Action: DeclarationsHref(ed.ID),
		Organisation: DeclarationFields(conflict.KindOrganisation, f, errs),
		City:         DeclarationFields(conflict.KindCity, f, errs),
		Person:       DeclarationFields(conflict.KindPerson, f, errs),
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
