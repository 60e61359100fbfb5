package analytics_test

import (
	"context"
	"math"
	"testing"

	"prizeportal/internal/analytics"
)

// TestLoadProfileSets: Load reads the edition's questions with the data; the profile sets give
// each confirmed semi-finalist's means per criterion (NaN for none) and the mean of the
// semi-finalists per criterion, computed in SQL; H1's list is not confirmed.
func TestLoadProfileSets(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.closeRound(t)
	d, err := analytics.Load(context.Background(), w.pool, w.council, w.ed)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.ChoiceQs) != len(analytics.ChoiceQuestions(w.ed)) || len(d.NumberQs) != len(analytics.NumericQuestions(w.ed)) || len(d.Tallies()) != len(d.ChoiceQs) {
		t.Fatalf("questions %d %d", len(d.ChoiceQs), len(d.NumberQs))
	}
	sets, unconfirmed := d.ProfileSets(w.ed)
	if len(sets) != 1 || sets[0].Category.ID != w.tech || len(unconfirmed) != len(w.ed.Categories)-1 {
		t.Fatalf("sets %d, unconfirmed %v", len(sets), unconfirmed)
	}
	ps := sets[0]
	if len(ps.Entries) != 3 || len(ps.Values) != 3 || len(ps.Axes) != len(ps.Category.Criteria) {
		t.Fatalf("set %+v", ps)
	}
	for j, cr := range ps.Category.Criteria {
		t1 := 4.0
		if cr.ID == w.relev {
			t1 = 4.25
		}
		if !same(ps.Values[0][j], t1) || !same(ps.Values[1][j], 2) || !math.IsNaN(ps.Values[2][j]) || !same(ps.Mean[j], (t1+2)/2) {
			t.Errorf("%s: %v %v %v, mean %v", cr.Key, ps.Values[0][j], ps.Values[1][j], ps.Values[2][j], ps.Mean[j])
		}
	}
}
