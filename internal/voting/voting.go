// Package voting counts the Prize Council's ranked ballots (DOMAIN.md "Round 3":
// the council "selects winners by a voting system"). It is pure computation: the caller loads the
// ballots, the committee aggregate scores (internal/ranking) and the chair's recorded decision,
// and stores or shows the Result.
//
// # Ballots
//
// A ballot ranks candidates with positive numbers, 1 for the most preferred. Only the order of
// the numbers matters: ranks 1, 1, 2 and 1, 1, 5 say the same thing (the first two equal, both
// above the third). A candidate missing from a ballot was abstained on (a conflicted member) and
// that ballot says nothing about it.
//
// The pairwise count d[a,b] is the number of ballots ranking a strictly above b. A ballot that
// abstained on a or on b contributes nothing to the pair; a ballot ranking them equal contributes
// nothing either. Both methods fill Result.Pairwise for every ordered pair of distinct
// candidates (zero included), so the protocol can always show the full matrix.
//
// # Schulze (the default method)
//
// The strength of the link a→b is d[a,b] when d[a,b] > d[b,a] and 0 otherwise (the
// "winning votes" variant: only the majority side of a pair is a link, measured by the size of
// that majority's support). The strongest path p[a,b] is the widest path from a to b, the path
// strength being its weakest link; it is computed Floyd–Warshall style:
//
//	for each k, for each i ≠ k, for each j ∉ {i, k}: p[i,j] = max(p[i,j], min(p[i,k], p[k,j]))
//
// a beats b when p[a,b] > p[b,a]. That relation is transitive (proved in Schulze's 2011 paper
// on the method), so the count's order is built as groups: repeatedly, the candidates not
// beaten by any remaining candidate form the next group (they do not beat one another either,
// so they are tied), and are removed. Result.Strongest holds p for every ordered pair of
// distinct candidates.
//
// # Borda
//
// Each ballot gives each candidate it ranks one point for every candidate it ranks strictly
// below it and half a point for every other candidate it ranks equal to it: the standard
// tie-averaged Borda count over the candidates that ballot ranked. A candidate abstained on gets
// nothing from that ballot, so abstentions lower a candidate's total (and a ballot that ranks
// fewer candidates hands out fewer points). This is kept deliberately simple; a result protocol
// should show the points beside the anonymised ballots so the effect stays visible.
// Candidates are ordered by points, highest first; equal points form a group. Result.Points
// holds each candidate's points; Result.Strongest is nil.
//
// # Tie-break chain
//
// Every group of more than one candidate in Result.Groups goes through the declared chain
// (DOMAIN.md "Round 3": the committee aggregate score, then the chair's recorded decision):
//
//  1. committee score: when every member of the group has a TieBreak.Score, members are ordered
//     by it, higher first. Scores are compared rounded to 9 decimals, as internal/ranking
//     compares them. When a member has no score this step is skipped for the whole group: no
//     candidate is ranked on a score the others lack.
//  2. chair's decision: members still tied are ordered by their position in TieBreak.Decision,
//     earlier first, when the decision lists every one of them. A decision naming only some of
//     them breaks nothing: the chair decides the whole tie.
//  3. whatever is still tied goes to Result.Unresolved (each set ordered by candidate id) for
//     the chair to decide, and stands in Result.Order in candidate-id order so that the order
//     is deterministic.
//
// Each applied step adds a sentence to Result.TieBreaks, naming candidates by id.
//
// Candidates within a group of Result.Groups are listed by candidate id.
package voting

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// A Ballot ranks candidates: Ranks[candidate] = 1 for the most preferred; equal numbers are ties;
// a candidate missing from Ranks was abstained on (conflict) and the ballot says nothing about it.
type Ballot struct{ Ranks map[int64]int }

// Method is a counting method: MethodSchulze (the default) or MethodBorda.
type Method string

// The counting methods.
const (
	MethodSchulze Method = "schulze"
	MethodBorda   Method = "borda"
)

// TieBreak orders candidates the count leaves tied: Score (higher first) is the committee aggregate;
// Decision is the chair's recorded order of candidates (earlier first), may be empty.
type TieBreak struct {
	Score    map[int64]float64
	Decision []int64
}

// Result is the outcome of Count.
type Result struct {
	Method     Method
	Order      []int64           // the full order, best first, after tie-breaks
	Groups     [][]int64         // the count's own order as groups of tied candidates, before tie-breaks
	Pairwise   map[[2]int64]int  // d[a,b]: ballots ranking a above b (Schulze and Borda both fill it)
	Strongest  map[[2]int64]int  // Schulze strongest-path strengths p[a,b] (Schulze only)
	Points     map[int64]float64 // Borda points (Borda only)
	TieBreaks  []string          // human-readable record of each tie-break applied, in order
	Unresolved [][]int64         // ties the chain could not break (needs a chair decision)
}

