package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// The editions the scenarios use. SurgeEdition is the built-in demo edition, opened for
// applications today (as `portal serve` does in local mode); the other two are copies of it with
// their 2023 schedule, moved for the first so that its scoring window is open today: one in round
// 2 with the scoring open, one whose scoring round is closed
// (the committee head then reads every sheet of an entry).
const (
	SurgeEdition   = "seoul-2023"
	ScoringEdition = "load-scoring"
	SealedEdition  = "load-sealed"
)

// Fixed logins of the seeded staff; the applicants are ApplicantPrefix + a number.
const (
	EvaluatorLogin   = "load-evaluator"
	SecretariatLogin = "load-secretariat"
	HeadLogin        = "load-head"
	DefaultPrefix    = "load-applicant-"
	// DefaultPassword is the password of every seeded account (a load-test database only).
	DefaultPassword = "load-test-password-2026"
)

// SeedConfig sizes the seeded data.
type SeedConfig struct {
	// Applicants is how many applicant accounts (without an application) the surge gets.
	Applicants int
	// Prefix starts their login IDs; a new prefix gives a fresh set for another surge.
	Prefix string
	// Entries is how many submitted entries the scoring edition holds (the secretariat's list).
	Entries int
	// Assigned is how many of them are assigned to the evaluator, each with a declared draft sheet.
	Assigned int
	// Sheets is how many evaluators scored the sealed edition's entry.
	Sheets   int
	Password string
}

// DefaultSeed is the data of the performance targets (README "Performance: make bench").
var DefaultSeed = SeedConfig{Applicants: 1000, Prefix: DefaultPrefix, Entries: 1000, Assigned: 100, Sheets: 3, Password: DefaultPassword}

// Manifest tells the scenarios what was seeded.
type Manifest struct {
	Password   string `json:"password"`
	Applicants struct {
		Edition string `json:"edition"`
		Prefix  string `json:"prefix"`
		Count   int    `json:"count"`
		// Categories are the category keys of the applicants in turn (applicant i registered
		// for Categories[(i-1) % len]).
		Categories []string `json:"categories"`
	} `json:"applicants"`
	Scoring struct {
		Edition     string  `json:"edition"`
		EditionID   int64   `json:"edition_id"`
		Entries     int     `json:"entries"`
		Evaluator   string  `json:"evaluator"`
		Assigned    []int64 `json:"assigned"`
		Secretariat string  `json:"secretariat"`
	} `json:"scoring"`
	Sealed struct {
		Edition   string `json:"edition"`
		EditionID int64  `json:"edition_id"`
		Head      string `json:"head"`
		Entry     int64  `json:"entry"`
		Sheets    int    `json:"sheets"`
	} `json:"sealed"`
}

// Login is the login ID of applicant i (from 1).
func (m *Manifest) Login(i int) string { return fmt.Sprintf("%s%04d", m.Applicants.Prefix, i) }

// WriteFile stores the manifest as JSON.
func (m *Manifest) WriteFile(path string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// ReadManifest reads a manifest written by WriteFile.
func ReadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := new(Manifest)
	if err := json.Unmarshal(b, m); err != nil {
		return nil, fmt.Errorf("load: manifest %s: %w", path, err)
	}
	return m, nil
}

