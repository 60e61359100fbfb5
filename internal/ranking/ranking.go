// Package ranking ranks the entries of round 2 and proposes the semi-finalists
// (DOMAIN.md "Round 2": "the five highest-scoring applications of each category become
// semi-finalists").
//
// The scores are aggregated in SQL over the SUBMITTED score sheets of the round-2 entries (view
// round2_entries); drafts never count:
//
//   - criterion score of a sheet = the mean of its indicator scores for that criterion;
//   - weighted sheet score = Σ(weight × criterion score) / Σ weight, weights from
//     criteria.weight. It is computed in one pass as Σ over the sheet's indicator scores of
//     score × weight / (indicators of the criterion × Σ weight), which is the same sum for a
//     submitted sheet, since a submitted sheet scores every indicator (internal/scoring).
//
// Per entry, four methods side by side (the head chooses one before the scores are unsealed):
//
//   - mean: the mean of the entry's sheet scores (the default);
//   - median: the median of the sheet scores (the mean of the two middle ones for an even count);
//   - trimmed_mean: with n >= 3 sheets, one highest and one lowest sheet score are dropped and
//     the other n-2 averaged; with fewer than 3 sheets it is the plain mean;
//   - zscore: per evaluator within the category, z = (sheet score − the evaluator's mean) / the
//     evaluator's population standard deviation (z = 0 when that deviation is 0: an evaluator who
//     gives every entry the same score says nothing about their order); the entry's value is the
//     mean of its z. Entries are ranked by that mean z; for display it is rescaled to the
//     category's scale as mid + z × (max − min) / 6, clamped to [min, max] (so ±3 standard
//     deviations span the scale).
//
// Ranks are competition ranks (1, 2, 2, 4) over the values rounded to 9 decimals, so equal
// scores share a rank whatever the floating-point order of summation. Per entry the disagreement
// is the population standard deviation of its sheet scores (and their range); per evaluator the
// leniency is their mean sheet score minus the category's mean sheet score, and the spread their
// population standard deviation.
package ranking

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// Method is an aggregation method of the sheet scores of an entry.
type Method string

// The aggregation methods (DOMAIN.md "Round 2").
const (
	Mean        Method = "mean"
	Median      Method = "median"
	TrimmedMean Method = "trimmed_mean"
	ZScore      Method = "zscore"
)

// Methods lists every method, in the order the ranking page shows them.
var Methods = []Method{Mean, Median, TrimmedMean, ZScore}

// Valid reports whether m is one of Methods.
func (m Method) Valid() bool { return slices.Contains(Methods, m) }

// Label names m for people.
func (m Method) Label() string {
	switch m {
	case Mean:
		return i18n.M("Weighted mean")
	case Median:
		return i18n.M("Median")
	case TrimmedMean:
		return i18n.M("Trimmed mean")
	case ZScore:
		return i18n.M("Z-score normalised")
	}
	return string(m)
}

// Value is an entry's aggregate under one method and its rank in the category under it.
type Value struct {
	Value float64
	Rank  int
}

// Entry is one ranked entry of round 2 (an entry with at least one submitted sheet).
type Entry struct {
	ApplicationID int64
	CategoryID    int64
	Kind          string // project | nomination
	Title         string // answers.project_title, or "Nomination of <candidate>"
	Organisation  string
	City          string
	Country       string // ISO code
	Sheets        int    // submitted sheets
	By            map[Method]Value
	MeanZ         float64 // the mean z, before rescaling (the zscore ranking key)
	Disagreement  float64 // population standard deviation of the sheet scores
	Range         float64 // highest minus lowest sheet score
}

// Evaluator is one evaluator's scoring in a category.
type Evaluator struct {
	ID       int64
	Name     string
	Sheets   int
	Mean     float64
	Leniency float64 // Mean minus the category's mean sheet score
	Spread   float64 // population standard deviation of their sheet scores
}

// Tie is a tie at the cut: entries with equal aggregates straddling position N under the chosen
// method. Seats of them may join the entries above the tie; the head decides which.
type Tie struct {
	Rank    int // the tied entries' shared rank
	Value   float64
	Seats   int
	Entries []int64
}

