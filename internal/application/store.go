package application

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/files"
)

// Load returns the project application of owner in the latest edition the account registered
// for (its registration records, edition_registrations): an earlier edition's entry is read with
// LoadEntry. An owner without a saved application there gets a new draft (ID 0, Version 0) in that
// edition and the category registered for; an account that registered for no category (staff)
// gives db.ErrNotFound.
func Load(ctx context.Context, q db.DBTX, owner int64) (Application, error) {
	var (
		editionID, catID int64
		appID            *int64
	)
	err := q.QueryRow(ctx, `
		SELECT r.edition_id, r.category_id, a.id
		FROM edition_registrations r JOIN editions e ON e.id = r.edition_id
		LEFT JOIN applications a ON a.user_id = r.user_id AND a.edition_id = r.edition_id AND a.kind = 'project'
		WHERE r.user_id = $1 ORDER BY e.year DESC, e.id DESC LIMIT 1`, owner).Scan(&editionID, &catID, &appID)
	if err = db.Found(err, "application: load"); err != nil {
		return Application{}, err
	}
	if appID == nil {
		return Application{UserID: owner, EditionID: editionID, CategoryID: catID, Kind: KindProject,
			Status: Draft, Answers: form.Answers{}}, nil
	}
	return LoadEntry(ctx, q, owner, *appID)
}

// pastIn is the SQL condition that edition edition is earlier than another edition the account
// user registered for: an entry there is a past edition's, kept read-only. user and edition are
// SQL expressions.
func pastIn(user, edition string) string {
	return `EXISTS (SELECT 1 FROM edition_registrations r JOIN editions re ON re.id = r.edition_id
		JOIN editions pe ON pe.id = ` + edition + `
		WHERE r.user_id = ` + user + ` AND (re.year, re.id) > (pe.year, pe.id))`
}

// Past reports whether edition editionID is a past edition for the account owner (pastIn).
func Past(ctx context.Context, q db.DBTX, owner, editionID int64) (bool, error) {
	var past bool
	if err := q.QueryRow(ctx, `SELECT `+pastIn("$1", "$2"), owner, editionID).Scan(&past); err != nil {
		return false, fmt.Errorf("application: past: %w", err)
	}
	return past, nil
}

// LoadEntry returns the application (of either kind) id of owner; db.ErrNotFound when owner
// has no such application. The application keeps the edition and category it was started in.
func LoadEntry(ctx context.Context, q db.DBTX, owner, id int64) (Application, error) {
	var (
		a      Application
		raw    []byte
		subVer *int
	)
	err := q.QueryRow(ctx, `
		SELECT a.id, a.user_id, a.edition_id, a.category_id, a.kind, a.status, a.answers, a.version,
		       a.submitted_version, a.submitted_at, a.updated_at,
		       (SELECT count(*) FROM application_versions v WHERE v.application_id = a.id),
		       (SELECT x.until FROM application_extensions x WHERE x.application_id = a.id), `+pastIn("a.user_id", "a.edition_id")+`,
		       a.merged_into
		FROM applications a WHERE a.id = $1 AND a.user_id = $2`, id, owner).Scan(&a.ID, &a.UserID, &a.EditionID,
		&a.CategoryID, &a.Kind, &a.Status, &raw, &a.Version, &subVer, &a.SubmittedAt, &a.UpdatedAt,
		&a.Submissions, &a.ExtendedUntil, &a.Past, &a.MergedInto)
	if err = db.Found(err, "application: load"); err != nil {
		return Application{}, err
	}
	if subVer != nil {
		a.SubmittedVersion = *subVer
	}
	if err := json.Unmarshal(raw, &a.Answers); err != nil {
		return Application{}, fmt.Errorf("application: load answers: %w", err)
	}
	if a.Answers == nil {
		a.Answers = form.Answers{}
	}
	return a, nil
}

// Save stores answers as the owner's draft, provided the stored version is still base (the
// version the page was loaded at; 0 for an application never saved). Otherwise it changes
// nothing and returns db.ErrConflict: another tab saved in between. It returns the application's
// id (new for a project application saved the first time) and the new version. The status stays
// what it was: a submitted application edited before the deadline remains submitted, with changes
// the committee sees only once they are submitted again.
func Save(ctx context.Context, q db.DBTX, a Application, base int, answers form.Answers, now time.Time) (int64, int, error) {
	raw, err := json.Marshal(answers)
	if err != nil {
		return 0, 0, fmt.Errorf("application: save: %w", err)
	}
	var (
		id      int64
		version int
	)
	if base == 0 {
		// Nominations are created by the nomination package, so a first save is a project's.
		err = q.QueryRow(ctx, `
			INSERT INTO applications (user_id, edition_id, category_id, answers, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5)
			ON CONFLICT (user_id, edition_id) WHERE kind = 'project' DO NOTHING RETURNING id, version`,
			a.UserID, a.EditionID, a.CategoryID, raw, now).Scan(&id, &version)
	} else {
		err = q.QueryRow(ctx, `
			UPDATE applications SET answers = $4, version = version + 1, updated_at = $5
			WHERE id = $1 AND user_id = $2 AND version = $3 AND status <> 'merged' RETURNING id, version`,
			a.ID, a.UserID, base, raw, now).Scan(&id, &version)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, db.ErrConflict
	}
	if err != nil {
		return 0, 0, fmt.Errorf("application: save: %w", err)
	}
	return id, version, nil
}

