// Package analytics aggregates an edition's data for the charts that assist the Evaluation
// Committee and the Prize Council (DOMAIN.md "Round 2": the "analysis and
// visualization of data collected from the applicants" is shared with the committee and the
// council): submissions by category, entity type, country, world region and the answers to the
// form's choice questions; the numeric answers compared across entries; the distribution of the
// committee's scores per criterion and per evaluator; the criterion profiles of the
// semi-finalists.
//
// Everything is aggregated in SQL. Every query repeats who may read it (authz.ReadsAllAnalytics):
// the secretariat, the committee head or the council of the edition (@viewer), or, once round 2
// is closed, an evaluator of the edition for the categories they score (evaluator_categories). The scores stay sealed until the
// committee head closes round 2 (scoring_rounds.closed_at, as internal/ranking unseals them), and
// the semi-finalists' profiles exist once the head confirmed the category's list (as the
// dossiers, internal/dossier).
//
// The data of an entry are its last submitted version (application_versions), what the committee
// reads; an entry is an application of the edition with status submitted. A criterion score is
// one submitted sheet's score on one criterion: the mean of its indicator scores (as in
// internal/ranking and internal/dossier).
package analytics

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/blocks/country"
	"prizeportal/internal/db"
)

// unsealed is the SQL filter on round 2: the committee head closed it.
const unsealed = `EXISTS (SELECT 1 FROM scoring_rounds r WHERE r.edition_id = @edition AND r.closed_at IS NOT NULL)`

