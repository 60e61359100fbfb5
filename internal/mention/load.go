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
	if err != nil {
		return m, nil, err
	}
	ed, err := edition.ByID(ctx, q, m.EditionID)
	return m, ed, err
}
