package authz

import (
	"errors"
	"strings"
	"testing"
)

// TestSeat: who decides for a category, and what the others are told.
func TestSeat(t *testing.T) {
	head, dep, other := Actor{UserID: 1}, Actor{UserID: 2}, Actor{UserID: 3}
	base := Seat{Post: PostChair, Category: "Leadership", HolderID: 1, HolderName: "Hana", DeputyID: 2, DeputyName: "Dora"}
	for _, c := range []struct {
		name                 string
		seat                 Seat
		decider              int64
		headSays, deputySays string
		note                 string
	}{
		{"clear", base, 1, "", "decides only where the chair of the Prize Council has a conflict", ""},
		{"conflicted", func() Seat { s := base; s.HolderConflicted = true; return s }(), 2,
			"Dora, deputy chair of the Prize Council, decides for it in your place", "",
			"Decided by Dora, deputy chair of the Prize Council, because the chair of the Prize Council, Hana, has a conflict of interest with an entry of this category."},
		{"no deputy", Seat{Post: PostHead, Category: "Leadership", HolderID: 1, HolderConflicted: true}, 0,
			"a deputy head of the Evaluation Committee must be named on the jury page", "", ""},
		{"both conflicted", func() Seat { s := base; s.HolderConflicted, s.DeputyConflicted = true, true; return s }(), 0,
			"another deputy must be named", "another deputy must be named", ""},
	} {
		s := c.seat
		if got := s.Decider(); got != c.decider {
			t.Errorf("%s: decider %d, want %d", c.name, got, c.decider)
		}
		if got := s.Refusal(head); c.headSays == "" && got != "" || !strings.Contains(got, c.headSays) {
			t.Errorf("%s: the head is told %q, want %q", c.name, got, c.headSays)
		}
		if s.DeputyID != 0 {
			if got := s.Refusal(dep); c.deputySays == "" && got != "" || !strings.Contains(got, c.deputySays) {
				t.Errorf("%s: the deputy is told %q, want %q", c.name, got, c.deputySays)
			}
		}
		if err := s.MayDecide(other); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s: another member may decide: %v", c.name, err)
		}
		if got := s.Note(s.Decider()); got != c.note {
			t.Errorf("%s: note %q, want %q", c.name, got, c.note)
		}
	}
}
