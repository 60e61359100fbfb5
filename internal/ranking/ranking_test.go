package ranking_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/ranking"
	rt "prizeportal/internal/ranking/rankingtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var now = time.Date(2023, 7, 12, 10, 0, 0, 0, time.UTC)

func setup(t *testing.T) (*pgxpool.Pool, *edition.Edition) {
	t.Helper()
	return editiontest.Seoul2023(t)
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-6 {
		t.Errorf("%s = %.7f, want %.7f", what, got, want)
	}
}

// setupWithEvaluator is setup with the tech-innovacity category and an evaluator "ev".
func setupWithEvaluator(t *testing.T) (*pgxpool.Pool, *edition.Edition, *edition.Category, int64) {
	t.Helper()
	pool, ed := setup(t)
	tech, _ := ed.Category("tech-innovacity")
	return pool, ed, tech, rt.Evaluator(t, pool, ed.ID, "ev", "evaluator")
}

// tiedAtTheCut enters seven tech-innovacity entries T1 to T7 with one submitted sheet each by
// evaluator ev, scored 5 5 4 4 3 3 2: ranks 1 1 3 3 5 5 7, the 5th and 6th tied at the cut of
// five.
func tiedAtTheCut(t *testing.T, pool *pgxpool.Pool, ed *edition.Edition, ev int64) []int64 {
	t.Helper()
	var ids []int64
	for i, score := range []int{5, 5, 4, 4, 3, 3, 2} {
		id := rt.Entry(t, pool, ed.ID, "tech-innovacity", "t"+string(rune('1'+i)), "T"+string(rune('1'+i)))
		rt.Sheet(t, pool, id, ev, rt.All(score), true)
		ids = append(ids, id)
	}
	return ids
}

