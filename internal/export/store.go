package export

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/nomination"
)

// --- the jobs

const jobColumns = `id, requester_id, edition_id, kind, options, status, progress, total, attempts, file_key, file_name,
	content_type, size, error, created_at, started_at, finished_at`

func scanJob(row pgx.Row) (Job, error) {
	var j Job
	var kind, status string
	err := row.Scan(&j.ID, &j.RequesterID, &j.EditionID, &kind, &j.Options, &status, &j.Progress, &j.Total, &j.Attempts,
		&j.FileKey, &j.FileName, &j.ContentType, &j.Size, &j.Error, &j.CreatedAt, &j.StartedAt, &j.FinishedAt)
	j.Kind, j.Status = Kind(kind), Status(status)
	return j, err
}

func oneJob(row pgx.Row, what string) (Job, error) {
	j, err := scanJob(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return Job{}, fmt.Errorf("export: %s: %w", what, db.ErrNotFound)
	}
	if err != nil {
		return Job{}, fmt.Errorf("export: %s: %w", what, err)
	}
	return j, nil
}

// Create records requester's request for an export of kind with opts in edition, queued at now.
// Queue its background job in the same transaction.
func Create(ctx context.Context, tx pgx.Tx, requester, editionID int64, kind Kind, opts Options, now time.Time) (Job, error) {
	if !kind.Valid() {
		return Job{}, fmt.Errorf("export: create: unknown kind %q", kind)
	}
	return oneJob(tx.QueryRow(ctx, `INSERT INTO export_jobs (requester_id, edition_id, kind, options, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING `+jobColumns, requester, editionID, string(kind), opts, now), "create")
}

// Get returns job id of requester: db.ErrNotFound when there is none or it is someone else's.
func Get(ctx context.Context, q db.DBTX, requester, id int64) (Job, error) {
	return oneJob(q.QueryRow(ctx, `SELECT `+jobColumns+` FROM export_jobs WHERE id = $1 AND requester_id = $2`, id, requester), "get")
}

// ByID returns job id, for the background job that produces it.
func ByID(ctx context.Context, q db.DBTX, id int64) (Job, error) {
	return oneJob(q.QueryRow(ctx, `SELECT `+jobColumns+` FROM export_jobs WHERE id = $1`, id), "job")
}

// List returns requester's latest jobs (at most limit) in edition, newest first.
func List(ctx context.Context, q db.DBTX, requester, editionID int64, limit int) ([]Job, error) {
	return db.List(ctx, q, "export: list", func(row pgx.CollectableRow) (Job, error) { return scanJob(row) }, `SELECT `+jobColumns+` FROM export_jobs WHERE requester_id = $1 AND edition_id = $2
		ORDER BY created_at DESC, id DESC LIMIT $3`, requester, editionID, limit)
}

// Start marks job id running for attempt at now, its progress reset; ErrFinished when it is
// already done or failed (a repeated run).
func Start(ctx context.Context, q db.DBTX, id int64, attempt int, now time.Time) (Job, error) {
	j, err := oneJob(q.QueryRow(ctx, `UPDATE export_jobs SET status = 'running', attempts = $2, progress = 0,
		started_at = coalesce(started_at, $3) WHERE id = $1 AND status IN ('queued', 'running') RETURNING `+jobColumns,
		id, attempt, now), "start")
	if errors.Is(err, db.ErrNotFound) {
		if _, err := ByID(ctx, q, id); err != nil {
			return Job{}, err
		}
		return Job{}, ErrFinished
	}
	return j, err
}

// SetProgress records that done of total items of running job id are produced.
func SetProgress(ctx context.Context, q db.DBTX, id int64, done, total int) error {
	if _, err := q.Exec(ctx, `UPDATE export_jobs SET progress = least($2::int, $3::int), total = $3::int WHERE id = $1 AND status = 'running'`,
		id, done, total); err != nil {
		return fmt.Errorf("export: progress: %w", err)
	}
	return nil
}

