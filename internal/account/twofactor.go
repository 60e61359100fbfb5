package account

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"image/png"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/keyring"
	"prizeportal/internal/db"
)

// Two-factor sign-in with TOTP (RFC 6238): staff roles require it, applicants and nominators may
// enable it (DOMAIN.md, "People and roles").

// TOTPIssuer names the portal in authenticator apps.
const TOTPIssuer = "Prize Portal"

// RecoveryCodeCount is how many single-use recovery codes a user gets at a time.
const RecoveryCodeCount = 10

const (
	totpPeriod = 30 // seconds per time step
	totpSkew   = 1  // steps accepted either side of the current one (clock drift, typing time)
)

// Errors of two-factor sign-in. Pages say what went wrong without internal detail.
var (
	// ErrCodeInvalid means a code is wrong, expired, already used, or the user has no TOTP.
	ErrCodeInvalid = errors.New("account: two-factor code invalid")
	// ErrTwoFactorRequired means the user's roles require two-factor sign-in, so it cannot be
	// turned off.
	ErrTwoFactorRequired = fault.New(fault.Forbidden, "Your role in the prize needs two-factor sign-in, so it cannot be turned off.")
)

// staffRoles are the roles that require two-factor sign-in (authz.RequiresSecondFactor).
var staffRoles = func() []string {
	var out []string
	for _, r := range authz.Roles {
		if authz.RequiresSecondFactor(r) {
			out = append(out, string(r))
		}
	}
	return out
}()

// TwoFactorStatus reports whether userID has confirmed TOTP enrolment and whether their roles
// require two-factor sign-in: any staff role (secretariat, evaluator, committee head, council,
// admin) in any edition does. A missing user gives db.ErrNotFound.
func TwoFactorStatus(ctx context.Context, q db.DBTX, userID int64) (enrolled, required bool, err error) {
	err = q.QueryRow(ctx, `
		SELECT u.totp_enabled_at IS NOT NULL,
		       EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = ANY($2))
		FROM users u WHERE u.id = $1`, userID, staffRoles).Scan(&enrolled, &required)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, false, fmt.Errorf("account: two-factor status of %d: %w", userID, db.ErrNotFound)
	}
	if err != nil {
		return false, false, fmt.Errorf("account: two-factor status: %w", err)
	}
	return enrolled, required, nil
}

// TwoFactorDetails is what the account page shows about a user's two-factor sign-in.
type TwoFactorDetails struct {
	Enrolled  bool
	Required  bool
	EnabledAt time.Time // zero when not enrolled
	CodesLeft int       // unused recovery codes
}

// TwoFactorInfo returns userID's two-factor state. A missing user gives db.ErrNotFound.
func TwoFactorInfo(ctx context.Context, q db.DBTX, userID int64) (TwoFactorDetails, error) {
	var d TwoFactorDetails
	var enabledAt *time.Time
	err := q.QueryRow(ctx, `
		SELECT u.totp_enabled_at,
		       EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = ANY($2)),
		       (SELECT count(*) FROM recovery_codes c WHERE c.user_id = u.id AND c.used_at IS NULL)
		FROM users u WHERE u.id = $1`, userID, staffRoles).Scan(&enabledAt, &d.Required, &d.CodesLeft)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, fmt.Errorf("account: two-factor info of %d: %w", userID, db.ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("account: two-factor info: %w", err)
	}
	if enabledAt != nil {
		d.Enrolled, d.EnabledAt = true, *enabledAt
	}
	return d, nil
}

// TOTPSetup is a TOTP key being enrolled: not stored until the user confirms it with a code
// (EnableTOTP), so the caller keeps Secret meanwhile (in the server-side session).
type TOTPSetup struct {
	// Secret is the base32 shared secret, to type into an authenticator app by hand.
	Secret string
	// AccountName is the user's login ID, as the authenticator app shows it.
	AccountName string
	// URL is the otpauth:// URL the QR code encodes.
	URL string
}

