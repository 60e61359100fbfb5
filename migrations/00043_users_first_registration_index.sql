-- +goose Up
-- The screening queue no longer reads accounts by their first registration (00040 sorts them by
-- name or country across editions), so the two indexes that led with it serve nothing; what still
-- filters accounts by their first registration (data retention, DOMAIN.md "Data and publication")
-- needs only the edition and category.
DROP INDEX users_queue_name_idx;
DROP INDEX users_queue_country_idx;
CREATE INDEX users_first_registration_idx ON users (edition_id, category_id);
