package ballot

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
)

// PersonalBallot is one of the user's own ballots, as the personal data export gives it: the
// rank or the stated conflict per entry. Only the member sees it whole; the protocol shows it
// anonymised.
type PersonalBallot struct {
	Edition   string          `json:"edition"`
	Category  string          `json:"category"`
	Ranks     json.RawMessage `json:"ranks"` // [{entry_id, rank, conflict}]
	CastAt    time.Time       `json:"cast_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// Personal returns userID's ballots.
func Personal(ctx context.Context, q db.DBTX, userID int64) ([]PersonalBallot, error) {
	return db.List(ctx, q, "ballot: personal", func(r pgx.CollectableRow) (PersonalBallot, error) {
		var p PersonalBallot
		var ranks []byte
		err := r.Scan(&p.Edition, &p.Category, &ranks, &p.CastAt, &p.UpdatedAt)
		p.Ranks = ranks
		return p, err
	}, `
		SELECT e.name, c.name,
		       coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('entry_id', r.application_id, 'rank', r.rank,
		                 'conflict', nullif(r.conflict, ''))) ORDER BY r.rank NULLS LAST, r.application_id)
		                 FROM ballot_ranks r WHERE r.ballot_id = b.id), '[]'),
		       b.cast_at, b.updated_at
		FROM ballots b JOIN editions e ON e.id = b.edition_id JOIN categories c ON c.id = b.category_id
		WHERE b.member_id = $1 ORDER BY b.cast_at, b.id`, userID)
}
