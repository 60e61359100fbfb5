package views

import (
	"strconv"
	"strings"

	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/conflict"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
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
		Name: components.Field{Name: "name", Label: i18n.M("Name of the organisation"), Value: f.Name, Required: true,
			MaxLength: conflict.MaxName, Error: errs.Get("name"), Hint: i18n.M("For example: World Smart Sustainable Cities Organization.")},
		Aliases: components.Field{Name: "aliases", Label: i18n.M("Other names and abbreviations (optional)"), Value: f.Aliases,
			Error: errs.Get("aliases"), Hint: i18n.M("One per line, for example: WeGO.")},
		Domains: components.Field{Name: "domains", Label: i18n.M("Email domains (optional)"), Value: f.Domains,
			Error: errs.Get("domains"), Hint: i18n.M("Separated by commas, for example: wego-net.org. Subdomains are included.")},
		Country: components.Field{Name: "country", Label: i18n.M("Country (optional)"), Type: "select",
			Options: CountryOptions(f.Country, i18n.M("No country")), Error: errs.Get("country")},
		Note: components.Field{Name: "note", Label: i18n.M("Note (optional)"), Value: f.Note, MaxLength: conflict.MaxNote,
			Error: errs.Get("note"), Hint: i18n.M("Why it is in the registry, for example: co-organiser of the prize.")},
	}
}

// ConflictsView is the registry page of ed listing list, with the form f to add an
// organisation and the edition chooser picker. No I/O.
func ConflictsView(page components.Page, ed *edition.Edition, picker components.Field, reg conflict.Registry, f ConflictForm, errs field.Errors) pages.ConflictsView {
	v := pages.ConflictsView{Page: page, Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name, Errors: errs, Form: ConflictFormView(ConflictsHref(ed.ID), i18n.M("Add the organisation"), "", f, errs)}
	for _, fc := range reg.Found {
		answer := i18n.M("Not answered yet: not assigned, abstains in a vote")
		switch {
		case fc.Decision == conflict.Confirmed:
			answer = i18n.Msg("Confirmed the conflict ({{.When}})", "When", i18n.Instant(*fc.DecidedAt, ed.TimeZone))
		case fc.Decision == conflict.Explained:
			answer = i18n.Msg("Not a conflict: “{{.Explanation}}” ({{.When}})", "Explanation", fc.Explanation, "When", i18n.Instant(*fc.DecidedAt, ed.TimeZone))
		}
		v.Found = append(v.Found, pages.FoundAnswer{Member: fc.MemberName, Entry: i18n.Msg("{{.Entry}} ({{.Category}})", "Entry", fc.Entry, "Category", fc.Category),
			Reasons: conflict.Join(fc.Reasons), Answer: answer})
	}
	for _, r := range reg.Registrants {
		v.Registrants = append(v.Registrants, pages.RegistrantMatch{Name: r.Name, Email: r.Email, Category: r.Category,
			Registered: i18n.Instant(r.RegisteredAt, ed.TimeZone), Reasons: conflict.Join(r.Reasons)})
	}
	for _, o := range reg.Organisations {
		v.Rows = append(v.Rows, pages.ConflictRow{Name: o.Name, Aliases: strings.Join(o.Aliases, "; "), Domains: strings.Join(o.Domains, ", "),
			Country: country.Name(o.Country), Note: o.Note, Href: ConflictHref(o.ID), Added: i18n.Msg("{{.Name}}, {{.When}}", "Name", o.AddedBy, "When", i18n.Instant(o.AddedAt, ed.TimeZone)),
			Flagged: strconv.Itoa(o.Flagged)})
	}
	return v
}

// DeclarationForm is one of the declaration forms as posted: action is "organisation", "city"
// or "person" (declare), "remove" (with id) or "review" (the answer to a found conflict, id the
// entry's). The fields of each form carry a prefix (Prefix).
type DeclarationForm struct {
	Action string `form:"action"`
	ID     string `form:"id"`
	ConflictForm
	Decision    string // review: conflict.Confirmed or conflict.Explained
	Explanation string // review
}

// Prefix is the prefix of the names of the posted form's fields: its kind ("organisation_"), or
// "review<entry id>_" for the answer to a found conflict, so that every form of the page has
// distinct names and ids.
func (f DeclarationForm) Prefix() string {
	if f.Action == "review" {
		return ReviewPrefix(f.ID)
	}
	return f.Action + "_"
}

// ReviewPrefix is the prefix of the fields of the answer to the conflict found with entry appID.
func ReviewPrefix(appID string) string { return "review" + appID + "_" }

