-- +goose Up
-- Secretariat-initiated entries (DOMAIN.md "Registration": the secretariat may
-- itself nominate or recommend an eligible entity and invite it to apply). The secretariat
-- invites an entity by email to register for a category as an entity type; the email carries a
-- private link (private_links, purpose 'invitation', subject the invitation's id, valid until the
-- application deadline) to the registration form with the category and entity type chosen.
-- Registering through the link records the account the invitation led to (accepted_by); whether
-- that account started or submitted an application is derived from applications, never copied.
CREATE TABLE invitations (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	edition_id   BIGINT NOT NULL REFERENCES editions (id),
	category_id  BIGINT NOT NULL REFERENCES categories (id),
	entity_type  TEXT NOT NULL CHECK (btrim(entity_type) <> ''),
	email        TEXT NOT NULL CHECK (btrim(email) <> ''),
	contact_name TEXT NOT NULL CHECK (btrim(contact_name) <> ''),
	organisation TEXT NOT NULL DEFAULT '',
	message      TEXT NOT NULL DEFAULT '',
	invited_by   BIGINT NOT NULL REFERENCES users (id),
	invited_at   TIMESTAMPTZ NOT NULL,
	-- Every email sent (the first and each resend, which replaces the link).
	sent_count   INTEGER NOT NULL DEFAULT 1 CHECK (sent_count >= 1),
	last_sent_at TIMESTAMPTZ NOT NULL,
	last_sent_by BIGINT NOT NULL REFERENCES users (id),
	accepted_by  BIGINT UNIQUE REFERENCES users (id),
	accepted_at  TIMESTAMPTZ,
	CHECK ((accepted_by IS NULL) = (accepted_at IS NULL))
);
CREATE INDEX invitations_edition_idx ON invitations (edition_id, invited_at DESC, id DESC);
-- One open invitation per address and edition: an address can hold only one account, so a
-- second invitation would be a resend.
CREATE UNIQUE INDEX invitations_open_email_idx ON invitations (edition_id, lower(email)) WHERE accepted_by IS NULL;
