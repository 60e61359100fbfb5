package account_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pquerna/otp/totp"

	"prizeportal/internal/account"
	"prizeportal/internal/blocks/keyring"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
)

// testKeys seal the TOTP secrets of these tests.
var testKeys = func() *keyring.Keyring {
	raw, err := keyring.ParseKeys(keyring.NewKey())
	if err != nil {
		panic(err)
	}
	k, err := keyring.New(raw)
	if err != nil {
		panic(err)
	}
	return k
}()

// t0 is the start of a TOTP time step, so that t0 ± 30 s are exactly the neighbouring steps.
var t0 = time.Date(2023, 5, 10, 3, 0, 0, 0, time.UTC)

func newUser(t *testing.T, pool *pgxpool.Pool, login string) int64 {
	t.Helper()
	var id int64
	err := pool.QueryRow(context.Background(), `
		INSERT INTO users (login_id, email, name, password_hash) VALUES ($1, $1 || '@example.org', 'Test User', 'x') RETURNING id`,
		login).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// withUser is a new test database holding the user login (newUser).
func withUser(t *testing.T, login string) (context.Context, *pgxpool.Pool, int64) {
	t.Helper()
	pool := dbtest.New(t)
	return context.Background(), pool, newUser(t, pool, login)
}

// refusesTOTP checks that the code of user id, typed at the time at from address ip, is refused as
// ErrCodeInvalid; what names the case.
func refusesTOTP(t *testing.T, pool *pgxpool.Pool, id int64, code string, at time.Time, ip, what string) {
	t.Helper()
	if err := account.VerifyTOTP(context.Background(), pool, testKeys, id, code, at, ip); !errors.Is(err, account.ErrCodeInvalid) {
		t.Errorf("%s: %v, want ErrCodeInvalid", what, err)
	}
}

func grant(t *testing.T, pool *pgxpool.Pool, userID int64, role string, editionID *int64) {
	t.Helper()
	dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, $2, $3)`, userID, role, editionID)
}

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enrol enrols userID at t0 and returns the secret and the recovery codes.
func enrol(t *testing.T, pool *pgxpool.Pool, userID int64) (string, []string) {
	t.Helper()
	ctx := context.Background()
	setup, err := account.NewTOTPSetup(ctx, pool, userID, "")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		codes, err = account.EnableTOTP(ctx, tx, testKeys, userID, setup.Secret, code(t, setup.Secret, t0), t0, "192.0.2.1")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return setup.Secret, codes
}

func auditCount(t *testing.T, pool *pgxpool.Pool, userID int64, action string) int {
	t.Helper()
	return dbtest.Count(t, pool, `SELECT count(*) FROM audit_log WHERE actor_id = $1 AND action = $2`, userID, action)
}

func TestTwoFactorStatusRequiredForStaffRoles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	def, err := edition.ParseBuiltin("seoul-2023")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := edition.Import(ctx, pool, def); err != nil {
		t.Fatal(err)
	}
	var editionID int64
	if err := pool.QueryRow(ctx, `SELECT id FROM editions WHERE slug = $1`, def.Slug).Scan(&editionID); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		role     string
		required bool
	}{
		{"", false},
		{"applicant", false},
		{"nominator", false},
		{"secretariat", true},
		{"evaluator", true},
		{"committee_head", true},
		{"council", true},
		{"admin", true},
	} {
		name := tc.role
		if name == "" {
			name = "no-role"
		}
		id := newUser(t, pool, name)
		switch tc.role {
		case "":
		case "admin":
			grant(t, pool, id, tc.role, nil)
		default:
			grant(t, pool, id, tc.role, &editionID)
		}
		enrolled, required, err := account.TwoFactorStatus(ctx, pool, id)
		if err != nil {
			t.Fatal(err)
		}
		if enrolled || required != tc.required {
			t.Errorf("%s: enrolled %v required %v, want false %v", name, enrolled, required, tc.required)
		}
	}
	if _, _, err := account.TwoFactorStatus(ctx, pool, 999999); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("missing user: %v, want ErrNotFound", err)
	}
}

func TestTOTPSetupKeyAndQRCode(t *testing.T) {
	t.Parallel()
	ctx, pool, id := withUser(t, "ada")
	setup, err := account.NewTOTPSetup(ctx, pool, id, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(setup.Secret) != 32 || setup.AccountName != "ada" {
		t.Fatalf("setup %+v", setup)
	}
	if !strings.HasPrefix(setup.URL, "otpauth://totp/Prize%20Portal:ada?") || !strings.Contains(setup.URL, "issuer=Prize%20Portal") {
		t.Errorf("url %q", setup.URL)
	}
	if g := setup.SecretGroups(); len(g) != 8 || strings.Join(g, "") != setup.Secret {
		t.Errorf("groups %q", g)
	}
	png, err := setup.QRCode(200)
	if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Fatalf("qr code: %v", err)
	}
	again, err := account.NewTOTPSetup(ctx, pool, id, setup.Secret)
	if err != nil || again.Secret != setup.Secret || again.URL != setup.URL {
		t.Fatalf("rebuilt setup %+v, %v; want the same key", again, err)
	}
	other, _ := account.NewTOTPSetup(ctx, pool, id, "")
	if other.Secret == setup.Secret {
		t.Error("two new setups share a secret")
	}
}

func TestEnableTOTPNeedsAValidCode(t *testing.T) {
	t.Parallel()
	ctx, pool, id := withUser(t, "bea")
	setup, _ := account.NewTOTPSetup(ctx, pool, id, "")
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		_, err := account.EnableTOTP(ctx, tx, testKeys, id, setup.Secret, code(t, setup.Secret, t0.Add(-5*time.Minute)), t0, "")
		return err
	})
	if !errors.Is(err, account.ErrCodeInvalid) {
		t.Fatalf("stale code: %v, want ErrCodeInvalid", err)
	}
	if enrolled, _, _ := account.TwoFactorStatus(ctx, pool, id); enrolled {
		t.Fatal("enrolled without a valid code")
	}
	secret, codes := enrol(t, pool, id)
	if len(codes) != account.RecoveryCodeCount {
		t.Fatalf("%d recovery codes", len(codes))
	}
	info, err := account.TwoFactorInfo(ctx, pool, id)
	if err != nil || !info.Enrolled || !info.EnabledAt.Equal(t0) || info.CodesLeft != account.RecoveryCodeCount {
		t.Fatalf("info %+v, %v", info, err)
	}
	if n := auditCount(t, pool, id, "two_factor.enable"); n != 1 {
		t.Errorf("%d enable audit entries", n)
	}
	// The code that confirmed enrolment cannot sign in afterwards.
	refusesTOTP(t, pool, id, code(t, secret, t0), t0, "", "confirming code reused")
}

func TestVerifyTOTP(t *testing.T) {
	t.Parallel()
	ctx, pool, id := withUser(t, "cy")
	secret, _ := enrol(t, pool, id)
	now := t0.Add(10 * time.Minute)

	// One step behind (the clock of the phone lags) is accepted.
	if err := account.VerifyTOTP(ctx, pool, testKeys, id, code(t, secret, now.Add(-30*time.Second)), now, ""); err != nil {
		t.Fatalf("previous step: %v", err)
	}
	// The current step, typed with a space as some apps show it.
	c := code(t, secret, now)
	if err := account.VerifyTOTP(ctx, pool, testKeys, id, c[:3]+" "+c[3:], now, ""); err != nil {
		t.Fatalf("current step: %v", err)
	}
	// The same code again, even a second later within its step, is a replay.
	if err := account.VerifyTOTP(ctx, pool, testKeys, id, c, now.Add(time.Second), ""); !errors.Is(err, account.ErrCodeInvalid) {
		t.Fatalf("replayed code: %v, want ErrCodeInvalid", err)
	}
	// One step ahead is accepted; after it, a code of an earlier step is refused.
	if err := account.VerifyTOTP(ctx, pool, testKeys, id, code(t, secret, now.Add(30*time.Second)), now, ""); err != nil {
		t.Fatalf("next step: %v", err)
	}
	later := now.Add(30 * time.Second)
	if err := account.VerifyTOTP(ctx, pool, testKeys, id, code(t, secret, later.Add(-30*time.Second)), later, ""); !errors.Is(err, account.ErrCodeInvalid) {
		t.Fatalf("older step after newer: %v", err)
	}
	// Two steps away is too far.
	far := t0.Add(time.Hour)
	for _, at := range []time.Time{far.Add(-60 * time.Second), far.Add(60 * time.Second)} {
		refusesTOTP(t, pool, id, code(t, secret, at), far, "", fmt.Sprintf("code %v from %v", at, far))
	}
	// Wrong codes and garbage.
	for _, bad := range []string{"000000", "12345", "abcdef", ""} {
		if bad == code(t, secret, far) {
			continue
		}
		refusesTOTP(t, pool, id, bad, far, "192.0.2.9", fmt.Sprintf("code %q", bad))
	}
	if n := auditCount(t, pool, id, "two_factor.code_failed"); n != 8 {
		t.Errorf("%d failed-code audit entries, want 8", n)
	}
	// A user without TOTP has no code that works.
	other := newUser(t, pool, "dee")
	refusesTOTP(t, pool, other, code(t, secret, far), far, "", "user without totp")
}

func TestRecoveryCodes(t *testing.T) {
	t.Parallel()
	ctx, pool, id := withUser(t, "eve")
	_, codes := enrol(t, pool, id)
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 11 || c[5] != '-' || seen[c] {
			t.Fatalf("recovery code %q malformed or repeated", c)
		}
		seen[c] = true
	}
	var plain int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND position(convert_to($2, 'UTF8') in code_hash) > 0`, id, codes[0]).Scan(&plain); err != nil || plain != 0 {
		t.Fatalf("codes stored in plain text? %d %v", plain, err)
	}

	// Each code works once, typed in any case and without the hyphen.
	left, err := account.UseRecoveryCode(ctx, pool, id, strings.ToLower(strings.ReplaceAll(codes[0], "-", "")), t0, "")
	if err != nil || left != account.RecoveryCodeCount-1 {
		t.Fatalf("first use: %d, %v", left, err)
	}
	if _, err := account.UseRecoveryCode(ctx, pool, id, codes[0], t0, ""); !errors.Is(err, account.ErrCodeInvalid) {
		t.Fatalf("second use: %v, want ErrCodeInvalid", err)
	}
	if used, err := account.VerifySecondFactor(ctx, pool, testKeys, id, codes[1], t0, ""); err != nil || !used {
		t.Fatalf("recovery code through VerifySecondFactor: %v %v", used, err)
	}
	if _, err := account.UseRecoveryCode(ctx, pool, id, "AAAAA-AAAAA", t0, ""); !errors.Is(err, account.ErrCodeInvalid) {
		t.Fatalf("unknown code: %v", err)
	}
	if n := auditCount(t, pool, id, "two_factor.recovery_code_use"); n != 2 {
		t.Errorf("%d recovery-code audit entries, want 2", n)
	}

	// Regenerating invalidates every old code.
	var fresh []string
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		fresh, err = account.RegenerateRecoveryCodes(ctx, tx, id, t0, "")
		return err
	})
	if err != nil || len(fresh) != account.RecoveryCodeCount {
		t.Fatalf("regenerate: %d, %v", len(fresh), err)
	}
	if _, err := account.UseRecoveryCode(ctx, pool, id, codes[5], t0, ""); !errors.Is(err, account.ErrCodeInvalid) {
		t.Fatalf("old code after regenerate: %v", err)
	}
	if left, err := account.UseRecoveryCode(ctx, pool, id, fresh[9], t0, ""); err != nil || left != 9 {
		t.Fatalf("new code: %d, %v", left, err)
	}
	// Users without TOTP have no recovery codes to regenerate.
	other := newUser(t, pool, "fay")
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		_, err := account.RegenerateRecoveryCodes(ctx, tx, other, t0, "")
		return err
	})
	if !errors.Is(err, account.ErrCodeInvalid) {
		t.Errorf("regenerate without totp: %v", err)
	}
}

