package application

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
)

// DuplicateThreshold is the pg_trgm similarity (0 = nothing in common, 1 = the same trigrams)
// from which a field of two applications counts as alike. 0.5 pairs "Smart Bus Shelters for
// Seoul" with "Smart bus shelters in Seoul" but not two projects that merely share a word such as
// "smart" or "city", which every entry of this prize contains.
const DuplicateThreshold = 0.5

// DuplicateLimit caps the pairs the duplicate finder lists: more than this many likely duplicates
// in one edition means the threshold is wrong, not that the secretariat should read them all.
const DuplicateLimit = 100

// DuplicateSide is one application of a likely duplicate pair.
type DuplicateSide struct {
	ID           int64
	Applicant    string
	Email        string
	Organisation string // the lead organisation answered, or else the account's organisation
	Category     string
	Title        string
	Status       Status
}

// Duplicate is a pair of applications in different categories of one edition that look like the
// same project, with the similarity of each field (0 to 1; 0 when either side left it empty).
type Duplicate struct {
	A, B         DuplicateSide
	Title        float64
	Summary      float64
	Organisation float64
	// Score is the largest of the three similarities; pairs are listed by it, highest first.
	Score float64
}

// Duplicates is the result of FindDuplicates.
type Duplicates struct {
	Pairs []Duplicate
	// Capped says there were more than DuplicateLimit pairs and only the first are listed.
	Capped bool
}

// duplicateColumns are the compared texts of an application a of account u in category c: the
// project title and summary, and the lead organisation (falling back to the organisation given
// at registration).
const duplicateColumns = `SELECT a.id, a.category_id, a.status, u.name, u.email, c.name AS category,
		lower(coalesce(a.answers->'project_title'->>'text', '')) AS title,
		lower(coalesce(a.answers->'summary'->>'text', '')) AS summary,
		lower(coalesce(nullif(a.answers->'lead_organisation'->>'text', ''), u.organisation)) AS org,
		coalesce(a.answers->'project_title'->>'text', '') AS shown_title,
		coalesce(nullif(a.answers->'lead_organisation'->>'text', ''), u.organisation) AS shown_org
	FROM applications a JOIN users u ON u.id = a.user_id JOIN categories c ON c.id = a.category_id
	WHERE a.kind = 'project' AND a.status <> 'withdrawn'`

// duplicateFields are the compared texts of the applications of edition @edition that @staff
// screens.
const duplicateFields = duplicateColumns + ` AND a.edition_id = @edition AND ` + secretariatFilter

// similarities are the similarity of each compared field of two applications x and y (0 when
// either left it empty), and the largest of them (score).
const similarities = `CASE WHEN x_title = '' OR y_title = '' THEN 0 ELSE similarity(x_title, y_title) END AS sim_title,
	CASE WHEN x_summary = '' OR y_summary = '' THEN 0 ELSE similarity(x_summary, y_summary) END AS sim_summary,
	CASE WHEN x_org = '' OR y_org = '' THEN 0 ELSE similarity(x_org, y_org) END AS sim_org`

// FindDuplicates lists pairs of applications of the edition in different categories whose title,
// summary or organisation is at least DuplicateThreshold similar (DOMAIN.md "Registration": the
// same project may not be entered in both project categories), for the staff member staff: an
// edition in which staff does not hold the secretariat role has no pairs. Withdrawn applications
// are left out; each pair is listed once.
func FindDuplicates(ctx context.Context, q db.DBTX, staff, editionID int64) (Duplicates, error) {
	return findDuplicates(ctx, q, staff, editionID, 0)
}

// DuplicatesOf lists the pairs of FindDuplicates that hold application appID (DOMAIN.md
// "Registration"; the round-1 checklist of the entry), for the staff member staff.
func DuplicatesOf(ctx context.Context, q db.DBTX, staff, editionID, appID int64) (Duplicates, error) {
	return findDuplicates(ctx, q, staff, editionID, appID)
}