// Shift is what another method changes in the top N of a category, compared with the chosen
// method: the entries that would enter (in the other method's top N, not in the chosen one's)
// and those that would leave. The top N under a method is every entry ranked N or better (a tie
// straddling the cut puts all the tied entries in).
type Shift struct {
	Method Method
	Enter  []int64
	Leave  []int64
}

// Category is the ranking of one category.
type Category struct {
	ID            int64
	Key           string
	Name          string
	SemiFinalists int // N, the edition setting
	ScaleMin      int
	ScaleMax      int
	Mean          float64 // the mean of every submitted sheet score of the category
	// Entries in the order of the chosen method (rank, then title, then id).
	Entries     []Entry
	Evaluators  []Evaluator
	Sensitivity []Shift // one per other method, in the order of Methods
	Tie         *Tie    // nil when the cut is clean
}

// Entry returns the category's entry with application id id, or nil.
func (c *Category) Entry(id int64) *Entry {
	for i := range c.Entries {
		if c.Entries[i].ApplicationID == id {
			return &c.Entries[i]
		}
	}
	return nil
}

// Top returns the entries in the top N under m: ranked N or better.
func (c *Category) Top(m Method) []int64 {
	var out []int64
	for _, e := range c.Entries {
		if e.By[m].Rank <= c.SemiFinalists {
			out = append(out, e.ApplicationID)
		}
	}
	return out
}

// Result is the ranking of an edition: every category, with the round's state.
type Result struct {
	EditionID int64
	Method    Method // the chosen method (mean until the head chooses)
	MethodSet bool   // the head chose the method explicitly
	ClosedAt  *time.Time
	// Categories in the edition's order.
	Categories []Category
}

// Category returns the result's category with id id, or nil.
func (r *Result) Category(id int64) *Category {
	for i := range r.Categories {
		if r.Categories[i].ID == id {
			return &r.Categories[i]
		}
	}
	return nil
}

// scoredSheets is the CTE chain of the ranking query: the weighted score of every submitted sheet
// of a round-2 entry of edition $1, with its evaluator's z.
const scoredSheets = `
WITH cats AS (
	SELECT id, scale_min, scale_max FROM categories WHERE edition_id = $1
), sheets AS (
	SELECT s.id, s.application_id, s.evaluator_id, e.category_id
	FROM score_sheets s
	JOIN round2_entries e ON e.application_id = s.application_id AND e.edition_id = $1
	WHERE s.edition_id = $1 AND s.status = 'submitted'
), total AS (
	-- Σ weight per category, over the criteria with indicators
	SELECT cr.category_id, sum(cr.weight::float8) AS w
	FROM criteria cr JOIN cats ON cats.id = cr.category_id
	WHERE EXISTS (SELECT 1 FROM indicators i WHERE i.criterion_id = cr.id)
	GROUP BY cr.category_id
), factor AS (
	-- what one indicator score counts in its sheet's score: weight / (indicators of its
	-- criterion × Σ weight), so that Σ factor × score = Σ(weight × criterion mean) / Σ weight
	SELECT i.id, cr.weight::float8 / (count(*) OVER (PARTITION BY cr.id) * t.w) AS f
	FROM indicators i JOIN criteria cr ON cr.id = i.criterion_id JOIN total t ON t.category_id = cr.category_id
), sheet AS (
	-- the weighted sheet score
	SELECT sh.id, sh.application_id, sh.evaluator_id, sh.category_id, sum(f.f * ss.score) AS score
	FROM sheets sh
	JOIN sheet_scores ss ON ss.sheet_id = sh.id
	JOIN factor f ON f.id = ss.indicator_id
	GROUP BY sh.id, sh.application_id, sh.evaluator_id, sh.category_id
), ev AS (
	SELECT category_id, evaluator_id, count(*) AS n, avg(score) AS mean, stddev_pop(score) AS sd
	FROM sheet GROUP BY category_id, evaluator_id
), catmean AS (
	SELECT category_id, avg(score) AS mean FROM sheet GROUP BY category_id
), z AS (
	SELECT s.application_id, s.category_id, s.score,
	       CASE WHEN ev.sd > 1e-12 THEN (s.score - ev.mean) / ev.sd ELSE 0 END AS z
	FROM sheet s JOIN ev ON ev.category_id = s.category_id AND ev.evaluator_id = s.evaluator_id
)`

