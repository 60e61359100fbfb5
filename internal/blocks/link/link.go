// Package link makes private links for people who have no account: a nominated candidate asked
// for consent, a recommender asked for a letter, a citizen confirming an endorsement (DOMAIN.md
// "Leadership nominations"), an entity invited to apply (DOMAIN.md "Registration").
// A link carries a random token of 130 bits (crypto/rand.Text); only its SHA-256 is stored, with
// what the link is for (purpose), the row it opens (subject), when it expires and when it was used.
package link

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/db"
)

var (
	// ErrUnknown means no link of that purpose has the token.
	ErrUnknown = fault.New(fault.NotFound, "This link is not valid. Check that you copied the whole address from the email: links are long and work only as sent.")
	// ErrUsed means the link was used already (or withdrawn).
	ErrUsed = fault.New(fault.Conflict, "This link has already been used, or a newer one replaced it. Use the link in the latest email you received.")
	// ErrExpired means the link expired.
	ErrExpired = fault.New(fault.Conflict, "This link has expired.")
)

func hash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// New stores a link for purpose and subject, valid until expires, and returns its token.
func New(ctx context.Context, q db.DBTX, purpose string, subject int64, expires, now time.Time) (string, error) {
	token := rand.Text()
	if _, err := q.Exec(ctx, `
		INSERT INTO private_links (token_hash, purpose, subject_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		hash(token), purpose, subject, now, expires); err != nil {
		return "", fmt.Errorf("link: new: %w", err)
	}
	return token, nil
}

// Open returns the subject of a valid token of purpose; ErrUnknown, ErrUsed or ErrExpired
// otherwise, with the subject when the link is known (so a page can still say what it was for).
func Open(ctx context.Context, q db.DBTX, purpose, token string, now time.Time) (int64, error) {
	var (
		subject int64
		expires time.Time
		used    *time.Time
	)
	err := q.QueryRow(ctx, `SELECT subject_id, expires_at, used_at FROM private_links WHERE token_hash = $1 AND purpose = $2`,
		hash(token), purpose).Scan(&subject, &expires, &used)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrUnknown
	}
	if err != nil {
		return 0, fmt.Errorf("link: open: %w", err)
	}
	switch {
	case used != nil:
		return subject, ErrUsed
	case !now.Before(expires):
		return subject, ErrExpired
	}
	return subject, nil
}

// Use marks a valid token used, in the transaction of what it allowed, and returns its subject;
// the errors are those of Open.
func Use(ctx context.Context, q db.DBTX, purpose, token string, now time.Time) (int64, error) {
	var subject int64
	err := q.QueryRow(ctx, `
		UPDATE private_links SET used_at = $3
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
		RETURNING subject_id`, hash(token), purpose, now).Scan(&subject)
	if errors.Is(err, pgx.ErrNoRows) {
		subject, err := Open(ctx, q, purpose, token, now)
		if err == nil { // used by a concurrent request between the two statements
			err = ErrUsed
		}
		return subject, err
	}
	if err != nil {
		return 0, fmt.Errorf("link: use: %w", err)
	}
	return subject, nil
}

// Withdraw uses up every open link of purpose to subject, so none of them works any more.
func Withdraw(ctx context.Context, q db.DBTX, purpose string, subject int64, now time.Time) error {
	if _, err := q.Exec(ctx, `UPDATE private_links SET used_at = $3 WHERE purpose = $1 AND subject_id = $2 AND used_at IS NULL`,
		purpose, subject, now); err != nil {
		return fmt.Errorf("link: withdraw: %w", err)
	}
	return nil
}

// tokenRE finds the token of a private link in a path, a URL or a message body: the token
// follows one of the paths whose token is the credential (account links: /verify/,
// /password/reset/, /invite/; this package's: /consent/, /letters/, /endorse/confirm/; a winning candidate's: /winner/) or the
// invitation parameter of the registration page. Every such token is crypto/rand.Text (26
// characters), so a run of at least 16 token characters is redacted, and a shorter word that
// merely follows one of these paths (/account/verify/resend) is left alone. The server's route
// table test checks that every route with a {token} is covered here.
var tokenRE = regexp.MustCompile(`(/verify/|/password/reset/|/invite/|/consent/|/letters/|/endorse/confirm/|/winner/|[?&;]invitation=)[A-Za-z0-9_-]{16,}`)

// RedactedToken replaces a token redacted by Redact.
const RedactedToken = "[redacted]"

// Redact returns s with the token of every private link replaced by RedactedToken: what logs,
// stored messages once sent and admin pages keep, so that none of them holds a usable link.
func Redact(s string) string {
	return tokenRE.ReplaceAllString(s, "${1}"+RedactedToken)
}
