-- +goose Up
-- Application forms are edition data: each category may carry its form, as written
-- in the edition file, stored as JSON (internal/form.Form: sections of typed questions). NULL
-- means the category has no form (a leadership category until nominations bring theirs).
-- Answers refer to questions by key, so the form is kept whole rather than split into rows.
ALTER TABLE categories
	ADD COLUMN form JSONB CHECK (form IS NULL OR jsonb_typeof(form) = 'object');
