package application

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
)

// PersonalEntry is one entry the user's account holds, as the personal data export gives it
// (everything the portal holds about the user): the answers as saved now, every
// submitted version, and for a nomination the details the nominator gave. Staff notes and the
// names of the staff who acted are not part of it.
type PersonalEntry struct {
	ID          int64           `json:"id"`
	Kind        string          `json:"kind"`
	Edition     string          `json:"edition"`
	Category    string          `json:"category"`
	Status      string          `json:"status"`
	Answers     json.RawMessage `json:"answers"`
	Versions    json.RawMessage `json:"submitted_versions"` // [{number, submitted_at, answers}]
	Nomination  json.RawMessage `json:"nomination,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
	SubmittedAt *time.Time      `json:"submitted_at,omitempty"`
	WithdrawnAt *time.Time      `json:"withdrawn_at,omitempty"`
}

// Personal returns the entries of userID's account, oldest first.
func Personal(ctx context.Context, q db.DBTX, userID int64) ([]PersonalEntry, error) {
	return db.List(ctx, q, "application: personal", func(r pgx.CollectableRow) (PersonalEntry, error) {
		var p PersonalEntry
		var answers, versions, nom []byte
		err := r.Scan(&p.ID, &p.Kind, &p.Edition, &p.Category, &p.Status, &answers, &versions, &nom,
			&p.CreatedAt, &p.UpdatedAt, &p.SubmittedAt, &p.WithdrawnAt)
		p.Answers, p.Versions, p.Nomination = answers, versions, nom
		return p, err
	}, `
		SELECT a.id, a.kind, e.name, c.name, a.status, a.answers,
		       coalesce((SELECT jsonb_agg(jsonb_build_object('number', v.number, 'submitted_at', v.submitted_at, 'answers', v.answers) ORDER BY v.number)
		                 FROM application_versions v WHERE v.application_id = a.id), '[]'),
		       (SELECT jsonb_build_object('self', n.self, 'nominator_category', n.nominator_category,
		                 'nominator_organisation', n.nominator_organisation, 'candidate_name', n.candidate_name,
		                 'candidate_email', n.candidate_email, 'candidate_organisation', n.candidate_organisation,
		                 'candidate_position', n.candidate_position, 'candidate_city', n.candidate_city,
		                 'candidate_country', n.candidate_country, 'candidate_is_head', n.candidate_is_head,
		                 'consent', n.consent, 'consent_requested_at', n.consent_requested_at,
		                 'consent_decided_at', n.consent_decided_at, 'consent_note', n.consent_note, 'created_at', n.created_at)
		        FROM nominations n WHERE n.application_id = a.id),
		       a.created_at, a.updated_at, a.submitted_at, a.withdrawn_at
		FROM applications a JOIN editions e ON e.id = a.edition_id JOIN categories c ON c.id = a.category_id
		WHERE a.user_id = $1 ORDER BY a.id`, userID)
}
