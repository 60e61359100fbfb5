-- +goose Up
-- Private-link tokens in sent emails: from now on the outbox worker redacts the token of every
-- private link (internal/link.Redact) in a message's stored bodies when it marks the message
-- sent or gives it up. This applies the same rule, once, to the messages sent or given up
-- before: the recipients have their links, and the outbox must not keep usable credentials.
-- The pattern is link.Redact's (its test runs this statement and compares).
UPDATE email_outbox
SET text_body = regexp_replace(text_body, '(/verify/|/password/reset/|/invite/|/consent/|/letters/|/endorse/confirm/|[?&;]invitation=)[A-Za-z0-9_-]{16,}', '\1[redacted]', 'g'),
    html_body = regexp_replace(html_body, '(/verify/|/password/reset/|/invite/|/consent/|/letters/|/endorse/confirm/|[?&;]invitation=)[A-Za-z0-9_-]{16,}', '\1[redacted]', 'g')
WHERE sent_at IS NOT NULL OR attempts >= 25;
