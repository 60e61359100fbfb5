-- +goose Up
-- Conflicts of interest the portal finds itself, not only those declared (DOMAIN.md "People and
-- roles": no one judges an entry they are tied to; "Registration": the conflict-of-interest
-- registry).
--
-- found_conflicts: every (entry, jury member) pair the portal finds from structured data, with
-- why (reason):
--   'organisation'  the member's organisation (org_norm) is an organisation of the entry
--                   (conflict_entry_keys: the applicant's or nominator's, the project's lead,
--                   the candidate's);
--   'domain'        the member's email domain is an email domain of the entry (or a parent of
--                   it), unless it is a public mail provider (public_mail_domains) or a name
--                   reserved for examples and tests (RFC 2606: example.com, *.example, *.test),
--                   subdomains included;
--   'entry'         the member's account holds an entry of the same category in the edition
--                   (a competitor: one account holds one entry, migration 00010);
--   'registry'      the member's organisation or email domain is one of a registered
--                   organisation (conflict_organisations, its aliases and domains) that the
--                   entry matches too.
-- Jury members are the evaluators, the committee head and the council of the edition. A member's
-- own entry is never in the list (the assignment never gives it to them anyway).
--
-- conflict_reviews: the member's answer to what was found for an entry: 'confirmed' (it is a
-- conflict) or 'explained' (it is not, with why; visible to the secretariat). A found conflict
-- bars the pair from assignment and from ranking in the ballot until it is explained:
-- assignment_conflicts (migration 00022) is replaced below to include it.

CREATE TABLE public_mail_domains (
	domain TEXT PRIMARY KEY CHECK (domain = lower(btrim(domain)) AND domain LIKE '%.%')
);
INSERT INTO public_mail_domains (domain) VALUES
	('gmail.com'), ('googlemail.com'), ('naver.com'), ('daum.net'), ('hanmail.net'), ('kakao.com'), ('nate.com'),
	('outlook.com'), ('hotmail.com'), ('live.com'), ('msn.com'), ('yahoo.com'), ('yahoo.co.kr'), ('yahoo.co.jp'),
	('icloud.com'), ('me.com'), ('mac.com'), ('aol.com'), ('proton.me'), ('protonmail.com'), ('gmx.com'),
	('gmx.de'), ('gmx.net'), ('web.de'), ('mail.com'), ('mail.ru'), ('yandex.ru'), ('yandex.com'), ('zoho.com'),
	('qq.com'), ('163.com'), ('126.com'), ('sina.com'), ('sohu.com'), ('foxmail.com'), ('orange.fr'),
	('free.fr'), ('laposte.net'), ('libero.it'), ('rediffmail.com'), ('fastmail.com'), ('tutanota.com'),
	('example.com'), ('example.net'), ('example.org');

