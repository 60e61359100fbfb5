-- +goose Up
-- Leadership nominations (DOMAIN.md "Leadership nominations") are edition data: a
-- leadership category carries its nomination rules as written in the edition file, stored as
-- JSON like its form (00008): the nominator categories {key, name, head} (head: the "head of"
-- categories a recommender must belong to), endorsements_more_than (a nomination without a
-- letter qualifies with more than this many confirmed citizen endorsements) and letter_deadline
-- (an RFC 3339 instant). NULL for a project category; re-importing the file replaces it.
ALTER TABLE categories
	ADD COLUMN nominations JSONB
		CHECK (nominations IS NULL OR jsonb_typeof(nominations) = 'object'),
	ADD CONSTRAINT categories_nominations_leadership_only
		CHECK (nominations IS NULL OR kind = 'leadership');
