package views

import (
	"net/url"
	"strconv"
	"strings"

	"prizeportal/internal/application"
	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/dossier"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/repository"
	"prizeportal/internal/results"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// The best-practice repository and the results archive (DOMAIN.md "Data and
// publication"): public pages
// that read internal/repository (published answers only, from the edition's winners
// announcement on, hidden cases left out) and internal/results; and the secretariat's pages
// that hide a case with a reason or show it again, audited.

// RepositoryFairness tells visitors from when a case is published (see internal/repository).
var RepositoryFairness = i18n.M("Cases are published once the winners of their edition are announced, so that no entry is exposed while it is being judged.")

// RepositoryNav is the public navigation of the repository and the archive.
func RepositoryNav() []components.Link {
	return []components.Link{{Label: i18n.M("Best-practice repository"), Href: "/repository"}, {Label: i18n.M("Results archive"), Href: "/results"}}
}

// OutcomeLabel says in words how far a case went: the winners and finalists are marked in
// text, not by colour alone.
func OutcomeLabel(o repository.Outcome) string {
	switch {
	case o.Winner():
		return i18n.Msg("Winner: {{.Place}}, {{.Prize}}", "Place", edition.PlaceText(o.Place), "Prize", o.Prize)
	case o.Finalist:
		return i18n.M("Finalist")
	}
	return ""
}

// ChoiceOptions makes the Options of a filter select, "Any" first.
func ChoiceOptions(anyLabel string, choices []repository.Choice, selected string) []components.Option {
	opts := []components.Option{{Value: "", Label: anyLabel, Selected: selected == ""}}
	for _, c := range choices {
		opts = append(opts, components.Option{Value: c.Value, Label: c.Label, Selected: c.Value == selected})
	}
	return opts
}

// RepositoryView builds the repository page of search f from its Options and results (no I/O).
func RepositoryView(f repository.Filter, opts repository.Options, res repository.Results, qv url.Values) pages.RepositoryView {
	v := pages.RepositoryView{Fairness: RepositoryFairness, ArchiveHref: "/results",
		Query: components.Field{Name: "q", Label: i18n.M("Words to search for"), Type: "search", Value: f.Query,
			Hint: i18n.M(`For example: buses "open data" -parking`)},
		Filters: []components.Field{
			{Name: "edition", Label: i18n.M("Edition"), Type: "select", Options: ChoiceOptions(i18n.M("Every edition"), opts.Editions, f.Edition)},
			{Name: "category", Label: i18n.M("Category"), Type: "select", Options: ChoiceOptions(i18n.M("Every category"), opts.Categories, f.Category)},
			{Name: "sector", Label: i18n.M("Sector"), Type: "select", Options: ChoiceOptions(i18n.M("Every sector"), opts.Sectors, f.Sector)},
			{Name: "target_group", Label: i18n.M("Target group"), Type: "select", Options: ChoiceOptions(i18n.M("Every target group"), opts.TargetGroups, f.TargetGroup)},
			{Name: "country", Label: i18n.M("Country"), Type: "select", Options: ChoiceOptions(i18n.M("Every country"), opts.Countries, strings.ToUpper(f.Country))},
			{Name: "stage", Label: i18n.M("Stage"), Type: "select", Options: ChoiceOptions(i18n.M("Every stage"), opts.Stages, f.Stage)},
		},
	}
	total := strconv.Itoa(res.Total)
	switch {
	case f.Query != "" && res.Total == 1:
		v.Count = i18n.Msg("{{.Count}} case matches “{{.Query}}”.", "Count", total, "Query", f.Query)
	case f.Query != "":
		v.Count = i18n.Msg("{{.Count}} cases match “{{.Query}}”.", "Count", total, "Query", f.Query)
	case res.Total == 1:
		v.Count = i18n.Msg("{{.Count}} case.", "Count", total)
	default:
		v.Count = i18n.Msg("{{.Count}} cases.", "Count", total)
	}
	for _, h := range res.Hits {
		meta := []string{h.EditionName, h.CategoryName}
		if h.Organisation != "" {
			meta = append(meta, h.Organisation)
		}
		if country.Valid(h.Country) {
			meta = append(meta, i18n.Country(h.Country))
		}
		hit := pages.RepositoryHit{Href: CaseHref(h.ApplicationID, h.Title), Title: h.Title, Outcome: OutcomeLabel(h.Outcome),
			Winner: h.Outcome.Winner(), Meta: meta}
		for _, p := range h.Snippet {
			hit.Snippet = append(hit.Snippet, pages.SnippetPart{Text: p.Text, Mark: p.Mark})
		}
		v.Hits = append(v.Hits, hit)
	}
	v.Pager = PagerFor("/repository", qv, res.Page, res.Pages, res.Total, repository.PerPage, "cases")
	return v
}

// CaseSections lists the published answers of c by the sections of its form: only questions
// still published and not files (repository.Build already left out everything else).
func CaseSections(f *form.Form, c repository.Case) []pages.RepositorySection {
	if f == nil {
		return nil
	}
	var out []pages.RepositorySection
	for _, sec := range f.Sections {
		rs := pages.RepositorySection{Title: sec.Title}
		for i := range sec.Questions {
			q := &sec.Questions[i]
			a, ok := c.Answers[q.Key]
			if !ok || !q.Published || q.Type == form.File || a.Confidential {
				continue
			}
			if lines := application.AnswerLines(q, a); len(lines) > 0 {
				rs.Questions = append(rs.Questions, pages.RepositoryQuestion{Label: q.Label, Lines: lines})
			}
		}
		if len(rs.Questions) > 0 {
			out = append(out, rs)
		}
	}
	return out
}

// CaseFacts are the facts of a case shown above its answers.
func CaseFacts(c repository.Case) []pages.Fact {
	kind := i18n.M("Project")
	if c.Kind == "nomination" {
		kind = i18n.M("Leadership nomination")
	}
	facts := []pages.Fact{{Label: i18n.M("Edition"), Value: c.EditionName}, {Label: i18n.M("Category"), Value: c.CategoryName}, {Label: i18n.M("Entry"), Value: kind}}
	if c.Organisation != "" {
		facts = append(facts, pages.Fact{Label: i18n.M("Organisation"), Value: c.Organisation})
	}
	if country.Valid(c.Country) {
		facts = append(facts, pages.Fact{Label: i18n.M("Country"), Value: i18n.Country(c.Country)})
	}
	return facts
}

// ArchiveView builds the results archive from a, showing the category keyed catKey only when
// it is not empty (no I/O).
func ArchiveView(a repository.Archive, catKey string) pages.ArchiveView {
	v := pages.ArchiveView{RepositoryHref: "/repository"}
	v.Category = components.Field{Name: "category", Label: i18n.M("Category"), Type: "select", Options: ChoiceOptions(i18n.M("Every category"), a.Categories(), catKey)}
	for _, x := range a.Editions {
		ed := x.Edition
		ae := pages.ArchiveEdition{ID: "archive-" + ed.Slug, Name: ed.Name, ResultsHref: results.Path(ed),
			Announced: i18n.Instant(ed.Schedule.WinnersAnnounced, ed.TimeZone)}
		for _, c := range ed.Categories {
			if catKey != "" && c.Key != catKey {
				continue
			}
			ac := pages.ArchiveCategory{Name: c.Name}
			for _, wn := range x.Winners {
				if wn.CategoryID != c.ID {
					continue
				}
				aw := pages.ArchiveWinner{Place: edition.PlaceText(wn.Place), Prize: wn.Prize, Title: wn.Title,
					Organisation: wn.Organisation, Location: dossier.PlaceText(wn.City, wn.Country)}
				if slug, ok := a.Published[wn.ApplicationID]; ok {
					aw.Href = repository.Path(wn.ApplicationID, slug)
				}
				ac.Winners = append(ac.Winners, aw)
			}
			ae.Categories = append(ae.Categories, ac)
		}
		if len(ae.Categories) > 0 {
			v.Editions = append(v.Editions, ae)
		}
	}
	return v
}