CREATE VIEW found_conflicts AS
WITH members AS NOT MATERIALIZED (
	SELECT DISTINCT g.edition_id, u.id AS user_id, u.organisation, org_norm(u.organisation) AS org,
	       lower(btrim(split_part(u.email, '@', 2))) AS domain
	FROM role_grants g JOIN users u ON u.id = g.user_id
	WHERE g.role IN ('evaluator', 'committee_head', 'council') AND g.edition_id IS NOT NULL
),
keyed AS NOT MATERIALIZED (
	SELECT m.edition_id, m.user_id, m.organisation, m.org,
	       CASE WHEN m.domain LIKE '%.%' AND NOT EXISTS (SELECT 1 FROM public_mail_domains p WHERE p.domain = ANY (domain_suffixes(m.domain)))
	                 AND split_part(m.domain, '.', -1) NOT IN ('example', 'test', 'invalid', 'localhost')
	            THEN m.domain ELSE '' END AS domain
	FROM members m
),
found AS (
	SELECT e.application_id, e.edition_id, k.user_id, 'organisation' AS reason, k.organisation AS subject, e.field, e.raw AS matched
	FROM keyed k JOIN conflict_entry_keys e ON e.edition_id = k.edition_id AND e.kind = 'organisation' AND e.value = k.org
	WHERE k.org <> ''
	UNION
	SELECT e.application_id, e.edition_id, k.user_id, 'domain', k.domain, e.field, e.raw
	FROM keyed k JOIN conflict_entry_keys e ON e.edition_id = k.edition_id AND e.kind = 'domain' AND e.value = k.domain
	WHERE k.domain <> ''
	UNION
	SELECT a.id, a.edition_id, k.user_id, 'entry', c.name, 'category', c.name
	FROM keyed k
	JOIN applications own ON own.user_id = k.user_id AND own.edition_id = k.edition_id AND own.status <> 'withdrawn'
	JOIN applications a ON a.edition_id = own.edition_id AND a.category_id = own.category_id AND a.id <> own.id
	JOIN categories c ON c.id = a.category_id
	UNION
	SELECT m.application_id, m.edition_id, k.user_id, 'registry', r.subject, m.field, m.matched
	FROM keyed k
	JOIN conflict_keys r ON r.source = 'registry' AND r.edition_id = k.edition_id
		AND ((r.kind = 'organisation' AND k.org <> '' AND r.value = k.org)
		  OR (r.kind = 'domain' AND k.domain <> '' AND r.value = ANY (domain_suffixes(k.domain))))
	JOIN conflict_matches m ON m.source = 'registry' AND m.source_id = r.source_id
)
SELECT f.application_id, f.edition_id, f.user_id, f.reason, f.subject, f.field, coalesce(f.matched, '') AS matched
FROM found f JOIN applications a ON a.id = f.application_id
WHERE a.user_id <> f.user_id;

CREATE TABLE conflict_reviews (
	application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
	user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	decision       TEXT NOT NULL CHECK (decision IN ('confirmed', 'explained')),
	explanation    TEXT NOT NULL DEFAULT '',
	decided_at     TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (application_id, user_id),
	CHECK (decision <> 'explained' OR btrim(explanation) <> '')
);
CREATE INDEX conflict_reviews_user_idx ON conflict_reviews (user_id);

-- assignment_conflicts as in migration 00022, with the entry's country read from
-- entry_participants (migration 00044: a nomination's is its candidate's), plus source 'found':
-- what found_conflicts finds, unless the member explained it (subject_kind is the reason).
CREATE OR REPLACE VIEW assignment_conflicts AS
SELECT m.application_id, m.edition_id, m.evaluator_id, 'declaration' AS source, m.subject_kind, m.subject,
       m.subject_country, m.field, m.matched
FROM conflict_matches m
WHERE m.evaluator_id IS NOT NULL
UNION ALL
SELECT a.id, a.edition_id, t.evaluator_id, 'country', 'country', t.country, t.country,
       CASE a.kind WHEN 'nomination' THEN 'candidate_country' ELSE 'applicant_country' END, p.country
FROM applications a
JOIN editions e ON e.id = a.edition_id AND coalesce((e.scoring ->> 'country_conflicts')::boolean, false)
JOIN entry_participants p ON p.application_id = a.id AND p.country <> ''
JOIN (
	SELECT g.edition_id, g.user_id AS evaluator_id, ev.country
	FROM role_grants g JOIN users ev ON ev.id = g.user_id
	WHERE g.role IN ('evaluator', 'committee_head') AND ev.country <> ''
	UNION
	SELECT d.edition_id, d.evaluator_id, d.country
	FROM conflict_declarations d
	WHERE d.kind = 'city' AND d.country <> ''
) t ON t.edition_id = a.edition_id AND t.country = p.country
UNION ALL
SELECT f.application_id, f.edition_id, f.user_id, 'found', f.reason, f.subject, '', f.field, f.matched
FROM found_conflicts f
WHERE NOT EXISTS (SELECT 1 FROM conflict_reviews r
	WHERE r.application_id = f.application_id AND r.user_id = f.user_id AND r.decision = 'explained');