// findDuplicates is FindDuplicates, with app (not 0) only the pairs that hold application app.
func findDuplicates(ctx context.Context, q db.DBTX, staff, editionID, app int64) (Duplicates, error) {
	rows, err := q.Query(ctx, `
		WITH f AS (`+duplicateFields+`),
		s AS (
			SELECT x.*, y.*, `+similarities+`
			FROM (SELECT id x_id, category_id x_cat, status x_status, name x_name, email x_email, category x_category,
			             title x_title, summary x_summary, org x_org, shown_title x_shown_title, shown_org x_shown_org FROM f) x
			JOIN (SELECT id y_id, category_id y_cat, status y_status, name y_name, email y_email, category y_category,
			             title y_title, summary y_summary, org y_org, shown_title y_shown_title, shown_org y_shown_org FROM f) y
			  ON x.x_id < y.y_id AND x.x_cat <> y.y_cat AND (@app::bigint = 0 OR @app IN (x.x_id, y.y_id))
		)
		SELECT x_id, x_name, x_email, x_shown_org, x_category, x_shown_title, x_status,
		       y_id, y_name, y_email, y_shown_org, y_category, y_shown_title, y_status,
		       sim_title, sim_summary, sim_org, greatest(sim_title, sim_summary, sim_org) AS score
		FROM s
		WHERE greatest(sim_title, sim_summary, sim_org) >= @threshold
		ORDER BY score DESC, x_id, y_id
		LIMIT @limit`,
		pgx.NamedArgs{"staff": staff, "edition": editionID, "app": app, "threshold": DuplicateThreshold, "limit": DuplicateLimit + 1})
	if err != nil {
		return Duplicates{}, fmt.Errorf("application: find duplicates: %w", err)
	}
	defer rows.Close()
	var out Duplicates
	for rows.Next() {
		var (
			d      Duplicate
			sa, sb string
			t, s   float32
			o, sc  float32
		)
		if err := rows.Scan(&d.A.ID, &d.A.Applicant, &d.A.Email, &d.A.Organisation, &d.A.Category, &d.A.Title, &sa,
			&d.B.ID, &d.B.Applicant, &d.B.Email, &d.B.Organisation, &d.B.Category, &d.B.Title, &sb,
			&t, &s, &o, &sc); err != nil {
			return Duplicates{}, fmt.Errorf("application: find duplicates: %w", err)
		}
		d.A.Status, d.B.Status = Status(sa), Status(sb)
		d.Title, d.Summary, d.Organisation, d.Score = float64(t), float64(s), float64(o), float64(sc)
		out.Pairs = append(out.Pairs, d)
	}
	if err := rows.Err(); err != nil {
		return Duplicates{}, fmt.Errorf("application: find duplicates: %w", err)
	}
	if len(out.Pairs) > DuplicateLimit {
		out.Pairs, out.Capped = out.Pairs[:DuplicateLimit], true
	}
	return out, nil
}

// FlagDuplicate is the kind of the flag (entry_flags) on an entry that looks like the same
// project as an entry in another category (FindDuplicates); its detail is the other
// application's id.
const FlagDuplicate = "duplicate"

// FlagDuplicates recomputes the FlagDuplicate flags between application appID and the others
// of its edition: both sides of every pair FindDuplicates would list get one naming the other;
// flags no longer matched (the entry changed, or one side was withdrawn) go. Called in the
// transaction of a submission and of a withdrawal, so the screening queue's flag follows the
// entries (DOMAIN.md "Registration": the secretariat must be able to find likely duplicates
// across categories). The rows are written in the order of their key, as every concurrent
// submission writes them: two submissions that flag each other wait for one another in one
// order, never in a cycle (a deadlock under the deadline surge otherwise).
func FlagDuplicates(ctx context.Context, q db.DBTX, appID int64, now time.Time) error {
	if _, err := q.Exec(ctx, `
		WITH f AS (`+duplicateColumns+` AND a.edition_id = (SELECT edition_id FROM applications WHERE id = @app)),
		m AS (
			SELECT y_id, `+similarities+`
			FROM (SELECT id x_id, category_id x_cat, title x_title, summary x_summary, org x_org FROM f WHERE id = @app) x
			JOIN (SELECT id y_id, category_id y_cat, title y_title, summary y_summary, org y_org FROM f) y ON y.y_cat <> x.x_cat
		),
		want AS (
			SELECT @app::bigint AS app, y_id AS other FROM m WHERE greatest(sim_title, sim_summary, sim_org) >= @threshold
			UNION ALL
			SELECT y_id, @app FROM m WHERE greatest(sim_title, sim_summary, sim_org) >= @threshold
		),
		gone AS (
			DELETE FROM entry_flags e
			WHERE e.kind = @kind AND (e.application_id = @app OR e.detail = @app::text)
			  AND NOT EXISTS (SELECT 1 FROM want w WHERE w.app = e.application_id AND w.other::text = e.detail)
		)
		INSERT INTO entry_flags (application_id, kind, detail, created_at)
		SELECT app, @kind, other::text, @now FROM want ORDER BY app, other::text
		ON CONFLICT (application_id, kind, detail) DO NOTHING`,
		pgx.NamedArgs{"app": appID, "kind": FlagDuplicate, "threshold": DuplicateThreshold, "now": now}); err != nil {
		return fmt.Errorf("application: flag duplicates: %w", err)
	}
	return nil
}
