package clarify

import (
	"testing"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/notify/wording/wordingtest"
	"prizeportal/internal/screening"
)

// TestRequestDefaultWording holds the registry's default to the clarification request as built,
// with and without answers the applicant may change.
func TestRequestDefaultWording(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	ed.ContactEmail = "secretariat@example.org"
	cat, _ := ed.Category("tech-innovacity")
	s := NewService(nil, nil, site, nil, nil)
	e := screening.Entry{ID: 9, UserID: 3, CategoryID: cat.ID, Category: cat.Name, Applicant: "Min-jun Kim",
		Email: "kim@example.org", Title: " Seoul Talk "}
	req := Request{Question: "What did it cost?\n\nIn 2024?", Deadline: time.Date(2023, 6, 7, 15, 0, 0, 0, time.UTC)}
	wordingtest.MatchesDefault(t, s.requestEmail(ed, e, 3, 12, req), ed.ID, site.Meta(ed).TextFooter())
	req.Keys = []string{cat.Form.Questions()[0].Key}
	wordingtest.MatchesDefault(t, s.requestEmail(ed, e, 3, 12, req), ed.ID, site.Meta(ed).TextFooter())
	ed.ContactEmail = ""
	wordingtest.MatchesDefault(t, s.requestEmail(ed, e, 3, 12, req), ed.ID, site.Meta(ed).TextFooter())
}

// TestAnswerDefaultWording holds the registry's default to the secretariat's notice of an answer
// as built: with and without documents and changed answers, with and without a title.
func TestAnswerDefaultWording(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	ed.ContactEmail = "secretariat@example.org"
	s := NewService(nil, nil, site, nil, nil)
	tg := &Target{Ed: ed, App: application.Application{ID: 9},
		Item: Item{Clarification: Clarification{AskedAt: time.Date(2023, 6, 1, 1, 0, 0, 0, time.UTC)}, Title: "Seoul Talk"}}
	now := time.Date(2023, 6, 3, 7, 20, 0, 0, time.UTC)
	version := 3
	for _, c := range []struct {
		docs    int
		amended *int
	}{{0, nil}, {2, nil}, {0, &version}, {1, &version}} {
		m := s.answerEmail(tg, now, c.docs, c.amended)
		if m.Wording == nil || m.Wording.Key != "clarification-answer" {
			t.Fatalf("wording %+v", m.Wording)
		}
		wordingtest.MatchesDefault(t, m, ed.ID, site.Meta(ed).TextFooter())
		tg.Item.Title = ""
	}
}
