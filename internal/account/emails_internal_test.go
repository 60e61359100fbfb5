package account

import (
	"strings"
	"testing"

	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// TestDefaultWording holds the registry's defaults to the account emails as built: the subject
// is the default subject filled, the text part ends with the default body filled and the footer.
func TestDefaultWording(t *testing.T) {
	site := emails.Site{BaseURL: "https://prize.example"}
	ed := &edition.Edition{ID: 7, Name: "Seoul Smart City Prize 2023"}
	u := User{ID: 3, Name: "Min-jun Kim", Email: "kim@example.org", LoginID: "minjun"}
	for _, m := range []notify.Message{
		verifyEmail(site, ed, u.Name, u.Email, "https://prize.example/verify/t", u.ID),
		resetEmail(site, ed, u, "https://prize.example/password/reset/t"),
		registeredAgainEmail(site, ed, u),
	} {
		e, ok := wording.Lookup(m.Kind)
		if !ok || m.Wording == nil || m.Wording.EditionID != ed.ID {
			t.Fatalf("%s: registered %v, wording %+v", m.Kind, ok, m.Wording)
		}
		if s := wording.FillLine(e.Subject, m.Wording.Values); s != m.Subject {
			t.Errorf("%s: subject %q, registry %q", m.Kind, m.Subject, s)
		}
		body := "\n\n" + wording.Fill(e.Body, m.Wording.Values) + site.Meta(ed).TextFooter()
		if !strings.HasSuffix(m.Text, body) {
			t.Errorf("%s: text\n%q\nregistry body\n%q", m.Kind, m.Text, body)
		}
	}
	if m := verifyEmail(site, nil, u.Name, u.Email, "https://prize.example/verify/t", u.ID); m.Wording != nil {
		t.Error("an email about no edition takes an edition's wording")
	}
}
