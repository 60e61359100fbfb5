-- +goose Up
-- Deadlines (DOMAIN.md "Schedule"). An edition may allow a grace period after the
-- published application deadline, in whole seconds; applicants are never told about it.
ALTER TABLE editions
	ADD COLUMN grace_period_seconds BIGINT NOT NULL DEFAULT 0 CHECK (grace_period_seconds >= 0);

-- An extension of the deadline granted by the secretariat to one application, with its reason.
-- Revoking deletes the row; the audit log keeps both.
CREATE TABLE application_extensions (
	application_id BIGINT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
	until          TIMESTAMPTZ NOT NULL,
	reason         TEXT NOT NULL CHECK (btrim(reason) <> ''),
	granted_by     BIGINT REFERENCES users (id),
	granted_at     TIMESTAMPTZ NOT NULL
);
