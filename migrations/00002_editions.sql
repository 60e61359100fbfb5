-- +goose Up
-- Editions are data (ARCHITECTURE.md): one row per edition with its schedule, and normalised
-- child tables for entity types, categories, criteria, indicators and prizes. Importing a
-- definition again upserts children by key, so their ids stay stable for the applications and
-- score sheets that will refer to them. Children belong to their parent and go with it
-- (ON DELETE CASCADE); tables added later should refer to them WITHOUT cascade, so that removing
-- a criterion that already has scores fails instead of deleting the scores.
CREATE TABLE editions (
	id                       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	slug                     TEXT NOT NULL UNIQUE,
	name                     TEXT NOT NULL,
	year                     INTEGER NOT NULL,
	theme                    TEXT NOT NULL DEFAULT '',
	intro                    TEXT NOT NULL DEFAULT '',
	contact_email            TEXT NOT NULL,
	time_zone                TEXT NOT NULL,
	applications_open        TIMESTAMPTZ NOT NULL,
	application_deadline     TIMESTAMPTZ NOT NULL,
	screening_start          TIMESTAMPTZ NOT NULL,
	screening_end            TIMESTAMPTZ NOT NULL,
	scoring_start            TIMESTAMPTZ NOT NULL,
	scoring_end              TIMESTAMPTZ NOT NULL,
	semi_finalists_announced TIMESTAMPTZ NOT NULL,
	voting_start             TIMESTAMPTZ NOT NULL,
	voting_end               TIMESTAMPTZ NOT NULL,
	winners_announced        TIMESTAMPTZ NOT NULL,
	ceremony_start           TIMESTAMPTZ NOT NULL,
	ceremony_end             TIMESTAMPTZ NOT NULL,
	-- {"description": "...", "awards": [{"name": "...", "description": "...", "count": 1}]}
	special_mentions         JSONB NOT NULL DEFAULT '{}',
	source                   TEXT NOT NULL, -- the YAML definition as imported
	created_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
	updated_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
	CONSTRAINT editions_schedule_order CHECK (
		applications_open < application_deadline
		AND application_deadline <= screening_start AND screening_start < screening_end
		AND screening_end <= scoring_start AND scoring_start < scoring_end
		AND scoring_end <= semi_finalists_announced
		AND semi_finalists_announced <= voting_start AND voting_start < voting_end
		AND voting_end <= winners_announced
		AND winners_announced <= ceremony_start AND ceremony_start < ceremony_end
	)
);
CREATE INDEX editions_current_idx ON editions (year DESC, updated_at DESC);

CREATE TABLE entity_types (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	edition_id  BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	key         TEXT NOT NULL,
	name        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	position    INTEGER NOT NULL,
	UNIQUE (edition_id, key)
);

CREATE TABLE categories (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	edition_id     BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	key            TEXT NOT NULL,
	name           TEXT NOT NULL,
	kind           TEXT NOT NULL CHECK (kind IN ('project', 'leadership')),
	description    TEXT NOT NULL DEFAULT '',
	core_value     TEXT NOT NULL DEFAULT '',
	scale_min      INTEGER NOT NULL,
	scale_max      INTEGER NOT NULL,
	semi_finalists INTEGER NOT NULL CHECK (semi_finalists >= 1),
	position       INTEGER NOT NULL,
	UNIQUE (edition_id, key),
	CHECK (scale_min < scale_max)
);

CREATE TABLE category_entity_types (
	category_id    BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
	entity_type_id BIGINT NOT NULL REFERENCES entity_types (id) ON DELETE CASCADE,
	position       INTEGER NOT NULL,
	PRIMARY KEY (category_id, entity_type_id)
);
CREATE INDEX category_entity_types_entity_type_idx ON category_entity_types (entity_type_id);

CREATE TABLE criteria (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
	key         TEXT NOT NULL,
	name        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	weight      NUMERIC NOT NULL CHECK (weight > 0),
	position    INTEGER NOT NULL,
	UNIQUE (category_id, key)
);

CREATE TABLE indicators (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	criterion_id BIGINT NOT NULL REFERENCES criteria (id) ON DELETE CASCADE,
	key          TEXT NOT NULL,
	name         TEXT NOT NULL,
	position     INTEGER NOT NULL,
	UNIQUE (criterion_id, key)
);

CREATE TABLE prizes (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
	place       INTEGER NOT NULL CHECK (place >= 1),
	name        TEXT NOT NULL,
	count       INTEGER NOT NULL CHECK (count >= 1),
	UNIQUE (category_id, place)
);
