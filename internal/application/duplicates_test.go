package application_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/application"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/form/formtest"
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

// TestSubmitAndWithdrawFlagLikelyDuplicates: submitting an entry flags it and its likely
// duplicate in another category, each naming the other (the screening queue's flag); the pair
// is what DuplicatesOf lists for either side; withdrawing one side takes both flags away.
func TestSubmitAndWithdrawFlagLikelyDuplicates(t *testing.T) {
	t.Parallel()
	w := newSvcWorld(t)
	ctx := context.Background()
	a, answers := w.completed(t)
	twin := entry(t, w.pool, "twin", "human-centricity", answers["project_title"].Text, answers["summary"].Text, answers["lead_organisation"].Text)
	unrelated := entry(t, w.pool, "unrelated", "human-centricity", "Digital literacy classes for grandparents",
		"Volunteers teach older residents to use smartphones for banking and health appointments.", "Busan Welfare Foundation")
	flags := func() string {
		t.Helper()
		var got string
		if err := w.pool.QueryRow(ctx, `SELECT coalesce(string_agg(application_id || '>' || detail, ',' ORDER BY application_id), '')
			FROM entry_flags WHERE kind = $1`, application.FlagDuplicate).Scan(&got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := flags(); got != "" {
		t.Fatalf("flags before the submission: %s", got)
	}
	entry, err := w.svc.Project(ctx, w.kim.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Submit(ctx, w.kim, entry, a.Version); err != nil {
		t.Fatal(err)
	}
	want := strconv.FormatInt(a.ID, 10) + ">" + strconv.FormatInt(twin, 10) + "," + strconv.FormatInt(twin, 10) + ">" + strconv.FormatInt(a.ID, 10)
	if got := flags(); got != want {
		t.Errorf("flags after the submission = %q, want %q (both sides, not %d)", got, want, unrelated)
	}
	staff := secretariatOf(t, w.pool, "sec")
	for _, id := range []int64{a.ID, twin} {
		got, err := application.DuplicatesOf(ctx, w.pool, staff, w.ed.ID, id)
		if err != nil || len(got.Pairs) != 1 || got.Pairs[0].A.ID != a.ID || got.Pairs[0].B.ID != twin {
			t.Errorf("DuplicatesOf(%d) = %+v, %v; want the one pair", id, got.Pairs, err)
		}
	}
	if got, err := application.DuplicatesOf(ctx, w.pool, staff, w.ed.ID, unrelated); err != nil || len(got.Pairs) != 0 {
		t.Errorf("DuplicatesOf(unrelated) = %+v, %v; want none", got.Pairs, err)
	}
	fresh, err := application.LoadEntry(ctx, w.pool, w.kim.UserID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Withdraw(ctx, w.kim, fresh, w.ed.Schedule); err != nil {
		t.Fatal(err)
	}
	if got := flags(); got != "" {
		t.Errorf("flags after the withdrawal: %s", got)
	}
}

// completed is kim's application with every answer of the form given (formtest.Complete), saved.
func (w *svcWorld) completed(t *testing.T) (application.Application, form.Answers) {
	t.Helper()
	ctx := context.Background()
	a, err := application.Load(ctx, w.pool, w.kim.UserID)
	if err != nil {
		t.Fatal(err)
	}
	answers := formtest.Complete(w.cat.Form)
	if a, err = w.svc.SaveSection(ctx, w.kim, a, w.ed.Schedule, 0, application.Edit{Answers: answers}); err != nil {
		t.Fatal(err)
	}
	return a, answers
}
