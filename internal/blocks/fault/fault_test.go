package fault_test

import (
	"errors"
	"fmt"
	"testing"

	"prizeportal/internal/blocks/fault"
)

var errClosed = fault.New(fault.Conflict, "Scoring is closed.")

func TestSentinelsKeepTheirIdentityAndKind(t *testing.T) {
	err := fmt.Errorf("scoring: submit sheet 7: %w", errClosed)
	if !errors.Is(err, errClosed) {
		t.Fatal("a wrapped sentinel is not found by errors.Is")
	}
	e, ok := fault.As(err)
	if !ok || e.Kind != fault.Conflict || e.Message != "Scoring is closed." {
		t.Fatalf("As: %v %v", e, ok)
	}
	cause := errors.New("disk full")
	w := fault.Wrap(fault.Invalid, "The file could not be read.", cause)
	if !errors.Is(w, cause) || w.Error() != "The file could not be read.: disk full" {
		t.Fatalf("Wrap: %v", w)
	}
	if _, ok := fault.As(errors.New("plain")); ok {
		t.Fatal("a plain error has no kind")
	}
}

func TestRewordKeepsTheSentinelAndItsKind(t *testing.T) {
	forbidden := fault.New(fault.Forbidden, "Only the chair.")
	plain := errors.New("plain")
	cases := []struct {
		name string
		err  error
		kind fault.Kind
		msg  string
	}{
		{"a conflict gets the use case's words", fmt.Errorf("close: %w", errClosed), fault.Conflict, "The vote is already closed."},
		{"the kind stays the sentinel's", forbidden, fault.Forbidden, "The vote is already closed."},
		{"a plain sentinel becomes a conflict", plain, fault.Conflict, "The vote is already closed."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := fault.Reword(c.err, "The vote is already closed.", errClosed, forbidden, plain)
			e, ok := fault.As(got)
			if !ok || e.Kind != c.kind || e.Message != c.msg || !errors.Is(got, c.err) {
				t.Fatalf("Reword(%v) = %v (%v %v)", c.err, got, e, ok)
			}
		})
	}
	other := errors.New("disk full")
	if got := fault.Reword(other, "The vote is already closed.", errClosed); got != other {
		t.Fatalf("an error that is none of the sentinels changed: %v", got)
	}
	if fault.Reword(nil, "x", errClosed) != nil {
		t.Fatal("nil became an error")
	}
}
