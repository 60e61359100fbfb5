-- +goose Up
-- Uploaded files. Only metadata lives here; the content is in the file storage
-- (local disk or S3) under storage_key, a random key. Areas that use files (applications,
-- nominations) link to them from their own tables and decide who may see them.
CREATE TABLE files (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	storage_key   TEXT NOT NULL UNIQUE,
	-- original_name is the sanitised name the uploader's browser sent, shown and used for downloads.
	original_name TEXT NOT NULL CHECK (original_name <> '' AND length(original_name) <= 200),
	size          BIGINT NOT NULL CHECK (size >= 0),
	content_type  TEXT NOT NULL,
	sha256        TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	-- uploaded_by is NULL for uploads without an account (a recommender's letter).
	uploaded_by   BIGINT REFERENCES users (id),
	created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX files_uploaded_by_idx ON files (uploaded_by);
