"""The PostgreSQL schema of a shared library: articles with tsvector columns, actors, keys, statements, marks."""

from __future__ import annotations

# Bump when the tables or what goes into the tsvectors change (the library is then refused).
# 2: `article_keys.seq` (issue 14's search at 1M). A format 1 library is upgraded
# in place by an opening to write (`newsroom ingest`, `check=False`: `upgrade.py`);
# any other opening of it is refused with one line saying so.
# 3: the actor log and kept buckets, the vocabulary and the story tables. Before,
# an opening added them itself, so a reader's first open of a big library counted
# every article's words; now a writer's upgrade does it once (`upgrade.py`).
FORMAT = "3"
UPGRADABLE = ("1", "2")

# Positions past this are not stored (tsvector's limit is 16,383): such words
# are still found, only a phrase over them is not.
MAX_POSITION = 16_383
# tsvector keeps at most 256 positions per lexeme.
MAX_POSITIONS_PER_LEXEME = 255
MAX_LEXEME_BYTES = 2046
# `feed_rank` of an undated article: after every dated one (-ts is at most ~6.2e10).
UNDATED = 2**62

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS sources (path text PRIMARY KEY);
CREATE TABLE IF NOT EXISTS files (
    path text PRIMARY KEY, hash text NOT NULL, mtime_ns bigint NOT NULL, size bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id text COLLATE "C" PRIMARY KEY,
    seq bigserial NOT NULL,               -- order of (re)writing: broad queries rank the newest
    file text NOT NULL,                   -- the source file it came from
    hash text NOT NULL,                   -- that file's content hash when it was parsed
    path text NOT NULL,
    title text COLLATE "C" NOT NULL,      -- C: the feed's tiebreak sorts as SQLite's BINARY
    published text,                       -- as parsed (isoformat; naive or aware)
    published_at timestamptz,             -- the same instant, naive read as UTC: date ranges
    -- The feed's order in one ascending key: minus the epoch seconds, undated last
    -- (UNDATED), so a page is a plain row comparison on the feed index.
    feed_rank bigint NOT NULL,
    inferred boolean NOT NULL DEFAULT false,
    source text,
    byline text,
    dateline text,
    subheads jsonb NOT NULL DEFAULT '[]',
    actors jsonb NOT NULL DEFAULT '[]',   -- the article's actors with mention offsets
    body text NOT NULL,
    doc tsvector NOT NULL,                -- title stems (weight A), body stems (D)
    quotes tsvector NOT NULL,             -- stems of what was said (statements of speech)
    names tsvector NOT NULL,              -- name words, tagged by field ("p.assad")
    words tsvector NOT NULL               -- unstemmed words of title and body: prefixes
);
CREATE INDEX IF NOT EXISTS articles_file ON articles (file);
CREATE INDEX IF NOT EXISTS articles_seq ON articles (seq);
CREATE INDEX IF NOT EXISTS articles_feed ON articles (feed_rank, title, id);
CREATE INDEX IF NOT EXISTS articles_doc ON articles USING gin (doc);
CREATE INDEX IF NOT EXISTS articles_quotes ON articles USING gin (quotes);
CREATE INDEX IF NOT EXISTS articles_names ON articles USING gin (names);
CREATE INDEX IF NOT EXISTS articles_words ON articles USING gin (words);
-- The actor keys of every name and alias by query field: `actor:HTS` expands
-- through lib_alias to keys, then finds articles here. `seq` is the article's
-- (rewritten with it): the newest articles with a key are one range of the key.
CREATE TABLE IF NOT EXISTS article_keys (
    field text NOT NULL, key text NOT NULL,
    article_id text COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq bigint NOT NULL,
    PRIMARY KEY (field, key, seq, article_id)
);
CREATE INDEX IF NOT EXISTS article_keys_article ON article_keys (article_id);
CREATE TABLE IF NOT EXISTS article_actors (
    article_id text COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    n integer NOT NULL, name text NOT NULL, kind text NOT NULL,
    aliases jsonb NOT NULL, mentions integer NOT NULL,
    PRIMARY KEY (article_id, n)
);
CREATE TABLE IF NOT EXISTS statements (
    article_id text COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    n integer NOT NULL, speaker text, kind text NOT NULL, cue text,
    start_at integer NOT NULL, end_at integer NOT NULL,
    act text NOT NULL, utterance integer NOT NULL,
    PRIMARY KEY (article_id, n)
);
CREATE INDEX IF NOT EXISTS statements_speaker ON statements (speaker);
-- Library-wide actors (see index.postgres.actors; `rank` is the actor's id).
CREATE TABLE IF NOT EXISTS lib_actors (
    rank integer PRIMARY KEY, name text NOT NULL, kind text NOT NULL,
    aliases jsonb NOT NULL, article_ids jsonb NOT NULL, mentions integer NOT NULL
);
CREATE TABLE IF NOT EXISTS lib_alias (key text NOT NULL, rank integer NOT NULL);
CREATE INDEX IF NOT EXISTS lib_alias_key ON lib_alias (key);
-- Read and starred marks per user of the shared archive.
CREATE TABLE IF NOT EXISTS marks (
    username text NOT NULL, mark text NOT NULL CHECK (mark IN ('read', 'starred')),
    article_id text NOT NULL, at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (username, mark, article_id)
);
"""

# Added to a format-1 library by its first writer (index.postgres.actors): the
# actor log a trigger fills, the kept per-key buckets, the actors' order.
ACTORS = """
CREATE TABLE IF NOT EXISTS actor_log (
    sign smallint NOT NULL, article_id text COLLATE "C" NOT NULL, n integer NOT NULL,
    name text NOT NULL, kind text NOT NULL, aliases jsonb NOT NULL, mentions integer NOT NULL
);
CREATE OR REPLACE FUNCTION newsroom_log_actors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO actor_log SELECT 1, article_id, n, name, kind, aliases, mentions FROM added;
    ELSE
        INSERT INTO actor_log SELECT -1, article_id, n, name, kind, aliases, mentions FROM removed;
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER article_actors_added AFTER INSERT ON article_actors
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION newsroom_log_actors();
CREATE OR REPLACE TRIGGER article_actors_removed AFTER DELETE ON article_actors
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION newsroom_log_actors();
CREATE TABLE IF NOT EXISTS lib_keys (
    key text COLLATE "C" PRIMARY KEY, actor integer NOT NULL,
    first_article text COLLATE "C" NOT NULL, first_n integer NOT NULL, kind text NOT NULL,
    names jsonb NOT NULL, alias_keys jsonb NOT NULL, state jsonb NOT NULL
);
ALTER TABLE lib_actors ADD COLUMN IF NOT EXISTS ord_article text COLLATE "C";
ALTER TABLE lib_actors ADD COLUMN IF NOT EXISTS ord_n integer;
CREATE INDEX IF NOT EXISTS lib_alias_rank ON lib_alias (rank);
"""
# The order of `lib_actors` (as merge_library sorts: most mentioned, name, first seen).
ACTOR_ORDER = 'mentions DESC, name COLLATE "C", ord_article, ord_n'

# pg_advisory_xact_lock keys: creating the schema, merging actors.
LOCK_SCHEMA = 0x6E657773_0001
LOCK_ACTORS = 0x6E657773_0002
