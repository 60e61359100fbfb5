package conflict

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
)

// staffFilter is the SQL form of authz.CanManageApplications on conflict_organisations o: the
// registry of an edition belongs to its secretariat.
const staffFilter = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @staff
	AND g.role = 'secretariat' AND g.edition_id = o.edition_id)`

// evaluatorFilter is the SQL form of authz.CanDeclare: the user @evaluator serves edition
// @edition as an evaluator, the committee head or a council member.
const evaluatorFilter = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @evaluator
	AND g.role IN ('evaluator', 'committee_head', 'council') AND g.edition_id = @edition)`

const orgColumns = `o.id, o.edition_id, o.name, o.aliases, o.domains, o.country, o.note,
	coalesce(ab.name, ''), o.added_at, coalesce(ub.name, ''), o.updated_at,
	(SELECT count(*) FROM entry_flags f JOIN applications a ON a.id = f.application_id
	 WHERE f.kind = 'conflict' AND f.detail = o.name AND a.edition_id = o.edition_id)::int`

const orgFrom = `conflict_organisations o LEFT JOIN users ab ON ab.id = o.added_by LEFT JOIN users ub ON ub.id = o.updated_by`

func scanOrganisation(row pgx.Row) (Organisation, error) {
	var o Organisation
	err := row.Scan(&o.ID, &o.EditionID, &o.Name, &o.Aliases, &o.Domains, &o.Country, &o.Note,
		&o.AddedBy, &o.AddedAt, &o.UpdatedBy, &o.UpdatedAt, &o.Flagged)
	return o, err
}

// Organisations lists the registry of editionID, by name, for staff (a secretariat member of
// the edition; anyone else gets an empty list).
func Organisations(ctx context.Context, q db.DBTX, staff, editionID int64) ([]Organisation, error) {
	return db.List(ctx, q, "conflict: organisations", func(row pgx.CollectableRow) (Organisation, error) { return scanOrganisation(row) }, `SELECT `+orgColumns+` FROM `+orgFrom+`
		WHERE o.edition_id = @edition AND `+staffFilter+` ORDER BY lower(o.name), o.id`,
		pgx.NamedArgs{"staff": staff, "edition": editionID})
}

// GetOrganisation returns registry organisation id for staff; db.ErrNotFound when there is none
// in an edition staff serves.
func GetOrganisation(ctx context.Context, q db.DBTX, staff, id int64) (Organisation, error) {
	o, err := scanOrganisation(q.QueryRow(ctx, `SELECT `+orgColumns+` FROM `+orgFrom+`
		WHERE o.id = @id AND `+staffFilter, pgx.NamedArgs{"staff": staff, "id": id}))
	return db.One(o, err, "conflict: get organisation")
}

// nameTaken checks that no other organisation of the edition has the same name (normalised).
func nameTaken(ctx context.Context, q db.DBTX, editionID, except int64, name string, errs *field.Errors) error {
	var other string
	err := q.QueryRow(ctx, `SELECT name FROM conflict_organisations WHERE edition_id = $1 AND org_norm(name) = org_norm($2) AND id <> $3`,
		editionID, name, except).Scan(&other)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("conflict: check name: %w", err)
	}
	errs.Add("name", "“"+other+"” is already in the registry: change it instead of adding it again.")
	return nil
}

// AddOrganisation adds an organisation to the registry of editionID for staff. Bad input is
// returned as field.Errors (fields name, aliases, domains, country, note); db.ErrNotFound when
// staff does not serve the edition. The caller records the audit entry and calls FlagEdition.
func AddOrganisation(ctx context.Context, q db.DBTX, staff, editionID int64, in Input, now time.Time) (Organisation, error) {
	in.Kind = ""
	p, errs := parse(in, true)
	if !errs.Any() {
		if err := nameTaken(ctx, q, editionID, 0, p.name, &errs); err != nil {
			return Organisation{}, err
		}
	}
	if errs.Any() {
		return Organisation{}, errs
	}
	var id int64
	err := q.QueryRow(ctx, `
		INSERT INTO conflict_organisations (edition_id, name, aliases, domains, country, note, added_by, added_at)
		SELECT @edition, @name, @aliases, @domains, @country, @note, @staff, @now
		WHERE EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @staff AND g.role = 'secretariat' AND g.edition_id = @edition)
		RETURNING id`,
		pgx.NamedArgs{"edition": editionID, "name": p.name, "aliases": nonNil(p.aliases), "domains": nonNil(p.domains),
			"country": p.countryCode, "note": p.note, "staff": staff, "now": now}).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return Organisation{}, db.ErrNotFound
	}
	if db.IsUniqueViolation(err) {
		return Organisation{}, field.Errors{{Field: "name", Message: "This organisation is already in the registry."}}
	}
	if err != nil {
		return Organisation{}, fmt.Errorf("conflict: add organisation: %w", err)
	}
	return GetOrganisation(ctx, q, staff, id)
}

