-- +goose Up
-- Round 2 settings per edition and the conflicts the committee's assignment respects
-- (DOMAIN.md "Round 2").
--
-- editions.scoring holds the edition's `scoring:` block (internal/edition: evaluators_per_entry,
-- criterion_comments_required, country_conflicts); '{}' means every default.
ALTER TABLE editions ADD COLUMN scoring JSONB NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(scoring) = 'object');

-- assignment_conflicts: every (entry, evaluator) pair the assignment must never make, with why.
--   source 'declaration': the entry matches what the evaluator declared (an organisation with
--     its aliases and email domains, a city in its country, a person), from conflict_matches;
--   source 'country': only when the edition's scoring.country_conflicts is true, the entry's
--     country (the country of the account that entered it, as in the screening queue) is one
--     the evaluator is tied to: the country of their own account, or the country of any city
--     they declared (a declared city then stands for its whole country).
-- Registry organisations (conflict_matches rows without an evaluator) bar an entry for
-- everyone in round 1 and are not repeated here.
CREATE VIEW assignment_conflicts AS
SELECT m.application_id, m.edition_id, m.evaluator_id, 'declaration' AS source, m.subject_kind, m.subject,
       m.subject_country, m.field, m.matched
FROM conflict_matches m
WHERE m.evaluator_id IS NOT NULL
UNION ALL
SELECT a.id, a.edition_id, t.evaluator_id, 'country', 'country', t.country, t.country,
       CASE a.kind WHEN 'nomination' THEN 'nominator_country' ELSE 'applicant_country' END, u.country
FROM applications a
JOIN editions e ON e.id = a.edition_id AND coalesce((e.scoring ->> 'country_conflicts')::boolean, false)
JOIN users u ON u.id = a.user_id AND u.country <> ''
JOIN (
	SELECT g.edition_id, g.user_id AS evaluator_id, ev.country
	FROM role_grants g JOIN users ev ON ev.id = g.user_id
	WHERE g.role IN ('evaluator', 'committee_head') AND ev.country <> ''
	UNION
	SELECT d.edition_id, d.evaluator_id, d.country
	FROM conflict_declarations d
	WHERE d.kind = 'city' AND d.country <> ''
) t ON t.edition_id = a.edition_id AND t.country = u.country;
