package account

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// By names who makes a change to an account, for the audit log: the signed-in user (UserID 0 for
// the system), how the log shows them, and the address the request came from.
type By struct {
	UserID int64
	Label  string
	IP     string
}

// StaffRoles are the roles an admin grants to organiser staff (DOMAIN.md, "People and roles").
// Applicant and nominator come with registration instead.
var StaffRoles = []authz.Role{authz.RoleSecretariat, authz.RoleManager, authz.RoleEvaluator, authz.RoleCommitteeHead, authz.RoleCouncil, authz.RoleAdmin}

// RoleLabel names a role for people.
func RoleLabel(r authz.Role) string {
	switch r {
	case authz.RoleApplicant:
		return i18n.M("Applicant")
	case authz.RoleNominator:
		return i18n.M("Nominator")
	case authz.RoleSecretariat:
		return i18n.M("Secretariat")
	case authz.RoleManager:
		return i18n.M("Edition manager")
	case authz.RoleEvaluator:
		return i18n.M("Evaluator")
	case authz.RoleCommitteeHead:
		return i18n.M("Head of the Evaluation Committee")
	case authz.RoleCouncil:
		return i18n.M("Prize Council member")
	case authz.RoleAdmin:
		return i18n.M("Administrator")
	}
	return string(r)
}

// ValidRole reports whether r is one of the portal's roles.
func ValidRole(r authz.Role) bool { return slices.Contains(authz.Roles, r) }

// Errors of role changes, deactivation and erasure. Each has a kind and a message for the user
// (package fault), so the one error mapper can answer them; handlers that re-show a form put the
// message of their own on its field.
var (
	ErrRoleHeld        = fault.New(fault.Conflict, "The account already holds this role in this edition.")
	ErrRoleNotHeld     = fmt.Errorf("account: the user does not hold this role: %w", db.ErrNotFound)
	ErrEditionRequired = fault.New(fault.Invalid, "Choose the edition the role is for: every role but administrator is held in one edition.")
	ErrHeadTaken       = fault.New(fault.Conflict, "This edition already has a head of the Evaluation Committee. Revoke that role first.")
	ErrLastAdmin       = fault.New(fault.Conflict, "This is the last administrator who can sign in. Make someone else an administrator first.")
	ErrSelf            = fault.New(fault.Forbidden, "Administrators cannot do this to their own account: ask another administrator.")
	ErrReasonRequired  = fault.New(fault.Invalid, "Enter the reason for revoking the role.")
	ErrReasonTooLong   = fault.New(fault.Invalid, "Use at most 500 characters.")
	ErrRoleUnknown     = fault.New(fault.Invalid, "Choose a role.")
	ErrErased          = fmt.Errorf("account: the account was erased: %w", db.ErrNotFound)
)

// MaxReason is the longest reason for revoking a role, in bytes (ErrReasonTooLong).
const MaxReason = 500

// ErrUnknownEdition means the role was to be granted in an edition that does not exist, or in
// none.
var ErrUnknownEdition = fault.New(fault.Invalid, "Choose the edition the role is for.")

// adminsLockID serialises changes that could leave the portal without an administrator
// (revoking the admin role, deactivating, erasing), across every instance.
const adminsLockID = 7_310_2024

func lockAdmins(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(adminsLockID)); err != nil {
		return fmt.Errorf("lock administrators: %w", err)
	}
	return nil
}

// otherActiveAdmins counts the administrators other than userID who can still sign in. Call it
// after lockAdmins.
func otherActiveAdmins(ctx context.Context, tx pgx.Tx, userID int64) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `
		SELECT count(DISTINCT g.user_id) FROM role_grants g JOIN users u ON u.id = g.user_id
		WHERE g.role = 'admin' AND g.user_id <> $1 AND u.deactivated_at IS NULL`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count administrators: %w", err)
	}
	return n, nil
}

// lockUser locks the user's row for the rest of tx and fails with db.ErrNotFound for a missing
// user and ErrErased for an erased one.
func lockUser(ctx context.Context, tx pgx.Tx, userID int64) error {
	var erased bool
	err := tx.QueryRow(ctx, `SELECT erased_at IS NOT NULL FROM users WHERE id = $1 FOR UPDATE`, userID).Scan(&erased)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("user %d: %w", userID, db.ErrNotFound)
	}
	if err != nil {
		return err
	}
	if erased {
		return ErrErased
	}
	return nil
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func userObject(userID int64) string { return strconv.FormatInt(userID, 10) }

