package notify_test

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/notifytest"
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
