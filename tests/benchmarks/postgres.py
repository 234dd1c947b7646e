"""PostgreSQL backend benchmark: ingest with 1 and 2 writers, search p50/p95/max with 1 and 3 readers.

    .venv/bin/python -m tests.benchmarks.postgres --articles 20000 --work /tmp/nr-pg-bench

Runs on a private, durable server (fsync on) started in /tmp; the corpus is the
benchmark's (`tests/benchmarks/corpus.py`: the shared corpora, replicated past
their ~20,000 distinct texts). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _pcts(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {
        "n": len(ms),
        "p50": round(statistics.median(ms), 1),
        "p95": round(ms[min(len(ms) - 1, int(len(ms) * 0.95))], 1),
        "max": round(ms[-1], 1),
    }


def _run_mix(url: str) -> list[float]:
    from index.postgres.library import PgLibrary
    from tests.benchmarks.queries import query_mix

    out = []
    with PgLibrary.connect(url) as lib:
        for q in query_mix():
            started = time.perf_counter()
            lib.search(q.text, limit=20, sort=q.sort, as_you_type=q.as_you_type)
            out.append((time.perf_counter() - started) * 1000)
    return out


def _writer(url: str, paths: list[str]) -> subprocess.Popen[str]:
    code = (
        "import sys\nfrom index.postgres.library import PgLibrary\n"
        f"lib = PgLibrary.connect({url!r})\nr = lib.ingest({paths!r})\n"
        "print(r.added, r.unchanged)\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, text=True, stdout=subprocess.PIPE
    )


def main(argv: list[str] | None = None) -> int:
    import psycopg

    from index.postgres.server import private_server
    from tests.benchmarks import corpus

    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/nr-pg-bench"))
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    info = corpus.build(args.work / f"corpus-{args.articles}", args.articles)
    shards = sorted(str(p) for p in info.directory.iterdir() if p.is_dir())
    report: dict[str, Any] = {"corpus": info.description}
    with private_server(durable=True) as server:
        with psycopg.connect(server.url(), autocommit=True) as con:
            con.execute("CREATE DATABASE one")
            con.execute("CREATE DATABASE two")
        one, two = server.url("one"), server.url("two")
        from index.postgres.library import PgLibrary

        PgLibrary.connect(one).close()
        PgLibrary.connect(two).close()
        started = time.perf_counter()
        w = _writer(one, shards)
        w.communicate()
        took = time.perf_counter() - started
        report["ingest_1_writer"] = {
            "s": round(took, 1),
            "articles_per_s": round(args.articles / took, 1),
        }
        started = time.perf_counter()
        ws = [_writer(two, shards[0::2]), _writer(two, shards[1::2])]
        for w in ws:
            w.communicate()
        took = time.perf_counter() - started
        report["ingest_2_writers"] = {
            "s": round(took, 1),
            "articles_per_s": round(args.articles / took, 1),
        }
        with psycopg.connect(two) as con:
            n, distinct = con.execute(
                "SELECT count(*), count(DISTINCT id) FROM articles"
            ).fetchone()
            report["after_2_writers"] = {"articles": n, "distinct_ids": distinct}
        with psycopg.connect(one) as con:
            report["database_bytes"] = con.execute(
                "SELECT pg_database_size(current_database())"
            ).fetchone()[0]
        _run_mix(one)  # warm the server's caches
        report["search_1_reader_ms"] = _pcts(_run_mix(one))
        with multiprocessing.get_context("spawn").Pool(3) as pool:
            runs = pool.map(_run_mix, [one] * 3)
        report["search_3_readers_ms"] = _pcts([x for r in runs for x in r])
        with PgLibrary.connect(one) as lib:
            started = time.perf_counter()
            _, cursor = lib.feed_page(None, 200)
            first = (time.perf_counter() - started) * 1000
            for _ in range(20):
                _, cursor = lib.feed_page(cursor, 200)
            started = time.perf_counter()
            lib.feed_page(cursor, 200)
            deep = (time.perf_counter() - started) * 1000
            report["feed_page_ms"] = {"first": round(first, 1), "after_4000": round(deep, 1)}
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
