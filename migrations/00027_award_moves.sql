-- +goose Up
-- Round 3: succession recomputes the category's result (each change recomputes
-- the result, is shown to the chair for confirmation and is audited; DOMAIN.md "Round 3": "if
-- one cannot, the prize goes to the candidate with the next highest score who can attend").
--
-- When a first-place winner cannot attend, or an award is invalidated, the places are given
-- again in the category's final order without the entries that declined or were invalidated:
-- the second-place winner becomes first, the third becomes second, and the next candidate
-- receives the third place. An entry that changes place keeps its old award with the status
-- 'moved' (status_changed_by/at, status_reason: where it went) and receives a new 'confirmed'
-- award at its new place, so the history of every award stays readable.
ALTER TABLE awards DROP CONSTRAINT awards_status_check;
ALTER TABLE awards ADD CONSTRAINT awards_status_check CHECK (status IN ('confirmed', 'invalidated', 'declined', 'moved'));

-- The chair confirms all the open proposals of a category at once, as one recomputed result;
-- to_application_id and new_award_id are filled then (the entry that took the vacated place).
COMMENT ON COLUMN award_proposals.to_application_id IS
	'the entry that received the vacated place when the chair confirmed the recomputed result; NULL while open or when no candidate was left';