// Count counts ballots over candidates with method (the empty method means MethodSchulze) and
// applies the tie-break chain tb to the groups the count leaves tied; see the package
// documentation for the rules. It returns an error for an unknown method, a duplicate
// candidate, and a ballot that ranks a candidate not in candidates or gives a rank below 1.
// Entries of tb for candidates not in candidates are ignored.
func Count(method Method, candidates []int64, ballots []Ballot, tb TieBreak) (Result, error) {
	if method == "" {
		method = MethodSchulze
	}
	if method != MethodSchulze && method != MethodBorda {
		return Result{}, fmt.Errorf("voting: unknown counting method %q", method)
	}
	ids := slices.Clone(candidates)
	slices.Sort(ids)
	index := make(map[int64]int, len(ids))
	for i, id := range ids {
		if _, dup := index[id]; dup {
			return Result{}, fmt.Errorf("voting: candidate %d listed twice", id)
		}
		index[id] = i
	}
	n := len(ids)
	// rank[b][i] is ballot b's rank of candidate ids[i], 0 when abstained.
	rank := make([][]int, len(ballots))
	for b, ballot := range ballots {
		rank[b] = make([]int, n)
		for _, c := range slices.Sorted(maps.Keys(ballot.Ranks)) {
			i, ok := index[c]
			if !ok {
				return Result{}, fmt.Errorf("voting: ballot %d ranks candidate %d, who is not standing", b+1, c)
			}
			r := ballot.Ranks[c]
			if r < 1 {
				return Result{}, fmt.Errorf("voting: ballot %d gives candidate %d rank %d (ranks start at 1)", b+1, c, r)
			}
			rank[b][i] = r
		}
	}

	d := pairwise(rank, n)
	res := Result{Method: method, Pairwise: pairMap(ids, d)}
	var groups [][]int
	if method == MethodSchulze {
		p := strongest(d)
		res.Strongest = pairMap(ids, p)
		groups = schulzeGroups(p)
	} else {
		points := borda(rank, n)
		res.Points = make(map[int64]float64, n)
		for i, id := range ids {
			res.Points[id] = points[i]
		}
		groups = bordaGroups(points)
	}

	tbk := newTieBreaker(tb)
	res.Order = make([]int64, 0, n)
	res.Groups = make([][]int64, 0, len(groups))
	for _, g := range groups {
		group := make([]int64, len(g))
		for k, i := range g {
			group[k] = ids[i]
		}
		res.Groups = append(res.Groups, group)
		if len(group) == 1 {
			res.Order = append(res.Order, group[0])
			continue
		}
		for _, block := range tbk.resolve(group, &res.TieBreaks) {
			res.Order = append(res.Order, block...)
			if len(block) > 1 {
				res.Unresolved = append(res.Unresolved, slices.Clone(block))
			}
		}
	}
	return res, nil
}

// pairwise returns d[i][j]: the number of ballots ranking candidate i strictly above j, both
// ranked.
func pairwise(rank [][]int, n int) [][]int {
	d := square(n)
	for _, r := range rank {
		for i := range n {
			for j := range n {
				if r[i] > 0 && r[j] > 0 && r[i] < r[j] {
					d[i][j]++
				}
			}
		}
	}
	return d
}

// strongest returns the Schulze strongest-path strengths (winning votes) for the pairwise
// counts d.
func strongest(d [][]int) [][]int {
	n := len(d)
	p := square(n)
	for i := range n {
		for j := range n {
			if d[i][j] > d[j][i] {
				p[i][j] = d[i][j]
			}
		}
	}
	for k := range n {
		for i := range n {
			if i == k {
				continue
			}
			for j := range n {
				if j != i && j != k {
					p[i][j] = max(p[i][j], min(p[i][k], p[k][j]))
				}
			}
		}
	}
	return p
}

// schulzeGroups peels off, repeatedly, the remaining candidates no remaining candidate beats.
// The beat relation is a strict partial order, so each round takes at least one candidate.
func schulzeGroups(p [][]int) [][]int {
	remaining := make([]int, len(p))
	for i := range remaining {
		remaining[i] = i
	}
	var groups [][]int
	for len(remaining) > 0 {
		var group, rest []int
		for _, b := range remaining {
			beaten := slices.ContainsFunc(remaining, func(a int) bool { return p[a][b] > p[b][a] })
			if beaten {
				rest = append(rest, b)
			} else {
				group = append(group, b)
			}
		}
		groups = append(groups, group)
		remaining = rest
	}
	return groups
}

// borda returns each candidate's tie-averaged Borda points.
func borda(rank [][]int, n int) []float64 {
	points := make([]float64, n)
	for _, r := range rank {
		for i := range n {
			if r[i] == 0 {
				continue
			}
			for j := range n {
				switch {
				case j == i || r[j] == 0:
				case r[i] < r[j]:
					points[i]++
				case r[i] == r[j]:
					points[i] += 0.5
				}
			}
		}
	}
	return points
}

// bordaGroups orders candidates by points, highest first, equal points forming a group (points
// are multiples of ½, so they compare exactly).
func bordaGroups(points []float64) [][]int {
	order := make([]int, len(points))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(points[b], points[a]) })
	var groups [][]int
	for k, i := range order {
		if k > 0 && points[i] == points[order[k-1]] {
			groups[len(groups)-1] = append(groups[len(groups)-1], i)
		} else {
			groups = append(groups, []int{i})
		}
	}
	return groups
}

