package application

import (
	"testing"
	"time"

	"prizeportal/internal/notify/wording/wordingtest"
)

// TestExtensionDefaultWording holds the registry's defaults to the extension emails as built:
// an extension granted, and withdrawn.
func TestExtensionDefaultWording(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	x := NewExtensions(nil, nil, site, nil)
	a := StaffRow{ID: 9, UserID: 3, Applicant: "Min-jun Kim", Email: "kim@example.org"}
	until := ed.Schedule.ApplicationDeadline.Add(72 * time.Hour)
	wordingtest.MatchesDefault(t, x.extensionEmail(ed, a, &until), ed.ID, site.Meta(ed).TextFooter())
	m := x.extensionEmail(ed, a, nil)
	if m.Kind != "application-extension" || m.Wording.Key != "application-extension-withdrawn" {
		t.Fatalf("kind %q, key %q", m.Kind, m.Wording.Key)
	}
	wordingtest.MatchesDefault(t, m, ed.ID, site.Meta(ed).TextFooter())
}
