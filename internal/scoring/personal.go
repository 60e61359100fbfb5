package scoring

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
)

// PersonalSheet is one of the user's own score sheets, as the personal data export gives it:
// the scores by indicator key, the comments and the conflict declaration.
type PersonalSheet struct {
	EntryID           int64           `json:"entry_id"`
	Edition           string          `json:"edition"`
	Status            string          `json:"status"`
	NoConflictAt      *time.Time      `json:"no_conflict_declared_at,omitempty"`
	Scores            json.RawMessage `json:"scores"` // {indicator key: score}
	CriterionComments json.RawMessage `json:"criterion_comments"`
	OverallComment    string          `json:"overall_comment,omitempty"`
	CreatedAt         time.Time       `json:"created_at"`
	UpdatedAt         time.Time       `json:"updated_at"`
	SubmittedAt       *time.Time      `json:"submitted_at,omitempty"`
}

// Personal returns userID's score sheets, oldest first.
func Personal(ctx context.Context, q db.DBTX, userID int64) ([]PersonalSheet, error) {
	return db.List(ctx, q, "scoring: personal", func(r pgx.CollectableRow) (PersonalSheet, error) {
		var p PersonalSheet
		var scores, comments []byte
		err := r.Scan(&p.EntryID, &p.Edition, &p.Status, &p.NoConflictAt, &scores, &comments, &p.OverallComment,
			&p.CreatedAt, &p.UpdatedAt, &p.SubmittedAt)
		p.Scores, p.CriterionComments = scores, comments
		return p, err
	}, `
		SELECT s.application_id, e.name, s.status, s.no_conflict_at,
		       coalesce((SELECT jsonb_object_agg(i.key, x.score) FROM sheet_scores x JOIN indicators i ON i.id = x.indicator_id
		                 WHERE x.sheet_id = s.id), '{}'),
		       s.criterion_comments, s.overall_comment, s.created_at, s.updated_at, s.submitted_at
		FROM score_sheets s JOIN editions e ON e.id = s.edition_id
		WHERE s.evaluator_id = $1 ORDER BY s.created_at, s.id`, userID)
}
