package edition_test

import (
	"context"
	"errors"
	"testing"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
)

const scoringBlock = `scoring:
  evaluators_per_entry: 3
  criterion_comments: optional
  country_conflicts: false
  method: mean
`

func TestScoringSettings(t *testing.T) {
	t.Parallel()
	src := string(builtin(t, "seoul-2023"))
	_, e := mustResolve(t, []byte(src))
	if want := (edition.Scoring{EvaluatorsPerEntry: 3, Method: "mean"}); e.Scoring != want {
		t.Errorf("seoul-2023 scoring = %+v, want %+v", e.Scoring, want)
	}
	// Left out: the defaults.
	_, e = mustResolve(t, []byte(edit(t, src, scoringBlock, "")))
	if e.Scoring != edition.DefaultScoring() || e.Scoring.EvaluatorsPerEntry != 3 || e.Scoring.Method != "mean" {
		t.Errorf("defaults = %+v", e.Scoring)
	}
	_, e = mustResolve(t, []byte(edit(t, src, scoringBlock, "scoring:\n  evaluators_per_entry: 2\n  criterion_comments: required\n  country_conflicts: true\n  method: zscore\n")))
	if want := (edition.Scoring{EvaluatorsPerEntry: 2, CriterionCommentsRequired: true, CountryConflicts: true, Method: "zscore"}); e.Scoring != want {
		t.Errorf("set = %+v, want %+v", e.Scoring, want)
	}
	for _, tt := range []struct{ block, path string }{
		{"scoring:\n  evaluators_per_entry: 0\n", "scoring.evaluators_per_entry"},
		{"scoring:\n  evaluators_per_entry: two\n", "scoring.evaluators_per_entry"},
		{"scoring:\n  criterion_comments: sometimes\n", "scoring.criterion_comments"},
		{"scoring:\n  country_conflicts: maybe\n", "scoring.country_conflicts"},
		{"scoring:\n  evaluators: 3\n", "scoring.evaluators"},
		{"scoring:\n  method: average\n", "scoring.method"},
		{"scoring:\n  method: [mean]\n", "scoring.method"},
	} {
		_, err := edition.Parse([]byte(edit(t, src, scoringBlock, tt.block)))
		var ve *edition.ValidationError
		if !errors.As(err, &ve) || !ve.Has(tt.path) {
			t.Errorf("%q: error %v, want a problem at %s", tt.block, err, tt.path)
		}
	}
}

func TestScoringSettingsStored(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	src := edit(t, string(builtin(t, "seoul-2023")), scoringBlock, "scoring:\n  evaluators_per_entry: 4\n  country_conflicts: true\n  method: trimmed_mean\n")
	res, err := edition.Import(ctx, pool, parse(t, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	want := edition.Scoring{EvaluatorsPerEntry: 4, CountryConflicts: true, Method: "trimmed_mean"}
	e, err := edition.ByID(ctx, pool, res.EditionID)
	if err != nil || e.Scoring != want {
		t.Fatalf("ByID scoring = %+v, %v; want %+v", e.Scoring, err, want)
	}
	if got, err := edition.ScoringOf(ctx, pool, res.EditionID); err != nil || got != want {
		t.Fatalf("ScoringOf = %+v, %v", got, err)
	}
	// An edition stored before the settings existed reads the defaults.
	dbtest.Exec(t, pool, `UPDATE editions SET scoring = '{}' WHERE id = $1`, res.EditionID)
	if got, err := edition.ScoringOf(ctx, pool, res.EditionID); err != nil || got != edition.DefaultScoring() {
		t.Fatalf("ScoringOf of '{}' = %+v, %v", got, err)
	}
}

// TestScoringMethodMessage: a method that is not one names the four, at its path and line.
func TestScoringMethodMessage(t *testing.T) {
	t.Parallel()
	_, err := edition.Parse([]byte(edit(t, string(builtin(t, "seoul-2023")), scoringBlock, "scoring:\n  method: average\n")))
	var ve *edition.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 {
		t.Fatalf("error %v, want one problem", err)
	}
	p := ve.Problems[0]
	want := `must be one of "mean", "median", "trimmed_mean" or "zscore" (the aggregation method the ranking proposes), got "average"`
	if p.Path != "scoring.method" || p.Message != want || p.Line == 0 {
		t.Errorf("problem = %+v, want %q at scoring.method with its line", p, want)
	}
}
