package notify_test

import (
	"strings"
	"testing"
	"time"

	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
)

func TestEmailWords(t *testing.T) {
	at := time.Date(2023, 5, 10, 3, 0, 7, 0, time.UTC)
	if got := (notify.Email{To: "a@example.org", ToName: "Ana"}).Recipient(); got != "Ana <a@example.org>" {
		t.Errorf("recipient %q", got)
	}
	for _, c := range []struct {
		e                   notify.Email
		state, label, start string
	}{
		{notify.Email{SentAt: &at, Attempts: 2}, "sent", "Sent", "10 May 2023, 03:00:07 UTC (attempt 2)"},
		{notify.Email{Attempts: notify.MaxAttempts, LastError: "550"}, "failed", "Failed", "Gave up after"},
		{notify.Email{}, "pending", "Pending", "Not tried yet"},
		{notify.Email{Attempts: 1, LastError: strings.Repeat("x", 200)}, "pending", "Pending", "1 attempt failed, will retry. Last error: " + strings.Repeat("x", 10)},
		{notify.Email{Attempts: 3, LastError: "refused"}, "pending", "Pending", "3 attempts failed, will retry. Last error: refused"},
	} {
		state, label, detail := c.e.Status(time.UTC, 10)
		label, detail = i18n.English(label), i18n.English(detail)
		if state != c.state || label != c.label || !strings.HasPrefix(detail, c.start) {
			t.Errorf("got %q %q %q, want %q %q %q…", state, label, detail, c.state, c.label, c.start)
		}
	}
}

func TestEmailPlanned(t *testing.T) {
	created := time.Date(2023, 6, 2, 1, 0, 0, 0, time.UTC)
	end := time.Date(2023, 6, 30, 15, 0, 0, 0, time.UTC)
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		e    notify.Email
		want string
	}{
		{notify.Email{CreatedAt: created, PlannedAt: created}, "At once"},
		{notify.Email{CreatedAt: created, PlannedAt: end}, "1 Jul 2023, 00:00:00 KST"},
		{notify.Email{CreatedAt: created, PlannedAt: end, Milestone: edition.ScreeningEnd}, "1 Jul 2023, 00:00:00 KST, at the end of the screening"},
	} {
		if got := i18n.English(c.e.Planned(seoul)); got != c.want {
			t.Errorf("planned %q, want %q", got, c.want)
		}
	}
}
