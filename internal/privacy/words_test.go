package privacy_test

import (
	"strings"
	"testing"

	"prizeportal/internal/i18n"
	"prizeportal/internal/privacy"
)

func TestErasureWords(t *testing.T) {
	items := privacy.AddressPlan{Letters: 1, Emails: 3}.Items()
	for i := range items {
		items[i] = i18n.English(items[i])
	}
	if len(items) != 2 || !strings.HasPrefix(items[0], "1 letter of recommendation") || !strings.HasPrefix(items[1], "3 emails sent to them") {
		t.Fatalf("items %q", items)
	}
	k := privacy.KeptEntry{Won: "Grand Prize", Repository: true}
	heading, reason := i18n.English(k.Heading()), i18n.English(k.Reason())
	if heading != "Untitled entry" || !strings.HasPrefix(reason, "it is in the published results (Grand Prize)") ||
		!strings.Contains(reason, "; the applicant consented") || !strings.HasSuffix(reason, ".") {
		t.Fatalf("kept %q %q", heading, reason)
	}
}
