-- +goose Up
-- Administration: role history, staff invitations and erasure.

-- role_grants keeps only the roles a user holds now, so every query that reads it stays right.
-- A revoked grant moves here with who granted and who revoked it, when, and why: role_grants and
-- role_revocations together are the role history of a user.
CREATE TABLE role_revocations (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role       TEXT NOT NULL,
	edition_id BIGINT REFERENCES editions (id) ON DELETE CASCADE,
	granted_at TIMESTAMPTZ NOT NULL,
	granted_by BIGINT REFERENCES users (id),
	revoked_at TIMESTAMPTZ NOT NULL,
	revoked_by BIGINT REFERENCES users (id),
	reason     TEXT NOT NULL
);
CREATE INDEX role_revocations_user_idx ON role_revocations (user_id, revoked_at DESC);

-- The Evaluation Committee has one head (DOMAIN.md, "People and roles"): at most one
-- committee_head grant per edition.
CREATE UNIQUE INDEX role_grants_one_head ON role_grants (edition_id) WHERE role = 'committee_head';

-- invitation_pending: a staff account created by an invitation whose link has not been used yet
-- (it has no usable password). erased_at: the account was anonymised on request.
ALTER TABLE users
	ADD COLUMN invitation_pending BOOLEAN NOT NULL DEFAULT false,
	ADD COLUMN erased_at          TIMESTAMPTZ;

CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);
CREATE INDEX email_outbox_user_idx ON email_outbox (user_id);