// Seed writes what the scenarios need into the migrated database of pool and returns the
// manifest. It is idempotent: what exists (editions by slug, accounts by login) is kept, so
// running it again only describes the data; a new cfg.Prefix adds a fresh set of applicants
// for another surge (the earlier ones have submitted). Every account gets cfg.Password, hashed
// once with the portal's own argon2id parameters.
func Seed(ctx context.Context, pool *pgxpool.Pool, cfg SeedConfig, log func(string, ...any)) (*Manifest, error) {
	if cfg.Password == "" {
		cfg.Password = DefaultPassword
	}
	if cfg.Prefix == "" {
		cfg.Prefix = DefaultPrefix
	}
	start := time.Now()
	hash, err := account.HashPassword(cfg.Password, account.DefaultHashParams)
	if err != nil {
		return nil, err
	}
	surge, err := ensureEdition(ctx, pool, SurgeEdition, "", true)
	if err != nil {
		return nil, err
	}
	if !surge.Schedule.ApplicationsOpen.Before(time.Now()) || !time.Now().Before(surge.Schedule.ApplicationDeadline) {
		return nil, fmt.Errorf("load: seed: applications to %s are not open now (%s to %s): use a fresh database",
			SurgeEdition, surge.Schedule.ApplicationsOpen, surge.Schedule.ApplicationDeadline)
	}
	scoringEd, err := ensureEdition(ctx, pool, ScoringEdition, "Load test, round 2 scoring", false)
	if err != nil {
		return nil, err
	}
	sealedEd, err := ensureEdition(ctx, pool, SealedEdition, "Load test, sealed scores", false)
	if err != nil {
		return nil, err
	}
	m := &Manifest{Password: cfg.Password}
	m.Applicants.Edition, m.Applicants.Prefix, m.Applicants.Count = SurgeEdition, cfg.Prefix, cfg.Applicants
	var projectCats []edition.Category
	for _, c := range surge.Categories {
		if c.Kind == edition.KindProject && c.Form != nil {
			projectCats = append(projectCats, c)
			m.Applicants.Categories = append(m.Applicants.Categories, c.Key)
		}
	}
	if len(projectCats) == 0 {
		return nil, errors.New("load: seed: the surge edition has no project category with a form")
	}
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		// The applicants of the surge: registered, email confirmed, no application yet.
		catIDs := make([]int64, len(projectCats))
		for i, c := range projectCats {
			catIDs[i] = c.ID
		}
		n, err := insertUsers(ctx, tx, userBatch{prefix: cfg.Prefix, count: cfg.Applicants, hash: hash, edition: surge.ID,
			categories: catIDs, role: authz.RoleApplicant, name: "Applicant"})
		if err != nil {
			return err
		}
		log("applicants: %d new of %d (%s0001...)", n, cfg.Applicants, cfg.Prefix)
		if err := seedScoring(ctx, tx, scoringEd, cfg, hash, m); err != nil {
			return err
		}
		if err := seedSealed(ctx, tx, sealedEd, cfg, hash, m); err != nil {
			return err
		}
		return enableStaffTwoFactor(ctx, tx, EvaluatorLogin, SecretariatLogin, HeadLogin)
	})
	if err != nil {
		return nil, err
	}
	log("seeded in %s", time.Since(start).Round(time.Millisecond))
	return m, nil
}

// ensureEdition imports the built-in seoul-2023 definition under slug (renamed to name, a year
// earlier so that it is never the current edition) unless an edition with that slug exists; the
// surge edition is imported as is, with its schedule moved so that applications are open today.
func ensureEdition(ctx context.Context, pool *pgxpool.Pool, slug, name string, openNow bool) (*edition.Edition, error) {
	e, err := edition.BySlug(ctx, pool, slug)
	if err == nil {
		return e, nil
	}
	if !errors.Is(err, db.ErrNotFound) {
		return nil, err
	}
	src, err := edition.Builtin(SurgeEdition)
	if err != nil {
		return nil, err
	}
	if slug != SurgeEdition {
		text := string(src)
		for old, repl := range map[string]string{"\nslug: seoul-2023\n": "\nslug: " + slug + "\n",
			"\nname: Seoul Smart City Prize 2023\n": "\nname: " + name + "\n", "\nyear: 2023\n": "\nyear: 2022\n"} {
			if !strings.Contains(text, old) {
				return nil, fmt.Errorf("load: seed: %q not found in the built-in edition", strings.TrimSpace(old))
			}
			text = strings.Replace(text, old, repl, 1)
		}
		src = []byte(text)
	}
	def, err := edition.Parse(src)
	if err != nil {
		return nil, err
	}
	switch {
	case openNow:
		err = def.OpenOn(time.Now())
	case slug == ScoringEdition: // sheets change only inside the scoring window
		err = def.ScoreOn(time.Now())
	}
	if err != nil {
		return nil, err
	}
	if _, err := edition.Import(ctx, pool, def); err != nil {
		return nil, err
	}
	return edition.BySlug(ctx, pool, slug)
}

// userBatch is a set of accounts to create: logins prefix0001, prefix0002... (or prefix alone
// when count is 0), each registered for categories in turn (none for staff) and granted role in
// the edition.
type userBatch struct {
	prefix     string
	count      int
	hash       string
	edition    int64
	categories []int64
	role       authz.Role
	name       string
	// staff accounts have no organisation, city or country (applicants: Organisation n, City n,
	// KR).
	staff bool
}