// Submit submits application a as it stands at version base with answers (pruned by the
// caller), keeping them as a new numbered version, and returns that number. A stored version
// other than base, or base already submitted, gives db.ErrConflict: the condition is part of the
// UPDATE, so of simultaneous submits of one version (a double click, several tabs) exactly one
// wins, and only it keeps a version and queues a receipt.
func Submit(ctx context.Context, q db.DBTX, a Application, base int, answers form.Answers, now time.Time) (int, error) {
	raw, err := json.Marshal(answers)
	if err != nil {
		return 0, fmt.Errorf("application: submit: %w", err)
	}
	var id int64
	err = q.QueryRow(ctx, `
		UPDATE applications SET status = 'submitted', answers = $3, submitted_version = version,
		       submitted_at = $4, withdrawn_at = NULL, updated_at = $4
		WHERE id = $5 AND user_id = $1 AND version = $2 AND status <> 'merged'
		  AND NOT (status = 'submitted' AND submitted_version = version)
		RETURNING id`, a.UserID, base, raw, now, a.ID).Scan(&id)
	return newVersion(ctx, q, "submit", id, err, raw, now)
}

// newVersion follows the update of application id that returned err (the id it scanned): when it
// updated no row, db.ErrConflict; else answers raw are kept as the application's next numbered
// version, whose number it returns. what names the use in errors.
func newVersion(ctx context.Context, q db.DBTX, what string, id int64, err error, raw []byte, now time.Time) (int, error) {
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, db.ErrConflict
	}
	if err != nil {
		return 0, fmt.Errorf("application: %s: %w", what, err)
	}
	var number int
	if err := q.QueryRow(ctx, `
		INSERT INTO application_versions (application_id, number, answers, submitted_at)
		SELECT $1, coalesce(max(number), 0) + 1, $2, $3 FROM application_versions WHERE application_id = $1
		RETURNING number`, id, raw, now).Scan(&number); err != nil {
		return 0, fmt.Errorf("application: %s version: %w", what, err)
	}
	return number, nil
}

