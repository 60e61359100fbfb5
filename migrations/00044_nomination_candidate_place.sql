-- +goose Up
-- The Leadership candidate is the participant (DOMAIN.md "Categories": Leadership honours
-- individuals; "Round 1": city- and country-level data is attached to an entry). A nomination
-- records where the candidate works, and every reader of an entry's place reads it from one
-- view, entry_participants, instead of the account that entered it.
--
-- Until now only the nominator's account had a city and country, and it stood for the candidate
-- everywhere; existing nominations start from it (exact for a self-nomination), and the
-- nominator or the candidate (at consent) corrects it.
ALTER TABLE nominations
	ADD COLUMN candidate_city    TEXT NOT NULL DEFAULT '',
	ADD COLUMN candidate_country TEXT NOT NULL DEFAULT '';
UPDATE nominations n SET candidate_city = u.city, candidate_country = u.country
FROM users u WHERE u.id = n.user_id;

-- entry_participants: who an entry is about. For a project, the account that entered it (its
-- contact, organisation, city, country); for a nomination, the candidate as the nomination
-- records them. name and email are the person's.
CREATE VIEW entry_participants AS
SELECT a.id AS application_id,
       coalesce(n.candidate_name, u.name) AS name,
       coalesce(n.candidate_email, u.email) AS email,
       coalesce(n.candidate_organisation, u.organisation) AS organisation,
       coalesce(n.candidate_city, u.city) AS city,
       coalesce(n.candidate_country, u.country) AS country
FROM applications a
JOIN users u ON u.id = a.user_id
LEFT JOIN nominations n ON n.application_id = a.id;

-- A nomination is matched on its candidate's city, not its nominator's: the candidate is the
-- participant (the nominator's organisation, name and email still match, as before).
CREATE OR REPLACE VIEW conflict_entry_keys AS
SELECT a.id AS application_id, a.edition_id, k.field, k.kind, v.value, k.country, k.raw
FROM applications a
JOIN users u ON u.id = a.user_id
LEFT JOIN nominations n ON n.application_id = a.id
CROSS JOIN LATERAL (VALUES
	(CASE a.kind WHEN 'nomination' THEN 'nominator_organisation' ELSE 'applicant_organisation' END,
	 'organisation', u.organisation, org_norm(u.organisation), ''),
	('lead_organisation', 'organisation', a.answers->'lead_organisation'->>'text',
	 CASE WHEN a.kind = 'project' THEN org_norm(a.answers->'lead_organisation'->>'text') END, ''),
	('candidate_organisation', 'organisation', n.candidate_organisation, org_norm(n.candidate_organisation), ''),
	(CASE a.kind WHEN 'nomination' THEN 'nominator_email_domain' ELSE 'applicant_email_domain' END,
	 'domain', u.email, lower(btrim(split_part(u.email, '@', 2))), ''),
	('candidate_email_domain', 'domain', n.candidate_email, lower(btrim(split_part(n.candidate_email, '@', 2))), ''),
	(CASE a.kind WHEN 'nomination' THEN 'candidate_city' ELSE 'applicant_city' END,
	 'city', coalesce(n.candidate_city, u.city), lower(btrim(coalesce(n.candidate_city, u.city))),
	 coalesce(n.candidate_country, u.country)),
	(CASE a.kind WHEN 'nomination' THEN 'nominator_name' ELSE 'applicant_name' END,
	 'person', u.name, org_norm(u.name), ''),
	(CASE a.kind WHEN 'nomination' THEN 'nominator_email' ELSE 'applicant_email' END,
	 'email', u.email, lower(btrim(u.email)), ''),
	('candidate_name', 'person', n.candidate_name, org_norm(n.candidate_name), ''),
	('candidate_email', 'email', n.candidate_email, lower(btrim(n.candidate_email)), '')
) AS k(field, kind, raw, norm, country)
CROSS JOIN LATERAL unnest(CASE WHEN k.kind = 'domain' THEN domain_suffixes(k.norm) ELSE ARRAY[k.norm] END) AS v(value)
WHERE v.value <> '';

-- entry_addressees: who is told about an entry: the account that entered it (the applicant, or
-- the nominator, who so gets a copy of what the candidate is told), then a nomination's
-- candidate (user_id NULL: no account) unless they nominated themselves or share the
-- nominator's address.
CREATE VIEW entry_addressees AS
SELECT a.id AS application_id, u.id AS user_id, u.name, u.email, false AS candidate
FROM applications a JOIN users u ON u.id = a.user_id
UNION ALL
SELECT n.application_id, NULL, n.candidate_name, n.candidate_email, true
FROM nominations n JOIN users u ON u.id = n.user_id
WHERE NOT n.self AND lower(btrim(n.candidate_email)) <> lower(btrim(u.email));

-- nomination_repeats: the submitted nominations of an edition that name the same candidate as
-- nomination application_id: the same email address (reason 'email'), or the same name and
-- organisation, compared normalised (reason 'name'). The secretariat sees them flagged in the
-- screening queue ("same-candidate").
CREATE VIEW nomination_repeats AS
SELECT n.application_id, o.application_id AS other_id,
       CASE WHEN lower(btrim(o.candidate_email)) = lower(btrim(n.candidate_email)) THEN 'email' ELSE 'name' END AS reason
FROM nominations n
JOIN nominations o ON o.edition_id = n.edition_id AND o.application_id <> n.application_id
	AND (lower(btrim(o.candidate_email)) = lower(btrim(n.candidate_email))
	     OR (org_norm(o.candidate_name) = org_norm(n.candidate_name)
	         AND org_norm(o.candidate_organisation) = org_norm(n.candidate_organisation)))
JOIN applications oa ON oa.id = o.application_id AND oa.status = 'submitted';
