-- +goose Up
-- Likely duplicates become a flag of the screening queue (entry_flags kind 'duplicate', the
-- detail the other application's id; DOMAIN.md "Registration": the same project may not be
-- entered in both project categories). Submissions and withdrawals keep the flags current
-- (internal/application.FlagDuplicates); this raises them once for the entries already there,
-- with the duplicate finder's comparison and threshold (0.5).
WITH f AS (
	SELECT a.id, a.edition_id, a.category_id,
	       lower(coalesce(a.answers->'project_title'->>'text', '')) AS title,
	       lower(coalesce(a.answers->'summary'->>'text', '')) AS summary,
	       lower(coalesce(nullif(a.answers->'lead_organisation'->>'text', ''), u.organisation)) AS org
	FROM applications a JOIN users u ON u.id = a.user_id
	WHERE a.kind = 'project' AND a.status <> 'withdrawn'
), pairs AS (
	SELECT x.id AS x, y.id AS y
	FROM f x JOIN f y ON y.edition_id = x.edition_id AND x.id < y.id AND x.category_id <> y.category_id
	WHERE greatest(
		CASE WHEN x.title = '' OR y.title = '' THEN 0 ELSE similarity(x.title, y.title) END,
		CASE WHEN x.summary = '' OR y.summary = '' THEN 0 ELSE similarity(x.summary, y.summary) END,
		CASE WHEN x.org = '' OR y.org = '' THEN 0 ELSE similarity(x.org, y.org) END) >= 0.5
)
INSERT INTO entry_flags (application_id, kind, detail, created_at)
SELECT x, 'duplicate', y::text, now() FROM pairs
UNION ALL
SELECT y, 'duplicate', x::text, now() FROM pairs
ON CONFLICT (application_id, kind, detail) DO NOTHING;
