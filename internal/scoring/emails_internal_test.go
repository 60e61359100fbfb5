package scoring

import (
	"strings"
	"testing"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestReminderDefaultWording holds the registry's defaults to the scoring reminders as built:
// automatic (three days, one day before the end) and sent by the secretariat, for one
// unfinished sheet and for several.
func TestReminderDefaultWording(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	s := &Service{Deps: usecase.New(nil, nil, site, nil)}
	for _, c := range []struct {
		when, key, subject string
		unfinished         int
	}{
		{"in three days", "scoring-reminder", "Reminder: 2 score sheets to submit by ", 2},
		{"within a day", "scoring-reminder", "Reminder: 1 score sheet to submit by ", 1},
		{"", "scoring-reminder-secretariat", "Reminder: 1,200 score sheets to submit by ", 1200},
		{"", "scoring-reminder-secretariat", "Reminder: 1 score sheet to submit by ", 1},
	} {
		m := s.reminderEmail(ed, 3, "Min-jun Kim", "kim@example.org", c.unfinished, c.when)
		if m.Kind != "scoring-reminder" || m.Wording.Key != c.key || !strings.HasPrefix(m.Subject, c.subject) {
			t.Fatalf("kind %q, key %q, subject %q; want key %q, subject %q...", m.Kind, m.Wording.Key, m.Subject, c.key, c.subject)
		}
		wordingtest.MatchesDefault(t, m, ed.ID, site.Meta(ed).TextFooter())
	}
}
