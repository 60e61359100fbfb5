package config

import (
	"errors"
	"strings"
	"testing"
)

func TestSMTPURLAndMailFrom(t *testing.T) {
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPURL != "" || c.MailFrom != "Prize Portal <no-reply@localhost>" {
		t.Fatalf("defaults: SMTPURL %q, MailFrom %q", c.SMTPURL, c.MailFrom)
	}
	for _, good := range []string{
		"smtp://mail.example.org",
		"smtp://user:p%40ss@mail.example.org:587",
		"smtp://mail.example.org:587?tls=starttls",
		"smtp://127.0.0.1:1025?tls=none",
		"smtps://user:secret@mail.example.org:465",
	} {
		c, err := load(map[string]string{"PORTAL_SMTP_URL": good, "PORTAL_MAIL_FROM": `"Seoul Prize" <no-reply@prize.example.org>`})
		if err != nil {
			t.Errorf("%s: %v", good, err)
			continue
		}
		if c.SMTPURL != good {
			t.Errorf("SMTPURL = %q, want %q", c.SMTPURL, good)
		}
	}
	for bad, want := range map[string]string{
		"mail.example.org:587":                         "scheme",
		"http://mail.example.org":                      "scheme",
		"smtp://":                                      "no host",
		"smtp://mail.example.org:99999":                "port",
		"smtp://mail.example.org?tls=maybe":            "tls must be",
		"smtp://mail.example.org?insecure=1":           "unknown parameter",
		"smtps://mail.example.org?tls=none":            "always uses TLS",
		"smtp://user:hunter2@mail.example.org?tls=yes": "tls must be",
	} {
		_, err := load(map[string]string{"PORTAL_SMTP_URL": bad})
		var errs Errors
		if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Name != "PORTAL_SMTP_URL" {
			t.Errorf("%s: err = %v, want one PORTAL_SMTP_URL error", bad, err)
			continue
		}
		if !strings.Contains(errs[0].Message, want) {
			t.Errorf("%s: message %q lacks %q", bad, errs[0].Message, want)
		}
		if strings.Contains(errs[0].Message, "hunter2") {
			t.Errorf("%s: the message repeats the password: %q", bad, errs[0].Message)
		}
	}
	if _, err := load(map[string]string{"PORTAL_MAIL_FROM": "not an address"}); err == nil || !strings.Contains(err.Error(), "PORTAL_MAIL_FROM:") {
		t.Errorf("bad PORTAL_MAIL_FROM: err = %v", err)
	}
}
