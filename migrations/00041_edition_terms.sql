-- +goose Up
-- The terms and conditions of an edition (DOMAIN.md "Registration"): its definition holds the text;
-- every new text is kept here as the next version, so that a registration's terms_version names
-- the text it accepted ("seoul-2024/2"). An edition without a text uses the portal's default terms.
CREATE TABLE edition_terms (
	edition_id BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	version    INTEGER NOT NULL CHECK (version >= 1),
	text       TEXT NOT NULL CHECK (btrim(text) <> ''),
	created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	PRIMARY KEY (edition_id, version)
);
