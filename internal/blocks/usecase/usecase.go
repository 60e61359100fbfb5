// Package usecase holds what every domain's Service is made of (ARCHITECTURE.md: a use case
// opens its transaction, checks the domain's rule, writes the audit entry and queues the email):
// the database, the email outbox, the portal's public address for links in emails, and the
// clock. A domain's Service embeds Deps and adds what only it needs (a file store, a keyring).
package usecase

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

// Deps are the dependencies of a domain's use cases.
type Deps struct {
	Pool   *pgxpool.Pool
	Outbox *notify.Outbox
	Site   emails.Site
	// Now is the clock (tests may set it); never nil after New.
	Now func() time.Time
}

// New is Deps on pool, queueing emails in outbox with links under site, telling the time with
// now (time.Now when nil). Services that send no email pass a nil outbox and a zero site.
func New(pool *pgxpool.Pool, outbox *notify.Outbox, site emails.Site, now func() time.Time) Deps {
	if now == nil {
		now = time.Now
	}
	return Deps{Pool: pool, Outbox: outbox, Site: site, Now: now}
}
