package account

import (
	"testing"

	"prizeportal/internal/edition"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestDefaultWording holds the registry's defaults to the account emails as built.
func TestDefaultWording(t *testing.T) {
	site := emails.Site{BaseURL: "https://prize.example"}
	ed := &edition.Edition{ID: 7, Name: "Seoul Smart City Prize 2023"}
	u := User{ID: 3, Name: "Min-jun Kim", Email: "kim@example.org", LoginID: "minjun"}
	footer := site.Meta(ed).TextFooter()
	wordingtest.MatchesDefault(t, verifyEmail(site, ed, u.Name, u.Email, "https://prize.example/verify/t", u.ID), ed.ID, footer)
	wordingtest.MatchesDefault(t, resetEmail(site, ed, u, "https://prize.example/password/reset/t"), ed.ID, footer)
	wordingtest.MatchesDefault(t, registeredAgainEmail(site, ed, u), ed.ID, footer)
	if m := verifyEmail(site, nil, u.Name, u.Email, "https://prize.example/verify/t", u.ID); m.Wording != nil {
		t.Error("an email about no edition takes an edition's wording")
	}
}
