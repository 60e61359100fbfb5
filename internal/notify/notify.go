// Package notify is the portal's email: messages are queued in the email_outbox table inside the
// transaction of the change that causes them, and a background worker sends them.
package notify

import (
	"bytes"
	"context"
	"fmt"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Message is one email to one recipient. HTML is a templ component from web/emails; Text is the
// plain-text alternative.
type Message struct {
	To     string
	ToName string
	// Kind names the kind of message (e.g. "verify-email"), for the outbox page and tests.
	Kind    string
	Subject string
	HTML    templ.Component
	Text    string
	// UserID is the account the message is about, if any.
	UserID int64
}

// Outbox queues messages and (through its worker) sends them.
type Outbox struct {
	pool *pgxpool.Pool
}

// NewOutbox returns the outbox on pool.
func NewOutbox(pool *pgxpool.Pool) *Outbox { return &Outbox{pool: pool} }

// Queue renders m and writes it to the outbox in tx, so the email exists if and only if the change
// that causes it commits. It returns the outbox id.
func (o *Outbox) Queue(ctx context.Context, tx pgx.Tx, m Message) (int64, error) {
	var html bytes.Buffer
	if m.HTML != nil {
		if err := m.HTML.Render(ctx, &html); err != nil {
			return 0, fmt.Errorf("notify: render %s: %w", m.Kind, err)
		}
	}
	var userID *int64
	if m.UserID != 0 {
		userID = &m.UserID
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO email_outbox (to_address, to_name, subject, html_body, text_body, kind, user_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		m.To, m.ToName, m.Subject, html.String(), m.Text, m.Kind, userID).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("notify: queue %s: %w", m.Kind, err)
	}
	return id, nil
}
