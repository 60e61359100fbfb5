-- +goose Up
-- The repository finds Korean (and Chinese and Japanese) words and names. The English parser
-- keeps a Hangul phrase as one token ("서울시는", particle attached), so an English search document
-- never matches "서울시". The search document now holds the English words of the texts with
-- their stemming as before, and the overlapping two-character pieces of every run of Hangul,
-- kana and Han characters ("서울시는" gives 서울 울시 시는; a run of one character stays whole) in
-- the 'simple' configuration, with the same weights (title A, summary B, other answers C). The
-- search (internal/repository, searchQuery) turns a Korean word of the query into the phrase of
-- its pieces ("서울시" is 서울 <-> 울시), so it is found inside a longer word, particles attached.
-- pg_trgm was measured out: in the cluster's C locale it takes no trigram from Hangul at all,
-- and a two-syllable word (most Korean words) has no whole trigram to look up.
--
-- The GIN index is kept up to date at every write (fastupdate off): with large documents a
-- pending list made every search scan it, and the planner preferred reading the whole table.
-- +goose StatementBegin
-- repository_cjk is the pattern of a run of those characters, the ranges of internal/repository
-- (cjk): Hangul Jamo, kana, Hangul compatibility Jamo, CJK unified ideographs and extension A,
-- Hangul syllables, CJK compatibility ideographs.
CREATE FUNCTION repository_cjk() RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT '[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+'
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- repository_bigrams returns the two-character pieces of the runs of t, in order.
CREATE FUNCTION repository_bigrams(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT coalesce(string_agg(substr(r.m[1], i, 2), ' ' ORDER BY r.n, i), '')
	FROM regexp_matches(t, repository_cjk(), 'g') WITH ORDINALITY AS r(m, n),
	     generate_series(1, greatest(char_length(r.m[1]) - 1, 1)) AS i
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- repository_text is the search document of t: its English words, then the pieces of its runs.
CREATE FUNCTION repository_text(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT to_tsvector('english', regexp_replace(t, repository_cjk(), ' ', 'g')) ||
	       to_tsvector('simple', repository_bigrams(t))
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- repository_query is the search of q (websearch syntax; its runs already turned into phrases of
-- pieces by internal/repository): a run of one character is a prefix, so "물" finds "물을".
CREATE FUNCTION repository_query(q text) RETURNS tsquery LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT regexp_replace(websearch_to_tsquery('english', q)::text,
	                      '''(' || left(repository_cjk(), -1) || ')''', '''\1'':*', 'g')::tsquery
$$;
-- +goose StatementEnd

ALTER TABLE repository_cases DROP COLUMN document;
ALTER TABLE repository_cases ADD COLUMN document TSVECTOR GENERATED ALWAYS AS (
	setweight(repository_text(title), 'A') ||
	setweight(repository_text(summary), 'B') ||
	setweight(repository_text(body), 'C')) STORED;
CREATE INDEX repository_cases_document_idx ON repository_cases USING GIN (document) WITH (fastupdate = off);
