package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
)

// Token purposes.
const (
	PurposeVerifyEmail   = "verify_email"
	PurposeResetPassword = "reset_password"
	PurposeInvite        = "invite"
)

// ErrTokenInvalid means a token is unknown, used, expired or of another purpose. Pages say so
// without telling which.
var ErrTokenInvalid = errors.New("account: link invalid or expired")

func hashToken(plain string) []byte {
	sum := sha256.Sum256([]byte(plain))
	return sum[:]
}

// NewToken creates a single-use token for userID and purpose, valid for ttl, and returns the
// plaintext to put in a link; only its hash is stored. Earlier unused tokens of the same purpose
// for the user are withdrawn, so only the newest link works.
func NewToken(ctx context.Context, q db.DBTX, userID int64, purpose string, ttl time.Duration, now time.Time) (string, error) {
	plain := rand.Text()
	if _, err := q.Exec(ctx, `UPDATE user_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`, userID, purpose, now); err != nil {
		return "", fmt.Errorf("account: withdraw tokens: %w", err)
	}
	_, err := q.Exec(ctx, `INSERT INTO user_tokens (user_id, purpose, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		userID, purpose, hashToken(plain), now, now.Add(ttl))
	if err != nil {
		return "", fmt.Errorf("account: new token: %w", err)
	}
	return plain, nil
}

// UseToken consumes a token of purpose and returns its user. It fails with ErrTokenInvalid when
// the token is unknown, already used or expired. Call it in the transaction of the change it allows.
func UseToken(ctx context.Context, tx pgx.Tx, purpose, plain string, now time.Time) (int64, error) {
	var userID int64
	err := tx.QueryRow(ctx, `
		UPDATE user_tokens SET used_at = $3
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
		RETURNING user_id`, hashToken(plain), purpose, now).Scan(&userID)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrTokenInvalid
	}
	if err != nil {
		return 0, fmt.Errorf("account: use token: %w", err)
	}
	return userID, nil
}

// PeekToken returns the user of a valid token without consuming it (to show a form first).
func PeekToken(ctx context.Context, q db.DBTX, purpose, plain string, now time.Time) (int64, error) {
	var userID int64
	err := q.QueryRow(ctx, `
		SELECT user_id FROM user_tokens
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`, hashToken(plain), purpose, now).Scan(&userID)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrTokenInvalid
	}
	if err != nil {
		return 0, fmt.Errorf("account: peek token: %w", err)
	}
	return userID, nil
}
