package ranking

import (
	"testing"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestOutcomeDefaultWording holds the registry's defaults to the semi-finalist emails as built,
// for an application and a nomination.
func TestOutcomeDefaultWording(t *testing.T) {
	ed := editiontest.Resolved(t, "seoul-2023")
	ed.ID, ed.ContactEmail = 5, "secretariat@example.org"
	cat, _ := ed.Category("tech-innovacity")
	site := emails.Site{BaseURL: "https://prize.example"}
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
