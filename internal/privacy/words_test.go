package privacy_test

import (
	"strings"
	"testing"

	"prizeportal/internal/privacy"
)

func TestErasureWords(t *testing.T) {
	items := privacy.AddressPlan{Letters: 1, Emails: 3}.Items()
	if len(items) != 2 || !strings.HasPrefix(items[0], "1 letter of recommendation") || !strings.HasPrefix(items[1], "3 emails sent to them") {
		t.Fatalf("items %q", items)
	}
	k := privacy.KeptEntry{Won: "Grand Prize", Repository: true}
	if k.Heading() != "Untitled entry" || !strings.HasPrefix(k.Reason(), "it is in the published results (Grand Prize)") ||
		!strings.Contains(k.Reason(), "; the applicant consented") || !strings.HasSuffix(k.Reason(), ".") {
		t.Fatalf("kept %q %q", k.Heading(), k.Reason())
	}
}
