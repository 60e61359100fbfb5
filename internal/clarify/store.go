package clarify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/files"
)

// staffFilter is the SQL form of authz.CanManageApplications on applications a: the secretariat
// of the application's edition.
const staffFilter = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @viewer
	AND g.role = 'secretariat' AND g.edition_id = a.edition_id)`

// viewerFilter is the SQL form of authz.CanSeeThread on applications a: the secretariat of the
// application's edition at any time; its committee head and council from the start of the
// scoring window (round 2) on, and its evaluators from then on for the entries assigned to them;
// none of these for an entry they are in conflict with (view assignment_conflicts).
const viewerFilter = `EXISTS (SELECT 1 FROM role_grants g JOIN editions e ON e.id = g.edition_id
	WHERE g.user_id = @viewer AND g.edition_id = a.edition_id
	  AND (g.role = 'secretariat'
	       OR (@now >= e.scoring_start
	           AND NOT EXISTS (SELECT 1 FROM assignment_conflicts k WHERE k.application_id = a.id AND k.evaluator_id = @viewer)
	           AND (g.role IN ('committee_head', 'council')
	                OR (g.role = 'evaluator' AND EXISTS (SELECT 1 FROM assignments x
	                    WHERE x.application_id = a.id AND x.evaluator_id = @viewer AND x.ended_at IS NULL))))))`

const columns = `c.id, c.application_id, c.question, c.deadline, c.question_keys, c.asked_by, s.name, c.asked_at,
	c.answer_text,
	coalesce((SELECT json_agg(json_build_object('id', f.id, 'name', f.original_name, 'size', f.size) ORDER BY f.id)
	          FROM clarification_files cf JOIN files f ON f.id = cf.file_id WHERE cf.clarification_id = c.id), '[]'),
	c.answered_at, c.amended_version`

const from = `clarifications c JOIN applications a ON a.id = c.application_id JOIN users s ON s.id = c.asked_by`

func scan(row pgx.Row) (Clarification, error) {
	var c Clarification
	err := row.Scan(&c.ID, &c.ApplicationID, &c.Question, &c.Deadline, &c.QuestionKeys, &c.AskedBy, &c.AskedByName,
		&c.AskedAt, &c.Answer, &c.Documents, &c.AnsweredAt, &c.AmendedVersion)
	return c, err
}

// Ask stores staff's question r to application app at now and returns its id and the
// application's owner (who is asked); db.ErrNotFound when staff is not of the secretariat of the
// application's edition.
func Ask(ctx context.Context, q db.DBTX, staff, app int64, r Request, now time.Time) (id, owner int64, err error) {
	keys := r.Keys
	if keys == nil {
		keys = []string{}
	}
	err = q.QueryRow(ctx, `
		WITH ins AS (
			INSERT INTO clarifications (application_id, question, deadline, question_keys, asked_by, asked_at)
			SELECT a.id, @question, @deadline, @keys, @viewer, @now FROM applications a
			WHERE a.id = @app AND `+staffFilter+` RETURNING id, application_id)
		SELECT ins.id, a.user_id FROM ins JOIN applications a ON a.id = ins.application_id`,
		pgx.NamedArgs{"app": app, "question": r.Question, "deadline": r.Deadline, "keys": keys, "viewer": staff, "now": now}).Scan(&id, &owner)
	if err = db.Found(err, "clarify: ask"); err != nil {
		return 0, 0, err
	}
	return id, owner, nil
}

// Thread returns the clarifications of application app, oldest first, as viewer may see them at
// now (see viewerFilter): none for anyone else.
func Thread(ctx context.Context, q db.DBTX, viewer, app int64, now time.Time) ([]Clarification, error) {
	return db.List(ctx, q, "clarify: thread", func(row pgx.CollectableRow) (Clarification, error) { return scan(row) },
		`SELECT `+columns+` FROM `+from+`
		WHERE c.application_id = @app AND `+viewerFilter+` ORDER BY c.asked_at, c.id`,
		pgx.NamedArgs{"app": app, "viewer": viewer, "now": now})
}

// EntryOf returns the edition and category of application app; db.ErrNotFound when there is
// none. It checks no access: the caller decides with them whether the actor may see the thread.
func EntryOf(ctx context.Context, q db.DBTX, app int64) (edition, category int64, err error) {
	err = q.QueryRow(ctx, `SELECT edition_id, category_id FROM applications WHERE id = $1`, app).Scan(&edition, &category)
	if err = db.Found(err, "clarify: entry"); err != nil {
		return 0, 0, err
	}
	return edition, category, nil
}

// Item is a clarification in the applicant's list, with the entry it is about.
type Item struct {
	Clarification
	EditionID int64
	// Kind is the application's kind ("project" or "nomination").
	Kind string
	// Title names the entry: the project's title, or "Nomination of" the candidate.
	Title string
}

// ForOwner returns clarification id of an application of owner; db.ErrNotFound for any other.
func ForOwner(ctx context.Context, q db.DBTX, owner, id int64) (Item, error) {
	list, err := ownerItems(ctx, q, owner, `c.id = @id`, pgx.NamedArgs{"id": id})
	if err != nil {
		return Item{}, err
	}
	if len(list) == 0 {
		return Item{}, db.ErrNotFound
	}
	return list[0], nil
}

// ListForOwner returns the clarifications asked about owner's applications (projects and
// nominations), newest first.
func ListForOwner(ctx context.Context, q db.DBTX, owner int64) ([]Item, error) {
	return ownerItems(ctx, q, owner, `true`, pgx.NamedArgs{})
}

func ownerItems(ctx context.Context, q db.DBTX, owner int64, where string, args pgx.NamedArgs) ([]Item, error) {
	args["owner"] = owner
	return db.List(ctx, q, "clarify: list", func(row pgx.CollectableRow) (Item, error) {
		var it Item
		c := &it.Clarification
		err := row.Scan(&c.ID, &c.ApplicationID, &c.Question, &c.Deadline, &c.QuestionKeys, &c.AskedBy, &c.AskedByName,
			&c.AskedAt, &c.Answer, &c.Documents, &c.AnsweredAt, &c.AmendedVersion, &it.EditionID, &it.Kind, &it.Title)
		return it, err
	}, `SELECT `+columns+`, a.edition_id, a.kind,
		       CASE WHEN a.kind = 'nomination' THEN 'Nomination of ' || n.candidate_name
		            ELSE coalesce(a.answers->'project_title'->>'text', '') END
		FROM `+from+` LEFT JOIN nominations n ON n.application_id = a.id
		WHERE a.user_id = @owner AND `+where+` ORDER BY c.asked_at DESC, c.id DESC`, args)
}

// OpenCount counts the clarifications about owner's applications in edition that wait for an
// answer at now (not answered, deadline not passed).
func OpenCount(ctx context.Context, q db.DBTX, owner, edition int64, now time.Time) (int, error) {
	var n int
	err := q.QueryRow(ctx, `
		SELECT count(*) FROM clarifications c JOIN applications a ON a.id = c.application_id
		WHERE a.user_id = $1 AND a.edition_id = $2 AND c.answered_at IS NULL AND c.deadline > $3`, owner, edition, now).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("clarify: open count: %w", err)
	}
	return n, nil
}

// Response is the applicant's answer.
type Response struct {
	Text string
	// FileIDs are the recorded documents (files.Record) of the answer.
	FileIDs []int64
	// AmendedVersion is the application version that records the edited answers, if any.
	AmendedVersion *int
}

// Lock locks clarification id of an application of owner for answering in tx and returns it:
// db.ErrNotFound for another's, ErrAnswered when answered, ErrLate from its deadline on (to the
// second). Call it before changing the application, then Answer in the same transaction.
func Lock(ctx context.Context, tx pgx.Tx, owner, id int64, now time.Time) (Clarification, error) {
	c, err := scan(tx.QueryRow(ctx, `SELECT `+columns+` FROM `+from+`
		WHERE c.id = @id AND a.user_id = @owner FOR UPDATE OF c`, pgx.NamedArgs{"id": id, "owner": owner}))
	if err = db.Found(err, "clarify: lock"); err != nil {
		return Clarification{}, err
	}
	switch c.State(now) {
	case Answered:
		return c, ErrAnswered
	case Expired:
		return c, ErrLate
	}
	return c, nil
}

// Answer stores owner's answer to clarification id (locked with Lock in tx) at now, with its
// documents. The deadline and the owner are checked again in SQL.
func Answer(ctx context.Context, tx pgx.Tx, owner, id int64, r Response, now time.Time) error {
	tag, err := tx.Exec(ctx, `
		UPDATE clarifications c SET answer_text = @text, answered_by = @owner, answered_at = @now, amended_version = @version
		FROM applications a
		WHERE c.id = @id AND a.id = c.application_id AND a.user_id = @owner AND c.answered_at IS NULL AND c.deadline > @now`,
		pgx.NamedArgs{"id": id, "owner": owner, "text": strings.TrimSpace(r.Text), "now": now, "version": r.AmendedVersion})
	if err != nil {
		return fmt.Errorf("clarify: answer: %w", err)
	}
	if tag.RowsAffected() == 0 {
		if _, err := Lock(ctx, tx, owner, id, now); err != nil {
			return err
		}
		return db.ErrConflict
	}
	for _, f := range r.FileIDs {
		if _, err := tx.Exec(ctx, `INSERT INTO clarification_files (clarification_id, file_id) VALUES ($1, $2)`, id, f); err != nil {
			return fmt.Errorf("clarify: answer document: %w", err)
		}
	}
	return nil
}

// OwnerDocument returns document file of the answer to clarification id of an application of
// owner; db.ErrNotFound for any other.
func OwnerDocument(ctx context.Context, q db.DBTX, owner, id, file int64) (files.File, error) {
	return files.One(ctx, q, "clarify: owner document", `SELECT `+files.Columns+`
		FROM files f JOIN clarification_files cf ON cf.file_id = f.id JOIN clarifications c ON c.id = cf.clarification_id
		JOIN applications a ON a.id = c.application_id
		WHERE f.id = @file AND c.id = @id AND a.user_id = @owner`, pgx.NamedArgs{"file": file, "id": id, "owner": owner})
}

// ViewerDocument returns document file of an answer about application app as viewer may see it at
// now (see Thread); db.ErrNotFound otherwise.
func ViewerDocument(ctx context.Context, q db.DBTX, viewer, app, file int64, now time.Time) (files.File, error) {
	return files.One(ctx, q, "clarify: document", `SELECT `+files.Columns+`
		FROM files f JOIN clarification_files cf ON cf.file_id = f.id JOIN clarifications c ON c.id = cf.clarification_id
		JOIN applications a ON a.id = c.application_id
		WHERE f.id = @file AND a.id = @app AND `+viewerFilter, pgx.NamedArgs{"file": file, "app": app, "viewer": viewer, "now": now})
}

// OpenInEdition counts the clarifications of the edition's entries that wait for an answer at
// now (not answered, deadline not passed), for the secretariat member staff (0 for anyone else).
func OpenInEdition(ctx context.Context, q db.DBTX, staff, edition int64, now time.Time) (int, error) {
	var n int
	err := q.QueryRow(ctx, `
		SELECT count(*) FROM clarifications c JOIN applications a ON a.id = c.application_id
		WHERE a.edition_id = $2 AND c.answered_at IS NULL AND c.deadline > $3
		  AND EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = $1 AND g.role = 'secretariat' AND g.edition_id = a.edition_id)`,
		staff, edition, now).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("clarify: open in edition: %w", err)
	}
	return n, nil
}

// FirstAsked returns when the secretariat first asked a clarification about application id;
// nil when it never did. The applicant's status timeline shows the step from then on.
func FirstAsked(ctx context.Context, q db.DBTX, id int64) (*time.Time, error) {
	var at *time.Time
	if err := q.QueryRow(ctx, `SELECT min(asked_at) FROM clarifications WHERE application_id = $1`, id).Scan(&at); err != nil {
		return nil, fmt.Errorf("clarify: first asked: %w", err)
	}
	return at, nil
}
