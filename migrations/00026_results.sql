-- +goose Up
-- The announcement of the results (DOMAIN.md "Round 3"). From the schedule's
-- winners_announced instant the public results page shows the current winners (the confirmed
-- rows of awards); the periodic task results-announcement emails the outcome to every confirmed
-- semi-finalist of a category whose winners are confirmed, once per category, and asks each
-- winner for a video for the ceremony by the video deadline (the ceremony's start minus seven
-- days, internal/results.VideoDeadline), with reminders three days and one day before it.

-- A category whose results were emailed: at most once, whatever the later changes to its awards.
CREATE TABLE results_announcements (
	category_id  BIGINT PRIMARY KEY REFERENCES categories (id) ON DELETE CASCADE,
	edition_id   BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	announced_at TIMESTAMPTZ NOT NULL,
	emails       INTEGER NOT NULL CHECK (emails >= 0)
);
CREATE INDEX results_announcements_edition_idx ON results_announcements (edition_id);

-- The video emails sent to a winner, each once: the request (with the announcement, or later
-- for an award that passed to a successor) and the reminders three days and one day before the
-- deadline.
CREATE TABLE video_emails (
	award_id BIGINT NOT NULL REFERENCES awards (id) ON DELETE CASCADE,
	stage    TEXT NOT NULL CHECK (stage IN ('request', '3d', '1d')),
	sent_at  TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (award_id, stage)
);

-- The winner's ceremony video: a link (http or https) to where it can be watched or downloaded,
-- changeable until the deadline.
CREATE TABLE ceremony_videos (
	award_id     BIGINT PRIMARY KEY REFERENCES awards (id) ON DELETE CASCADE,
	url          TEXT NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
	submitted_by BIGINT NOT NULL REFERENCES users (id),
	submitted_at TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL
);
