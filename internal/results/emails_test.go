package results_test

import (
	"strings"
	"testing"

	"prizeportal/internal/notify"
	"prizeportal/internal/notify/wording/wordingtest"
	"prizeportal/internal/results"
)

// TestEmailsDefaultWording holds the registry's defaults to the results and video emails as
// built, for an application and a nomination, a winner and not.
func TestEmailsDefaultWording(t *testing.T) {
	t.Parallel()
	ed, site := wordingtest.Edition(t)
	ed.ContactEmail = "secretariat@example.org"
	cat, _ := ed.Category("tech-innovacity")
	footer := site.Meta(ed).TextFooter()
	check := func(m notify.Message, key string) {
		t.Helper()
		if m.Kind != strings.TrimSuffix(key, "-candidate") || m.Wording == nil || m.Wording.Key != key {
			t.Fatalf("kind %q, wording %+v, want %q", m.Kind, m.Wording, key)
		}
		wordingtest.MatchesDefault(t, m, ed.ID, footer)
	}
	for _, rc := range []results.Recipient{
		{ApplicationID: 9, UserID: 3, Name: "Min-jun Kim", Email: "kim@example.org", Kind: "project", Title: "Seoul Talk", AwardID: 4, Place: 1, Prize: "Grand Prize"},
		{ApplicationID: 10, UserID: 4, Name: "Ji-woo Park", Email: "park@example.org", Kind: "nomination", Title: "Dr Lee", AwardID: 5, Place: 2, Prize: "Excellence Prize"},
	} {
		check(results.OutcomeEmail(site, ed, cat, rc), "results-winner")
		check(results.VideoEmail(site, ed, cat, rc, results.StageRequest), "video-request")
		check(results.VideoEmail(site, ed, cat, rc, results.Stage3Days), "video-reminder")
		check(results.VideoEmail(site, ed, cat, rc, results.Stage1Day), "video-reminder")
		rc.AwardID = 0
		check(results.OutcomeEmail(site, ed, cat, rc), "results-outcome")
	}
	// a winning nomination's candidate, with the private link to their page
	rc := results.Recipient{ApplicationID: 10, Name: "Dr Lee", Email: "lee@example.org", Candidate: true, Kind: "nomination", Title: "Dr Lee",
		AwardID: 5, Place: 1, Prize: "Grand Prize", Private: results.CandidatePath("sample-token") + "/attendance"}
	m := results.OutcomeEmail(site, ed, cat, rc)
	check(m, "results-winner-candidate")
	if !strings.Contains(m.Text, "https://prize.example/winner/sample-token/attendance") || strings.Contains(m.Text, "Sign in") {
		t.Errorf("candidate's winner email without their private link:\n%s", m.Text)
	}
	check(results.VideoEmail(site, ed, cat, rc, results.StageRequest), "video-request-candidate")
	check(results.VideoEmail(site, ed, cat, rc, results.Stage1Day), "video-reminder-candidate")
	rc.AwardID, rc.Private = 0, ""
	check(results.OutcomeEmail(site, ed, cat, rc), "results-outcome")
}
