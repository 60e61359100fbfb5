package scoring

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
)

// activeFilter is the SQL rule of an evaluator's access to application a: an active assignment
// of @evaluator to it, and no conflict of theirs matching it (the assignment never assigns a
// conflicted evaluator; a conflict declared later hides the entry too).
const activeFilter = `EXISTS (SELECT 1 FROM assignments s WHERE s.application_id = a.id
		AND s.evaluator_id = @evaluator AND s.ended_at IS NULL)
	AND NOT EXISTS (SELECT 1 FROM conflict_matches m WHERE m.application_id = a.id AND m.evaluator_id = @evaluator)`

// closedRound is true when the scoring round of application a's edition is closed.
const closedRound = `EXISTS (SELECT 1 FROM scoring_rounds r WHERE r.edition_id = a.edition_id AND r.closed_at IS NOT NULL)`

// titleColumn names an entry: the project's title, or "Nomination of" the candidate.
const titleColumn = `CASE WHEN a.kind = 'nomination' THEN 'Nomination of ' || coalesce(n.candidate_name, '')
	ELSE coalesce(a.answers->'project_title'->>'text', '') END`

// Entry is an entry assigned to an evaluator, with their sheet's status.
type Entry struct {
	ID         int64 // the application id
	EditionID  int64
	CategoryID int64
	Category   string
	Kind       string
	Title      string
	// Organisation is the applicant's (a nomination's candidate's) organisation; EntityType,
	// City and Country are the registrant's.
	Organisation string
	EntityType   string
	City         string
	Country      string
	Status       Status
	// Declared reports whether the evaluator declared they have no conflict with it.
	Declared  bool
	UpdatedAt *time.Time
	// ClosedAt is when the scoring round of its edition closed; nil while it is open.
	ClosedAt *time.Time
}

// Closed reports whether the scoring round of the entry's edition is closed: its sheets are
// read-only.
func (e Entry) Closed() bool { return e.ClosedAt != nil }

const entryColumns = `a.id, a.edition_id, a.category_id, c.name, a.kind, ` + titleColumn + `,
	p.organisation, u.entity_type, p.city, p.country,
	coalesce(sh.status, ''), sh.no_conflict_at IS NOT NULL, sh.updated_at,
	(SELECT r.closed_at FROM scoring_rounds r WHERE r.edition_id = a.edition_id)`

const entryFrom = `applications a JOIN categories c ON c.id = a.category_id JOIN users u ON u.id = a.user_id
	JOIN entry_participants p ON p.application_id = a.id
	LEFT JOIN nominations n ON n.application_id = a.id
	LEFT JOIN score_sheets sh ON sh.application_id = a.id AND sh.evaluator_id = @evaluator`

func scanEntry(row pgx.Row) (Entry, error) {
	var e Entry
	var status string
	err := row.Scan(&e.ID, &e.EditionID, &e.CategoryID, &e.Category, &e.Kind, &e.Title, &e.Organisation, &e.EntityType, &e.City, &e.Country, &status, &e.Declared, &e.UpdatedAt, &e.ClosedAt)
	e.Status = Status(status)
	return e, err
}

// Assigned lists the entries assigned to evaluator (active assignments, not conflicted), by
// edition (newest first), category and application id.
func Assigned(ctx context.Context, q db.DBTX, evaluator int64) ([]Entry, error) {
	return db.List(ctx, q, "scoring: assigned", func(row pgx.CollectableRow) (Entry, error) { return scanEntry(row) }, `SELECT `+entryColumns+` FROM `+entryFrom+` WHERE `+activeFilter+`
		ORDER BY a.edition_id DESC, c.position, c.id, a.id`, pgx.NamedArgs{"evaluator": evaluator})
}

// AssignedEntry returns entry app if it is assigned to evaluator (see activeFilter);
// db.ErrNotFound otherwise.
func AssignedEntry(ctx context.Context, q db.DBTX, evaluator, app int64) (Entry, error) {
	e, err := scanEntry(q.QueryRow(ctx, `SELECT `+entryColumns+` FROM `+entryFrom+` WHERE a.id = @app AND `+activeFilter,
		pgx.NamedArgs{"evaluator": evaluator, "app": app}))
	return db.One(e, err, "scoring: assigned entry")
}

