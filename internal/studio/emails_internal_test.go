package studio

import (
	"testing"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestDeadlineMovedDefaultWording holds the registry's default to the email about a moved
// deadline as built.
func TestDeadlineMovedDefaultWording(t *testing.T) {
	ed := editiontest.Resolved(t, "seoul-2023")
	ed.ID = 5
	site := emails.Site{BaseURL: "https://prize.example"}
	s := New(usecase.New(nil, nil, site, nil))
	wordingtest.MatchesDefault(t, s.deadlineMovedEmail(ed, 3, "Min-jun Kim", "kim@example.org"), ed.ID, site.Meta(ed).TextFooter())
}
