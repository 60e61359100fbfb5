-- +goose Up
-- An edition's own wording of the portal's emails: its managers may override the subject and
-- the body of each email (internal/notify/wording). A row whose subject is NULL was reset to the
-- default; the row stays so that version keeps counting and a form opened before the reset still
-- meets a conflict instead of overwriting the newer state.
CREATE TABLE email_wordings (
	edition_id BIGINT      NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	key        TEXT        NOT NULL,
	subject    TEXT,
	body       TEXT,
	version    INTEGER     NOT NULL DEFAULT 1 CHECK (version >= 1),
	updated_by BIGINT      REFERENCES users (id) ON DELETE SET NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (edition_id, key),
	CHECK ((subject IS NULL) = (body IS NULL))
);
