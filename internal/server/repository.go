package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/edition"
	"prizeportal/internal/repository"
	"prizeportal/internal/results"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// The best-practice repository and the results archive (DOMAIN.md "Data and
// publication"): public pages
// that read internal/repository (published answers only, from the edition's winners
// announcement on, hidden cases left out) and internal/results; and the secretariat's pages
// that hide a case with a reason or show it again, audited.

// repositoryFairness tells visitors from when a case is published (see internal/repository).
const repositoryFairness = "Cases are published once the winners of their edition are announced, so that no entry is exposed while it is being judged."

// repositoryNav is the public navigation of the repository and the archive.
func repositoryNav() []components.Link {
	return []components.Link{{Label: "Best-practice repository", Href: "/repository"}, {Label: "Results archive", Href: "/results"}}
}

// outcomeLabel says in words how far a case went: the winners and finalists are marked in
// text, not by colour alone.
func outcomeLabel(o repository.Outcome) string {
	switch {
	case o.Winner():
		return "Winner: " + edition.PlaceLabel(o.Place) + ", " + o.Prize
	case o.Finalist:
		return "Finalist"
	}
	return ""
}

// choiceOptions makes the views.Options of a filter select, "Any" first.
func choiceOptions(anyLabel string, choices []repository.Choice, selected string) []components.Option {
	opts := []components.Option{{Value: "", Label: anyLabel, Selected: selected == ""}}
	for _, c := range choices {
		opts = append(opts, components.Option{Value: c.Value, Label: c.Label, Selected: c.Value == selected})
	}
	return opts
}

// repositoryPage is the public repository (GET /repository): full-text search ranked by
// relevance with highlighted snippets, filters, and pages of PerPage cases. It works without
// JavaScript: the form is a GET form and every page is a link.
func (s *Server) repositoryPage(w http.ResponseWriter, r *http.Request) error {
	qv := r.URL.Query()
	f := repository.ParseFilter(qv)
	p, err := repository.LoadSearchPage(r.Context(), s.pool, f, s.now())
	if err != nil {
		return err
	}
	v := repositoryView(f, p.Options, p.Results, qv)
	v.Page = s.page(r, "Best-practice repository")
	v.Page.Nav = repositoryNav()
	return s.render(w, r, http.StatusOK, pages.Repository(v))
}

