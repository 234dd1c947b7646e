"""Writing a PostgreSQL library: batched upserts, no lock file, actors merged library-wide.

Any number of writers may run at once, here or on other machines: an article
is written when its id is new or its file's content hash changed, so two
writers of the same files write each article once. A killed writer loses its
open transaction only; the next ingest redoes those files (their `files` rows
were not committed either).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index import files
from index.postgres import schema, vocab
from index.postgres.connection import Guard, psycopg_module
from index.postgres.parsing import Parsed, Task, parsed_chunks
from index.postgres.rows import UNSTORABLE, UPSERT
from index.records import IngestReport, Problem

Progress = Callable[[int, int], None]

# Articles per writer transaction: what a killed writer loses at most. Whole
# files go into one batch, so a file's articles appear (or change) at once.
BATCH = 500
# Retries of a writer transaction that PostgreSQL aborted to break a deadlock.
RETRIES = 5


@dataclass
class Plan:
    """What an ingest has to do, from the walk and the `files` table."""

    tasks: list[Task] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    ids_by_file: dict[str, set[str]] = field(default_factory=dict)
    skipped: list[Problem] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


def transact(con: Any, work: Callable[[], Any]) -> Any:
    """Run `work` in one transaction, again when PostgreSQL broke a deadlock by aborting it."""
    psycopg = psycopg_module()
    for attempt in range(RETRIES):
        try:
            with con.transaction():
                return work()
        except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
            if attempt == RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    return None


def known_files(con: Any) -> dict[str, tuple[str, int, int]]:
    """{path: (hash, mtime_ns, size)} of every file the library holds."""
    return {
        r[0]: (r[1], r[2], r[3])
        for r in con.execute("SELECT path, hash, mtime_ns, size FROM files")
    }


def sources(con: Any) -> list[Path]:
    return [Path(r[0]) for r in con.execute("SELECT path FROM sources ORDER BY path").fetchall()]


def plan(con: Any, wanted: list[Path], follow_links: bool) -> Plan:
    """Walk `wanted` (the one walk of `index.files`) and diff it with the `files` table."""
    out = Plan()
    found: list[Path] = []
    unreadable: set[str] = set()
    for item in files.iter_files(wanted, follow_links=follow_links):
        if isinstance(item, Problem):
            out.skipped.append(item)
            unreadable.add(item.path)
        else:
            found.append(item)
    roots = [str(p.resolve()) for p in wanted if p.exists()]
    with con.transaction():
        con.cursor().executemany(
            "INSERT INTO sources(path) VALUES (%s) ON CONFLICT DO NOTHING", [(r,) for r in roots]
        )
    known = known_files(con)
    seen: set[str] = set()
    same: list[str] = []
    for change in files.diff(found, known, seen):
        if isinstance(change, str):
            same.append(change)
        else:
            out.tasks.append((change.path, change.old_hash))
    watched = [str(p) for p in sources(con)]
    # Like the embedded ingest: a file gone from a root named now, or no longer
    # under any watched source, leaves the library.
    out.gone = sorted(
        f
        for f in known
        if f not in seen
        and f not in unreadable
        and (any(files.under(f, r) for r in roots) or not any(files.under(f, r) for r in watched))
    )
    # The articles of the files this ingest touches only, not of the whole library
    # (a name the database cannot hold has none there).
    touched = [f for f in [t[0] for t in out.tasks] + out.gone if not UNSTORABLE.search(f)]
    same = [f for f in same if not UNSTORABLE.search(f)]
    for aid, file in con.execute("SELECT id, file FROM articles WHERE file = ANY(%s)", (touched,)):
        out.ids_by_file.setdefault(file, set()).add(aid)
    if same:
        (out.unchanged,) = con.execute(
            "SELECT count(*) FROM articles WHERE file = ANY(%s)", (same,)
        ).fetchone()
    return out


def _count(p: Plan, parsed: Parsed) -> int:
    """Add one parsed file to the counts; the number of its articles to write."""
    old_ids = p.ids_by_file.get(parsed.path, set())
    if parsed.rows is None:
        p.unchanged += len(old_ids)
        return 0
    new = {r["row"][0] for r in parsed.rows}
    p.updated += len(old_ids & new)
    p.added += len(new - old_ids)
    p.removed += len(old_ids - new)
    return len(parsed.rows)


def ingest(
    con: Any,
    guard: Guard,
    paths: Iterable[Path | str],
    progress: Progress | None = None,
    *,
    batch: int = BATCH,
    follow_links: bool = False,
    on_commit: Callable[[int], None] | None = None,
) -> IngestReport:
    """Parse new and changed files under `paths` and upsert them, `batch` articles a transaction.

    `guard.kept` follows the committed articles (said when the connection is
    lost); `on_commit(kept)` hears each committed batch (tests cut the line there).
    """
    started = time.monotonic()
    p = plan(con, [Path(x) for x in paths], follow_links)
    if progress is not None:
        progress(0, len(p.tasks))
    done = 0
    pending: list[Parsed] = []
    size = 0

    def commit() -> None:
        guard.kept += write_batch(con, pending)
        if on_commit is not None:
            on_commit(guard.kept)

    for chunk in parsed_chunks(p.tasks):
        for parsed in chunk:
            done += 1
            p.skipped.extend(parsed.problems)
            if not parsed.digest:
                continue
            size += _count(p, parsed)
            pending.append(parsed)
            if size >= batch:
                commit()
                pending, size = [], 0
            if progress is not None:
                progress(done, len(p.tasks))
    if pending:
        commit()
    if p.gone:
        p.removed += sum(len(p.ids_by_file.get(f, ())) for f in p.gone)
        transact(con, lambda: remove_files(con, p.gone))
    merge_actors(con)
    vocab.fold(con)
    return IngestReport(
        p.added,
        p.updated,
        p.unchanged,
        p.removed,
        tuple(p.skipped),
        time.monotonic() - started,
        (),
    )


def _upsert(cur: Any, rows: list[dict[str, Any]], seqs: dict[str, int]) -> dict[str, int]:
    """Upsert the article rows in one pipelined round trip; {id: its new seq} of those written."""
    written: dict[str, int] = {}
    if not rows:
        return written
    cur.executemany(UPSERT, [(seqs[r["row"][0]], *r["row"]) for r in rows], returning=True)
    while True:
        got = cur.fetchone()
        if got is not None:
            written[got[0]] = got[1]
        if not cur.nextset():
            break
    return written


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Rows as `width` column lists (for one INSERT ... SELECT FROM unnest)."""
    return [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


def _children(cur: Any, mine: list[dict[str, Any]], seqs: dict[str, int]) -> None:
    """Replace the keys, actors and statements of the written articles.

    One statement a table (rows as arrays): one round trip, and the actor
    log's trigger runs once a batch, not once a row. Each key row carries its
    article's `seq`, so the newest articles with a key are a range of its
    primary key (no join to `articles`).
    """
    ids = sorted(r["row"][0] for r in mine)
    for table in ("article_keys", "article_actors", "statements"):
        cur.execute(f"DELETE FROM {table} WHERE article_id = ANY(%s)", (ids,))
    cur.execute(
        "INSERT INTO article_keys(field, key, article_id, seq)"
        " SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::bigint[])"
        " ON CONFLICT DO NOTHING",
        _columns([(*k, seqs[k[2]]) for r in mine for k in r["keys"]], 4),
    )
    cur.execute(
        "INSERT INTO article_actors(article_id, n, name, kind, aliases, mentions)"
        " SELECT a, n, name, kind, al::jsonb, m FROM unnest(%s::text[], %s::int[], %s::text[],"
        " %s::text[], %s::text[], %s::int[]) AS t(a, n, name, kind, al, m)",
        _columns([x for r in mine for x in r["actors"]], 6),
    )
    cur.execute(
        "INSERT INTO statements(article_id, n, speaker, kind, cue, start_at, end_at,"
        " act, utterance) SELECT * FROM unnest(%s::text[], %s::int[], %s::text[], %s::text[],"
        " %s::text[], %s::int[], %s::int[], %s::text[], %s::int[])",
        _columns([x for r in mine for x in r["statements"]], 9),
    )


def write_batch(con: Any, parsed: list[Parsed]) -> int:
    """Commit parsed files in one transaction; the number of their articles.

    `seq` (the ingest order) follows the files as given and each file's records,
    as the embedded catalog's rows do: stories grow in the same order on both.
    """
    ordered = [r["row"][0] for p in parsed if p.rows for r in p.rows]
    parsed = sorted(parsed, key=lambda p: p.path)

    def work() -> int:
        cur = con.cursor()
        n = dropped = 0
        got = cur.execute(
            "SELECT nextval(pg_get_serial_sequence('articles', 'seq'))"
            " FROM generate_series(1, %s) ORDER BY 1",
            (len(ordered),),
        ).fetchall()
        seqs = {aid: int(r[0]) for aid, r in zip(ordered, got, strict=True)}
        # Rows locked in one global order (by id, then by file path), so two
        # writers of overlapping batches wait for each other, not deadlock.
        rows = sorted((r for p in parsed if p.rows for r in p.rows), key=lambda r: r["row"][0])
        written = _upsert(cur, rows, seqs)
        if written:
            _children(cur, [r for r in rows if r["row"][0] in written], written)
            vocab.add(cur, [r.get("vocab", ()) for r in rows if r["row"][0] in written])
        for p in parsed:
            if p.rows is not None:
                keep = [r["row"][0] for r in p.rows]
                # Articles the file no longer has (ids are per record of the file).
                cur.execute(
                    "DELETE FROM articles WHERE file = %s AND NOT (id = ANY(%s))", (p.path, keep)
                )
                dropped += max(0, cur.rowcount)
                n += len(keep)
            cur.execute(
                "INSERT INTO files(path, hash, mtime_ns, size) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (path) DO UPDATE SET hash = excluded.hash,"
                " mtime_ns = excluded.mtime_ns, size = excluded.size",
                (p.path, p.digest, *p.stat),
            )
        if dropped:
            # The readers' change stamp (`PgLibrary._version_key`): a file that lost
            # articles moves no `seq`, yet must be seen.
            mark_changed(cur)
        return n

    return int(transact(con, work))


def mark_changed(cur: Any) -> None:
    """Move the readers' change stamp (deletions move no `seq`); one short row, last in
    the transaction, written only by batches that delete."""
    cur.execute(
        "INSERT INTO meta(key, value) VALUES ('changed', %s)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (uuid.uuid4().hex,),
    )


def remove_files(con: Any, gone: list[str]) -> None:
    cur = con.cursor()
    cur.execute("DELETE FROM articles WHERE file = ANY(%s)", (gone,))
    cur.execute("DELETE FROM files WHERE path = ANY(%s)", (gone,))
    mark_changed(cur)


def merge_actors(con: Any, force: bool = False) -> bool:
    """Merge the actors the writers changed into the library-wide ones; True if it did.

    Only the change since the last merge is read (`index.postgres.actors`);
    `force` merges every article's actors again. Merges take turns on a
    session advisory lock; a writer committing during one leaves its rows in
    the log for the next merge.
    """
    from index.postgres import actors

    con.execute("SELECT pg_advisory_lock(%s)", (schema.LOCK_ACTORS,))
    try:
        return bool(transact(con, lambda: actors.merge(con, force)))
    finally:
        con.execute("SELECT pg_advisory_unlock(%s)", (schema.LOCK_ACTORS,))
