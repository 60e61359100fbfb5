-- +goose Up
-- Project applications. DOMAIN.md "Categories": one account holds one project
-- application, so user_id is unique; its edition and category are those the account registered
-- for (users.edition_id, users.category_id). Answers are internal/form.Answers as JSON; version
-- counts saves, for the optimistic locking that keeps two tabs from overwriting each other.
CREATE TABLE applications (
	id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id           BIGINT NOT NULL UNIQUE REFERENCES users (id),
	edition_id        BIGINT NOT NULL REFERENCES editions (id),
	category_id       BIGINT NOT NULL REFERENCES categories (id),
	status            TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'withdrawn')),
	answers           JSONB NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(answers) = 'object'),
	version           INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
	-- submitted_version is the version that was last submitted; a larger version means changes
	-- saved since, which the committee does not see until they are submitted again.
	submitted_version INTEGER,
	submitted_at      TIMESTAMPTZ,
	withdrawn_at      TIMESTAMPTZ,
	created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
	updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX applications_edition_category_idx ON applications (edition_id, category_id);

-- Every submission is kept: the committee sees the one with the highest number.
CREATE TABLE application_versions (
	application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
	number         INTEGER NOT NULL CHECK (number >= 1),
	answers        JSONB NOT NULL CHECK (jsonb_typeof(answers) = 'object'),
	submitted_at   TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (application_id, number)
);

-- The uploaded files of an application; access to a file follows access to the application.
CREATE TABLE application_files (
	application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
	file_id        BIGINT NOT NULL UNIQUE REFERENCES files (id),
	question       TEXT NOT NULL,
	PRIMARY KEY (application_id, file_id)
);

-- Emails may carry attachments (the PDF copy of a submitted application with its receipt):
-- internal/notify.Attachment values, the data base64-encoded by encoding/json.
ALTER TABLE email_outbox
	ADD COLUMN attachments JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(attachments) = 'array');
