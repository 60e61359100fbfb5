package views

import (
	"fmt"
	"net/url"
	"strings"

	"prizeportal/internal/application"
	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/dossier"
	"prizeportal/internal/edition"
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
const RepositoryFairness = "Cases are published once the winners of their edition are announced, so that no entry is exposed while it is being judged."

// RepositoryNav is the public navigation of the repository and the archive.
func RepositoryNav() []components.Link {
	return []components.Link{{Label: "Best-practice repository", Href: "/repository"}, {Label: "Results archive", Href: "/results"}}
}

// OutcomeLabel says in words how far a case went: the winners and finalists are marked in
// text, not by colour alone.
func OutcomeLabel(o repository.Outcome) string {
	switch {
	case o.Winner():
		return "Winner: " + edition.PlaceLabel(o.Place) + ", " + o.Prize
	case o.Finalist:
		return "Finalist"
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
		Query: components.Field{Name: "q", Label: "Words to search for", Type: "search", Value: f.Query,
			Hint: `For example: buses "open data" -parking`},
		Filters: []components.Field{
			{Name: "edition", Label: "Edition", Type: "select", Options: ChoiceOptions("Every edition", opts.Editions, f.Edition)},
			{Name: "category", Label: "Category", Type: "select", Options: ChoiceOptions("Every category", opts.Categories, f.Category)},
			{Name: "sector", Label: "Sector", Type: "select", Options: ChoiceOptions("Every sector", opts.Sectors, f.Sector)},
			{Name: "target_group", Label: "Target group", Type: "select", Options: ChoiceOptions("Every target group", opts.TargetGroups, f.TargetGroup)},
			{Name: "country", Label: "Country", Type: "select", Options: ChoiceOptions("Every country", opts.Countries, strings.ToUpper(f.Country))},
			{Name: "stage", Label: "Stage", Type: "select", Options: ChoiceOptions("Every stage", opts.Stages, f.Stage)},
		},
	}
	noun, verb := "cases", "match"
	if res.Total == 1 {
		noun, verb = "case", "matches"
	}
	switch {
	case f.Query != "":
		v.Count = fmt.Sprintf("%d %s %s “%s”.", res.Total, noun, verb, f.Query)
	default:
		v.Count = fmt.Sprintf("%d %s.", res.Total, noun)
	}
	for _, h := range res.Hits {
		meta := []string{h.EditionName, h.CategoryName}
		if h.Organisation != "" {
			meta = append(meta, h.Organisation)
		}
		if name := country.Name(h.Country); name != "" {
			meta = append(meta, name)
		}
		hit := pages.RepositoryHit{Href: CaseHref(h.ApplicationID, h.Title), Title: h.Title, Outcome: OutcomeLabel(h.Outcome),
			Winner: h.Outcome.Winner(), Meta: strings.Join(meta, " · ")}
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
	kind := "Project"
	if c.Kind == "nomination" {
		kind = "Leadership nomination"
	}
	facts := []pages.Fact{{Label: "Edition", Value: c.EditionName}, {Label: "Category", Value: c.CategoryName}, {Label: "Entry", Value: kind}}
	if c.Organisation != "" {
		facts = append(facts, pages.Fact{Label: "Organisation", Value: c.Organisation})
	}
	if name := country.Name(c.Country); name != "" {
		facts = append(facts, pages.Fact{Label: "Country", Value: name})
	}
	return facts
}

// ArchiveView builds the results archive from a, showing the category keyed catKey only when
// it is not empty (no I/O).
func ArchiveView(a repository.Archive, catKey string) pages.ArchiveView {
	v := pages.ArchiveView{RepositoryHref: "/repository"}
	v.Category = components.Field{Name: "category", Label: "Category", Type: "select", Options: ChoiceOptions("Every category", a.Categories(), catKey)}
	for _, x := range a.Editions {
		ed := x.Edition
		ae := pages.ArchiveEdition{ID: "archive-" + ed.Slug, Name: ed.Name, ResultsHref: results.Path(ed),
			Announced: timefmt.Instant(ed.Schedule.WinnersAnnounced, ed.TimeZone)}
		for _, c := range ed.Categories {
			if catKey != "" && c.Key != catKey {
				continue
			}
			ac := pages.ArchiveCategory{Name: c.Name}
			for _, wn := range x.Winners {
				if wn.CategoryID != c.ID {
					continue
				}
				aw := pages.ArchiveWinner{Place: edition.PlaceLabel(wn.Place), Prize: wn.Prize, Title: wn.Title,
					Organisation: wn.Organisation, Location: dossier.Place(wn.City, wn.Country)}
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
