-- +goose Up
-- Exports and the decision pack: each export a staff member asks for is
-- a row here, produced by a background job (a River job in the "job" queue carrying the row's
-- id) that records its progress (items done of total) and, when done, the storage key of the
-- file (internal/files storage). Only the requester downloads it; the job reads the data as the
-- requester, with their roles at the time it runs.
CREATE TABLE export_jobs (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	requester_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	edition_id   BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	kind         TEXT NOT NULL CHECK (kind IN ('applications', 'scores', 'votes', 'audit', 'pack', 'assigned')),
	options      JSONB NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(options) = 'object'),
	status       TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
	progress     INTEGER NOT NULL DEFAULT 0 CHECK (progress >= 0),
	total        INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
	attempts     INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	file_key     TEXT NOT NULL DEFAULT '',
	file_name    TEXT NOT NULL DEFAULT '',
	content_type TEXT NOT NULL DEFAULT '',
	size         BIGINT NOT NULL DEFAULT 0 CHECK (size >= 0),
	error        TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMPTZ NOT NULL,
	started_at   TIMESTAMPTZ,
	finished_at  TIMESTAMPTZ,
	CHECK ((status = 'done') = (file_key <> '')),
	CHECK ((status IN ('done', 'failed')) = (finished_at IS NOT NULL))
);
CREATE INDEX export_jobs_requester_idx ON export_jobs (requester_id, edition_id, created_at DESC);
