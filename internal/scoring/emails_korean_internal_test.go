package scoring

import (
	"testing"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestReminderValuesTranslated: the scoring reminders' values (the counts, the end of the round,
// the wait) reach a Korean reader in Korean. {{have}} is English grammar ("has" after one entry)
// that the Korean wording does not use.
func TestReminderValuesTranslated(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	s := &Service{Deps: usecase.New(nil, nil, site, nil)}
	for _, c := range []struct {
		when       string
		unfinished int
	}{{"in three days", 2}, {"within a day", 1}, {"", 1200}} {
		m := s.reminderEmail(ed, 3, "Min-jun Kim", "kim@example.org", c.unfinished, c.when)
		wordingtest.ValuesTranslated(t, m, "Min-jun Kim", ed.Name, "have", "has")
	}
}
