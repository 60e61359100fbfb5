-- +goose Up
-- Every email is written here in the same transaction as the change that causes it; a background
-- worker sends it and records the outcome.
CREATE TABLE email_outbox (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
	to_address  TEXT NOT NULL,
	to_name     TEXT NOT NULL DEFAULT '',
	subject     TEXT NOT NULL,
	html_body   TEXT NOT NULL,
	text_body   TEXT NOT NULL,
	kind        TEXT NOT NULL DEFAULT '',
	user_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
	sent_at     TIMESTAMPTZ,
	attempts    INT NOT NULL DEFAULT 0,
	last_error  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX email_outbox_created_idx ON email_outbox (created_at DESC);
CREATE INDEX email_outbox_unsent_idx ON email_outbox (id) WHERE sent_at IS NULL;