// NewTOTPSetup prepares TOTP enrolment for userID: with secret "" it generates a new random key,
// otherwise it rebuilds the setup for the secret generated earlier (so a reloaded page shows the
// same QR code). A missing or deactivated user gives db.ErrNotFound.
func NewTOTPSetup(ctx context.Context, q db.DBTX, userID int64, secret string) (TOTPSetup, error) {
	var login string
	err := q.QueryRow(ctx, `SELECT login_id FROM users WHERE id = $1 AND deactivated_at IS NULL`, userID).Scan(&login)
	if errors.Is(err, pgx.ErrNoRows) {
		return TOTPSetup{}, fmt.Errorf("account: totp setup for %d: %w", userID, db.ErrNotFound)
	}
	if err != nil {
		return TOTPSetup{}, fmt.Errorf("account: totp setup: %w", err)
	}
	opts := totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: login, Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	if secret != "" {
		raw, err := decodeSecret(secret)
		if err != nil {
			return TOTPSetup{}, fmt.Errorf("account: totp setup: %w", err)
		}
		opts.Secret = raw
	}
	key, err := totp.Generate(opts)
	if err != nil {
		return TOTPSetup{}, fmt.Errorf("account: totp setup: %w", err)
	}
	return TOTPSetup{Secret: key.Secret(), AccountName: login, URL: key.URL()}, nil
}

// QRCode returns the setup's otpauth URL as a PNG QR code of size x size pixels.
func (s TOTPSetup) QRCode(size int) ([]byte, error) {
	key, err := otp.NewKeyFromURL(s.URL)
	if err != nil {
		return nil, fmt.Errorf("account: qr code: %w", err)
	}
	img, err := key.Image(size, size)
	if err != nil {
		return nil, fmt.Errorf("account: qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("account: qr code: %w", err)
	}
	return buf.Bytes(), nil
}

// SecretGroups returns the secret in groups of four characters, easier to read and type.
func (s TOTPSetup) SecretGroups() []string {
	var groups []string
	for i := 0; i < len(s.Secret); i += 4 {
		groups = append(groups, s.Secret[i:min(i+4, len(s.Secret))])
	}
	return groups
}

func decodeSecret(secret string) ([]byte, error) {
	secret = strings.ToUpper(strings.Join(strings.Fields(secret), ""))
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(secret, "="))
}

// matchStep returns the time step (within ±totpSkew of now) whose code equals code, or false.
func matchStep(secret, code string, now time.Time) (int64, bool) {
	code = normaliseTOTP(code)
	if len(code) != 6 {
		return 0, false
	}
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	current := now.Unix() / totpPeriod
	for step := current - totpSkew; step <= current+totpSkew; step++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), opts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// normaliseTOTP drops the spaces and hyphens people type or paste into a code.
func normaliseTOTP(code string) string {
	return strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(strings.TrimSpace(code))
}

