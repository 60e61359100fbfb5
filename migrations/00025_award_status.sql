-- +goose Up
-- Round 3: invalidation, attendance and succession of the awards (DOMAIN.md
-- "Round 3"; guidelines §8: "The first place winners of each category must be present at the
-- ceremony with the highest level of representative available. In case the first place winners
-- of each category cannot attend the ceremony, the Prize will be awarded to the candidates with
-- the next highest score that can be present at the ceremony.").
--
-- An award is 'confirmed' while it stands (the current winners, as before); the chair's
-- confirmation of a succession makes it 'declined' (its first-place winner cannot attend) or
-- 'invalidated' (the council or the committee invalidated it), with status_changed_by/at and
-- status_reason, and gives its place to the successor in a new 'confirmed' award.
ALTER TABLE awards DROP CONSTRAINT awards_status_check;
ALTER TABLE awards ADD CONSTRAINT awards_status_check CHECK (status IN ('confirmed', 'invalidated', 'declined'));

-- The answer of a first-place winner's account: attends with the representative's name and
-- title, or cannot attend. One per award; a "can attend" answer may be corrected until the
-- edition's attendance deadline, a "cannot attend" answer is final.
CREATE TABLE award_attendance (
	award_id             BIGINT PRIMARY KEY REFERENCES awards (id) ON DELETE CASCADE,
	can_attend           BOOLEAN NOT NULL,
	representative_name  TEXT NOT NULL DEFAULT '',
	representative_title TEXT NOT NULL DEFAULT '',
	answered_at          TIMESTAMPTZ NOT NULL,
	answered_by          BIGINT NOT NULL REFERENCES users (id),
	CHECK (NOT can_attend OR (btrim(representative_name) <> '' AND btrim(representative_title) <> ''))
);

-- A proposed move of an award (its place) from application from_application_id to the
-- next-ranked candidate of the category's final order (to_application_id; NULL when none is
-- left), because the winner cannot attend ('declined') or the award is invalidated
-- ('invalidated', with the invalidation's text in detail). proposed_by is the winner's account
-- (declined) or the chair or committee head who invalidated. The chair confirms it
-- (confirmed_by/at), which changes the award's status and records the successor's award
-- (new_award_id). At most one open proposal per award.
CREATE TABLE award_proposals (
	id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	award_id            BIGINT NOT NULL REFERENCES awards (id) ON DELETE CASCADE,
	edition_id          BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	category_id         BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
	from_application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
	to_application_id   BIGINT REFERENCES applications (id) ON DELETE CASCADE,
	place               INTEGER NOT NULL CHECK (place >= 1),
	reason              TEXT NOT NULL CHECK (reason IN ('declined', 'invalidated')),
	detail              TEXT NOT NULL DEFAULT '',
	proposed_by         BIGINT NOT NULL REFERENCES users (id),
	proposed_at         TIMESTAMPTZ NOT NULL,
	confirmed_by        BIGINT REFERENCES users (id),
	confirmed_at        TIMESTAMPTZ,
	new_award_id        BIGINT REFERENCES awards (id),
	CHECK ((confirmed_by IS NULL) = (confirmed_at IS NULL)),
	CHECK (reason <> 'invalidated' OR btrim(detail) <> '')
);
CREATE UNIQUE INDEX award_proposals_open_idx ON award_proposals (award_id) WHERE confirmed_at IS NULL;
CREATE INDEX award_proposals_edition_idx ON award_proposals (edition_id, proposed_at);