// UpdateOrganisation changes registry organisation id for staff and returns it as it was and as
// it is now. Bad input is returned as field.Errors; db.ErrNotFound when staff may not see it.
func UpdateOrganisation(ctx context.Context, q db.DBTX, staff, id int64, in Input, now time.Time) (before, after Organisation, err error) {
	before, err = GetOrganisation(ctx, q, staff, id)
	if err != nil {
		return before, after, err
	}
	in.Kind = ""
	p, errs := parse(in, true)
	if !errs.Any() {
		if err := nameTaken(ctx, q, before.EditionID, id, p.name, &errs); err != nil {
			return before, after, err
		}
	}
	if errs.Any() {
		return before, after, errs
	}
	tag, err := q.Exec(ctx, `
		UPDATE conflict_organisations o SET name = @name, aliases = @aliases, domains = @domains, country = @country,
		       note = @note, updated_by = @staff, updated_at = @now
		WHERE o.id = @id AND `+staffFilter,
		pgx.NamedArgs{"id": id, "name": p.name, "aliases": nonNil(p.aliases), "domains": nonNil(p.domains),
			"country": p.countryCode, "note": p.note, "staff": staff, "now": now})
	if db.IsUniqueViolation(err) {
		return before, after, field.Errors{{Field: "name", Message: "Another organisation of the registry has this name."}}
	}
	if err != nil {
		return before, after, fmt.Errorf("conflict: update organisation: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return before, after, db.ErrNotFound
	}
	after, err = GetOrganisation(ctx, q, staff, id)
	return before, after, err
}

// DeleteOrganisation removes registry organisation id for staff and returns what was removed;
// db.ErrNotFound when staff may not see it. The caller records the audit entry and calls
// FlagEdition, which removes the organisation's flags.
func DeleteOrganisation(ctx context.Context, q db.DBTX, staff, id int64) (Organisation, error) {
	o, err := GetOrganisation(ctx, q, staff, id)
	if err != nil {
		return o, err
	}
	tag, err := q.Exec(ctx, `DELETE FROM conflict_organisations o WHERE o.id = @id AND `+staffFilter,
		pgx.NamedArgs{"id": id, "staff": staff})
	if err != nil {
		return o, fmt.Errorf("conflict: delete organisation: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return o, db.ErrNotFound
	}
	return o, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

const declColumns = `d.id, d.edition_id, d.evaluator_id, d.kind, d.name, d.aliases, d.domains, d.country, d.email, d.note, d.created_at`

func scanDeclaration(row pgx.Row) (Declaration, error) {
	var (
		d    Declaration
		kind string
	)
	err := row.Scan(&d.ID, &d.EditionID, &d.EvaluatorID, &kind, &d.Name, &d.Aliases, &d.Domains, &d.Country,
		&d.Email, &d.Note, &d.CreatedAt)
	d.Kind = Kind(kind)
	return d, err
}

// Declarations lists what evaluator declared for editionID, organisations first, then cities and
// persons, each by name.
func Declarations(ctx context.Context, q db.DBTX, evaluator, editionID int64) ([]Declaration, error) {
	return db.List(ctx, q, "conflict: declarations", func(row pgx.CollectableRow) (Declaration, error) { return scanDeclaration(row) }, `SELECT `+declColumns+` FROM conflict_declarations d
		WHERE d.evaluator_id = @evaluator AND d.edition_id = @edition
		ORDER BY array_position(ARRAY['organisation', 'city', 'person'], d.kind), lower(d.name), d.id`,
		pgx.NamedArgs{"evaluator": evaluator, "edition": editionID})
}

// Declare records an affiliation or conflict of evaluator in editionID. Bad input is returned as
// field.Errors (fields name, aliases, domains, country, email, note); db.ErrNotFound when
// evaluator does not serve the edition as an evaluator, the committee head or a council member. The caller records
// the audit entry and calls FlagEdition.
func Declare(ctx context.Context, q db.DBTX, evaluator, editionID int64, in Input, now time.Time) (Declaration, error) {
	if !in.Kind.Valid() {
		return Declaration{}, field.Errors{{Field: "kind", Message: "Choose what you declare: an organisation, a city or a person."}}
	}
	p, errs := parse(in, false)
	if errs.Any() {
		return Declaration{}, errs
	}
	d, err := scanDeclaration(q.QueryRow(ctx, `
		INSERT INTO conflict_declarations AS d (edition_id, evaluator_id, kind, name, aliases, domains, country, email, note, created_at)
		SELECT @edition, @evaluator, @kind, @name, @aliases, @domains, @country, @email, @note, @now
		WHERE `+evaluatorFilter+`
		RETURNING `+declColumns,
		pgx.NamedArgs{"edition": editionID, "evaluator": evaluator, "kind": string(in.Kind), "name": p.name,
			"aliases": nonNil(p.aliases), "domains": nonNil(p.domains), "country": p.countryCode, "email": p.email,
			"note": p.note, "now": now}))
	return db.One(d, err, "conflict: declare")
}

// Withdraw removes declaration id of evaluator and returns it; db.ErrNotFound when evaluator has
// no such declaration.
func Withdraw(ctx context.Context, q db.DBTX, evaluator, id int64) (Declaration, error) {
	d, err := scanDeclaration(q.QueryRow(ctx, `DELETE FROM conflict_declarations d WHERE d.id = $1 AND d.evaluator_id = $2
		RETURNING `+declColumns, id, evaluator))
	return db.One(d, err, "conflict: withdraw declaration")
}

const matchColumns = `m.application_id, m.source, m.source_id, coalesce(m.evaluator_id, 0), coalesce(u.name, ''),
	m.subject_kind, m.subject, m.subject_country, m.field, coalesce(m.matched, '')`

func queryMatches(ctx context.Context, q db.DBTX, where string, args ...any) (map[int64][]Match, error) {
	rows, err := q.Query(ctx, `SELECT `+matchColumns+` FROM conflict_matches m LEFT JOIN users u ON u.id = m.evaluator_id
		WHERE `+where+` ORDER BY m.application_id, m.source DESC, lower(coalesce(u.name, '')), m.evaluator_id,
		lower(m.subject), m.source_id, m.field`, args...)
	if err != nil {
		return nil, fmt.Errorf("conflict: matches: %w", err)
	}
	defer rows.Close()
	out := map[int64][]Match{}
	for rows.Next() {
		var (
			app int64
			m   Match
		)
		if err := rows.Scan(&app, &m.Source, &m.SourceID, &m.EvaluatorID, &m.EvaluatorName, &m.SubjectKind, &m.Subject,
			&m.SubjectNote, &m.Field, &m.Matched); err != nil {
			return nil, fmt.Errorf("conflict: matches: %w", err)
		}
		out[app] = append(out[app], m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("conflict: matches: %w", err)
	}
	return out, nil
}

// Matches lists what entry appID matches: registered organisations first, then evaluators'
// declarations, each with the field of the entry that matched. The caller checks that its user
// may see the entry.
func Matches(ctx context.Context, q db.DBTX, appID int64) ([]Match, error) {
	m, err := queryMatches(ctx, q, `m.application_id = $1`, appID)
	return m[appID], err
}

// Barred reports whether entry appID matches an organisation of the registry: the screening
// checklist's "not from a barred entity" (DOMAIN.md "Registration").
func Barred(ctx context.Context, q db.DBTX, appID int64) (bool, error) {
	var barred bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM conflict_matches m WHERE m.application_id = $1 AND m.source = 'registry')`,
		appID).Scan(&barred)
	if err != nil {
		return false, fmt.Errorf("conflict: barred: %w", err)
	}
	return barred, nil
}

// EvaluatorConflicts returns, for every entry of editionID that matches what evaluator declared,
// the reasons (Match.Reason). Round 2 assignment never assigns evaluator to these entries
// (DOMAIN.md "Round 2"); in SQL, the same is conflict_matches filtered by evaluator_id.
func EvaluatorConflicts(ctx context.Context, q db.DBTX, evaluator, editionID int64) (map[int64][]string, error) {
	all, err := queryMatches(ctx, q, `m.evaluator_id = $1 AND m.edition_id = $2`, evaluator, editionID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]string, len(all))
	for app, ms := range all {
		for _, m := range ms {
			out[app] = append(out[app], m.Reason())
		}
	}
	return out, nil
}

// Conflicted reports whether evaluator declared something entry appID matches, with the reasons.
func Conflicted(ctx context.Context, q db.DBTX, evaluator, appID int64) (bool, []string, error) {
	all, err := queryMatches(ctx, q, `m.evaluator_id = $1 AND m.application_id = $2`, evaluator, appID)
	if err != nil {
		return false, nil, err
	}
	var reasons []string
	for _, m := range all[appID] {
		reasons = append(reasons, m.Reason())
	}
	return len(reasons) > 0, reasons, nil
}

// flagSQL recomputes the conflict flags (FlagRegistry, FlagEvaluator) of the applications in
// scope: submitted entries get one flag per matched registry organisation and per evaluator's
// matched declaration; flags no longer matched (or on entries no longer submitted) go; flags
// that stay keep their time.
const flagSQL = `
WITH scope AS (SELECT a.id FROM applications a WHERE %[1]s),
want AS (
	SELECT DISTINCT m.application_id,
	       CASE WHEN m.source = 'registry' THEN 'conflict' ELSE 'evaluator-conflict' END AS kind,
	       CASE WHEN m.source = 'registry' THEN m.subject
	            ELSE coalesce(nullif(u.name, ''), u.email) || ': ' || CASE m.subject_kind
	                 WHEN 'city' THEN 'city ' || m.subject || ' (' || m.subject_country || ')'
	                 WHEN 'person' THEN 'person ' || m.subject
	                 ELSE 'organisation ' || m.subject END
	       END AS detail
	FROM conflict_matches m
	JOIN applications a ON a.id = m.application_id AND a.status = 'submitted'
	LEFT JOIN users u ON u.id = m.evaluator_id
	WHERE %[2]s
),
gone AS (
	DELETE FROM entry_flags f USING scope s
	WHERE f.application_id = s.id AND f.kind IN ('conflict', 'evaluator-conflict')
	  AND NOT EXISTS (SELECT 1 FROM want w WHERE w.application_id = f.application_id AND w.kind = f.kind AND w.detail = f.detail)
)
INSERT INTO entry_flags (application_id, kind, detail, created_at)
SELECT application_id, kind, detail, @now FROM want
ON CONFLICT (application_id, kind, detail) DO NOTHING`

// FlagEntry recomputes the conflict flags of entry appID: FlagRegistry with the name of each
// registered organisation it matches, FlagEvaluator for each evaluator's declaration it matches.
// Called in the submission's transaction, so an entry from a registered organisation is
// flagged when it is submitted.
func FlagEntry(ctx context.Context, q db.DBTX, appID int64, now time.Time) error {
	if _, err := q.Exec(ctx, fmt.Sprintf(flagSQL, `a.id = @app`, `m.application_id = @app`),
		pgx.NamedArgs{"app": appID, "now": now}); err != nil {
		return fmt.Errorf("conflict: flag entry: %w", err)
	}
	return nil
}

// FlagEdition recomputes the conflict flags of every entry of editionID, as FlagEntry does for
// one. Called after every change of the registry or of a declaration, so the queue's flags are
// current.
func FlagEdition(ctx context.Context, q db.DBTX, editionID int64, now time.Time) error {
	if _, err := q.Exec(ctx, fmt.Sprintf(flagSQL, `a.edition_id = @edition`, `m.edition_id = @edition`),
		pgx.NamedArgs{"edition": editionID, "now": now}); err != nil {
		return fmt.Errorf("conflict: flag edition: %w", err)
	}
	return nil
}
