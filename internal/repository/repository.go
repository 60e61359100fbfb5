// Package repository is the public best-practice repository (DOMAIN.md "Data and
// publication"): every submitted entry, project or leadership nomination, whose applicant
// gave the consent_publication declaration, showing only the answers to published questions and
// never one the applicant marked confidential, searchable with Postgres full-text search and
// filterable by edition, category, sector, target group, country and stage.
//
// # Design
//
// The cases live in their own table, repository_cases (migrations/00028_repository.sql), rather
// than being read from applications at each request, for two reasons:
//
//   - Confidentiality by construction: Build makes a row from form.Publishable, so a confidential
//     answer, or an answer to a question that is not published (confidential_notes), never even
//     enters the table; the public pages read nothing else. Uploaded files are left out too:
//     they may hold personal data nobody reviewed for publication.
//   - Speed: the search document (title weight A, summary B, every other published text C) is a
//     stored tsvector with a GIN index, so a search over 10,000 cases reads the index, ranks the
//     matches with ts_rank_cd and computes ts_headline snippets for one page only.
//
// The rows are kept current by Refresh, called in the transaction of every submission,
// amendment and withdrawal, and by Rebuild, run per edition by the periodic task
// repository-rebuild (also at start), which catches what is not a submission: an edition file
// re-imported with other published questions or option labels, a nomination's details.
//
// # Fairness
//
// A case is public only from its edition's winners announcement (the schedule's
// WinnersAnnounced, editions.winners_announced) on: publishing entries while the committee and
// the council are still judging them would expose the competitors to each other and to lobbying.
// The filter is in SQL against the server's clock, so it needs no job to flip it.
//
// Winners (awards with status 'confirmed') and finalists (the semi-finalists of a confirmed list)
// are read at each request, so an invalidated award or a succession shows at once.
//
// The edition's publication settings (publication.repository, editions.repository_scope) say
// which of its cases are public at all: every consented entry, only its winners and the
// semi-finalists of a confirmed list, or none. Every public query reads them in SQL (publicCond).
//
// The secretariat of an edition may hide a case with a reason (repository_hidden, kept apart
// from the derived rows so that neither a rebuild nor a new submission undoes it); a hidden
// case is absent from the lists and its page is 404.
package repository

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/form"
)

// The question keys the repository reads in the edition forms (seoul-2023 and seoul-2024): the
// forms are data, but these keys are the conventions both forms follow. A form without one of
// them simply gives an empty value.
const (
	// ConsentKey is the declaration by which the applicant consents to publication.
	ConsentKey = "consent_publication"
	// TitleKey is a project's title; a nomination's title is the candidate's name.
	TitleKey = "project_title"
	// OrganisationKey is a project's lead organisation; a nomination's is the candidate's.
	OrganisationKey = "lead_organisation"
	// CountryKey is a nomination's country, as typed (a project's is its account's country).
	CountryKey = "country"
	// StageKey, SectorsKey and TargetGroupsKey are the facets of the filters.
	StageKey        = "stage"
	SectorsKey      = "sectors"
	TargetGroupsKey = "target_groups"
)

// SummaryKeys are the questions holding the summary: a project's, a nomination's.
var SummaryKeys = []string{"summary", "achievements_summary"}

// Source is what a case is built from: a submitted entry's last submitted version and the facts
// of its account or nomination.
type Source struct {
	ApplicationID int64
	EditionID     int64
	CategoryID    int64
	Kind          string // "project" or "nomination"
	Answers       form.Answers
	SubmittedAt   time.Time
	// Country is the ISO code of the participant's country (entry_participants): a project's
	// account's, a nomination's candidate's.
	Country string
	// CandidateName and CandidateOrganisation are a nomination's candidate.
	CandidateName         string
	CandidateOrganisation string
}

// Row is one case as stored: only publishable content.
type Row struct {
	ApplicationID int64        `json:"application_id"`
	EditionID     int64        `json:"edition_id"`
	CategoryID    int64        `json:"category_id"`
	Kind          string       `json:"kind"`
	Title         string       `json:"title"`
	Summary       string       `json:"summary"`
	Body          string       `json:"body"`
	Organisation  string       `json:"organisation"`
	Country       string       `json:"country"`
	Stage         string       `json:"stage"`
	Sectors       []string     `json:"sectors"`
	TargetGroups  []string     `json:"target_groups"`
	Answers       form.Answers `json:"answers"`
	SubmittedAt   time.Time    `json:"submitted_at"`
}

// Consented reports whether the submitted answers give the publication consent.
func Consented(f *form.Form, a form.Answers) bool {
	return form.Prune(f, a)[ConsentKey].Text == "yes"
}

