package server

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"strconv"

	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// secretariatDuplicates lists applications in different categories of one edition that look
// like the same project (GET /secretariat/duplicates, ?edition=ID, default the newest edition
// the actor serves; DOMAIN.md "Registration": the same project may not be entered in both project
// categories). authz.CanManageApplications checks the edition and application.FindDuplicates
// repeats it in SQL.
func (s *Server) secretariatDuplicates(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	found, err := application.FindDuplicates(ctx, s.pool, authz.ActorFrom(ctx).UserID, ed.ID)
	if err != nil {
		return err
	}
	v := pages.DuplicatesView{Page: s.page(r, "Likely duplicates, "+ed.Name), Edition: picker, Choose: len(picker.Options) > 1,
		Name: ed.Name, Threshold: similarityText(application.DuplicateThreshold), Capped: found.Capped,
		CapNote: fmt.Sprintf("Only the %d most alike pairs are listed. Resolve these first; the rest appear as they are dealt with.",
			application.DuplicateLimit)}
	for _, d := range found.Pairs {
		v.Pairs = append(v.Pairs, pages.DuplicatePair{A: duplicateSide(d.A), B: duplicateSide(d.B),
			Title: similarityText(d.Title), Summary: similarityText(d.Summary), Organisation: similarityText(d.Organisation)})
	}
	return s.render(w, r, http.StatusOK, pages.Duplicates(v))
}

func duplicateSide(d application.DuplicateSide) pages.DuplicateSide {
	return pages.DuplicateSide{
		Title: cmp.Or(d.Title, "(no title yet)"), Applicant: d.Applicant, Email: d.Email, Organisation: d.Organisation,
		Category: d.Category, Status: d.Status.Label(), Href: views.ExtensionHref(d.ID),
	}
}

// similarityText shows a similarity from 0 to 1 as a whole percentage; 0 (a field left empty, or
// nothing in common) as a dash.
func similarityText(f float64) string {
	if f <= 0 {
		return "–"
	}
	return strconv.Itoa(int(math.Round(f*100))) + "%"
}
