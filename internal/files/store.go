package files

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
)

// File is the metadata of a stored file (a row of the files table).
type File struct {
	ID          int64  `db:"id"`
	Key         string `db:"storage_key"`
	Name        string `db:"original_name"`
	Size        int64  `db:"size"`
	ContentType string `db:"content_type"`
	SHA256      string `db:"sha256"`
	// UploadedBy is the uploader's user id; nil for an upload without an account.
	UploadedBy *int64    `db:"uploaded_by"`
	CreatedAt  time.Time `db:"created_at"`
}

// Columns are the columns of files f (the alias) that One reads.
const Columns = `f.id, f.storage_key, f.original_name, f.size, f.content_type, f.sha256, f.uploaded_by, f.created_at`

// One runs query, which returns the Columns of at most one file, with args: db.ErrNotFound when it
// returns none. Errors are wrapped with what ("application: file"). The stores of the domains
// that link files (application answers, clarification documents, letters) use it with their own
// filters.
func One(ctx context.Context, q db.DBTX, what, query string, args ...any) (File, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return File{}, fmt.Errorf("%s: %w", what, err)
	}
	f, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[File])
	if errors.Is(err, pgx.ErrNoRows) {
		return File{}, fmt.Errorf("%s: %w", what, db.ErrNotFound)
	}
	if err != nil {
		return File{}, fmt.Errorf("%s: %w", what, err)
	}
	return f, nil
}

// Record saves the metadata of a file the Receiver stored, uploaded by the user uploadedBy (0 for
// an upload without an account), at now. Call it in the transaction that links the file to what
// it belongs to; if that transaction fails, delete the object (Result.Discard). A key recorded
// twice gives db.ErrConflict.
func Record(ctx context.Context, q db.DBTX, s Stored, uploadedBy int64, now time.Time) (File, error) {
	var by *int64
	if uploadedBy != 0 {
		by = &uploadedBy
	}
	rows, err := q.Query(ctx, `
		INSERT INTO files AS f (storage_key, original_name, size, content_type, sha256, uploaded_by, created_at)
		VALUES (@key, @name, @size, @content_type, @sha256, @by, @now)
		RETURNING `+Columns, pgx.NamedArgs{
		"key": s.Key, "name": s.Name, "size": s.Size, "content_type": s.ContentType,
		"sha256": s.SHA256, "by": by, "now": now,
	})
	if err != nil {
		return File{}, fmt.Errorf("files: record %s: %w", s.Key, err)
	}
	f, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[File])
	if db.IsUniqueViolation(err) {
		return File{}, fmt.Errorf("files: record %s: %w", s.Key, db.ErrConflict)
	}
	if err != nil {
		return File{}, fmt.Errorf("files: record %s: %w", s.Key, err)
	}
	return f, nil
}

// ByID returns the metadata of file id; db.ErrNotFound when there is none. It checks no access:
// the caller must have decided that the actor may see the file (see the package comment).
func ByID(ctx context.Context, q db.DBTX, id int64) (File, error) {
	return One(ctx, q, fmt.Sprintf("files: file %d", id), `SELECT `+Columns+` FROM files f WHERE f.id = $1`, id)
}

// Delete removes the metadata of file id and returns it; db.ErrNotFound when there is none.
// Delete the object from storage (Storage.Delete with the returned Key) only after the
// transaction commits: a failed delete then leaves an unreferenced object, never a row pointing
// at nothing.
func Delete(ctx context.Context, q db.DBTX, id int64) (File, error) {
	return One(ctx, q, fmt.Sprintf("files: delete %d", id), `DELETE FROM files f WHERE f.id = $1 RETURNING `+Columns, id)
}
