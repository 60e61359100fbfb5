package screening

import (
	"testing"
	"time"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestOutcomeValuesTranslated: the screening outcome's values (the entry, the scoring window, the
// announcement, every reason for ineligibility) reach a Korean reader in Korean.
func TestOutcomeValuesTranslated(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	ed.ContactEmail = "secretariat@example.org"
	s := &Service{Deps: usecase.New(nil, nil, site, nil)}
	now := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, key := range []string{"tech-innovacity", "leadership"} {
		cat, _ := ed.Category(key)
		data := []string{"Min-jun Kim", "Dr Lee", ed.Name, ed.ContactEmail}
		for _, c := range ed.Categories {
			data = append(data, c.Name)
		}
		e := Entry{ID: 9, UserID: 3, Kind: "project", CategoryID: cat.ID, Applicant: "Min-jun Kim", Email: "kim@example.org",
			Title: "Seoul Talk", Decision: Eligible}
		wordingtest.ValuesTranslated(t, s.outcomeEmail(ed, e, now), data...)
		e.Decision, e.Kind, e.Title = Ineligible, "nomination", "Nomination of Dr Lee"
		for _, r := range Reasons(cat) {
			e.ReasonKey = r.Key
			wordingtest.ValuesTranslated(t, s.outcomeEmail(ed, e, now), data...)
		}
	}
}

// TestEveryReasonInSentenceIsCataloged: each reason for ineligibility of every category, lowered
// as the outcome email says it, is a text of the catalogs.
func TestEveryReasonInSentenceIsCataloged(t *testing.T) {
	ed, _ := wordingtest.Edition(t)
	for i := range ed.Categories {
		cat := &ed.Categories[i]
		for _, r := range Reasons(cat) {
			if got := reasonInSentence(cat, r.Key); got != reasonsInSentence[r.Key] {
				t.Errorf("%s, %s: %q is not the catalog's %q", cat.Key, r.Key, got, reasonsInSentence[r.Key])
			}
		}
	}
}
