package wording_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/notify/wording"
)

// receipt is the receipt of an application of user id (at address to) in w's edition, built as
// the application service builds it: the greeting, subject and times as catalog texts.
func (w world) receipt(id int64, to, name string) notify.Message {
	site := emails.Site{BaseURL: "https://prize.example"}
	at := time.Date(2026, 3, 1, 9, 5, 0, 0, time.UTC)
	v := emails.ReceiptEmail{Meta: site.Meta(w.ed), Greeting: i18n.Msg("Dear {{.Name}},", "Name", name), Prize: w.ed.Name,
		Category: "Tech-InnovaCity", Project: "Seoul Talk", SubmittedAt: i18n.Instant(at, w.ed.TimeZone), Version: 2,
		Deadline: i18n.Msg("{{.When}} ({{.Zone}} time)", "When", i18n.Deadline(at.Add(30*24*time.Hour), w.ed.TimeZone), "Zone", w.ed.TimeZone.String()),
		URL:      "https://prize.example/application"}
	return notify.Message{To: to, ToName: name, Kind: "application-receipt", UserID: id,
		Subject: i18n.Msg("Your application to the {{.Edition}} was received", "Edition", w.ed.Name),
		HTML:    emails.Receipt(v), Text: emails.ReceiptText(v), Wording: site.Wording(w.ed, "application-receipt", v.Values(name))}
}

// applicant is an account with the languages given ("" for none).
func (w world) applicant(t *testing.T, login, chosen, seen string) (int64, string) {
	t.Helper()
	var id int64
	if err := w.pool.QueryRow(context.Background(), `INSERT INTO users (login_id, email, name, password_hash, language, language_seen)
		VALUES ($1, $1 || '@example.org', initcap($1), 'x', nullif($2, ''), nullif($3, '')) RETURNING id`, login, chosen, seen).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id, login + "@example.org"
}

// TestReceiptInTheRecipientsLanguage: the receipt reaches an applicant who chose Korean, and one
// whose pages were last shown in Korean, in Korean (subject, HTML and text, through SMTP); an
// English applicant's receipt is as before.
func TestReceiptInTheRecipientsLanguage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	smtp := notifytest.StartSMTP(t)
	smtp.StartWorker(t, w.pool)
	for _, c := range []struct{ login, chosen, seen string }{{"chosen", "ko", "en"}, {"seen", "", "ko"}} {
		id, to := w.applicant(t, c.login, c.chosen, c.seen)
		notifytest.Queue(t, w.pool, w.receipt(id, to, "Min-jun Kim"))
		m := smtp.WaitFor(t, to, "접수", 20*time.Second)
		if want := w.ed.Name + " 응모 신청이 접수되었습니다"; m.Subject != want {
			t.Errorf("%s: subject %q, want %q", c.login, m.Subject, want)
		}
		for _, part := range []string{m.Text, m.HTML} {
			for _, want := range []string{"Min-jun Kim 님께", "Tech-InnovaCity 부문 신청서가 접수되었습니다.", "사업명: Seoul Talk",
				"제출 일시: 2026년 3월 1일", "(2차 제출)", "신청서를 수정하여 다시 제출할 수 있으며", "이 메일은 자동으로 발송되었으며"} {
				if !strings.Contains(part, want) {
					t.Errorf("%s: %q missing from\n%s", c.login, want, part)
				}
			}
			if strings.Contains(part, "Dear") || strings.Contains(part, "submission") {
				t.Errorf("%s: English left in\n%s", c.login, part)
			}
		}
		if !strings.Contains(m.HTML, `<html lang="ko">`) {
			t.Errorf("%s: the HTML part is not marked Korean", c.login)
		}
	}
	id, to := w.applicant(t, "english", "en", "ko")
	built := w.receipt(id, to, "Min-jun Kim")
	notifytest.Queue(t, w.pool, built)
	m := smtp.WaitFor(t, to, "received", 20*time.Second)
	if m.Subject != "Your application to the "+w.ed.Name+" was received" || !strings.Contains(m.Text, "Dear Min-jun Kim,") ||
		!strings.Contains(m.Text, "(submission 2)") || !strings.Contains(m.HTML, `<html lang="en">`) {
		t.Errorf("English receipt: %q\n%s", m.Subject, m.Text)
	}
	if m.Text != strings.ReplaceAll(built.Text, "\n", "\r\n") && m.Text != built.Text {
		t.Errorf("English text part changed:\n%q\nbuilt\n%q", m.Text, built.Text)
	}
}

// TestKoreanOverride: a Korean reader gets the edition's Korean override; without one, the
// Korean default even when the edition has an English override; an English reader gets the
// English override.
func TestKoreanOverride(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	koID, ko := w.applicant(t, "korean", "ko", "")
	enID, en := w.applicant(t, "english", "en", "")
	if _, err := w.svc.Save(ctx, w.manager, w.ed.ID, "application-receipt", wording.Input{
		Subject: "Got it, {{applicant_name}}", Body: "Your project {{project}} is in."}); err != nil {
		t.Fatal(err)
	}
	queued := func(id int64, to string) notify.Email {
		t.Helper()
		var out int64
		if err := db.InTx(ctx, w.pool, func(tx pgx.Tx) error {
			var err error
			out, err = notify.NewOutbox(w.pool).Queue(ctx, tx, w.receipt(id, to, "Min-jun Kim"))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		m, err := notify.EmailByID(ctx, w.pool, out)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if m := queued(koID, ko); m.Subject != w.ed.Name+" 응모 신청이 접수되었습니다" || !strings.Contains(m.Text, "사업명: Seoul Talk") {
		t.Errorf("Korean reader without a Korean override: %q\n%s", m.Subject, m.Text)
	}
	if m := queued(enID, en); m.Subject != "Got it, Min-jun Kim" {
		t.Errorf("English reader: %q", m.Subject)
	}
	if _, err := w.svc.Save(ctx, w.manager, w.ed.ID, "application-receipt", wording.Input{Language: "ko",
		Subject: "{{applicant_name}} 님, 접수 완료", Body: "{{project}} 사업이 접수되었습니다.\n\n제출 일시: {{submitted_at}}"}); err != nil {
		t.Fatal(err)
	}
	m := queued(koID, ko)
	if m.Subject != "Min-jun Kim 님, 접수 완료" || !strings.Contains(m.Text, "Seoul Talk 사업이 접수되었습니다.") ||
		!strings.Contains(m.Text, "2차 제출") || !strings.Contains(m.HTML, "Seoul Talk 사업이 접수되었습니다.") {
		t.Errorf("Korean override: %q\n%s", m.Subject, m.Text)
	}
	if m := queued(enID, en); m.Subject != "Got it, Min-jun Kim" {
		t.Errorf("English reader after the Korean override: %q", m.Subject)
	}
	if n := count(t, w, `SELECT count(*) FROM email_wordings WHERE language = 'ko'`); n != 1 {
		t.Errorf("%d Korean overrides", n)
	}
}

func count(t *testing.T, w world, sql string) int {
	t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
