package invitation

import (
	"testing"
	"time"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestValuesTranslated: the invitation to enter's values (what it invites to, the next step, the
// action, the secretariat's message, the opening, the new copy, the questions' address, the
// deadline) reach a Korean reader in Korean.
func TestValuesTranslated(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	ed.ContactEmail = "secretariat@example.org"
	before := ed.Schedule.ApplicationsOpen.Add(-time.Hour)
	s := &Service{Deps: usecase.New(nil, nil, site, func() time.Time { return before })}
	project, _ := ed.Category("tech-innovacity")
	leadership, _ := ed.Category("leadership")
	data := []string{"Min-jun Kim", "Welcome!", ed.Name, project.Name, leadership.Name, ed.ContactEmail}
	for _, et := range ed.EntityTypes {
		data = append(data, et.Name)
	}
	wordingtest.ValuesTranslated(t, s.invitationEmail(ed, project, "city", "Min-jun Kim", "a@example.org", "Welcome!", "tok", true, false), data...)
	wordingtest.ValuesTranslated(t, s.invitationEmail(ed, leadership, "", "Min-jun Kim", "a@example.org", "", "tok", false, true), data...)
}
