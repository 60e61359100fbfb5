package application_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/application"
	"prizeportal/internal/db/dbtest"
)

// entry creates an account and a submitted application in category (a key of seoul-2023) with
// the given title, summary and lead organisation, and returns the application's id.
func entry(t *testing.T, pool *pgxpool.Pool, login, category, title, summary, org string) int64 {
	t.Helper()
	answers, err := json.Marshal(map[string]map[string]string{
		"project_title": {"text": title}, "summary": {"text": summary}, "lead_organisation": {"text": org},
	})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	err = pool.QueryRow(context.Background(), `
		WITH u AS (
			INSERT INTO users (login_id, email, name, password_hash, edition_id, category_id)
			SELECT $1, $1 || '@example.org', $1, 'x', e.id, c.id
			FROM editions e JOIN categories c ON c.edition_id = e.id
			WHERE e.slug = 'seoul-2023' AND c.key = $2 RETURNING id, edition_id, category_id)
		INSERT INTO applications (user_id, edition_id, category_id, status, answers)
		SELECT id, edition_id, category_id, 'submitted', $3 FROM u RETURNING id`, login, category, answers).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// secretariatOf creates a staff account holding the secretariat role in seoul-2023.
func secretariatOf(t *testing.T, pool *pgxpool.Pool, login string) int64 {
	t.Helper()
	var id int64
	err := pool.QueryRow(context.Background(), `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash) VALUES ($1, $1 || '@example.org', $1, 'x') RETURNING id)
		INSERT INTO role_grants (user_id, role, edition_id)
		SELECT u.id, 'secretariat', e.id FROM u, editions e WHERE e.slug = 'seoul-2023' RETURNING user_id`, login).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestFindDuplicates(t *testing.T) {
	t.Parallel()
	pool := setup(t)
	ctx := context.Background()
	const summary = "Bus shelters with sensors, heating and free Wi-Fi that tell waiting passengers when the next bus arrives."
	tech := entry(t, pool, "tech", "tech-innovacity", "Smart Bus Shelters for Seoul", summary, "Seoul Metropolitan Government")
	human := entry(t, pool, "human", "human-centricity", "Smart bus shelters in Seoul", summary+" Also for older people.", "Seoul Metropolitan Govt.")
	// The same category: not a cross-category duplicate, however alike.
	entry(t, pool, "tech2", "tech-innovacity", "Smart Bus Shelters for Seoul", summary, "Seoul Metropolitan Government")
	// Unrelated, in the other category.
	entry(t, pool, "other", "human-centricity", "Digital literacy classes for grandparents",
		"Volunteers teach older residents to use smartphones for banking and health appointments.", "Busan Welfare Foundation")
	staff := secretariatOf(t, pool, "sec")

	var edID int64
	if err := pool.QueryRow(ctx, `SELECT id FROM editions WHERE slug = 'seoul-2023'`).Scan(&edID); err != nil {
		t.Fatal(err)
	}
	got, err := application.FindDuplicates(ctx, pool, staff, edID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Capped {
		t.Error("capped with three pairs at most")
	}
	// tech and tech2 are each paired with human; nothing else.
	if len(got.Pairs) != 2 {
		t.Fatalf("pairs = %+v, want 2 (tech-human and tech2-human)", got.Pairs)
	}
	seen := map[int64]bool{}
	for _, p := range got.Pairs {
		if p.A.Category == p.B.Category {
			t.Errorf("pair in one category: %+v", p)
		}
		if p.B.ID != human && p.A.ID != human {
			t.Errorf("pair without the Human-CentriCity entry: %+v", p)
		}
		if p.Title < application.DuplicateThreshold || p.Summary < application.DuplicateThreshold {
			t.Errorf("similarities title %.2f summary %.2f, want both at least %.2f", p.Title, p.Summary, application.DuplicateThreshold)
		}
		if p.Score < p.Title || p.Score < p.Summary || p.Score < p.Organisation {
			t.Errorf("score %.2f is not the largest similarity of %+v", p.Score, p)
		}
		seen[p.A.ID], seen[p.B.ID] = true, true
	}
	if !seen[tech] {
		t.Errorf("the Tech-InnovaCity entry %d is not paired: %+v", tech, got.Pairs)
	}

	// Another edition's secretariat (or none) sees nothing: the SQL filter.
	var outsider int64
	if err := pool.QueryRow(ctx, `INSERT INTO users (login_id, email, name, password_hash) VALUES ('out', 'out@example.org', 'out', 'x') RETURNING id`).Scan(&outsider); err != nil {
		t.Fatal(err)
	}
	if got, err := application.FindDuplicates(ctx, pool, outsider, edID); err != nil || len(got.Pairs) != 0 {
		t.Errorf("outsider: %+v, %v; want no pairs", got, err)
	}

	// A withdrawn application is no longer a duplicate.
	dbtest.Exec(t, pool, `UPDATE applications SET status = 'withdrawn' WHERE id = $1`, human)
	if got, err := application.FindDuplicates(ctx, pool, staff, edID); err != nil || len(got.Pairs) != 0 {
		t.Errorf("after withdrawal: %+v, %v; want no pairs", got, err)
	}
}