func TestDisableTOTPOnlyWhereAllowed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	disable := func(id int64) error {
		return db.InTx(ctx, pool, func(tx pgx.Tx) error { return account.DisableTOTP(ctx, tx, id, t0, "") })
	}

	applicant := newUser(t, pool, "gus")
	secret, codes := enrol(t, pool, applicant)
	if err := disable(applicant); err != nil {
		t.Fatal(err)
	}
	info, _ := account.TwoFactorInfo(ctx, pool, applicant)
	if info.Enrolled || info.CodesLeft != 0 {
		t.Fatalf("after disable: %+v", info)
	}
	refusesTOTP(t, pool, applicant, code(t, secret, t0.Add(time.Minute)), t0.Add(time.Minute), "", "totp after disable")
	if _, err := account.UseRecoveryCode(ctx, pool, applicant, codes[0], t0, ""); !errors.Is(err, account.ErrCodeInvalid) {
		t.Errorf("recovery code after disable: %v", err)
	}
	if n := auditCount(t, pool, applicant, "two_factor.disable"); n != 1 {
		t.Errorf("%d disable audit entries", n)
	}

	admin, err := account.CreateAdmin(ctx, pool, "root@example.org", account.TestHashParams)
	if err != nil {
		t.Fatal(err)
	}
	enrol(t, pool, admin.UserID)
	if err := disable(admin.UserID); !errors.Is(err, account.ErrTwoFactorRequired) {
		t.Fatalf("staff disable: %v, want ErrTwoFactorRequired", err)
	}
	if enrolled, _, _ := account.TwoFactorStatus(ctx, pool, admin.UserID); !enrolled {
		t.Fatal("staff two-factor was turned off")
	}
}

