-- +goose Up
-- The secretariat's duplicate finder (DOMAIN.md "Registration": the same project
-- may not be entered in both Tech-InnovaCity and Human-CentriCity) compares titles, summaries and
-- organisations with pg_trgm's similarity(). pg_trgm is a trusted extension (Postgres 13+), so
-- the database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
