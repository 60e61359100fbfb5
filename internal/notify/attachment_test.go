package notify_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/notifytest"
)

func TestAttachmentIsStoredAndSent(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	smtp := notifytest.StartSMTP(t)
	sender, err := notify.NewSMTPSender(smtp.URL(), "no-reply@prize.example.org")
	if err != nil {
		t.Fatal(err)
	}
	w, err := notify.NewWorker(pool, notifytest.FastWorkerConfig(sender))
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("%PDF-1.4 a small copy\n%%EOF\n")
	m := message("ada@example.org", "Your application was received")
	m.Attachments = []notify.Attachment{{Name: "application-1.pdf", ContentType: "application/pdf", Data: data}}
	id := queue(t, pool, m)

	stored, err := notify.EmailByID(context.Background(), pool, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.Attachments) != 1 || !bytes.Equal(stored.Attachments[0].Data, data) {
		t.Fatalf("stored attachments = %+v", stored.Attachments)
	}
	notifytest.StartWorker(t, w)
	got := smtp.WaitFor(t, "ada@example.org", "Your application", 20*time.Second)
	raw := string(got.Raw)
	if !strings.Contains(raw, "application-1.pdf") || !strings.Contains(raw, "application/pdf") {
		t.Fatalf("the message has no PDF attachment:\n%s", raw)
	}
	if !strings.Contains(strings.ReplaceAll(raw, "\r\n", ""), base64.StdEncoding.EncodeToString(data)) {
		t.Fatalf("the attachment's content is missing:\n%s", raw)
	}
	if !strings.Contains(got.Text, "verify/abc") {
		t.Errorf("text part lost next to the attachment:\n%s", got.Text)
	}
}
