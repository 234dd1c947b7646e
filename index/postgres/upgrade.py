"""Upgrading a PostgreSQL library of an older format in place (what `schema.FORMAT` says)."""

from __future__ import annotations

import time
from typing import Any

from index.errors import LibraryError
from index.postgres import schema


def ensure_schema(con: Any, where: str, create: bool, upgrade_it: bool) -> str:
    """Create the tables of a new library (`create`), check the format of an existing one,
    upgrade an older one when `upgrade_it` (else refuse it); the line an upgrade says."""
    with con.transaction():
        if create:  # two writers opening a new database at once: one creates, one waits
            con.execute("SELECT pg_advisory_xact_lock(%s)", (schema.LOCK_SCHEMA,))
        if not con.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()[0]:
            if not create:
                raise LibraryError(f"{where}: no library in this database")
            con.execute(schema.SCHEMA)
            con.execute("INSERT INTO meta(key, value) VALUES ('format', %s)", (schema.FORMAT,))
            return ""
        found = stored_format(con)
        if found == schema.FORMAT:
            return ""
        if found not in schema.UPGRADABLE:
            raise foreign(where, found)
        if not upgrade_it:
            raise refused(where, found)
    return upgrade(con, where)  # its own transaction, under the schema lock


def stored_format(con: Any) -> str:
    """The format the library's `meta` names ("none" if it names none)."""
    row = con.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    return str(row[0]) if row else "none"


def foreign(where: str, found: str) -> LibraryError:
    return LibraryError(
        f"{where}: made by another version of Newsroom (format {found}, expected {schema.FORMAT})"
    )


def refused(where: str, found: str) -> LibraryError:
    """The one line of an opening that may not upgrade (a reader) a library that needs it."""
    return LibraryError(
        f"{where}: a library of format {found}; `newsroom ingest` upgrades it to format"
        f" {schema.FORMAT} once (minutes at a million articles), then it opens"
    )


def upgrade(con: Any, where: str) -> str:
    """Bring an upgradable library to `schema.FORMAT` in one transaction; the line that says so.

    Under the schema lock, so two writers opening it at once upgrade it once
    (the second finds it done and says nothing). Readers of the old format wait
    on the table locks while it runs; a failure rolls everything back.
    """
    started = time.perf_counter()
    with con.transaction():
        con.execute("SELECT pg_advisory_xact_lock(%s)", (schema.LOCK_SCHEMA,))
        found = stored_format(con)
        if found == schema.FORMAT:
            return ""
        if found not in schema.UPGRADABLE:
            raise foreign(where, found)
        done = []
        if found == "1":
            (keys,) = con.execute("SELECT count(*) FROM article_keys").fetchone()
            _one_to_two(con)
            done.append(f"{keys:,} article keys given their articles' seq")
        done.append(_two_to_three(con))
        con.execute("UPDATE meta SET value = %s WHERE key = 'format'", (schema.FORMAT,))
    if found == "1":
        # The new table's visibility map and statistics: its key ranges are read
        # index-only, and the planner knows its sizes (outside any transaction).
        con.execute("VACUUM ANALYZE article_keys")
    took = time.perf_counter() - started
    return (
        f"{where}: upgraded from format {found} to {schema.FORMAT}"
        f" ({'; '.join(done)}) in {took:.0f} s"
    )


def _two_to_three(con: Any) -> str:
    """Format 2 -> 3: the tables later parts keep (actor log and buckets, vocabulary,
    stories) added here, by a writer, once; what was done, in words."""
    from index.postgres import actors, story_tables, vocab

    actors.ensure_tables(con, readonly=False)  # its first merge is then a full one
    vocab.ensure(con, schema.LOCK_SCHEMA)  # counts the articles' words once
    story_tables.ensure(con, schema.LOCK_SCHEMA)  # filled by the next ingest's sync
    (words,) = con.execute("SELECT count(*) FROM vocab").fetchone()
    return f"actor log, vocabulary of {words:,} words and story tables added"


def _one_to_two(con: Any) -> None:
    """Format 1 -> 2: `article_keys` rewritten with each article's `seq`, then keyed by it.

    A new table filled in one INSERT ... SELECT and constrained after (one sorted
    build per index, one validating join), not an UPDATE of every row.
    """
    con.execute("SET LOCAL maintenance_work_mem = '256MB'")
    con.execute("ALTER TABLE article_keys RENAME TO article_keys_format1")
    con.execute("ALTER TABLE article_keys_format1 DROP CONSTRAINT article_keys_pkey")
    con.execute("DROP INDEX IF EXISTS article_keys_article")
    con.execute(
        "CREATE TABLE article_keys (field text NOT NULL, key text NOT NULL,"
        ' article_id text COLLATE "C" NOT NULL, seq bigint NOT NULL)'
    )
    con.execute(
        "INSERT INTO article_keys (field, key, article_id, seq)"
        " SELECT k.field, k.key, k.article_id, a.seq"
        " FROM article_keys_format1 k JOIN articles a ON a.id = k.article_id"
    )
    con.execute("DROP TABLE article_keys_format1")
    # NOT VALID: every row came from the join with `articles` just above, in this
    # transaction (a validating join of millions of keys would prove nothing
    # more); the key is enforced for every write and delete from now on.
    con.execute(
        "ALTER TABLE article_keys ADD PRIMARY KEY (field, key, seq, article_id),"
        " ADD FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE NOT VALID"
    )
    con.execute(schema.SCHEMA)  # the other index the schema names (article_keys_article)