// NextUnfinished returns the first entry assigned to evaluator in the same edition as after,
// other than after, whose sheet is not submitted: the one following after in the list order,
// else the first before it; 0 when none is left.
func NextUnfinished(ctx context.Context, q db.DBTX, evaluator, after int64) (int64, error) {
	list, err := Assigned(ctx, q, evaluator)
	if err != nil {
		return 0, err
	}
	pos, edition := -1, int64(0)
	for i, e := range list {
		if e.ID == after {
			pos, edition = i, e.EditionID
		}
	}
	for i := range list {
		e := list[(pos+1+i+len(list))%len(list)]
		if e.ID != after && e.Status != Submitted && (pos < 0 || e.EditionID == edition) {
			return e.ID, nil
		}
	}
	return 0, nil
}

// Sheet is an evaluator's score sheet of an entry.
type Sheet struct {
	ID            int64
	ApplicationID int64
	EvaluatorID   int64
	EditionID     int64
	Status        Status
	NoConflictAt  *time.Time
	Input
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	SubmittedAt *time.Time
}

const sheetColumns = `sh.id, sh.application_id, sh.evaluator_id, sh.edition_id, sh.status, sh.no_conflict_at,
	sh.criterion_comments, sh.overall_comment, sh.version, sh.created_at, sh.updated_at, sh.submitted_at,
	coalesce((SELECT jsonb_object_agg(ss.indicator_id::text, ss.score) FROM sheet_scores ss WHERE ss.sheet_id = sh.id), '{}')`

func scanSheet(row pgx.Row) (Sheet, error) {
	var (
		s      Sheet
		status string
		scores map[string]int
	)
	err := row.Scan(&s.ID, &s.ApplicationID, &s.EvaluatorID, &s.EditionID, &status, &s.NoConflictAt, &s.Comments, &s.Overall,
		&s.Version, &s.CreatedAt, &s.UpdatedAt, &s.SubmittedAt, &scores)
	if err != nil {
		return Sheet{}, err
	}
	s.Status = Status(status)
	s.Scores = map[int64]int{}
	for k, v := range scores {
		var id int64
		if _, err := fmt.Sscan(k, &id); err == nil {
			s.Scores[id] = v
		}
	}
	if s.Comments == nil {
		s.Comments = map[string]string{}
	}
	return s, nil
}

// SheetOf returns evaluator's own sheet of entry app while the entry is assigned to them;
// db.ErrNotFound when there is no sheet yet or the entry is not theirs to score.
func SheetOf(ctx context.Context, q db.DBTX, evaluator, app int64) (Sheet, error) {
	s, err := scanSheet(q.QueryRow(ctx, `SELECT `+sheetColumns+`
		FROM score_sheets sh JOIN applications a ON a.id = sh.application_id
		WHERE sh.application_id = @app AND sh.evaluator_id = @evaluator AND `+activeFilter,
		pgx.NamedArgs{"evaluator": evaluator, "app": app}))
	return db.One(s, err, "scoring: sheet")
}

// Closed reports whether the scoring round of edition is closed, and when.
func Closed(ctx context.Context, q db.DBTX, edition int64) (bool, time.Time, error) {
	var at *time.Time
	err := q.QueryRow(ctx, `SELECT closed_at FROM scoring_rounds WHERE edition_id = $1`, edition).Scan(&at)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && at == nil) {
		return false, time.Time{}, nil
	}
	if err != nil {
		return false, time.Time{}, fmt.Errorf("scoring: round closed: %w", err)
	}
	return true, *at, nil
}

