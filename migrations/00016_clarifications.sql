-- +goose Up
-- Clarifications (DOMAIN.md "Round 1": the secretariat may ask an applicant for
-- clarification or more information). The secretariat asks a question with a response deadline
-- and may name questions of the application form that the applicant may edit while answering;
-- the applicant answers once, with text and documents, before the deadline. The clarifications of
-- an entry, oldest first, are its thread, kept with the application.
CREATE TABLE clarifications (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id  BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
	question        TEXT NOT NULL CHECK (question <> ''),
	-- deadline is exclusive: an answer is accepted strictly before it.
	deadline        TIMESTAMPTZ NOT NULL,
	-- question_keys are keys of questions of the application's form the applicant may edit.
	question_keys   TEXT[] NOT NULL DEFAULT '{}',
	asked_by        BIGINT NOT NULL REFERENCES users (id),
	asked_at        TIMESTAMPTZ NOT NULL,
	answer_text     TEXT NOT NULL DEFAULT '',
	answered_by     BIGINT REFERENCES users (id),
	answered_at     TIMESTAMPTZ,
	-- amended_version is the number of the application version (application_versions) that
	-- records the edited answers; NULL when the answer changed none.
	amended_version INTEGER,
	CHECK (deadline > asked_at),
	CHECK ((answered_at IS NULL) = (answered_by IS NULL)),
	CHECK (answered_at IS NOT NULL OR (answer_text = '' AND amended_version IS NULL))
);
CREATE INDEX clarifications_application_idx ON clarifications (application_id, asked_at, id);
-- The dashboard and the applicant's list look for open clarifications.
CREATE INDEX clarifications_open_idx ON clarifications (application_id) WHERE answered_at IS NULL;

-- The documents of an answer; access follows access to the clarification.
CREATE TABLE clarification_files (
	clarification_id BIGINT NOT NULL REFERENCES clarifications (id) ON DELETE CASCADE,
	file_id          BIGINT NOT NULL UNIQUE REFERENCES files (id),
	PRIMARY KEY (clarification_id, file_id)
);
