-- +goose Up
-- The screening queue sorted by applicant or by country reads the accounts in that order and
-- finds each one's entry in the edition and category (applications_user_idx): an account may
-- enter several editions (returning participants), so its first registration on users no longer
-- says which entries it holds.
CREATE INDEX users_name_idx ON users (lower(name), id);
CREATE INDEX users_country_name_idx ON users (country, lower(name), id);