// why explains a write that changed no row, with the sheet as it stands (zero when there is
// none): the entry is not the evaluator's (db.ErrNotFound, no sheet), the round is closed, there
// is no declaration, the sheet is submitted (when refuseSubmitted), or else the version moved on
// (db.ErrConflict).
func why(ctx context.Context, q db.DBTX, evaluator, app int64, refuseSubmitted bool) (Sheet, error) {
	var closed bool
	err := q.QueryRow(ctx, `SELECT `+closedRound+` FROM applications a WHERE a.id = @app AND `+activeFilter,
		pgx.NamedArgs{"evaluator": evaluator, "app": app}).Scan(&closed)
	if err = db.Found(err, "scoring: save"); err != nil {
		return Sheet{}, err
	}
	s, err := SheetOf(ctx, q, evaluator, app)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return Sheet{}, err
	}
	switch {
	case closed:
		return s, ErrRoundClosed
	case s.NoConflictAt == nil:
		return s, ErrNotDeclared
	case refuseSubmitted && s.Status == Submitted:
		return s, ErrSubmitted
	}
	return s, db.ErrConflict
}

// Declare records that evaluator has no conflict of interest with entry app at now, creating
// their (empty, draft) sheet; declaring again changes nothing. db.ErrNotFound when the entry is
// not assigned to them; ErrRoundClosed when the round is closed.
func Declare(ctx context.Context, q db.DBTX, evaluator, app int64, now time.Time) (Sheet, error) {
	tag, err := q.Exec(ctx, `
		INSERT INTO score_sheets (application_id, evaluator_id, edition_id, no_conflict_at, created_at, updated_at)
		SELECT a.id, @evaluator, a.edition_id, @now, @now, @now FROM applications a
		WHERE a.id = @app AND `+activeFilter+` AND NOT `+closedRound+`
		ON CONFLICT (application_id, evaluator_id) DO UPDATE SET no_conflict_at = coalesce(score_sheets.no_conflict_at, EXCLUDED.no_conflict_at)`,
		pgx.NamedArgs{"evaluator": evaluator, "app": app, "now": now})
	if err != nil {
		return Sheet{}, fmt.Errorf("scoring: declare: %w", err)
	}
	if tag.RowsAffected() == 0 {
		if _, err := why(ctx, q, evaluator, app, false); errors.Is(err, db.ErrNotFound) || errors.Is(err, ErrRoundClosed) {
			return Sheet{}, err
		}
		return Sheet{}, fmt.Errorf("scoring: declare: nothing recorded")
	}
	return SheetOf(ctx, q, evaluator, app)
}

// Save stores in as evaluator's draft of entry app in category cat, if the sheet is still at
// version base, and returns the saved sheet (its version one more). Scores outside the scale
// and comments of other criteria are left out. db.ErrNotFound when the entry is not theirs;
// ErrRoundClosed, ErrNotDeclared; ErrSubmitted for a submitted sheet (see Submit);
// db.ErrConflict when the sheet was saved since base (nothing is saved). With these refusals the
// sheet returned is the sheet as it stands (zero when there is none), for the page to show.
func Save(ctx context.Context, tx pgx.Tx, evaluator, app int64, cat *edition.Category, base int, in Input, now time.Time) (Sheet, error) {
	return write(ctx, tx, evaluator, app, cat, base, in, now, Draft)
}

// Submit stores in as evaluator's submitted sheet of entry app, like Save, and marks it
// submitted at now. The caller validates in first (Validate): Submit refuses an input with a
// missing or out-of-scale score. A submitted sheet may be submitted again (revised) until the
// round closes.
func Submit(ctx context.Context, tx pgx.Tx, evaluator, app int64, cat *edition.Category, base int, in Input, now time.Time) (Sheet, error) {
	if errs := Validate(cat, in, false); errs.Any() {
		return Sheet{}, fmt.Errorf("scoring: submit: %d scores missing or off the scale", len(errs))
	}
	return write(ctx, tx, evaluator, app, cat, base, in, now, Submitted)
}