// tieBreaker applies the tie-break chain.
type tieBreaker struct {
	score    map[int64]float64
	position map[int64]int // position in the chair's decision, first occurrence
}

func newTieBreaker(tb TieBreak) tieBreaker {
	t := tieBreaker{score: tb.Score, position: make(map[int64]int, len(tb.Decision))}
	for k, id := range tb.Decision {
		if _, seen := t.position[id]; !seen {
			t.position[id] = k
		}
	}
	return t
}

// resolve orders a group of tied candidates (sorted by id) into consecutive blocks, best first:
// a block of one is placed, a block of several is still tied (sorted by id). Each applied step
// appends a sentence to notes.
func (t tieBreaker) resolve(group []int64, notes *[]string) [][]int64 {
	levels := [][]int64{group}
	var unscored []int64
	for _, id := range group {
		if _, ok := t.score[id]; !ok {
			unscored = append(unscored, id)
		}
	}
	if len(unscored) == 0 {
		levels = t.byScore(group)
		if len(levels) > 1 {
			*notes = append(*notes, fmt.Sprintf("%s tied; committee score %s",
				candidates(group), t.scoreLevels(levels)))
		}
	}
	var blocks [][]int64
	for _, level := range levels {
		if len(level) == 1 {
			blocks = append(blocks, level)
			continue
		}
		if !t.decided(level) {
			blocks = append(blocks, level)
			continue
		}
		decided := slices.Clone(level)
		slices.SortFunc(decided, func(a, b int64) int { return cmp.Compare(t.position[a], t.position[b]) })
		why := "tied on committee score"
		if len(unscored) > 0 {
			why = "tied without a committee score for " + joinIDs(unscored)
		}
		*notes = append(*notes, fmt.Sprintf("%s %s; chair's decision %s",
			candidates(level), why, strings.Join(formatIDs(decided), " before ")))
		for _, id := range decided {
			blocks = append(blocks, []int64{id})
		}
	}
	return blocks
}

// byScore splits group into levels of equal rounded score, highest first, each level in the
// group's (id) order.
func (t tieBreaker) byScore(group []int64) [][]int64 {
	sorted := slices.Clone(group)
	slices.SortStableFunc(sorted, func(a, b int64) int { return cmp.Compare(t.rounded(b), t.rounded(a)) })
	var levels [][]int64
	for k, id := range sorted {
		if k > 0 && t.rounded(id) == t.rounded(sorted[k-1]) {
			levels[len(levels)-1] = append(levels[len(levels)-1], id)
		} else {
			levels = append(levels, []int64{id})
		}
	}
	return levels
}

// rounded is the candidate's score rounded to 9 decimals.
func (t tieBreaker) rounded(id int64) float64 {
	return math.Round(t.score[id]*1e9) / 1e9
}

// scoreLevels formats levels as "4.20 (2) > 3.90 (1 and 3)", with at least two decimals and as
// many more (up to 9) as it takes to tell adjacent levels apart.
func (t tieBreaker) scoreLevels(levels [][]int64) string {
	prec := 2
	for ; prec < 9; prec++ {
		distinct := true
		for k := 1; k < len(levels); k++ {
			if strconv.FormatFloat(t.rounded(levels[k][0]), 'f', prec, 64) ==
				strconv.FormatFloat(t.rounded(levels[k-1][0]), 'f', prec, 64) {
				distinct = false
			}
		}
		if distinct {
			break
		}
	}
	parts := make([]string, len(levels))
	for k, level := range levels {
		parts[k] = fmt.Sprintf("%s (%s)", strconv.FormatFloat(t.rounded(level[0]), 'f', prec, 64), joinIDs(level))
	}
	return strings.Join(parts, " > ")
}

// decided reports whether the chair's decision lists every candidate of level.
func (t tieBreaker) decided(level []int64) bool {
	for _, id := range level {
		if _, ok := t.position[id]; !ok {
			return false
		}
	}
	return true
}

// candidates names a set of candidates: "candidates 1 and 2", "candidates 1, 2 and 3".
func candidates(ids []int64) string {
	return "candidates " + joinIDs(ids)
}

// joinIDs joins ids as "1", "1 and 2", "1, 2 and 3".
func joinIDs(ids []int64) string {
	s := formatIDs(ids)
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func formatIDs(ids []int64) []string {
	s := make([]string, len(ids))
	for k, id := range ids {
		s[k] = strconv.FormatInt(id, 10)
	}
	return s
}

func square(n int) [][]int {
	m := make([][]int, n)
	for i := range m {
		m[i] = make([]int, n)
	}
	return m
}

// pairMap turns an n×n matrix into a map over ordered pairs of distinct candidate ids.
func pairMap(ids []int64, m [][]int) map[[2]int64]int {
	out := make(map[[2]int64]int, len(ids)*len(ids))
	for i, a := range ids {
		for j, b := range ids {
			if i != j {
				out[[2]int64{a, b}] = m[i][j]
			}
		}
	}
	return out
}
