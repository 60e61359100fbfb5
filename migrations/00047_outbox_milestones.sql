-- +goose Up
-- An email that announces an outcome is tied to the step of its edition's schedule it announces
-- (edition_id, milestone) instead of a fixed send_after: the outbox's release task queues its
-- send job once that step's instant, as the editions row says it then, has come, so moving the
-- date moves the email and it never goes before the public page. released_at is when the job was
-- queued (NULL while the message waits for its step).
ALTER TABLE email_outbox
	ADD COLUMN edition_id BIGINT REFERENCES editions (id) ON DELETE CASCADE,
	ADD COLUMN milestone TEXT CHECK (milestone IN ('screening_end', 'semi_finalists_announced', 'winners_announced')),
	ADD COLUMN released_at TIMESTAMPTZ,
	ADD CONSTRAINT email_outbox_milestone_edition CHECK ((milestone IS NULL) = (edition_id IS NULL));
CREATE INDEX email_outbox_waiting_idx ON email_outbox (edition_id) WHERE milestone IS NOT NULL AND released_at IS NULL;

-- The instant each announcement step of an edition came, recorded when it comes (as the schedule
-- said it then), so the applicant's status timeline keeps the dates of the steps already passed
-- even when the schedule is changed afterwards.
CREATE TABLE edition_milestones (
	edition_id BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	milestone  TEXT NOT NULL CHECK (milestone IN ('screening_end', 'semi_finalists_announced', 'winners_announced')),
	reached_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (edition_id, milestone)
);
