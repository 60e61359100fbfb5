// Package conflict is the conflict-of-interest registry (DOMAIN.md "Registration": entities
// represented among the organisers or evaluators may not apply): the organisations the
// secretariat registers per edition, the affiliations and conflicts evaluators
// declare themselves, and the matching of entries against both. Matching runs in SQL, set-based
// (the views of migration 00017); its results become entry flags for the screening queue and
// feed round 2 assignment (DOMAIN.md "Round 2"), which never assigns a conflicted evaluator.
package conflict

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/i18n"
)

// Flag kinds raised on entries (entry_flags.kind, migration 00015).
const (
	// FlagRegistry marks an entry that matches a registered organisation; the detail is the
	// organisation's name.
	FlagRegistry = "conflict"
	// FlagEvaluator marks an entry that matches an evaluator's declaration; the detail is
	// "<evaluator name>: <what was declared>".
	FlagEvaluator = "evaluator-conflict"
)

// Limits of the forms.
const (
	MaxName    = 200
	MaxNote    = 1000
	MaxAliases = 20
	MaxDomains = 20
)

// Organisation is an organisation represented among the organisers or evaluators of an edition.
type Organisation struct {
	ID        int64
	EditionID int64
	Name      string
	Aliases   []string
	Domains   []string
	Country   string // ISO 3166-1 alpha-2, or ""
	Note      string
	AddedBy   string // the name of who added it
	AddedAt   time.Time
	UpdatedBy string // "" when never changed
	UpdatedAt *time.Time
	// Flagged counts the submitted entries of the edition that match it.
	Flagged int
}

// Kind is what an evaluator declares.
type Kind string

// The kinds of declaration.
const (
	KindOrganisation Kind = "organisation"
	KindCity         Kind = "city"
	KindPerson       Kind = "person"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == KindOrganisation || k == KindCity || k == KindPerson }

// Declaration is one affiliation or conflict an evaluator declared for an edition they serve.
type Declaration struct {
	ID          int64
	EditionID   int64
	EvaluatorID int64
	Kind        Kind
	Name        string
	Aliases     []string // organisations
	Domains     []string // organisations
	Country     string   // cities (required)
	Email       string   // persons (optional)
	Note        string
	CreatedAt   time.Time
}

// Label is the kind as people read it: "Organisation", "City" or "Person".
func (k Kind) Label() string {
	switch k {
	case KindOrganisation:
		return i18n.M("Organisation")
	case KindCity:
		return i18n.M("City")
	}
	return i18n.M("Person")
}

// Details are what the declaration holds besides its name: an organisation's other names and
// email domains, a city's country, a person's email address.
func (d Declaration) Details() string {
	switch d.Kind {
	case KindOrganisation:
		var parts []string
		if len(d.Aliases) > 0 {
			parts = append(parts, "Also: "+strings.Join(d.Aliases, "; "))
		}
		if len(d.Domains) > 0 {
			parts = append(parts, "Email domains: "+strings.Join(d.Domains, ", "))
		}
		return strings.Join(parts, ". ")
	case KindCity:
		return country.Name(d.Country)
	}
	return d.Email
}

// Describe is the declaration in a few words, e.g. `organisation "Seoul Digital Foundation"`.
func (d Declaration) Describe() string { return describe(string(d.Kind), d.Name, d.Country) }

func describe(kind, name, countryCode string) string {
	switch kind {
	case string(KindCity):
		return i18n.Msg("city {{.Name}} ({{.Country}})", "Name", name, "Country", i18n.Country(countryCode))
	case string(KindPerson):
		return i18n.Msg("person {{.Name}}", "Name", name)
	}
	return i18n.Msg("organisation {{.Name}}", "Name", name)
}

func countryLabel(code string) string {
	if n := country.Name(code); n != "" {
		return n
	}
	return code
}

// Input is a registry organisation or an evaluator's declaration as typed in a form: aliases one
// per line (or separated by semicolons), domains separated by commas, spaces or lines. Kind is
// empty for the registry.
type Input struct {
	Kind    Kind
	Name    string
	Aliases string
	Domains string
	Country string
	Email   string
	Note    string
}

