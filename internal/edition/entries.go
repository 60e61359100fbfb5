package edition

import (
	"context"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
)

// SubmittedPerCategory counts the submitted entries (project applications and nominations,
// never a draft or a withdrawn one) of each category of edition editionID that has any, by
// category id: what the public pages say of a category nobody entered (DOMAIN.md "Data and
// publication"), once its announcement has passed.
func SubmittedPerCategory(ctx context.Context, q db.DBTX, editionID int64) (map[int64]int, error) {
	type count struct {
		category int64
		n        int
	}
	rows, err := db.List(ctx, q, "edition: submitted per category", func(r pgx.CollectableRow) (count, error) {
		var c count
		err := r.Scan(&c.category, &c.n)
		return c, err
	}, `SELECT category_id, count(*)::int FROM applications WHERE edition_id = $1 AND status = 'submitted' GROUP BY category_id`, editionID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(rows))
	for _, c := range rows {
		out[c.category] = c.n
	}
	return out, nil
}