// LooksLikeTOTP reports whether code has the shape of an authenticator code (six digits) rather
// than a recovery code.
func LooksLikeTOTP(code string) bool {
	code = normaliseTOTP(code)
	if len(code) != 6 {
		return false
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// EnableTOTP confirms enrolment of secret for userID with a code from the user's authenticator
// app; only then is two-factor sign-in on. The secret is stored sealed with keys (SealTOTP). It replaces any earlier key, creates a fresh set of
// recovery codes (returned in plain text, to be shown once) and records the audit entry. A wrong
// code gives ErrCodeInvalid and changes nothing. Call it in a transaction.
func EnableTOTP(ctx context.Context, tx pgx.Tx, keys *keyring.Keyring, userID int64, secret, code string, now time.Time, ip string) ([]string, error) {
	step, ok := matchStep(secret, code, now)
	if !ok {
		return nil, ErrCodeInvalid
	}
	var replaced bool
	err := tx.QueryRow(ctx, `SELECT totp_enabled_at IS NOT NULL FROM users WHERE id = $1 AND deactivated_at IS NULL FOR UPDATE`, userID).Scan(&replaced)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("account: enable totp for %d: %w", userID, db.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("account: enable totp: %w", err)
	}
	// The confirming code counts as used: it cannot then sign in.
	_, err = tx.Exec(ctx, `
		UPDATE users SET totp_secret = $2, totp_enabled_at = $3, totp_last_step = greatest(totp_last_step, $4), updated_at = $3
		WHERE id = $1`, userID, SealTOTP(keys, userID, secret), now, step)
	if err != nil {
		return nil, fmt.Errorf("account: enable totp: %w", err)
	}
	codes, err := replaceRecoveryCodes(ctx, tx, userID, now)
	if err != nil {
		return nil, err
	}
	if err := audit.Record(ctx, tx, audit.Entry{
		ActorID: userID, Action: "two_factor.enable", ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10), IP: ip,
		Details: map[string]any{"method": "totp", "replaced_key": replaced},
	}); err != nil {
		return nil, fmt.Errorf("account: enable totp: %w", err)
	}
	return codes, nil
}

// VerifyTOTP checks a code from userID's authenticator app at sign-in. Codes of the current time
// step and one step either side are accepted, each at most once: the accepted step is remembered
// and a code of that step or an earlier one is refused (no replay). A wrong code gives
// ErrCodeInvalid and records a failed-code audit entry, so the caller must commit the transaction
// in that case too.
func VerifyTOTP(ctx context.Context, q db.DBTX, keys *keyring.Keyring, userID int64, code string, now time.Time, ip string) error {
	var stored *string
	var last int64
	err := q.QueryRow(ctx, `SELECT totp_secret, totp_last_step FROM users WHERE id = $1 AND totp_enabled_at IS NOT NULL`, userID).Scan(&stored, &last)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("account: verify totp: %w", err)
	}
	if stored != nil {
		secret, err := OpenTOTP(keys, userID, *stored)
		if err != nil {
			return fmt.Errorf("account: verify totp of %d: %w", userID, err)
		}
		if step, ok := matchStep(secret, code, now); ok && step > last {
			// The conditional update makes two concurrent uses of one code count once; a secret
			// still in plain text (stored before encryption) is sealed on the way.
			tag, err := q.Exec(ctx, `UPDATE users SET totp_last_step = $2, totp_secret = $3 WHERE id = $1 AND totp_last_step < $2`,
				userID, step, resealed(keys, userID, secret, *stored))
			if err != nil {
				return fmt.Errorf("account: verify totp: %w", err)
			}
			if tag.RowsAffected() == 1 {
				return nil
			}
		}
	}
	if err := recordFailedCode(ctx, q, userID, "totp", ip); err != nil {
		return err
	}
	return ErrCodeInvalid
}

// totpContext binds a sealed TOTP secret to its account: copied to another row, it does not open.
func totpContext(userID int64) string { return "totp:" + strconv.FormatInt(userID, 10) }

// SealTOTP returns userID's TOTP secret sealed with keys, as it is stored: the database never
// holds the secret itself (whoever reads it could make the user's codes).
func SealTOTP(keys *keyring.Keyring, userID int64, secret string) string {
	return keys.Seal(secret, totpContext(userID))
}

// OpenTOTP returns the TOTP secret of userID from its stored form: sealed (SealTOTP) with any key
// of keys, or still in plain text when stored before secrets were sealed (SealTOTPSecrets seals
// those at start).
func OpenTOTP(keys *keyring.Keyring, userID int64, stored string) (string, error) {
	if !keyring.Sealed(stored) {
		return stored, nil
	}
	return keys.Open(stored, totpContext(userID))
}

// resealed is what to store for secret, whose stored form is stored: stored itself when it is
// sealed with the first key, a new seal otherwise (plain text, or an older key).
func resealed(keys *keyring.Keyring, userID int64, secret, stored string) string {
	if keyring.Sealed(stored) && keys.Current(stored) {
		return stored
	}
	return SealTOTP(keys, userID, secret)
}

