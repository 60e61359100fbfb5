package notifytest

import (
	"strings"
	"testing"
)

func TestParseNestedBase64AndQuotedPrintable(t *testing.T) {
	raw := strings.ReplaceAll(`From: =?UTF-8?q?S=C3=A9oul_Prize?= <no-reply@example.org>
To: ada@example.org
Subject: =?UTF-8?b?Q2/DtHQ=?=
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

Caf=C3=A9 https://example.org/verify/a=3Db
--inner
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: base64

PHA+Q2Fmw6k8
L3A+
--inner--
--outer--
`, "\n", "\r\n")
	m, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if m.From != "Séoul Prize <no-reply@example.org>" || m.Subject != "Coôt" {
		t.Errorf("From %q, Subject %q", m.From, m.Subject)
	}
	if strings.TrimSpace(m.Text) != "Café https://example.org/verify/a=b" {
		t.Errorf("Text = %q", m.Text)
	}
	if m.HTML != "<p>Café</p>" {
		t.Errorf("HTML = %q", m.HTML)
	}
	if FirstLink(m.Text, "/verify/") != "https://example.org/verify/a=b" {
		t.Errorf("FirstLink = %q", FirstLink(m.Text, "/verify/"))
	}
}

func TestParseAttachment(t *testing.T) {
	raw := strings.ReplaceAll(`From: no-reply@example.org
Subject: Receipt
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain; charset=UTF-8

See the copy attached.
--outer
Content-Type: application/pdf; name="copy.pdf"
Content-Disposition: attachment; filename="copy.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--outer--
`, "\n", "\r\n")
	m, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(m.Text) != "See the copy attached." {
		t.Errorf("Text = %q", m.Text)
	}
	if len(m.Attachments) != 1 {
		t.Fatalf("Attachments = %+v, want one", m.Attachments)
	}
	a := m.Attachments[0]
	if a.Name != "copy.pdf" || a.ContentType != "application/pdf" || string(a.Data) != "%PDF-1.4\n" {
		t.Errorf("attachment %q %q %q", a.Name, a.ContentType, a.Data)
	}
}
