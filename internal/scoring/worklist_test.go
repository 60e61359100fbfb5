package scoring_test

import (
	"testing"

	"prizeportal/internal/scoring"
)

// TestWorklistNext: the next entry to score is the first one whose sheet is not submitted.
func TestWorklistNext(t *testing.T) {
	t.Parallel()
	w := scoring.Worklist{Entries: []scoring.Entry{{ID: 1, Status: scoring.Submitted}, {ID: 2, Status: scoring.Draft}, {ID: 3}}}
	if n := w.Next(); n == nil || n.ID != 2 || w.Done() != 1 {
		t.Fatalf("next %+v, done %d", n, w.Done())
	}
	w.Entries[1].Status = scoring.Submitted
	w.Entries = w.Entries[:2]
	if w.Next() != nil || w.Done() != 2 {
		t.Fatalf("all submitted: next %+v", w.Next())
	}
}