// allReaders is the SQL filter on the viewer who reads the whole analysis
// (authz.ReadsAllAnalytics): the secretariat, the committee head or the council of the edition.
const allReaders = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @viewer AND g.edition_id = @edition
	AND g.role IN ('secretariat', 'committee_head', 'council'))`

// evaluatorOf is the SQL filter on an evaluator of the edition who scores the category whose id
// is %s, once round 2 is closed.
const evaluatorOf = `(` + unsealed + ` AND EXISTS (SELECT 1 FROM role_grants g JOIN evaluator_categories ec ON ec.user_id = g.user_id
	WHERE g.user_id = @viewer AND g.edition_id = @edition AND g.role = 'evaluator' AND ec.category_id = %s))`

// readsCategory is the SQL filter on the viewer who reads the analysis of the category whose id
// is the SQL expression col: allReaders, or one of its evaluators once round 2 is closed.
func readsCategory(col string) string {
	return `(` + allReaders + ` OR ` + fmt.Sprintf(evaluatorOf, col) + `)`
}

// readers is the SQL filter on the viewer who reads some of the analysis of the edition.
var readers = readsCategory(`ec.category_id`)

// submitted are the edition's submitted entries with their last submitted answers.
var submitted = `sub AS (
	SELECT a.id, a.category_id, v.answers
	FROM applications a
	JOIN LATERAL (SELECT answers FROM application_versions WHERE application_id = a.id ORDER BY number DESC LIMIT 1) v ON true
	WHERE a.edition_id = @edition AND a.status = 'submitted' AND ` + readsCategory(`a.category_id`) + `)`

// entryTitle is an entry's title: the project's title, or "Nomination of" the candidate (a is
// the application, n its nomination, ans the answers).
const entryTitle = `CASE WHEN a.kind = 'nomination' THEN 'Nomination of ' || coalesce(n.candidate_name, '')
	ELSE coalesce(ans -> 'project_title' ->> 'text', '') END`

// Dimensions of the submission counts.
const (
	ByCategory   = "category"
	ByEntityType = "entity_type"
	ByCountry    = "country"
	ByRegion     = "region"
)

// Count is the number of submitted entries with one value of a dimension: Key is the category
// or entity type key, the ISO country code or the M49 region code ("" when unknown or not
// given); Label names it (for a country, the code: the caller names it).
type Count struct {
	Dimension string
	Key       string
	Label     string
	N         int
}

// Submissions counts the submitted entries of edition editionID by category and entity type
// (every one of the edition, in its order, zeros included), by country and by world region (the
// ones present, the most entries first). Nothing when viewer may not read the edition's
// analytics.
func Submissions(ctx context.Context, q db.DBTX, viewer, editionID int64) ([]Count, error) {
	var codes, regions []string
	for _, c := range country.All() {
		if r, ok := country.RegionOf(c.Code); ok {
			codes, regions = append(codes, c.Code), append(regions, r.Code)
		}
	}
	names := map[string]string{}
	for _, r := range country.Regions {
		names[r.Code] = r.Name
	}
	var rnames, rcodes []string
	for code, name := range names {
		rcodes, rnames = append(rcodes, code), append(rnames, name)
	}
	return db.List(ctx, q, "analytics: submissions", func(r pgx.CollectableRow) (Count, error) {
		var c Count
		err := r.Scan(&c.Dimension, &c.Key, &c.Label, &c.N)
		return c, err
	}, `
		WITH e AS (
			SELECT a.id, a.category_id, u.entity_type, upper(btrim(p.country)) AS country, coalesce(m.region, '') AS region
			FROM applications a
			JOIN users u ON u.id = a.user_id
			JOIN entry_participants p ON p.application_id = a.id
			LEFT JOIN unnest(@codes::text[], @regions::text[]) AS m(code, region) ON m.code = upper(btrim(p.country))
			WHERE a.edition_id = @edition AND a.status = 'submitted' AND `+readsCategory(`a.category_id`)+`
		)
		SELECT x.dim, x.key, x.label, x.n FROM (
			SELECT 1 AS part, 'category' AS dim, c.key, c.name AS label, count(e.id)::int AS n, c.position AS ord
			FROM categories c LEFT JOIN e ON e.category_id = c.id
			WHERE c.edition_id = @edition AND `+readsCategory(`c.id`)+`
			GROUP BY c.id
			UNION ALL
			SELECT 2, 'entity_type', t.key, t.name, count(e.id)::int, t.position
			FROM entity_types t LEFT JOIN e ON e.entity_type = t.key
			WHERE t.edition_id = @edition AND `+readers+`
			GROUP BY t.id
			UNION ALL
			SELECT 3, 'country', e.country, e.country, count(*)::int, 0 FROM e GROUP BY e.country
			UNION ALL
			SELECT 4, 'region', e.region, coalesce(rn.name, ''), count(*)::int, 0
			FROM e LEFT JOIN unnest(@rcodes::text[], @rnames::text[]) AS rn(code, name) ON rn.code = e.region
			GROUP BY e.region, rn.name
		) x
		ORDER BY x.part, x.ord, x.n DESC, x.label, x.key`,
		pgx.NamedArgs{"viewer": viewer, "edition": editionID, "codes": codes, "regions": regions, "rcodes": rcodes, "rnames": rnames})
}

// ChoiceCount counts the submitted entries that chose Option in question Question (a single or
// multiple choice). Option "" is the count of entries that answered the question at all.
type ChoiceCount struct {
	Question string
	Option   string
	N        int
}

// Choices counts the answers of the submitted entries of edition editionID to the choice
// questions keys (question keys: a single choice's answer is its text, a multiple choice's its
// choices), per question and option, the most chosen first, with one row per question (Option
// "") counting the entries that answered it.
func Choices(ctx context.Context, q db.DBTX, viewer, editionID int64, keys []string) ([]ChoiceCount, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	return db.List(ctx, q, "analytics: choices", func(r pgx.CollectableRow) (ChoiceCount, error) {
		var c ChoiceCount
		err := r.Scan(&c.Question, &c.Option, &c.N)
		return c, err
	}, `
		WITH `+submitted+`,
		picked AS (
			SELECT DISTINCT sub.id, k.key, o.opt
			FROM sub
			CROSS JOIN unnest(@keys::text[]) AS k(key)
			CROSS JOIN LATERAL (
				SELECT sub.answers -> k.key ->> 'text' AS opt
				UNION ALL
				SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(sub.answers -> k.key -> 'choices') = 'array'
					THEN sub.answers -> k.key -> 'choices' ELSE '[]'::jsonb END)
			) o
			WHERE coalesce(o.opt, '') <> ''
		)
		SELECT key, coalesce(opt, ''), count(DISTINCT id)::int
		FROM picked
		GROUP BY GROUPING SETS ((key, opt), (key))
		ORDER BY key, opt IS NOT NULL, count(DISTINCT id) DESC, opt`,
		pgx.NamedArgs{"viewer": viewer, "edition": editionID, "keys": keys})
}

// NumberQuestion is a numeric question (number or money) of a category's form.
type NumberQuestion struct {
	CategoryID int64
	Key        string
}

// NumberValue is one entry's answer to a numeric question.
type NumberValue struct {
	CategoryID int64
	Question   string
	AppID      int64
	Title      string
	Value      float64
}

// NumberSummary summarises the answers of a category's entries to a numeric question.
type NumberSummary struct {
	CategoryID             int64
	Question               string
	N                      int
	Min, Median, Max, Mean float64
}

// Numbers returns the answers of the submitted entries of edition editionID to the numeric
// questions qs (each of its category's form): every entry's value, per category and question
// the largest first, and their summary. An answer without a valid number is left out.
func Numbers(ctx context.Context, q db.DBTX, viewer, editionID int64, qs []NumberQuestion) ([]NumberValue, []NumberSummary, error) {
	if len(qs) == 0 {
		return nil, nil, nil
	}
	cats, keys := make([]int64, len(qs)), make([]string, len(qs))
	for i, x := range qs {
		cats[i], keys[i] = x.CategoryID, x.Key
	}
	args := pgx.NamedArgs{"viewer": viewer, "edition": editionID, "cats": cats, "keys": keys}
	values := `WITH ` + submitted + `,
		v AS (
			SELECT sub.id, sub.category_id, k.key, (sub.answers -> k.key ->> 'number')::float8 AS value, sub.answers AS ans
			FROM sub JOIN unnest(@cats::bigint[], @keys::text[]) AS k(category_id, key) ON k.category_id = sub.category_id
			WHERE jsonb_typeof(sub.answers -> k.key -> 'number') = 'number'
		)`
	vals, err := db.List(ctx, q, "analytics: numbers", func(r pgx.CollectableRow) (NumberValue, error) {
		var x NumberValue
		err := r.Scan(&x.CategoryID, &x.Question, &x.AppID, &x.Title, &x.Value)
		return x, err
	}, values+`
		SELECT v.category_id, v.key, v.id, `+entryTitle+`, v.value
		FROM v JOIN applications a ON a.id = v.id LEFT JOIN nominations n ON n.application_id = a.id
		ORDER BY v.category_id, v.key, v.value DESC, v.id`, args)
	if err != nil {
		return nil, nil, err
	}
	sums, err := db.List(ctx, q, "analytics: number summaries", func(r pgx.CollectableRow) (NumberSummary, error) {
		var s NumberSummary
		err := r.Scan(&s.CategoryID, &s.Question, &s.N, &s.Min, &s.Median, &s.Max, &s.Mean)
		return s, err
	}, values+`
		SELECT category_id, key, count(*)::int, min(value), percentile_cont(0.5) WITHIN GROUP (ORDER BY value), max(value), avg(value)
		FROM v GROUP BY category_id, key ORDER BY category_id, key`, args)
	if err != nil {
		return nil, nil, err
	}
	return vals, sums, nil
}

// Distribution summarises criterion scores: of one criterion of a category (CriterionID set),
// or given by one evaluator in a category (EvaluatorID set, Name the evaluator's name).
// Quartiles are interpolated (percentile_cont).
type Distribution struct {
	CategoryID  int64
	CriterionID int64
	EvaluatorID int64
	Name        string
	N           int
	Min, Q1     float64
	Median, Q3  float64
	Max, Mean   float64
}

// Scores returns the distribution of the criterion scores of the submitted sheets of edition
// editionID's round-2 entries per criterion (in the criteria's order) and per evaluator (the
// highest mean first), per category in the edition's order. Nothing while the scores are sealed.
func Scores(ctx context.Context, q db.DBTX, viewer, editionID int64) (criteria, evaluators []Distribution, err error) {
	all, err := db.List(ctx, q, "analytics: scores", func(r pgx.CollectableRow) (Distribution, error) {
		var d Distribution
		err := r.Scan(&d.CategoryID, &d.CriterionID, &d.EvaluatorID, &d.Name, &d.N, &d.Min, &d.Q1, &d.Median, &d.Q3, &d.Max, &d.Mean)
		return d, err
	}, `
		WITH cs AS (
			SELECT s.id, s.evaluator_id, e.category_id, i.criterion_id, avg(ss.score)::float8 AS score
			FROM score_sheets s
			JOIN round2_entries e ON e.application_id = s.application_id AND e.edition_id = @edition
			JOIN sheet_scores ss ON ss.sheet_id = s.id
			JOIN indicators i ON i.id = ss.indicator_id
			WHERE s.edition_id = @edition AND s.status = 'submitted' AND `+readsCategory(`e.category_id`)+` AND `+unsealed+`
			GROUP BY s.id, s.evaluator_id, e.category_id, i.criterion_id
		), d AS (
			SELECT category_id, criterion_id, evaluator_id, count(*)::int AS n, min(score) AS mn,
			       percentile_cont(0.25) WITHIN GROUP (ORDER BY score) AS q1,
			       percentile_cont(0.5) WITHIN GROUP (ORDER BY score) AS med,
			       percentile_cont(0.75) WITHIN GROUP (ORDER BY score) AS q3,
			       max(score) AS mx, avg(score) AS mean
			FROM cs GROUP BY GROUPING SETS ((category_id, criterion_id), (category_id, evaluator_id))
		)
		SELECT d.category_id, coalesce(d.criterion_id, 0), coalesce(d.evaluator_id, 0),
		       coalesce(cr.name, u.name, ''), d.n, d.mn, d.q1, d.med, d.q3, d.mx, d.mean
		FROM d
		JOIN categories c ON c.id = d.category_id
		LEFT JOIN criteria cr ON cr.id = d.criterion_id
		LEFT JOIN users u ON u.id = d.evaluator_id
		ORDER BY c.position, c.id, d.criterion_id IS NULL, cr.position, round(d.mean::numeric, 9) DESC, d.evaluator_id`,
		pgx.NamedArgs{"viewer": viewer, "edition": editionID})
	if err != nil {
		return nil, nil, err
	}
	for _, d := range all {
		if d.CriterionID != 0 {
			criteria = append(criteria, d)
		} else {
			evaluators = append(evaluators, d)
		}
	}
	return criteria, evaluators, nil
}

// CriterionMean is the committee's mean score of an entry on one criterion: the mean over its
// submitted sheets of the sheet's criterion score.
type CriterionMean struct {
	CriterionID int64
	Mean        float64
	// CategoryMean is the mean of Mean over the category's semi-finalists scored on the
	// criterion.
	CategoryMean float64
}

// Profile is a confirmed semi-finalist with its criterion means (in the criteria's order; none
// when no sheet was submitted for it).
type Profile struct {
	CategoryID int64
	AppID      int64
	Title      string
	Rank       int    // the committee's rank; 0 for an addition
	Source     string // ranking | tie | addition
	Sheets     int
	Means      []CriterionMean
}

// Profiles returns the confirmed semi-finalists of edition editionID with their criterion means,
// by category (the edition's order) and rank (additions last). Nothing while the scores are
// sealed, and nothing of a category whose list the head has not confirmed.
func Profiles(ctx context.Context, q db.DBTX, viewer, editionID int64) ([]Profile, error) {
	rows, err := q.Query(ctx, `
		WITH sf AS (
			SELECT sf.application_id, sf.category_id, sf.rank, sf.source
			FROM semi_finalists sf
			JOIN semi_finalist_lists l ON l.edition_id = sf.edition_id AND l.category_id = sf.category_id
			WHERE sf.edition_id = @edition AND `+readsCategory(`sf.category_id`)+` AND `+unsealed+`
		), cs AS (
			SELECT s.id, s.application_id, i.criterion_id, avg(ss.score)::float8 AS score
			FROM sf
			JOIN score_sheets s ON s.application_id = sf.application_id AND s.status = 'submitted'
			JOIN sheet_scores ss ON ss.sheet_id = s.id
			JOIN indicators i ON i.id = ss.indicator_id
			GROUP BY s.id, s.application_id, i.criterion_id
		), m AS (
			SELECT application_id, criterion_id, avg(score) AS mean, count(*)::int AS sheets
			FROM cs GROUP BY application_id, criterion_id
		)
		SELECT sf.category_id, sf.application_id, `+entryTitle+`, coalesce(sf.rank, 0), sf.source,
		       coalesce(m.criterion_id, 0), coalesce(m.mean, 0), coalesce(m.sheets, 0),
		       coalesce(avg(m.mean) OVER (PARTITION BY sf.category_id, m.criterion_id), 0)
		FROM sf
		JOIN applications a ON a.id = sf.application_id
		CROSS JOIN LATERAL (SELECT answers AS ans FROM application_versions WHERE application_id = a.id ORDER BY number DESC LIMIT 1) v
		JOIN categories c ON c.id = sf.category_id
		LEFT JOIN nominations n ON n.application_id = a.id
		LEFT JOIN m ON m.application_id = sf.application_id
		LEFT JOIN criteria cr ON cr.id = m.criterion_id
		ORDER BY c.position, c.id, sf.rank NULLS LAST, sf.application_id, cr.position`,
		pgx.NamedArgs{"viewer": viewer, "edition": editionID})
	if err != nil {
		return nil, fmt.Errorf("analytics: profiles: %w", err)
	}
	defer rows.Close()
	var out []Profile
	for rows.Next() {
		var (
			p      Profile
			m      CriterionMean
			sheets int
		)
		if err := rows.Scan(&p.CategoryID, &p.AppID, &p.Title, &p.Rank, &p.Source, &m.CriterionID, &m.Mean, &sheets, &m.CategoryMean); err != nil {
			return nil, fmt.Errorf("analytics: profiles: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].AppID != p.AppID {
			out = append(out, p)
		}
		last := &out[len(out)-1]
		if m.CriterionID != 0 {
			last.Means = append(last.Means, m)
			last.Sheets = max(last.Sheets, sheets)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("analytics: profiles: %w", err)
	}
	return out, nil
}
