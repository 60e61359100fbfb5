package load

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sync"

	"github.com/jackc/pgx/v5"
)

// Staff accounts must sign in with a second factor (internal/account: every staff role
// requires it). An authenticator code works once per 30-second step, so many sessions of one
// account cannot all use one: the seed gives each staff account StaffCodes recovery codes
// (RecoveryCode(0), RecoveryCode(1)...), and each staff sign-in of the scenarios spends the next
// one. A code book next to the manifest remembers which were spent, across runs.

// StaffCodes is how many recovery codes each seeded staff account gets.
const StaffCodes = 5000

// RecoveryCode is the i-th recovery code of every seeded staff account: letters only, so it is
// never taken for an authenticator code.
func RecoveryCode(i int) string {
	b := []byte("LOADAAAAAAA")
	for j := len(b) - 1; j >= 4 && i > 0; j-- {
		b[j] = byte('A' + i%26)
		i /= 26
	}
	return string(b)
}

// recoveryHash is how internal/account stores a recovery code (SHA-256 of the code without
// separators, upper case): the seed writes the hashes directly.
func recoveryHash(code string) []byte {
	sum := sha256.Sum256([]byte(code))
	return sum[:]
}

// enableStaffTwoFactor gives each login a confirmed authenticator key and StaffCodes recovery
// codes, unless it has recovery codes already.
func enableStaffTwoFactor(ctx context.Context, tx pgx.Tx, logins ...string) error {
	hashes := make([][]byte, StaffCodes)
	for i := range hashes {
		hashes[i] = recoveryHash(RecoveryCode(i))
	}
	for _, login := range logins {
		id, err := userID(ctx, tx, login)
		if err != nil {
			return err
		}
		var has bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM recovery_codes WHERE user_id = $1)`, id).Scan(&has); err != nil {
			return fmt.Errorf("load: seed: recovery codes of %s: %w", login, err)
		}
		if has {
			continue
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', totp_enabled_at = now()
			WHERE id = $1`, id); err != nil {
			return fmt.Errorf("load: seed: two-factor of %s: %w", login, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash, created_at)
			SELECT $1, h, now() FROM unnest($2::bytea[]) AS h`, id, hashes); err != nil {
			return fmt.Errorf("load: seed: recovery codes of %s: %w", login, err)
		}
	}
	return nil
}

// CodeBook hands out each staff account's recovery codes once, remembering the next one per
// login in a file (so later runs on the same data go on where the last stopped).
type CodeBook struct {
	mu   sync.Mutex
	path string
	next map[string]int
}

// OpenCodeBook reads the code book at path (empty when the file does not exist yet).
func OpenCodeBook(path string) (*CodeBook, error) {
	cb := &CodeBook{path: path, next: map[string]int{}}
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return cb, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &cb.next); err != nil {
		return nil, fmt.Errorf("load: code book %s: %w", path, err)
	}
	return cb, nil
}

// Take returns login's next unspent recovery code and records it as spent.
func (cb *CodeBook) Take(login string) (string, error) {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	i := cb.next[login]
	if i >= StaffCodes {
		return "", fmt.Errorf("load: every recovery code of %s is spent: seed a fresh database", login)
	}
	cb.next[login] = i + 1
	b, err := json.Marshal(cb.next)
	if err != nil {
		return "", err
	}
	if cb.path != "" {
		if err := os.WriteFile(cb.path, b, 0o644); err != nil {
			return "", err
		}
	}
	return RecoveryCode(i), nil
}

// SignInStaff signs a staff account in: the password, then a recovery code from codes.
func (u *User) SignInStaff(ctx context.Context, login, password string, codes *CodeBook) error {
	resp, err := u.PostForm(ctx, "/signin", url.Values{"login": {login}, "password": {password}}, http.StatusSeeOther, false)
	if err != nil {
		return err
	}
	if resp.Location != "/signin/two-factor" {
		return nil // no second factor asked
	}
	if codes == nil {
		return fmt.Errorf("load: %s must give a second factor: no code book", login)
	}
	code, err := codes.Take(login)
	if err != nil {
		return err
	}
	_, err = u.PostForm(ctx, "/signin/two-factor", url.Values{"method": {"recovery"}, "code": {code}}, http.StatusSeeOther, false)
	return err
}
