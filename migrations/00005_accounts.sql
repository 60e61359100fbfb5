-- +goose Up
-- Registration data (guidelines section 6, step 1) and account state.
ALTER TABLE users
	ADD COLUMN entity_type       TEXT NOT NULL DEFAULT '',
	ADD COLUMN organisation      TEXT NOT NULL DEFAULT '',
	ADD COLUMN phone             TEXT NOT NULL DEFAULT '',
	ADD COLUMN city              TEXT NOT NULL DEFAULT '',
	ADD COLUMN country           TEXT NOT NULL DEFAULT '',
	ADD COLUMN edition_id        BIGINT REFERENCES editions (id),
	ADD COLUMN category_id       BIGINT REFERENCES categories (id),
	ADD COLUMN terms_version     TEXT NOT NULL DEFAULT '',
	ADD COLUMN terms_accepted_at TIMESTAMPTZ,
	ADD COLUMN email_verified_at TIMESTAMPTZ,
	ADD COLUMN deactivated_at    TIMESTAMPTZ,
	ADD COLUMN last_sign_in_at   TIMESTAMPTZ,
	-- session_epoch is stored in every session at sign-in; raising it ends all of the user's
	-- sessions (password reset, deactivation).
	ADD COLUMN session_epoch     INT NOT NULL DEFAULT 0;

-- Single-use, expiring tokens sent by email; only their SHA-256 hash is stored.
CREATE TABLE user_tokens (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'invite')),
	token_hash BYTEA NOT NULL UNIQUE,
	created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	expires_at TIMESTAMPTZ NOT NULL,
	used_at    TIMESTAMPTZ
);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose);

-- Abuse limits, shared by every instance: one row per counted event.
CREATE TABLE throttle_events (
	id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind TEXT NOT NULL,
	key  TEXT NOT NULL,
	at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX throttle_events_key_idx ON throttle_events (kind, key, at DESC);

ALTER TABLE audit_log ADD COLUMN ip TEXT NOT NULL DEFAULT '';
