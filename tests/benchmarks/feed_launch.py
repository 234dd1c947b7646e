"""`python -m tests.benchmarks.feed_launch --library PATH_OR_URL`: launch to the painted feed, then G and a view.

Issue 14: the reader never reads the whole feed, so launch does not grow with the
library. Run in a fresh process (each run is a cold launch of the reader): wall and
CPU time from the process's start (exec, read from /proc) to the feed painted, then
`G` (the last article's row read and painted) and `v` (the unread view's first page
painted). Wall time on a shared machine also counts the other processes' load: CPU
time is the reader's own.
"""

from __future__ import annotations

import os
import time

_WALL0 = time.perf_counter()

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
from typing import Any  # noqa: E402

from tests.benchmarks.pilot_waits import painted, wait_until  # noqa: E402

SIZE = (140, 40)


def _process_age_s() -> float:
    """Seconds since this process was started (exec), from /proc."""
    with open("/proc/self/stat", encoding="ascii") as handle:
        start_ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime", encoding="ascii") as handle:
        uptime = float(handle.read().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


async def measure(library: str) -> dict[str, Any]:
    from pathlib import Path

    from textual import events

    from reader.app import create_app
    from reader.paged import Pending

    # (a URL as a Path keeps "postgresql:/": url_of reads it back, as for `--library`)
    app = create_app(Path(library), ingest_seeds_if_empty=False, watch=False)
    out: dict[str, Any] = {}
    async with app.run_test(size=SIZE):
        await wait_until(lambda: app.feed_ready_s is not None and bool(app.feed.entries), 60.0)
        await painted(app, 60.0)
        out["launch_wall_s"] = round(_process_age_s(), 3)
        out["launch_wall_in_python_s"] = round(time.perf_counter() - _WALL0, 3)
        out["launch_cpu_s"] = round(time.process_time(), 3)  # every thread's, since exec
        out["articles"] = len(app.feed.entries)
        app.feed.focus()
        await asyncio.sleep(3.0)  # (the warm-up after the first paint, out of the next figures)
        wall, cpu = time.perf_counter(), time.process_time()
        app.post_message(events.Key("G", "G"))
        await wait_until(
            lambda: (
                app.feed.cursor == len(app.feed.entries) - 1
                and not isinstance(app.feed.current, Pending)
            ),
            60.0,
        )
        await painted(app, 60.0)
        out["G_ms"] = round((time.perf_counter() - wall) * 1000, 1)
        out["G_cpu_ms"] = round((time.process_time() - cpu) * 1000, 1)
        wall, cpu = time.perf_counter(), time.process_time()
        app.post_message(events.Key("v", "v"))
        await wait_until(lambda: app.view == "unread" and app.search_settled, 60.0)
        await painted(app, 60.0)
        out["view_unread_ms"] = round((time.perf_counter() - wall) * 1000, 1)
        out["view_unread_cpu_ms"] = round((time.process_time() - cpu) * 1000, 1)
        out["unread_rows"] = len(app.feed.entries)
    return out


def on_postgres(articles: int, real: int, runs: int) -> dict[str, Any]:
    """A private server, `real` synthetic articles ingested, replicated server-side to
    `articles` (`postgres_scale.replicate`: said so, not an ingest); then `runs` launches,
    each a fresh process of this module."""
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    import psycopg

    from index.postgres.library import PgLibrary
    from index.postgres.server import private_server
    from tests.benchmarks.postgres_scale import replicate

    out: dict[str, Any] = {"load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp, private_server() as server:
        folder = Path(tmp) / "in"
        folder.mkdir()
        lines = [
            json.dumps(
                {
                    "id": f"w{i}",
                    "title": f"Wire report {i}: the harbour, day {i % 97}",
                    "source": "Wire",
                    "date": f"20{10 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    "body": f"Report {i} from the wire desk. The harbour stayed open on day "
                    f"{i % 97}, the port authority said.",
                }
            )
            for i in range(real)
        ]
        (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        url = server.url("postgres")
        with PgLibrary.connect(url) as lib:
            started = time.perf_counter()
            lib.ingest([folder])
            out["ingest_s"] = round(time.perf_counter() - started, 1)
        with psycopg.connect(url, autocommit=True) as con:
            out["replication"] = replicate(con, articles, budget_s=1800)
        out["launches"] = []
        for _ in range(runs):
            child = subprocess.run(
                [sys.executable, "-m", "tests.benchmarks.feed_launch", "--library", url],
                capture_output=True,
                text=True,
                check=True,
            )
            out["launches"].append(json.loads(child.stdout))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.feed_launch")
    parser.add_argument("--library", help="a library folder or postgresql:// URL")
    parser.add_argument(
        "--build-postgres",
        type=int,
        metavar="N",
        help="instead: a private PostgreSQL library of N articles (replicated), launched",
    )
    parser.add_argument("--real", type=int, default=1000, help="articles ingested before copies")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.build_postgres:
        print(json.dumps(on_postgres(args.build_postgres, args.real, args.runs), indent=1))
        return
    if not args.library:
        parser.error("--library or --build-postgres is needed")
    result = asyncio.run(measure(args.library))
    result["load_average"] = os.getloadavg()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