// SealTOTPSecrets seals every stored TOTP secret that is in plain text (stored before secrets
// were sealed) or sealed with a key other than the first of keys (after a rotation), so that no
// plain secret is left and older keys can be removed. Serve runs it at start; several instances
// may run it at once (a row changed meanwhile is left to the one that changed it). It returns how
// many secrets it sealed; a secret no key opens is an error, and nothing is changed.
func SealTOTPSecrets(ctx context.Context, pool *pgxpool.Pool, keys *keyring.Keyring) (int, error) {
	n := 0
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		type stale struct {
			ID     int64
			Stored string
		}
		all, err := db.List(ctx, tx, "", pgx.RowToStructByPos[stale], `SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL`)
		if err != nil {
			return err
		}
		for _, s := range all {
			if keyring.Sealed(s.Stored) && keys.Current(s.Stored) {
				continue
			}
			secret, err := OpenTOTP(keys, s.ID, s.Stored)
			if err != nil {
				return fmt.Errorf("user %d: %w (is a key missing from PORTAL_SECRET_KEYS?)", s.ID, err)
			}
			tag, err := tx.Exec(ctx, `UPDATE users SET totp_secret = $3 WHERE id = $1 AND totp_secret = $2`, s.ID, s.Stored, SealTOTP(keys, s.ID, secret))
			if err != nil {
				return err
			}
			n += int(tag.RowsAffected())
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("account: seal totp secrets: %w", err)
	}
	return n, nil
}

func recordFailedCode(ctx context.Context, q db.DBTX, userID int64, method, ip string) error {
	err := audit.Record(ctx, q, audit.Entry{
		ActorID: userID, Action: "two_factor.code_failed", ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10), IP: ip,
		Details: map[string]any{"method": method},
	})
	if err != nil {
		return fmt.Errorf("account: record failed code: %w", err)
	}
	return nil
}

// Recovery codes: ten random codes of ten base32 characters (50 bits each), shown as
// "ABCDE-FGHIJ"; only their SHA-256 hash is stored, and each works once.

func newRecoveryCode() string {
	t := rand.Text() // 26 base32 characters from crypto/rand
	return t[:5] + "-" + t[5:10]
}

// recoveryCodeCleaner drops separators and maps the digits people confuse with base32 letters
// (base32 has no 0, 1 or 8) to those letters.
var recoveryCodeCleaner = strings.NewReplacer(" ", "", "-", "", "\u00a0", "", "0", "O", "1", "I", "8", "B")

func hashRecoveryCode(code string) []byte {
	code = recoveryCodeCleaner.Replace(strings.ToUpper(strings.TrimSpace(code)))
	sum := sha256.Sum256([]byte(code))
	return sum[:]
}

// replaceRecoveryCodes deletes userID's recovery codes and stores a new set, returned in plain text.
func replaceRecoveryCodes(ctx context.Context, q db.DBTX, userID int64, now time.Time) ([]string, error) {
	if _, err := q.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return nil, fmt.Errorf("account: replace recovery codes: %w", err)
	}
	codes := make([]string, RecoveryCodeCount)
	hashes := make([][]byte, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		hashes[i] = hashRecoveryCode(codes[i])
	}
	_, err := q.Exec(ctx, `
		INSERT INTO recovery_codes (user_id, code_hash, created_at)
		SELECT $1, h, $3 FROM unnest($2::bytea[]) AS h`, userID, hashes, now)
	if err != nil {
		return nil, fmt.Errorf("account: replace recovery codes: %w", err)
	}
	return codes, nil
}

// RegenerateRecoveryCodes replaces userID's recovery codes with a new set (the old ones stop
// working) and returns the new codes in plain text, to be shown once. The user must have TOTP
// enrolled (else ErrCodeInvalid). Call it in a transaction.
func RegenerateRecoveryCodes(ctx context.Context, tx pgx.Tx, userID int64, now time.Time, ip string) ([]string, error) {
	enrolled, _, err := TwoFactorStatus(ctx, tx, userID)
	if err != nil {
		return nil, err
	}
	if !enrolled {
		return nil, ErrCodeInvalid
	}
	codes, err := replaceRecoveryCodes(ctx, tx, userID, now)
	if err != nil {
		return nil, err
	}
	if err := audit.Record(ctx, tx, audit.Entry{
		ActorID: userID, Action: "two_factor.recovery_codes_regenerate", ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10), IP: ip,
	}); err != nil {
		return nil, fmt.Errorf("account: regenerate recovery codes: %w", err)
	}
	return codes, nil
}

