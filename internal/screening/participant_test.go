package screening_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/conflict"
	"prizeportal/internal/contextdata"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/nomination"
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
	if who := i18n.English(got[0].Who()); who != "Seoul Metropolitan Government, Seoul; nominated by Nora Nominator" {
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
	byName := nominateCandidate(t, w, "ana", "  CAND kim ", "cand.kim@other.example", "Seoul Metropolitan Government.")
	other := nominateCandidate(t, w, "ben", "Lee Ji-woo", "lee@busan.example", "Busan City")
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

// nominateCandidate stores, in w's edition, the submitted nomination by a new account login of the
// candidate name (email, org, of Seoul) with the candidate's consent and 31 confirmed citizen
// endorsements (e1 to e31@example.org), and returns its id.
func nominateCandidate(t *testing.T, w *world, login, name, email, org string) int64 {
	t.Helper()
	ctx := context.Background()
	lead, _ := w.ed.Category("leadership")
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
	dbtest.Exec(t, w.pool, `INSERT INTO application_versions (application_id, number, answers, submitted_at) VALUES ($1, 1, '{}', $2)`, id, now)
	return id
}

// TestMergeRepeatNominations: the secretariat merges a repeat nomination of a candidate (the
// same email address) into the candidate's other nomination. The entry keeps its own received
// letter and takes the other's (kept as an earlier letter) and its endorsements, a citizen who
// endorsed both counting once; the merged nomination leaves the queue and the counts, is
// "merged" into the entry, its nominator is a co-nominator told by email and addressed with the
// entry's outcome; the audit entry keeps both ids and the reason. Each refusal says why.
func TestMergeRepeatNominations(t *testing.T) {
	t.Parallel()
	w, a, lead := leadershipWorld(t)
	ctx := context.Background()
	s := newService(w)
	actor := authz.Actor{UserID: w.staff, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: w.ed.ID}}}
	// The entry: Cand Kim, with a received letter and one citizen, e1, who endorsed both.
	dbtest.Exec(t, w.pool, `INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at, confirmed_at)
		VALUES ($1, 'E1', 'Seoul', 'KR', 'E1@example.org', 'e1@example.org', $2, $2)`, a, now)
	// The repeat by email: 31 citizens (e1 to e31), one more still to confirm, and a letter opened.
	b := nominateCandidate(t, w, "bea", "Kim Cand", "KIM@seoul.example ", "Somewhere else")
	dbtest.Exec(t, w.pool, `INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at)
		VALUES ($1, 'E40', 'Seoul', 'KR', 'e40@example.org', 'e40@example.org', $2)`, b, now)
	dbtest.Exec(t, w.pool, `INSERT INTO recommendation_letters (application_id, status, invited_name, invited_email, invited_at, opened_at)
		VALUES ($1, 'opened', 'Other', 'other@example.org', $2, $2)`, b, now)
	// The repeat by name and organisation, and another candidate.
	c := nominateCandidate(t, w, "cho", "  CAND kim ", "cand.kim@other.example", "Seoul Metropolitan Government.")
	d := nominateCandidate(t, w, "dan", "Lee Ji-woo", "lee@busan.example", "Busan City")

	reps, err := screening.Repeats(ctx, w.pool, w.staff, a)
	if err != nil || len(reps) != 2 || reps[0].ID != b || reps[0].Match() != "same email address" || reps[1].ID != c ||
		reps[1].Match() != "same name and organisation" || reps[0].Nominator != "bea" {
		t.Fatalf("repeats: %+v, %v", reps, err)
	}

	// Each refusal, next to its field; nothing changes.
	refused := func(into, from int64, reason string, confirm bool, name, want string) {
		t.Helper()
		_, err := s.Merge(ctx, actor, w.ed, into, from, reason, confirm)
		fieldErr(t, err, name)
		if !strings.Contains(err.Error(), want) && !strings.Contains(fieldMessage(err, name), want) {
			t.Fatalf("%s: %q, want %q", name, fieldMessage(err, name), want)
		}
	}
	refused(a, a, "Same.", true, "merge_from", "cannot be merged into itself")
	refused(a, d, "Same.", true, "merge_from", "does not name the same candidate")
	refused(a, b, " ", false, "merge_reason", "Say why")
	refused(a, b, "Same.", false, "merge_confirm", "cannot be undone")
	project := w.count(t, `SELECT min(id) FROM applications WHERE edition_id = $1 AND kind = 'project'`, w.ed.ID)
	refused(int64(project), b, "Same.", true, "merge_from", "Only a nomination")
	dbtest.Exec(t, w.pool, `INSERT INTO screening_decisions (application_id, decision, decided_by, decided_at) VALUES ($1, 'clarification', $2, $3)`, c, w.staff, now)
	refused(a, c, "Same.", true, "merge_from", "has a round-1 decision already")
	if n := w.count(t, `SELECT count(*) FROM applications WHERE status = 'merged'`); n != 0 {
		t.Fatalf("%d merged after refusals", n)
	}

	m, err := s.Merge(ctx, actor, w.ed, a, b, " The same person, nominated twice. ", true)
	if err != nil {
		t.Fatal(err)
	}
	if m.From != b || m.Nominator != "bea" || m.Letters != 1 || m.LetterKept != "kept" || m.Endorsements != 31 || m.Repeated != 1 {
		t.Fatalf("merged: %+v", m)
	}
	if sum := m.Summary(); !strings.Contains(sum, "1 letter of recommendation") || !strings.Contains(sum, "31 citizen endorsements") ||
		!strings.Contains(sum, "1 citizen had endorsed both") || !strings.Contains(sum, "bea is now a co-nominator") {
		t.Fatalf("summary: %q", sum)
	}
	// The entry: its own letter current, the other kept as replaced; e1 to e31 count once each.
	n, err := nomination.ForSecretariat(ctx, w.pool, w.staff, a)
	if err != nil || n.Endorsements != 31 || n.Letter == nil || n.Letter.InvitedEmail != "rec@example.org" {
		t.Fatalf("entry: %d endorsements, letter %+v, %v", n.Endorsements, n.Letter, err)
	}
	if k := w.count(t, `SELECT count(*) FROM recommendation_letters WHERE application_id = $1 AND status = 'replaced' AND invited_email = 'other@example.org'`, a); k != 1 {
		t.Fatalf("the moved letter: %d", k)
	}
	// The merged nomination: its status and where it went; the citizen counted on the entry stays behind.
	if k := w.count(t, `SELECT count(*) FROM applications WHERE id = $1 AND status = 'merged' AND merged_into = $2`, b, a); k != 1 {
		t.Fatal("the nomination is not merged")
	}
	if k := w.count(t, `SELECT count(*) FROM endorsements WHERE application_id = $1`, b); k != 1 {
		t.Fatalf("%d endorsements left on the merged nomination", k)
	}
	// The queue and the counts: three entries of the candidates, the merged one gone.
	q, err := screening.ListQueue(ctx, w.pool, w.staff, screening.Filter{EditionID: w.ed.ID, CategoryID: lead.ID, Nominations: true})
	if err != nil || q.Total != 3 {
		t.Fatalf("queue: %d entries, %v", q.Total, err)
	}
	counts, err := screening.Summary(ctx, w.pool, w.staff, w.ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range counts {
		if c.CategoryID == lead.ID {
			total += c.Entries
		}
	}
	if total != 3 {
		t.Fatalf("summary counts %d Leadership entries", total)
	}
	if _, err := screening.Get(ctx, w.pool, w.staff, b); err == nil {
		t.Fatal("the merged nomination is still an entry")
	}
	// The co-nominator: on the entry, told its outcome as the nominator is.
	e, err := screening.Get(ctx, w.pool, w.staff, a)
	if err != nil || len(e.CoNominators) != 1 || e.CoNominators[0].Name != "bea" || e.CoNominators[0].Nomination != b {
		t.Fatalf("co-nominators: %+v, %v", e.CoNominators, err)
	}
	var to []string
	for _, x := range e.Addressees() {
		to = append(to, x.Email)
		if x.Email == "bea@example.org" && x.Merged != b {
			t.Errorf("the co-nominator's copy follows nomination %d, want %d", x.Merged, b)
		}
	}
	if strings.Join(to, ",") != "nora@paris.example,kim@seoul.example,bea@example.org" {
		t.Fatalf("addressees: %v", to)
	}
	if k := w.count(t, `SELECT count(*) FROM entry_addressees WHERE application_id = $1 AND email = 'bea@example.org' AND NOT candidate`, a); k != 1 {
		t.Fatalf("entry_addressees has the co-nominator %d times", k)
	}
	// The audit entry and the email.
	if k := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'screening.merge' AND object_id = $1
		AND (details->>'merged')::bigint = $2 AND (details->>'into')::bigint = $3 AND details->>'reason' = 'The same person, nominated twice.'`,
		strconv.FormatInt(a, 10), b, a); k != 1 {
		t.Fatal("no audit entry")
	}
	var text string
	if err := w.pool.QueryRow(ctx, `SELECT text_body FROM email_outbox WHERE kind = 'nomination-merged' AND to_address = 'bea@example.org'`).Scan(&text); err != nil ||
		!strings.Contains(text, "merged your nomination into nomination "+strconv.FormatInt(a, 10)) {
		t.Fatalf("email: %q, %v", text, err)
	}
	// Merged already; and the merged nomination takes in nothing.
	refused(a, b, "Again.", true, "merge_from", "was merged already")
	if _, err := s.Merge(ctx, actor, w.ed, b, a, "Back.", true); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("merging into the merged nomination: %v", err)
	}
}
