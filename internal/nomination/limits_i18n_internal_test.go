package nomination

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// TestEmailLimitsInKorean: the refusals of the email limits, and the letter's word limit, read
// in Korean with their values, and in English as they always did.
func TestEmailLimitsInKorean(t *testing.T) {
	ko := i18n.For("ko")
	msgs := map[string]string{
		limitMessage(EmailsPerNomination.Kind, 12, "kim@city.example", time.Hour):       "This nomination has sent 12 emails (consent requests, letter invitations and new links together), the most it may send. If another one is really needed, contact the secretariat.",
		limitMessage(EmailsPerNominationDay.Kind, 4, "kim@city.example", 5*time.Minute): "This nomination has sent 4 emails in the last 24 hours, the most it may send in a day. You can send the next one in 5 minutes.",
		limitMessage(EmailsPerRecipientDay.Kind, 3, " kim@city.example ", 5*time.Hour):  "kim@city.example has been emailed 3 times in the last 24 hours, the most we send one address in a day, so that nobody is flooded. You can send the next one in about 5 hours.",
		limitMessage(EmailsPerAccountDay.Kind, 10, "kim@city.example", 30*time.Second):  "You have sent 10 emails through the portal in the last 24 hours, the most an account may send in a day. You can send the next one in 30 seconds.",
	}
	errs := Submission{Text: strings.Repeat("word ", MaxLetterWords+1)}.Validate(&edition.Nominations{}, false)
	msgs[errs.Get("letter_text")] = "Your letter has 2001 words; use at most 2000, or upload it as a PDF."
	for msg, english := range msgs {
		if got := i18n.English(msg); got != english {
			t.Errorf("in English %q, want %q", got, english)
		}
		k := strings.ReplaceAll(strings.ReplaceAll(ko.T(msg), "kim@city.example", ""), "PDF", "")
		if !strings.ContainsFunc(k, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) ||
			strings.ContainsFunc(k, func(r rune) bool { return r < unicode.MaxASCII && unicode.IsLetter(r) }) {
			t.Errorf("not all in Korean: %q", ko.T(msg))
		}
	}
}
