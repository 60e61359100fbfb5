-- +goose Up
-- DOMAIN.md "Registration": entities represented among the organisers or evaluators may not
-- apply; registration warns the secretariat when one does. registration_conflicts: every
-- registration (edition_registrations) whose account's organisation or email domain matches an
-- organisation of the edition's registry (conflict_keys, source 'registry'), normalised as
-- conflict_entry_keys does for the applicant (org_norm; a domain and its parents). field is
-- 'organisation' or 'email domain'; matched is the account's value as entered.
CREATE VIEW registration_conflicts AS
SELECT DISTINCT r.user_id, r.edition_id, r.category_id, c.source_id, c.subject, k.field, k.raw AS matched
FROM edition_registrations r
JOIN users u ON u.id = r.user_id
CROSS JOIN LATERAL (VALUES
	('organisation', 'organisation', u.organisation, ARRAY[org_norm(u.organisation)]),
	('email domain', 'domain', u.email, domain_suffixes(lower(btrim(split_part(u.email, '@', 2)))))
) AS k(field, kind, raw, vals)
JOIN conflict_keys c ON c.source = 'registry' AND c.edition_id = r.edition_id AND c.kind = k.kind
	AND c.value <> '' AND c.value = ANY (k.vals);