// orgWords is what Norm removes; it mirrors org_norm() of migration 00015.
var orgWords = regexp.MustCompile(`[^\p{L}\p{N}]+`)

// Norm is the comparison key of organisation and person names, as org_norm() in SQL: lower
// case, a leading "the " dropped, everything but letters and digits removed.
func Norm(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "the ")
	return orgWords.ReplaceAllString(s, "")
}

var domainRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)

// NormDomain returns the email domain in s in lower case, without a leading "@", scheme, "www."
// or path ("https://www.WeGO-net.org/about" gives "wego-net.org"), and whether it is a domain
// name of at least two labels.
func NormDomain(s string) (string, bool) {
	d := strings.ToLower(strings.TrimSpace(s))
	d = strings.TrimPrefix(d, "http://")
	d = strings.TrimPrefix(d, "https://")
	if i := strings.LastIndex(d, "@"); i >= 0 {
		d = d[i+1:]
	}
	if i := strings.IndexAny(d, "/?#"); i >= 0 {
		d = d[:i]
	}
	d = strings.TrimPrefix(strings.TrimSuffix(d, "."), "www.")
	return d, len(d) <= 253 && domainRE.MatchString(d)
}

func splitList(s string, seps string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parsed is an Input checked and normalised.
type parsed struct {
	name, countryCode, email, note string
	aliases, domains               []string
}

// parse checks in and returns its values, or the problems keyed by the field names name, aliases,
// domains, country, email and note.
func parse(in Input, registry bool) (parsed, field.Errors) {
	var (
		p    parsed
		errs field.Errors
	)
	p.name = strings.Join(strings.Fields(in.Name), " ")
	p.note = strings.TrimSpace(in.Note)
	p.countryCode = strings.ToUpper(strings.TrimSpace(in.Country))
	missing := map[Kind]string{
		KindOrganisation: i18n.M("Enter the name of the organisation."),
		KindCity:         i18n.M("Enter the name of the city."),
		KindPerson:       i18n.M("Enter the name of the person."),
	}[in.Kind]
	if missing == "" {
		missing = i18n.M("Enter the name.") // a kind the form does not offer: the plain wording
	}
	if registry {
		missing = i18n.M("Enter the name of the organisation.")
	}
	switch {
	case p.name == "" || Norm(p.name) == "":
		errs.Add("name", missing)
	case field.NameProblem(p.name) != "":
		errs.Add("name", field.NameProblem(p.name))
	case len([]rune(p.name)) > MaxName:
		errs.Add("name", "Use at most 200 characters for the name.")
	}
	if registry || in.Kind == KindOrganisation {
		seen := map[string]bool{Norm(p.name): true}
		for _, a := range splitList(in.Aliases, "\n;") {
			a = strings.Join(strings.Fields(a), " ")
			k := Norm(a)
			if k == "" || seen[k] {
				continue
			}
			if len([]rune(a)) > MaxName {
				errs.Add("aliases", "Use at most 200 characters for each alias.")
				break
			}
			seen[k] = true
			p.aliases = append(p.aliases, a)
		}
		if len(p.aliases) > MaxAliases {
			errs.Add("aliases", "Enter at most 20 aliases.")
		}
		for _, d := range splitList(in.Domains, "\n,; \t") {
			nd, ok := NormDomain(d)
			if !ok {
				errs.Add("domains", i18n.Msg("Enter email domains such as wego-net.org, separated by commas: “{{.Domain}}” is not a domain.", "Domain", d))
				break
			}
			if !slices.Contains(p.domains, nd) {
				p.domains = append(p.domains, nd)
			}
		}
		if len(p.domains) > MaxDomains {
			errs.Add("domains", "Enter at most 20 email domains.")
		}
	}
	if registry || in.Kind == KindCity {
		switch {
		case p.countryCode == "" && in.Kind == KindCity:
			errs.Add("country", "Choose the country of the city.")
		case p.countryCode != "" && !country.Valid(p.countryCode):
			errs.Add("country", "Choose a country from the list.")
		}
	} else {
		p.countryCode = ""
	}
	if in.Kind == KindPerson {
		if e := strings.ToLower(strings.TrimSpace(in.Email)); e != "" {
			a, err := mail.ParseAddress(e)
			if err != nil || a.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") {
				errs.Add("email", "Enter an email address such as name@example.org, or leave it empty.")
			}
			p.email = e
		}
	}
	if len([]rune(p.note)) > MaxNote {
		errs.Add("note", "Use at most 1000 characters for the note.")
	}
	return p, errs
}

