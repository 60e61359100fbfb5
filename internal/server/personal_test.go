package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"prizeportal/internal/ranking/rankingtest"
)

// TestPersonalDataHoldsWhatTheUserWrote: the personal data download holds the user's entries
// with every submitted version and the clarifications asked about them (an applicant), the
// score sheets (an evaluator) and the ballots (a council member), each only to its own author.
func TestPersonalDataHoldsWhatTheUserWrote(t *testing.T) {
	t.Parallel()
	w := newBallotWorld(t, votingDay, 3, 3)
	ctx := context.Background()
	var owner int64
	w.e.pool.QueryRow(ctx, `SELECT user_id FROM applications WHERE id = $1`, w.entries[0]).Scan(&owner)
	w.exec(t, `INSERT INTO application_versions (application_id, number, answers, submitted_at)
		SELECT id, 1, answers, now() FROM applications WHERE id = $1 ON CONFLICT DO NOTHING`, w.entries[0])
	w.exec(t, `INSERT INTO clarifications (application_id, question, deadline, asked_by, asked_at, answer_text, answered_by, answered_at)
		VALUES ($1, 'Which city runs the project?', now() + interval '7 days', $2, now(), 'Seoul runs it with its districts.', $3, now())`,
		w.entries[0], w.secretariat, owner)
	rankingtest.Sheet(t, w.e.pool, w.entries[1], w.evaluator, rankingtest.All(4), true)
	w.exec(t, `UPDATE score_sheets SET overall_comment = 'A convincing pilot, small scale.' WHERE evaluator_id = $1`, w.evaluator)
	w.vote(t, w.members[0], 2, 1, 3)

	download := func(user int64) (map[string]json.RawMessage, string) {
		t.Helper()
		c := w.e.signedInClient(t, user)
		req, _ := http.NewRequest("GET", c.base+"/account/data.json", nil)
		res, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var raw json.RawMessage
		if err := json.NewDecoder(res.Body).Decode(&raw); err != nil {
			t.Fatal(err)
		}
		var out map[string]json.RawMessage
		json.Unmarshal(raw, &out)
		return out, string(raw)
	}
	count := func(d map[string]json.RawMessage, key string) int {
		var list []json.RawMessage
		if err := json.Unmarshal(d[key], &list); err != nil {
			t.Fatalf("%s: %v (%s)", key, err, d[key])
		}
		return len(list)
	}

	d, text := download(owner)
	if count(d, "entries") != 1 || count(d, "clarifications") != 1 || count(d, "score_sheets") != 0 || count(d, "ballots") != 0 ||
		!strings.Contains(text, "Entry A") || !strings.Contains(text, "Seoul runs it with its districts.") || !strings.Contains(text, `"submitted_versions"`) {
		t.Fatalf("the applicant's download:\n%s", text)
	}
	if strings.Contains(text, "A convincing pilot") || strings.Contains(text, "Evaluator sec") {
		t.Errorf("the applicant's download holds another user's data:\n%s", text)
	}
	d, text = download(w.evaluator)
	if count(d, "score_sheets") != 1 || count(d, "entries") != 0 || !strings.Contains(text, "A convincing pilot, small scale.") {
		t.Fatalf("the evaluator's download:\n%s", text)
	}
	d, text = download(w.members[0])
	if count(d, "ballots") != 1 || !strings.Contains(text, `"rank": 1`) {
		t.Fatalf("the council member's download:\n%s", text)
	}
	if d, _ := download(w.members[1]); count(d, "ballots") != 0 {
		t.Error("another member's download holds a ballot")
	}
	page := w.e.signedInClient(t, owner).get("/account/data")
	if page.status != 200 || !strings.Contains(page.body, "What you wrote") || !strings.Contains(page.body, "Clarifications asked about them") {
		t.Errorf("the personal data page: %d\n%s", page.status, page.body)
	}
}
