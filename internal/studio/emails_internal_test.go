package studio

import (
	"testing"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestWindowMovedDefaultWording holds the registry's defaults to the emails of a moved round
// window as built.
func TestWindowMovedDefaultWording(t *testing.T) {
	ed := editiontest.Resolved(t, "seoul-2023")
	ed.ID = 5
	site := emails.Site{BaseURL: "https://prize.example"}
	s := New(usecase.New(nil, nil, site, nil))
	for _, w := range roundWindows {
		wordingtest.MatchesDefault(t, s.windowMessage(ed, w, person{ID: 3, Name: "Eva Park", Email: "eva@example.org"}), ed.ID, site.Meta(ed).TextFooter())
	}
}
