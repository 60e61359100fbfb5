package studio

import (
	"testing"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestEmailValuesTranslated: the moved windows' and the moved deadline's times, with their zone,
// reach a Korean reader in Korean.
func TestEmailValuesTranslated(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	s := New(usecase.New(nil, nil, site, nil))
	for _, w := range roundWindows {
		wordingtest.ValuesTranslated(t, s.windowMessage(ed, w, person{ID: 3, Name: "Eva Park", Email: "eva@example.org"}), "Eva Park", ed.Name)
	}
	wordingtest.ValuesTranslated(t, s.deadlineMovedEmail(ed, person{ID: 4, Name: "Min-jun Kim", Email: "kim@example.org"}), "Min-jun Kim", ed.Name)
}
