package screening

import (
	"testing"
	"time"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestOutcomeDefaultWording holds the registry's defaults to the outcome emails as built.
func TestOutcomeDefaultWording(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	cat, _ := ed.Category("tech-innovacity")
	s := &Service{Deps: usecase.New(nil, nil, site, nil)}
	e := Entry{ID: 9, UserID: 3, Kind: "project", CategoryID: cat.ID, Applicant: "Min-jun Kim", Email: "kim@example.org",
		Title: "Seoul Talk", Decision: Eligible}
	now := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	wordingtest.MatchesDefault(t, s.outcomeEmail(ed, e, now), ed.ID, site.Meta(ed).TextFooter())
	e.Decision, e.ReasonKey, e.Kind, e.Title = Ineligible, Reasons(cat)[0].Key, "nomination", "Nomination of Dr Lee"
	m := s.outcomeEmail(ed, e, now)
	if m.Wording.Key != "screening-ineligible" {
		t.Fatalf("key %q", m.Wording.Key)
	}
	wordingtest.MatchesDefault(t, m, ed.ID, site.Meta(ed).TextFooter())
}
