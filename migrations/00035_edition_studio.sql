-- +goose Up
-- The edition studio: organisers run their prize from the browser.
--
-- An edition is a draft until its managers publish it: a draft is visible only to them (not to
-- the public, nor to applicants, nor to the staff of the edition). version counts the changes
-- made to the edition (studio or import), so that two managers editing at once see a conflict
-- instead of overwriting each other.
ALTER TABLE editions
	ADD COLUMN status       TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published')),
	ADD COLUMN published_at TIMESTAMPTZ,
	ADD COLUMN version      INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
UPDATE editions SET published_at = created_at;

-- "Manage the edition" is a per-edition role: its holders (and admins) edit the edition, copy
-- it into next year's, and appoint its jury.
ALTER TABLE role_grants DROP CONSTRAINT role_grants_role_check;
ALTER TABLE role_grants ADD CONSTRAINT role_grants_role_check
	CHECK (role IN ('applicant', 'nominator', 'secretariat', 'manager', 'evaluator', 'committee_head', 'council', 'admin'));