const rankingQuery = scoredSheets + `, agg AS (
	SELECT application_id, category_id, count(*)::int AS n,
	       avg(score) AS mean,
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY score) AS median,
	       CASE WHEN count(*) >= 3 THEN (sum(score) - max(score) - min(score)) / (count(*) - 2)
	            ELSE avg(score) END AS trimmed,
	       avg(z) AS z,
	       stddev_pop(score) AS sd,
	       max(score) - min(score) AS spread
	FROM z GROUP BY application_id, category_id
), keyed AS (
	SELECT agg.*,
	       least(c.scale_max, greatest(c.scale_min,
	             (c.scale_min + c.scale_max) / 2.0 + agg.z * (c.scale_max - c.scale_min) / 6.0))::float8 AS zscaled,
	       round(agg.mean::numeric, 9) AS k_mean, round(agg.median::numeric, 9) AS k_median,
	       round(agg.trimmed::numeric, 9) AS k_trimmed, round(agg.z::numeric, 9) AS k_z
	FROM agg JOIN cats c ON c.id = agg.category_id
)
-- one query: the entries (row kind 'entry'), then the evaluators (row kind 'evaluator': id,
-- category, name, sheets, mean, leniency in the first rank's value column, spread)
SELECT 'entry', k.application_id, k.category_id, a.kind,
       CASE WHEN a.kind = 'nomination' THEN 'Nomination of ' || coalesce(n.candidate_name, '')
            ELSE coalesce(a.answers -> 'project_title' ->> 'text', '') END,
       p.organisation, p.city, p.country, k.n,
       k.mean, rank() OVER (PARTITION BY k.category_id ORDER BY k.k_mean DESC)::int,
       k.median, rank() OVER (PARTITION BY k.category_id ORDER BY k.k_median DESC)::int,
       k.trimmed, rank() OVER (PARTITION BY k.category_id ORDER BY k.k_trimmed DESC)::int,
       k.zscaled, rank() OVER (PARTITION BY k.category_id ORDER BY k.k_z DESC)::int,
       k.z, k.sd, k.spread
FROM keyed k
JOIN applications a ON a.id = k.application_id
JOIN entry_participants p ON p.application_id = a.id
LEFT JOIN nominations n ON n.application_id = a.id
UNION ALL
SELECT 'evaluator', x.evaluator_id, x.category_id, '', x.name, '', '', '', x.n,
       x.mean, 0, x.leniency, 0, 0, 0, 0, 0, 0, x.sd, 0
FROM (SELECT ev.evaluator_id, ev.category_id, u.name, ev.n::int AS n, ev.mean, ev.mean - cm.mean AS leniency, ev.sd
      FROM ev JOIN catmean cm ON cm.category_id = ev.category_id JOIN users u ON u.id = ev.evaluator_id
      ORDER BY ev.category_id, ev.mean - cm.mean DESC, u.name, ev.evaluator_id) x`

