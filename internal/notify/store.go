package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
)

// Email is one row of the outbox: a rendered message and what happened to it.
type Email struct {
	ID        int64     `db:"id"`
	CreatedAt time.Time `db:"created_at"`
	To        string    `db:"to_address"`
	ToName    string    `db:"to_name"`
	Kind      string    `db:"kind"`
	Subject   string    `db:"subject"`
	// HTML and Text are the bodies; ListEmails leaves them empty.
	HTML   string `db:"html_body"`
	Text   string `db:"text_body"`
	UserID *int64 `db:"user_id"`
	// SentAt is when the message was handed to the mail server (nil while pending).
	SentAt *time.Time `db:"sent_at"`
	// Attempts counts send attempts, failed or not; LastError is the error of the last failed one.
	Attempts  int    `db:"attempts"`
	LastError string `db:"last_error"`
	// Attachments are the files sent with the message; ListEmails leaves them empty.
	Attachments []Attachment `db:"attachments"`
}

// Sent reports whether the message has been sent.
func (e Email) Sent() bool { return e.SentAt != nil }

// GaveUp reports whether the worker stopped trying to send the message.
func (e Email) GaveUp() bool { return e.SentAt == nil && e.Attempts >= MaxAttempts }

// CountEmails returns the number of messages in the outbox.
func CountEmails(ctx context.Context, q db.DBTX) (int, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT count(*) FROM email_outbox`).Scan(&n); err != nil {
		return 0, fmt.Errorf("notify: count emails: %w", err)
	}
	return n, nil
}

// ListEmails returns up to limit messages, newest first, skipping offset, without their bodies.
func ListEmails(ctx context.Context, q db.DBTX, limit, offset int) ([]Email, error) {
	return db.List(ctx, q, "notify: list emails", pgx.RowToStructByName[Email], `
		SELECT id, created_at, to_address, to_name, kind, subject, '' AS html_body, '' AS text_body,
		       user_id, sent_at, attempts, last_error, '[]'::jsonb AS attachments
		FROM email_outbox
		ORDER BY created_at DESC, id DESC
		LIMIT @limit OFFSET @offset`, pgx.NamedArgs{"limit": limit, "offset": offset})
}

// EmailByID returns one message with its bodies; db.ErrNotFound when there is none.
func EmailByID(ctx context.Context, q db.DBTX, id int64) (Email, error) {
	return emailByID(ctx, q, id, "")
}

func emailByID(ctx context.Context, q db.DBTX, id int64, suffix string) (Email, error) {
	rows, err := q.Query(ctx, `
		SELECT id, created_at, to_address, to_name, kind, subject, html_body, text_body,
		       user_id, sent_at, attempts, last_error, attachments
		FROM email_outbox WHERE id = $1 `+suffix, id)
	if err != nil {
		return Email{}, fmt.Errorf("notify: email %d: %w", id, err)
	}
	e, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Email])
	if errors.Is(err, pgx.ErrNoRows) {
		return Email{}, fmt.Errorf("notify: email %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return Email{}, fmt.Errorf("notify: email %d: %w", id, err)
	}
	return e, nil
}
