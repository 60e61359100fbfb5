package notify_test

import (
	"net/mail"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/notifytest"
)

// TestHostileNamesAreDeliveredToTheBareAddress: names stored before they were checked (line
// breaks, quotes, angle brackets) never stop a message. A name that cannot be a display name is
// left out and the message goes to the bare address; one that can is sent quoted.
func TestHostileNamesAreDeliveredToTheBareAddress(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	smtp := notifytest.StartSMTP(t)
	smtp.StartWorker(t, pool)
	cases := []struct {
		to, name, wantName string
	}{
		{"crlf@example.org", "Eve\r\nBcc: victim@example.org", ""},
		{"lf@example.org", "Eve\nX-Injected: yes", ""},
		{"esc@example.org", "Eve\x1b[31mKim", ""},
		{"sep@example.org", "Eve\u2028Kim", ""},
		{"quotes@example.org", `Ann "The Boss" O'Neil`, `Ann "The Boss" O'Neil`},
		{"angles@example.org", `Bob <bob@evil.example>`, `Bob <bob@evil.example>`},
		{"mixed@example.org", `"Kim" <Min-jun>, Seoul; 김민준`, `"Kim" <Min-jun>, Seoul; 김민준`},
	}
	for _, c := range cases {
		queue(t, pool, notify.Message{To: c.to, ToName: c.name, Kind: "test", Subject: "Hello " + c.to, Text: "Hi"})
	}
	for _, c := range cases {
		m := smtp.WaitFor(t, c.to, "Hello "+c.to, 20*time.Second)
		if len(smtp.MessagesTo(c.to)) != 1 {
			t.Errorf("%s: received %d messages", c.to, len(smtp.MessagesTo(c.to)))
		}
		to, err := mail.ParseAddress(m.Header.Get("To"))
		if err != nil {
			t.Errorf("%s: To header %q: %v", c.to, m.Header.Get("To"), err)
			continue
		}
		if to.Address != c.to || to.Name != c.wantName {
			t.Errorf("%s: To header %q = name %q, address %q; want name %q", c.to, m.Header.Get("To"), to.Name, to.Address, c.wantName)
		}
		for k := range m.Header {
			if strings.EqualFold(k, "Bcc") || strings.EqualFold(k, "X-Injected") {
				t.Errorf("%s: the name injected a %s header", c.to, k)
			}
		}
	}
	if got := smtp.MessagesTo("victim@example.org"); len(got) != 0 {
		t.Errorf("the name added a recipient: %d messages", len(got))
	}
	waitUntil(t, "every message to be marked sent", 20*time.Second, allDone(pool))
}