// Build makes the case of src with form f, or reports false when it does not belong in the
// repository (no consent to publication). Everything in the row comes from form.Publishable,
// except the nomination's candidate (named on the public results too) and the participant's
// country code.
func Build(f *form.Form, src Source) (Row, bool) {
	if f == nil || !Consented(f, src.Answers) {
		return Row{}, false
	}
	pub := form.Publishable(f, src.Answers)
	for _, q := range f.Questions() {
		if q.Type == form.File {
			delete(pub, q.Key)
		}
	}
	r := Row{ApplicationID: src.ApplicationID, EditionID: src.EditionID, CategoryID: src.CategoryID, Kind: src.Kind,
		Answers: pub, SubmittedAt: src.SubmittedAt, Stage: pub[StageKey].Text,
		Sectors: orEmpty(pub[SectorsKey].Choices), TargetGroups: orEmpty(pub[TargetGroupsKey].Choices)}
	if src.Kind == "nomination" {
		r.Title, r.Organisation = src.CandidateName, src.CandidateOrganisation
		r.Country = cmp.Or(strings.ToUpper(src.Country), countryCode(pub[CountryKey].Text))
	} else {
		r.Title, r.Organisation, r.Country = pub[TitleKey].Text, pub[OrganisationKey].Text, strings.ToUpper(src.Country)
	}
	if strings.TrimSpace(r.Title) == "" {
		r.Title = "Untitled case"
	}
	summaryKey := ""
	for _, k := range SummaryKeys {
		if pub[k].Text != "" {
			r.Summary, summaryKey = pub[k].Text, k
			break
		}
	}
	var body []string
	for _, q := range f.Questions() {
		a, ok := pub[q.Key]
		if !ok || q.Key == TitleKey || q.Key == summaryKey {
			continue
		}
		body = append(body, strings.Join(form.AnswerLines(q, a), "\n"))
	}
	r.Body = strings.Join(body, "\n")
	return r, true
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

// countryCode reads a country typed as a name or an ISO code; "" when it is neither.
func countryCode(s string) string {
	s = strings.TrimSpace(s)
	if country.Valid(s) && len(s) == 2 {
		return strings.ToUpper(s)
	}
	for _, c := range country.All() {
		if strings.EqualFold(c.Name, s) {
			return c.Code
		}
	}
	return ""
}

// Outcome is how far a case went in its edition.
type Outcome struct {
	// Place and Prize are set for a current winner (a confirmed award).
	Place int
	Prize string
	// Finalist is true for a semi-finalist of a confirmed list (winners too).
	Finalist bool
}

// Winner reports whether the case is a current winner.
func (o Outcome) Winner() bool { return o.Place > 0 }

// Case is a published case as the public pages show it.
type Case struct {
	ApplicationID int64
	EditionID     int64
	EditionSlug   string
	EditionName   string
	CategoryID    int64
	CategoryKey   string
	CategoryName  string
	Kind          string
	Title         string
	Summary       string
	Organisation  string
	Country       string
	Stage         string
	Sectors       []string
	TargetGroups  []string
	// Answers are the publishable answers (only loaded for a single case).
	Answers form.Answers
	Outcome Outcome
	// Hidden is set when the secretariat hid the case (only loaded for the secretariat).
	Hidden *Hidden
}

// Hidden is the secretariat's decision to keep a case out of the repository.
type Hidden struct {
	Reason string
	By     string // the staff member's name
	At     time.Time
}

// Slug is the readable part of the case's address: its title in lower case, words joined by
// hyphens (ignored when the page is read: the id alone identifies the case).
func Slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return b.String()
}

// Part is a piece of a snippet; Mark is true for the words that match the search.
type Part struct {
	Text string
	Mark bool
}

// splitMarks cuts text marked by ts_headline with the sentinels start and stop into parts, so
// that the page escapes every text and adds the <mark> elements itself: no HTML from the
// database is ever injected. White space runs (line breaks between answers) become one space.
func splitMarks(s, start, stop string) []Part {
	s = strings.Join(strings.Fields(s), " ")
	var out []Part
	add := func(text string, mark bool) {
		if text != "" {
			out = append(out, Part{Text: text, Mark: mark})
		}
	}
	for s != "" {
		i := strings.Index(s, start)
		if i < 0 {
			add(s, false)
			break
		}
		add(s[:i], false)
		s = s[i+len(start):]
		j := strings.Index(s, stop)
		if j < 0 {
			add(s, true)
			break
		}
		add(s[:j], true)
		s = s[j+len(stop):]
	}
	return out
}

// Excerpt is the first words of s, at most n, with an ellipsis when cut.
func Excerpt(s string, n int) string {
	w := strings.Fields(s)
	if len(w) <= n {
		return strings.Join(w, " ")
	}
	return strings.Join(w[:n], " ") + " …"
}
