package award_test

import (
	"testing"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/award"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestSuccessorValuesTranslated: the successor emails' values (the place, the ceremony window,
// the attendance deadline) reach a Korean reader in Korean.
func TestSuccessorValuesTranslated(t *testing.T) {
	t.Parallel()
	ed, site := wordingtest.Edition(t)
	cat, _ := ed.Category("tech-innovacity")
	u := account.User{ID: 3, Name: "Min-jun Kim", Email: "kim@example.org"}
	now := time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC)
	for _, place := range []int{1, 2, 11} {
		m := award.SuccessorEmail(site, ed, cat, u, "", award.Move{ApplicationID: 9, Title: "Seoul Talk", ToPlace: place, ToPrize: "Grand Prize", NewAward: 4}, now)
		wordingtest.ValuesTranslated(t, m, "Min-jun Kim", "Seoul Talk", "Grand Prize", ed.Name, cat.Name)
	}
}
