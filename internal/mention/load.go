package mention

import (
	"context"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// Load returns mention id for staff with its edition: db.ErrNotFound unless staff is the
// edition's secretariat (Get filters in SQL; DOMAIN.md "Categories": the Special Mentions are
// recorded by the secretariat).
func Load(ctx context.Context, q db.DBTX, staff, id int64) (Mention, *edition.Edition, error) {
	m, err := Get(ctx, q, staff, id)
	return edition.Of(ctx, q, m, err, func(m Mention) int64 { return m.EditionID })
}