// UseRecoveryCode spends one of userID's recovery codes in place of an authenticator code and
// returns how many are left. An unknown or used code gives ErrCodeInvalid and records a
// failed-code audit entry, so the caller must commit the transaction in that case too.
func UseRecoveryCode(ctx context.Context, q db.DBTX, userID int64, code string, now time.Time, ip string) (int, error) {
	tag, err := q.Exec(ctx, `
		UPDATE recovery_codes c SET used_at = $3
		FROM users u
		WHERE c.user_id = $1 AND c.code_hash = $2 AND c.used_at IS NULL
		  AND u.id = c.user_id AND u.totp_enabled_at IS NOT NULL`, userID, hashRecoveryCode(code), now)
	if err != nil {
		return 0, fmt.Errorf("account: use recovery code: %w", err)
	}
	if tag.RowsAffected() != 1 {
		if err := recordFailedCode(ctx, q, userID, "recovery_code", ip); err != nil {
			return 0, err
		}
		return 0, ErrCodeInvalid
	}
	var left int
	if err := q.QueryRow(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&left); err != nil {
		return 0, fmt.Errorf("account: use recovery code: %w", err)
	}
	if err := audit.Record(ctx, q, audit.Entry{
		ActorID: userID, Action: "two_factor.recovery_code_use", ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10), IP: ip,
		Details: map[string]any{"codes_left": left},
	}); err != nil {
		return 0, fmt.Errorf("account: use recovery code: %w", err)
	}
	return left, nil
}

// VerifySecondFactor checks code as an authenticator code when it is six digits, and as a recovery
// code otherwise. It reports whether a recovery code was spent. Errors as VerifyTOTP and
// UseRecoveryCode (a wrong code is audited: commit the transaction on ErrCodeInvalid too).
func VerifySecondFactor(ctx context.Context, q db.DBTX, keys *keyring.Keyring, userID int64, code string, now time.Time, ip string) (usedRecovery bool, err error) {
	if LooksLikeTOTP(code) {
		return false, VerifyTOTP(ctx, q, keys, userID, code, now, ip)
	}
	_, err = UseRecoveryCode(ctx, q, userID, code, now, ip)
	return err == nil, err
}

// DisableTOTP turns two-factor sign-in off for userID and deletes their recovery codes. Users whose
// roles require two-factor sign-in (staff) cannot turn it off: ErrTwoFactorRequired. Call it in a
// transaction.
func DisableTOTP(ctx context.Context, tx pgx.Tx, userID int64, now time.Time, ip string) error {
	// Lock the user first, so a role granted at the same moment is seen.
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM users WHERE id = $1 FOR UPDATE`, userID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("account: disable totp for %d: %w", userID, db.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("account: disable totp: %w", err)
	}
	enrolled, required, err := TwoFactorStatus(ctx, tx, userID)
	if err != nil {
		return err
	}
	if required {
		return ErrTwoFactorRequired
	}
	if !enrolled {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, updated_at = $2 WHERE id = $1`, userID, now); err != nil {
		return fmt.Errorf("account: disable totp: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("account: disable totp: %w", err)
	}
	if err := audit.Record(ctx, tx, audit.Entry{
		ActorID: userID, Action: "two_factor.disable", ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10), IP: ip,
	}); err != nil {
		return fmt.Errorf("account: disable totp: %w", err)
	}
	return nil
}

// ResetTOTP is an administrator's way out for a user who lost both their authenticator and their
// recovery codes: it turns two-factor sign-in off and deletes the recovery codes, whatever the
// user's roles (staff are then asked to set it up again at their next sign-in), and ends the
// user's sessions. byID is the administrator. Call it in a transaction.
func ResetTOTP(ctx context.Context, tx pgx.Tx, userID, byID int64, now time.Time, ip string) error {
	tag, err := tx.Exec(ctx, `
		UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, session_epoch = session_epoch + 1, updated_at = $2
		WHERE id = $1`, userID, now)
	if err != nil {
		return fmt.Errorf("account: reset totp: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("account: reset totp for %d: %w", userID, db.ErrNotFound)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("account: reset totp: %w", err)
	}
	if err := audit.Record(ctx, tx, audit.Entry{
		ActorID: byID, Action: "two_factor.reset", ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10), IP: ip,
	}); err != nil {
		return fmt.Errorf("account: reset totp: %w", err)
	}
	return nil
}