func compute(t *testing.T, pool *pgxpool.Pool, ed *edition.Edition, cat string) *ranking.Category {
	t.Helper()
	res, err := ranking.Compute(context.Background(), pool, ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := ed.Category(cat)
	rc := res.Category(c.ID)
	if rc == nil {
		t.Fatalf("no category %s in the result", cat)
	}
	return rc
}

func inTx(t *testing.T, pool *pgxpool.Pool, fn func(tx pgx.Tx) error) error {
	t.Helper()
	return db.InTx(context.Background(), pool, fn)
}

// TestWeightedSheetScore checks the sheet score: criterion score = mean of its indicators,
// sheet score = Σ(weight × criterion score) / Σ weight.
func TestWeightedSheetScore(t *testing.T) {
	t.Parallel()
	pool, ed := setup(t)
	hc, _ := ed.Category("human-centricity")
	// Relevance to the Theme weighs 2, the other four criteria 1: Σ weight = 6.
	dbtest.Exec(t, pool, `UPDATE criteria SET weight = 2 WHERE category_id = $1 AND key = 'relevance-to-the-theme'`, hc.ID)
	app := rt.Entry(t, pool, ed.ID, "human-centricity", "hc1", "Weighted")
	v := rt.Evaluator(t, pool, ed.ID, "v", "evaluator")
	rt.Sheet(t, pool, app, v, rt.Scores{
		"relevance-to-the-theme":     {5, 4, 3},    // mean 4
		"aim-of-efficiency":          {2, 2, 5},    // mean 3
		"governance":                 {3},          // 3 (five indicators)
		"multidisciplinary-teamwork": {4},          // 4
		"data-security-and-ethics":   {1, 2, 3, 4}, // mean 2.5
	}, true)
	c := compute(t, pool, ed, "human-centricity")
	if len(c.Entries) != 1 {
		t.Fatalf("entries = %d, want 1", len(c.Entries))
	}
	e := c.Entries[0]
	// (2×4 + 3 + 3 + 4 + 2.5) / 6 = 20.5 / 6 = 3.4166667; one sheet: every mean is the sheet.
	want := 20.5 / 6
	near(t, "mean", e.By[ranking.Mean].Value, want)
	near(t, "median", e.By[ranking.Median].Value, want)
	near(t, "trimmed mean", e.By[ranking.TrimmedMean].Value, want)
	// one sheet: the evaluator's std dev is 0, so z = 0, shown as the scale's middle (1+5)/2 = 3.
	near(t, "z-score", e.By[ranking.ZScore].Value, 3)
	near(t, "disagreement", e.Disagreement, 0)
	if e.Title != "Weighted" || e.Organisation != "Org hc1" || e.Country != "KR" {
		t.Errorf("entry = %+v", e)
	}
}

// TestMethods checks every method on a small fixture, by hand:
//
//	sheet scores (every indicator of a sheet the same score, so the sheet score is that score)
//	          V1  V2  V3  V4
//	   P       5   4   1   4
//	   Q       3   3   .   .     (+ a DRAFT sheet of V3 scoring 5: ignored)
//	   R       2   5   2   .
//	   X       1   .   .   .     (X is ineligible in round 1: not a round-2 entry, ignored)
//
// mean:      P 14/4 = 3.5; Q 6/2 = 3; R 9/3 = 3                 → ranks P 1, Q 2, R 2
// median:    P (4+4)/2 = 4; Q 3; R 2                            → ranks P 1, Q 2, R 3
// trimmed:   P drop 5 and 1: (4+4)/2 = 4; Q n=2 → mean 3;
//
//	R drop 5 and one 2: 2                               → ranks P 1, Q 2, R 3
//
// evaluators (population std dev):
//
//	V1: 5,3,2 mean 10/3, var (25/9+1/9+16/9)/3 = 14/9, sd √14/3 = 1.2472191
//	V2: 4,3,5 mean 4, sd √(2/3) = 0.8164966
//	V3: 1,2   mean 1.5, sd 0.5
//	V4: 4     mean 4, sd 0 → z 0
//	category mean 29/9 = 3.2222222; leniency V1 +0.1111111, V2 +0.7777778, V3 −1.7222222, V4 +0.7777778
//
// z:         P: V1 (5−10/3)/(√14/3) = 5/√14 = 1.3363062; V2 0; V3 (1−1.5)/0.5 = −1; V4 0
//
//	   → mean 0.3363062/4 = 0.0840766
//	Q: V1 −1/√14 = −0.2672612; V2 −1/0.8164966 = −1.2247449 → mean −0.7460030
//	R: V1 −4/√14 = −1.0690450; V2 +1.2247449; V3 +1 → mean 1.1556999/3 = 0.3852333
//	ranks R 1, P 2, Q 3; shown as 3 + z × (5−1)/6: P 3.0560510, Q 2.5026646, R 3.2568222
//
// disagreement (population std dev of the sheet scores): P devs 1.5, .5, −2.5, .5 → √(9/4) = 1.5;
// Q 0; R devs −1, 2, −1 → √2 = 1.4142136. Range: P 4, Q 0, R 3.
func TestMethods(t *testing.T) {
	t.Parallel()
	pool, ed := setup(t)
	p := rt.Entry(t, pool, ed.ID, "tech-innovacity", "p", "P")
	q := rt.Entry(t, pool, ed.ID, "tech-innovacity", "q", "Q")
	r := rt.Entry(t, pool, ed.ID, "tech-innovacity", "r", "R")
	x := rt.Entry(t, pool, ed.ID, "tech-innovacity", "x", "X")
	dbtest.Exec(t, pool, `UPDATE screening_decisions SET decision = 'ineligible', reason_key = 'other' WHERE application_id = $1`, x)
	v1 := rt.Evaluator(t, pool, ed.ID, "v1", "evaluator")
	v2 := rt.Evaluator(t, pool, ed.ID, "v2", "evaluator")
	v3 := rt.Evaluator(t, pool, ed.ID, "v3", "evaluator")
	v4 := rt.Evaluator(t, pool, ed.ID, "v4", "committee_head")
	for _, s := range []struct {
		app, ev int64
		score   int
		done    bool
	}{
		{p, v1, 5, true}, {p, v2, 4, true}, {p, v3, 1, true}, {p, v4, 4, true},
		{q, v1, 3, true}, {q, v2, 3, true}, {q, v3, 5, false},
		{r, v1, 2, true}, {r, v2, 5, true}, {r, v3, 2, true},
		{x, v1, 1, true},
	} {
		rt.Sheet(t, pool, s.app, s.ev, rt.All(s.score), s.done)
	}
	c := compute(t, pool, ed, "tech-innovacity")
	if len(c.Entries) != 3 {
		t.Fatalf("entries = %d, want 3 (P, Q, R)", len(c.Entries))
	}
	want := map[int64]struct {
		mean, median, trimmed, meanZ, z float64
		ranks                           [4]int
		sheets                          int
		sd, rng                         float64
	}{
		p: {3.5, 4, 4, 0.0840766, 3.0560510, [4]int{1, 1, 1, 2}, 4, 1.5, 4},
		q: {3, 3, 3, -0.7460030, 2.5026646, [4]int{2, 2, 2, 3}, 2, 0, 0},
		r: {3, 2, 2, 0.3852333, 3.2568222, [4]int{2, 3, 3, 1}, 3, math.Sqrt2, 3},
	}
	names := map[int64]string{p: "P", q: "Q", r: "R"}
	for id, w := range want {
		e := c.Entry(id)
		if e == nil {
			t.Fatalf("entry %s missing", names[id])
		}
		n := names[id] + " "
		near(t, n+"mean", e.By[ranking.Mean].Value, w.mean)
		near(t, n+"median", e.By[ranking.Median].Value, w.median)
		near(t, n+"trimmed mean", e.By[ranking.TrimmedMean].Value, w.trimmed)
		near(t, n+"mean z", e.MeanZ, w.meanZ)
		near(t, n+"z rescaled", e.By[ranking.ZScore].Value, w.z)
		near(t, n+"disagreement", e.Disagreement, w.sd)
		near(t, n+"range", e.Range, w.rng)
		for i, m := range ranking.Methods {
			if e.By[m].Rank != w.ranks[i] {
				t.Errorf("%s rank under %s = %d, want %d", n, m, e.By[m].Rank, w.ranks[i])
			}
		}
		if e.Sheets != w.sheets {
			t.Errorf("%s sheets = %d, want %d", n, e.Sheets, w.sheets)
		}
	}
	// the default method orders the entries: P (1), then Q and R (2) by title
	var order []string
	for _, e := range c.Entries {
		order = append(order, e.Title)
	}
	if !slices.Equal(order, []string{"P", "Q", "R"}) {
		t.Errorf("order = %v", order)
	}
	near(t, "category mean", c.Mean, 29.0/9)
	wantEv := []struct {
		id                     int64
		sheets                 int
		mean, leniency, spread float64
	}{
		// by leniency, most lenient first; V2 and V4 tie and go by name
		{v2, 3, 4, 4 - 29.0/9, math.Sqrt(2.0 / 3)},
		{v4, 1, 4, 4 - 29.0/9, 0},
		{v1, 3, 10.0 / 3, 10.0/3 - 29.0/9, math.Sqrt(14) / 3},
		{v3, 2, 1.5, 1.5 - 29.0/9, 0.5},
	}
	if len(c.Evaluators) != len(wantEv) {
		t.Fatalf("evaluators = %+v", c.Evaluators)
	}
	for i, w := range wantEv {
		got := c.Evaluators[i]
		if got.ID != w.id || got.Sheets != w.sheets {
			t.Errorf("evaluator %d = %+v, want id %d with %d sheets", i, got, w.id, w.sheets)
		}
		near(t, "evaluator mean", got.Mean, w.mean)
		near(t, "leniency", got.Leniency, w.leniency)
		near(t, "spread", got.Spread, w.spread)
	}
	// three entries, five seats: every method has them all, nothing moves, no tie
	if c.Tie != nil {
		t.Errorf("tie = %+v", c.Tie)
	}
	for _, s := range c.Sensitivity {
		if len(s.Enter)+len(s.Leave) != 0 {
			t.Errorf("shift under %s = %+v", s.Method, s)
		}
	}
}

// TestZScoreChangesTopFive: one lenient and one harsh evaluator. L scores A..D, H scores E..G,
// one sheet each, so mean = median = trimmed mean = the sheet score.
//
//	raw:  A 5, B 4, C 4, D 3 (L)   E 3, F 2, G 1 (H)
//	      ranks A 1, B 2, C 2, D 4, E 4, F 6, G 7 → top five A B C D E
//	L: mean 4, sd √((1+0+0+1)/4) = √0.5 = 0.7071068 → z A +1.4142136, B 0, C 0, D −1.4142136
//	H: mean 2, sd √((1+0+1)/3) = 0.8164966          → z E +1.2247449, F 0, G −1.2247449
//	z ranks A 1, E 2, B C F 3, G 6, D 7 → top five A E B C F
//
// so under the z-score F enters and D leaves; median and trimmed mean change nothing. Shown on the
// scale 1–5: 3 + z × 4/6: A 3.9428090, E 3.8164966, B C F 3, G 2.1835034, D 2.0571910.
// Leniency: category mean 22/7; L 4 − 22/7 = +0.8571429, H 2 − 22/7 = −1.1428571.
func TestZScoreChangesTopFive(t *testing.T) {
	t.Parallel()
	pool, ed := setup(t)
	ctx := context.Background()
	lenient := rt.Evaluator(t, pool, ed.ID, "lenient", "evaluator")
	harsh := rt.Evaluator(t, pool, ed.ID, "harsh", "evaluator")
	ids := map[string]int64{}
	for _, s := range []struct {
		name  string
		ev    int64
		score int
	}{{"A", lenient, 5}, {"B", lenient, 4}, {"C", lenient, 4}, {"D", lenient, 3}, {"E", harsh, 3}, {"F", harsh, 2}, {"G", harsh, 1}} {
		ids[s.name] = rt.Entry(t, pool, ed.ID, "tech-innovacity", "e"+s.name, s.name)
		rt.Sheet(t, pool, ids[s.name], s.ev, rt.All(s.score), true)
	}
	name := map[int64]string{}
	for k, v := range ids {
		name[v] = k
	}
	names := func(list []int64) []string {
		out := []string{}
		for _, id := range list {
			out = append(out, name[id])
		}
		slices.Sort(out)
		return out
	}

	c := compute(t, pool, ed, "tech-innovacity")
	if got := names(c.Top(ranking.Mean)); !slices.Equal(got, []string{"A", "B", "C", "D", "E"}) {
		t.Errorf("top five by mean = %v", got)
	}
	if got := names(c.Top(ranking.ZScore)); !slices.Equal(got, []string{"A", "B", "C", "E", "F"}) {
		t.Errorf("top five by z-score = %v", got)
	}
	for n, want := range map[string]float64{"A": 3.9428090, "E": 3.8164966, "B": 3, "C": 3, "F": 3, "G": 2.1835034, "D": 2.0571910} {
		near(t, n+" z rescaled", c.Entry(ids[n]).By[ranking.ZScore].Value, want)
	}
	for n, want := range map[string]int{"A": 1, "E": 2, "B": 3, "C": 3, "F": 3, "G": 6, "D": 7} {
		if got := c.Entry(ids[n]).By[ranking.ZScore].Rank; got != want {
			t.Errorf("%s z rank = %d, want %d", n, got, want)
		}
	}
	if c.Tie != nil {
		t.Errorf("tie by mean = %+v, want none (D and E share rank 4, F is 6th)", c.Tie)
	}
	check := func(c *ranking.Category, want map[ranking.Method][2][]string) {
		t.Helper()
		if len(c.Sensitivity) != 3 {
			t.Fatalf("sensitivity = %+v", c.Sensitivity)
		}
		for _, s := range c.Sensitivity {
			w := want[s.Method]
			if got := names(s.Enter); !slices.Equal(got, w[0]) {
				t.Errorf("under %s entering = %v, want %v", s.Method, got, w[0])
			}
			if got := names(s.Leave); !slices.Equal(got, w[1]) {
				t.Errorf("under %s leaving = %v, want %v", s.Method, got, w[1])
			}
		}
	}
	none := [2][]string{{}, {}}
	check(c, map[ranking.Method][2][]string{ranking.Median: none, ranking.TrimmedMean: none, ranking.ZScore: {{"F"}, {"D"}}})
	for _, ev := range c.Evaluators {
		switch ev.ID {
		case lenient:
			near(t, "lenient leniency", ev.Leniency, 4-22.0/7)
			near(t, "lenient spread", ev.Spread, math.Sqrt(0.5))
		case harsh:
			near(t, "harsh leniency", ev.Leniency, 2-22.0/7)
			near(t, "harsh spread", ev.Spread, math.Sqrt(2.0/3))
		}
	}

	// The head chooses the z-score: the order follows it, and the other methods would now
	// bring D in and take F out.
	head := rt.Evaluator(t, pool, ed.ID, "head", "committee_head")
	if err := inTx(t, pool, func(tx pgx.Tx) error {
		_, err := ranking.SetMethod(ctx, tx, ed.ID, ranking.ZScore, head, now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	c = compute(t, pool, ed, "tech-innovacity")
	var order []string
	for _, e := range c.Entries {
		order = append(order, e.Title)
	}
	if !slices.Equal(order, []string{"A", "E", "B", "C", "F", "G", "D"}) {
		t.Errorf("order by z-score = %v", order)
	}
	back := [2][]string{{"D"}, {"F"}}
	check(c, map[ranking.Method][2][]string{ranking.Mean: back, ranking.Median: back, ranking.TrimmedMean: back})
}

// TestTieAtTheCut: seven entries, one sheet each: T1 5, T2 5, T3 4, T4 4, T5 3, T6 3, T7 2.
// Ranks 1 1 3 3 5 5 7: the 5th and 6th share rank 5 at the cut of five: one seat for two.
func TestTieAtTheCut(t *testing.T) {
	t.Parallel()
	pool, ed, tech, ev := setupWithEvaluator(t)
	ctx := context.Background()
	head := rt.Evaluator(t, pool, ed.ID, "head", "committee_head")
	ids := tiedAtTheCut(t, pool, ed, ev)
	c := compute(t, pool, ed, "tech-innovacity")
	if c.Tie == nil || c.Tie.Rank != 5 || c.Tie.Seats != 1 || !slices.Equal(c.Tie.Entries, []int64{ids[4], ids[5]}) {
		t.Fatalf("tie = %+v, want rank 5, one seat, T5 and T6", c.Tie)
	}
	near(t, "tie value", c.Tie.Value, 3)

	tx := func(fn func(tx pgx.Tx) error) error { return inTx(t, pool, fn) }
	// the round is open: nothing can be proposed, and it cannot close before a method is chosen
	if err := tx(func(tx pgx.Tx) error { _, _, err := ranking.Propose(ctx, tx, ed.ID, head, now); return err }); !errors.Is(err, ranking.ErrOpen) {
		t.Fatalf("propose while open: %v", err)
	}
	if err := tx(func(tx pgx.Tx) error { _, err := ranking.Close(ctx, tx, ed.ID, head, now); return err }); !errors.Is(err, ranking.ErrMethodUnset) {
		t.Fatalf("close without a method: %v", err)
	}
	if err := tx(func(tx pgx.Tx) error {
		if _, err := ranking.SetMethod(ctx, tx, ed.ID, ranking.Mean, head, now); err != nil {
			return err
		}
		_, err := ranking.Close(ctx, tx, ed.ID, head, now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := tx(func(tx pgx.Tx) error {
		_, err := ranking.SetMethod(ctx, tx, ed.ID, ranking.Median, head, now)
		return err
	}); !errors.Is(err, ranking.ErrClosed) {
		t.Fatalf("method after closing: %v", err)
	}
	if o, err := ranking.Outcome(ctx, pool, ids[0]); err != nil || o != nil {
		t.Fatalf("outcome before confirmation = %v, %v; want unknown", o, err)
	}

	var proposed int
	if err := tx(func(tx pgx.Tx) error {
		var err error
		_, proposed, err = ranking.Propose(ctx, tx, ed.ID, head, now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if proposed != 4 {
		t.Errorf("proposed = %d, want 4 (T1–T4; T5 and T6 await the head)", proposed)
	}
	confirm := func() error {
		return tx(func(tx pgx.Tx) error { _, err := ranking.Confirm(ctx, tx, ed.ID, tech.ID, head, now); return err })
	}
	decide := func(id int64) error {
		return tx(func(tx pgx.Tx) error {
			_, err := ranking.DecideTie(ctx, tx, ed.ID, tech.ID, id, "Stronger data ethics", head, now)
			return err
		})
	}
	add := func(id int64) error {
		return tx(func(tx pgx.Tx) error {
			return ranking.Add(ctx, tx, ed.ID, tech.ID, id, "Noteworthy outside the criteria", head, now)
		})
	}
	if err := confirm(); !errors.Is(err, ranking.ErrTiePending) {
		t.Fatalf("confirm with a pending tie: %v", err)
	}
	if err := decide(ids[6]); !errors.Is(err, ranking.ErrNotTied) {
		t.Fatalf("deciding for T7: %v", err)
	}
	if err := decide(ids[5]); err != nil {
		t.Fatal(err)
	}
	if err := decide(ids[4]); !errors.Is(err, ranking.ErrNoSeat) {
		t.Fatalf("a second tie decision for one seat: %v", err)
	}
	if err := add(ids[6]); err != nil {
		t.Fatal(err)
	}
	if err := add(ids[6]); !errors.Is(err, ranking.ErrAlready) {
		t.Fatalf("adding twice: %v", err)
	}
	if err := confirm(); err != nil {
		t.Fatal(err)
	}
	if err := confirm(); !errors.Is(err, ranking.ErrConfirmed) {
		t.Fatalf("confirming twice: %v", err)
	}
	if err := add(ids[4]); !errors.Is(err, ranking.ErrConfirmed) {
		t.Fatalf("adding after confirmation: %v", err)
	}
	lists, err := ranking.Lists(ctx, pool, ed.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	l := lists[tech.ID]
	var got []string
	for _, e := range l.Entries {
		got = append(got, e.Title+"/"+e.Source)
	}
	if !slices.Equal(got, []string{"T1/ranking", "T2/ranking", "T3/ranking", "T4/ranking", "T6/tie", "T7/addition"}) {
		t.Errorf("list = %v", got)
	}
	for i, want := range []bool{true, true, true, true, false, true, true} {
		o, err := ranking.Outcome(ctx, pool, ids[i])
		if err != nil || o == nil || *o != want {
			t.Errorf("outcome of T%d = %v, %v; want %v", i+1, o, err, want)
		}
	}
}
