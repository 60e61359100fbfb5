package scoring

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
)

// PerPage is the length of a page of the progress lists.
const PerPage = 50

// viewerFilter is the SQL rule of who may follow the progress of edition @edition: its
// secretariat and its committee head.
const viewerFilter = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @viewer AND g.edition_id = @edition
	AND g.role IN ('secretariat', 'committee_head'))`

// committeeFilter: user u serves on the committee of @edition (evaluator or head).
const committeeFilter = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.edition_id = @edition
	AND g.role IN ('evaluator', 'committee_head'))`

// BehindSQL holds for a committee member u of edition @edition with an active assignment whose
// sheet is not submitted (DOMAIN.md "Round 2"): the progress list's "behind" view, which the
// staff home counts the same way (internal/dashboard).
const BehindSQL = `(` + committeeFilter + ` AND EXISTS (SELECT 1 FROM assignments s
	LEFT JOIN score_sheets sh ON sh.application_id = s.application_id AND sh.evaluator_id = s.evaluator_id
	WHERE s.evaluator_id = u.id AND s.edition_id = @edition AND s.ended_at IS NULL AND sh.status IS DISTINCT FROM 'submitted'))`

// EvaluatorProgress is one committee member's completion: active assignments, and among them
// the sheets saved as drafts and those submitted (the rest are not opened).
type EvaluatorProgress struct {
	ID        int64
	Name      string
	Email     string
	Assigned  int
	Drafts    int
	Submitted int
}

// Unfinished counts the assigned entries whose sheet is not submitted.
func (p EvaluatorProgress) Unfinished() int { return p.Assigned - p.Submitted }

// NotOpened counts the assigned entries whose sheet was never saved.
func (p EvaluatorProgress) NotOpened() int { return p.Assigned - p.Drafts - p.Submitted }

// EntryProgress is one entry's coverage: its active assignments and the sheets submitted.
type EntryProgress struct {
	ID        int64
	Title     string
	Category  string
	Assigned  int
	Submitted int
}

// Page is a page of a progress list.
type Page[T any] = db.Page[T]

func pages(total, page int) (int, int) {
	n := db.PageCount(total, PerPage)
	return n, max(page, 1)
}

// Evaluators returns a page of the completion of every committee member of edition (only those
// behind, BehindSQL, when behind is set), by name, for viewer (its secretariat or committee
// head; nothing for anyone else), counted in SQL.
func Evaluators(ctx context.Context, q db.DBTX, viewer, edition int64, behind bool, page int) (Page[EvaluatorProgress], error) {
	var out Page[EvaluatorProgress]
	page = max(page, 1)
	var err error
	members := committeeFilter
	if behind {
		members = BehindSQL
	}
	out.Rows, err = db.List(ctx, q, "scoring: evaluator progress", func(row pgx.CollectableRow) (EvaluatorProgress, error) {
		var p EvaluatorProgress
		return p, row.Scan(&p.ID, &p.Name, &p.Email, &p.Assigned, &p.Drafts, &p.Submitted, &out.Total)
	}, `
		SELECT u.id, u.name, u.email, count(s.id)::int,
		       count(s.id) FILTER (WHERE sh.status = 'draft')::int,
		       count(s.id) FILTER (WHERE sh.status = 'submitted')::int,
		       count(*) OVER ()::int
		FROM users u
		LEFT JOIN assignments s ON s.evaluator_id = u.id AND s.edition_id = @edition AND s.ended_at IS NULL
		LEFT JOIN score_sheets sh ON sh.application_id = s.application_id AND sh.evaluator_id = u.id
		WHERE `+members+` AND `+viewerFilter+`
		GROUP BY u.id ORDER BY lower(u.name), u.id LIMIT @limit OFFSET @offset`,
		pgx.NamedArgs{"viewer": viewer, "edition": edition, "limit": PerPage, "offset": (page - 1) * PerPage})
	if err != nil {
		return out, err
	}
	if out.Total == 0 && page > 1 {
		if err := q.QueryRow(ctx, `SELECT count(*) FROM users u WHERE `+members+` AND `+viewerFilter,
			pgx.NamedArgs{"viewer": viewer, "edition": edition}).Scan(&out.Total); err != nil {
			return out, fmt.Errorf("scoring: evaluator progress: %w", err)
		}
	}
	out.Pages, out.Page = pages(out.Total, page)
	return out, nil
}

// Entries returns a page of the coverage of the entries of edition in round 2 (the eligible
// entries of round 1, and any entry with an active assignment), by category and id, for viewer
// (its secretariat or committee head; nothing for anyone else), counted in SQL.
func Entries(ctx context.Context, q db.DBTX, viewer, edition int64, page int) (Page[EntryProgress], error) {
	var out Page[EntryProgress]
	page = max(page, 1)
	args := pgx.NamedArgs{"viewer": viewer, "edition": edition, "limit": PerPage, "offset": (page - 1) * PerPage}
	const ids = `(SELECT application_id FROM round2_entries WHERE edition_id = @edition
		UNION SELECT application_id FROM assignments WHERE edition_id = @edition AND ended_at IS NULL)`
	if err := q.QueryRow(ctx, `SELECT count(*) FROM `+ids+` x WHERE `+viewerFilter, args).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("scoring: entry progress: %w", err)
	}
	rows, err := q.Query(ctx, `
		SELECT a.id, `+titleColumn+`, c.name,
		       (SELECT count(*) FROM assignments s WHERE s.application_id = a.id AND s.ended_at IS NULL)::int,
		       (SELECT count(*) FROM assignments s JOIN score_sheets sh ON sh.application_id = s.application_id
		          AND sh.evaluator_id = s.evaluator_id AND sh.status = 'submitted'
		        WHERE s.application_id = a.id AND s.ended_at IS NULL)::int
		FROM applications a JOIN categories c ON c.id = a.category_id LEFT JOIN nominations n ON n.application_id = a.id
		WHERE a.id IN `+ids+` AND a.edition_id = @edition AND `+viewerFilter+`
		ORDER BY c.position, a.id LIMIT @limit OFFSET @offset`, args)
	if err != nil {
		return out, fmt.Errorf("scoring: entry progress: %w", err)
	}
	if out.Rows, err = pgx.CollectRows(rows, pgx.RowToStructByPos[EntryProgress]); err != nil {
		return out, fmt.Errorf("scoring: entry progress: %w", err)
	}
	out.Pages, out.Page = pages(out.Total, page)
	return out, nil
}

