-- +goose Up
-- Sessions are keyed by the SHA-256 of their token: the table never holds a cookie value that
-- would sign anyone in. Sessions of the old layout end (everyone signs in again), which also
-- ends every session from before sessions recorded the second factor.
DROP TABLE sessions;
CREATE TABLE sessions (
	token_hash BYTEA PRIMARY KEY,
	data       BYTEA NOT NULL,
	expiry     TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- totp_secret is sealed with the keys of PORTAL_SECRET_KEYS (AES-256-GCM, internal/keyring):
-- "v1:<key id>:<nonce and ciphertext>". Secrets stored in plain text before are sealed by the
-- portal at start (account.SealTOTPSecrets); no key is ever stored here.
COMMENT ON COLUMN users.totp_secret IS 'TOTP secret sealed with PORTAL_SECRET_KEYS (v1:<key id>:<data>), never plain text';
