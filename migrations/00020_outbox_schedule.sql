-- +goose Up
-- An email may be scheduled for later (screening outcomes are sent on the date
-- the schedule announces them): send_after is when its River job becomes due; NULL means at once.
ALTER TABLE email_outbox ADD COLUMN send_after TIMESTAMPTZ;
