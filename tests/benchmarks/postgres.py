"""PostgreSQL backend benchmark: ingest with 1 and 2 writers, search p50/p95/max with 1 and 3 readers.

    .venv/bin/python -m tests.benchmarks.postgres --articles 20000 --work /tmp/nr-pg-bench

Runs on a private, durable server (fsync on) started in /tmp; the corpus is the
benchmark's (`tests/benchmarks/corpus.py`: the shared corpora, replicated past
their ~20,000 distinct texts). Ingest runs four ways, each into its own database:
1 and 2 writers parsing on every core, and 1 and 2 writers each with `--jobs 1`
(one parse process: writers as on separate one-core machines). Each says its wall
time, the CPU seconds of the writers (clients) and of the server, the load after,
and for 2 writers what the writers' server sessions waited on (pg_stat_activity
sampled every 20 ms: a writer waiting on a lock another holds is serialised).
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
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


def _writer(url: str, paths: list[str], jobs: int | None = None) -> subprocess.Popen[str]:
    code = (
        "import sys\nfrom index.postgres.library import PgLibrary\n"
        f"lib = PgLibrary.connect({url!r})\nr = lib.ingest({paths!r}, jobs={jobs!r})\n"
        "print(r.added, r.unchanged)\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, text=True, stdout=subprocess.PIPE
    )


class WaitSampler:
    """What the sessions of one database wait on, sampled in a thread (counts per wait event)."""

    def __init__(self, url: str, every_s: float = 0.02) -> None:
        self.url, self.every_s = url, every_s
        self.samples = 0
        self.waits: dict[str, int] = {}
        self.locks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WaitSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as con:
            while not self._stop.wait(self.every_s):
                rows = con.execute(
                    "SELECT coalesce(wait_event_type || ':' || wait_event, state)"
                    " FROM pg_stat_activity WHERE datname = current_database()"
                    " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                ).fetchall()
                locks = con.execute(
                    "SELECT l.locktype || ' ' || l.mode || coalesce(' ' || c.relname, '')"
                    " FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation"
                    " WHERE NOT l.granted"
                ).fetchall()
                self.samples += 1
                for (what,) in rows:
                    self.waits[what] = self.waits.get(what, 0) + 1
                for (what,) in locks:
                    self.locks[what] = self.locks.get(what, 0) + 1

    def report(self) -> dict[str, Any]:
        top = sorted(self.waits.items(), key=lambda kv: -kv[1])
        return {
            "samples": self.samples,
            "sessions_by_wait": dict(top),
            "lock_waits": dict(sorted(self.locks.items(), key=lambda kv: -kv[1])),
        }


def ingest_runs(server: Any, shards: list[str], articles: int) -> dict[str, Any]:
    """Ingest `shards` with 1 and 2 writers, on all cores and with `--jobs 1` each."""
    import psycopg

    from index.postgres.library import PgLibrary
    from tests.benchmarks.postgres_scale import cpu_s, server_cpu_s

    out: dict[str, Any] = {}
    runs = (
        ("ingest_1_writer", "one", None, [shards]),
        ("ingest_2_writers", "two", None, [shards[0::2], shards[1::2]]),
        ("ingest_1_writer_jobs_1", "one_j1", 1, [shards]),
        ("ingest_2_writers_jobs_1", "two_j1", 1, [shards[0::2], shards[1::2]]),
    )
    for name, db, jobs, parts in runs:
        with psycopg.connect(server.url(), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {db}")
        url = server.url(db)
        PgLibrary.connect(url).close()
        client, srv = cpu_s()["client"], server_cpu_s(server.data)
        started = time.perf_counter()
        with WaitSampler(url) as sampler:
            for w in [_writer(url, part, jobs) for part in parts]:
                w.communicate()
        took = time.perf_counter() - started
        out[name] = {
            "s": round(took, 1),
            "articles_per_s": round(articles / took, 1),
            "client_cpu_s": round(cpu_s()["client"] - client, 1),
            "server_cpu_s": round(server_cpu_s(server.data) - srv, 1),
            "load_after": [round(x, 2) for x in os.getloadavg()],
            "waits": sampler.report(),
        }
        with psycopg.connect(url) as con:
            n, distinct = con.execute(
                "SELECT count(*), count(DISTINCT id) FROM articles"
            ).fetchone()
        out[name]["articles"], out[name]["distinct_ids"] = n, distinct
    out["after_2_writers"] = {
        "articles": out["ingest_2_writers"]["articles"],
        "distinct_ids": out["ingest_2_writers"]["distinct_ids"],
    }
    return out


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
    report["load_before"] = [round(x, 2) for x in os.getloadavg()]
    with private_server(durable=True) as server:
        report.update(ingest_runs(server, shards, args.articles))
        one = server.url("one")
        from index.postgres.library import PgLibrary

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
