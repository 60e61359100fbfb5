package account

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/throttle"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// Two-factor sign-in with TOTP (DOMAIN.md, "People and roles": staff roles require it,
// applicants and nominators may turn it on).

// RefusedCodeError is a second-factor code that was not accepted. Message says why, for the
// user; Wait is set when the code was not even checked because too many wrong codes came before
// (throttle.TwoFactor).
type RefusedCodeError struct {
	Message string
	Wait    time.Duration
}

func (e *RefusedCodeError) Error() string { return "account: second-factor code refused: " + e.Message }

// Refused is the message for the user and the wait of a refused code (Refusal).
func (e *RefusedCodeError) Refused() (string, time.Duration) { return e.Message, e.Wait }

// errRollback undoes a transaction on purpose (the caller knows why).
var errRollback = errors.New("account: rollback")

// twoFactorKey is the throttle key of a user's second-factor attempts.
func twoFactorKey(userID int64) string { return "user:" + strconv.FormatInt(userID, 10) }

// checkSecondFactor verifies code for userID: an authenticator code when it is six digits, a
// recovery code otherwise (recoveryOnly: always a recovery code). Wrong codes are limited per
// account by throttle.TwoFactor; the user's row is locked meanwhile, so parallel guesses queue up
// and count one by one. A refused code is a *RefusedCodeError (its failure and count are
// committed). When the code is accepted, then (if not nil) runs in the same transaction, and its
// error rolls everything back. It reports whether a recovery code was spent.
func (s *Service) checkSecondFactor(ctx context.Context, userID int64, code string, recoveryOnly bool, then func(tx pgx.Tx) error) (bool, error) {
	now := s.Now()
	ip := audit.IPFrom(ctx)
	key := twoFactorKey(userID)
	var (
		refused      *RefusedCodeError
		usedRecovery bool
	)
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, userID); err != nil {
			return err
		}
		wait, err := throttle.Check(ctx, tx, throttle.TwoFactor, key, now)
		if err != nil {
			return err
		}
		if wait > 0 {
			refused = &RefusedCodeError{Wait: wait, Message: i18n.Msg("Too many wrong codes. For your security, try again {{.When}}.", "When", throttle.Phrase(wait))}
			return nil
		}
		var verr error
		if recoveryOnly {
			_, verr = UseRecoveryCode(ctx, tx, userID, code, now, ip)
			usedRecovery = verr == nil
		} else {
			usedRecovery, verr = VerifySecondFactor(ctx, tx, s.keys, userID, code, now, ip)
		}
		if errors.Is(verr, ErrCodeInvalid) {
			// Commit the failed-code audit entry and count the attempt.
			refused = &RefusedCodeError{Message: i18n.M("That code is not right. Check you are using the code for Prize Portal and enter the newest one.")}
			if recoveryOnly || !LooksLikeTOTP(code) {
				refused.Message = i18n.M("That recovery code is not right, or it has been used already.")
			}
			return throttle.Hit(ctx, tx, throttle.TwoFactor, key, now)
		}
		if verr != nil {
			return verr
		}
		if err := throttle.Clear(ctx, tx, throttle.TwoFactor, key); err != nil {
			return err
		}
		if then != nil {
			return then(tx)
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	if refused != nil {
		return false, refused
	}
	return usedRecovery, nil
}

// SecondFactor is the outcome of an accepted sign-in code.
type SecondFactor struct {
	// UsedRecovery reports that a recovery code was spent; CodesLeft is then how many remain.
	UsedRecovery bool
	CodesLeft    int
}

