package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
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
	// PlannedAt is when the message is planned to go out: the instant of its milestone as its
	// edition says it now (Message.Announces), else its SendAfter, else when it was queued.
	PlannedAt time.Time `db:"planned_at"`
	// Milestone is the schedule step the message waits for ("" for none).
	Milestone edition.Announcement `db:"milestone"`
}

// emailColumns are the columns of an Email from email_outbox o LEFT JOIN editions e (emailFrom);
// bodies is the SQL of the bodies and attachments (or of empty ones).
func emailColumns(bodies string) string {
	return `o.id, o.created_at, o.to_address, o.to_name, o.kind, o.subject, ` + bodies + `,
		o.user_id, o.sent_at, o.attempts, o.last_error,
		coalesce(` + edition.MilestoneAtSQL("o", "e") + `, o.send_after, o.created_at) AS planned_at,
		coalesce(o.milestone, '') AS milestone`
}

// emailFrom is the FROM clause of emailColumns.
const emailFrom = ` FROM email_outbox o LEFT JOIN editions e ON e.id = o.edition_id `

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
		SELECT `+emailColumns(`'' AS html_body, '' AS text_body, '[]'::jsonb AS attachments`)+emailFrom+`
		ORDER BY o.created_at DESC, o.id DESC
		LIMIT @limit OFFSET @offset`, pgx.NamedArgs{"limit": limit, "offset": offset})
}

// EmailByID returns one message with its bodies; db.ErrNotFound when there is none.
func EmailByID(ctx context.Context, q db.DBTX, id int64) (Email, error) {
	return emailByID(ctx, q, id, "")
}

func emailByID(ctx context.Context, q db.DBTX, id int64, suffix string) (Email, error) {
	rows, err := q.Query(ctx, `
		SELECT `+emailColumns(`o.html_body, o.text_body, o.attachments`)+emailFrom+`WHERE o.id = $1 `+suffix, id)
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
