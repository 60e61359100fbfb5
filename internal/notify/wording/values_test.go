package wording_test

import (
	"strings"
	"testing"
	"time"

	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/results"
)

// TestValuesInKorean: a Korean winner's email and video reminder reach them through SMTP with
// the values the domain carries in Korean (the entry, the place, the ceremony window, the
// video's deadline and the wait), with no English portal words left; an English winner's email
// says them in the English the code builds.
func TestValuesInKorean(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	smtp := notifytest.StartSMTP(t)
	smtp.StartWorker(t, w.pool)
	site := emails.Site{BaseURL: "https://prize.example"}
	cat := &w.ed.Categories[0]
	recipient := func(id int64, to string) results.Recipient {
		return results.Recipient{UserID: id, Email: to, Name: "Min-jun Kim", Kind: "project", Title: "Seoul Talk",
			AwardID: 4, Place: 1, Prize: "Grand Prize"}
	}
	id, to := w.applicant(t, "korean", "ko", "")
	notifytest.Queue(t, w.pool, results.OutcomeEmail(site, w.ed, cat, recipient(id, to)))
	notifytest.Queue(t, w.pool, results.VideoEmail(site, w.ed, cat, recipient(id, to), results.Stage1Day))
	english := []string{"your application", "first place", "within a day", "January", "February", "March", "April", "May ",
		"June", "July", "August", "September", "October", "November", "December", " to ", " from "}
	for _, m := range smtp.WaitForN(t, to, "", 2, 20*time.Second) {
		for _, part := range []string{m.Subject, m.Text, m.HTML} {
			for _, word := range english {
				if strings.Contains(part, word) {
					t.Errorf("English %q left in\n%s", word, part)
				}
			}
		}
		// the winner's email, or the reminder
		want := []string{"귀하의 응모작 “Seoul Talk”에 Grand Prize(1위)", "시상식은 2023년 9월"}
		if strings.Contains(m.Subject, "재안내") {
			want = []string{"마감(2023년 9월 16일 23:59 KST", "하루 안에"}
		}
		for _, s := range want {
			if !strings.Contains(m.Text, s) || !strings.Contains(m.HTML, s) {
				t.Errorf("%q missing from the Korean email:\n%s", s, m.Text)
			}
		}
	}

	id, to = w.applicant(t, "english", "en", "")
	notifytest.Queue(t, w.pool, results.OutcomeEmail(site, w.ed, cat, recipient(id, to)))
	m := smtp.WaitFor(t, to, "", 20*time.Second)
	if !strings.Contains(m.Text, "has awarded your application “Seoul Talk” the Grand Prize (first place)") {
		t.Errorf("English winner's email:\n%s", m.Text)
	}
}