// VerifySignIn checks the second factor of userID's sign-in (recovery: the code is a recovery
// code), under the limit of wrong codes per account, and records the verification. A refused
// code, or an empty one, is a *RefusedCodeError.
func (s *Service) VerifySignIn(ctx context.Context, userID int64, code string, recovery bool) (SecondFactor, error) {
	if strings.TrimSpace(code) == "" && recovery {
		return SecondFactor{}, &RefusedCodeError{Message: i18n.M("Enter one of your recovery codes")}
	} else if strings.TrimSpace(code) == "" {
		return SecondFactor{}, &RefusedCodeError{Message: i18n.M("Enter the 6-digit code from your authenticator app")}
	}
	usedRecovery, err := s.checkSecondFactor(ctx, userID, code, recovery, func(tx pgx.Tx) error {
		return audit.Record(ctx, tx, audit.Entry{ActorID: userID, Action: "two_factor.verified", ObjectType: "user",
			ObjectID: strconv.FormatInt(userID, 10), Details: map[string]any{"recovery_code": recovery || !LooksLikeTOTP(code)}})
	})
	if err != nil {
		return SecondFactor{}, err
	}
	res := SecondFactor{UsedRecovery: usedRecovery}
	if usedRecovery {
		info, err := TwoFactorInfo(ctx, s.Pool, userID)
		if err != nil {
			return res, err
		}
		res.CodesLeft = info.CodesLeft
	}
	return res, nil
}

// EnableTwoFactor turns TOTP on for userID with the key secret being enrolled, once code shows
// the authenticator holds it, and returns the new recovery codes, to be shown once. With
// replacing (moving to a new authenticator), current, a code of the present second factor, is
// checked first under the limit of wrong codes (*RefusedCodeError). Missing or malformed input
// and a wrong new code give field.Errors ("current", "code").
func (s *Service) EnableTwoFactor(ctx context.Context, userID int64, secret, current, code string, replacing bool) ([]string, error) {
	var errs field.Errors
	if replacing && strings.TrimSpace(current) == "" {
		errs.Add("current", "Enter a code from your current authenticator app, or a recovery code")
	}
	if strings.TrimSpace(code) == "" {
		errs.Add("code", "Enter the 6-digit code the app shows")
	} else if !LooksLikeTOTP(code) {
		errs.Add("code", "Enter the code as 6 digits, for example 123456")
	}
	if errs.Any() {
		return nil, errs
	}
	var codes []string
	confirm := func(tx pgx.Tx) error {
		var err error
		codes, err = EnableTOTP(ctx, tx, s.keys, userID, secret, code, s.Now(), audit.IPFrom(ctx))
		if errors.Is(err, ErrCodeInvalid) {
			errs.Add("code", "That code is not right. Check the app added Prize Portal and enter the newest code it shows.")
			return errRollback
		}
		return err
	}
	var err error
	if replacing {
		_, err = s.checkSecondFactor(ctx, userID, current, false, confirm)
	} else {
		err = db.InTx(ctx, s.Pool, confirm)
	}
	if err != nil && !errors.Is(err, errRollback) {
		return nil, err
	}
	if errs.Any() {
		return nil, errs
	}
	return codes, nil
}

// errNoCode is the refusal of an empty code.
func errNoCode() error {
	return &RefusedCodeError{Message: i18n.M("Enter a code from your authenticator app, or a recovery code")}
}

// RegenerateRecoveryCodes replaces userID's recovery codes (the old ones stop working) once code,
// from their authenticator or a recovery code, is accepted (*RefusedCodeError), and returns the
// new codes, to be shown once.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, userID int64, code string) ([]string, error) {
	if strings.TrimSpace(code) == "" {
		return nil, errNoCode()
	}
	var codes []string
	_, err := s.checkSecondFactor(ctx, userID, code, false, func(tx pgx.Tx) (err error) {
		codes, err = RegenerateRecoveryCodes(ctx, tx, userID, s.Now(), audit.IPFrom(ctx))
		return err
	})
	return codes, err
}

// DisableTwoFactor turns two-factor sign-in off for userID once code is accepted
// (*RefusedCodeError). Staff roles require two-factor sign-in (DOMAIN.md, "People and roles"):
// for them it stays on, whatever the code (ErrTwoFactorRequired).
func (s *Service) DisableTwoFactor(ctx context.Context, userID int64, code string) error {
	if _, required, err := TwoFactorStatus(ctx, s.Pool, userID); err != nil {
		return err
	} else if required {
		return ErrTwoFactorRequired
	}
	if strings.TrimSpace(code) == "" {
		return errNoCode()
	}
	_, err := s.checkSecondFactor(ctx, userID, code, false, func(tx pgx.Tx) error {
		return DisableTOTP(ctx, tx, userID, s.Now(), audit.IPFrom(ctx))
	})
	return err
}
