package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/account"
	"prizeportal/internal/blocks/keyring"
	"prizeportal/internal/config"
)

// openKeyring returns the keys that seal the secrets kept in the database: PORTAL_SECRET_KEYS,
// or the key file. In development without either, the file is PORTAL_DATA_DIR/secret.key,
// created with a new key (readable by its owner only) when missing. config.Load already refused
// production without keys.
func openKeyring(cfg config.Config, stdout io.Writer) (*keyring.Keyring, error) {
	keys := cfg.SecretKeys
	if keys == nil {
		data, err := os.ReadFile(cfg.SecretKeyFile)
		if errors.Is(err, fs.ErrNotExist) && cfg.SecretKeyFileCreate {
			data, err = createKeyFile(cfg.SecretKeyFile)
			if err == nil {
				fmt.Fprintf(stdout, "Created the key that encrypts two-factor secrets in %s: keep it with the database (it is needed to read them).\n", cfg.SecretKeyFile)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("cannot read the secret keys (PORTAL_SECRET_KEY_FILE): %w", err)
		}
		if keys, err = keyring.ParseKeys(string(data)); err != nil {
			return nil, fmt.Errorf("secret key file %s: %w", cfg.SecretKeyFile, err)
		}
	}
	return keyring.New(keys)
}

// createKeyFile writes a new key to path (mode 0600), failing if the file appeared meanwhile.
func createKeyFile(path string) ([]byte, error) {
	// The directory is the data directory, which the local Postgres shares: only the file is private.
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	data := []byte(keyring.NewKey() + "\n")
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, err
	}
	return data, f.Close()
}

// sealSecrets seals, at start, the TOTP secrets still in plain text or sealed with an older key.
func sealSecrets(ctx context.Context, pool *pgxpool.Pool, keys *keyring.Keyring, log *slog.Logger) error {
	n, err := account.SealTOTPSecrets(ctx, pool, keys)
	if err != nil {
		return err
	}
	if n > 0 {
		log.Info("sealed two-factor secrets with the current key", "count", n)
	}
	return nil
}