// Finish records job id done at now: its file stored under key, with its name, type and size.
func Finish(ctx context.Context, q db.DBTX, id int64, key, name, contentType string, size int64, now time.Time) error {
	tag, err := q.Exec(ctx, `UPDATE export_jobs SET status = 'done', progress = total, file_key = $2, file_name = $3,
		content_type = $4, size = $5, error = '', finished_at = $6 WHERE id = $1 AND status = 'running'`,
		id, key, name, contentType, size, now)
	if err != nil {
		return fmt.Errorf("export: finish: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrFinished
	}
	return nil
}

// maxError is the longest error text kept.
const maxError = 500

// Fail records a failed attempt of job id: with last, the job is failed for good at now;
// otherwise it is queued again for the retry, the error kept for the status page.
func Fail(ctx context.Context, q db.DBTX, id int64, msg string, last bool, now time.Time) error {
	if utf8.RuneCountInString(msg) > maxError {
		msg = string([]rune(msg)[:maxError])
	}
	var err error
	if last {
		_, err = q.Exec(ctx, `UPDATE export_jobs SET status = 'failed', error = $2, finished_at = $3
			WHERE id = $1 AND status IN ('queued', 'running')`, id, msg, now)
	} else {
		_, err = q.Exec(ctx, `UPDATE export_jobs SET status = 'queued', error = $2 WHERE id = $1 AND status IN ('queued', 'running')`, id, msg)
	}
	if err != nil {
		return fmt.Errorf("export: fail: %w", err)
	}
	return nil
}

// --- what the exports read; every query repeats the viewer's rights in SQL

// Scope is whose rules decide which entries of an edition an export reads.
type Scope int

// The scopes.
const (
	// AllEntries: the secretariat of the edition reads every submitted entry.
	AllEntries Scope = iota + 1
	// SemiFinalists: the council (or the secretariat) of the edition reads the confirmed
	// semi-finalists, as the dossiers do (internal/dossier).
	SemiFinalists
	// AssignedEntries: an evaluator (or the committee head) reads the entries assigned to them:
	// an active assignment and no conflict of theirs (internal/scoring's rule).
	AssignedEntries
)

// scopeFilters are the SQL rules of the scopes on application a, for @viewer.
var scopeFilters = map[Scope]string{
	AllEntries: `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @viewer AND g.edition_id = a.edition_id AND g.role = 'secretariat')`,
	SemiFinalists: `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @viewer AND g.edition_id = a.edition_id AND g.role IN ('council', 'secretariat'))
		AND EXISTS (SELECT 1 FROM semi_finalists sf JOIN semi_finalist_lists l ON l.edition_id = sf.edition_id AND l.category_id = sf.category_id
			WHERE sf.application_id = a.id)`,
	AssignedEntries: assignedFilter,
}

// assignedFilter is internal/scoring's rule: an active assignment of @viewer to application a,
// no conflict of theirs matching it, and a committee role in its edition, from the start of
// round 2 (the scoring window) at @now.
const assignedFilter = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @viewer AND g.edition_id = a.edition_id
		AND g.role IN ('evaluator', 'committee_head'))
	AND EXISTS (SELECT 1 FROM editions ed WHERE ed.id = a.edition_id AND ed.scoring_start <= @now)
	AND EXISTS (SELECT 1 FROM assignments s WHERE s.application_id = a.id AND s.evaluator_id = @viewer AND s.ended_at IS NULL)
	AND NOT EXISTS (SELECT 1 FROM conflict_matches m WHERE m.application_id = a.id AND m.evaluator_id = @viewer)`

// Nominee is a nomination's candidate and nominator details, as the nominator declared them.
type Nominee = nomination.Details

// Entry is a submitted entry with the answers of its latest submitted version.
type Entry struct {
	ID          int64
	CategoryID  int64
	Kind        string // project | nomination
	Version     int
	SubmittedAt time.Time
	Answers     form.Answers
	// Applicant is the account's name (a nomination's nominator); Email, Organisation and
	// EntityType are the registrant's; City and Country are the participant's
	// (entry_participants: a nomination's candidate's place, the applicant's otherwise).
	Applicant    string
	Email        string
	Organisation string
	EntityType   string
	City         string
	Country      string
	// Decision is round 1's decision (eligible, ineligible, clarification) or "".
	Decision   string
	Nomination *Nominee
}

// Entries returns the submitted entries of edition viewer may read under scope at now, by
// category (the edition's order) and id, each with its latest submitted version's answers.
func Entries(ctx context.Context, q db.DBTX, viewer, editionID int64, scope Scope, now time.Time) ([]Entry, error) {
	filter, ok := scopeFilters[scope]
	if !ok {
		return nil, fmt.Errorf("export: entries: unknown scope %d", scope)
	}
	return db.List(ctx, q, "export: entries", func(row pgx.CollectableRow) (Entry, error) {
		var e Entry
		var nom bool
		var n Nominee
		err := row.Scan(&e.ID, &e.CategoryID, &e.Kind, &e.Version, &e.SubmittedAt, &e.Answers, &e.Applicant, &e.Email,
			&e.Organisation, &e.EntityType, &e.City, &e.Country, &e.Decision, &nom, &n.Self, &n.NominatorCategory,
			&n.NominatorOrganisation, &n.CandidateName, &n.CandidateEmail, &n.CandidateOrganisation, &n.CandidatePosition,
			&n.CandidateIsHead)
		if nom {
			e.Nomination = &n
		}
		return e, err
	}, `
		SELECT a.id, a.category_id, a.kind, v.number, v.submitted_at, v.answers,
			coalesce(u.name, ''), u.email, coalesce(u.organisation, ''), coalesce(u.entity_type, ''), coalesce(p.city, ''),
			coalesce(p.country, ''), coalesce(d.decision, ''), n.application_id IS NOT NULL, coalesce(n.self, false),
			coalesce(n.nominator_category, ''), coalesce(n.nominator_organisation, ''), coalesce(n.candidate_name, ''),
			coalesce(n.candidate_email, ''), coalesce(n.candidate_organisation, ''), coalesce(n.candidate_position, ''),
			coalesce(n.candidate_is_head, false)
		FROM applications a
		JOIN categories c ON c.id = a.category_id
		JOIN users u ON u.id = a.user_id
		JOIN entry_participants p ON p.application_id = a.id
		JOIN LATERAL (SELECT number, submitted_at, answers FROM application_versions WHERE application_id = a.id
			ORDER BY number DESC LIMIT 1) v ON true
		LEFT JOIN nominations n ON n.application_id = a.id
		LEFT JOIN screening_decisions d ON d.application_id = a.id
		WHERE a.edition_id = @edition AND a.status = 'submitted' AND `+filter+`
		ORDER BY c.position, c.id, a.id`, pgx.NamedArgs{"viewer": viewer, "edition": editionID, "now": now})
}

// Sheet is a score sheet with its indicator scores and comments.
type Sheet struct {
	ID            int64
	ApplicationID int64
	CategoryID    int64
	EvaluatorID   int64
	// Evaluator is the evaluator's name (their email when they have none).
	Evaluator   string
	Title       string
	Status      string // draft | submitted
	UpdatedAt   time.Time
	SubmittedAt *time.Time
	// Scores by indicator id; Comments by criterion key; Overall the overall comment.
	Scores   map[int64]int
	Comments map[string]string
	Overall  string
}

// sheetSelect reads sheets sh of applications a.
const sheetSelect = `SELECT sh.id, a.id, a.category_id, sh.evaluator_id, coalesce(nullif(ev.name, ''), ev.email),
		CASE WHEN a.kind = 'nomination' THEN 'Nomination of ' || coalesce(n.candidate_name, '')
		ELSE coalesce(a.answers->'project_title'->>'text', '') END,
		sh.status, sh.updated_at, sh.submitted_at,
		coalesce((SELECT jsonb_object_agg(ss.indicator_id::text, ss.score) FROM sheet_scores ss WHERE ss.sheet_id = sh.id), '{}'),
		sh.criterion_comments, sh.overall_comment
	FROM score_sheets sh
	JOIN applications a ON a.id = sh.application_id
	JOIN categories c ON c.id = a.category_id
	JOIN users ev ON ev.id = sh.evaluator_id
	LEFT JOIN nominations n ON n.application_id = a.id`

// scanSheet reads a row of sheetSelect.
func scanSheet(row pgx.CollectableRow) (Sheet, error) {
	var s Sheet
	// the scores are a JSON object keyed by indicator id, which encoding/json reads into
	// integer keys
	err := row.Scan(&s.ID, &s.ApplicationID, &s.CategoryID, &s.EvaluatorID, &s.Evaluator, &s.Title, &s.Status, &s.UpdatedAt,
		&s.SubmittedAt, &s.Scores, &s.Comments, &s.Overall)
	if s.Comments == nil {
		s.Comments = map[string]string{}
	}
	return s, err
}

// CommitteeSheets returns every score sheet of edition (drafts too, marked) for viewer, by
// category, entry and evaluator: only for its secretariat or committee head, and only once the
// scoring round is closed (the scores are sealed until then: internal/scoring); empty otherwise.
func CommitteeSheets(ctx context.Context, q db.DBTX, viewer, editionID int64) ([]Sheet, error) {
	return db.List(ctx, q, "export: sheets", scanSheet, sheetSelect+` WHERE a.edition_id = @edition
		AND EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @viewer AND g.edition_id = a.edition_id
			AND g.role IN ('secretariat', 'committee_head'))
		AND EXISTS (SELECT 1 FROM scoring_rounds r WHERE r.edition_id = a.edition_id AND r.closed_at IS NOT NULL)
		ORDER BY c.position, c.id, a.id, sh.evaluator_id`, pgx.NamedArgs{"viewer": viewer, "edition": editionID})
}

// OwnSheets returns viewer's own sheets of the entries of edition assigned to them (the
// assignment rule of AssignedEntries at now), by category and entry. Never anyone else's.
func OwnSheets(ctx context.Context, q db.DBTX, viewer, editionID int64, now time.Time) ([]Sheet, error) {
	return db.List(ctx, q, "export: sheets", scanSheet, sheetSelect+` WHERE a.edition_id = @edition AND sh.evaluator_id = @viewer AND `+assignedFilter+`
		ORDER BY c.position, c.id, a.id`, pgx.NamedArgs{"viewer": viewer, "edition": editionID, "now": now})
}

// ScoringClosed reports whether the scoring round of edition is closed, with its aggregation
// method (scoring_rounds.method; "mean" when the round has no row yet).
func ScoringClosed(ctx context.Context, q db.DBTX, editionID int64) (bool, string, error) {
	var closed bool
	method := "mean"
	err := q.QueryRow(ctx, `SELECT closed_at IS NOT NULL, method FROM scoring_rounds WHERE edition_id = $1`, editionID).Scan(&closed, &method)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, "mean", nil
	}
	if err != nil {
		return false, "", fmt.Errorf("export: scoring round: %w", err)
	}
	return closed, method, nil
}

// Conflicts counts what the conflict-of-interest rules kept out of round 2 in an edition.
type Conflicts struct {
	// Recused: assignments ended by the evaluator's recusal.
	Recused int
	// Removed: assignments removed by the head or the secretariat.
	Removed int
	// Conflicted: active assignments an evaluator's conflict hides from them (their sheet is
	// not theirs to fill: internal/scoring).
	Conflicted int
}

// ConflictCounts returns the conflict counts of edition for viewer, the secretariat or the
// committee head of it (zero counts otherwise).
func ConflictCounts(ctx context.Context, q db.DBTX, viewer, editionID int64) (Conflicts, error) {
	var c Conflicts
	err := q.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE s.end_kind = 'recused'), count(*) FILTER (WHERE s.end_kind = 'removed'),
			count(*) FILTER (WHERE s.ended_at IS NULL AND EXISTS (SELECT 1 FROM conflict_matches m
				WHERE m.application_id = s.application_id AND m.evaluator_id = s.evaluator_id))
		FROM assignments s WHERE s.edition_id = @edition
			AND EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @viewer AND g.edition_id = s.edition_id
				AND g.role IN ('secretariat', 'committee_head'))`,
		pgx.NamedArgs{"viewer": viewer, "edition": editionID}).Scan(&c.Recused, &c.Removed, &c.Conflicted)
	if err != nil {
		return Conflicts{}, fmt.Errorf("export: conflicts: %w", err)
	}
	return c, nil
}

