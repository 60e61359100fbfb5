package account

import (
	"strings"
	"testing"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestInviteValuesTranslated: a staff invitation's values (the roles with their edition, the
// inviter when it is no person, the link's expiry) reach a Korean reader in Korean.
func TestInviteValuesTranslated(t *testing.T) {
	site := emails.Site{BaseURL: "https://prize.example"}
	ed := &edition.Edition{ID: 7, Name: "Seoul Smart City Prize 2023"}
	v := emails.InviteEmail{Meta: site.Meta(ed), Name: "Min-jun Kim", Inviter: i18n.M("An administrator"),
		Roles: inviteRoles([]authz.Role{authz.RoleEvaluator, authz.RoleAdmin, authz.RoleCouncil}, ed), SignInURL: "https://prize.example/signin"}
	wordingtest.ValuesTranslated(t, inviteMessage(site, ed, "roles-added", InviteResult{}, v), "Min-jun Kim", ed.Name)
	v.Link, v.Expires = "https://prize.example/invite/t", i18n.Deadline(time.Date(2023, 3, 20, 9, 0, 0, 0, time.UTC), time.UTC)
	m := inviteMessage(site, ed, "invite", InviteResult{}, v)
	wordingtest.ValuesTranslated(t, m, "Min-jun Kim", ed.Name)
	// the English text part is as it was
	if want := "An administrator invited you to the Seoul Smart City Prize 2023 portal with these roles:\n- Evaluator (Seoul Smart City Prize 2023)\n" +
		"- Administrator (all editions)\n- Prize Council member (Seoul Smart City Prize 2023)\n\n"; !strings.Contains(m.Text, want) {
		t.Errorf("English text:\n%s", m.Text)
	}
	if want := "The link works once, until 20 March 2023, 09:00 UTC."; !strings.Contains(m.Text, want) {
		t.Errorf("English text:\n%s", m.Text)
	}
}
