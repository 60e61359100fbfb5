package notify

import (
	"context"
	"fmt"

	"prizeportal/internal/db"
)

// EmailPage is one page of the outbox, newest first, without the messages' bodies.
type EmailPage struct {
	// Page is the page's number (from 1), Pages how many there are (at least 1) and Total how
	// many messages the outbox holds.
	Page, Pages, Total int
	// Offset is the number of messages before this page.
	Offset int
	Emails []Email
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
	return p, nil
}
