-- +goose Up
-- An edition's wording of an email is per language (DOMAIN.md: the prize runs in Korean and
-- English): a Korean reader gets the Korean override, else the Korean default wording. Existing
-- overrides were written in English (the default language of a row).
ALTER TABLE email_wordings ADD COLUMN language text NOT NULL DEFAULT 'en'
	CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$');
ALTER TABLE email_wordings DROP CONSTRAINT email_wordings_pkey;
ALTER TABLE email_wordings ADD PRIMARY KEY (edition_id, key, language);

-- +goose Down
DELETE FROM email_wordings WHERE language <> 'en';
ALTER TABLE email_wordings DROP CONSTRAINT email_wordings_pkey;
ALTER TABLE email_wordings ADD PRIMARY KEY (edition_id, key);
ALTER TABLE email_wordings DROP COLUMN language;