// ClosedVotes returns the ids of the categories of edition whose council vote is closed, for
// viewer, a council member or the secretariat of it (none otherwise): ballots stay secret
// until their vote closes (internal/ballot).
func ClosedVotes(ctx context.Context, q db.DBTX, viewer, editionID int64) ([]int64, error) {
	return db.List(ctx, q, "export: closed votes", pgx.RowTo[int64], `SELECT c.id FROM categories c JOIN vote_results vr ON vr.category_id = c.id
		WHERE c.edition_id = @edition AND EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @viewer
			AND g.edition_id = c.edition_id AND g.role IN ('council', 'secretariat'))
		ORDER BY c.position, c.id`, pgx.NamedArgs{"viewer": viewer, "edition": editionID})
}

// AuditRow is one audit log entry.
type AuditRow struct {
	ID         int64
	At         time.Time
	Actor      string
	Action     string
	ObjectType string
	ObjectID   string
	IP         string
	Details    string
}

// AuditLog returns the whole audit log, oldest first, for viewer, an admin (empty otherwise).
func AuditLog(ctx context.Context, q db.DBTX, viewer int64) ([]AuditRow, error) {
	return db.List(ctx, q, "export: audit log", func(row pgx.CollectableRow) (AuditRow, error) {
		var a AuditRow
		err := row.Scan(&a.ID, &a.At, &a.Actor, &a.Action, &a.ObjectType, &a.ObjectID, &a.IP, &a.Details)
		return a, err
	}, `
		SELECT l.id, l.at, CASE WHEN u.id IS NULL THEN l.actor_label ELSE coalesce(nullif(u.name, ''), u.login_id) || ' (' || u.login_id || ')' END,
			l.action, l.object_type, l.object_id, coalesce(l.ip, ''), l.details::text
		FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id
		WHERE EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = $1 AND g.role = 'admin')
		ORDER BY l.at, l.id`, viewer)
}