// Field labels of the entry fields a match can come from (conflict_entry_keys.field).
var fieldLabels = map[string]string{
	"applicant_organisation": i18n.M("the applicant's organisation"),
	"nominator_organisation": i18n.M("the nominator's organisation"),
	"lead_organisation":      i18n.M("the project's lead organisation"),
	"candidate_organisation": i18n.M("the candidate's organisation"),
	"applicant_email_domain": i18n.M("the applicant's email domain"),
	"nominator_email_domain": i18n.M("the nominator's email domain"),
	"candidate_email_domain": i18n.M("the candidate's email domain"),
	"applicant_city":         i18n.M("the applicant's city"),
	"nominator_city":         i18n.M("the nominator's city"),
	"candidate_city":         i18n.M("the candidate's city"),
	"candidate_country":      i18n.M("the candidate's country"),
	"applicant_name":         i18n.M("the applicant's name"),
	"nominator_name":         i18n.M("the nominator's name"),
	"applicant_email":        i18n.M("the applicant's email address"),
	"nominator_email":        i18n.M("the nominator's email address"),
	"candidate_name":         i18n.M("the candidate's name"),
	"candidate_email":        i18n.M("the candidate's email address"),
}

// FieldLabel is the entry field a match came from, as people read it ("the applicant's email
// domain").
func FieldLabel(f string) string {
	if l, ok := fieldLabels[f]; ok {
		return l
	}
	return strings.ReplaceAll(f, "_", " ")
}

// Match is one match of an entry with a registered organisation (Source "registry") or with an
// evaluator's declaration (Source "declaration").
type Match struct {
	Source        string
	SourceID      int64  // the organisation's or the declaration's id
	EvaluatorID   int64  // 0 for the registry
	EvaluatorName string // "" for the registry
	SubjectKind   string // "organisation", "city" or "person"
	Subject       string // the registered or declared name
	SubjectNote   string // the declaration's country (cities)
	Field         string // the entry's field that matched (see FieldLabel)
	Matched       string // the entry's value as entered
}

// Registry reports whether m is a match with the registry.
func (m Match) Registry() bool { return m.Source == "registry" }

// Described is what m matched in a few words: the registered organisation's name, or the
// declaration as Declaration.Describe puts it, e.g. "city Seoul (Korea (South))".
func (m Match) Described() string {
	if m.Registry() {
		return m.Subject
	}
	return describe(m.SubjectKind, m.Subject, m.SubjectNote)
}

// Reason explains m, e.g. `declared organisation Seoul Digital Foundation matches the
// applicant's email domain (kim@sdf.seoul.kr)`.
func (m Match) Reason() string {
	if m.Registry() {
		return i18n.Msg("registered organisation {{.Subject}} matches {{.Field}} ({{.Matched}})", "Subject", m.Subject, "Field", FieldLabel(m.Field), "Matched", m.Matched)
	}
	return i18n.Msg("declared {{.Subject}} matches {{.Field}} ({{.Matched}})", "Subject", describe(m.SubjectKind, m.Subject, m.SubjectNote), "Field", FieldLabel(m.Field), "Matched", m.Matched)
}

// Join joins reasons (carried texts) as one text: "a; b", each in the reader's language.
func Join(reasons []string) string {
	if len(reasons) == 0 {
		return ""
	}
	out := reasons[0]
	for _, r := range reasons[1:] {
		out = i18n.Msg("{{.Reasons}}; {{.Next}}", "Reasons", out, "Next", r)
	}
	return out
}