// repositoryView builds the repository page of search f from its views.Options and results (no I/O).
func repositoryView(f repository.Filter, opts repository.Options, res repository.Results, qv url.Values) pages.RepositoryView {
	v := pages.RepositoryView{Fairness: repositoryFairness, ArchiveHref: "/results",
		Query: components.Field{Name: "q", Label: "Words to search for", Type: "search", Value: f.Query,
			Hint: `For example: buses "open data" -parking`},
		Filters: []components.Field{
			{Name: "edition", Label: "Edition", Type: "select", Options: choiceOptions("Every edition", opts.Editions, f.Edition)},
			{Name: "category", Label: "Category", Type: "select", Options: choiceOptions("Every category", opts.Categories, f.Category)},
			{Name: "sector", Label: "Sector", Type: "select", Options: choiceOptions("Every sector", opts.Sectors, f.Sector)},
			{Name: "target_group", Label: "Target group", Type: "select", Options: choiceOptions("Every target group", opts.TargetGroups, f.TargetGroup)},
			{Name: "country", Label: "Country", Type: "select", Options: choiceOptions("Every country", opts.Countries, strings.ToUpper(f.Country))},
			{Name: "stage", Label: "Stage", Type: "select", Options: choiceOptions("Every stage", opts.Stages, f.Stage)},
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
		hit := pages.RepositoryHit{Href: views.CaseHref(h.ApplicationID, h.Title), Title: h.Title, Outcome: outcomeLabel(h.Outcome),
			Winner: h.Outcome.Winner(), Meta: strings.Join(meta, " · ")}
		for _, p := range h.Snippet {
			hit.Snippet = append(hit.Snippet, pages.SnippetPart{Text: p.Text, Mark: p.Mark})
		}
		v.Hits = append(v.Hits, hit)
	}
	v.Pager = views.PagerFor("/repository", qv, res.Page, res.Pages, res.Total, repository.PerPage, "cases")
	return v
}

// caseSections lists the published answers of c by the sections of its form: only questions
// still published and not files (repository.Build already left out everything else).
func caseSections(f *form.Form, c repository.Case) []pages.RepositorySection {
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

// caseFacts are the facts of a case shown above its answers.
func caseFacts(c repository.Case) []pages.Fact {
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

// repositoryCase is the public page of a case (GET /repository/{id} and /repository/{id}/{slug}:
// the slug is ignored, so an address stays valid when the title changes). A hidden case, one
// not published, or one of an edition whose winners are not announced yet is 404.
func (s *Server) repositoryCase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := routeID(r)
	if err != nil {
		return err
	}
	c, f, err := repository.LoadCase(ctx, s.pool, id, s.now())
	if err != nil {
		return err
	}
	v := pages.RepositoryCaseView{Page: s.page(r, c.Title), Title: c.Title, Outcome: outcomeLabel(c.Outcome), Winner: c.Outcome.Winner(),
		Facts: caseFacts(c), Sections: caseSections(f, c), Back: "/repository", Fairness: repositoryFairness}
	v.Page.Nav = repositoryNav()
	if authz.CanManageApplications(authz.ActorFrom(ctx), c.EditionID) {
		v.Manage = views.ManageHref(c.ApplicationID)
	}
	return s.render(w, r, http.StatusOK, pages.RepositoryCase(v))
}

// resultsArchive is the public results archive (GET /results, ?category=KEY): the current
// winners of every edition whose winners are announced, newest edition first, by category,
// each linked to its case in the repository when it is published there.
func (s *Server) resultsArchive(w http.ResponseWriter, r *http.Request) error {
	a, err := repository.LoadArchive(r.Context(), s.pool, s.now())
	if err != nil {
		return err
	}
	v := archiveView(a, strings.TrimSpace(r.URL.Query().Get("category")))
	v.Page = s.page(r, "Results archive")
	v.Page.Nav = repositoryNav()
	return s.render(w, r, http.StatusOK, pages.ResultsArchive(v))
}

// archiveView builds the results archive from a, showing the category keyed catKey only when
// it is not empty (no I/O).
func archiveView(a repository.Archive, catKey string) pages.ArchiveView {
	v := pages.ArchiveView{RepositoryHref: "/repository"}
	v.Category = components.Field{Name: "category", Label: "Category", Type: "select", Options: choiceOptions("Every category", a.Categories(), catKey)}
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
					Organisation: wn.Organisation, Location: entryPlace(wn.City, wn.Country)}
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

// --- the secretariat

// repositoryHidden lists the hidden cases of an edition the actor serves as secretariat
// (GET /secretariat/repository?edition=ID).
func (s *Server) repositoryHidden(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	list, err := repository.HiddenList(ctx, s.pool, authz.ActorFrom(ctx).UserID, ed.ID)
	if err != nil {
		return err
	}
	v := pages.RepositoryHiddenView{Page: s.page(r, "Hidden cases"), Edition: picker}
	for _, h := range list {
		v.Rows = append(v.Rows, pages.RepositoryHiddenRow{Title: h.Title, Href: views.ManageHref(h.ApplicationID), Category: h.Category,
			Reason: h.Reason, Hidden: timefmt.Instant(h.At, ed.TimeZone) + " by " + h.By})
	}
	return s.render(w, r, http.StatusOK, pages.RepositoryHidden(v))
}

// staffCase loads the case of the {id} route for the secretariat of its edition (checked in
// SQL by repository.ForSecretariat: 404 otherwise) with its edition.
func (s *Server) staffCase(r *http.Request) (repository.Case, *edition.Edition, error) {
	id, err := routeID(r)
	if err != nil {
		return repository.Case{}, nil, err
	}
	return repository.LoadForSecretariat(r.Context(), s.pool, authz.ActorFrom(r.Context()).UserID, id)
}

func (s *Server) renderManage(w http.ResponseWriter, r *http.Request, status int, c repository.Case, ed *edition.Edition, reason string, errs field.Errors) error {
	base := views.ManageHref(c.ApplicationID)
	v := pages.RepositoryManageView{Page: s.page(r, "Case in the repository: "+c.Title), Title: c.Title, CaseHref: views.CaseHref(c.ApplicationID, c.Title),
		Facts: caseFacts(c), Errors: errs, HideAction: base + "/hide", Unhide: base + "/unhide",
		ListHref: "/secretariat/repository?edition=" + strconv.FormatInt(c.EditionID, 10),
		Reason: components.Field{Name: "reason", Label: "Why hide this case?", Type: "textarea", Value: reason, Required: true,
			MaxLength: repository.MaxHideReason, Hint: "The reason is kept in the audit log and shown to the secretariat. The case leaves the public repository at once.",
			Error: errs.Get("reason")}}
	if !results.Announced(ed, s.now()) {
		v.Facts = append(v.Facts, pages.Fact{Label: "Published", Value: "From " + resultsAnnouncementText(ed) + ", when the winners are announced"})
	}
	if c.Hidden != nil {
		v.Hidden = true
		v.HiddenNote = "Hidden from the public repository on " + timefmt.Instant(c.Hidden.At, ed.TimeZone) + " by " + c.Hidden.By + ". Reason: " + c.Hidden.Reason
	}
	return s.render(w, r, status, pages.RepositoryManage(v))
}

// repositoryManage is the secretariat's page of a case (GET /secretariat/repository/{id}):
// its state and the form to hide it, or to show it again.
func (s *Server) repositoryManage(w http.ResponseWriter, r *http.Request) error {
	c, ed, err := s.staffCase(r)
	if err != nil {
		return err
	}
	return s.renderManage(w, r, http.StatusOK, c, ed, "", nil)
}

// repositoryHide hides a case with a reason (POST /secretariat/repository/{id}/hide), audited
// (repository.Service.Hide). Without a reason the page answers 422 with the error next to the
// field.
func (s *Server) repositoryHide(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f struct {
		Reason string `form:"reason"`
	}
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	c, ed, err := s.staffCase(r)
	if err != nil {
		return err
	}
	err = s.repo.Hide(ctx, authz.ActorFrom(ctx), c.ApplicationID, f.Reason)
	if fe, ok := fault.As(err); ok && fe.Kind == fault.Invalid { // no reason, or too long
		return s.renderManage(w, r, http.StatusUnprocessableEntity, c, ed, f.Reason, field.Errors{{Field: "reason", Message: fe.Message}})
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "The case is hidden from the public repository.")
	return redirect(w, r, views.ManageHref(c.ApplicationID))
}

// repositoryUnhide puts a hidden case back in the public repository (POST
// /secretariat/repository/{id}/unhide), audited (repository.Service.Unhide).
func (s *Server) repositoryUnhide(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	c, _, err := s.staffCase(r)
	if err != nil {
		return err
	}
	if err := s.repo.Unhide(ctx, authz.ActorFrom(ctx), c.ApplicationID); err != nil {
		return err
	}
	s.flash(ctx, "The case is back in the public repository.")
	return redirect(w, r, views.ManageHref(c.ApplicationID))
}
