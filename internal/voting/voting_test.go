package voting_test

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"prizeportal/internal/voting"
)

// b builds a ballot from "1>3=4>2": ">" separates ranks, "=" joins equal candidates, candidates
// left out are abstained on. b("") abstains on everything.
func b(t *testing.T, s string) voting.Ballot {
	t.Helper()
	ranks := map[int64]int{}
	if s == "" {
		return voting.Ballot{Ranks: ranks}
	}
	for r, level := range strings.Split(s, ">") {
		for _, c := range strings.Split(level, "=") {
			id, err := strconv.ParseInt(c, 10, 64)
			if err != nil {
				t.Fatalf("ballot %q: %v", s, err)
			}
			ranks[id] = r + 1
		}
	}
	return voting.Ballot{Ranks: ranks}
}

// times repeats a ballot n times.
func times(t *testing.T, n int, s string) []voting.Ballot {
	t.Helper()
	out := make([]voting.Ballot, n)
	for i := range out {
		out[i] = b(t, s)
	}
	return out
}

func count(t *testing.T, m voting.Method, candidates []int64, ballots []voting.Ballot, tb voting.TieBreak) voting.Result {
	t.Helper()
	res, err := voting.Count(m, candidates, ballots, tb)
	if err != nil {
		t.Fatalf("Count: %v", err)
	}
	return res
}

