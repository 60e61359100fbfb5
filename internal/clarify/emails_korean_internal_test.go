package clarify

import (
	"testing"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/notify/wording/wordingtest"
	"prizeportal/internal/screening"
)

// TestValuesTranslated: the clarification emails' values (the deadline, the contact, the answers
// that may change, the dates, documents and changed answers of an answer) reach a Korean reader
// in Korean.
func TestValuesTranslated(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	ed.ContactEmail = "secretariat@example.org"
	cat, _ := ed.Category("tech-innovacity")
	s := NewService(nil, nil, site, nil, nil)
	e := screening.Entry{ID: 9, UserID: 3, CategoryID: cat.ID, Category: cat.Name, Applicant: "Min-jun Kim",
		Email: "kim@example.org", Title: "Seoul Talk"}
	question := "What did it cost?\n\nIn 2024?"
	req := Request{Question: question, Deadline: time.Date(2023, 6, 7, 15, 0, 0, 0, time.UTC),
		Keys: []string{cat.Form.Questions()[0].Key}}
	wordingtest.ValuesTranslated(t, s.requestEmail(ed, e, 3, 12, req),
		"Min-jun Kim", "Seoul Talk", ed.Name, cat.Name, question, cat.Form.Questions()[0].Label)

	amended := 3
	tg := &Target{Ed: ed, App: application.Application{ID: 9},
		Item: Item{Clarification: Clarification{AskedAt: time.Date(2023, 6, 1, 1, 0, 0, 0, time.UTC)}, Title: "Seoul Talk"}}
	wordingtest.ValuesTranslated(t, s.answerEmail(tg, time.Date(2023, 6, 3, 7, 20, 0, 0, time.UTC), 2, &amended),
		"Seoul Talk", ed.Name, "9")
}