// insertUsers creates the accounts of b that do not exist yet, in one statement, and returns
// how many it created.
func insertUsers(ctx context.Context, tx pgx.Tx, b userBatch) (int64, error) {
	from, to, single := 1, b.count, b.count == 0
	if single {
		from, to = 0, 0
	}
	cats := b.categories
	if cats == nil {
		cats = []int64{}
	}
	tag, err := tx.Exec(ctx, `
		WITH n AS (SELECT i, CASE WHEN $9 THEN $1 ELSE $1 || lpad(i::text, 4, '0') END AS login
		           FROM generate_series($2::int, $3::int) AS i),
		u AS (
			INSERT INTO users (login_id, email, name, password_hash, email_verified_at, entity_type, organisation,
			                   phone, city, country, edition_id, category_id, terms_version, terms_accepted_at)
			SELECT n.login, n.login || '@load.example.org', $8 || ' ' || n.i, $4, now(),
			       CASE WHEN $10 THEN '' ELSE 'city' END, CASE WHEN $10 THEN '' ELSE 'Organisation ' || n.i END,
			       '+82 2 123 ' || lpad(n.i::text, 4, '0'), CASE WHEN $10 THEN '' ELSE 'City ' || (n.i % 50) END,
			       CASE WHEN $10 THEN '' ELSE 'KR' END,
			       $5, CASE WHEN cardinality($6::bigint[]) > 0 THEN ($6::bigint[])[1 + n.i % cardinality($6::bigint[])] END,
			       $11, now()
			FROM n WHERE NOT EXISTS (SELECT 1 FROM users x WHERE lower(x.login_id) = lower(n.login))
			RETURNING id)
		INSERT INTO role_grants (user_id, role, edition_id) SELECT id, $7, $5 FROM u`,
		b.prefix, from, to, b.hash, b.edition, cats, string(b.role), b.name, single, b.staff, account.TermsVersion)
	if err != nil {
		return 0, fmt.Errorf("load: seed %s accounts: %w", b.prefix, err)
	}
	return tag.RowsAffected(), nil
}

func userID(ctx context.Context, tx pgx.Tx, login string) (int64, error) {
	var id int64
	if err := tx.QueryRow(ctx, `SELECT id FROM users WHERE lower(login_id) = lower($1)`, login).Scan(&id); err != nil {
		return 0, fmt.Errorf("load: seed: user %s: %w", login, err)
	}
	return id, nil
}

// grant gives login role in edition (kept when it exists).
func grant(ctx context.Context, tx pgx.Tx, login string, role authz.Role, editionID int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO role_grants (user_id, role, edition_id)
		SELECT id, $2, $3 FROM users WHERE lower(login_id) = lower($1) ON CONFLICT DO NOTHING`, login, string(role), editionID)
	if err != nil {
		return fmt.Errorf("load: seed: grant %s to %s: %w", role, login, err)
	}
	return nil
}

// submitEntries gives every applicant of the edition whose login starts with prefix and who has
// no application a submitted one (complete answers of its category's form, submission 1),
// found eligible by decider in a closed round 1.
func submitEntries(ctx context.Context, tx pgx.Tx, ed *edition.Edition, prefix string, decider int64) error {
	answers := map[int64][]byte{}
	for i, c := range ed.Categories {
		if c.Form == nil || c.Kind != edition.KindProject {
			continue
		}
		b, err := json.Marshal(CompleteAnswers(c.Form, i))
		if err != nil {
			return err
		}
		answers[c.ID] = b
	}
	for catID, a := range answers {
		_, err := tx.Exec(ctx, `
			WITH u AS (SELECT u.id, u.login_id FROM users u WHERE u.edition_id = $1 AND u.category_id = $2 AND u.login_id LIKE $3 || '%'
			           AND NOT EXISTS (SELECT 1 FROM applications x WHERE x.user_id = u.id)),
			a AS (
				INSERT INTO applications (user_id, edition_id, category_id, status, answers, version, submitted_version, submitted_at, created_at, updated_at)
				SELECT u.id, $1, $2, 'submitted',
				       jsonb_set($4::jsonb, '{project_title}', jsonb_build_object('text', 'Project of ' || u.login_id)),
				       1, 1, now() - interval '1 day', now() - interval '2 days', now() - interval '1 day'
				FROM u RETURNING id, answers, submitted_at),
			v AS (INSERT INTO application_versions (application_id, number, answers, submitted_at)
			      SELECT id, 1, answers, submitted_at FROM a)
			INSERT INTO screening_decisions (application_id, decision, decided_by, decided_at)
			SELECT id, 'eligible', $5, now() FROM a`, ed.ID, catID, prefix, a, decider)
		if err != nil {
			return fmt.Errorf("load: seed entries of %s: %w", ed.Slug, err)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO screening_rounds (edition_id, closed_at, closed_by) VALUES ($1, now(), $2)
		ON CONFLICT (edition_id) DO NOTHING`, ed.ID, decider); err != nil {
		return fmt.Errorf("load: seed: close round 1 of %s: %w", ed.Slug, err)
	}
	return nil
}

