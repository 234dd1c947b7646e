"""PostgreSQL at scale: real articles ingested (1 and 2 writers), then replicated server-side.

    .venv/bin/python -m tests.benchmarks.postgres_scale --real 6000 --target 1000000 \
        --keep /tmp/pg-1m --build-only      # build (resumable: --resume INGEST.json)
    .venv/bin/python -m tests.benchmarks.postgres_scale --real 6000 --keep /tmp/pg-1m

1. A private durable server (fsync on; `--server-opts`, said in the report) in /tmp,
   or kept in `--keep DIR` (stopped after, started again by the next run). The
   benchmark corpus (`tests/benchmarks/corpus.py`, distinct texts of the shared
   corpora) is ingested with 1 writer into database `one` and with 2 writers
   (disjoint halves of the shards) into `two`, then the same with `--jobs 1` per
   writer (`one_j1`, `two_j1`), each with the CPU of writers and server and the
   waits sampled (`postgres.ingest_runs`); `two` is then counted for duplicates.
2. Replication (said in the report, not an ingest): `two`'s rows are copied in SQL
   by `--workers` connections until it holds `--target` articles. Replica k of
   article X is `X~k`, same text, same date, same file (+ `~k`), with its actor keys,
   actors and statements; the GIN and btree indexes are dropped first and rebuilt
   after (in parallel), then VACUUM ANALYZE. So a word matches `--target/--real`
   times as many articles as in the real corpus: most queries are broad.
3. Measured on the replicated database (skipped with `--build-only`): the benchmark's
   query mix (`tests/benchmarks/queries.py`) with 1 and 3 concurrent readers
   (processes), the ten slowest, size on disk, a feed page (first and after 99,200
   rows), and launch as a paging reader does it (open, count, one page, marks); each
   phase with its wall time, the CPU seconds of the server and of the clients, and
   the load average after.
Prints one JSON object (and the report so far on stderr after each phase).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.benchmarks.postgres import _pcts, _run_mix

_CHILDREN = (
    (
        "article_keys",
        "field, key, article_id, seq",
        "field, key, a.article_id || '~' || g,"
        " (SELECT x.seq FROM articles x WHERE x.id = a.article_id || '~' || g)",
    ),
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


def _copy(url: str, copies: list[tuple[int, int]]) -> None:
    """Insert the copies (g, how many of the originals) on one connection."""
    import psycopg

    from index.postgres import rows

    cols = rows.COLUMNS.replace(" ", "").split(",")
    exprs = [
        "a.id || '~' || %(g)s"
        if c == "id"
        else "a.file || '~' || %(g)s"
        if c == "file"
        else f"a.{c}"
        for c in cols
    ]
    originals = "SELECT id FROM base_articles ORDER BY id LIMIT %(take)s"
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("SET synchronous_commit = off")
        for g, take in copies:
            with con.transaction():
                con.execute(
                    f"INSERT INTO articles ({', '.join(cols)}) SELECT {', '.join(exprs)}"
                    f" FROM base_articles a WHERE a.id IN ({originals})",
                    {"g": g, "take": take},
                )
                for table, columns, select in _CHILDREN:
                    con.execute(
                        f"INSERT INTO {table} ({columns})"
                        f" SELECT {select.replace('|| g', '|| %(g)s')}"
                        f" FROM base_{table} a WHERE a.article_id IN ({originals})",
                        {"g": g, "take": take},
                    )


def _run_all(url: str, statements: list[str], workers: int) -> None:
    import psycopg

    def run(mine: list[str]) -> None:
        with psycopg.connect(url, autocommit=True) as con:
            con.execute("SET maintenance_work_mem = '512MB'")
            for sql in mine:
                con.execute(sql)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, [statements[i::workers] for i in range(workers)]))


def replicate(url: str, target: int, budget_s: float, workers: int = 4) -> dict[str, Any]:
    """Copy the real rows of the library at `url` in SQL until it holds `target` articles
    (or the time budget for inserting is spent: the report says which scale was reached).

    `workers` connections insert copies at once, and build the indexes at once after;
    a run cut short is resumed (copies already there are kept).
    """
    import psycopg

    from index.postgres import schema

    with psycopg.connect(url, autocommit=True) as con:
        (real,) = con.execute("SELECT count(*) FROM articles WHERE strpos(id, '~') = 0").fetchone()
        (have,) = con.execute("SELECT count(*) FROM articles").fetchone()
        for name in _INDEXES:
            con.execute(f"DROP INDEX IF EXISTS {name}")
        # The copies' actors are not logged one by one: the next ingest merges all (full).
        con.execute("ALTER TABLE article_actors DISABLE TRIGGER USER")
        con.execute("DELETE FROM meta WHERE key = 'actors_merged'")
        # The originals once (scaffolding, dropped after), so each copy reads them
        # and not the growing tables.
        con.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS base_articles AS"
            " SELECT * FROM articles WHERE strpos(id, '~') = 0"
        )
        for table, _, _ in _CHILDREN:
            con.execute(
                f"CREATE UNLOGGED TABLE IF NOT EXISTS base_{table} AS"
                f" SELECT * FROM {table} WHERE strpos(article_id, '~') = 0"
            )
    started = time.perf_counter()
    done, g = have, -(-(have - real) // real)
    todo: list[tuple[int, int]] = []
    while done < target:
        g += 1
        take = min(real, target - done)
        todo.append((g, take))
        done += take
    # In rounds of `workers` copies, so the time budget is checked between rounds.
    while todo and time.perf_counter() - started < budget_s:
        now, todo = todo[:workers], todo[workers:]
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda c: _copy(url, [c]), now))
    inserted = time.perf_counter() - started
    creates = [s.strip() for s in schema.SCHEMA.split(";") if "CREATE INDEX" in s]
    # The big GIN indexes first, so the small ones fill in beside them.
    creates.sort(key=lambda s: "gin" not in s)
    _run_all(url, creates, workers)
    indexed = time.perf_counter() - started - inserted
    with psycopg.connect(url, autocommit=True) as con:
        for table, _, _ in (("articles", "", ""), *_CHILDREN):
            con.execute(f"DROP TABLE base_{table}")
        con.execute("ALTER TABLE article_actors ENABLE TRIGGER USER")
        con.execute("VACUUM ANALYZE")
        (n,) = con.execute("SELECT count(*) FROM articles").fetchone()
    return {
        "real": real,
        "copies": g,
        "articles": n,
        "target": target,
        "workers": workers,
        "insert_s": round(inserted, 1),
        "index_s": round(indexed, 1),
        "total_s": round(time.perf_counter() - started, 1),
        "left_undone_copies": len(todo),
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
    """1 and 2 writers, on all cores and `--jobs 1` each (`postgres.ingest_runs`); `two` is replicated."""
    from tests.benchmarks.postgres import ingest_runs

    return ingest_runs(server, shards, real)


# The benchmark server: enough WAL between checkpoints for the bulk copy, and
# shared buffers that hold the hot part of the indexes (said in the report).
SERVER_OPTS = (
    "-c shared_buffers=1GB -c max_wal_size=16GB -c checkpoint_timeout=30min -c work_mem=16MB"
)


def server_cpu_s(data: Path) -> float:
    """CPU seconds of the server so far: the postmaster, its live children and those it reaped."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        pid = int((data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        me, parent = int(stat.parent.name), int(fields[1])
        if me == pid:
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        elif parent == pid:
            total += int(fields[11]) + int(fields[12])
    return round(total / tick, 1)