// Member returns the progress of committee member evaluator of edition, for viewer (its
// secretariat or committee head); db.ErrNotFound when either does not hold their role there.
func Member(ctx context.Context, q db.DBTX, viewer, edition, evaluator int64) (EvaluatorProgress, error) {
	var p EvaluatorProgress
	err := q.QueryRow(ctx, `
		SELECT u.id, u.name, u.email, count(s.id)::int,
		       count(s.id) FILTER (WHERE sh.status = 'draft')::int,
		       count(s.id) FILTER (WHERE sh.status = 'submitted')::int
		FROM users u
		LEFT JOIN assignments s ON s.evaluator_id = u.id AND s.edition_id = @edition AND s.ended_at IS NULL
		LEFT JOIN score_sheets sh ON sh.application_id = s.application_id AND sh.evaluator_id = u.id
		WHERE u.id = @evaluator AND `+committeeFilter+` AND `+viewerFilter+`
		GROUP BY u.id`, pgx.NamedArgs{"viewer": viewer, "edition": edition, "evaluator": evaluator}).
		Scan(&p.ID, &p.Name, &p.Email, &p.Assigned, &p.Drafts, &p.Submitted)
	return db.One(p, err, "scoring: member progress")
}

// ReminderAction is the audit action that records an automatic reminder sent to an evaluator
// (object: the evaluator; details: edition and stage).
const ReminderAction = "scoring.reminder_auto"

// Reminder stages: days before the end of the scoring window.
const (
	Stage3Days = "3d"
	Stage1Day  = "1d"
)

// Due is an automatic reminder to send: an evaluator with unfinished sheets in an edition whose
// scoring window ends soon, at a stage not sent to them yet.
type Due struct {
	EvaluatorID int64
	Name        string
	Email       string
	EditionID   int64
	Unfinished  int
	Stage       string
}

// DueReminders lists the reminders due at now: for every edition whose scoring round is open
// and whose scoring window ends within three days, each committee member with assigned entries
// whose sheet is not submitted, at stage Stage1Day within the last day and Stage3Days before,
// unless that stage was sent to them for that edition (audit ReminderAction). A member reached
// only in the last day gets the one-day reminder alone.
func DueReminders(ctx context.Context, q db.DBTX, now time.Time) ([]Due, error) {
	return db.List(ctx, q, "scoring: due reminders", pgx.RowToStructByPos[Due], `
		WITH due AS (
			SELECT s.evaluator_id, s.edition_id, count(*)::int AS unfinished,
			       CASE WHEN @now >= e.scoring_end - interval '1 day' THEN '1d' ELSE '3d' END AS stage
			FROM assignments s JOIN editions e ON e.id = s.edition_id
			LEFT JOIN score_sheets sh ON sh.application_id = s.application_id AND sh.evaluator_id = s.evaluator_id
			WHERE s.ended_at IS NULL AND sh.status IS DISTINCT FROM 'submitted'
			  AND @now >= e.scoring_end - interval '3 days' AND @now >= e.scoring_start AND @now < e.scoring_end
			  AND NOT EXISTS (SELECT 1 FROM scoring_rounds r WHERE r.edition_id = s.edition_id AND r.closed_at IS NOT NULL)
			GROUP BY s.evaluator_id, s.edition_id, e.scoring_end)
		SELECT d.evaluator_id, u.name, u.email, d.edition_id, d.unfinished, d.stage
		FROM due d JOIN users u ON u.id = d.evaluator_id
		WHERE u.deactivated_at IS NULL AND NOT EXISTS (SELECT 1 FROM audit_log l
			WHERE l.object_type = 'user' AND l.object_id = d.evaluator_id::text AND l.action = @action
			  AND l.details->>'edition' = d.edition_id::text AND l.details->>'stage' = d.stage)
		ORDER BY d.edition_id, d.evaluator_id`, pgx.NamedArgs{"now": now, "action": ReminderAction})
}

// ClaimReminder locks the reminder of d in tx (against a concurrent run) and reports whether it
// is still to send; the caller records it (audit ReminderAction) in the same transaction.
func ClaimReminder(ctx context.Context, tx pgx.Tx, d Due) (bool, error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('scoring-reminder'), hashtext($1))`,
		fmt.Sprint(d.EvaluatorID, "/", d.EditionID, "/", d.Stage)); err != nil {
		return false, fmt.Errorf("scoring: claim reminder: %w", err)
	}
	var sent bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM audit_log l WHERE l.object_type = 'user' AND l.object_id = $1
		AND l.action = $2 AND l.details->>'edition' = $3 AND l.details->>'stage' = $4)`,
		strconv.FormatInt(d.EvaluatorID, 10), ReminderAction, strconv.FormatInt(d.EditionID, 10), d.Stage).Scan(&sent)
	if err != nil {
		return false, fmt.Errorf("scoring: claim reminder: %w", err)
	}
	return !sent, nil
}
