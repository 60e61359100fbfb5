package application

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// Deadline is the moment from which the application a can no longer be saved, submitted or
// withdrawn (DOMAIN.md "The project application": editable until the deadline,
// locked after it): the edition's application deadline plus its grace period, or the extension
// the secretariat granted to a, when that is later. The server enforces it at the second.
func Deadline(s edition.Schedule, a Application) time.Time {
	d := s.ApplicationDeadline.Add(s.GracePeriod)
	if a.ExtendedUntil != nil && a.ExtendedUntil.After(d) {
		return *a.ExtendedUntil
	}
	return d
}

// PublishedDeadline is the deadline the applicant of a is told: their extension when it is
// later than the edition's deadline, otherwise the edition's deadline (never the grace period).
func PublishedDeadline(s edition.Schedule, a Application) time.Time {
	if a.ExtendedUntil != nil && a.ExtendedUntil.After(s.ApplicationDeadline) {
		return *a.ExtendedUntil
	}
	return s.ApplicationDeadline
}

// ErrNotAfterDeadline means an extension would not end after the edition's deadline.
var ErrNotAfterDeadline = errors.New("application: an extension must end after the deadline")

// Extension is a deadline extension granted to one application by the secretariat.
type Extension struct {
	Until     time.Time
	Reason    string
	GrantedBy int64
	GrantedAt time.Time
}

// GrantExtension gives the application id an extension until until, replacing any earlier one.
// until must be after the edition's deadline (ErrNotAfterDeadline).
func GrantExtension(ctx context.Context, q db.DBTX, id int64, x Extension, s edition.Schedule) error {
	if !x.Until.After(s.ApplicationDeadline) {
		return ErrNotAfterDeadline
	}
	_, err := q.Exec(ctx, `
		INSERT INTO application_extensions (application_id, until, reason, granted_by, granted_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (application_id) DO UPDATE SET until = EXCLUDED.until, reason = EXCLUDED.reason,
			granted_by = EXCLUDED.granted_by, granted_at = EXCLUDED.granted_at`,
		id, x.Until, x.Reason, x.GrantedBy, x.GrantedAt)
	if err != nil {
		return fmt.Errorf("application: grant extension: %w", err)
	}
	return nil
}

// RevokeExtension removes the extension of the application id; db.ErrNotFound when it has none.
func RevokeExtension(ctx context.Context, q db.DBTX, id int64) error {
	tag, err := q.Exec(ctx, `DELETE FROM application_extensions WHERE application_id = $1`, id)
	if err != nil {
		return fmt.Errorf("application: revoke extension: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return db.ErrNotFound
	}
	return nil
}

// StaffRow is one application as the secretariat lists it.
type StaffRow struct {
	ID           int64
	UserID       int64
	EditionID    int64
	Applicant    string
	Email        string
	Organisation string
	Category     string
	Status       Status
	Title        string
	// Candidate is a nomination's candidate ("" for a project application): the page words
	// its title in the reader's language.
	Candidate     string
	UpdatedAt     time.Time
	ExtendedUntil *time.Time
	Extension     *Extension
	// RegistryMatches are the registry organisations the account's registration matches
	// (view registration_conflicts; DOMAIN.md "Registration"), by name.
	RegistryMatches []string
}

// StaffPerPage is how many applications the secretariat's list shows per page.
const StaffPerPage = 50

// StaffList is one page of the secretariat's list of applications.
type StaffList = db.Page[StaffRow]

// secretariatFilter is the SQL form of authz.CanManageApplications: the actor ($staff) holds
// the secretariat role in the application's edition.
const secretariatFilter = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @staff
	AND g.role = 'secretariat' AND g.edition_id = a.edition_id)`

const staffColumns = `a.id, a.user_id, a.edition_id, u.name, u.email, u.organisation, c.name, a.status,
	CASE WHEN a.kind = 'nomination' THEN 'Nomination of ' || n.candidate_name
	     ELSE coalesce(a.answers->'project_title'->>'text', '') END,
	CASE WHEN a.kind = 'nomination' THEN coalesce(n.candidate_name, '') ELSE '' END, a.updated_at,
	x.until, x.reason, x.granted_by, x.granted_at,
	ARRAY(SELECT DISTINCT m.subject FROM registration_conflicts m WHERE m.user_id = a.user_id AND m.edition_id = a.edition_id ORDER BY 1)`

const staffFrom = `applications a JOIN users u ON u.id = a.user_id JOIN categories c ON c.id = a.category_id
	LEFT JOIN application_extensions x ON x.application_id = a.id
	LEFT JOIN nominations n ON n.application_id = a.id`

func scanStaffRow(row pgx.Row) (StaffRow, error) {
	var (
		r       StaffRow
		status  string
		reason  *string
		by      *int64
		granted *time.Time
	)
	if err := row.Scan(&r.ID, &r.UserID, &r.EditionID, &r.Applicant, &r.Email, &r.Organisation, &r.Category,
		&status, &r.Title, &r.Candidate, &r.UpdatedAt, &r.ExtendedUntil, &reason, &by, &granted, &r.RegistryMatches); err != nil {
		return StaffRow{}, err
	}
	r.Status = Status(status)
	if r.ExtendedUntil != nil {
		r.Extension = &Extension{Until: *r.ExtendedUntil, Reason: *reason, GrantedAt: *granted}
		if by != nil {
			r.Extension.GrantedBy = *by
		}
	}
	return r, nil
}

// ListForSecretariat returns page (from 1) of the applications of the edition, by applicant
// name, for the staff member staff; only an edition in which staff holds the secretariat role
// has any rows.
func ListForSecretariat(ctx context.Context, q db.DBTX, staff, editionID int64, page int) (StaffList, error) {
	// The page's rows are chosen first, so that only they read their (large) answers for the
	// title: sorting every application with its title made the list 15 times slower at 1,000.
	return db.ListPage(ctx, q, "application: list for secretariat", func(r pgx.CollectableRow) (StaffRow, error) { return scanStaffRow(r) },
		page, StaffPerPage, pgx.NamedArgs{"staff": staff, "edition": editionID},
		`SELECT count(*) FROM applications a WHERE a.edition_id = @edition AND `+secretariatFilter,
		`SELECT `+staffColumns+` FROM `+staffFrom+`
		WHERE a.id IN (SELECT a.id FROM applications a JOIN users u ON u.id = a.user_id
			WHERE a.edition_id = @edition AND `+secretariatFilter+`
			ORDER BY lower(u.name), a.id LIMIT @limit OFFSET @offset)
		ORDER BY lower(u.name), a.id`)
}

// ForSecretariat returns the application id for the staff member staff; db.ErrNotFound when it
// does not exist or staff does not hold the secretariat role in its edition.
func ForSecretariat(ctx context.Context, q db.DBTX, staff, id int64) (StaffRow, error) {
	r, err := scanStaffRow(q.QueryRow(ctx, `SELECT `+staffColumns+` FROM `+staffFrom+`
		WHERE a.id = @id AND `+secretariatFilter, pgx.NamedArgs{"staff": staff, "id": id}))
	return db.One(r, err, "application: for secretariat")
}