func TestRecoveryCodeTypedWithLookAlikeDigits(t *testing.T) {
	t.Parallel()
	ctx, pool, id := withUser(t, "hal")
	_, codes := enrol(t, pool, id)
	for _, c := range codes {
		if !strings.ContainsAny(c, "OIB") {
			continue
		}
		typed := strings.NewReplacer("O", "0", "I", "1", "B", "8").Replace(c)
		if _, err := account.UseRecoveryCode(ctx, pool, id, typed, t0, ""); err != nil {
			t.Fatalf("%q typed as %q: %v", c, typed, err)
		}
		return
	}
	t.Fatal("no recovery code has an O, I or B to type as a digit")
}

func TestAdminResetsTOTP(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	admin, err := account.CreateAdmin(ctx, pool, "ops@example.org", account.TestHashParams)
	if err != nil {
		t.Fatal(err)
	}
	staff := newUser(t, pool, "ivy")
	grant(t, pool, staff, "admin", nil)
	_, codes := enrol(t, pool, staff)
	_, epochBefore, _ := account.LoadActor(ctx, pool, staff)
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error { return account.ResetTOTP(ctx, tx, staff, admin.UserID, t0, "") })
	if err != nil {
		t.Fatal(err)
	}
	enrolled, required, _ := account.TwoFactorStatus(ctx, pool, staff)
	if enrolled || !required {
		t.Fatalf("after reset: enrolled %v required %v", enrolled, required)
	}
	if _, err := account.UseRecoveryCode(ctx, pool, staff, codes[0], t0, ""); !errors.Is(err, account.ErrCodeInvalid) {
		t.Errorf("recovery code after reset: %v", err)
	}
	if _, epoch, _ := account.LoadActor(ctx, pool, staff); epoch != epochBefore+1 {
		t.Error("reset did not end the user's sessions")
	}
	if auditCount(t, pool, admin.UserID, "two_factor.reset") != 1 {
		t.Error("no audit entry for the reset")
	}
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error { return account.ResetTOTP(ctx, tx, 424242, admin.UserID, t0, "") })
	if !errors.Is(err, db.ErrNotFound) {
		t.Errorf("reset of a missing user: %v", err)
	}
}

