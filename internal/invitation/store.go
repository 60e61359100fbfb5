package invitation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/blocks/link"
	"prizeportal/internal/db"
)

// secretariatFilter keeps the invitations of editions in which @staff holds the secretariat role.
const secretariatFilter = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @staff
	AND g.role = 'secretariat' AND g.edition_id = i.edition_id)`

// progress is how far the account an invitation led to got in the invitation's edition: when it
// started its first application (or nomination), and when its first still-submitted one was
// submitted.
const progress = `LEFT JOIN LATERAL (
		SELECT min(a.created_at) AS started_at,
		       min(a.submitted_at) FILTER (WHERE a.status = 'submitted') AS submitted_at
		FROM applications a WHERE a.user_id = i.accepted_by AND a.edition_id = i.edition_id) st ON true`

const columns = `i.id, i.edition_id, i.category_id, c.key, c.name, i.entity_type, i.email, i.contact_name,
	i.organisation, i.message, i.invited_by, u.name, i.invited_at, i.sent_count, i.last_sent_at,
	i.accepted_by, i.accepted_at, st.started_at, st.submitted_at`

const from = `invitations i JOIN categories c ON c.id = i.category_id JOIN users u ON u.id = i.invited_by ` + progress

func scan(row pgx.Row) (Invitation, error) {
	var v Invitation
	err := row.Scan(&v.ID, &v.EditionID, &v.CategoryID, &v.CategoryKey, &v.Category, &v.EntityType, &v.Email, &v.Name,
		&v.Organisation, &v.Message, &v.InvitedBy, &v.InviterName, &v.InvitedAt, &v.SentCount, &v.LastSentAt,
		&v.AcceptedBy, &v.AcceptedAt, &v.StartedAt, &v.SubmittedAt)
	switch {
	case v.SubmittedAt != nil:
		v.Stage = Submitted
	case v.StartedAt != nil:
		v.Stage = Started
	case v.AcceptedBy != nil:
		v.Stage = Registered
	default:
		v.Stage = Sent
	}
	return v, err
}

// Create stores the invitation of in (normalized and validated by the caller) to categoryID of
// editionID, sent by staff at now, and returns its id. Only a secretariat member of the edition
// may invite (db.ErrNotFound otherwise). ErrHasAccount when the account that uses the address
// cannot enter the edition (a staff account, or one registered in it already);
// ErrAlreadyInvited when an open invitation of the edition does.
func Create(ctx context.Context, tx pgx.Tx, staff, editionID, categoryID int64, in Input, now time.Time) (int64, error) {
	var hasAccount, invited bool
	// An entrant's account may be invited to an edition it has not entered yet (a returning
	// participant accepts after signing in); a staff account, or one that entered already, not.
	if err := tx.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM users u WHERE lower(u.email) = lower($1)
		                 AND (u.entity_type = '' OR EXISTS (SELECT 1 FROM edition_registrations r
		                                                    WHERE r.user_id = u.id AND r.edition_id = $2))),
		       EXISTS (SELECT 1 FROM invitations WHERE edition_id = $2 AND lower(email) = lower($1) AND accepted_by IS NULL)`,
		in.Email, editionID).Scan(&hasAccount, &invited); err != nil {
		return 0, fmt.Errorf("invitation: create: %w", err)
	}
	switch {
	case hasAccount:
		return 0, ErrHasAccount
	case invited:
		return 0, ErrAlreadyInvited
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO invitations (edition_id, category_id, entity_type, email, contact_name, organisation, message,
		                         invited_by, invited_at, last_sent_at, last_sent_by)
		SELECT c.edition_id, c.id, @entity_type, @email, @name, @organisation, @message, @staff, @now, @now, @staff
		FROM categories c
		WHERE c.id = @category AND c.edition_id = @edition
		  AND EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @staff AND g.role = 'secretariat' AND g.edition_id = c.edition_id)
		RETURNING id`, pgx.NamedArgs{
		"entity_type": in.EntityType, "email": in.Email, "name": in.Name, "organisation": in.Organisation,
		"message": in.Message, "staff": staff, "now": now, "category": categoryID, "edition": editionID,
	}).Scan(&id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return 0, db.ErrNotFound
	case db.IsUniqueViolation(err):
		return 0, ErrAlreadyInvited
	case err != nil:
		return 0, fmt.Errorf("invitation: create: %w", err)
	}
	return id, nil
}

// ForSecretariat returns invitation id for the staff member staff; db.ErrNotFound when it does
// not exist or staff does not hold the secretariat role in its edition.
func ForSecretariat(ctx context.Context, q db.DBTX, staff, id int64) (Invitation, error) {
	v, err := scan(q.QueryRow(ctx, `SELECT `+columns+` FROM `+from+` WHERE i.id = @id AND `+secretariatFilter,
		pgx.NamedArgs{"id": id, "staff": staff}))
	return db.One(v, err, "invitation: for secretariat")
}

// ByID returns invitation id (for the invitee's registration, opened through its link).
func ByID(ctx context.Context, q db.DBTX, id int64) (Invitation, error) {
	v, err := scan(q.QueryRow(ctx, `SELECT `+columns+` FROM `+from+` WHERE i.id = $1`, id))
	return db.One(v, err, "invitation: by id")
}

// ListForSecretariat returns page (from 1) of the invitations of the edition, newest first, for
// the staff member staff; only an edition in which staff holds the secretariat role has any.
func ListForSecretariat(ctx context.Context, q db.DBTX, staff, editionID int64, page int) (List, error) {
	return db.ListPage(ctx, q, "invitation: list", func(r pgx.CollectableRow) (Invitation, error) { return scan(r) },
		page, PerPage, pgx.NamedArgs{"staff": staff, "edition": editionID},
		`SELECT count(*) FROM invitations i WHERE i.edition_id = @edition AND `+secretariatFilter,
		`SELECT `+columns+` FROM `+from+`
		WHERE i.edition_id = @edition AND `+secretariatFilter+`
		ORDER BY i.invited_at DESC, i.id DESC LIMIT @limit OFFSET @offset`)
}

// Summarize counts the invitations of the edition by stage, for the staff member staff (zero
// counts in an edition staff does not serve).
func Summarize(ctx context.Context, q db.DBTX, staff, editionID int64) (Summary, error) {
	var s Summary
	err := q.QueryRow(ctx, `
		SELECT count(*), count(i.accepted_by), count(st.started_at), count(st.submitted_at)
		FROM invitations i `+progress+`
		WHERE i.edition_id = @edition AND `+secretariatFilter,
		pgx.NamedArgs{"staff": staff, "edition": editionID}).Scan(&s.Sent, &s.Registered, &s.Started, &s.Submitted)
	if err != nil {
		return Summary{}, fmt.Errorf("invitation: summarize: %w", err)
	}
	return s, nil
}

// Resent records that staff sent invitation id again at now (the caller issues the new link and
// withdraws the old ones). db.ErrNotFound when staff may not see it; ErrAccepted when it was
// used to register already.
func Resent(ctx context.Context, tx pgx.Tx, staff, id int64, now time.Time) error {
	var accepted bool
	err := tx.QueryRow(ctx, `SELECT i.accepted_by IS NOT NULL FROM invitations i WHERE i.id = @id AND `+secretariatFilter+` FOR UPDATE`,
		pgx.NamedArgs{"id": id, "staff": staff}).Scan(&accepted)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return db.ErrNotFound
	case err != nil:
		return fmt.Errorf("invitation: resent: %w", err)
	case accepted:
		return ErrAccepted
	}
	if _, err := tx.Exec(ctx, `UPDATE invitations SET sent_count = sent_count + 1, last_sent_at = $2, last_sent_by = $3 WHERE id = $1`,
		id, now, staff); err != nil {
		return fmt.Errorf("invitation: resent: %w", err)
	}
	return nil
}

// Open returns the invitation of a valid link token; otherwise the error of link.Open
// (link.ErrUnknown, link.ErrUsed, link.ErrExpired).
func Open(ctx context.Context, q db.DBTX, token string, now time.Time) (Invitation, error) {
	id, err := link.Open(ctx, q, LinkPurpose, token, now)
	if err != nil {
		return Invitation{}, err
	}
	v, err := ByID(ctx, q, id)
	if errors.Is(err, db.ErrNotFound) {
		return Invitation{}, link.ErrUnknown
	}
	return v, err
}

// Accept uses the link token in tx to record that userID registered through the invitation in
// editionID at now, withdrawing the invitation's other links, and returns the invitation. The
// errors are those of link.Use; an invitation of another edition, or one accepted already, is
// link.ErrUsed.
func Accept(ctx context.Context, tx pgx.Tx, token string, editionID, userID int64, now time.Time) (Invitation, error) {
	id, err := link.Use(ctx, tx, LinkPurpose, token, now)
	if err != nil {
		return Invitation{}, err
	}
	tag, err := tx.Exec(ctx, `UPDATE invitations SET accepted_by = $2, accepted_at = $3
		WHERE id = $1 AND edition_id = $4 AND accepted_by IS NULL`, id, userID, now, editionID)
	if err != nil {
		return Invitation{}, fmt.Errorf("invitation: accept: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return Invitation{}, link.ErrUsed
	}
	if err := link.Withdraw(ctx, tx, LinkPurpose, id, now); err != nil {
		return Invitation{}, err
	}
	return ByID(ctx, tx, id)
}

// HasAccount reports whether an account uses the address email: the invitation is then
// accepted by signing in (a returning participant) rather than by registering.
func HasAccount(ctx context.Context, q db.DBTX, email string) (bool, error) {
	var has bool
	if err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1))`, email).Scan(&has); err != nil {
		return false, fmt.Errorf("invitation: has account: %w", err)
	}
	return has, nil
}
