package authz

import (
	"strings"
	"testing"
	"unicode"

	"prizeportal/internal/i18n"
)

// TestSeatRefusalsInKorean: every refusal of a seat reads in Korean with its names, and in
// English as Refusal says it.
func TestSeatRefusalsInKorean(t *testing.T) {
	ko := i18n.For("ko")
	head, dep, other := Actor{UserID: 1}, Actor{UserID: 2}, Actor{UserID: 3}
	clear := Seat{Post: PostChair, Category: "Leadership", HolderID: 1, HolderName: "Hana", DeputyID: 2, DeputyName: "Dora"}
	conflicted, alone, both := clear, clear, clear
	conflicted.HolderConflicted = true
	alone.Post, alone.HolderConflicted, alone.DeputyID = PostHead, true, 0
	both.HolderConflicted, both.DeputyConflicted = true, true
	cases := []struct {
		seat  Seat
		actor Actor
	}{{clear, dep}, {clear, other}, {conflicted, head}, {alone, head}, {both, head}, {both, dep}}
	for _, c := range cases {
		msg := c.seat.RefusalText(c.actor)
		if msg == "" || i18n.English(msg) != c.seat.Refusal(c.actor) {
			t.Errorf("refusal %q, in English %q", msg, c.seat.Refusal(c.actor))
		}
		k := ko.T(msg)
		rest := strings.NewReplacer("Leadership", "", "Dora", "").Replace(k)
		if !strings.ContainsFunc(k, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) ||
			strings.ContainsFunc(rest, func(r rune) bool { return r < unicode.MaxASCII && unicode.IsLetter(r) }) {
			t.Errorf("not all in Korean: %q", k)
		}
	}
}