// seedScoring fills the scoring edition: cfg.Entries submitted entries found eligible, the
// secretariat member, and the evaluator with cfg.Assigned entries, each with a declared draft
// sheet (version 1); the scoring round is open.
func seedScoring(ctx context.Context, tx pgx.Tx, ed *edition.Edition, cfg SeedConfig, hash string, m *Manifest) error {
	var cats []int64
	for _, c := range ed.Categories {
		if c.Kind == edition.KindProject && c.Form != nil {
			cats = append(cats, c.ID)
		}
	}
	const prefix = "load-entry-"
	if _, err := insertUsers(ctx, tx, userBatch{prefix: prefix, count: cfg.Entries, hash: hash, edition: ed.ID,
		categories: cats, role: authz.RoleApplicant, name: "Entrant"}); err != nil {
		return err
	}
	for _, s := range []struct {
		login string
		role  authz.Role
		name  string
	}{{SecretariatLogin, authz.RoleSecretariat, "Secretariat"}, {EvaluatorLogin, authz.RoleEvaluator, "Evaluator"}} {
		if _, err := insertUsers(ctx, tx, userBatch{prefix: s.login, hash: hash, edition: ed.ID, role: s.role, name: s.name, staff: true}); err != nil {
			return err
		}
		if err := grant(ctx, tx, s.login, s.role, ed.ID); err != nil {
			return err
		}
	}
	sec, err := userID(ctx, tx, SecretariatLogin)
	if err != nil {
		return err
	}
	ev, err := userID(ctx, tx, EvaluatorLogin)
	if err != nil {
		return err
	}
	if err := submitEntries(ctx, tx, ed, prefix, sec); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO evaluator_categories (user_id, category_id) SELECT $1, unnest($2::bigint[])
		ON CONFLICT DO NOTHING`, ev, cats); err != nil {
		return fmt.Errorf("load: seed: evaluator categories: %w", err)
	}
	// The evaluator's entries: the first cfg.Assigned by id, assigned and declared (a draft sheet).
	if _, err := tx.Exec(ctx, `
		WITH e AS (SELECT a.id FROM applications a WHERE a.edition_id = $1 AND a.status = 'submitted'
		           AND NOT EXISTS (SELECT 1 FROM assignments s WHERE s.evaluator_id = $2 AND s.ended_at IS NULL)
		           ORDER BY a.id LIMIT $3),
		s AS (INSERT INTO assignments (application_id, evaluator_id, edition_id, assigned_at, assigned_by, reason)
		      SELECT id, $2, $1, now(), $4, 'load test' FROM e RETURNING application_id)
		INSERT INTO score_sheets (application_id, evaluator_id, edition_id, status, no_conflict_at, created_at, updated_at)
		SELECT application_id, $2, $1, 'draft', now(), now(), now() FROM s`, ed.ID, ev, cfg.Assigned, sec); err != nil {
		return fmt.Errorf("load: seed: assignments: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT application_id FROM assignments WHERE evaluator_id = $1 AND edition_id = $2
		AND ended_at IS NULL ORDER BY application_id`, ev, ed.ID)
	if err != nil {
		return fmt.Errorf("load: seed: assignments: %w", err)
	}
	assigned, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("load: seed: assignments: %w", err)
	}
	var entries int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM applications WHERE edition_id = $1 AND status = 'submitted'`, ed.ID).Scan(&entries); err != nil {
		return fmt.Errorf("load: seed: count entries: %w", err)
	}
	s := &m.Scoring
	s.Edition, s.EditionID, s.Entries, s.Evaluator, s.Assigned, s.Secretariat = ed.Slug, ed.ID, entries, EvaluatorLogin, assigned, SecretariatLogin
	return nil
}

// seedSealed fills the sealed edition: one entry scored by cfg.Sheets evaluators (every
// indicator scored, a comment on every criterion, submitted), a committee head, and the scoring
// round closed, so the head reads the sheets.
func seedSealed(ctx context.Context, tx pgx.Tx, ed *edition.Edition, cfg SeedConfig, hash string, m *Manifest) error {
	var cat *edition.Category
	for i := range ed.Categories {
		if ed.Categories[i].Kind == edition.KindProject && ed.Categories[i].Form != nil {
			cat = &ed.Categories[i]
			break
		}
	}
	if cat == nil {
		return errors.New("load: seed: the sealed edition has no project category")
	}
	const entrant = "load-sealed-entrant"
	if _, err := insertUsers(ctx, tx, userBatch{prefix: entrant, hash: hash, edition: ed.ID, categories: []int64{cat.ID},
		role: authz.RoleApplicant, name: "Entrant"}); err != nil {
		return err
	}
	if _, err := insertUsers(ctx, tx, userBatch{prefix: HeadLogin, hash: hash, edition: ed.ID, role: authz.RoleCommitteeHead,
		name: "Committee head", staff: true}); err != nil {
		return err
	}
	head, err := userID(ctx, tx, HeadLogin)
	if err != nil {
		return err
	}
	if err := submitEntries(ctx, tx, ed, entrant, head); err != nil {
		return err
	}
	var entry int64
	if err := tx.QueryRow(ctx, `SELECT a.id FROM applications a JOIN users u ON u.id = a.user_id WHERE u.login_id = $1`, entrant).Scan(&entry); err != nil {
		return fmt.Errorf("load: seed: sealed entry: %w", err)
	}
	comments := map[string]string{}
	for j, c := range cat.Criteria {
		comments[c.Key] = prose(j, 40)
	}
	cj, err := json.Marshal(comments)
	if err != nil {
		return err
	}
	for k := 1; k <= cfg.Sheets; k++ {
		login := fmt.Sprintf("load-sealed-evaluator-%d", k)
		if _, err := insertUsers(ctx, tx, userBatch{prefix: login, hash: hash, edition: ed.ID, role: authz.RoleEvaluator,
			name: "Evaluator", staff: true}); err != nil {
			return err
		}
		ev, err := userID(ctx, tx, login)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			WITH s AS (INSERT INTO assignments (application_id, evaluator_id, edition_id, assigned_at, assigned_by, reason)
			           SELECT $1, $2, $3, now(), $4, 'load test'
			           WHERE NOT EXISTS (SELECT 1 FROM assignments WHERE application_id = $1 AND evaluator_id = $2)
			           RETURNING application_id),
			sh AS (INSERT INTO score_sheets (application_id, evaluator_id, edition_id, status, no_conflict_at, criterion_comments,
			                                 overall_comment, created_at, updated_at, submitted_at)
			       SELECT application_id, $2, $3, 'submitted', now(), $5, $6, now(), now(), now() FROM s RETURNING id)
			INSERT INTO sheet_scores (sheet_id, indicator_id, score)
			SELECT sh.id, i.id, 1 + (i.id + $7) % 5 FROM sh, indicators i JOIN criteria cr ON cr.id = i.criterion_id
			WHERE cr.category_id = $8`, entry, ev, ed.ID, head, cj, prose(k, 60), k, cat.ID); err != nil {
			return fmt.Errorf("load: seed: sealed sheets: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO scoring_rounds (edition_id, closed_at, closed_by) VALUES ($1, now(), $2)
		ON CONFLICT (edition_id) DO UPDATE SET closed_at = coalesce(scoring_rounds.closed_at, now())`, ed.ID, head); err != nil {
		return fmt.Errorf("load: seed: close the scoring round: %w", err)
	}
	s := &m.Sealed
	s.Edition, s.EditionID, s.Head, s.Entry, s.Sheets = ed.Slug, ed.ID, HeadLogin, entry, cfg.Sheets
	return nil
}
