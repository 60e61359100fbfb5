package ranking

import (
	"testing"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestOutcomeValuesTranslated: the semi-finalist emails' values (the entry, the voting window,
// the announcement) reach a Korean reader in Korean, for an application and a nomination.
func TestOutcomeValuesTranslated(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	ed.ContactEmail = "secretariat@example.org"
	cat, _ := ed.Category("tech-innovacity")
	s := &Service{Deps: usecase.New(nil, nil, site, nil)}
	data := []string{"Min-jun Kim", "Seoul Talk", "Dr Lee", ed.Name, cat.Name, ed.ContactEmail}
	for _, rc := range []Recipient{
		{UserID: 3, Name: "Min-jun Kim", Kind: "project", Title: "Seoul Talk", SemiFinalist: true},
		{UserID: 3, Name: "Min-jun Kim", Kind: "project", SemiFinalist: false},
		{UserID: 3, Name: "Min-jun Kim", Kind: "nomination", Title: "Nomination of Dr Lee", SemiFinalist: true},
	} {
		wordingtest.ValuesTranslated(t, s.outcomeEmail(ed, cat, rc), data...)
	}
}
