-- +goose Up
-- Citizen endorsements count people, not spellings of an address (DOMAIN.md "Leadership
-- nominations": signatures from more than 30 citizens). email_norm becomes the endorsement key:
-- lower case, trimmed, without a +tag in the local part, and at Gmail (gmail.com, googlemail.com)
-- without dots in the local part. endorsement_email_key is that rule in SQL; the Go form is
-- nomination.NormEmail, and a test checks that both agree.
-- +goose StatementBegin
CREATE FUNCTION endorsement_email_key(email TEXT) RETURNS TEXT
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
	e  TEXT := lower(btrim(email));
	lp TEXT;
	dp TEXT;
BEGIN
	IF position('@' IN e) = 0 THEN
		RETURN e;
	END IF;
	lp := substring(e FROM '^(.*)@');
	dp := substring(e FROM '@([^@]*)$');
	lp := regexp_replace(lp, '^([^+]+)\+.*$', '\1');
	IF dp IN ('gmail.com', 'googlemail.com') THEN
		lp := replace(lp, '.', '');
		dp := 'gmail.com';
	END IF;
	RETURN lp || '@' || dp;
END
$$;
-- +goose StatementEnd

-- Stored endorsements get the new key. Two confirmed endorsements of one nomination may now share
-- a key: the earliest confirmed stays the one the unique index holds, the others are marked
-- duplicate (kept as evidence). Counts take distinct keys, so a duplicate never counts twice.
ALTER TABLE endorsements ADD COLUMN duplicate BOOLEAN NOT NULL DEFAULT false;
DROP INDEX endorsements_confirmed_email_idx;
UPDATE endorsements SET email_norm = endorsement_email_key(email) WHERE email_norm <> endorsement_email_key(email);
UPDATE endorsements d SET duplicate = true
FROM (SELECT id, first_value(id) OVER (PARTITION BY application_id, email_norm ORDER BY confirmed_at, id) AS first
      FROM endorsements WHERE confirmed_at IS NOT NULL) f
WHERE d.id = f.id AND f.first <> d.id;
CREATE UNIQUE INDEX endorsements_confirmed_email_idx ON endorsements (application_id, email_norm)
	WHERE confirmed_at IS NOT NULL AND NOT duplicate;

-- The candidate's decline stays on the nomination (DOMAIN.md "Leadership nominations": a
-- nomination needs the candidate's permission): consent_declined_at is set when the candidate
-- declines and is not cleared by the nominator changing the candidate's address; while it is set
-- only the secretariat may ask the candidate again, which clears it.
ALTER TABLE nominations ADD COLUMN consent_declined_at TIMESTAMPTZ;
UPDATE nominations SET consent_declined_at = coalesce(consent_decided_at, created_at) WHERE consent = 'declined';
