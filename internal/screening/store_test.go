package screening_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/screening"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var now = time.Date(2023, 6, 5, 3, 0, 0, 0, time.UTC)

// world is a database with seoul-2023, a secretariat member and n submitted Tech-InnovaCity
// applications from cities of a few countries.
type world struct {
	pool  *pgxpool.Pool
	ed    *edition.Edition
	tech  *edition.Category
	staff int64
}

func newWorld(t testing.TB, n int) *world {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	eds := editiontest.Import(t, pool, "seoul-2023", "seoul-2024")
	ed := eds[0]
	tech, _ := ed.Category("tech-innovacity")
	w := &world{pool: pool, ed: ed, tech: tech}
	if err := pool.QueryRow(ctx, `INSERT INTO users (login_id, email, name, password_hash) VALUES ('sec', 'sec@example.org', 'Sec', 'x') RETURNING id`).Scan(&w.staff); err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, w.staff, ed.ID)
	seed := func(ed *edition.Edition, cat string, login string, n int) {
		c, _ := ed.Category(cat)
		dbtest.Exec(t, pool, `
			WITH u AS (
				INSERT INTO users (login_id, email, name, password_hash, entity_type, country, city, organisation, edition_id, category_id)
				SELECT $5 || i, $5 || i || '@example.org', 'Applicant ' || $5 || i, 'x',
				       (ARRAY['city', 'company', 'institution'])[1 + i % 3], (ARRAY['KR', 'NP', 'BR', 'FR'])[1 + i % 4],
				       'City ' || i, 'Org ' || i, $1, $2
				FROM generate_series(1, $3) i RETURNING id, login_id)
			INSERT INTO applications (user_id, edition_id, category_id, status, answers, submitted_version, submitted_at)
			SELECT id, $1, $2, 'submitted', jsonb_build_object('project_title', jsonb_build_object('text', 'Project of ' || login_id)),
			       1, $4::timestamptz - (id || ' minutes')::interval
			FROM u`, ed.ID, c.ID, n, now, login)
		dbtest.Exec(t, pool, `INSERT INTO application_versions (application_id, number, answers, submitted_at)
			SELECT id, 1, answers, submitted_at FROM applications WHERE edition_id = $1 AND category_id = $2`, ed.ID, c.ID)
	}
	// The queue's own slice, and as many entries again in other categories and editions.
	seed(ed, "tech-innovacity", "app", n)
	if n >= 1000 {
		seed(ed, "human-centricity", "hc", n/3)
		seed(eds[1], "tech-innovacity", "ti", n/3)
		seed(eds[1], "human-centricity", "hd", n/3)
	}
	dbtest.Exec(t, pool, `ANALYZE`)
	return w
}

