-- +goose Up
-- Round 2: scoring by the Evaluation Committee (DOMAIN.md "Round 2"). The committee is
-- the evaluator and committee_head role grants of an edition; each evaluator scores the entries
-- assigned to them on a sheet generated from the category's criteria; the entries are ranked
-- and the top N per category become semi-finalists.

-- The entries of round 2: those found eligible in a closed round 1. The organisers'
-- exceptional additions (semi_finalists.source = 'addition') are chosen among them.
CREATE VIEW round2_entries AS
SELECT a.id AS application_id, a.edition_id, a.category_id
FROM applications a
JOIN screening_rounds r ON r.edition_id = a.edition_id
JOIN screening_decisions d ON d.application_id = a.id AND d.decision = 'eligible';

-- The categories an evaluator scores in (their expertise).
CREATE TABLE evaluator_categories (
	user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
	PRIMARY KEY (user_id, category_id)
);
CREATE INDEX evaluator_categories_category_idx ON evaluator_categories (category_id, user_id);

-- Who scores which entry. assigned_by is NULL for the automatic assignment; a manual one carries
-- its reason. An assignment ends when it is removed (by the head or the secretariat, with a
-- reason) or when the evaluator recuses (with a reason); the row stays for the record.
CREATE TABLE assignments (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
	evaluator_id   BIGINT NOT NULL REFERENCES users (id),
	edition_id     BIGINT NOT NULL REFERENCES editions (id),
	assigned_at    TIMESTAMPTZ NOT NULL,
	assigned_by    BIGINT REFERENCES users (id),
	reason         TEXT NOT NULL DEFAULT '',
	ended_at       TIMESTAMPTZ,
	ended_by       BIGINT REFERENCES users (id),
	end_kind       TEXT CHECK (end_kind IN ('removed', 'recused')),
	end_reason     TEXT NOT NULL DEFAULT '',
	CHECK ((ended_at IS NULL) = (end_kind IS NULL))
);
CREATE UNIQUE INDEX assignments_active_idx ON assignments (application_id, evaluator_id) WHERE ended_at IS NULL;
CREATE INDEX assignments_evaluator_idx ON assignments (evaluator_id, edition_id) WHERE ended_at IS NULL;

-- One score sheet per evaluator and entry: a score per indicator (sheet_scores), a comment per
-- criterion (by criterion key), an overall comment. The evaluator declares on opening that they
-- have no conflict (no_conflict_at) or recuses (the assignment ends). version counts saves, for
-- autosave without overwriting another tab.
CREATE TABLE score_sheets (
	id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id     BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
	evaluator_id       BIGINT NOT NULL REFERENCES users (id),
	edition_id         BIGINT NOT NULL REFERENCES editions (id),
	status             TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
	no_conflict_at     TIMESTAMPTZ,
	criterion_comments JSONB NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(criterion_comments) = 'object'),
	overall_comment    TEXT NOT NULL DEFAULT '',
	version            INTEGER NOT NULL DEFAULT 1,
	created_at         TIMESTAMPTZ NOT NULL,
	updated_at         TIMESTAMPTZ NOT NULL,
	submitted_at       TIMESTAMPTZ,
	UNIQUE (application_id, evaluator_id)
);
CREATE INDEX score_sheets_evaluator_idx ON score_sheets (evaluator_id, edition_id);
CREATE INDEX score_sheets_edition_idx ON score_sheets (edition_id, status, application_id);

CREATE TABLE sheet_scores (
	sheet_id     BIGINT NOT NULL REFERENCES score_sheets (id) ON DELETE CASCADE,
	indicator_id BIGINT NOT NULL REFERENCES indicators (id),
	score        INTEGER NOT NULL,
	PRIMARY KEY (sheet_id, indicator_id)
);

-- The round's state per edition: the aggregation method, chosen (and audited) before the scores
-- are unsealed; closing the round unseals them (the head then sees every sheet).
CREATE TABLE scoring_rounds (
	edition_id    BIGINT PRIMARY KEY REFERENCES editions (id),
	method        TEXT NOT NULL DEFAULT 'mean' CHECK (method IN ('mean', 'median', 'trimmed_mean', 'zscore')),
	method_set_by BIGINT REFERENCES users (id),
	method_set_at TIMESTAMPTZ,
	closed_at     TIMESTAMPTZ,
	closed_by     BIGINT REFERENCES users (id)
);

-- The semi-finalists of a category: proposed from the ranking, a tie at the cut decided by the
-- head, or added by the organisers by exception (DOMAIN.md "Round 2"), each with its reason.
CREATE TABLE semi_finalists (
	application_id BIGINT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
	edition_id     BIGINT NOT NULL REFERENCES editions (id),
	category_id    BIGINT NOT NULL REFERENCES categories (id),
	source         TEXT NOT NULL CHECK (source IN ('ranking', 'tie', 'addition')),
	rank           INTEGER,
	reason         TEXT NOT NULL DEFAULT '',
	added_by       BIGINT REFERENCES users (id),
	added_at       TIMESTAMPTZ NOT NULL,
	CHECK (source = 'ranking' OR btrim(reason) <> '')
);
CREATE INDEX semi_finalists_category_idx ON semi_finalists (edition_id, category_id);

-- The head's confirmation of a category's list; the announcement follows on the schedule's date.
CREATE TABLE semi_finalist_lists (
	edition_id   BIGINT NOT NULL REFERENCES editions (id),
	category_id  BIGINT NOT NULL REFERENCES categories (id),
	confirmed_by BIGINT NOT NULL REFERENCES users (id),
	confirmed_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (edition_id, category_id)
);
