package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// EmailPage is one page of the outbox, newest first, without the messages' bodies.
type EmailPage struct {
	// Page is the page's number (from 1), Pages how many there are (at least 1) and Total how
	// many messages the outbox holds.
	Page, Pages, Total int
	// Offset is the number of messages before this page.
	Offset int
	Emails []Email
	// Zone is the time zone the outbox pages show times in (OutboxZone).
	Zone *time.Location
}

// ListEmailPage returns page page of the outbox with per messages a page: db.ErrNotFound for a
// page before the first or after the last (an empty outbox has one empty page).
func ListEmailPage(ctx context.Context, q db.DBTX, page, per int) (EmailPage, error) {
	total, err := CountEmails(ctx, q)
	if err != nil {
		return EmailPage{}, err
	}
	p := EmailPage{Page: page, Pages: max(1, (total+per-1)/per), Total: total, Offset: (page - 1) * per}
	if page < 1 || page > p.Pages {
		return EmailPage{}, fmt.Errorf("notify: outbox page %d of %d: %w", page, p.Pages, db.ErrNotFound)
	}
	if p.Emails, err = ListEmails(ctx, q, per, p.Offset); err != nil {
		return EmailPage{}, err
	}
	p.Zone, err = OutboxZone(ctx, q)
	return p, err
}

// LoadOutboxMessage returns one message of the outbox with its bodies (EmailByID), and the time
// zone of the outbox pages (OutboxZone).
func LoadOutboxMessage(ctx context.Context, q db.DBTX, id int64) (Email, *time.Location, error) {
	e, err := EmailByID(ctx, q, id)
	if err != nil {
		return Email{}, nil, err
	}
	loc, err := OutboxZone(ctx, q)
	return e, loc, err
}

// OutboxZone is the time zone of the outbox pages: the current edition's (the secretariat's),
// UTC when there is no edition.
func OutboxZone(ctx context.Context, q db.DBTX) (*time.Location, error) {
	e, err := edition.Current(ctx, q)
	if errors.Is(err, db.ErrNotFound) {
		return time.UTC, nil
	}
	if err != nil {
		return nil, err
	}
	return e.TimeZone, nil
}
