package ranking

import (
	"testing"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestOutcomeDefaultWording holds the registry's defaults to the semi-finalist emails as built,
// for an application and a nomination.
func TestOutcomeDefaultWording(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	ed.ContactEmail = "secretariat@example.org"
	cat, _ := ed.Category("tech-innovacity")
	s := &Service{Deps: usecase.New(nil, nil, site, nil)}
	footer := site.Meta(ed).TextFooter()
	rc := Recipient{ApplicationID: 9, UserID: 3, Name: "Min-jun Kim", Email: "kim@example.org", Kind: "project", Title: "Seoul Talk", SemiFinalist: true}
	for _, kind := range []string{"semi-finalist", "not-semi-finalist"} {
		m := s.outcomeEmail(ed, cat, rc)
		if m.Kind != kind || m.Wording.Key != kind {
			t.Fatalf("kind %q, key %q, want %q", m.Kind, m.Wording.Key, kind)
		}
		wordingtest.MatchesDefault(t, m, ed.ID, footer)
		rc.Kind, rc.Title = "nomination", "Nomination of Dr Lee"
		wordingtest.MatchesDefault(t, s.outcomeEmail(ed, cat, rc), ed.ID, footer)
		rc.SemiFinalist, rc.Kind, rc.Title = false, "project", ""
	}
}
