package views

import (
	"strings"
	"testing"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
)

// TestDashboardViewApplicantLinks: the applicant's card puts the links that wait for an answer
// first (attendance, then a clarification), then the application's, then the results'; an
// admin gets the administration card, and everyone the account card last.
func TestDashboardViewApplicantLinks(t *testing.T) {
	deadline := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	ed := &edition.Edition{ID: 7, Name: "Prize 2023", Slug: "prize-2023", TimeZone: time.UTC,
		Schedule: edition.Schedule{ApplicationDeadline: deadline}}
	app := &application.Application{EditionID: 7, Status: application.Draft}
	d := DashboardData{user: account.User{Name: "Ana", LoginID: "ana", Email: "ana@example.org"}, cards: []CardData{
		{role: authz.RoleAdmin},
		{role: authz.RoleApplicant, ed: ed, app: app,
			lead:    []components.Link{{Label: "attend", Href: "/a"}, {Label: "clarify", Href: "/c"}},
			results: []components.Link{{Label: "winners", Href: "/w"}}},
	}}
	v := DashboardView(d, deadline.Add(-time.Hour))
	if len(v.Cards) != 3 || v.Cards[0].Title != "Administration" || v.Cards[2].Title != "Your account" {
		t.Fatalf("cards %+v", v.Cards)
	}
	var got []string
	for _, l := range v.Cards[1].Links {
		got = append(got, l.Href)
	}
	want := []string{"/a", "/c", "/application", "/application/status", "/w", "/editions/prize-2023"}
	if len(got) != len(want) {
		t.Fatalf("links %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("links %v, want %v", got, want)
		}
	}
	if lines := v.Cards[1].Lines; len(lines) != 2 || !strings.HasPrefix(i18n.English(lines[1]), "Entries can be edited") {
		t.Fatalf("lines %q", lines)
	}
}