func TestQueueFiltersAndDecisions(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 120)
	ctx := context.Background()
	f := screening.Filter{EditionID: w.ed.ID, CategoryID: w.tech.ID}
	q, err := screening.ListQueue(ctx, w.pool, w.staff, f)
	if err != nil {
		t.Fatal(err)
	}
	if q.Total != 120 || q.Pages != 3 || len(q.Entries) != screening.PerPage {
		t.Fatalf("queue: total %d, pages %d, entries %d", q.Total, q.Pages, len(q.Entries))
	}
	for i := 1; i < len(q.Entries); i++ {
		if q.Entries[i].SubmittedAt.Before(q.Entries[i-1].SubmittedAt) {
			t.Fatal("queue not in submission order")
		}
	}
	// Another edition's secretariat, or none, sees nothing.
	if other, _ := screening.ListQueue(ctx, w.pool, w.staff+100000, f); other.Total != 0 {
		t.Fatalf("a stranger sees %d entries", other.Total)
	}
	f.Country = "NP"
	if q, _ := screening.ListQueue(ctx, w.pool, w.staff, f); q.Total != 30 {
		t.Fatalf("Nepal: %d entries, want 30", q.Total)
	}
	f.Country, f.EntityType = "", "company"
	if q, _ := screening.ListQueue(ctx, w.pool, w.staff, f); q.Total != 40 {
		t.Fatalf("companies: %d, want 40", q.Total)
	}
	f.EntityType = ""

	first := q.Entries[0]
	decide := func(e screening.Entry, in screening.Input) error {
		return db.InTx(ctx, w.pool, func(tx pgx.Tx) error {
			return screening.Decide(ctx, tx, w.staff, e, w.ed.ID, in, now)
		})
	}
	if err := decide(first, screening.Input{Decision: screening.Ineligible, ReasonKey: screening.CheckEnglish,
		Checklist: map[string]string{screening.CheckEnglish: "no"}}); err != nil {
		t.Fatal(err)
	}
	if err := decide(first, screening.Input{Decision: screening.Eligible, RevisionReason: "A translation was provided.", AskReview: true}); err != nil {
		t.Fatal(err)
	}
	rec, err := screening.DecisionOf(ctx, w.pool, first.ID)
	if err != nil || rec.Decision != screening.Eligible || rec.Revision != 2 || rec.ReasonKey != "" || rec.RevisionReason != "A translation was provided." {
		t.Fatalf("decision = %+v, %v", rec, err)
	}
	// A second opinion by someone else.
	if err := db.InTx(ctx, w.pool, func(tx pgx.Tx) error { return screening.Review(ctx, tx, w.staff, first.ID, true, "", now) }); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("own review: %v", err)
	}
	f.Status = "review"
	if q, _ := screening.ListQueue(ctx, w.pool, w.staff, f); q.Total != 1 || !q.Entries[0].ReviewPending {
		t.Fatalf("review filter: %d", q.Total)
	}
	f.Status = "undecided"
	if q, _ := screening.ListQueue(ctx, w.pool, w.staff, f); q.Total != 119 {
		t.Fatalf("undecided: %d", q.Total)
	}
	// Flags.
	dbtest.Exec(t, w.pool, `INSERT INTO entry_flags (application_id, kind, detail, created_at) VALUES ($1, 'conflict', 'WeGO', now())`, q.Entries[0].ID)
	f.Status, f.Flag = "", "flagged"
	if q, _ := screening.ListQueue(ctx, w.pool, w.staff, f); q.Total != 1 || strings.Join(q.Entries[0].Flags, ",") != "conflict" {
		t.Fatalf("flagged: %+v", q)
	}

	// The round cannot close with undecided entries.
	closeRound := func() ([]screening.Entry, error) {
		var out []screening.Entry
		err := db.InTx(ctx, w.pool, func(tx pgx.Tx) error {
			var err error
			out, err = screening.Close(ctx, tx, w.staff, w.ed.ID, now)
			return err
		})
		return out, err
	}
	round := w.ed.RoundsAt(now, edition.Closures{}).Screening // one entry is decided above
	if p, err := screening.PendingAt(ctx, w.pool, w.staff, w.ed, round, now); err != nil || p.Undecided != 119 || !p.Any() {
		t.Fatalf("pending with undecided entries: %+v %v", p, err)
	}
	all, _ := screening.ListQueue(ctx, w.pool, w.staff, screening.Filter{EditionID: w.ed.ID, CategoryID: w.tech.ID, Status: "undecided", Page: 1})
	for all.Total > 0 {
		for i, e := range all.Entries {
			in := screening.Input{Decision: screening.Eligible}
			if i == 0 {
				in = screening.Input{Decision: screening.Ineligible, ReasonKey: screening.ReasonOther, ReasonText: "Not a smart city project."}
			}
			if err := decide(e, in); err != nil {
				t.Fatal(err)
			}
		}
		all, _ = screening.ListQueue(ctx, w.pool, w.staff, screening.Filter{EditionID: w.ed.ID, CategoryID: w.tech.ID, Status: "undecided"})
	}
	sum, err := screening.Summary(ctx, w.pool, w.staff, w.ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[screening.Decision]int{}
	for _, c := range sum {
		counts[c.Decision] += c.Entries
	}
	if counts[screening.Ineligible] != 3 || counts[screening.Eligible] != 117 {
		t.Fatalf("summary: %v", counts)
	}
	decided, err := closeRound()
	inel := 0
	for _, e := range decided {
		if e.Decision == screening.Ineligible {
			inel++
		}
	}
	if err != nil || len(decided) != 120 || inel != 3 {
		t.Fatalf("close = %d entries, %d ineligible, %v", len(decided), inel, err)
	}
	if _, err := closeRound(); !errors.Is(err, screening.ErrRoundClosed) {
		t.Fatalf("close twice: %v", err)
	}
	if err := decide(first, screening.Input{Decision: screening.Ineligible, ReasonKey: screening.ReasonOther}); !errors.Is(err, screening.ErrRoundClosed) {
		t.Fatalf("decide after closing: %v", err)
	}
}

