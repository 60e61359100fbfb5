// Package wordingtest holds the registry's default wording to the messages as the code builds
// them.
package wordingtest

import (
	"regexp"
	"slices"
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

// ValuesTranslated fails t unless every value of m is the portal's words carried for the
// recipient's language (DOMAIN.md: emails go in the recipient's language), or one of data (names,
// titles, edition texts) or a link: a pseudo-locale reader sees each value between the catalogs'
// marks, and a Korean reader sees no English word in it but those of data, links and time zones.
func ValuesTranslated(t testing.TB, m notify.Message, data ...string) {
	t.Helper()
	if m.Wording == nil {
		t.Fatalf("%s: no wording", m.Kind)
	}
	i18n.EnablePseudo()
	pseudo, ko := i18n.For(i18n.Pseudo), i18n.For("ko")
	for p, v := range m.Wording.Values {
		if v == "" || isData(v, data) {
			continue
		}
		if s := pseudo.T(v); !strings.HasPrefix(s, i18n.PseudoOpen) {
			t.Errorf("%s: the value of %s is not from the catalogs: %q", m.Kind, p, s)
		}
		rest := ko.T(v)
		for _, d := range data {
			rest = strings.ReplaceAll(rest, d, " ")
		}
		if w := english.FindString(allowed.ReplaceAllString(rest, " ")); w != "" {
			t.Errorf("%s: English %q left in the Korean value of %s: %q", m.Kind, w, p, ko.T(v))
		}
	}
}

// isData reports whether v is one of data or a link.
func isData(v string, data []string) bool {
	return slices.Contains(data, v) || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://")
}

var (
	english = regexp.MustCompile(`[A-Za-z]{2,}`)
	// allowed are the Latin letters a Korean text may hold: a time zone's name or abbreviation,
	// units (MB), an email address or a link
	allowed = regexp.MustCompile(`https?://\S+|\S+@\S+|[A-Za-z_]+/[A-Za-z_]+|\b[A-Z]{2,5}\b`)
)