func write(ctx context.Context, tx pgx.Tx, evaluator, app int64, cat *edition.Category, base int, in Input, now time.Time, status Status) (Sheet, error) {
	in = clean(cat, in)
	comments, err := json.Marshal(in.Comments)
	if err != nil {
		return Sheet{}, fmt.Errorf("scoring: save: %w", err)
	}
	statusRule := `sh.status = 'draft'`
	if status == Submitted {
		statusRule = `true`
	}
	var id int64
	err = tx.QueryRow(ctx, `
		UPDATE score_sheets sh SET criterion_comments = @comments, overall_comment = @overall, version = sh.version + 1,
			updated_at = @now, status = @status,
			submitted_at = CASE WHEN @status = 'submitted' THEN @now ELSE sh.submitted_at END
		FROM applications a
		WHERE a.id = sh.application_id AND sh.application_id = @app AND sh.evaluator_id = @evaluator
		  AND a.category_id = @category AND sh.version = @base AND sh.no_conflict_at IS NOT NULL AND `+statusRule+`
		  AND `+activeFilter+` AND NOT `+closedRound+`
		RETURNING sh.id`,
		pgx.NamedArgs{"evaluator": evaluator, "app": app, "category": cat.ID, "base": base, "comments": comments,
			"overall": in.Overall, "now": now, "status": string(status)}).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return why(ctx, tx, evaluator, app, status == Draft)
	}
	if err != nil {
		return Sheet{}, fmt.Errorf("scoring: save: %w", err)
	}
	ids, scores := make([]int64, 0, len(in.Scores)), make([]int32, 0, len(in.Scores))
	for k, v := range in.Scores {
		ids, scores = append(ids, k), append(scores, int32(v))
	}
	if _, err := tx.Exec(ctx, `DELETE FROM sheet_scores WHERE sheet_id = $1 AND indicator_id <> ALL($2)`, id, ids); err != nil {
		return Sheet{}, fmt.Errorf("scoring: save scores: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO sheet_scores (sheet_id, indicator_id, score) SELECT $1, i, s FROM unnest($2::bigint[], $3::int[]) AS x(i, s)
		ON CONFLICT (sheet_id, indicator_id) DO UPDATE SET score = EXCLUDED.score`, id, ids, scores); err != nil {
		return Sheet{}, fmt.Errorf("scoring: save scores: %w", err)
	}
	return SheetOf(ctx, tx, evaluator, app)
}

// Recuse ends evaluator's active assignment to entry app at now with reason (end_kind
// 'recused') and deletes their sheet of it (a recused evaluator's scores never count). It
// returns the edition of the entry. db.ErrNotFound when the entry is not assigned to them;
// ErrRoundClosed when the round is closed.
func Recuse(ctx context.Context, tx pgx.Tx, evaluator, app int64, reason string, now time.Time) (int64, error) {
	var edition int64
	err := tx.QueryRow(ctx, `
		UPDATE assignments s SET ended_at = @now, ended_by = @evaluator, end_kind = 'recused', end_reason = @reason
		FROM applications a
		WHERE a.id = s.application_id AND s.application_id = @app AND s.evaluator_id = @evaluator AND s.ended_at IS NULL
		  AND NOT `+closedRound+`
		RETURNING a.edition_id`,
		pgx.NamedArgs{"evaluator": evaluator, "app": app, "reason": reason, "now": now}).Scan(&edition)
	if errors.Is(err, pgx.ErrNoRows) {
		var closed bool
		err := tx.QueryRow(ctx, `SELECT `+closedRound+` FROM applications a WHERE a.id = @app AND EXISTS (
			SELECT 1 FROM assignments s WHERE s.application_id = a.id AND s.evaluator_id = @evaluator AND s.ended_at IS NULL)`,
			pgx.NamedArgs{"evaluator": evaluator, "app": app}).Scan(&closed)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return 0, db.ErrNotFound
		case err != nil:
			return 0, fmt.Errorf("scoring: recuse: %w", err)
		}
		return 0, ErrRoundClosed
	}
	if err != nil {
		return 0, fmt.Errorf("scoring: recuse: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM score_sheets WHERE application_id = $1 AND evaluator_id = $2`, app, evaluator); err != nil {
		return 0, fmt.Errorf("scoring: recuse: %w", err)
	}
	return edition, nil
}

