package server

import (
	"net/http"

	"prizeportal/internal/application"
	"prizeportal/internal/i18n"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// secretariatDuplicates lists applications in different categories of one edition that look
// like the same project (GET /secretariat/duplicates, ?edition=ID, default the newest edition
// the actor serves; DOMAIN.md "Registration": the same project may not be entered in both project
// categories). authz.CanManageApplications checks the edition and application.FindDuplicates
// repeats it in SQL.
func (s *Server) secretariatDuplicates(w http.ResponseWriter, r *http.Request) error {
	ed, picker, found, err := scopedQuery(s, r, application.FindDuplicates)
	if err != nil {
		return err
	}
	v := pages.DuplicatesView{Page: s.page(r, i18n.Msg("Likely duplicates, {{.Edition}}", "Edition", ed.Name)), Edition: picker, Choose: len(picker.Options) > 1,
		Name: ed.Name, Threshold: views.SimilarityText(application.DuplicateThreshold), Capped: found.Capped,
		CapNote: i18n.Msg("Only the {{.Count}} most alike pairs are listed. Resolve these first; the rest appear as they are dealt with.",
			"Count", application.DuplicateLimit)}
	for _, d := range found.Pairs {
		v.Pairs = append(v.Pairs, pages.DuplicatePair{A: views.DuplicateSide(d.A), B: views.DuplicateSide(d.B),
			Title: views.SimilarityText(d.Title), Summary: views.SimilarityText(d.Summary), Organisation: views.SimilarityText(d.Organisation)})
	}
	return s.render(w, r, http.StatusOK, pages.Duplicates(v))
}
