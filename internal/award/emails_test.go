package award_test

import (
	"strings"
	"testing"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/award"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestSuccessorDefaultWording holds the registry's defaults to the successor emails as built: a
// first place (asked to confirm attendance) and another place.
func TestSuccessorDefaultWording(t *testing.T) {
	t.Parallel()
	ed, site := wordingtest.Edition(t)
	cat, _ := ed.Category("tech-innovacity")
	u := account.User{ID: 3, Name: "Min-jun Kim", Email: "kim@example.org"}
	now := time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC)
	for place, key := range map[int]string{1: "award-successor-first", 2: "award-successor", 3: "award-successor"} {
		m := award.SuccessorEmail(site, ed, cat, u, "", award.Move{ApplicationID: 9, Title: "Seoul Talk", ToPlace: place, ToPrize: "Grand Prize", NewAward: 4}, now)
		if m.Kind != "award-successor" || m.Wording == nil || m.Wording.Key != key {
			t.Fatalf("place %d: kind %q, wording %+v, want %q", place, m.Kind, m.Wording, key)
		}
		wordingtest.MatchesDefault(t, m, ed.ID, site.Meta(ed).TextFooter())
		// the version to a nomination's candidate links to their private page
		m = award.SuccessorEmail(site, ed, cat, account.User{Name: "Cand Kim", Email: "kim@cand.example"}, "/winner/sample-token",
			award.Move{ApplicationID: 9, Title: "Nomination of Cand Kim", ToPlace: place, ToPrize: "Grand Prize", NewAward: 4}, now)
		if m.Kind != "award-successor" || m.Wording == nil || m.Wording.Key != key+"-candidate" || !strings.Contains(m.Text, "https://prize.example/winner/sample-token/") {
			t.Fatalf("place %d to the candidate: kind %q, wording %+v\n%s", place, m.Kind, m.Wording, m.Text)
		}
		wordingtest.MatchesDefault(t, m, ed.ID, site.Meta(ed).TextFooter())
	}
}
