package award_test

import (
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
	}
}