// reviewFields are the fields of the answer to found conflict fc, filled from f when f answers it.
func reviewFields(fc conflict.Found, f DeclarationForm, errs field.Errors) []components.Field {
	id := strconv.FormatInt(fc.ApplicationID, 10)
	if f.Action != "review" || f.ID != id {
		f, errs = DeclarationForm{Decision: fc.Decision, Explanation: fc.Explanation}, nil
	}
	p := ReviewPrefix(id)
	return []components.Field{
		{Name: p + "decision", Label: i18n.M("Is this a conflict of interest?"), Type: "radio", Required: true, Error: errs.Get("decision"),
			Options: []components.Option{
				{Value: conflict.Confirmed, Label: i18n.M("Yes: I am in conflict with this entry"), Selected: f.Decision == conflict.Confirmed},
				{Value: conflict.Explained, Label: i18n.M("No: I explain why below"), Selected: f.Decision == conflict.Explained},
			}},
		{Name: p + "explanation", Label: i18n.M("Why it is not a conflict (needed when you answer no)"), Type: "textarea", Value: f.Explanation,
			MaxLength: conflict.MaxExplanation, Error: errs.Get("explanation"),
			Hint: i18n.M("For example: I left that organisation in 2019. The secretariat reads it.")},
	}
}

// foundState says where the answer to fc stands.
func foundState(fc conflict.Found, ed *edition.Edition) string {
	switch {
	case fc.DecidedAt == nil:
		return i18n.M("Not answered yet: this entry is not assigned to you, and you abstain on it in a vote, until you answer.")
	case fc.Decision == conflict.Confirmed:
		return i18n.Msg("You confirmed this conflict of interest on {{.When}}.", "When", i18n.Instant(*fc.DecidedAt, ed.TimeZone))
	}
	return i18n.Msg("You explained on {{.When}} why this is not a conflict of interest.", "When", i18n.Instant(*fc.DecidedAt, ed.TimeZone))
}

// DeclarationFields are the fields of the form for kind, filled from f when f is of that kind;
// each field is named after the form's field and its id is prefixed with the kind, so that the
// three forms of the page have distinct ids.
func DeclarationFields(kind conflict.Kind, f DeclarationForm, errs field.Errors) []components.Field {
	if f.Action != string(kind) {
		f, errs = DeclarationForm{}, nil
	}
	p := string(kind) + "_"
	name := components.Field{Name: p + "name", Label: i18n.M("Name of the organisation"), Value: f.Name, Required: true, MaxLength: conflict.MaxName, Error: errs.Get("name")}
	note := components.Field{Name: p + "note", Label: i18n.M("How you are connected (optional)"), Value: f.Note, MaxLength: conflict.MaxNote,
		Error: errs.Get("note"), Hint: i18n.M("For example: my employer, a former colleague, my home town.")}
	switch kind {
	case conflict.KindOrganisation:
		return []components.Field{name,
			{Name: p + "aliases", Label: i18n.M("Other names and abbreviations (optional)"), Type: "textarea", Value: f.Aliases,
				Error: errs.Get("aliases"), Hint: i18n.M("One per line.")},
			{Name: p + "domains", Label: i18n.M("Email domains (optional)"), Value: f.Domains, Error: errs.Get("domains"),
				Hint: i18n.M("Separated by commas, for example: seoul.go.kr. Subdomains are included.")},
			note}
	case conflict.KindCity:
		name.Label = i18n.M("City")
		return []components.Field{name,
			{Name: p + "country", Label: i18n.M("Country"), Type: "select", Required: true, Options: CountryOptions(f.Country, i18n.M("Choose a country")),
				Error: errs.Get("country")},
			note}
	}
	name.Label, name.Hint = i18n.M("Name of the person"), i18n.M("Entries whose applicant or candidate has this name are matched, without regard to case and punctuation.")
	return []components.Field{name, {Name: p + "email", Label: i18n.M("Their email address (optional)"), Type: "email", Value: f.Email, Error: errs.Get("email")}, note}
}

// DeclarationsView is the declarations page of ed listing list, with the forms to declare (f,
// with its problems errs, is the one posted; the summary names the prefixed fields) and the
// edition chooser picker. No I/O.
func DeclarationsView(page components.Page, ed *edition.Edition, picker components.Field, mine conflict.Mine, f DeclarationForm, errs field.Errors) pages.DeclarationsView {
	v := pages.DeclarationsView{Page: page, Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name, Action: DeclarationsHref(ed.ID),
		Organisation: DeclarationFields(conflict.KindOrganisation, f, errs),
		City:         DeclarationFields(conflict.KindCity, f, errs),
		Person:       DeclarationFields(conflict.KindPerson, f, errs),
	}
	for _, e := range errs {
		v.Errors = append(v.Errors, field.Error{Field: f.Prefix() + e.Field, Message: e.Message})
	}
	for _, fc := range mine.Found {
		id := strconv.FormatInt(fc.ApplicationID, 10)
		v.Found = append(v.Found, pages.FoundRow{ID: id, Entry: fc.Entry, Category: fc.Category, Reasons: fc.Reasons,
			State: foundState(fc, ed), Open: fc.Open(), Fields: reviewFields(fc, f, errs)})
	}
	for _, d := range mine.Declarations {
		v.Rows = append(v.Rows, pages.DeclarationRow{ID: strconv.FormatInt(d.ID, 10), Kind: d.Kind.Label(), Name: d.Name,
			Details: d.Details(), Note: d.Note, Added: i18n.Instant(d.CreatedAt, ed.TimeZone)})
	}
	return v
}
