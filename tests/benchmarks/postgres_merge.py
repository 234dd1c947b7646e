"""A few new files into a big PostgreSQL library: the ingest's wall and CPU, and the actor merge's share.

    .venv/bin/python -m tests.benchmarks.postgres_merge --keep /tmp/e14i-100k \
        --source /tmp/c14-pg-scale/corpus-6000/0000 --skip 0 --files 20 --into /tmp/e14i-new/a

Copies `--files` files of `--source` (from the `--skip`th) into `--into` with a new
first line (new articles, real texts), starts the server kept in `--keep` (built by
`postgres_scale --build-only`), ingests them into database `two` and prints one JSON
object: wall and CPU seconds of the ingest (this process and the server), the
merge's own wall seconds, the rows of the actor tables, and the load.
With `--remove`, the `--into` folder is deleted and ingested again instead
(its articles leave the library).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import time
from pathlib import Path
from typing import Any


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _counts(url: str) -> dict[str, int]:
    import psycopg

    out = {}
    with psycopg.connect(url) as con:
        for table in ("articles", "article_actors", "lib_actors", "lib_keys", "actor_log"):
            if con.execute("SELECT to_regclass(%s)", (table,)).fetchone()[0] is not None:
                out[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return out


def main(argv: list[str] | None = None) -> int:
    from index.postgres import writer
    from index.postgres.library import PgLibrary
    from index.postgres.server import private_server
    from tests.benchmarks.postgres_scale import SERVER_OPTS, server_cpu_s

    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", type=Path, required=True)
    ap.add_argument("--source", type=Path, required=True)
    ap.add_argument("--skip", type=int, default=0)
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--into", type=Path, required=True)
    ap.add_argument("--remove", action="store_true")
    ap.add_argument("--force", action="store_true", help="then a full merge, timed")
    args = ap.parse_args(argv)
    if args.remove:
        shutil.rmtree(args.into)
        args.into.mkdir(parents=True)
    else:
        args.into.mkdir(parents=True, exist_ok=True)
        for src in sorted(args.source.iterdir())[args.skip : args.skip + args.files]:
            text = src.read_text("utf-8", "replace")
            (args.into / src.name).write_text(f"Copy of {src.name}\n\n{text}", "utf-8")
    merged: list[float] = []
    real_merge = writer.merge_actors

    def timed(con: Any, force: bool = False) -> bool:
        started = time.perf_counter()
        try:
            return bool(real_merge(con, force))
        finally:
            merged.append(time.perf_counter() - started)

    writer.merge_actors = timed  # type: ignore[assignment]
    report: dict[str, Any] = {"load_before": os.getloadavg()}
    with private_server(durable=True, extra=SERVER_OPTS, keep=args.keep) as server:
        url = server.url("two")
        with PgLibrary.connect(url) as lib:
            report["before"] = _counts(url)
            cpu, srv, wall = _cpu(), server_cpu_s(server.data), time.perf_counter()
            r = lib.ingest([args.into])
            report["ingest"] = {
                "added": r.added,
                "removed": r.removed,
                "wall_s": round(time.perf_counter() - wall, 2),
                "client_cpu_s": round(_cpu() - cpu, 2),
                "server_cpu_s": round(server_cpu_s(server.data) - srv, 2),
                "merge_wall_s": round(sum(merged), 2),
            }
            if args.force:
                cpu, srv, wall = _cpu(), server_cpu_s(server.data), time.perf_counter()
                lib.merge_actors(force=True)
                report["full_merge"] = {
                    "wall_s": round(time.perf_counter() - wall, 2),
                    "client_cpu_s": round(_cpu() - cpu, 2),
                    "server_cpu_s": round(server_cpu_s(server.data) - srv, 2),
                }
        report["after"] = _counts(url)
    report["load_after"] = os.getloadavg()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
