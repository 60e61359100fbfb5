-- +goose Up
-- Roles are granted per edition (edition_id), except global ones such as admin (edition_id NULL).
-- One person may hold several roles (DOMAIN.md, "People and roles").
CREATE TABLE role_grants (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role       TEXT NOT NULL CHECK (role IN ('applicant', 'nominator', 'secretariat', 'evaluator', 'committee_head', 'council', 'admin')),
	edition_id BIGINT REFERENCES editions (id) ON DELETE CASCADE,
	granted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	granted_by BIGINT REFERENCES users (id),
	CHECK ((role = 'admin') = (edition_id IS NULL))
);
CREATE UNIQUE INDEX role_grants_unique ON role_grants (user_id, role, coalesce(edition_id, 0));
