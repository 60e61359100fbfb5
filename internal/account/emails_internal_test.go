package account

import (
	"testing"

	"prizeportal/internal/edition"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestDefaultWording holds the registry's defaults to the account emails as built, the staff
// invitations among them.
func TestDefaultWording(t *testing.T) {
	site := emails.Site{BaseURL: "https://prize.example"}
	ed := &edition.Edition{ID: 7, Name: "Seoul Smart City Prize 2023"}
	u := User{ID: 3, Name: "Min-jun Kim", Email: "kim@example.org", LoginID: "minjun"}
	footer := site.Meta(ed).TextFooter()
	wordingtest.MatchesDefault(t, verifyEmail(site, ed, u.Name, u.Email, "https://prize.example/verify/t", u.ID), ed.ID, footer)
	wordingtest.MatchesDefault(t, resetEmail(site, ed, u, "https://prize.example/password/reset/t"), ed.ID, footer)
	wordingtest.MatchesDefault(t, registeredAgainEmail(site, ed, u), ed.ID, footer)
	v := emails.InviteEmail{Meta: site.Meta(ed), Name: u.Name, Inviter: "Ahn", Roles: []string{"Evaluator (" + ed.Name + ")", "Council"},
		SignInURL: "https://prize.example/signin"}
	wordingtest.MatchesDefault(t, inviteMessage(site, ed, "roles-added", InviteResult{}, v), ed.ID, footer)
	v.Link, v.Expires = "https://prize.example/invite/t", "20 March 2023, 09:00 UTC"
	wordingtest.MatchesDefault(t, inviteMessage(site, ed, "invite", InviteResult{}, v), ed.ID, footer)
	if m := inviteMessage(site, nil, "invite", InviteResult{}, v); m.Wording != nil {
		t.Error("an invitation to roles of no edition takes an edition's wording")
	}
	if m := verifyEmail(site, nil, u.Name, u.Email, "https://prize.example/verify/t", u.ID); m.Wording != nil {
		t.Error("an email about no edition takes an edition's wording")
	}
}
