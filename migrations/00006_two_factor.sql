-- +goose Up
-- Two-factor sign-in with TOTP (RFC 6238). Staff roles require it; applicants and nominators may
-- enable it (DOMAIN.md, "People and roles").
-- totp_secret is the base32 secret, set when enrolment begins; totp_enabled_at is set only once the
-- user confirmed enrolment with a valid code. totp_last_step is the last accepted time step, so a
-- code accepted once cannot be replayed.
ALTER TABLE users
	ADD COLUMN totp_secret     TEXT,
	ADD COLUMN totp_enabled_at TIMESTAMPTZ,
	ADD COLUMN totp_last_step  BIGINT NOT NULL DEFAULT 0;

-- Single-use recovery codes; only their SHA-256 hash is stored. Regenerating deletes the old set.
CREATE TABLE recovery_codes (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	code_hash  BYTEA NOT NULL,
	created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	used_at    TIMESTAMPTZ,
	UNIQUE (user_id, code_hash)
);
