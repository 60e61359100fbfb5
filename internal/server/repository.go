package server

import (
	"net/http"
	"strconv"
	"strings"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/repository"
	"prizeportal/internal/results"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

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
	v := views.RepositoryView(f, p.Options, p.Results, qv)
	v.Page = s.page(r, "Best-practice repository")
	v.Page.Nav = views.RepositoryNav()
	return s.render(w, r, http.StatusOK, pages.Repository(v))
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
	v := pages.RepositoryCaseView{Page: s.page(r, c.Title), Title: c.Title, Outcome: views.OutcomeLabel(c.Outcome), Winner: c.Outcome.Winner(),
		Facts: views.CaseFacts(c), Sections: views.CaseSections(f, c), Back: "/repository", Fairness: views.RepositoryFairness}
	v.Page.Nav = views.RepositoryNav()
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
	v := views.ArchiveView(a, strings.TrimSpace(r.URL.Query().Get("category")))
	v.Page = s.page(r, "Results archive")
	v.Page.Nav = views.RepositoryNav()
	return s.render(w, r, http.StatusOK, pages.ResultsArchive(v))
}

// --- the secretariat

// repositoryHidden lists the hidden cases of an edition the actor serves as secretariat
// (GET /secretariat/repository?edition=ID).
func (s *Server) repositoryHidden(w http.ResponseWriter, r *http.Request) error {
	ed, picker, list, err := scopedQuery(s, r, repository.HiddenList)
	if err != nil {
		return err
	}
	v := pages.RepositoryHiddenView{Page: s.page(r, "Hidden cases"), Edition: picker}
	for _, h := range list {
		v.Rows = append(v.Rows, pages.RepositoryHiddenRow{Title: h.Title, Href: views.ManageHref(h.ApplicationID), Category: h.Category,
			Reason: h.Reason, Hidden: i18n.Msg("{{.When}} by {{.Name}}", "When", i18n.Instant(h.At, ed.TimeZone), "Name", h.By)})
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
	v := pages.RepositoryManageView{Page: s.page(r, i18n.Msg("Case in the repository: {{.Title}}", "Title", c.Title)), Title: c.Title, CaseHref: views.CaseHref(c.ApplicationID, c.Title),
		Facts: views.CaseFacts(c), Errors: errs, HideAction: base + "/hide", Unhide: base + "/unhide",
		ListHref: "/secretariat/repository?edition=" + strconv.FormatInt(c.EditionID, 10),
		Reason: components.Field{Name: "reason", Label: i18n.M("Why hide this case?"), Type: "textarea", Value: reason, Required: true,
			MaxLength: repository.MaxHideReason, Hint: i18n.M("The reason is kept in the audit log and shown to the secretariat. The case leaves the public repository at once."),
			Error: errs.Get("reason")}}
	if !results.Announced(ed, s.now()) {
		v.Facts = append(v.Facts, pages.Fact{Label: i18n.M("Published"), Value: i18n.Msg("From {{.When}}, when the winners are announced", "When", views.ResultsAnnouncementText(ed))})
	}
	if c.Hidden != nil {
		v.Hidden = true
		v.HiddenNote = i18n.Msg("Hidden from the public repository on {{.When}} by {{.Name}}. Reason: {{.Reason}}",
			"When", i18n.Instant(c.Hidden.At, ed.TimeZone), "Name", c.Hidden.By, "Reason", c.Hidden.Reason)
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
	f, c, ed, err := formThenLoad[reasonForm](w, r, s.staffCase)
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
	_, c, _, err := formThenLoad[struct{}](w, r, s.staffCase)
	if err != nil {
		return err
	}
	if err := s.repo.Unhide(ctx, authz.ActorFrom(ctx), c.ApplicationID); err != nil {
		return err
	}
	s.flash(ctx, "The case is back in the public repository.")
	return redirect(w, r, views.ManageHref(c.ApplicationID))
}
