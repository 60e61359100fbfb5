package screening_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/conflict"
	"prizeportal/internal/contextdata"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/results"
	"prizeportal/internal/screening"
)

// frenchNominatorsSeoulCandidate stores, in w's edition, the submitted and complete nomination by
// Nora Nominator (Paris, France; Paris Digital) of Cand Kim (Seoul Metropolitan Government,
// Seoul, Korea), and returns its id.
func frenchNominatorsSeoulCandidate(t *testing.T, w *world) int64 {
	t.Helper()
	lead, _ := w.ed.Category("leadership")
	var id int64
	if err := w.pool.QueryRow(context.Background(), `
		WITH u AS (
			INSERT INTO users (login_id, email, name, password_hash, entity_type, country, city, organisation, edition_id, category_id)
			VALUES ('nora', 'nora@paris.example', 'Nora Nominator', 'x', 'individual', 'FR', 'Paris', 'Paris Digital', $1, $2)
			RETURNING id),
		a AS (
			INSERT INTO applications (user_id, edition_id, category_id, kind, status, submitted_version, submitted_at)
			SELECT id, $1, $2, 'nomination', 'submitted', 1, $3 FROM u RETURNING id, user_id),
		n AS (
			INSERT INTO nominations (application_id, user_id, edition_id, self, nominator_category, nominator_organisation,
			                         candidate_name, candidate_email, candidate_organisation, candidate_position,
			                         candidate_city, candidate_country, consent, consent_decided_at, created_at)
			SELECT id, user_id, $1, false, 'smart-city-professional', 'Paris Digital', 'Cand Kim', 'kim@seoul.example',
			       'Seoul Metropolitan Government', 'Chief Digital Officer', 'Seoul', 'KR', 'given', $3, $3 FROM a)
		INSERT INTO recommendation_letters (application_id, status, invited_name, invited_email, invited_at, received_at, letter_text)
		SELECT id, 'received', 'Rec', 'rec@example.org', $3, $3, 'A letter.' FROM a RETURNING application_id`,
		w.ed.ID, lead.ID, now).Scan(&id); err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, w.pool, `INSERT INTO application_versions (application_id, number, answers, submitted_at) VALUES ($1, 1, '{}', $2)`, id, now)
	return id
}

// leadershipWorld is newWorld with one project and frenchNominatorsSeoulCandidate's nomination
// (its id), and the Leadership category.
func leadershipWorld(t *testing.T) (*world, int64, *edition.Category) {
	t.Helper()
	w := newWorld(t, 1)
	lead, _ := w.ed.Category("leadership")
	return w, frenchNominatorsSeoulCandidate(t, w), lead
}