// Withdraw withdraws the submitted application a; db.ErrNotFound when it is not submitted.
func Withdraw(ctx context.Context, q db.DBTX, a Application, now time.Time) error {
	tag, err := q.Exec(ctx, `
		UPDATE applications SET status = 'withdrawn', withdrawn_at = $2, version = version + 1, updated_at = $2
		WHERE user_id = $1 AND id = $3 AND status = 'submitted'`, a.UserID, now, a.ID)
	if err != nil {
		return fmt.Errorf("application: withdraw: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return db.ErrNotFound
	}
	return nil
}

// Version is one submitted version of an application.
type Version struct {
	Number      int
	Answers     form.Answers
	SubmittedAt time.Time
}

// LastVersion returns the last submitted version of the owner's application id (the one the
// committee sees); db.ErrNotFound when none was submitted.
func LastVersion(ctx context.Context, q db.DBTX, owner, id int64) (Version, error) {
	var (
		v   Version
		raw []byte
	)
	err := q.QueryRow(ctx, `
		SELECT v.number, v.answers, v.submitted_at
		FROM application_versions v JOIN applications a ON a.id = v.application_id
		WHERE a.user_id = $1 AND a.id = $2 ORDER BY v.number DESC LIMIT 1`, owner, id).Scan(&v.Number, &raw, &v.SubmittedAt)
	if err = db.Found(err, "application: last version"); err != nil {
		return Version{}, err
	}
	if err := json.Unmarshal(raw, &v.Answers); err != nil {
		return Version{}, fmt.Errorf("application: last version answers: %w", err)
	}
	return v, nil
}

// AttachFile links a recorded file to the owner's application app, for the question key.
func AttachFile(ctx context.Context, q db.DBTX, owner, app, fileID int64, question string) error {
	tag, err := q.Exec(ctx, `
		INSERT INTO application_files (application_id, file_id, question)
		SELECT id, $2, $3 FROM applications WHERE user_id = $1 AND id = $4`, owner, fileID, question, app)
	if err != nil {
		return fmt.Errorf("application: attach file: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return db.ErrNotFound
	}
	return nil
}

// File returns the metadata of a file of the owner's application app; db.ErrNotFound for a file
// that does not exist or belongs to another application.
func File(ctx context.Context, q db.DBTX, owner, app, fileID int64) (files.File, error) {
	return files.One(ctx, q, "application: file", `SELECT `+files.Columns+`
		FROM files f JOIN application_files af ON af.file_id = f.id JOIN applications a ON a.id = af.application_id
		WHERE a.user_id = $1 AND a.id = $3 AND f.id = $2`, owner, fileID, app)
}

// DetachFile removes a file from the owner's application app and returns its metadata with
// whether it was deleted: a file that a submitted version refers to stays (the committee sees
// the last submitted version), otherwise its link and metadata are deleted and the caller
// deletes the object from storage once the transaction commits. db.ErrNotFound as for File.
func DetachFile(ctx context.Context, q db.DBTX, owner, app, fileID int64) (files.File, bool, error) {
	f, err := File(ctx, q, owner, app, fileID)
	if err != nil {
		return files.File{}, false, err
	}
	// Answers refer to files by their id as a JSON string (form.FileRef), so the id is bound as text.
	var kept bool
	if err := q.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM application_versions v JOIN applications a ON a.id = v.application_id
		               WHERE a.user_id = $1 AND a.id = $3
		                 AND jsonb_path_exists(v.answers, '$.*.files[*] ? (@.id == $id)', jsonb_build_object('id', $2::text)))`,
		owner, strconv.FormatInt(fileID, 10), app).Scan(&kept); err != nil {
		return files.File{}, false, fmt.Errorf("application: detach file: %w", err)
	}
	if kept {
		return f, false, nil
	}
	if _, err := q.Exec(ctx, `
		DELETE FROM application_files af USING applications a
		WHERE af.application_id = a.id AND a.user_id = $1 AND a.id = $3 AND af.file_id = $2`, owner, fileID, app); err != nil {
		return files.File{}, false, fmt.Errorf("application: detach file: %w", err)
	}
	if _, err := files.Delete(ctx, q, fileID); err != nil {
		return files.File{}, false, fmt.Errorf("application: detach file: %w", err)
	}
	return f, true, nil
}

// StaffFile returns the metadata of a file of application app for the secretariat member staff:
// db.ErrNotFound unless staff holds the secretariat role in the application's edition.
func StaffFile(ctx context.Context, q db.DBTX, staff, app, fileID int64) (files.File, error) {
	return files.One(ctx, q, "application: staff file", `SELECT `+files.Columns+`
		FROM files f JOIN application_files af ON af.file_id = f.id JOIN applications a ON a.id = af.application_id
		WHERE a.id = @app AND f.id = @file AND `+secretariatFilter, pgx.NamedArgs{"staff": staff, "app": app, "file": fileID})
}

// SubmittedVersion returns the last submitted version of application id, for staff who have
// checked access to it (the committee sees this version); db.ErrNotFound when none.
func SubmittedVersion(ctx context.Context, q db.DBTX, id int64) (Version, error) {
	var owner int64
	if err := q.QueryRow(ctx, `SELECT user_id FROM applications WHERE id = $1`, id).Scan(&owner); errors.Is(err, pgx.ErrNoRows) {
		return Version{}, db.ErrNotFound
	} else if err != nil {
		return Version{}, fmt.Errorf("application: submitted version: %w", err)
	}
	return LastVersion(ctx, q, owner, id)
}

// Amend records edits to the submitted application a (at version base) that the secretariat
// allowed in a clarification (DOMAIN.md "Round 1: screening by the secretariat"): answers become the application's answers and
// submitted, the last submitted answers with the edits, is kept as a new numbered version, whose
// number it returns. The status stays submitted; an application that had no unsubmitted changes
// has none afterwards. db.ErrConflict when the stored version is not base or the application is
// not submitted.
func Amend(ctx context.Context, q db.DBTX, a Application, base int, answers, submitted form.Answers, now time.Time) (int, error) {
	raw, err := json.Marshal(answers)
	if err != nil {
		return 0, fmt.Errorf("application: amend: %w", err)
	}
	sub, err := json.Marshal(submitted)
	if err != nil {
		return 0, fmt.Errorf("application: amend: %w", err)
	}
	var id int64
	err = q.QueryRow(ctx, `
		UPDATE applications SET answers = $3, version = version + 1, updated_at = $4,
		       submitted_version = CASE WHEN submitted_version = version THEN version + 1 ELSE submitted_version END
		WHERE id = $5 AND user_id = $1 AND version = $2 AND status = 'submitted' RETURNING id`,
		a.UserID, base, raw, now, a.ID).Scan(&id)
	return newVersion(ctx, q, "amend", id, err, sub, now)
}

// Projects returns the project applications of owner in every edition, the latest edition first
// (one per edition; DOMAIN.md "Registration").
func Projects(ctx context.Context, q db.DBTX, owner int64) ([]Application, error) {
	ids, err := db.List(ctx, q, "application: projects", pgx.RowTo[int64], `
		SELECT a.id FROM applications a JOIN editions e ON e.id = a.edition_id
		WHERE a.user_id = $1 AND a.kind = 'project' ORDER BY e.year DESC, e.id DESC`, owner)
	if err != nil {
		return nil, err
	}
	out := make([]Application, 0, len(ids))
	for _, id := range ids {
		a, err := LoadEntry(ctx, q, owner, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}
