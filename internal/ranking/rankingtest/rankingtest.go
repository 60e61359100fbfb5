// Package rankingtest seeds round-2 entries and score sheets for tests of the ranking and the
// semi-finalists: entries are submitted applications found eligible in a closed round 1, and
// sheets with their indicator scores are written directly in SQL.
package rankingtest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CloseScreening closes round 1 of edition editionID, so that its eligible entries are round-2
// entries (view round2_entries).
func CloseScreening(t testing.TB, pool *pgxpool.Pool, editionID int64) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), `INSERT INTO screening_rounds (edition_id, closed_at) VALUES ($1, now())
		ON CONFLICT (edition_id) DO NOTHING`, editionID); err != nil {
		t.Fatal(err)
	}
}

// Entry creates an applicant of category catKey of edition editionID (login, organisation
// "Org <login>", city and country KR) with a submitted project titled title (its first
// submitted version), found eligible in
// round 1, and returns the application id. It also closes round 1 (CloseScreening).
func Entry(t testing.TB, pool *pgxpool.Pool, editionID int64, catKey, login, title string) int64 {
	t.Helper()
	CloseScreening(t, pool, editionID)
	var id int64
	err := pool.QueryRow(context.Background(), `
		WITH c AS (SELECT id FROM categories WHERE edition_id = $1 AND key = $2),
		u AS (
			INSERT INTO users (login_id, email, name, password_hash, email_verified_at, entity_type, country, city, organisation, edition_id, category_id)
			SELECT $3, $3 || '@example.org', 'Applicant ' || $3, 'x', now(), 'city', 'KR', 'City of ' || $3, 'Org ' || $3, $1, c.id FROM c
			RETURNING id, category_id),
		a AS (
			INSERT INTO applications (user_id, edition_id, category_id, status, answers, submitted_version, submitted_at)
			SELECT u.id, $1, u.category_id, 'submitted', jsonb_build_object('project_title', jsonb_build_object('text', $4::text)), 1, now()
			FROM u RETURNING id, user_id, answers, submitted_at),
		v AS (
			INSERT INTO application_versions (application_id, number, answers, submitted_at)
			SELECT id, 1, answers, submitted_at FROM a)
		INSERT INTO screening_decisions (application_id, decision, decided_by, decided_at)
		SELECT a.id, 'eligible', a.user_id, now() FROM a RETURNING application_id`,
		editionID, catKey, login, title).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Evaluator creates a user holding role (evaluator or committee_head) in edition editionID.
func Evaluator(t testing.TB, pool *pgxpool.Pool, editionID int64, login, role string) int64 {
	t.Helper()
	var id int64
	ctx := context.Background()
	if err := pool.QueryRow(ctx, `INSERT INTO users (login_id, email, name, password_hash, email_verified_at, edition_id)
		VALUES ($1, $1 || '@example.org', 'Evaluator ' || $1, 'x', now(), $2) RETURNING id`, login, editionID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, $2, $3)`, id, role, editionID); err != nil {
		t.Fatal(err)
	}
	return id
}

// Scores gives a sheet's indicator scores by criterion key, in the order of the indicators; one
// score stands for every indicator of the criterion, and the key "*" for every criterion not
// listed.
type Scores map[string][]int

// All scores every indicator score.
func All(score int) Scores { return Scores{"*": {score}} }

// Sheet writes evaluator's sheet on entry appID with scores, submitted or a draft, and returns
// its id.
func Sheet(t testing.TB, pool *pgxpool.Pool, appID, evaluator int64, scores Scores, submitted bool) int64 {
	t.Helper()
	ctx := context.Background()
	status := "draft"
	if submitted {
		status = "submitted"
	}
	var id int64
	if err := pool.QueryRow(ctx, `
		INSERT INTO score_sheets (application_id, evaluator_id, edition_id, status, no_conflict_at, created_at, updated_at, submitted_at)
		SELECT a.id, $2, a.edition_id, $3, now(), now(), now(), CASE WHEN $3 = 'submitted' THEN now() END
		FROM applications a WHERE a.id = $1 RETURNING id`, appID, evaluator, status).Scan(&id); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(scores)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `
		INSERT INTO sheet_scores (sheet_id, indicator_id, score)
		SELECT $1, x.id, (CASE WHEN jsonb_array_length(x.s) = 1 THEN x.s ->> 0 ELSE x.s ->> x.pos END)::int
		FROM (SELECT i.id, coalesce($2::jsonb -> cr.key, $2::jsonb -> '*') AS s,
		             (row_number() OVER (PARTITION BY cr.id ORDER BY i.position) - 1)::int AS pos
		      FROM indicators i JOIN criteria cr ON cr.id = i.criterion_id
		      JOIN applications a ON a.category_id = cr.category_id WHERE a.id = $3) x
		WHERE x.s IS NOT NULL`, id, raw, appID); err != nil {
		t.Fatal(err)
	}
	return id
}
