-- +goose Up
-- The conflict-of-interest registry (DOMAIN.md "Registration": entities
-- represented among the organisers or evaluators may not apply), and the affiliations and
-- conflicts evaluators declare themselves, which round 2 assignment uses again.
--
-- Matching is set-based, in the views below:
--   conflict_entry_keys  what an entry (an application of any kind or status) can be matched by;
--   conflict_keys        what the registry and the declarations match on;
--   conflict_matches     every (entry, registry organisation or evaluator declaration) that match,
--                        with the entry's field that matched.
-- Round 2 assignment must never assign a conflicted evaluator: join or filter with
--   NOT EXISTS (SELECT 1 FROM conflict_matches m
--               WHERE m.evaluator_id = <evaluator> AND m.application_id = <entry>)
-- (internal/conflict.EvaluatorConflicts and Conflicted read the same view).

-- An organisation represented among the organisers or evaluators of an edition. Names, aliases
-- and email domains are matched normalised (org_norm, migration 00015; domains in lower case,
-- subdomains included). country is an ISO 3166-1 alpha-2 code or ''.
CREATE TABLE conflict_organisations (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	edition_id BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	name       TEXT NOT NULL CHECK (org_norm(name) <> ''),
	aliases    TEXT[] NOT NULL DEFAULT '{}',
	domains    TEXT[] NOT NULL DEFAULT '{}',
	country    TEXT NOT NULL DEFAULT '',
	note       TEXT NOT NULL DEFAULT '',
	added_by   BIGINT REFERENCES users (id),
	added_at   TIMESTAMPTZ NOT NULL,
	updated_by BIGINT REFERENCES users (id),
	updated_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX conflict_organisations_name_idx ON conflict_organisations (edition_id, org_norm(name));

-- An evaluator's (or the committee head's) own affiliation or conflict in an edition they serve:
-- an organisation (with aliases and email domains), a city (with its country) or a person (by
-- name, and email when known). note says how they are connected.
CREATE TABLE conflict_declarations (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	edition_id   BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	evaluator_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind         TEXT NOT NULL CHECK (kind IN ('organisation', 'city', 'person')),
	name         TEXT NOT NULL CHECK (org_norm(name) <> ''),
	aliases      TEXT[] NOT NULL DEFAULT '{}',
	domains      TEXT[] NOT NULL DEFAULT '{}',
	country      TEXT NOT NULL DEFAULT '',
	email        TEXT NOT NULL DEFAULT '' CHECK (email = lower(btrim(email))),
	note         TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMPTZ NOT NULL,
	CHECK (kind <> 'city' OR country <> '')
);
CREATE INDEX conflict_declarations_evaluator_idx ON conflict_declarations (evaluator_id, edition_id);
CREATE INDEX conflict_declarations_edition_idx ON conflict_declarations (edition_id);

-- domain_suffixes lists a domain and every parent domain: 'a.wego-net.org' gives
-- {a.wego-net.org, wego-net.org, org}, so that a listed domain also matches its subdomains by
-- equality (the registry never lists a bare top-level domain).
-- +goose StatementBegin
CREATE FUNCTION domain_suffixes(d TEXT) RETURNS TEXT[] LANGUAGE SQL IMMUTABLE PARALLEL SAFE AS $$
	SELECT coalesce(array_agg(array_to_string(p[i:], '.') ORDER BY i), '{}')
	FROM (SELECT string_to_array(d, '.') AS p) x, generate_series(1, coalesce(array_length(p, 1), 0)) i
$$;
-- +goose StatementEnd

-- conflict_entry_keys: per entry, the values it is matched by. kind says what a value is
-- compared with ('organisation': org_norm of a name; 'domain': an email domain and its parents;
-- 'city': the trimmed city in lower case, with country; 'person': org_norm of a person's name;
-- 'email': a trimmed email address in lower case); field says where it came from (for a
-- nomination, the account holder is the nominator); raw is the value as entered.
CREATE VIEW conflict_entry_keys AS
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
	(CASE a.kind WHEN 'nomination' THEN 'nominator_city' ELSE 'applicant_city' END,
	 'city', u.city, lower(btrim(u.city)), u.country),
	(CASE a.kind WHEN 'nomination' THEN 'nominator_name' ELSE 'applicant_name' END,
	 'person', u.name, org_norm(u.name), ''),
	(CASE a.kind WHEN 'nomination' THEN 'nominator_email' ELSE 'applicant_email' END,
	 'email', u.email, lower(btrim(u.email)), ''),
	('candidate_name', 'person', n.candidate_name, org_norm(n.candidate_name), ''),
	('candidate_email', 'email', n.candidate_email, lower(btrim(n.candidate_email)), '')
) AS k(field, kind, raw, norm, country)
CROSS JOIN LATERAL unnest(CASE WHEN k.kind = 'domain' THEN domain_suffixes(k.norm) ELSE ARRAY[k.norm] END) AS v(value)
WHERE v.value <> '';

-- conflict_keys: the values the registry ('registry', evaluator_id NULL) and the evaluators'
-- declarations ('declaration') match on, normalised as in conflict_entry_keys. subject is the
-- registered or declared name; subject_kind is 'organisation', 'city' or 'person'.
CREATE VIEW conflict_keys AS
SELECT 'registry' AS source, o.id AS source_id, o.edition_id, NULL::BIGINT AS evaluator_id,
       'organisation' AS subject_kind, o.name AS subject, k.kind, k.value, '' AS country
FROM conflict_organisations o
CROSS JOIN LATERAL (
	SELECT 'organisation', org_norm(o.name)
	UNION SELECT 'organisation', org_norm(x) FROM unnest(o.aliases) x
	UNION SELECT 'domain', x FROM unnest(o.domains) x
) AS k(kind, value)
WHERE k.value <> ''
UNION ALL
SELECT 'declaration', d.id, d.edition_id, d.evaluator_id, d.kind, d.name, k.kind, k.value, k.country
FROM conflict_declarations d
CROSS JOIN LATERAL (
	SELECT 'organisation', org_norm(d.name), '' WHERE d.kind = 'organisation'
	UNION SELECT 'organisation', org_norm(x), '' FROM unnest(d.aliases) x WHERE d.kind = 'organisation'
	UNION SELECT 'domain', x, '' FROM unnest(d.domains) x WHERE d.kind = 'organisation'
	UNION SELECT 'city', lower(btrim(d.name)), d.country WHERE d.kind = 'city'
	UNION SELECT 'person', org_norm(d.name), '' WHERE d.kind = 'person'
	UNION SELECT 'email', d.email, '' WHERE d.kind = 'person'
) AS k(kind, value, country)
WHERE k.value <> '';

-- conflict_matches: every match of an entry with a registry organisation or an evaluator's
-- declaration of the same edition, one row per (entry, source, field). A city matches only in
-- its country (subject_country, '' for organisations and persons).
CREATE VIEW conflict_matches AS
SELECT DISTINCT e.application_id, e.edition_id, c.source, c.source_id, c.evaluator_id,
       c.subject_kind, c.subject, c.country AS subject_country, e.field, e.raw AS matched
FROM conflict_entry_keys e
JOIN conflict_keys c ON c.edition_id = e.edition_id AND c.kind = e.kind AND c.value = e.value
	AND (e.kind <> 'city' OR c.country = e.country);
