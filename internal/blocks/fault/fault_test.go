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