// GrantRole grants role to userID in editionID (0 for admin, which is global; every other role is
// per edition: DOMAIN.md, "People and roles") and records it in the audit log, in tx. One person
// may hold several roles. A role already held gives ErrRoleHeld. The head of the Evaluation
// Committee is one of its evaluators (DOMAIN.md), so granting committee_head also grants
// evaluator in that edition; an edition has one head (ErrHeadTaken).
func GrantRole(ctx context.Context, tx pgx.Tx, userID int64, role authz.Role, editionID int64, by By, now time.Time) error {
	if err := grantRole(ctx, tx, userID, role, editionID, by, now); err != nil {
		return fmt.Errorf("account: grant %s to %d: %w", role, userID, err)
	}
	return nil
}

// isForeignKeyViolation reports whether err is a Postgres foreign-key violation: for role_grants,
// an edition (or user) that does not exist.
func isForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23503"
}

func grantRole(ctx context.Context, tx pgx.Tx, userID int64, role authz.Role, editionID int64, by By, now time.Time) error {
	if !ValidRole(role) {
		return fmt.Errorf("unknown role %q", role)
	}
	if (role == authz.RoleAdmin) != (editionID == 0) {
		if role == authz.RoleAdmin {
			editionID = 0
		} else {
			return ErrEditionRequired
		}
	}
	if err := lockUser(ctx, tx, userID); err != nil {
		return err
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO role_grants (user_id, role, edition_id, granted_at, granted_by)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id, role, coalesce(edition_id, 0)) DO NOTHING
		RETURNING id`, userID, string(role), nullID(editionID), now, nullID(by.UserID)).Scan(&id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return ErrRoleHeld
	case db.IsUniqueViolation(err):
		return ErrHeadTaken
	case isForeignKeyViolation(err):
		return ErrUnknownEdition
	case err != nil:
		return err
	}
	if authz.RequiresSecondFactor(role) {
		if err := endSessionsOfNewStaff(ctx, tx, userID, id); err != nil {
			return err
		}
	}
	details := map[string]any{"role": string(role)}
	if editionID != 0 {
		details["edition_id"] = editionID
	}
	if err := audit.Record(ctx, tx, audit.Entry{
		ActorID: by.UserID, ActorLabel: by.Label, Action: "role.grant",
		ObjectType: "user", ObjectID: userObject(userID), IP: by.IP, Details: details,
	}); err != nil {
		return err
	}
	if role == authz.RoleCommitteeHead {
		if err := grantRole(ctx, tx, userID, authz.RoleEvaluator, editionID, by, now); err != nil && !errors.Is(err, ErrRoleHeld) {
			return err
		}
	}
	return nil
}

// endSessionsOfNewStaff ends every session of userID (raising the session epoch) when grant is
// their first role that requires two-factor sign-in: their sessions were signed in by password
// alone, and staff must sign in with a second factor. Sessions of someone who already held a
// staff role passed it, or hold no staff role until they do (server.loadActor).
func endSessionsOfNewStaff(ctx context.Context, tx pgx.Tx, userID, grant int64) error {
	_, err := tx.Exec(ctx, `
		UPDATE users SET session_epoch = session_epoch + 1
		WHERE id = $1 AND NOT EXISTS (
			SELECT 1 FROM role_grants g WHERE g.user_id = $1 AND g.id <> $2 AND g.role = ANY($3))`,
		userID, grant, staffRoles)
	return err
}

// RevokeRole ends userID's grant of role in editionID (0 for admin), keeping it in the role
// history with who revoked it, when and why, and records it in the audit log, in tx. The reason
// is required (ErrReasonRequired). A role not held gives ErrRoleNotHeld. An administrator cannot
// revoke their own admin role (ErrSelf), and the last administrator who can sign in keeps it
// (ErrLastAdmin). Revoking evaluator also ends committee_head in that edition (DOMAIN.md: the
// head is one of the evaluators).
func RevokeRole(ctx context.Context, tx pgx.Tx, userID int64, role authz.Role, editionID int64, by By, reason string, now time.Time) error {
	if err := revokeRole(ctx, tx, userID, role, editionID, by, reason, now); err != nil {
		return fmt.Errorf("account: revoke %s from %d: %w", role, userID, err)
	}
	return nil
}

func revokeRole(ctx context.Context, tx pgx.Tx, userID int64, role authz.Role, editionID int64, by By, reason string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return ErrReasonRequired
	}
	if role == authz.RoleAdmin {
		editionID = 0
		if by.UserID == userID {
			return ErrSelf
		}
		if err := lockAdmins(ctx, tx); err != nil {
			return err
		}
		n, err := otherActiveAdmins(ctx, tx, userID)
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrLastAdmin
		}
	}
	if err := lockUser(ctx, tx, userID); err != nil {
		return err
	}
	var (
		grantedAt time.Time
		grantedBy *int64
	)
	err := tx.QueryRow(ctx, `
		DELETE FROM role_grants WHERE user_id = $1 AND role = $2 AND coalesce(edition_id, 0) = $3
		RETURNING granted_at, granted_by`, userID, string(role), editionID).Scan(&grantedAt, &grantedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrRoleNotHeld
	}
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO role_revocations (user_id, role, edition_id, granted_at, granted_by, revoked_at, revoked_by, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		userID, string(role), nullID(editionID), grantedAt, grantedBy, now, nullID(by.UserID), reason); err != nil {
		return err
	}
	details := map[string]any{"role": string(role), "reason": reason}
	if editionID != 0 {
		details["edition_id"] = editionID
	}
	if err := audit.Record(ctx, tx, audit.Entry{
		ActorID: by.UserID, ActorLabel: by.Label, Action: "role.revoke",
		ObjectType: "user", ObjectID: userObject(userID), IP: by.IP, Details: details,
	}); err != nil {
		return err
	}
	if role == authz.RoleEvaluator {
		err := revokeRole(ctx, tx, userID, authz.RoleCommitteeHead, editionID, by, reason, now)
		if err != nil && !errors.Is(err, ErrRoleNotHeld) {
			return err
		}
	}
	return nil
}

// GrantRecord is one grant of a role, held now (RevokedAt nil) or ended: together, the role
// history of a user.
type GrantRecord struct {
	Role          authz.Role `db:"role"`
	EditionID     int64      `db:"edition_id"`
	EditionName   string     `db:"edition_name"`
	GrantedAt     time.Time  `db:"granted_at"`
	GrantedByID   int64      `db:"granted_by_id"`
	GrantedByName string     `db:"granted_by_name"`
	RevokedAt     *time.Time `db:"revoked_at"`
	RevokedByID   int64      `db:"revoked_by_id"`
	RevokedByName string     `db:"revoked_by_name"`
	Reason        string     `db:"reason"`
}

// Active reports whether the grant is held now.
func (g GrantRecord) Active() bool { return g.RevokedAt == nil }

// RoleHistory returns every grant userID holds or held, the most recently changed first.
func RoleHistory(ctx context.Context, q db.DBTX, userID int64) ([]GrantRecord, error) {
	return db.List(ctx, q, "account: role history", pgx.RowToStructByName[GrantRecord], `
		SELECT g.role, coalesce(g.edition_id, 0) AS edition_id, coalesce(e.name, '') AS edition_name,
		       g.granted_at, coalesce(g.granted_by, 0) AS granted_by_id, coalesce(gb.name, '') AS granted_by_name,
		       NULL::timestamptz AS revoked_at, 0::bigint AS revoked_by_id, '' AS revoked_by_name, '' AS reason
		FROM role_grants g
		LEFT JOIN editions e ON e.id = g.edition_id
		LEFT JOIN users gb ON gb.id = g.granted_by
		WHERE g.user_id = $1
		UNION ALL
		SELECT r.role, coalesce(r.edition_id, 0), coalesce(e.name, ''),
		       r.granted_at, coalesce(r.granted_by, 0), coalesce(gb.name, ''),
		       r.revoked_at, coalesce(r.revoked_by, 0), coalesce(rb.name, ''), r.reason
		FROM role_revocations r
		LEFT JOIN editions e ON e.id = r.edition_id
		LEFT JOIN users gb ON gb.id = r.granted_by
		LEFT JOIN users rb ON rb.id = r.revoked_by
		WHERE r.user_id = $1
		ORDER BY 7 DESC NULLS FIRST, 4 DESC, 1`, userID)
}
