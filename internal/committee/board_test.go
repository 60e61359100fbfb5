package committee_test

import (
	"testing"

	"prizeportal/internal/committee"
)

// TestBoardRules: an entry is short while it has fewer evaluators than the edition asks; an
// untitled entry and a nameless member are labelled.
func TestBoardRules(t *testing.T) {
	t.Parallel()
	b := committee.Board{Coverage: []committee.EntryCoverage{
		{ApplicationID: 7, Need: 2, Evaluators: []committee.AssignedEvaluator{{Name: "A"}}},
		{ApplicationID: 8, Title: "Smart bins", Need: 1, Evaluators: []committee.AssignedEvaluator{{Name: "A"}}},
	}}
	if b.Short() != 1 || b.Coverage[0].Label() != "Entry 7" || b.Coverage[1].Label() != "Smart bins" {
		t.Fatalf("short %d, labels %q %q", b.Short(), b.Coverage[0].Label(), b.Coverage[1].Label())
	}
	if l := (committee.EvaluatorLoad{Email: "x@example.org"}); l.Label() != "x@example.org" {
		t.Fatalf("label %q", l.Label())
	}
	if committee.RoleLabel(true) != "Committee head" || committee.RoleLabel(false) != "Evaluator" {
		t.Fatal("role labels")
	}
}
