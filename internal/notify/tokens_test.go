package notify_test

import (
	"context"
	"crypto/rand"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"prizeportal/internal/blocks/link"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/notifytest"
	"prizeportal/migrations"
)

// TestSentMessageKeepsNoUsableToken sends a message with private links over SMTP: the recipient
// gets the working links, and the outbox row keeps none of their tokens once it is marked sent.
func TestSentMessageKeepsNoUsableToken(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	smtp := notifytest.StartSMTP(t)
	smtp.StartWorker(t, pool)

	base := "https://prize.example.org"
	links := map[string]string{} // token -> link
	for _, path := range []string{"/verify/", "/password/reset/", "/invite/", "/consent/", "/letters/", "/endorse/confirm/", "/register?invitation="} {
		tok := rand.Text()
		links[tok] = base + path + tok
	}
	var text, html strings.Builder
	for _, l := range links {
		text.WriteString("Open " + l + "\n")
		html.WriteString(`<p><a href="` + l + `">` + l + "</a></p>")
	}
	id := queue(t, pool, notify.Message{
		To: "kim@example.org", ToName: "Min-jun Kim", Kind: "test", Subject: "Your links",
		HTML: templ.Raw(html.String()), Text: text.String(),
	})
	m := smtp.WaitFor(t, "kim@example.org", "Your links", 20*time.Second)
	for _, l := range links {
		if !strings.Contains(m.Text, l) || !strings.Contains(m.HTML, `href="`+l+`"`) {
			t.Errorf("the delivered message lacks the working link %s", l)
		}
	}

	waitUntil(t, "the message to be marked sent", 20*time.Second, allDone(pool))
	e, err := notify.EmailByID(context.Background(), pool, id)
	if err != nil {
		t.Fatal(err)
	}
	if !e.Sent() {
		t.Fatal("the message is not marked sent")
	}
	for tok := range links {
		if strings.Contains(e.Text, tok) || strings.Contains(e.HTML, tok) {
			t.Errorf("the sent message's stored body still holds the token %s", tok)
		}
	}
	if !strings.Contains(e.Text, base+"/verify/") || !strings.Contains(e.HTML, `href="`+base+"/consent/") {
		t.Errorf("the stored bodies lost more than the tokens:\n%s\n%s", e.Text, e.HTML)
	}
}

// TestGivenUpMessageKeepsNoUsableToken: a message the worker gives up on is never sent, so its
// stored bodies lose their tokens too.
func TestGivenUpMessageKeepsNoUsableToken(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	smtp := notifytest.StartSMTP(t)
	smtp.Stop() // every attempt fails
	smtp.StartWorker(t, pool)
	tok := rand.Text()
	l := "https://prize.example.org/password/reset/" + tok
	id := queue(t, pool, notify.Message{To: "kim@example.org", Kind: "test", Subject: "Reset",
		HTML: templ.Raw(`<a href="` + l + `">Reset</a>`), Text: "Open " + l})
	waitUntil(t, "the worker to give up", 60*time.Second, func() (bool, error) {
		e, err := notify.EmailByID(context.Background(), pool, id)
		return e.GaveUp(), err
	})
	e, err := notify.EmailByID(context.Background(), pool, id)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.Text, tok) || strings.Contains(e.HTML, tok) || !strings.Contains(e.Text, "/password/reset/") {
		t.Errorf("the given-up message's stored bodies:\n%s\n%s", e.Text, e.HTML)
	}
}

// TestMigrationRedactsEarlierSentMessages runs the migration that redacts the messages sent
// before the worker did it: sent and given-up messages end up as link.Redact makes them, and
// pending ones keep their working links.
func TestMigrationRedactsEarlierSentMessages(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	raw, err := migrations.FS.ReadFile("00032_redact_sent_email_links.sql")
	if err != nil {
		t.Fatal(err)
	}
	_, up, ok := strings.Cut(string(raw), "-- +goose Up")
	if !ok {
		t.Fatal("the migration has no Up section")
	}
	body := func() (string, string) {
		tok := rand.Text()
		return "Open https://prize.example.org/letters/" + tok + " or /account/verify/resend, /register?invitation=" + tok + "&x=1",
			`<a href="https://prize.example.org/base/endorse/confirm/` + tok + `">x</a> <a href="/endorse/` + tok + `">public</a>`
	}
	type row struct {
		id         int64
		text, html string
		redact     bool
	}
	var rows []row
	for _, state := range []string{"sent", "gave up", "pending", "failing"} {
		text, html := body()
		id := queue(t, pool, notify.Message{To: "kim@example.org", Kind: "test", Subject: state, HTML: templ.Raw(html), Text: text})
		switch state {
		case "sent":
			_, err = pool.Exec(ctx, `UPDATE email_outbox SET sent_at = now(), attempts = 1 WHERE id = $1`, id)
		case "gave up":
			_, err = pool.Exec(ctx, `UPDATE email_outbox SET attempts = $2 WHERE id = $1`, id, notify.MaxAttempts)
		case "failing":
			_, err = pool.Exec(ctx, `UPDATE email_outbox SET attempts = 3 WHERE id = $1`, id)
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, row{id, text, html, state == "sent" || state == "gave up"})
	}
	if _, err := pool.Exec(ctx, up); err != nil {
		t.Fatalf("migration: %v", err)
	}
	for _, r := range rows {
		e, err := notify.EmailByID(ctx, pool, r.id)
		if err != nil {
			t.Fatal(err)
		}
		wantText, wantHTML := r.text, r.html
		if r.redact {
			wantText, wantHTML = link.Redact(r.text), link.Redact(r.html)
		}
		if e.Text != wantText || e.HTML != wantHTML {
			t.Errorf("%s: after the migration\n%s\n%s\nwant\n%s\n%s", e.Subject, e.Text, e.HTML, wantText, wantHTML)
		}
	}
}

// TestLogSenderRedactsInProduction: without a mail server, a developer's log shows the links to
// follow, and a production log (Redact) holds no usable token.
func TestLogSenderRedactsInProduction(t *testing.T) {
	token := strings.ToUpper(rand.Text())
	e := notify.Email{To: "kim@example.org", Subject: "Confirm", Text: "Open https://prize.example.org/verify/" + token + " to confirm."}
	for _, redact := range []bool{false, true} {
		var out strings.Builder
		s := notify.LogSender{Logger: slog.New(slog.NewTextHandler(&out, nil)), Redact: redact}
		if err := s.Send(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(out.String(), token); got == redact {
			t.Errorf("Redact %v: token in the log %v:\n%s", redact, got, out.String())
		}
		if redact && !strings.Contains(out.String(), "/verify/"+link.RedactedToken) {
			t.Errorf("redacted log does not show the redacted link:\n%s", out.String())
		}
	}
}
