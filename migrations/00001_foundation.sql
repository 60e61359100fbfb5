-- +goose Up
-- Sessions for alexedwards/scs pgxstore (DDL from its README).
CREATE TABLE sessions (
	token  TEXT PRIMARY KEY,
	data   BYTEA NOT NULL,
	expiry TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Accounts. Login IDs and emails are unique without regard to case.
CREATE TABLE users (
	id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	login_id             TEXT NOT NULL,
	email                TEXT NOT NULL,
	name                 TEXT NOT NULL DEFAULT '',
	password_hash        TEXT NOT NULL,
	must_change_password BOOLEAN NOT NULL DEFAULT false,
	created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
	updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_login_id_key ON users (lower(login_id));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Audit log: every write that matters records who did what to which object.
CREATE TABLE audit_log (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at          TIMESTAMPTZ NOT NULL DEFAULT now(),
	actor_id    BIGINT REFERENCES users (id),
	actor_label TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL,
	object_type TEXT NOT NULL DEFAULT '',
	object_id   TEXT NOT NULL DEFAULT '',
	details     JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id);
