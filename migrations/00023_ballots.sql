-- +goose Up
-- Round 3: the vote of the Prize Council (DOMAIN.md "Round 3"). The
-- council is the council role grants of an edition; the secretariat records its chair. Each
-- member ranks the confirmed semi-finalists of a category on a secret ballot (ties allowed; an
-- abstention on an entry states the member's conflict); the chair closes the vote once the
-- quorum is reached, which counts the ballots and records the result; the chair confirms the
-- winners from it.

-- editions.voting holds the edition's `voting:` block (internal/edition: method, quorum); '{}'
-- means every default (Schulze, a majority of the council).
ALTER TABLE editions ADD COLUMN voting JSONB NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(voting) = 'object');

-- The chair of an edition's council, set by the secretariat (a council member of the edition).
CREATE TABLE council_chairs (
	edition_id BIGINT PRIMARY KEY REFERENCES editions (id) ON DELETE CASCADE,
	user_id    BIGINT NOT NULL REFERENCES users (id),
	set_by     BIGINT NOT NULL REFERENCES users (id),
	set_at     TIMESTAMPTZ NOT NULL
);

-- One ballot per member and category, changeable until the category's vote closes. Secret until
-- then: only its member reads its ranks (internal/ballot).
CREATE TABLE ballots (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	edition_id  BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
	member_id   BIGINT NOT NULL REFERENCES users (id),
	cast_at     TIMESTAMPTZ NOT NULL,
	updated_at  TIMESTAMPTZ NOT NULL,
	UNIQUE (category_id, member_id)
);

-- A ballot's line per semi-finalist: a rank (1 = best; equal ranks are ties) or an abstention
-- with the member's stated conflict.
CREATE TABLE ballot_ranks (
	ballot_id      BIGINT NOT NULL REFERENCES ballots (id) ON DELETE CASCADE,
	application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
	rank           INTEGER CHECK (rank >= 1),
	conflict       TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (ballot_id, application_id),
	CHECK ((rank IS NULL) = (btrim(conflict) <> ''))
);

-- The closed vote of a category: the count's method, the ballots counted, the committee scores
-- used to break ties (round 2 aggregates, by application id), the chair's recorded decision for
-- ties the scores left (an order of candidates with its reason), the tie-breaks applied and the
-- final order. seed orders the anonymised ballots of the protocol (random, stable).
CREATE TABLE vote_results (
	edition_id      BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	category_id     BIGINT PRIMARY KEY REFERENCES categories (id) ON DELETE CASCADE,
	method          TEXT NOT NULL CHECK (method IN ('schulze', 'borda')),
	council         INTEGER NOT NULL,
	quorum          INTEGER NOT NULL,
	ballots         INTEGER NOT NULL,
	scores          JSONB NOT NULL DEFAULT '{}',
	decision        BIGINT[] NOT NULL DEFAULT '{}',
	decision_reason TEXT NOT NULL DEFAULT '',
	decided_by      BIGINT REFERENCES users (id),
	decided_at      TIMESTAMPTZ,
	final_order     BIGINT[] NOT NULL,
	tie_breaks      TEXT[] NOT NULL DEFAULT '{}',
	unresolved      JSONB NOT NULL DEFAULT '[]',
	seed            TEXT NOT NULL,
	closed_by       BIGINT NOT NULL REFERENCES users (id),
	closed_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX vote_results_edition_idx ON vote_results (edition_id);

-- The winners: a place of a category's prizes given to an entry, confirmed by the chair from the
-- result. status carries the award's later changes (invalidation, succession);
-- 'confirmed' is the only one so far. At most one live award per entry.
CREATE TABLE awards (
	id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id    BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
	edition_id        BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
	category_id       BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
	place             INTEGER NOT NULL CHECK (place >= 1),
	prize_name        TEXT NOT NULL,
	status            TEXT NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed')),
	confirmed_by      BIGINT NOT NULL REFERENCES users (id),
	confirmed_at      TIMESTAMPTZ NOT NULL,
	status_changed_by BIGINT REFERENCES users (id),
	status_changed_at TIMESTAMPTZ,
	status_reason     TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX awards_entry_idx ON awards (application_id) WHERE status = 'confirmed';
CREATE INDEX awards_category_idx ON awards (edition_id, category_id, place);
