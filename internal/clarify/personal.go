package clarify

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
)

// PersonalClarification is a clarification asked about one of the user's entries, as the
// personal data export gives it: the question and the user's answer, not who asked.
type PersonalClarification struct {
	EntryID    int64      `json:"entry_id"`
	Question   string     `json:"question"`
	AskedAt    time.Time  `json:"asked_at"`
	Deadline   time.Time  `json:"deadline"`
	Answer     string     `json:"answer,omitempty"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

// Personal returns the clarifications of the entries of userID's account.
func Personal(ctx context.Context, q db.DBTX, userID int64) ([]PersonalClarification, error) {
	return db.List(ctx, q, "clarify: personal", pgx.RowToStructByPos[PersonalClarification], `
		SELECT c.application_id, c.question, c.asked_at, c.deadline, c.answer_text, c.answered_at
		FROM clarifications c JOIN applications a ON a.id = c.application_id
		WHERE a.user_id = $1 ORDER BY c.asked_at, c.id`, userID)
}
