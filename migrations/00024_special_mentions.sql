-- +goose Up
-- Special Mentions (DOMAIN.md "Categories"): prizes not applied for, given by the
-- organisers. The edition definition lists the awards (editions.special_mentions: name,
-- description, count); the secretariat records each mention given: to an application of the
-- edition, or to a named city or organisation that did not apply, with the partner or source of
-- the choice and a citation. award is the award's name in the definition; the store refuses
-- more mentions of an award than its count.
CREATE TABLE special_mentions (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	edition_id     BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	award          TEXT NOT NULL CHECK (btrim(award) <> ''),
	application_id BIGINT REFERENCES applications (id) ON DELETE RESTRICT,
	recipient_name TEXT NOT NULL DEFAULT '',
	city           TEXT NOT NULL DEFAULT '',
	country        TEXT NOT NULL DEFAULT '',
	partner        TEXT NOT NULL CHECK (btrim(partner) <> ''),
	citation       TEXT NOT NULL CHECK (btrim(citation) <> ''),
	created_by     BIGINT NOT NULL REFERENCES users (id),
	created_at     TIMESTAMPTZ NOT NULL,
	updated_by     BIGINT REFERENCES users (id),
	updated_at     TIMESTAMPTZ,
	-- awarded to an application, or to a named recipient who did not apply
	CHECK ((application_id IS NULL) <> (btrim(recipient_name) = ''))
);
CREATE INDEX special_mentions_edition_idx ON special_mentions (edition_id, award);
CREATE UNIQUE INDEX special_mentions_application_idx ON special_mentions (edition_id, award, application_id)
	WHERE application_id IS NOT NULL;
