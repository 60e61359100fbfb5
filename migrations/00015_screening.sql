-- +goose Up
-- Round 1: screening by the secretariat (DOMAIN.md "Round 1"). Every submitted project
-- application and every complete nomination is an entry of the round; the secretariat decides
-- each one eligible or ineligible (with a reason), or asks for clarification first.

-- The current decision on an entry; the audit log keeps every earlier one (the entry's history).
-- revision counts the decisions; a revision needs a reason (revision_reason of the latest).
CREATE TABLE screening_decisions (
	application_id      BIGINT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
	decision            TEXT NOT NULL CHECK (decision IN ('eligible', 'ineligible', 'clarification')),
	reason_key          TEXT NOT NULL DEFAULT '',
	reason_text         TEXT NOT NULL DEFAULT '',
	checklist           JSONB NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(checklist) = 'object'),
	decided_by          BIGINT NOT NULL REFERENCES users (id),
	decided_at          TIMESTAMPTZ NOT NULL,
	revision            INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
	revision_reason     TEXT NOT NULL DEFAULT '',
	-- A second opinion: the decider (or anyone) asks another secretariat member to review it.
	review_requested_by BIGINT REFERENCES users (id),
	review_requested_at TIMESTAMPTZ,
	review_note         TEXT NOT NULL DEFAULT '',
	reviewed_by         BIGINT REFERENCES users (id),
	reviewed_at         TIMESTAMPTZ,
	review_outcome      TEXT NOT NULL DEFAULT '' CHECK (review_outcome IN ('', 'agree', 'disagree')),
	CHECK (decision <> 'ineligible' OR reason_key <> '')
);
CREATE INDEX screening_decisions_decision_idx ON screening_decisions (decision, application_id);

-- A closed round: no decision changes afterwards; the eligible entries go on to round 2.
CREATE TABLE screening_rounds (
	edition_id BIGINT PRIMARY KEY REFERENCES editions (id),
	closed_at  TIMESTAMPTZ NOT NULL,
	closed_by  BIGINT REFERENCES users (id)
);

-- Flags on an entry that the portal raises itself (a conflict of interest with a registered
-- organisation, ...), shown in the queue and the screening view, and filterable.
CREATE TABLE entry_flags (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
	kind           TEXT NOT NULL,
	detail         TEXT NOT NULL DEFAULT '',
	created_at     TIMESTAMPTZ NOT NULL,
	UNIQUE (application_id, kind, detail)
);
CREATE INDEX entry_flags_kind_idx ON entry_flags (kind, application_id);

-- The queue reads the submitted entries of an edition, by category, in submission order.
CREATE INDEX applications_queue_idx ON applications (edition_id, category_id, submitted_at, id) WHERE status = 'submitted';
-- Sorted by applicant or by country, it reads the registrants of the category in that order.
CREATE INDEX users_queue_name_idx ON users (edition_id, category_id, lower(name), id);
CREATE INDEX users_queue_country_idx ON users (edition_id, category_id, country, lower(name), id);

-- org_norm is internal/nomination.SameOrganisation's comparison key: lower case, a leading "the "
-- dropped, everything but letters and digits removed.
-- +goose StatementBegin
CREATE FUNCTION org_norm(s TEXT) RETURNS TEXT LANGUAGE SQL IMMUTABLE PARALLEL SAFE AS $$
	SELECT regexp_replace(regexp_replace(lower(btrim(s)), '^the ', ''), '[^[:alnum:]]+', '', 'g')
$$;
-- +goose StatementEnd

-- nomination_complete is internal/nomination.Nomination.Complete in SQL, for the queue: the
-- candidate's consent (or a self-nomination) and either a received letter that counts (not from
-- the organisation of a candidate who heads one, unless the secretariat accepted it) or more
-- confirmed, distinct endorsements than the category's threshold. A test checks both agree.
-- +goose StatementBegin
CREATE FUNCTION nomination_complete(app BIGINT) RETURNS BOOLEAN LANGUAGE SQL STABLE PARALLEL SAFE AS $$
	SELECT EXISTS (
		SELECT 1 FROM nominations n JOIN applications a ON a.id = n.application_id JOIN categories c ON c.id = a.category_id
		WHERE n.application_id = app
		  AND (n.self OR n.consent = 'given')
		  AND (EXISTS (SELECT 1 FROM recommendation_letters l
		               WHERE l.application_id = n.application_id AND l.status = 'received'
		                 AND (NOT n.candidate_is_head OR n.override_reason <> ''
		                      OR org_norm(l.recommender_organisation) = ''
		                      OR org_norm(l.recommender_organisation) <> org_norm(n.candidate_organisation)))
		       OR (SELECT count(DISTINCT e.email_norm) FROM endorsements e
		           WHERE e.application_id = n.application_id AND e.confirmed_at IS NOT NULL)
		          > coalesce((c.nominations->>'endorsements_more_than')::int, 2147483647)))
$$;
-- +goose StatementEnd
