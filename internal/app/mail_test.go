package app_test

import (
	"context"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/app"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/tools/logbuf"
)

// TestServeSendsQueuedEmailThroughSMTP runs `portal serve` with PORTAL_SMTP_URL: a message queued
// in the database is delivered by the serve process's worker, and the process stops cleanly.
func TestServeSendsQueuedEmailThroughSMTP(t *testing.T) {
	t.Parallel()
	url := dbtest.NewURL(t)
	smtp := notifytest.StartSMTP(t)
	env := map[string]string{
		"DATABASE_URL":     url,
		"PORTAL_ADDR":      "127.0.0.1:0",
		"PORTAL_DATA_DIR":  t.TempDir(), // its key file and uploads, never in the source tree
		"PORTAL_SMTP_URL":  smtp.URL(),
		"PORTAL_MAIL_FROM": "Seoul Prize <no-reply@prize.example.org>",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut logbuf.Buffer
	done := make(chan int, 1)
	go func() {
		done <- app.Run(ctx, []string{"serve"}, func(k string) string { return env[k] }, &out, &errOut)
	}()

	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "Prize Portal is serving") {
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d:\n%s\n%s", code, out.String(), errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}

	pool, err := db.Open(ctx, url, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		_, err := notify.NewOutbox(pool).Queue(ctx, tx, notify.Message{To: "ada@example.org", Kind: "test", Subject: "Welcome", Text: "Hello"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	m := smtp.WaitFor(t, "ada@example.org", "Welcome", 30*time.Second)
	if from, err := mail.ParseAddress(m.From); err != nil || from.Name != "Seoul Prize" || from.Address != "no-reply@prize.example.org" || strings.TrimSpace(m.Text) != "Hello" {
		t.Errorf("received From %q, text %q", m.From, m.Text)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(out.String(), "Prize Portal stopped.") {
			t.Fatalf("serve exited with %d:\n%s\n%s", code, out.String(), errOut.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop within 60s")
	}
}
