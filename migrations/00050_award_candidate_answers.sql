-- +goose Up
-- The candidate of a Leadership nomination answers for the ceremony and gives the video through a
-- private link, without an account (private_links, purpose 'award_candidate', subject the award).
-- An answer or a video link is then given either by the entry's account (answered_by,
-- submitted_by) or by the candidate, recorded by name and address (answered_by_candidate,
-- submitted_by_candidate): exactly one of the two.
ALTER TABLE award_attendance
	ALTER COLUMN answered_by DROP NOT NULL,
	ADD COLUMN answered_by_candidate TEXT,
	ADD CONSTRAINT award_attendance_one_answerer CHECK ((answered_by IS NULL) <> (answered_by_candidate IS NULL));
ALTER TABLE ceremony_videos
	ALTER COLUMN submitted_by DROP NOT NULL,
	ADD COLUMN submitted_by_candidate TEXT,
	ADD CONSTRAINT ceremony_videos_one_submitter CHECK ((submitted_by IS NULL) <> (submitted_by_candidate IS NULL));
-- A candidate's "cannot attend" proposes the succession in their name.
ALTER TABLE award_proposals
	ALTER COLUMN proposed_by DROP NOT NULL,
	ADD COLUMN proposed_by_candidate TEXT,
	ADD CONSTRAINT award_proposals_one_proposer CHECK ((proposed_by IS NULL) <> (proposed_by_candidate IS NULL));
