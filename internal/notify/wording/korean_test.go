package wording_test

import (
	"strings"
	"testing"
	"time"

	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/notify/wording"
)

// TestEveryEmailHasAKoreanDefault: every email of the registry has a Korean subject and body
// (DOMAIN.md: emails go in the recipient's language), using only the placeholders it offers, and
// a Korean name and description for the studio's list.
func TestEveryEmailHasAKoreanDefault(t *testing.T) {
	ko := i18n.For("ko")
	for _, e := range wording.All() {
		if !e.Translated("ko") {
			t.Errorf("%s: no Korean default", e.Key)
			continue
		}
		subject, body, _ := e.Default("ko")
		if subject == e.Subject || body == e.Body {
			t.Errorf("%s: the Korean default is the English one", e.Key)
		}
		for what, s := range map[string]string{"subject": subject, "body": body} {
			if bad := wording.Check(s, e.Params); len(bad) > 0 {
				t.Errorf("%s: the Korean %s uses %v", e.Key, what, bad)
			}
		}
		if ko.T(e.Name) == i18n.English(e.Name) || ko.T(e.About) == i18n.English(e.About) {
			t.Errorf("%s: name or description not in Korean: %q, %q", e.Key, ko.T(e.Name), ko.T(e.About))
		}
	}
	// a variant for a winning nomination's candidate keeps its own paragraph in Korean
	e, _ := wording.Lookup("results-winner-candidate")
	if _, body, _ := e.Default("ko"); !strings.Contains(body, "시상식 관련 개인 페이지(계정 불필요):\n{{link}}") || strings.Contains(body, "수상작 보기") {
		t.Errorf("the candidate's Korean winner email:\n%s", body)
	}
}

// TestDeadlineMovedInKorean: a Korean applicant gets the email of a moved deadline in Korean
// (subject, text and HTML, through SMTP), with the deadline in Korean; an English one in the
// English the code builds.
func TestDeadlineMovedInKorean(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	smtp := notifytest.StartSMTP(t)
	smtp.StartWorker(t, w.pool)
	site := emails.Site{BaseURL: "https://prize.example"}
	at := time.Date(2026, 5, 7, 9, 0, 0, 0, time.UTC)
	message := func(id int64, to string) notify.Message {
		values := wording.Values{wording.Name: "Min-jun Kim", wording.EditionName: w.ed.Name,
			wording.Deadline: i18n.Deadline(at, w.ed.TimeZone), wording.Link: "https://prize.example/application"}
		text := "The deadline of the " + w.ed.Name + " has moved (English)."
		return notify.Message{To: to, ToName: "Min-jun Kim", Kind: "deadline-moved", UserID: id,
			Subject: "The deadline of the " + w.ed.Name + " has moved", Text: text,
			Wording: site.Wording(w.ed, "deadline-moved", values)}
	}
	id, to := w.applicant(t, "korean", "ko", "")
	notifytest.Queue(t, w.pool, message(id, to))
	m := smtp.WaitFor(t, to, "변경", 20*time.Second)
	if want := w.ed.Name + " 마감이 변경되었습니다"; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	for _, part := range []string{m.Text, m.HTML} {
		for _, want := range []string{"Min-jun Kim 님께", "응모 신청 마감이 변경되었습니다", "새 마감은 2026년 5월", "신청서 열기"} {
			if !strings.Contains(part, want) {
				t.Errorf("%q missing from\n%s", want, part)
			}
		}
		if strings.Contains(part, "Dear") || strings.Contains(part, "deadline") {
			t.Errorf("English left in\n%s", part)
		}
	}
	id, to = w.applicant(t, "english", "en", "ko")
	notifytest.Queue(t, w.pool, message(id, to))
	if m := smtp.WaitFor(t, to, "moved", 20*time.Second); !strings.Contains(m.Text, "has moved (English).") {
		t.Errorf("English reader:\n%s", m.Text)
	}
}