func check[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// matrix turns rows of a square matrix over candidates (diagonal ignored) into the pair map.
func matrix(candidates []int64, rows [][]int) map[[2]int64]int {
	out := map[[2]int64]int{}
	for i, a := range candidates {
		for j, c := range candidates {
			if i != j {
				out[[2]int64{a, c}] = rows[i][j]
			}
		}
	}
	return out
}

// TestSchulzeWikipedia is the example of https://en.wikipedia.org/wiki/Schulze_method
// (45 voters, 5 candidates), with A..E = 1..5:
//
//	5 ACBED, 5 ADECB, 8 BEDAC, 3 CABED, 7 CAEBD, 2 CBADE, 7 DCEBA, 8 EBADC
func TestSchulzeWikipedia(t *testing.T) {
	const A, B, C, D, E = 1, 2, 3, 4, 5
	var ballots []voting.Ballot
	for _, g := range []struct {
		n int
		s string
	}{
		{5, "1>3>2>5>4"}, // ACBED
		{5, "1>4>5>3>2"}, // ADECB
		{8, "2>5>4>1>3"}, // BEDAC
		{3, "3>1>2>5>4"}, // CABED
		{7, "3>1>5>2>4"}, // CAEBD
		{2, "3>2>1>4>5"}, // CBADE
		{7, "4>3>5>2>1"}, // DCEBA
		{8, "5>2>1>4>3"}, // EBADC
	} {
		ballots = append(ballots, times(t, g.n, g.s)...)
	}
	// Candidates given out of order: the result does not depend on it.
	res := count(t, voting.MethodSchulze, []int64{E, D, C, B, A}, ballots, voting.TieBreak{})

	// d[x,y], summing the groups that rank x above y (the reverse is 45 minus it):
	//   A>B: ACBED 5 + ADECB 5 + CABED 3 + CAEBD 7            = 20  (B>A 25)
	//   A>C: ACBED 5 + ADECB 5 + BEDAC 8 + EBADC 8            = 26  (C>A 19)
	//   A>D: ACBED 5 + ADECB 5 + CABED 3 + CAEBD 7 + CBADE 2 + EBADC 8 = 30  (D>A 15)
	//   A>E: ACBED 5 + ADECB 5 + CABED 3 + CAEBD 7 + CBADE 2  = 22  (E>A 23)
	//   B>C: BEDAC 8 + EBADC 8                                = 16  (C>B 29)
	//   B>D: ACBED 5 + BEDAC 8 + CABED 3 + CAEBD 7 + CBADE 2 + EBADC 8 = 33  (D>B 12)
	//   B>E: ACBED 5 + BEDAC 8 + CABED 3 + CBADE 2            = 18  (E>B 27)
	//   C>D: ACBED 5 + CABED 3 + CAEBD 7 + CBADE 2            = 17  (D>C 28)
	//   C>E: ACBED 5 + CABED 3 + CAEBD 7 + CBADE 2 + DCEBA 7  = 24  (E>C 21)
	//   D>E: ADECB 5 + CBADE 2 + DCEBA 7                      = 14  (E>D 31)
	ids := []int64{A, B, C, D, E}
	check(t, "Pairwise", res.Pairwise, matrix(ids, [][]int{
		//  A   B   C   D   E
		{0, 20, 26, 30, 22}, // A
		{25, 0, 16, 33, 18}, // B
		{19, 29, 0, 17, 24}, // C
		{15, 12, 28, 0, 14}, // D
		{23, 27, 21, 31, 0}, // E
	}))

	// Winning-votes links (d[x,y] > d[y,x]):
	//   A→C 26, A→D 30, B→A 25, B→D 33, C→B 29, C→E 24, D→C 28, E→A 23, E→B 27, E→D 31.
	// Strongest paths (weakest link of the widest path):
	//   A→B 28 (A-30-D-28-C-29-B)  A→C 28 (A-30-D-28-C)  A→D 30  A→E 24 (A-30-D-28-C-24-E)
	//   B→A 25  B→C 28 (B-33-D-28-C)  B→D 33  B→E 24 (B-33-D-28-C-24-E)
	//   C→A 25 (C-29-B-25-A)  C→B 29  C→D 29 (C-29-B-33-D)  C→E 24
	//   D→A 25 (D-28-C-29-B-25-A)  D→B 28 (D-28-C-29-B)  D→C 28  D→E 24 (D-28-C-24-E)
	//   E→A 25 (E-31-D-28-C-29-B-25-A)  E→B 28 (E-31-D-28-C-29-B, beats the direct 27)
	//   E→C 28 (E-31-D-28-C)  E→D 31
	check(t, "Strongest", res.Strongest, matrix(ids, [][]int{
		//  A   B   C   D   E
		{0, 28, 28, 30, 24}, // A
		{25, 0, 28, 33, 24}, // B
		{25, 29, 0, 29, 24}, // C
		{25, 28, 28, 0, 24}, // D
		{25, 28, 28, 31, 0}, // E
	}))
	// E beats all (25>24, 28>24, 28>24, 31>24); A beats B 28>25, C 28>25, D 30>25;
	// C beats B 29>28 and D 29>28; B beats D 33>28: E > A > C > B > D.
	check(t, "Groups", res.Groups, [][]int64{{E}, {A}, {C}, {B}, {D}})
	check(t, "Order", res.Order, []int64{E, A, C, B, D})
	check(t, "Method", res.Method, voting.MethodSchulze)
	if res.Points != nil || res.TieBreaks != nil || res.Unresolved != nil {
		t.Errorf("Points %v, TieBreaks %v, Unresolved %v: want none", res.Points, res.TieBreaks, res.Unresolved)
	}
}

// TestCondorcetCycle: 3 ballots 1>2>3, 2>3>1, 3>1>2.
//
//	d[1,2] = 2 (ballots 1 and 3), d[2,1] = 1; d[2,3] = 2 (ballots 1 and 2), d[3,2] = 1;
//	d[3,1] = 2 (ballots 2 and 3), d[1,3] = 1.
//
// Links 1→2, 2→3, 3→1, each of strength 2, so every strongest path is 2 (e.g. 1→3 via 2:
// min(2, 2)); nobody beats anybody and Schulze leaves one group of 3. Borda gives every ballot
// 2, 1, 0 points round the cycle, so each candidate has 3 points: one group of 3 too.
func TestCondorcetCycle(t *testing.T) {
	ids := []int64{1, 2, 3}
	ballots := []voting.Ballot{b(t, "1>2>3"), b(t, "2>3>1"), b(t, "3>1>2")}
	for _, m := range []voting.Method{voting.MethodSchulze, voting.MethodBorda} {
		res := count(t, m, ids, ballots, voting.TieBreak{})
		check(t, string(m)+" Pairwise", res.Pairwise, matrix(ids, [][]int{{0, 2, 1}, {1, 0, 2}, {2, 1, 0}}))
		check(t, string(m)+" Groups", res.Groups, [][]int64{{1, 2, 3}})
		check(t, string(m)+" Order", res.Order, []int64{1, 2, 3})
		check(t, string(m)+" Unresolved", res.Unresolved, [][]int64{{1, 2, 3}})
		check(t, string(m)+" TieBreaks", res.TieBreaks, []string(nil))
	}
	res := count(t, voting.MethodSchulze, ids, ballots, voting.TieBreak{})
	check(t, "Strongest", res.Strongest, matrix(ids, [][]int{{0, 2, 2}, {2, 0, 2}, {2, 2, 0}}))
	res = count(t, voting.MethodBorda, ids, ballots, voting.TieBreak{})
	check(t, "Points", res.Points, map[int64]float64{1: 3, 2: 3, 3: 3})
	check(t, "Strongest (Borda)", res.Strongest, map[[2]int64]int(nil))

	for _, tc := range []struct {
		name       string
		tb         voting.TieBreak
		order      []int64
		tieBreaks  []string
		unresolved [][]int64
	}{
		{
			name:      "score resolves",
			tb:        voting.TieBreak{Score: map[int64]float64{1: 3.9, 2: 4.2, 3: 3.1}, Decision: []int64{3, 1, 2}},
			order:     []int64{2, 1, 3},
			tieBreaks: []string{"candidates 1, 2 and 3 tied; committee score 4.20 (2) > 3.90 (1) > 3.10 (3)"},
		},
		{
			name:      "equal scores, chair decides",
			tb:        voting.TieBreak{Score: map[int64]float64{1: 4, 2: 4, 3: 4}, Decision: []int64{3, 1, 2}},
			order:     []int64{3, 1, 2},
			tieBreaks: []string{"candidates 1, 2 and 3 tied on committee score; chair's decision 3 before 1 before 2"},
		},
		{
			name:       "equal scores, no decision",
			tb:         voting.TieBreak{Score: map[int64]float64{1: 4, 2: 4, 3: 4}},
			order:      []int64{1, 2, 3},
			unresolved: [][]int64{{1, 2, 3}},
		},
		{
			name:  "score splits, chair decides the rest",
			tb:    voting.TieBreak{Score: map[int64]float64{1: 4.2, 2: 3.9, 3: 3.9}, Decision: []int64{3, 2}},
			order: []int64{1, 3, 2},
			tieBreaks: []string{
				"candidates 1, 2 and 3 tied; committee score 4.20 (1) > 3.90 (2 and 3)",
				"candidates 2 and 3 tied on committee score; chair's decision 3 before 2",
			},
		},
		{
			name:       "score splits, rest unresolved",
			tb:         voting.TieBreak{Score: map[int64]float64{1: 3.9, 2: 4.2, 3: 3.9}},
			order:      []int64{2, 1, 3},
			tieBreaks:  []string{"candidates 1, 2 and 3 tied; committee score 4.20 (2) > 3.90 (1 and 3)"},
			unresolved: [][]int64{{1, 3}},
		},
		{
			// Equal at 9 decimals (4.2 and 4.2+1e-12); 4.201 is told apart with 3 decimals.
			name:       "scores compared at 9 decimals",
			tb:         voting.TieBreak{Score: map[int64]float64{1: 4.2, 2: 4.201, 3: 4.2 + 1e-12}},
			order:      []int64{2, 1, 3},
			tieBreaks:  []string{"candidates 1, 2 and 3 tied; committee score 4.201 (2) > 4.200 (1 and 3)"},
			unresolved: [][]int64{{1, 3}},
		},
		{
			name:       "decision naming only some of the tie breaks nothing",
			tb:         voting.TieBreak{Decision: []int64{3, 1}},
			order:      []int64{1, 2, 3},
			unresolved: [][]int64{{1, 2, 3}},
		},
		{
			// 3 has no score: the score step is skipped for the whole group.
			name:      "missing score skips the score step",
			tb:        voting.TieBreak{Score: map[int64]float64{1: 4.2, 2: 3.9}, Decision: []int64{2, 3, 1}},
			order:     []int64{2, 3, 1},
			tieBreaks: []string{"candidates 1, 2 and 3 tied without a committee score for 3; chair's decision 2 before 3 before 1"},
		},
		{
			name:       "missing score, no decision",
			tb:         voting.TieBreak{Score: map[int64]float64{1: 4.2}},
			order:      []int64{1, 2, 3},
			unresolved: [][]int64{{1, 2, 3}},
		},
		{
			// Unknown ids are ignored; a repeated id counts at its first position.
			name:      "decision with unknown and repeated ids",
			tb:        voting.TieBreak{Decision: []int64{99, 2, 3, 2, 1}},
			order:     []int64{2, 3, 1},
			tieBreaks: []string{"candidates 1, 2 and 3 tied without a committee score for 1, 2 and 3; chair's decision 2 before 3 before 1"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := count(t, voting.MethodSchulze, ids, ballots, tc.tb)
			check(t, "Groups", res.Groups, [][]int64{{1, 2, 3}})
			check(t, "Order", res.Order, tc.order)
			check(t, "TieBreaks", res.TieBreaks, tc.tieBreaks)
			check(t, "Unresolved", res.Unresolved, tc.unresolved)
		})
	}
}

// TestTiesWithinBallots: candidates 1, 2, 3; ballots 1=2>3, 2>3>1, 1=3>2.
//
//	d[1,2]: ballot 3 only (ballot 1 ties them, ballot 2 ranks 2 above) = 1; d[2,1]: ballot 2 = 1.
//	d[1,3]: ballot 1 = 1; d[3,1]: ballot 2 = 1 (ballot 3 ties them).
//	d[2,3]: ballots 1 and 2 = 2; d[3,2]: ballot 3 = 1.
//
// Schulze: the only link is 2→3 (2 > 1), so p[2,3] = 2 and every other p is 0. 2 beats 3;
// 1 neither beats nor is beaten. Not beaten: 1 and 2 (a group); then 3. The beat relation is
// not a weak order here (1 ties 2 and 3, but 2 beats 3), which is why the groups peel.
//
// Borda (tie-averaged):
//
//	ballot 1=2>3: 1 gets 1 (3 below) + ½ (2 equal) = 1.5; 2 the same 1.5; 3 gets 0.
//	ballot 2>3>1: 2 gets 2, 3 gets 1, 1 gets 0.
//	ballot 1=3>2: 1 gets 1 + ½ = 1.5; 3 the same 1.5; 2 gets 0.
//	totals: 1 = 1.5 + 0 + 1.5 = 3; 2 = 1.5 + 2 + 0 = 3.5; 3 = 0 + 1 + 1.5 = 2.5 (sum 9 = 3 ballots × 3).
//
// So Borda orders 2 > 1 > 3 where Schulze leaves 1 and 2 tied.
func TestTiesWithinBallots(t *testing.T) {
	ids := []int64{1, 2, 3}
	ballots := []voting.Ballot{b(t, "1=2>3"), b(t, "2>3>1"), b(t, "1=3>2")}
	pairs := matrix(ids, [][]int{{0, 1, 1}, {1, 0, 2}, {1, 1, 0}})

	res := count(t, voting.MethodSchulze, ids, ballots, voting.TieBreak{})
	check(t, "Pairwise", res.Pairwise, pairs)
	check(t, "Strongest", res.Strongest, matrix(ids, [][]int{{0, 0, 0}, {0, 0, 2}, {0, 0, 0}}))
	check(t, "Groups", res.Groups, [][]int64{{1, 2}, {3}})
	check(t, "Order", res.Order, []int64{1, 2, 3})
	check(t, "Unresolved", res.Unresolved, [][]int64{{1, 2}})

	// The committee score breaks the Schulze tie.
	res = count(t, voting.MethodSchulze, ids, ballots, voting.TieBreak{Score: map[int64]float64{1: 3.5, 2: 3.75}})
	check(t, "Order (score)", res.Order, []int64{2, 1, 3})
	check(t, "TieBreaks (score)", res.TieBreaks, []string{"candidates 1 and 2 tied; committee score 3.75 (2) > 3.50 (1)"})
	check(t, "Unresolved (score)", res.Unresolved, [][]int64(nil))

	res = count(t, voting.MethodBorda, ids, ballots, voting.TieBreak{})
	check(t, "Borda Pairwise", res.Pairwise, pairs)
	check(t, "Points", res.Points, map[int64]float64{1: 3, 2: 3.5, 3: 2.5})
	check(t, "Borda Groups", res.Groups, [][]int64{{2}, {1}, {3}})
	check(t, "Borda Order", res.Order, []int64{2, 1, 3})
	check(t, "Borda Method", res.Method, voting.MethodBorda)
}

// TestBordaHalfPoints: candidates 1..4 (a ballot ranking all four hands out 0+1+2+3 = 6 points).
//
//	1=2>3>4: 1 = 2 below + ½ = 2.5, 2 = 2.5, 3 = 1, 4 = 0
//	3>1=2=4: 3 = 3, 1 = 0 + ½ + ½ = 1, 2 = 1, 4 = 1
//	2>1>3=4: 2 = 3, 1 = 2, 3 = ½, 4 = ½
//	1>3>4>2: 1 = 3, 3 = 2, 4 = 1, 2 = 0
//	totals: 1 = 2.5+1+2+3 = 8.5; 2 = 2.5+1+3+0 = 6.5; 3 = 1+3+0.5+2 = 6.5; 4 = 0+1+0.5+1 = 2.5
//	(sum 24 = 4 × 6).
//
// Groups: 1, then 2 and 3 tied on 6.5, then 4. d[2,3] = 2 (ballots 1 and 3) = d[3,2] (2 and 4).
func TestBordaHalfPoints(t *testing.T) {
	ids := []int64{1, 2, 3, 4}
	ballots := []voting.Ballot{b(t, "1=2>3>4"), b(t, "3>1=2=4"), b(t, "2>1>3=4"), b(t, "1>3>4>2")}
	// Scores only for the tied pair: candidates not in a tie need none.
	res := count(t, voting.MethodBorda, ids, ballots, voting.TieBreak{Score: map[int64]float64{2: 3.9, 3: 4.2}})
	check(t, "Points", res.Points, map[int64]float64{1: 8.5, 2: 6.5, 3: 6.5, 4: 2.5})
	check(t, "Groups", res.Groups, [][]int64{{1}, {2, 3}, {4}})
	check(t, "Order", res.Order, []int64{1, 3, 2, 4})
	check(t, "TieBreaks", res.TieBreaks, []string{"candidates 2 and 3 tied; committee score 4.20 (3) > 3.90 (2)"})
	check(t, "Unresolved", res.Unresolved, [][]int64(nil))
	// d[x,y] by ballot (1=2>3>4, 3>1=2=4, 2>1>3=4, 1>3>4>2):
	//   1>2: ballot 4 = 1; 2>1: ballot 3 = 1; 1>3: ballots 1, 3, 4 = 3; 3>1: ballot 2 = 1;
	//   1>4: ballots 1, 3, 4 = 3; 4>1: 0; 2>3: ballots 1, 3 = 2; 3>2: ballots 2, 4 = 2;
	//   2>4: ballots 1, 3 = 2; 4>2: ballot 4 = 1; 3>4: ballots 1, 2, 4 = 3; 4>3: 0.
	check(t, "Pairwise", res.Pairwise, matrix(ids, [][]int{
		{0, 1, 3, 3},
		{1, 0, 2, 2},
		{1, 2, 0, 3},
		{0, 1, 0, 0},
	}))
}

// TestBordaSchulzeDisagree: 3 ballots 1>2>3 and 2 ballots 2>3>1.
//
//	d[1,2] = 3, d[2,1] = 2: 1 beats 2 head to head; d[1,3] = 3 > d[3,1] = 2; d[2,3] = 5 > 0.
//	1 is the Condorcet winner, and Schulze orders 1 > 2 > 3 (p[1,2] = 3 > p[2,1] = 0, etc.).
//	Borda: 1 = 3×2 + 2×0 = 6; 2 = 3×1 + 2×2 = 7; 3 = 3×0 + 2×1 = 2: 2 > 1 > 3.
//
// Borda rewards 2 for being everyone's first or second choice, while a majority prefers 1.
func TestBordaSchulzeDisagree(t *testing.T) {
	ids := []int64{1, 2, 3}
	ballots := append(times(t, 3, "1>2>3"), times(t, 2, "2>3>1")...)
	pairs := matrix(ids, [][]int{{0, 3, 3}, {2, 0, 5}, {2, 0, 0}})

	s := count(t, voting.MethodSchulze, ids, ballots, voting.TieBreak{})
	check(t, "Schulze Pairwise", s.Pairwise, pairs)
	// Links 1→2 3, 1→3 3, 2→3 5; p[1,3] = max(3, min(3, 5)) = 3.
	check(t, "Strongest", s.Strongest, matrix(ids, [][]int{{0, 3, 3}, {0, 0, 5}, {0, 0, 0}}))
	check(t, "Schulze Order", s.Order, []int64{1, 2, 3})

	bd := count(t, voting.MethodBorda, ids, ballots, voting.TieBreak{})
	check(t, "Borda Pairwise", bd.Pairwise, pairs)
	check(t, "Points", bd.Points, map[int64]float64{1: 6, 2: 7, 3: 2})
	check(t, "Borda Order", bd.Order, []int64{2, 1, 3})
}

// TestAbstentions: candidates 1, 2, 3; ballots 1>2>3, 2>3 (abstains on 1), 1>3 (abstains on
// 2) and one abstaining on everything.
//
//	d[1,2] = 1 (ballot 1 only: ballots 2 and 3 each abstained on one of them); d[2,1] = 0.
//	d[1,3] = 2 (ballots 1 and 3); d[3,1] = 0.  d[2,3] = 2 (ballots 1 and 2); d[3,2] = 0.
//
// Schulze: links 1→2 1, 1→3 2, 2→3 2; p[1,2] = max(1, min(p[1,3], p[3,2]) = 0) = 1.
// Order 1 > 2 > 3.
// Borda: 1>2>3 gives 2, 1, 0; 2>3 gives 2 one point (one candidate below), 3 none;
// 1>3 gives 1 one point. Totals 1 = 3, 2 = 2, 3 = 0 (1 would have had 2 more from ballot 2
// had it not been abstained on: abstentions cost Borda points).
func TestAbstentions(t *testing.T) {
	ids := []int64{1, 2, 3}
	ballots := []voting.Ballot{b(t, "1>2>3"), b(t, "2>3"), b(t, "1>3"), b(t, ""), {}}
	pairs := matrix(ids, [][]int{{0, 1, 2}, {0, 0, 2}, {0, 0, 0}})

	s := count(t, voting.MethodSchulze, ids, ballots, voting.TieBreak{})
	check(t, "Pairwise", s.Pairwise, pairs)
	check(t, "Strongest", s.Strongest, matrix(ids, [][]int{{0, 1, 2}, {0, 0, 2}, {0, 0, 0}}))
	check(t, "Groups", s.Groups, [][]int64{{1}, {2}, {3}})
	check(t, "Order", s.Order, []int64{1, 2, 3})

	bd := count(t, voting.MethodBorda, ids, ballots, voting.TieBreak{})
	check(t, "Borda Pairwise", bd.Pairwise, pairs)
	check(t, "Points", bd.Points, map[int64]float64{1: 3, 2: 2, 3: 0})
	check(t, "Borda Order", bd.Order, []int64{1, 2, 3})

	// Nobody ranked anything: all tied, all zero.
	none := count(t, voting.MethodSchulze, ids, []voting.Ballot{{}, {}}, voting.TieBreak{})
	check(t, "Groups (no rankings)", none.Groups, [][]int64{{1, 2, 3}})
	check(t, "Pairwise (no rankings)", none.Pairwise, matrix(ids, [][]int{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}}))
}

