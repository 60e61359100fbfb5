-- +goose Up
-- Each account's language (DOMAIN.md: the prize runs in Korean and English): the one the person
-- chose with the language switch (language), and the one their pages were last shown in
-- (language_seen). Emails go in the first, else the second, else English.
ALTER TABLE users
	ADD COLUMN language text CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$'),
	ADD COLUMN language_seen text CHECK (language_seen ~ '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$');

-- +goose Down
ALTER TABLE users DROP COLUMN language, DROP COLUMN language_seen;
