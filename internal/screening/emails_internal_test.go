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

// TestMergedDefaultWording holds the registry's default to the email telling a nominator their
// nomination was merged, as built.
func TestMergedDefaultWording(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	cat, _ := ed.Category("leadership")
	s := &Service{Deps: usecase.New(nil, nil, site, nil)}
	a := Entry{ID: 42, UserID: 3, Kind: "nomination", CategoryID: cat.ID, Applicant: "Park Ji-ho", Email: "park@example.org", Candidate: "Dr Lee"}
	b := Entry{ID: 43, UserID: 4, Kind: "nomination", CategoryID: cat.ID, Applicant: "Ahn Soo-min", Email: "ahn@example.org", Candidate: "Dr Lee"}
	m := s.mergedEmail(ed, a, b)
	if m.To != "ahn@example.org" || m.Wording.Key != "nomination-merged" {
		t.Fatalf("to %q, key %q", m.To, m.Wording.Key)
	}
	wordingtest.MatchesDefault(t, m, ed.ID, site.Meta(ed).TextFooter())
}
