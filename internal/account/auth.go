package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/db"
)

// User is an account as its owner and the staff see it.
type User struct {
	ID                 int64
	LoginID            string
	Email              string
	Name               string
	EntityType         string
	Organisation       string
	Phone              string
	City               string
	Country            string
	EditionID          *int64
	CategoryID         *int64
	TermsVersion       string
	TermsAcceptedAt    *time.Time
	EmailVerifiedAt    *time.Time
	MustChangePassword bool
	LastSignInAt       *time.Time
	DeactivatedAt      *time.Time
	CreatedAt          time.Time
}

const userColumns = `id, login_id, email, name, entity_type, organisation, phone, city, country, edition_id,
	category_id, terms_version, terms_accepted_at, email_verified_at, must_change_password, last_sign_in_at,
	deactivated_at, created_at`

func scanUser(row pgx.Row) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.LoginID, &u.Email, &u.Name, &u.EntityType, &u.Organisation, &u.Phone, &u.City,
		&u.Country, &u.EditionID, &u.CategoryID, &u.TermsVersion, &u.TermsAcceptedAt, &u.EmailVerifiedAt,
		&u.MustChangePassword, &u.LastSignInAt, &u.DeactivatedAt, &u.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, db.ErrNotFound
	}
	return u, err
}

// ByID returns a user.
func ByID(ctx context.Context, q db.DBTX, id int64) (User, error) {
	u, err := scanUser(q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if err != nil {
		return User{}, fmt.Errorf("account: user %d: %w", id, err)
	}
	return u, nil
}

// ByLogin returns the active user whose login ID or email is login (case-insensitive).
func ByLogin(ctx context.Context, q db.DBTX, login string) (User, error) {
	login = strings.TrimSpace(login)
	u, err := scanUser(q.QueryRow(ctx, `
		SELECT `+userColumns+` FROM users
		WHERE (lower(login_id) = lower($1) OR lower(email) = lower($1)) AND deactivated_at IS NULL
		ORDER BY lower(login_id) = lower($1) DESC LIMIT 1`, login))
	if err != nil {
		return User{}, fmt.Errorf("account: user by login: %w", err)
	}
	return u, nil
}

// dummyHash is checked when no account matches, so a sign-in takes as long whether or not the
// account exists.
var dummyHash, _ = HashPassword("not a password of anyone", DefaultHashParams)

// Authenticate checks a login (login ID or email) and password. It returns the user and their
// session epoch, or ErrBadCredentials for an unknown login, a wrong password or a deactivated
// account alike.
func Authenticate(ctx context.Context, q db.DBTX, login, password string) (User, int, error) {
	var (
		u     User
		hash  string
		epoch int
	)
	err := q.QueryRow(ctx, `
		SELECT id, password_hash, session_epoch FROM users
		WHERE (lower(login_id) = lower($1) OR lower(email) = lower($1)) AND deactivated_at IS NULL
		ORDER BY lower(login_id) = lower($1) DESC LIMIT 1`, strings.TrimSpace(login)).Scan(&u.ID, &hash, &epoch)
	if errors.Is(err, pgx.ErrNoRows) {
		_, _ = CheckPassword(password, dummyHash)
		return User{}, 0, ErrBadCredentials
	}
	if err != nil {
		return User{}, 0, fmt.Errorf("account: authenticate: %w", err)
	}
	ok, err := CheckPassword(password, hash)
	if err != nil || !ok {
		// An account without a usable password (an invitation not yet accepted) fails the same way.
		return User{}, 0, ErrBadCredentials
	}
	u, err = ByID(ctx, q, u.ID)
	if err != nil {
		return User{}, 0, err
	}
	return u, epoch, nil
}

// ErrBadCredentials is a failed sign-in; the page never says which part was wrong.
var ErrBadCredentials = fault.New(fault.Invalid, "The login or password is not right. Check both and try again.")

// RecordSignIn notes a successful sign-in.
func RecordSignIn(ctx context.Context, q db.DBTX, userID int64, now time.Time) error {
	if _, err := q.Exec(ctx, `UPDATE users SET last_sign_in_at = $2 WHERE id = $1`, userID, now); err != nil {
		return fmt.Errorf("account: record sign-in: %w", err)
	}
	return nil
}

// SetPassword stores a new password and raises the session epoch, which ends every session of the
// user; it returns the new epoch so the caller may start a fresh session.
func SetPassword(ctx context.Context, q db.DBTX, userID int64, password string, params HashParams, now time.Time) (int, error) {
	hash, err := HashPassword(password, params)
	if err != nil {
		return 0, err
	}
	var epoch int
	err = q.QueryRow(ctx, `
		UPDATE users SET password_hash = $2, must_change_password = false, session_epoch = session_epoch + 1, updated_at = $3
		WHERE id = $1 RETURNING session_epoch`, userID, hash, now).Scan(&epoch)
	if err != nil {
		return 0, fmt.Errorf("account: set password: %w", err)
	}
	return epoch, nil
}

// MarkEmailVerified records that the user proved they own their email address.
func MarkEmailVerified(ctx context.Context, q db.DBTX, userID int64, now time.Time) error {
	if _, err := q.Exec(ctx, `UPDATE users SET email_verified_at = coalesce(email_verified_at, $2) WHERE id = $1`, userID, now); err != nil {
		return fmt.Errorf("account: verify email: %w", err)
	}
	return nil
}
