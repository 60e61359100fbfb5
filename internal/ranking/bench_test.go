package ranking_test

import (
	"context"
	"testing"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/ranking"
	rt "prizeportal/internal/ranking/rankingtest"
)

// BenchmarkCompute ranks 10,000 round-2 entries with 3 submitted sheets each of 20 indicator
// scores in a single Compute call (ARCHITECTURE.md: aggregations such as rankings run in SQL).
// The definition is seoul-2023's Tech-InnovaCity (5 criteria, 16 indicators) with 4 more
// indicators added to its first criterion, so 20 indicators; 10 evaluators, each entry scored
// by 3 of them in turn; everything is seeded with generate_series.
func BenchmarkCompute(b *testing.B) {
	ctx := context.Background()
	pool := dbtest.New(b)
	ed := editiontest.Import(b, pool, "seoul-2023")[0]
	tech, _ := ed.Category("tech-innovacity")
	rt.CloseScreening(b, pool, ed.ID)
	const entries, evaluators = 10000, 10
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO indicators (criterion_id, key, name, position)
		 SELECT cr.id, 'extra-' || g, 'Extra ' || g, 100 + g
		 FROM criteria cr, generate_series(1, 4) g
		 WHERE cr.category_id = $1 AND cr.position = (SELECT min(position) FROM criteria WHERE category_id = $1)`,
			[]any{tech.ID}},
		{`WITH u AS (
			INSERT INTO users (login_id, email, name, password_hash, email_verified_at, edition_id)
			SELECT 'ev' || g, 'ev' || g || '@example.org', 'Evaluator ' || g, 'x', now(), $1 FROM generate_series(1, 10) g RETURNING id)
		 INSERT INTO role_grants (user_id, role, edition_id) SELECT id, 'evaluator', $1 FROM u`,
			[]any{ed.ID}},
		{`WITH u AS (
			INSERT INTO users (login_id, email, name, password_hash, email_verified_at, country, city, organisation, edition_id, category_id)
			SELECT 'app' || g, 'app' || g || '@example.org', 'Applicant ' || g, 'x', now(), 'KR', 'City ' || g, 'Org ' || g, $2, $1
			FROM generate_series(1, 10000) g RETURNING id),
		 a AS (
			INSERT INTO applications (user_id, edition_id, category_id, status, answers, submitted_version, submitted_at)
			SELECT id, $2, $1, 'submitted', jsonb_build_object('project_title', jsonb_build_object('text', 'Project ' || id)), 1, now()
			FROM u RETURNING id, user_id)
		 INSERT INTO screening_decisions (application_id, decision, decided_by, decided_at) SELECT id, 'eligible', user_id, now() FROM a`,
			[]any{tech.ID, ed.ID}},
		{`WITH ev AS (SELECT u.id, row_number() OVER (ORDER BY u.id) - 1 AS k FROM users u WHERE login_id LIKE 'ev%'),
		 ap AS (SELECT a.id, row_number() OVER (ORDER BY a.id) - 1 AS k FROM applications a WHERE a.category_id = $1)
		 INSERT INTO score_sheets (application_id, evaluator_id, edition_id, status, no_conflict_at, created_at, updated_at, submitted_at)
		 SELECT ap.id, ev.id, $2, 'submitted', now(), now(), now(), now()
		 FROM ap CROSS JOIN generate_series(0, 2) j JOIN ev ON ev.k = (ap.k + j) % 10`,
			[]any{tech.ID, ed.ID}},
		{`INSERT INTO sheet_scores (sheet_id, indicator_id, score)
		 SELECT s.id, i.id, 1 + ((s.application_id * 7 + i.id * 13 + s.evaluator_id * 3) % 5)
		 FROM score_sheets s JOIN indicators i ON i.criterion_id IN (SELECT id FROM criteria WHERE category_id = $1)
		 WHERE s.edition_id = $2`,
			[]any{tech.ID, ed.ID}},
	} {
		if _, err := pool.Exec(ctx, q.sql, q.args...); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	var sheets, scores, indicators int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM score_sheets), (SELECT count(*) FROM sheet_scores),
		(SELECT count(*) FROM indicators i JOIN criteria c ON c.id = i.criterion_id WHERE c.category_id = $1)`, tech.ID).
		Scan(&sheets, &scores, &indicators); err != nil {
		b.Fatal(err)
	}
	if sheets != entries*3 || scores != entries*3*20 || indicators != 20 {
		b.Fatalf("seeded %d sheets, %d scores, %d indicators; want %d, %d, 20", sheets, scores, indicators, entries*3, entries*3*20)
	}
	_ = evaluators
	b.ResetTimer()
	for b.Loop() {
		res, err := ranking.Compute(ctx, pool, ed.ID)
		if err != nil {
			b.Fatal(err)
		}
		if c := res.Category(tech.ID); c == nil || len(c.Entries) != entries || len(c.Evaluators) != evaluators {
			b.Fatalf("ranked %d entries", len(c.Entries))
		}
	}
}
