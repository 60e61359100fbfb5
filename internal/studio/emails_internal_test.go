package studio

import (
	"testing"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestEmailsDefaultWording holds the registry's defaults to the studio's emails as built: the
// moved round windows and the moved application deadline.
func TestEmailsDefaultWording(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	s := New(usecase.New(nil, nil, site, nil))
	for _, w := range roundWindows {
		wordingtest.MatchesDefault(t, s.windowMessage(ed, w, person{ID: 3, Name: "Eva Park", Email: "eva@example.org"}), ed.ID, site.Meta(ed).TextFooter())
	}
	wordingtest.MatchesDefault(t, s.deadlineMovedEmail(ed, person{ID: 4, Name: "Min-jun Kim", Email: "kim@example.org"}), ed.ID, site.Meta(ed).TextFooter())
}
