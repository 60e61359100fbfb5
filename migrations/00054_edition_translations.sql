-- +goose Up
-- Edition content in several languages (DOMAIN.md: the prize runs in Korean and English): the
-- language an edition is written and answered in, and the translations of its texts per language
-- ({"ko": {"English text": "번역", ...}}), as the definition's translations block gives them.
ALTER TABLE editions
	ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$'),
	ADD COLUMN translations jsonb NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE editions DROP COLUMN language, DROP COLUMN translations;
