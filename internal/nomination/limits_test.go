package nomination_test

import (
	"strings"
	"testing"

	"prizeportal/internal/nomination"
)

// TestInvitationTextPlain: names that go into emails to other people may not carry web or
// email addresses; ordinary names with dots and abbreviations pass.
func TestInvitationTextPlain(t *testing.T) {
	t.Parallel()
	n := &nomination.Nomination{Details: nomination.Details{CandidateEmail: "kim@city.example"}}
	for _, name := range []string{"Park Won-soon", "Dr. J.R.R. Tolkien, Ph.D.", "U.S. Conference of Mayors", "St. Louis", "김철수"} {
		inv := nomination.Invitation{Name: name, Email: "r@wego.example", Organisation: "WeGO"}
		if errs := inv.Validate(n); errs.Any() {
			t.Errorf("%q refused: %v", name, errs)
		}
	}
	for _, name := range []string{"See https://evil.example", "www.prize-claim", "Win at prize.example now", "Reply to a@b.example",
		"Amazon.com", strings.Repeat("x", nomination.MaxSenderText+1)} {
		inv := nomination.Invitation{Name: name, Email: "r@wego.example", Organisation: "WeGO"}
		if errs := inv.Validate(n); errs.Get("name") == "" {
			t.Errorf("%q accepted", name)
		}
	}
}