// Gaps in the ranks do not matter: only their order does.
func TestRankGaps(t *testing.T) {
	ids := []int64{7, 8, 9}
	a := count(t, voting.MethodBorda, ids, []voting.Ballot{{Ranks: map[int64]int{7: 1, 8: 1, 9: 2}}}, voting.TieBreak{})
	g := count(t, voting.MethodBorda, ids, []voting.Ballot{{Ranks: map[int64]int{7: 3, 8: 3, 9: 10}}}, voting.TieBreak{})
	check(t, "Points", g.Points, a.Points)
	check(t, "Pairwise", g.Pairwise, a.Pairwise)
}

func TestDefaultMethodAndEmpty(t *testing.T) {
	res := count(t, "", []int64{1, 2}, []voting.Ballot{{Ranks: map[int64]int{2: 1, 1: 2}}}, voting.TieBreak{})
	check(t, "Method", res.Method, voting.MethodSchulze)
	check(t, "Order", res.Order, []int64{2, 1})
	check(t, "Strongest", res.Strongest, map[[2]int64]int{{1, 2}: 0, {2, 1}: 1})

	empty := count(t, voting.MethodBorda, nil, nil, voting.TieBreak{})
	if len(empty.Order) != 0 || len(empty.Groups) != 0 || len(empty.Pairwise) != 0 || len(empty.Points) != 0 {
		t.Errorf("empty count = %+v", empty)
	}
}

