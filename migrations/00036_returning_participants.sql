-- +goose Up
-- Returning participants: the prize recurs yearly, and an account (a person with an
-- organisation profile) may enter each edition. users.edition_id and users.category_id keep the
-- edition and category of the first registration; the edition and category of each entry are the
-- account's registration in that edition, below, with the version of the terms and conditions
-- accepted for that edition.
CREATE TABLE edition_registrations (
	user_id           BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	edition_id        BIGINT NOT NULL REFERENCES editions (id),
	category_id       BIGINT NOT NULL REFERENCES categories (id),
	terms_version     TEXT NOT NULL,
	terms_accepted_at TIMESTAMPTZ NOT NULL,
	created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, edition_id)
);
CREATE INDEX edition_registrations_edition_idx ON edition_registrations (edition_id, category_id);

INSERT INTO edition_registrations (user_id, edition_id, category_id, terms_version, terms_accepted_at, created_at)
SELECT id, edition_id, category_id, terms_version, coalesce(terms_accepted_at, created_at), created_at
FROM users WHERE edition_id IS NOT NULL AND category_id IS NOT NULL;

-- The first registration is written on the account (users.edition_id, category_id, terms_version,
-- terms_accepted_at) and copied here by a trigger, so that every writer of those columns keeps the
-- registration record in step.
-- +goose StatementBegin
CREATE FUNCTION users_first_registration() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.edition_id IS NOT NULL AND NEW.category_id IS NOT NULL THEN
		INSERT INTO edition_registrations (user_id, edition_id, category_id, terms_version, terms_accepted_at)
		VALUES (NEW.id, NEW.edition_id, NEW.category_id, NEW.terms_version, coalesce(NEW.terms_accepted_at, now()))
		ON CONFLICT (user_id, edition_id) DO UPDATE SET category_id = EXCLUDED.category_id;
	END IF;
	RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER users_first_registration AFTER INSERT OR UPDATE OF edition_id, category_id ON users
	FOR EACH ROW EXECUTE FUNCTION users_first_registration();

-- DOMAIN.md "Registration": one account holds one project application, per edition.
DROP INDEX applications_one_project_idx;
CREATE UNIQUE INDEX applications_one_project_idx ON applications (user_id, edition_id) WHERE kind = 'project';
