// Package wordingtest holds the registry's default wording to the messages as the code builds
// them.
package wordingtest

import (
	"strings"
	"testing"

	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// MatchesDefault fails t unless m offers its wording for edition editionID and the registry's
// default of its email, filled with m's values, is m as built: the same subject, and a text part
// that ends with the default body and footer (the default text part's closing).
func MatchesDefault(t testing.TB, m notify.Message, editionID int64, footer string) {
	t.Helper()
	if m.Wording == nil || m.Wording.EditionID != editionID {
		t.Fatalf("%s: wording %+v, want one for edition %d", m.Kind, m.Wording, editionID)
	}
	e, ok := wording.Lookup(m.Wording.Key)
	if !ok {
		t.Fatalf("%s: %q is not in the registry", m.Kind, m.Wording.Key)
	}
	for p := range m.Wording.Values {
		if !strings.Contains(e.Subject+e.Body, "{{"+string(p)+"}}") {
			t.Errorf("%s: the value of %s is offered but the default does not use it", e.Key, p)
		}
	}
	// values and subject may be catalog texts or times (package i18n): compared in English
	values := make(wording.Values, len(m.Wording.Values))
	for k, v := range m.Wording.Values {
		values[k] = i18n.English(v)
	}
	if s := wording.FillLine(e.Subject, values); s != i18n.English(m.Subject) {
		t.Errorf("%s: subject %q, registry %q", e.Key, i18n.English(m.Subject), s)
	}
	if body := "\n\n" + wording.Fill(e.Body, values) + footer; !strings.HasSuffix(m.Text, body) {
		t.Errorf("%s: text\n%q\ndoes not end with the registry's body\n%q", e.Key, m.Text, body)
	}
}

// Edition is what a test of an email's default wording builds its messages with: the built-in
// edition seoul-2023 as resolved, with id 5, and the portal's site at https://prize.example.
func Edition(t testing.TB) (*edition.Edition, emails.Site) {
	t.Helper()
	ed := editiontest.Resolved(t, "seoul-2023")
	ed.ID = 5
	return ed, emails.Site{BaseURL: "https://prize.example"}
}
