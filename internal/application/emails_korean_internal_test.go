package application

import (
	"testing"
	"time"

	"prizeportal/internal/notify/wording/wordingtest"
)

// TestExtensionValuesTranslated: the extension emails' deadline, with its zone, reaches a Korean
// reader in Korean.
func TestExtensionValuesTranslated(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	x := NewExtensions(nil, nil, site, nil)
	a := StaffRow{ID: 9, UserID: 3, Applicant: "Min-jun Kim", Email: "kim@example.org"}
	until := ed.Schedule.ApplicationDeadline.Add(72 * time.Hour)
	wordingtest.ValuesTranslated(t, x.extensionEmail(ed, a, &until), "Min-jun Kim", ed.Name)
	wordingtest.ValuesTranslated(t, x.extensionEmail(ed, a, nil), "Min-jun Kim", ed.Name)
}