// Compute ranks every category of edition editionID in one call: the aggregates under every
// method with their ranks, disagreement, the evaluators' leniency and spread, the sensitivity of
// the top N to the method, and a tie at the cut under the chosen method.
func Compute(ctx context.Context, q db.DBTX, editionID int64) (Result, error) {
	res := Result{EditionID: editionID, Method: Mean}
	st, err := Round(ctx, q, editionID)
	if err != nil {
		return res, err
	}
	res.Method, res.MethodSet, res.ClosedAt = st.Method, st.MethodSet, st.ClosedAt

	res.Categories, err = db.List(ctx, q, "ranking: categories", func(r pgx.CollectableRow) (Category, error) {
		var c Category
		err := r.Scan(&c.ID, &c.Key, &c.Name, &c.SemiFinalists, &c.ScaleMin, &c.ScaleMax)
		return c, err
	}, `SELECT id, key, name, semi_finalists, scale_min, scale_max FROM categories
		WHERE edition_id = $1 ORDER BY position, id`, editionID)
	if err != nil {
		return res, err
	}

	rows, err := q.Query(ctx, rankingQuery, editionID)
	if err != nil {
		return res, fmt.Errorf("ranking: compute: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			kind              string
			e                 Entry
			mean, med, tr, zs Value
		)
		if err := rows.Scan(&kind, &e.ApplicationID, &e.CategoryID, &e.Kind, &e.Title, &e.Organisation, &e.City, &e.Country, &e.Sheets,
			&mean.Value, &mean.Rank, &med.Value, &med.Rank, &tr.Value, &tr.Rank, &zs.Value, &zs.Rank,
			&e.MeanZ, &e.Disagreement, &e.Range); err != nil {
			return res, fmt.Errorf("ranking: compute: %w", err)
		}
		c := res.Category(e.CategoryID)
		if c == nil {
			continue
		}
		if kind == "evaluator" {
			c.Evaluators = append(c.Evaluators, Evaluator{ID: e.ApplicationID, Name: e.Title, Sheets: e.Sheets,
				Mean: mean.Value, Leniency: med.Value, Spread: e.Disagreement})
			c.Mean = mean.Value - med.Value
			continue
		}
		e.By = map[Method]Value{Mean: mean, Median: med, TrimmedMean: tr, ZScore: zs}
		c.Entries = append(c.Entries, e)
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("ranking: compute: %w", err)
	}

	for i := range res.Categories {
		c := &res.Categories[i]
		m := res.Method
		slices.SortStableFunc(c.Entries, func(a, b Entry) int {
			if d := a.By[m].Rank - b.By[m].Rank; d != 0 {
				return d
			}
			if a.Title != b.Title {
				if a.Title < b.Title {
					return -1
				}
				return 1
			}
			return int(a.ApplicationID - b.ApplicationID)
		})
		c.Tie = tieAtCut(c, m)
		c.Sensitivity = sensitivity(c, m)
	}
	return res, nil
}

// tieAtCut finds the tie at the cut under m: the entry at position N (in rank order) shares its
// rank with an entry below position N.
func tieAtCut(c *Category, m Method) *Tie {
	n := c.SemiFinalists
	if len(c.Entries) <= n || n < 1 {
		return nil
	}
	r := c.Entries[n-1].By[m].Rank
	if c.Entries[n].By[m].Rank != r {
		return nil
	}
	t := &Tie{Rank: r, Value: c.Entries[n-1].By[m].Value, Seats: n - (r - 1)}
	for _, e := range c.Entries {
		if e.By[m].Rank == r {
			t.Entries = append(t.Entries, e.ApplicationID)
		}
	}
	return t
}

// sensitivity compares the top N under every other method with the top N under m.
func sensitivity(c *Category, m Method) []Shift {
	chosen := c.Top(m)
	var out []Shift
	for _, o := range Methods {
		if o == m {
			continue
		}
		other := c.Top(o)
		s := Shift{Method: o}
		for _, id := range other {
			if !slices.Contains(chosen, id) {
				s.Enter = append(s.Enter, id)
			}
		}
		for _, id := range chosen {
			if !slices.Contains(other, id) {
				s.Leave = append(s.Leave, id)
			}
		}
		out = append(out, s)
	}
	return out
}

// State is the state of an edition's round 2.
type State struct {
	Method    Method
	MethodSet bool // chosen explicitly by the head (method_set_at recorded)
	SetBy     int64
	SetAt     *time.Time
	ClosedAt  *time.Time
	ClosedBy  int64
}

// Closed reports whether the round is closed (the scores unsealed).
func (s State) Closed() bool { return s.ClosedAt != nil }

// Round returns the state of edition editionID's round 2 (the default method, open, when no
// row exists yet).
func Round(ctx context.Context, q db.DBTX, editionID int64) (State, error) {
	st := State{Method: Mean}
	var (
		method       string
		setBy, clsBy *int64
	)
	err := q.QueryRow(ctx, `SELECT method, method_set_by, method_set_at, closed_at, closed_by FROM scoring_rounds
		WHERE edition_id = $1`, editionID).Scan(&method, &setBy, &st.SetAt, &st.ClosedAt, &clsBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("ranking: round: %w", err)
	}
	st.Method, st.MethodSet = Method(method), st.SetAt != nil
	if setBy != nil {
		st.SetBy = *setBy
	}
	if clsBy != nil {
		st.ClosedBy = *clsBy
	}
	return st, nil
}
