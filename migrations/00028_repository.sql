-- +goose Up
-- The best-practice repository (DOMAIN.md "Data and publication"): the submitted
-- entries whose applicant consented to publication, with only their published answers, never
-- one marked confidential.
--
-- repository_cases is derived data: internal/repository builds each row in Go from the last
-- submitted version with form.Publishable, so confidential text never enters the table; it is
-- refreshed in the transaction of every submission, amendment and withdrawal, and rebuilt per
-- edition by the periodic task repository-rebuild (form changes, nomination details). The
-- search document weights the title A, the summary B and every other published text C; the GIN
-- index serves full-text search.
CREATE TABLE repository_cases (
	application_id BIGINT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
	edition_id     BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	category_id    BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
	kind           TEXT NOT NULL CHECK (kind IN ('project', 'nomination')),
	title          TEXT NOT NULL,
	summary        TEXT NOT NULL DEFAULT '',
	-- body is the other published answers as plain text, for search and snippets.
	body           TEXT NOT NULL DEFAULT '',
	organisation   TEXT NOT NULL DEFAULT '',
	-- country is an ISO 3166-1 alpha-2 code, or '' when unknown.
	country        TEXT NOT NULL DEFAULT '',
	stage          TEXT NOT NULL DEFAULT '',
	sectors        TEXT[] NOT NULL DEFAULT '{}',
	target_groups  TEXT[] NOT NULL DEFAULT '{}',
	-- answers are the publishable answers only (internal/form.Answers as JSON, files left out).
	answers        JSONB NOT NULL CHECK (jsonb_typeof(answers) = 'object'),
	submitted_at   TIMESTAMPTZ NOT NULL,
	document       TSVECTOR GENERATED ALWAYS AS (
		setweight(to_tsvector('english', title), 'A') ||
		setweight(to_tsvector('english', summary), 'B') ||
		setweight(to_tsvector('english', body), 'C')) STORED
);
CREATE INDEX repository_cases_document_idx ON repository_cases USING GIN (document);
CREATE INDEX repository_cases_edition_idx ON repository_cases (edition_id, category_id);

-- The secretariat's decision to keep a case out of the public repository, with its reason. It
-- is kept apart from the derived rows so that a rebuild or a new submission never undoes it.
CREATE TABLE repository_hidden (
	application_id BIGINT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
	reason         TEXT NOT NULL CHECK (btrim(reason) <> ''),
	hidden_by      BIGINT NOT NULL REFERENCES users (id),
	hidden_at      TIMESTAMPTZ NOT NULL
);
