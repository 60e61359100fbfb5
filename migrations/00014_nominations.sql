-- +goose Up
-- Leadership nominations (DOMAIN.md "Leadership nominations"; guidelines §6).
--
-- A nomination is an entry like a project application: the same answers, drafts, submitted
-- versions, files, extensions and, later, screening and scoring. So applications gain a kind; an
-- account still holds at most one project application (DOMAIN.md "Registration"), but a nominator
-- may hold any number of nominations.
ALTER TABLE applications
	ADD COLUMN kind TEXT NOT NULL DEFAULT 'project' CHECK (kind IN ('project', 'nomination'));
ALTER TABLE applications DROP CONSTRAINT applications_user_id_key;
CREATE UNIQUE INDEX applications_one_project_idx ON applications (user_id) WHERE kind = 'project';
CREATE INDEX applications_user_idx ON applications (user_id);

-- The facts of a nomination that its rules need, declared by the nominator: who nominates in which
-- eligibility category (a key of the edition's nominator categories; none for a self-nomination)
-- and for which organisation, and who the candidate is. user_id and edition_id repeat the
-- application's so that the one-self-nomination rule is a unique index.
CREATE TABLE nominations (
	application_id         BIGINT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
	user_id                BIGINT NOT NULL REFERENCES users (id),
	edition_id             BIGINT NOT NULL REFERENCES editions (id),
	self                   BOOLEAN NOT NULL,
	nominator_category     TEXT NOT NULL DEFAULT '',
	nominator_organisation TEXT NOT NULL DEFAULT '',
	candidate_name         TEXT NOT NULL CHECK (btrim(candidate_name) <> ''),
	candidate_email        TEXT NOT NULL CHECK (btrim(candidate_email) <> ''),
	candidate_organisation TEXT NOT NULL DEFAULT '',
	candidate_position     TEXT NOT NULL DEFAULT '',
	candidate_is_head      BOOLEAN NOT NULL DEFAULT false,
	-- The candidate's consent (third-party nominations; a self-nomination needs none): none until
	-- asked, then requested, then given or declined, with the time of each step.
	consent                TEXT NOT NULL DEFAULT 'none' CHECK (consent IN ('none', 'requested', 'given', 'declined')),
	consent_requested_at   TIMESTAMPTZ,
	consent_decided_at     TIMESTAMPTZ,
	consent_note           TEXT NOT NULL DEFAULT '',
	-- The code of the public endorsement page; NULL until the nominator opens it.
	endorsement_code       TEXT UNIQUE,
	-- The secretariat may accept a letter from the candidate's own organisation, with a reason.
	override_reason        TEXT NOT NULL DEFAULT '',
	override_by            BIGINT REFERENCES users (id),
	override_at            TIMESTAMPTZ,
	created_at             TIMESTAMPTZ NOT NULL
);
-- DOMAIN.md: at most one self-nomination per person, whichever account they use.
CREATE UNIQUE INDEX nominations_one_self_idx ON nominations (edition_id, user_id) WHERE self;
CREATE UNIQUE INDEX nominations_one_self_email_idx ON nominations (edition_id, lower(candidate_email)) WHERE self;
CREATE INDEX nominations_edition_idx ON nominations (edition_id);

-- Letters of recommendation. The nominator invites a recommender, who answers through a private
-- link without an account. At most one letter of a nomination is current; replacing it keeps the
-- old row as 'replaced'. The letter itself (text or file) is never shown to the nominator.
CREATE TABLE recommendation_letters (
	id                       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id           BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
	status                   TEXT NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'opened', 'received', 'replaced')),
	invited_name             TEXT NOT NULL CHECK (btrim(invited_name) <> ''),
	invited_email            TEXT NOT NULL CHECK (btrim(invited_email) <> ''),
	invited_organisation     TEXT NOT NULL DEFAULT '',
	invited_at               TIMESTAMPTZ NOT NULL,
	opened_at                TIMESTAMPTZ,
	received_at              TIMESTAMPTZ,
	replaced_at              TIMESTAMPTZ,
	recommender_name         TEXT NOT NULL DEFAULT '',
	recommender_title        TEXT NOT NULL DEFAULT '',
	recommender_organisation TEXT NOT NULL DEFAULT '',
	recommender_category     TEXT NOT NULL DEFAULT '',
	letter_text              TEXT NOT NULL DEFAULT '',
	file_id                  BIGINT REFERENCES files (id),
	reminders_sent           INTEGER NOT NULL DEFAULT 0,
	last_reminder_at         TIMESTAMPTZ,
	CHECK (status <> 'received' OR (received_at IS NOT NULL AND (letter_text <> '' OR file_id IS NOT NULL)))
);
CREATE UNIQUE INDEX recommendation_letters_current_idx ON recommendation_letters (application_id) WHERE status <> 'replaced';

-- Citizen endorsements (guidelines §6: more than 30 citizens' signatures may replace the letter).
-- Only confirmed, distinct email addresses count: email_norm is the address trimmed and in lower
-- case, unique among the confirmed endorsements of a nomination.
CREATE TABLE endorsements (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
	name           TEXT NOT NULL CHECK (btrim(name) <> ''),
	city           TEXT NOT NULL CHECK (btrim(city) <> ''),
	country        TEXT NOT NULL CHECK (btrim(country) <> ''),
	email          TEXT NOT NULL,
	email_norm     TEXT NOT NULL CHECK (email_norm = lower(btrim(email_norm))),
	created_at     TIMESTAMPTZ NOT NULL,
	confirmed_at   TIMESTAMPTZ
);
CREATE UNIQUE INDEX endorsements_confirmed_email_idx ON endorsements (application_id, email_norm) WHERE confirmed_at IS NOT NULL;
CREATE INDEX endorsements_application_idx ON endorsements (application_id, created_at);

-- Private links for people without an account (the candidate's consent, a recommender's letter, a
-- citizen's confirmation): only the SHA-256 of the token is stored. A link expires, and is used up
-- when what it allows is done.
CREATE TABLE private_links (
	token_hash BYTEA PRIMARY KEY,
	purpose    TEXT NOT NULL,
	subject_id BIGINT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	used_at    TIMESTAMPTZ
);
CREATE INDEX private_links_subject_idx ON private_links (purpose, subject_id);
