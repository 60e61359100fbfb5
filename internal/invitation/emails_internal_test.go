package invitation

import (
	"testing"
	"time"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestDefaultWording holds the registry's default to the invitation to enter as built, in each
// of its forms: a project or a nomination, with and without a message, to a new or an existing
// account, before or after registration opens, a new copy, with and without a contact address.
func TestDefaultWording(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	ed.ContactEmail = "secretariat@example.org"
	footer := site.Meta(ed).TextFooter()
	before := ed.Schedule.ApplicationsOpen.Add(-time.Hour)
	s := &Service{Deps: usecase.New(nil, nil, site, func() time.Time { return before })}
	project, _ := ed.Category("tech-innovacity")
	leadership, _ := ed.Category("leadership")
	wordingtest.MatchesDefault(t, s.invitationEmail(ed, project, "city", "Seoul", "a@example.org", "", "tok", false, false), ed.ID, footer)
	wordingtest.MatchesDefault(t, s.invitationEmail(ed, leadership, "", "Kim", "a@example.org", "Welcome!", "tok", true, true), ed.ID, footer)
	s.Now, ed.ContactEmail = func() time.Time { return ed.Schedule.ApplicationsOpen }, ""
	wordingtest.MatchesDefault(t, s.invitationEmail(ed, project, "individual", "Kim", "a@example.org", "Welcome!", "tok", false, true), ed.ID, footer)
}
