package views

import (
	"cmp"
	"math"
	"strconv"

	"prizeportal/internal/application"
	"prizeportal/internal/i18n"
	"prizeportal/web/pages"
)

// DuplicateSide is one side of a pair of likely duplicate applications.
func DuplicateSide(d application.DuplicateSide) pages.DuplicateSide {
	return pages.DuplicateSide{
		Title: cmp.Or(d.Title, i18n.M("(no title yet)")), Applicant: d.Applicant, Email: d.Email, Organisation: d.Organisation,
		Category: d.Category, Status: d.Status.Label(), Href: ExtensionHref(d.ID),
	}
}

// SimilarityText shows a similarity from 0 to 1 as a whole percentage; 0 (a field left empty, or
// nothing in common) as a dash.
func SimilarityText(f float64) string {
	if f <= 0 {
		return "–"
	}
	return strconv.Itoa(int(math.Round(f*100))) + "%"
}