// HeadSheet is one evaluator's sheet of an entry as the committee head reads it after the
// round closed.
type HeadSheet struct {
	Sheet
	EvaluatorName string
}

// EntrySheets returns every sheet of entry app, evaluator by name, for head: only when head
// holds the committee_head role in the entry's edition, is not in conflict with the entry (view
// assignment_conflicts) and the round is closed (the scores are sealed until then);
// db.ErrNotFound otherwise.
func EntrySheets(ctx context.Context, q db.DBTX, head, app int64) ([]HeadSheet, error) {
	rows, err := q.Query(ctx, `SELECT `+sheetColumns+`, u.name
		FROM score_sheets sh JOIN applications a ON a.id = sh.application_id JOIN users u ON u.id = sh.evaluator_id
		WHERE sh.application_id = @app AND `+closedRound+`
		  AND EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @head AND g.role = 'committee_head' AND g.edition_id = a.edition_id)
		  AND NOT EXISTS (SELECT 1 FROM assignment_conflicts k WHERE k.application_id = a.id AND k.evaluator_id = @head)
		ORDER BY lower(u.name), sh.id`, pgx.NamedArgs{"app": app, "head": head})
	if err != nil {
		return nil, fmt.Errorf("scoring: entry sheets: %w", err)
	}
	defer rows.Close()
	var out []HeadSheet
	for rows.Next() {
		var (
			h      HeadSheet
			status string
			scores map[string]int
		)
		s := &h.Sheet
		if err := rows.Scan(&s.ID, &s.ApplicationID, &s.EvaluatorID, &s.EditionID, &status, &s.NoConflictAt, &s.Comments, &s.Overall,
			&s.Version, &s.CreatedAt, &s.UpdatedAt, &s.SubmittedAt, &scores, &h.EvaluatorName); err != nil {
			return nil, fmt.Errorf("scoring: entry sheets: %w", err)
		}
		s.Status = Status(status)
		s.Scores = map[int64]int{}
		for k, v := range scores {
			var id int64
			if _, err := fmt.Sscan(k, &id); err == nil {
				s.Scores[id] = v
			}
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// File returns the metadata of document file of entry app for evaluator, while the entry is
// assigned to them (see activeFilter); db.ErrNotFound otherwise.
func File(ctx context.Context, q db.DBTX, evaluator, app, file int64) (files.File, error) {
	var f files.File
	err := q.QueryRow(ctx, `
		SELECT f.id, f.storage_key, f.original_name, f.size, f.content_type, f.sha256, f.uploaded_by, f.created_at
		FROM files f JOIN application_files af ON af.file_id = f.id JOIN applications a ON a.id = af.application_id
		WHERE a.id = @app AND f.id = @file AND `+activeFilter,
		pgx.NamedArgs{"evaluator": evaluator, "app": app, "file": file}).Scan(&f.ID, &f.Key, &f.Name, &f.Size,
		&f.ContentType, &f.SHA256, &f.UploadedBy, &f.CreatedAt)
	return db.One(f, err, "scoring: file")
}

// EntryTitle names entry app (the project's title, or "Nomination of" the candidate) with its
// edition and category; db.ErrNotFound when there is none. It checks no access.
func EntryTitle(ctx context.Context, q db.DBTX, app int64) (title string, edition, category int64, err error) {
	err = q.QueryRow(ctx, `SELECT `+titleColumn+`, a.edition_id, a.category_id
		FROM applications a LEFT JOIN nominations n ON n.application_id = a.id WHERE a.id = $1`, app).Scan(&title, &edition, &category)
	if err = db.Found(err, "scoring: entry title"); err != nil {
		return "", 0, 0, err
	}
	return title, edition, category, nil
}

// DeleteSheet deletes evaluator's sheet of entry app (with its scores), as their recusal does:
// a recused evaluator's scores never count.
func DeleteSheet(ctx context.Context, tx pgx.Tx, evaluator, app int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM score_sheets WHERE application_id = $1 AND evaluator_id = $2`, app, evaluator); err != nil {
		return fmt.Errorf("scoring: delete sheet: %w", err)
	}
	return nil
}