// TestPlainTOTPSecretsAreSealedAtStart: secrets stored in plain text before secrets were sealed
// are sealed with the first key by SealTOTPSecrets, and secrets sealed with a key since rotated
// out of first place still open and are sealed again; nothing is lost (the codes still work), no
// plain secret is left, and the old key can go.
func TestPlainTOTPSecretsAreSealedAtStart(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	legacy := newUser(t, pool, "legacy")
	const plain = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	dbtest.Exec(t, pool, `UPDATE users SET totp_secret = $2, totp_enabled_at = now() WHERE id = $1`, legacy, plain)
	// A secret sealed with an old key, now second in the keyring.
	oldKey, newKey := keyring.NewKey(), keyring.NewKey()
	oldRaw, _ := keyring.ParseKeys(oldKey)
	before, _ := keyring.New(oldRaw)
	rotated := newUser(t, pool, "rotated")
	dbtest.Exec(t, pool, `UPDATE users SET totp_secret = $2, totp_enabled_at = now() WHERE id = $1`, rotated, account.SealTOTP(before, rotated, plain))
	idle := newUser(t, pool, "idle")
	dbtest.Exec(t, pool, `UPDATE users SET totp_secret = $2, totp_enabled_at = now() WHERE id = $1`, idle, account.SealTOTP(before, idle, plain))
	bothRaw, _ := keyring.ParseKeys(newKey + "," + oldKey)
	keys, _ := keyring.New(bothRaw)
	// The rotated secret opens with the old key second, and is sealed with the new key as it is
	// used; the plain one and the one not used are sealed at start.
	if err := account.VerifyTOTP(ctx, pool, keys, rotated, code(t, plain, t0), t0, ""); err != nil {
		t.Fatalf("secret sealed with the old key: %v", err)
	}
	n, err := account.SealTOTPSecrets(ctx, pool, keys)
	if err != nil || n != 2 {
		t.Fatalf("sealed %d, %v; want 2", n, err)
	}
	if n, err := account.SealTOTPSecrets(ctx, pool, keys); err != nil || n != 0 {
		t.Fatalf("second run sealed %d, %v; want 0", n, err)
	}
	for _, id := range []int64{legacy, rotated, idle} {
		var stored string
		if err := pool.QueryRow(ctx, `SELECT totp_secret FROM users WHERE id = $1`, id).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stored, plain) || !keys.Current(stored) {
			t.Fatalf("user %d: stored %q", id, stored)
		}
	}
	newRaw, _ := keyring.ParseKeys(newKey)
	onlyNew, _ := keyring.New(newRaw)
	later := t0.Add(time.Minute)
	for _, id := range []int64{legacy, rotated, idle} {
		if err := account.VerifyTOTP(ctx, pool, onlyNew, id, code(t, plain, later), later, ""); err != nil {
			t.Fatalf("user %d with the new key alone: %v", id, err)
		}
	}
	// A secret no key opens stops the start with an error that names the cause.
	if _, err := account.SealTOTPSecrets(ctx, pool, before); err == nil || !strings.Contains(err.Error(), "PORTAL_SECRET_KEYS") {
		t.Fatalf("sealing with a keyring that lacks the current key: %v", err)
	}
}
