-- +goose Up
-- Context data (DOMAIN.md "Round 1": the secretariat may attach public city- and
-- country-level data to an application for the analysis). The secretariat imports a CSV of
-- indicators per edition (internal/contextdata); an entry is matched by its applicant's country
-- and, where given, city.

-- One value of one indicator for one country (city '') or one city of a country, in one year.
-- The key is (edition, country, city, indicator, year), the city compared case-insensitively: a
-- re-import replaces the value. imported_at/imported_by say which import wrote the row last.
CREATE TABLE context_data (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	edition_id  BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	country     TEXT NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
	city        TEXT NOT NULL DEFAULT '' CHECK (city = btrim(city) AND length(city) <= 100),
	indicator   TEXT NOT NULL CHECK (indicator ~ '^[a-z][a-z0-9_]{0,63}$'),
	value       NUMERIC NOT NULL,
	unit        TEXT NOT NULL DEFAULT '' CHECK (length(unit) <= 40),
	year        SMALLINT NOT NULL CHECK (year BETWEEN 1000 AND 9999),
	source      TEXT NOT NULL CHECK (source <> '' AND length(source) <= 200),
	imported_at TIMESTAMPTZ NOT NULL,
	imported_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);
-- The upsert key; it also serves the matching of an entry (edition, country, then city).
CREATE UNIQUE INDEX context_data_key ON context_data (edition_id, country, lower(city), indicator, year);
-- The per-indicator summary of an edition.
CREATE INDEX context_data_indicator_idx ON context_data (edition_id, indicator);
