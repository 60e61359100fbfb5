package results_test

import (
	"testing"

	"prizeportal/internal/notify/wording/wordingtest"
	"prizeportal/internal/results"
)

// TestEmailValuesTranslated: the results and video emails' values (the entry, the place, the
// ceremony window, the video's deadline, the wait) reach a Korean reader in Korean.
func TestEmailValuesTranslated(t *testing.T) {
	t.Parallel()
	ed, site := wordingtest.Edition(t)
	ed.ContactEmail = "secretariat@example.org"
	cat, _ := ed.Category("tech-innovacity")
	data := []string{"Min-jun Kim", "Ji-woo Park", "Seoul Talk", "Dr Lee", "Grand Prize", "Excellence Prize", ed.Name, cat.Name, ed.ContactEmail}
	for _, rc := range []results.Recipient{
		{UserID: 3, Name: "Min-jun Kim", Kind: "project", Title: "Seoul Talk", AwardID: 4, Place: 1, Prize: "Grand Prize"},
		{UserID: 4, Name: "Ji-woo Park", Kind: "nomination", Title: "Dr Lee", AwardID: 5, Place: 12, Prize: "Excellence Prize"},
		{UserID: 3, Name: "Min-jun Kim", Kind: "project", AwardID: 0},
	} {
		wordingtest.ValuesTranslated(t, results.OutcomeEmail(site, ed, cat, rc), data...)
		for _, stage := range []string{results.StageRequest, results.Stage3Days, results.Stage1Day} {
			wordingtest.ValuesTranslated(t, results.VideoEmail(site, ed, cat, rc, stage), data...)
		}
	}
}
