package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// duplicateEntry creates an applicant in category (a key of seoul-2023) with a submitted
// application of the given title, summary and lead organisation; it returns the application id.
func duplicateEntry(t *testing.T, e *env, login, category, title, summary, org string) int64 {
	t.Helper()
	answers, err := json.Marshal(map[string]map[string]string{
		"project_title": {"text": title}, "summary": {"text": summary}, "lead_organisation": {"text": org},
	})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := e.pool.QueryRow(context.Background(), `
		WITH u AS (
			INSERT INTO users (login_id, email, name, password_hash, edition_id, category_id, entity_type)
			SELECT $1, $1 || '@example.org', 'Applicant ' || $1, 'x', ed.id, c.id, 'city'
			FROM editions ed JOIN categories c ON c.edition_id = ed.id
			WHERE ed.slug = 'seoul-2023' AND c.key = $2 RETURNING id, edition_id, category_id)
		INSERT INTO applications (user_id, edition_id, category_id, status, answers)
		SELECT id, edition_id, category_id, 'submitted', $3 FROM u RETURNING id`, login, category, answers).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSecretariatDuplicates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	const summary = "Bus shelters with sensors, heating and free Wi-Fi that tell waiting passengers when the next bus arrives."
	tech := duplicateEntry(t, e, "tech", "tech-innovacity", "Smart Bus Shelters for Seoul", summary, "Seoul Metropolitan Government")
	human := duplicateEntry(t, e, "human", "human-centricity", "Smart bus shelters in Seoul", summary, "Seoul Metropolitan Government")
	duplicateEntry(t, e, "tech2", "tech-innovacity", "Smart Bus Shelters for Seoul (copy)", summary, "Seoul Metropolitan Government")
	duplicateEntry(t, e, "other", "human-centricity", "Digital literacy classes for grandparents",
		"Volunteers teach older residents to use smartphones for banking and health appointments.", "Busan Welfare Foundation")

	sec := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
	r := sec.get("/secretariat/duplicates")
	if r.status != 200 {
		t.Fatalf("duplicates: %d\n%s", r.status, r.body)
	}
	for _, want := range []string{
		"may not be entered in both Tech-InnovaCity and Human-CentriCity",
		fmt.Sprintf(`href="/secretariat/applications/%d/extension"`, tech),
		fmt.Sprintf(`href="/secretariat/applications/%d/extension"`, human),
		"100%", // the summaries are the same
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("duplicates page lacks %q\n%s", want, r.body)
		}
	}
	if strings.Contains(r.body, "Digital literacy") {
		t.Error("the unrelated application is listed")
	}
	// tech and tech2 are each paired with human: two rows.
	if n := strings.Count(r.body, "Applicant human"); n != 2 {
		t.Errorf("the Human-CentriCity entry appears %d times, want 2 (one per Tech-InnovaCity look-alike)", n)
	}

	// Other roles are refused; so is an edition the secretariat member does not serve.
	for _, role := range []string{"admin", "evaluator", "council", "applicant"} {
		c := e.signedInClient(t, matrixUser(t, e, role+"-user", role))
		if r := c.get("/secretariat/duplicates"); r.status != 403 {
			t.Errorf("%s: status %d, want 403", role, r.status)
		}
	}
	if r := sec.get("/secretariat/duplicates?edition=999999"); r.status != 403 {
		t.Errorf("another edition: status %d, want 403", r.status)
	}
}