// TestQueueUsesIndexes: with 10,000 entries in the queue's category (and 10,000 more in other
// categories and editions), the queue's page query reads the big tables
// (applications, users, decisions, flags) through indexes, for the default order and filters.
func TestQueueUsesIndexes(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 10000)
	ctx := context.Background()
	// Some flags and decisions, as in a real round.
	for _, sql := range []string{
		`INSERT INTO entry_flags (application_id, kind, detail, created_at) SELECT id, 'conflict', 'WeGO', now() FROM applications WHERE id % 50 = 0`,
		`INSERT INTO screening_decisions (application_id, decision, decided_by, decided_at) SELECT id, 'eligible', ` + strconv.FormatInt(w.staff, 10) + `, now() FROM applications WHERE id % 3 = 0`,
		`ANALYZE`,
	} {
		if _, err := w.pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	// The big tables are those with more than 1,000 rows; a small one may well be read whole.
	big := map[string]bool{}
	for _, table := range []string{"applications", "users", "screening_decisions", "entry_flags", "nominations", "role_grants"} {
		var n int
		if err := w.pool.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		big[table] = n > 1000
	}
	for _, f := range []screening.Filter{
		{},
		{Page: 7},
		{Country: "KR"},
		{Status: "undecided"},
		{Flag: "flagged"},
		{Sort: "applicant"},
		{Sort: "country", Page: 3},
		{EntityType: "company", Sort: "applicant"},
	} {
		f.EditionID, f.CategoryID = w.ed.ID, w.tech.ID
		sql, args := screening.QueueQuery(w.staff, f)
		var raw []byte
		if err := w.pool.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+sql, args).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var plan any
		if err := json.Unmarshal(raw, &plan); err != nil {
			t.Fatal(err)
		}
		for _, table := range dbtest.SeqScans(plan) {
			if big[table] {
				t.Errorf("filter %+v: sequential scan on %s", f, table)
				if testing.Verbose() {
					var text string
					rows, _ := w.pool.Query(ctx, "EXPLAIN "+sql, args)
					for rows.Next() {
						var line string
						rows.Scan(&line)
						text += line + "\n"
					}
					rows.Close()
					t.Log(text)
				}
			}
		}
	}
}

// BenchmarkQueue reports the time of one queue page (count and rows) over 10,000 entries.
func BenchmarkQueue(b *testing.B) {
	w := newWorld(b, 10000)
	ctx := context.Background()
	f := screening.Filter{EditionID: w.ed.ID, CategoryID: w.tech.ID, Page: 3}
	for b.Loop() {
		if _, err := screening.ListQueue(ctx, w.pool, w.staff, f); err != nil {
			b.Fatal(err)
		}
	}
}

// TestQueueSortedKeepsReturningParticipants: an account that first registered in another edition
// (a returning participant) is in the queue of the edition it entered now, whatever the sort.
func TestQueueSortedKeepsReturningParticipants(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 5)
	ctx := context.Background()
	other := editiontest.BySlug(t, w.pool, "seoul-2024")
	otherCat, _ := other.Category("tech-innovacity")
	dbtest.Exec(t, w.pool, `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash, country, edition_id, category_id)
		           VALUES ('back', 'back@example.org', 'Aaron Back', 'x', 'KR', $1, $2) RETURNING id)
		INSERT INTO applications (user_id, edition_id, category_id, status, answers, submitted_version, submitted_at)
		SELECT id, $3, $4, 'submitted', '{}', 1, now() FROM u`, other.ID, otherCat.ID, w.ed.ID, w.tech.ID)
	for _, sort := range []string{"", "applicant", "country"} {
		q, err := screening.ListQueue(ctx, w.pool, w.staff, screening.Filter{EditionID: w.ed.ID, CategoryID: w.tech.ID, Sort: sort})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range q.Entries {
			found = found || e.Applicant == "Aaron Back"
		}
		if q.Total != 6 || !found {
			t.Errorf("sorted by %q: %d entries, the returning participant listed: %v", sort, q.Total, found)
		}
	}
}
