-- +goose Up
-- Personal data: erasure and retention (internal/privacy).
--
-- editions.retention_years is the edition definition's retention_years: how many years after
-- the winners' announcement the personal data of the edition's unsuccessful entries are kept
-- before the periodic task personal-data-retention purges them.
ALTER TABLE editions
	ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 5 CHECK (retention_years BETWEEN 1 AND 100);

-- applications.purged_at: the entry lost its personal data (its person was erased, or the
-- retention period of its edition ended); what it keeps is described in internal/privacy.
ALTER TABLE applications ADD COLUMN purged_at TIMESTAMPTZ;

-- The retention task looks for the sent emails whose bodies are still there (the same predicate
-- as internal/privacy's, so that the index serves it and shrinks as bodies are emptied).
CREATE INDEX email_outbox_sent_body_idx ON email_outbox (sent_at)
	WHERE sent_at IS NOT NULL AND (text_body <> '' OR html_body <> '' OR attachments <> '[]');
