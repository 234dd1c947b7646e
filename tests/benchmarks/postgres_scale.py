"""PostgreSQL at scale: real articles ingested (1 and 2 writers), then replicated server-side.

    .venv/bin/python -m tests.benchmarks.postgres_scale --real 10000 --target 1000000

1. A private durable server (fsync on) in /tmp. The benchmark corpus
   (`tests/benchmarks/corpus.py`, distinct texts of the shared corpora) is
   ingested with 1 writer into database `one` and with 2 writers (disjoint
   halves of the shards) into `two`; `two` is then counted for duplicates.
2. Replication (said in the report, not an ingest): `two`'s rows are copied in
   SQL until it holds `--target` articles. Replica k of article X is
   `X~k`, same text, same date, same file (+ `~k`), with its actor keys,
   actors and statements; the GIN and btree indexes are dropped first and
   rebuilt after, then VACUUM ANALYZE. So a word matches `--target/--real`
   times as many articles as in the real corpus, as in an archive of the same
   news period: broad queries hit the counting cap (`total_exact` false).
3. Measured on the replicated database: the benchmark's query mix
   (`tests/benchmarks/queries.py`) with 1 and 3 concurrent readers (processes),
   size on disk, a feed page (first and after 100,000 rows), and launch: what
   the reader does today before the first paint (open, count, the whole feed,
   marks) and what a paging reader would do (open, count, one page).
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.postgres import _pcts, _run_mix, _writer

_CHILDREN = (
    ("article_keys", "field, key, article_id", "field, key, a.article_id || '~' || g"),
    (
        "article_actors",
        "article_id, n, name, kind, aliases, mentions",
        "a.article_id || '~' || g, n, name, kind, aliases, mentions",
    ),
    (
        "statements",
        "article_id, n, speaker, kind, cue, start_at, end_at, act, utterance",
        "a.article_id || '~' || g, n, speaker, kind, cue, start_at, end_at, act, utterance",
    ),
)
_INDEXES = (
    "articles_file",
    "articles_seq",
    "articles_feed",
    "articles_doc",
    "articles_quotes",
    "articles_names",
    "articles_words",
    "article_keys_article",
    "statements_speaker",
)


def replicate(con: Any, target: int, budget_s: float) -> dict[str, Any]:
    """Copy the rows of `con`'s library in SQL until it holds `target` articles, or the
    time budget for inserting is spent (the report says which scale was reached)."""
    from index.postgres import rows, schema

    (real,) = con.execute("SELECT count(*) FROM articles").fetchone()
    started = time.perf_counter()
    con.execute("SET maintenance_work_mem = '1GB'")
    for name in _INDEXES:
        con.execute(f"DROP INDEX IF EXISTS {name}")
    # The originals once, so each copy reads them and not the growing tables.
    con.execute("CREATE TEMP TABLE base_articles AS SELECT * FROM articles ORDER BY id")
    for table, _, _ in _CHILDREN:
        con.execute(f"CREATE TEMP TABLE base_{table} AS SELECT * FROM {table}")
    cols = rows.COLUMNS.replace(" ", "").split(",")
    exprs = [
        "a.id || '~' || %(g)s"
        if c == "id"
        else "a.file || '~' || %(g)s"
        if c == "file"
        else f"a.{c}"
        for c in cols
    ]
    done, g = real, 0
    while done < target and time.perf_counter() - started < budget_s:
        g += 1
        take = min(real, target - done)
        con.execute(
            f"INSERT INTO articles ({', '.join(cols)}) SELECT {', '.join(exprs)}"
            " FROM (SELECT * FROM base_articles ORDER BY id LIMIT %(take)s) a",
            {"g": g, "take": take},
        )
        for table, columns, select in _CHILDREN:
            con.execute(
                f"INSERT INTO {table} ({columns}) SELECT {select.replace('|| g', '|| %(g)s')}"
                f" FROM base_{table} a WHERE a.article_id IN"
                " (SELECT id FROM base_articles ORDER BY id LIMIT %(take)s)",
                {"g": g, "take": take},
            )
        done += take
    inserted = time.perf_counter() - started
    for statement in schema.SCHEMA.split(";"):
        if "CREATE INDEX" in statement:
            con.execute(statement)
    indexed = time.perf_counter() - started - inserted
    con.execute("VACUUM ANALYZE")
    return {
        "real": real,
        "copies": g,
        "articles": done,
        "target": target,
        "insert_s": round(inserted, 1),
        "index_s": round(indexed, 1),
        "total_s": round(time.perf_counter() - started, 1),
    }


def launch(url: str) -> dict[str, float]:
    """Seconds to what a paging reader needs before its first paint: open, count, one page, marks."""
    from index.library import Library

    started = time.perf_counter()
    with Library.open(url) as lib:
        opened = time.perf_counter() - started
        lib.count()
        lib.feed_page(None, 200)  # type: ignore[attr-defined]
        lib.read_ids(), lib.starred_ids()
        paged = time.perf_counter() - started
    return {"open_s": round(opened, 3), "open_count_one_page_marks_s": round(paged, 3)}


def feed_pages(url: str) -> dict[str, float]:
    from index.library import Library

    with Library.open(url) as lib:
        started = time.perf_counter()
        _, cursor = lib.feed_page(None, 200)  # type: ignore[attr-defined]
        first = (time.perf_counter() - started) * 1000
        for _ in range(99):
            _, cursor = lib.feed_page(cursor, 1000)  # type: ignore[attr-defined]
        started = time.perf_counter()
        lib.feed_page(cursor, 200)  # type: ignore[attr-defined]
        deep = (time.perf_counter() - started) * 1000
    return {"first_ms": round(first, 1), "after_99200_ms": round(deep, 1)}


def ingest_both(server: Any, shards: list[str], real: int) -> dict[str, Any]:
    import psycopg

    from index.postgres.library import PgLibrary

    with psycopg.connect(server.url(), autocommit=True) as con:
        con.execute("CREATE DATABASE one")
        con.execute("CREATE DATABASE two")
    one, two = server.url("one"), server.url("two")
    PgLibrary.connect(one).close()
    PgLibrary.connect(two).close()
    out: dict[str, Any] = {}
    started = time.perf_counter()
    _writer(one, shards).communicate()
    took = time.perf_counter() - started
    out["ingest_1_writer"] = {"s": round(took, 1), "articles_per_s": round(real / took, 1)}
    started = time.perf_counter()
    writers = [_writer(two, shards[0::2]), _writer(two, shards[1::2])]
    for w in writers:
        w.communicate()
    took = time.perf_counter() - started
    out["ingest_2_writers"] = {"s": round(took, 1), "articles_per_s": round(real / took, 1)}
    with psycopg.connect(two) as con:
        n, distinct = con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
    out["after_2_writers"] = {"articles": n, "distinct_ids": distinct}
    return out


# The benchmark server: enough WAL between checkpoints for the bulk copy, and
# shared buffers that hold the hot part of the indexes (said in the report).
SERVER_OPTS = (
    "-c shared_buffers=1GB -c max_wal_size=16GB -c checkpoint_timeout=30min -c work_mem=16MB"
)


def _say(report: dict[str, Any]) -> None:
    """The report so far, on stderr: a run cut short still leaves its figures."""
    print(json.dumps(report), file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    import psycopg

    from index.postgres.server import private_server
    from tests.benchmarks import corpus

    ap = argparse.ArgumentParser()
    ap.add_argument("--real", type=int, default=10000)
    ap.add_argument("--target", type=int, default=1_000_000)
    ap.add_argument("--budget-s", type=float, default=3600, help="time for inserting copies")
    ap.add_argument("--work", type=Path, default=Path("/tmp/c14-pg-scale"))
    ap.add_argument(
        "--keep",
        type=Path,
        help="keep the server (stopped) in this folder; run again with it to measure"
        " the database built before (ingest and replication are then skipped)",
    )
    ap.add_argument("--build-only", action="store_true", help="with --keep: build, measure later")
    ap.add_argument("--server-opts", default=SERVER_OPTS, help="server options (said in the report)")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    info = corpus.build(args.work / f"corpus-{args.real}", args.real)
    shards = sorted(str(p) for p in info.directory.iterdir() if p.is_dir())
    report: dict[str, Any] = {
        "corpus": info.description,
        "server_opts": args.server_opts,
        "load_before": os.getloadavg(),
        "cpu_count": os.cpu_count(),
    }
    state = args.keep / "built.json" if args.keep else None
    with private_server(durable=True, extra=args.server_opts, keep=args.keep) as server:
        two = server.url("two")
        if state is not None and state.is_file():
            report["built_before"] = json.loads(state.read_text())
        else:
            report.update(ingest_both(server, shards, args.real))
            _say(report)
            with psycopg.connect(two, autocommit=True) as con:
                report["replication"] = replicate(con, args.target, args.budget_s)
            if state is not None:
                state.write_text(json.dumps(report))
        with psycopg.connect(two, autocommit=True) as con:
            report["articles"] = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            report["database_bytes"] = con.execute(
                "SELECT pg_database_size(current_database())"
            ).fetchone()[0]
        report["load_after_build"] = os.getloadavg()
        _say(report)
        if args.build_only:
            return 0
        _run_mix(two)  # warm the server's caches
        report["search_1_reader_ms"] = _pcts(_run_mix(two))
        _say(report)
        with multiprocessing.get_context("spawn").Pool(3) as pool:
            runs = pool.map(_run_mix, [two] * 3)
        report["search_3_readers_ms"] = _pcts([x for r in runs for x in r])
        report["load_after_search"] = os.getloadavg()
        _say(report)
        report["feed_page"] = feed_pages(two)
        _say(report)
        report["launch"] = launch(two)
        report["load_after"] = os.getloadavg()
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
