package emails

import (
	"strings"
	"testing"

	"prizeportal/internal/i18n"
	"prizeportal/internal/notify/wording"
)

// TestReceiptDefaultWording holds the registry's default receipt to the receipt as built: its
// body, filled with the receipt's values, is the text part's content.
func TestReceiptDefaultWording(t *testing.T) {
	m := Meta{PrizeName: "Seoul Smart City Prize 2023", EditionName: "Seoul Smart City Prize 2023", BaseURL: "https://prize.example"}
	for _, version := range []int{1, 2} {
		v := ReceiptEmail{Meta: m, Greeting: "Dear Min-jun Kim,", Prize: m.EditionName, Category: "Tech-InnovaCity",
			Project: "Seoul Talk", SubmittedAt: "1 March 2026, 18:00 KST", Version: version,
			Deadline: "30 April 2026, 18:00 KST (Asia/Seoul time)", URL: "https://prize.example/application"}
		e, _ := wording.Lookup("application-receipt")
		values := v.Values("Min-jun Kim")
		for k, s := range values { // the submission's number is a catalog text, shown in English here
			values[k] = i18n.English(s)
		}
		want := m.prizeName() + "\n\nYour application was received\n\n" + wording.Fill(e.Body, values) + m.TextFooter()
		if got := ReceiptText(v); got != want {
			t.Errorf("version %d: text\n%q\nregistry\n%q", version, got, want)
		}
		if s := wording.FillLine(e.Subject, values); s != "Your application to the Seoul Smart City Prize 2023 was received" {
			t.Errorf("subject %q", s)
		}
	}
}

func TestWordedText(t *testing.T) {
	m := Meta{PrizeName: "P", BaseURL: "https://p.example"}
	if got := WordedText(m, "S", "\nBody\n"); !strings.HasPrefix(got, "P\n\nS\n\nBody\n\n-- \n") {
		t.Fatalf("WordedText = %q", got)
	}
}
