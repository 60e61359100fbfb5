package account

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/authz"
	"prizeportal/internal/db"
)

// NewAdmin is the result of creating an admin: the login and the one-time password to print.
type NewAdmin struct {
	UserID   int64
	LoginID  string
	Email    string
	Password string
}

// CreateAdmin creates an account with the global admin role and a one-time password that must be
// changed at first sign-in. The login ID is the email address. A taken email gives db.ErrConflict.
func CreateAdmin(ctx context.Context, pool *pgxpool.Pool, email string, params HashParams) (NewAdmin, error) {
	email = strings.TrimSpace(email)
	if !strings.Contains(email, "@") {
		return NewAdmin{}, fmt.Errorf("account: create admin: %q is not an email address", email)
	}
	password := OneTimePassword()
	hash, err := HashPassword(password, params)
	if err != nil {
		return NewAdmin{}, err
	}
	out := NewAdmin{LoginID: email, Email: email, Password: password}
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO users (login_id, email, name, password_hash, must_change_password)
			VALUES ($1, $1, 'Administrator', $2, true) RETURNING id`, email, hash).Scan(&out.UserID)
		if db.IsUniqueViolation(err) {
			return db.ErrConflict
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO role_grants (user_id, role) VALUES ($1, 'admin')`, out.UserID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO audit_log (actor_label, action, object_type, object_id, details)
			VALUES ('system', 'account.admin_create', 'user', $1, jsonb_build_object('email', $2::text))`,
			strconv.FormatInt(out.UserID, 10), email)
		return err
	})
	if err != nil {
		return NewAdmin{}, fmt.Errorf("account: create admin: %w", err)
	}
	return out, nil
}

// AdminCount returns how many accounts hold the admin role.
func AdminCount(ctx context.Context, q db.DBTX) (int, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT count(DISTINCT user_id) FROM role_grants WHERE role = 'admin'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("account: count admins: %w", err)
	}
	return n, nil
}

// LoadActor returns the signed-in user with their grants and their session epoch (sessions made
// under an older epoch are ended). A deactivated or missing user gives db.ErrNotFound.
func LoadActor(ctx context.Context, q db.DBTX, userID int64) (authz.Actor, int, error) {
	rows, err := q.Query(ctx, `
		SELECT u.name, u.session_epoch, u.email_verified_at IS NOT NULL, u.must_change_password,
			coalesce(u.language, ''), coalesce(u.language_seen, ''), g.role, coalesce(g.edition_id, 0)
		FROM users u LEFT JOIN role_grants g ON g.user_id = u.id
		WHERE u.id = $1 AND u.deactivated_at IS NULL`, userID)
	if err != nil {
		return authz.Actor{}, 0, fmt.Errorf("account: load actor: %w", err)
	}
	defer rows.Close()
	actor := authz.Actor{UserID: userID}
	found, epoch := false, 0
	for rows.Next() {
		found = true
		var role *string
		var editionID int64
		if err := rows.Scan(&actor.Name, &epoch, &actor.EmailVerified, &actor.MustChangePassword,
			&actor.Language, &actor.LanguageSeen, &role, &editionID); err != nil {
			return authz.Actor{}, 0, fmt.Errorf("account: load actor: %w", err)
		}
		if role != nil {
			actor.Grants = append(actor.Grants, authz.Grant{Role: authz.Role(*role), EditionID: editionID})
		}
	}
	if err := rows.Err(); err != nil {
		return authz.Actor{}, 0, fmt.Errorf("account: load actor: %w", err)
	}
	if !found {
		return authz.Actor{}, 0, fmt.Errorf("account: load actor %d: %w", userID, db.ErrNotFound)
	}
	return actor, epoch, nil
}

// SetLanguage records the language userID chose with the language switch ("" for none): their
// pages and emails are in it from now on.
func SetLanguage(ctx context.Context, q db.DBTX, userID int64, lang string) error {
	if _, err := q.Exec(ctx, `UPDATE users SET language = nullif($2, ''), language_seen = coalesce(nullif($2, ''), language_seen) WHERE id = $1`, userID, lang); err != nil {
		return fmt.Errorf("account: set language: %w", err)
	}
	return nil
}

// SeenInLanguage records that userID's pages are shown in lang: their emails follow it while they
// have chosen none.
func SeenInLanguage(ctx context.Context, q db.DBTX, userID int64, lang string) error {
	if _, err := q.Exec(ctx, `UPDATE users SET language_seen = $2 WHERE id = $1 AND language_seen IS DISTINCT FROM $2`, userID, lang); err != nil {
		return fmt.Errorf("account: record language: %w", err)
	}
	return nil
}
