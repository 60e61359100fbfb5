-- +goose Up
-- The same candidate nominated several times is one entry (issue text, DOMAIN.md "Leadership
-- nominations"): the secretariat merges a repeat nomination into another of the same candidate
-- (internal/screening, Service.Merge). The merged nomination keeps its row, with the status
-- 'merged' and the entry it went into: it is no longer an entry (every count, list, export and
-- result reads status = 'submitted'), its nominator reads where it went, and is a co-nominator
-- of that entry.
ALTER TABLE applications DROP CONSTRAINT applications_status_check;
ALTER TABLE applications ADD CONSTRAINT applications_status_check
	CHECK (status IN ('draft', 'submitted', 'withdrawn', 'merged'));
-- merged_into becomes NULL when the entry it went into is erased (internal/privacy): the merged
-- nomination stays merged, into an entry that no longer exists.
ALTER TABLE applications
	ADD COLUMN merged_into BIGINT REFERENCES applications (id) ON DELETE SET NULL,
	ADD COLUMN merged_at   TIMESTAMPTZ,
	ADD CONSTRAINT applications_merged_check
		CHECK ((status = 'merged') = (merged_at IS NOT NULL) AND (merged_into IS NULL OR status = 'merged')
		       AND merged_into <> id);
CREATE INDEX applications_merged_into_idx ON applications (merged_into) WHERE merged_into IS NOT NULL;

-- entry_addressees, as in 00044, and the co-nominators of a nomination (the nominators of the
-- nominations merged into it), who get a copy as its nominator does: each account once, and
-- not the nominator nor the candidate, who are told already. co_nominator marks them: the
-- emails that ask the entry's holder to act (attendance, the video) are not theirs.
CREATE OR REPLACE VIEW entry_addressees AS
SELECT a.id AS application_id, u.id AS user_id, u.name, u.email, false AS candidate, false AS co_nominator
FROM applications a JOIN users u ON u.id = a.user_id
UNION ALL
SELECT n.application_id, NULL, n.candidate_name, n.candidate_email, true, false
FROM nominations n JOIN users u ON u.id = n.user_id
WHERE NOT n.self AND lower(btrim(n.candidate_email)) <> lower(btrim(u.email))
UNION ALL
SELECT DISTINCT m.merged_into, u.id, u.name, u.email, false, true
FROM applications m JOIN users u ON u.id = m.user_id JOIN applications a ON a.id = m.merged_into
LEFT JOIN nominations n ON n.application_id = a.id
WHERE m.user_id <> a.user_id AND lower(btrim(u.email)) <> lower(btrim(coalesce(n.candidate_email, '')));