// TestLeadershipCandidateIsTheParticipant: a French nominator's Seoul candidate is a Korean,
// Seoul entry everywhere an entry's place is read (DOMAIN.md "Categories": Leadership honours
// individuals): the queue's row and country filter, the context data, the country and city
// conflicts and the public results; the nominator's Paris and France are never used.
func TestLeadershipCandidateIsTheParticipant(t *testing.T) {
	t.Parallel()
	w, id, lead := leadershipWorld(t)
	ctx := context.Background()

	// The queue: the row shows the candidate's organisation and city, and who nominated them;
	// the country filter and column are the candidate's.
	queue := func(country string) []screening.Entry {
		q, err := screening.ListQueue(ctx, w.pool, w.staff, screening.Filter{EditionID: w.ed.ID, CategoryID: lead.ID,
			Country: country, Nominations: true, Sort: "country"})
		if err != nil {
			t.Fatal(err)
		}
		return q.Entries
	}
	if got := queue("FR"); len(got) != 0 {
		t.Fatalf("the nominator's country lists the nomination: %+v", got)
	}
	got := queue("KR")
	if len(got) != 1 || got[0].ID != id || got[0].Country != "KR" || got[0].City != "Seoul" ||
		got[0].Organisation != "Seoul Metropolitan Government" || got[0].Candidate != "Cand Kim" {
		t.Fatalf("queue for Korea: %+v", got)
	}
	if who := got[0].Who(); who != "Seoul Metropolitan Government, Seoul; nominated by Nora Nominator" {
		t.Fatalf("the row reads %q", who)
	}

	// Context data: Korea's and Seoul's indicators, not France's or Paris's.
	dbtest.Exec(t, w.pool, `
		INSERT INTO context_data (edition_id, country, city, indicator, value, year, source, imported_at)
		VALUES ($1, 'KR', '', 'internet_users', 97, 2022, 'ITU', $2), ($1, 'FR', '', 'internet_users', 86, 2022, 'ITU', $2),
		       ($1, 'KR', 'Seoul', 'population', 9.4, 2022, 'KOSIS', $2), ($1, 'FR', 'Paris', 'population', 2.1, 2022, 'INSEE', $2)`,
		w.ed.ID, now)
	ind, err := contextdata.ForEntry(ctx, w.pool, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(ind) != 2 || ind[0].Country != "KR" || ind[0].Value != "97" || ind[1].City != "Seoul" {
		t.Fatalf("context data: %+v", ind)
	}

	// Conflicts: an evaluator who declared Seoul is in conflict; one who declared Paris is not.
	dbtest.Exec(t, w.pool, `
		INSERT INTO users (login_id, email, name, password_hash) VALUES ('ev1', 'ev1@example.org', 'Ev One', 'x'), ('ev2', 'ev2@example.org', 'Ev Two', 'x');
	`)
	dbtest.Exec(t, w.pool, `
		INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, country, created_at)
		SELECT $1, u.id, 'city', c.city, c.country, $2 FROM users u
		JOIN (VALUES ('ev1', 'Seoul', 'KR'), ('ev2', 'Paris', 'FR')) c(login, city, country) ON c.login = u.login_id`, w.ed.ID, now)
	ms, err := conflict.Matches(ctx, w.pool, id)
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, m := range ms {
		if m.SubjectKind == "city" {
			fields = append(fields, m.Subject+" "+m.Field)
		}
	}
	if strings.Join(fields, ",") != "Seoul candidate_city" {
		t.Fatalf("city conflicts: %v", fields)
	}

	// The public results: the winner's organisation, city and country are the candidate's.
	dbtest.Exec(t, w.pool, `INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, confirmed_by, confirmed_at)
		VALUES ($1, $2, $3, 1, 'Leadership Prize', $4, $5)`, id, w.ed.ID, lead.ID, w.staff, now)
	ws, err := results.Winners(ctx, w.pool, w.ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 1 || ws[0].Country != "KR" || ws[0].City != "Seoul" || ws[0].Organisation != "Seoul Metropolitan Government" {
		t.Fatalf("winners: %+v", ws)
	}
}

// TestCandidateToldTheScreeningOutcome: closing round 1 emails a nomination's outcome to its
// candidate, and the nominator gets the copy (the candidate is the participant); a project's
// goes to its applicant only.
func TestCandidateToldTheScreeningOutcome(t *testing.T) {
	t.Parallel()
	w, s, actor, ids := newServiceWorld(t, 1)
	ctx := context.Background()
	id := frenchNominatorsSeoulCandidate(t, w)
	lead, _ := w.ed.Category("leadership")
	if _, err := s.DecideMany(ctx, actor, w.ed, w.tech, screening.Bulk{IDs: ids, Action: "eligible"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideMany(ctx, actor, w.ed, lead, screening.Bulk{IDs: []int64{id}, Action: "eligible"}); err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return time.Date(2023, 6, 10, 0, 0, 0, 0, time.UTC) } // after the letters' deadline
	if _, err := s.CloseRound(ctx, actor, w.ed, "Every entry is decided"); err != nil {
		t.Fatal(err)
	}
	rows, err := w.pool.Query(ctx, `SELECT to_address || ' ' || text_body FROM email_outbox WHERE kind = 'screening-outcome' ORDER BY to_address`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !strings.HasPrefix(got[1], "kim@seoul.example") || !strings.Contains(got[1], "Dear Cand Kim,") ||
		!strings.HasPrefix(got[2], "nora@paris.example") || !strings.Contains(got[2], "Dear Nora Nominator,") {
		t.Fatalf("outcome emails: %q", got)
	}
}

// TestSameCandidateFlagged: a candidate nominated twice (by email address, or by name and
// organisation written differently) is flagged on both nominations in the queue and found by
// the flag filter; a different candidate is not.
func TestSameCandidateFlagged(t *testing.T) {
	t.Parallel()
	w, first, lead := leadershipWorld(t)
	ctx := context.Background()
	nominate := func(login, name, email, org string) int64 {
		t.Helper()
		var id int64
		if err := w.pool.QueryRow(ctx, `
			WITH u AS (INSERT INTO users (login_id, email, name, password_hash, edition_id, category_id)
			           VALUES ($3, $3 || '@example.org', $3, 'x', $1, $2) RETURNING id),
			a AS (INSERT INTO applications (user_id, edition_id, category_id, kind, status, submitted_version, submitted_at)
			      SELECT id, $1, $2, 'nomination', 'submitted', 1, $7 FROM u RETURNING id, user_id)
			INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email,
			                         candidate_organisation, candidate_city, candidate_country, consent, created_at)
			SELECT id, user_id, $1, false, $4, $5, $6, 'Seoul', 'KR', 'given', $7 FROM a RETURNING application_id`,
			w.ed.ID, lead.ID, login, name, email, org, now).Scan(&id); err != nil {
			t.Fatal(err)
		}
		dbtest.Exec(t, w.pool, `INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at, confirmed_at)
			SELECT $1, 'E' || i, 'Seoul', 'KR', 'e' || i || '@example.org', 'e' || i || '@example.org', $2, $2 FROM generate_series(1, 31) i`, id, now)
		return id
	}
	byName := nominate("ana", "  CAND kim ", "cand.kim@other.example", "Seoul Metropolitan Government.")
	other := nominate("ben", "Lee Ji-woo", "lee@busan.example", "Busan City")
	flags := map[int64][]string{}
	q, err := screening.ListQueue(ctx, w.pool, w.staff, screening.Filter{EditionID: w.ed.ID, CategoryID: lead.ID, Nominations: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range q.Entries {
		flags[e.ID] = e.Flags
	}
	if len(q.Entries) != 3 || strings.Join(flags[first], ",") != screening.FlagSameCandidate ||
		strings.Join(flags[byName], ",") != screening.FlagSameCandidate || len(flags[other]) != 0 {
		t.Fatalf("flags: %v", flags)
	}
	q, err = screening.ListQueue(ctx, w.pool, w.staff, screening.Filter{EditionID: w.ed.ID, CategoryID: lead.ID, Nominations: true,
		Flag: screening.FlagSameCandidate})
	if err != nil || q.Total != 2 {
		t.Fatalf("the flag filter: %d entries, %v", q.Total, err)
	}
}
