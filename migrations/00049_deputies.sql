-- +goose Up
-- Deputies (DOMAIN.md "People and roles": no one judges an entry they are tied to). An edition
-- names a deputy committee head (one of its evaluators) and a deputy chair of the Prize Council
-- (one of its council members). Where the head or the chair is conflicted with an entry of a
-- category, the deputy decides for that category in their place.
CREATE TABLE edition_deputies (
	edition_id BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	post       TEXT NOT NULL CHECK (post IN ('committee_head', 'chair')),
	user_id    BIGINT NOT NULL REFERENCES users (id),
	set_by     BIGINT NOT NULL REFERENCES users (id),
	set_at     TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (edition_id, post)
);

-- category_deciders: per category and post (committee_head: the ranking and the semi-finalist
-- list; chair: the council's vote and the awards), who holds the post (holder_id: the edition's
-- committee head; its recorded chair still on the council), whether they are conflicted with an
-- entry of the category (a round-2 entry, round2_entries, they are conflicted with by
-- assignment_conflicts, or, for the chair, one they abstained on in their ballot of the
-- category, stating a conflict), the deputy (still holding the role the post needs, never the
-- holder) and theirs, and who decides: the holder unless conflicted, then the deputy unless
-- there is none or they are conflicted too (decider_id NULL: nobody may decide yet).
CREATE VIEW category_deciders AS
WITH holders AS (
	SELECT g.edition_id, 'committee_head' AS post, g.user_id
	FROM role_grants g WHERE g.role = 'committee_head' AND g.edition_id IS NOT NULL
	UNION ALL
	SELECT ch.edition_id, 'chair', ch.user_id
	FROM council_chairs ch JOIN role_grants g ON g.user_id = ch.user_id AND g.edition_id = ch.edition_id AND g.role = 'council'
),
seats AS (
	SELECT c.edition_id, c.id AS category_id, h.post, h.user_id AS holder_id, d.user_id AS deputy_id
	FROM categories c
	JOIN holders h ON h.edition_id = c.edition_id
	LEFT JOIN edition_deputies d ON d.edition_id = c.edition_id AND d.post = h.post AND d.user_id <> h.user_id
		AND EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = d.user_id AND g.edition_id = d.edition_id
			AND g.role = CASE d.post WHEN 'chair' THEN 'council' ELSE 'evaluator' END)
),
conflicted AS (
	SELECT s.category_id, s.post, m.user_id,
	       EXISTS (SELECT 1 FROM round2_entries e JOIN assignment_conflicts k ON k.application_id = e.application_id
	               WHERE e.category_id = s.category_id AND k.evaluator_id = m.user_id)
	       OR (s.post = 'chair' AND EXISTS (SELECT 1 FROM ballots b JOIN ballot_ranks r ON r.ballot_id = b.id
	               WHERE b.category_id = s.category_id AND b.member_id = m.user_id AND r.conflict <> '')) AS yes
	FROM seats s CROSS JOIN LATERAL (VALUES (s.holder_id), (s.deputy_id)) AS m (user_id)
	WHERE m.user_id IS NOT NULL
),
flagged AS (
	SELECT s.*, h.yes AS holder_conflicted, coalesce(d.yes, false) AS deputy_conflicted
	FROM seats s
	JOIN conflicted h ON h.category_id = s.category_id AND h.post = s.post AND h.user_id = s.holder_id
	LEFT JOIN conflicted d ON d.category_id = s.category_id AND d.post = s.post AND d.user_id = s.deputy_id
)
SELECT f.edition_id, f.category_id, f.post, f.holder_id, f.holder_conflicted, f.deputy_id, f.deputy_conflicted,
       CASE WHEN NOT f.holder_conflicted THEN f.holder_id
            WHEN f.deputy_id IS NOT NULL AND NOT f.deputy_conflicted THEN f.deputy_id END AS decider_id
FROM flagged f;