func TestErrors(t *testing.T) {
	ids := []int64{1, 2, 3}
	ok := b(t, "1>2>3")
	for _, tc := range []struct {
		name       string
		method     voting.Method
		candidates []int64
		ballots    []voting.Ballot
		want       string
	}{
		{"unknown method", "approval", ids, []voting.Ballot{ok}, `voting: unknown counting method "approval"`},
		{"method case matters", "Schulze", ids, nil, `voting: unknown counting method "Schulze"`},
		{"duplicate candidate", voting.MethodSchulze, []int64{1, 2, 1}, nil, "voting: candidate 1 listed twice"},
		{"unknown candidate", voting.MethodSchulze, ids, []voting.Ballot{ok, b(t, "1>4")},
			"voting: ballot 2 ranks candidate 4, who is not standing"},
		{"rank 0", voting.MethodBorda, ids, []voting.Ballot{{Ranks: map[int64]int{1: 1, 2: 0}}},
			"voting: ballot 1 gives candidate 2 rank 0 (ranks start at 1)"},
		{"negative rank", voting.MethodSchulze, ids, []voting.Ballot{ok, ok, {Ranks: map[int64]int{3: -1}}},
			"voting: ballot 3 gives candidate 3 rank -1 (ranks start at 1)"},
		// Several problems in one ballot: the lowest candidate id is reported, every time.
		{"first problem by candidate id", voting.MethodSchulze, ids, []voting.Ballot{{Ranks: map[int64]int{9: 1, 2: 0, 8: 1}}},
			"voting: ballot 1 gives candidate 2 rank 0 (ranks start at 1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := voting.Count(tc.method, tc.candidates, tc.ballots, voting.TieBreak{})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			check(t, "Result", res, voting.Result{})
		})
	}
}

// The input slices and maps are not modified.
func TestInputsUntouched(t *testing.T) {
	ids := []int64{3, 1, 2}
	ballot := voting.Ballot{Ranks: map[int64]int{1: 2, 2: 1}}
	tb := voting.TieBreak{Score: map[int64]float64{1: 1}, Decision: []int64{2, 1}}
	count(t, voting.MethodSchulze, ids, []voting.Ballot{ballot}, tb)
	check(t, "candidates", ids, []int64{3, 1, 2})
	check(t, "ballot", ballot.Ranks, map[int64]int{1: 2, 2: 1})
	check(t, "decision", tb.Decision, []int64{2, 1})
}
