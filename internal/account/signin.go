package account

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/audit"
	"prizeportal/internal/blocks/throttle"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// ThrottledError refuses an attempt without checking it: too many failed ones came before. Wait
// is how long until the next attempt may be made; Message, set by the use case (throttled), says
// so to the user.
type ThrottledError struct {
	Wait    time.Duration
	Message string
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("account: too many failed attempts, wait %v", e.Wait)
}

// Refused is the message for the user and the wait of a throttled attempt (Refusal).
func (e *ThrottledError) Refused() (string, time.Duration) { return e.Message, e.Wait }

// Refusal is an attempt refused with a message for the user (*ThrottledError,
// *RefusedCodeError); wait, when set, is how long until the next attempt may be made.
type Refusal interface {
	error
	Refused() (message string, wait time.Duration)
}

// throttled gives a *ThrottledError in err the use case's message: text (a catalog key), with
// {{.When}} saying when to try again (throttle.Phrase), carried for the reader's language. Other
// errors are returned as they are.
func throttled(err error, text string) error {
	if te, ok := errors.AsType[*ThrottledError](err); ok {
		te.Message = i18n.Msg(text, "When", throttle.Phrase(te.Wait))
	}
	return err
}

// LimitKey is the key under which throttle.SignInAccount counts the failures of userID's
// password, whatever login (login ID or email) was typed.
func LimitKey(userID int64) string { return "user:" + strconv.FormatInt(userID, 10) }

// unknownLimitKey is the key of a typed login that matches no account.
func unknownLimitKey(login string) string { return "login:" + login }

// SignIn checks a login (login ID or email, case-insensitive) and password under the abuse limits
// and records the outcome. The limits (throttle.SignInAccount per account, throttle.SignInIP per
// client address) are checked and the attempt counted in one atomic step before the password is
// hashed, so parallel attempts cannot share the free ones; the account's limit is keyed on the
// account whenever the login names one, so a lock reached through the login ID also holds for
// the email. A right password uncounts the address's attempt and clears the account's failures.
//
// It returns the user and their session epoch, *ThrottledError when the attempt was refused
// unchecked, or ErrBadCredentials for an unknown login, a wrong password or a deactivated account
// alike (each failure is in the audit log).
func SignIn(ctx context.Context, pool *pgxpool.Pool, login, password, ip string, now time.Time) (User, int, error) {
	login = strings.ToLower(strings.TrimSpace(login))
	var (
		id    int64
		hash  string
		epoch int
	)
	err := pool.QueryRow(ctx, `
		SELECT id, password_hash, session_epoch FROM users
		WHERE (lower(login_id) = $1 OR lower(email) = $1) AND deactivated_at IS NULL
		ORDER BY lower(login_id) = $1 DESC LIMIT 1`, login).Scan(&id, &hash, &epoch)
	found := err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return User{}, 0, fmt.Errorf("account: sign in: %w", err)
	}
	key := unknownLimitKey(login)
	if found {
		key = LimitKey(id)
	}
	attempt, wait, err := throttle.Take(ctx, pool, now,
		throttle.Limit{Policy: throttle.SignInAccount, Key: key}, throttle.Limit{Policy: throttle.SignInIP, Key: ip})
	if err != nil {
		return User{}, 0, err
	}
	if wait > 0 {
		return User{}, 0, &ThrottledError{Wait: wait}
	}
	ok := false
	if found {
		// An account without a usable password (an invitation not yet accepted) fails the same way.
		ok, _ = CheckPassword(password, hash)
	} else {
		_, _ = CheckPassword(password, dummyHash)
	}
	if !ok {
		if err := audit.Record(ctx, pool, audit.Entry{ActorLabel: truncate(login, 100), Action: "account.signin_failed", IP: ip}); err != nil {
			return User{}, 0, err
		}
		return User{}, 0, ErrBadCredentials
	}
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		if err := throttle.Clear(ctx, tx, throttle.SignInAccount, key); err != nil {
			return err
		}
		if err := attempt.Forget(ctx, tx, throttle.SignInIP); err != nil {
			return err
		}
		if err := RecordSignIn(ctx, tx, id, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: id, Action: "account.signin", ObjectType: "user", ObjectID: strconv.FormatInt(id, 10), IP: ip})
	})
	if err != nil {
		return User{}, 0, err
	}
	u, err := ByID(ctx, pool, id)
	if err != nil {
		return User{}, 0, err
	}
	return u, epoch, nil
}

// CheckCurrentPassword checks the password of a signed-in user who asks to change it. Wrong
// passwords count as failed sign-ins of the account (throttle.SignInAccount, counted before the
// hash like SignIn), so the current password cannot be guessed here beyond the sign-in limits;
// a right one clears the account's failures. It returns nil, ErrBadCredentials or
// *ThrottledError.
func CheckCurrentPassword(ctx context.Context, pool *pgxpool.Pool, userID int64, password, ip string, now time.Time) error {
	var hash string
	if err := pool.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1`, userID).Scan(&hash); err != nil {
		return fmt.Errorf("account: current password: %w", err)
	}
	key := LimitKey(userID)
	_, wait, err := throttle.Take(ctx, pool, now, throttle.Limit{Policy: throttle.SignInAccount, Key: key})
	if err != nil {
		return err
	}
	if wait > 0 {
		return &ThrottledError{Wait: wait}
	}
	if ok, _ := CheckPassword(password, hash); !ok {
		if err := audit.Record(ctx, pool, audit.Entry{ActorID: userID, Action: "account.current_password_failed", ObjectType: "user",
			ObjectID: strconv.FormatInt(userID, 10), IP: ip}); err != nil {
			return err
		}
		return ErrBadCredentials
	}
	return throttle.Clear(ctx, pool, throttle.SignInAccount, key)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
