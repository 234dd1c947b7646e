"""The story tables of a PostgreSQL library (those of `stories.sqlite`, in the shared database)."""

from __future__ import annotations

from typing import Any

# pg_advisory_lock key of a story sync (held on the syncing session, see story_sync).
LOCK_STORIES = 0x6E657773_0003
# Bump when these tables or the clustering change: they are emptied and grown again.
FORMAT = "1"

# Derived from the articles, like `stories.sqlite`: added to an existing library
# (IF NOT EXISTS) without touching its articles, and refilled by the next sync.
# `n` columns keep the order rows were written in (SQLite's rowid there).
SCHEMA = """
CREATE TABLE IF NOT EXISTS story_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS story_docs (
    article_id text COLLATE "C" PRIMARY KEY, seq bigint NOT NULL, ts bigint,
    inferred boolean NOT NULL, source text, title text NOT NULL, terms text NOT NULL,
    actors text NOT NULL, actor_terms text NOT NULL, story text COLLATE "C" NOT NULL,
    numbers text NOT NULL
);
CREATE INDEX IF NOT EXISTS story_docs_story ON story_docs (story);
CREATE TABLE IF NOT EXISTS story_postings (
    n bigserial PRIMARY KEY, term text COLLATE "C" NOT NULL, ts bigint,
    article_id text COLLATE "C" NOT NULL
);
CREATE INDEX IF NOT EXISTS story_postings_term ON story_postings (term, ts NULLS FIRST, n);
CREATE INDEX IF NOT EXISTS story_postings_article ON story_postings (article_id);
CREATE TABLE IF NOT EXISTS story_df (term text PRIMARY KEY, n integer NOT NULL);
CREATE TABLE IF NOT EXISTS stories (
    id text COLLATE "C" PRIMARY KEY, size integer NOT NULL, first bigint, last bigint,
    title text NOT NULL, outlets text NOT NULL, actors text NOT NULL, members text NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_size ON stories (size);
CREATE TABLE IF NOT EXISTS story_actors (
    n bigserial PRIMARY KEY, article_id text COLLATE "C" NOT NULL, key text NOT NULL,
    name text NOT NULL, mentions integer NOT NULL
);
CREATE INDEX IF NOT EXISTS story_actors_key ON story_actors (key);
CREATE INDEX IF NOT EXISTS story_actors_article ON story_actors (article_id);
CREATE TABLE IF NOT EXISTS story_quotes (
    n bigserial PRIMARY KEY, trail bigint NOT NULL, article_id text COLLATE "C" NOT NULL,
    start_at integer NOT NULL, end_at integer NOT NULL, speaker text, text text NOT NULL,
    stmt_start integer NOT NULL, stmt_end integer NOT NULL
);
CREATE INDEX IF NOT EXISTS story_quotes_trail ON story_quotes (trail);
CREATE INDEX IF NOT EXISTS story_quotes_article ON story_quotes (article_id);
CREATE INDEX IF NOT EXISTS story_quotes_speaker ON story_quotes (speaker);
CREATE TABLE IF NOT EXISTS story_qkeys (key bigint PRIMARY KEY, trail bigint NOT NULL);
"""

TABLES = (
    "story_docs",
    "story_postings",
    "story_df",
    "stories",
    "story_actors",
    "story_quotes",
    "story_qkeys",
)


def ensure(con: Any, lock_schema: int) -> None:
    """Create the story tables when missing (a library made before them) or of another
    format (emptied: the next sync grows them again). `con` is in autocommit mode."""
    if present(con):
        found = con.execute("SELECT value FROM story_meta WHERE key = 'format'").fetchone()
        if found is not None and found[0] == FORMAT:
            return
    with con.transaction():
        # Two writers opening an older library at once: one creates, one waits.
        con.execute("SELECT pg_advisory_xact_lock(%s)", (lock_schema,))
        con.execute(SCHEMA)
        row = con.execute("SELECT value FROM story_meta WHERE key = 'format'").fetchone()
        if row is not None and row[0] == FORMAT:
            return
        for table in TABLES:
            con.execute(f"DELETE FROM {table}")
        con.execute("DELETE FROM story_meta")
        con.execute("INSERT INTO story_meta(key, value) VALUES ('format', %s)", (FORMAT,))


def present(con: Any) -> bool:
    """Whether the story tables exist (a read-only opening of an older library: not yet)."""
    return bool(con.execute("SELECT to_regclass('story_meta') IS NOT NULL").fetchone()[0])