def cpu_s() -> dict[str, float]:
    """CPU seconds of this process and its reaped children (the benchmark's clients)."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return {"client": round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 1)}


def slowest(ms: list[float], n: int = 10) -> list[tuple[float, str, str]]:
    """The `n` slowest queries of one run of the mix: (ms, category, text)."""
    from tests.benchmarks.queries import query_mix

    mix = query_mix()
    ranked = sorted(zip(ms, mix, strict=True), key=lambda x: -x[0])[:n]
    return [(round(t, 1), q.category, q.text) for t, q in ranked]


def _phase(report: dict[str, Any], name: str, data: Path, fn: Any) -> Any:
    """Run `fn`, noting its wall time, the CPU it and the server used, and the load after."""
    wall, client, server = time.perf_counter(), cpu_s()["client"], server_cpu_s(data)
    out = fn()
    report.setdefault("phases", {})[name] = {
        "wall_s": round(time.perf_counter() - wall, 1),
        "client_cpu_s": round(cpu_s()["client"] - client, 1),
        "server_cpu_s": round(server_cpu_s(data) - server, 1),
        "load_after": os.getloadavg(),
    }
    return out


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
    ap.add_argument("--workers", type=int, default=4, help="connections copying and indexing")
    ap.add_argument(
        "--resume",
        type=Path,
        help="with --keep: the JSON of a build cut during replication; replication goes on",
    )
    ap.add_argument("--build-only", action="store_true", help="with --keep: build, measure later")
    ap.add_argument(
        "--server-opts", default=SERVER_OPTS, help="server options (said in the report)"
    )
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
        elif args.resume is not None:
            report.update(json.loads(args.resume.read_text()))
            report["replication"] = replicate(two, args.target, args.budget_s, args.workers)
            report["replication"]["resumed"] = True
            if state is not None:
                state.write_text(json.dumps(report))
        else:
            report.update(ingest_both(server, shards, args.real))
            _say(report)
            report["replication"] = replicate(two, args.target, args.budget_s, args.workers)
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
        data = server.data
        _phase(report, "warm_up_mix", data, lambda: _run_mix(two))  # the server's caches
        one = _phase(report, "search_1_reader", data, lambda: _run_mix(two))
        report["search_1_reader_ms"] = _pcts(one)
        report["slowest_10_1_reader"] = slowest(one)
        _say(report)

        def three() -> list[list[float]]:
            with multiprocessing.get_context("spawn").Pool(3) as pool:
                return pool.map(_run_mix, [two] * 3)

        runs = _phase(report, "search_3_readers", data, three)
        report["search_3_readers_ms"] = _pcts([x for r in runs for x in r])
        _say(report)
        report["feed_page"] = _phase(report, "feed_pages", data, lambda: feed_pages(two))
        _say(report)
        report["launch"] = _phase(report, "launch", data, lambda: launch(two))
        report["load_after"] = os.getloadavg()
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
