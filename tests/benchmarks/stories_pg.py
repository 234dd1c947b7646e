"""Story sync on PostgreSQL beside the embedded backend, for the same library (issue 14).

    .venv/bin/python -m tests.benchmarks.stories_pg --articles 5000 --work /tmp/nr-stories-pg

The benchmark corpus (`tests/benchmarks/corpus.py`) goes into a PostgreSQL
library (private durable server in /tmp), which `newsroom copy` then copies to
an embedded folder (same ingest order, hence the same stories: compared). Times
a full story sync from empty tables on each backend, then an incremental one
after an ingest of `--more` new files. Prints one JSON object (with the load
average: the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any


def _timed(fn: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return round(time.perf_counter() - t, 2), out


def _wrap_sync(lib: Any, took: list[float]) -> None:
    """Time the story sync an ingest runs (an instance attribute over the method)."""
    real = lib.sync_stories

    def timed(*a: Any, **kw: Any) -> Any:
        t = time.perf_counter()
        try:
            return real(*a, **kw)
        finally:
            took.append(round(time.perf_counter() - t, 2))

    lib.sync_stories = timed


def main(argv: list[str] | None = None) -> int:
    import psycopg

    from index.copying import copy_library
    from index.library import Library
    from index.postgres import story_sync
    from index.postgres.server import private_server
    from index.story_store import STORIES_FILE, StoryStore
    from tests.benchmarks import corpus

    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--more", type=int, default=200)
    ap.add_argument("--work", type=Path, default=Path("/tmp/nr-stories-pg"))
    args = ap.parse_args(argv)
    work: Path = args.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    info = corpus.build(work / "all", args.articles + args.more)
    files = sorted(corpus.iter_files(work / "all"))
    first, later = work / "first", work / "later"
    for folder, chunk in ((first, files[: args.articles]), (later, files[args.articles :])):
        for f in chunk:
            dest = folder / f.relative_to(work / "all")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, dest)
    out: dict[str, Any] = {"articles": args.articles, "origin": info.origin}
    with private_server(durable=True) as server:
        with psycopg.connect(server.url(), autocommit=True) as con:
            con.execute("CREATE DATABASE bench TEMPLATE template0")
        url = server.url("bench")
        with Library.open(url) as pg:
            took: list[float] = []
            _wrap_sync(pg, took)
            out["pg_ingest_s"], _ = _timed(lambda: pg.ingest([first]))
            out["pg_sync_in_ingest_s"] = took[-1]
        emb_path = work / "embedded"
        with Library.open(url) as pg, Library.open(emb_path, check=False) as emb:
            out["copy_to_embedded_s"], _ = _timed(lambda: copy_library(pg, emb))
            out["same_stories"] = pg.stories(1) == emb.stories(1)
            out["stories"] = len(pg.stories())
        # Full syncs from empty story tables / a missing stories file.
        with psycopg.connect(url, autocommit=True) as con:
            story_sync._clear(con)
            out["pg_full_sync_s"], _ = _timed(lambda: story_sync.sync(con))
        with Library.open(emb_path) as emb:
            emb.close_stories()
            (emb_path / STORIES_FILE).unlink()
            store = StoryStore(emb_path)
            out["embedded_full_sync_s"], _ = _timed(lambda: store.sync(emb._catalog.con))
            store.close()
        with Library.open(url) as pg, Library.open(emb_path) as emb:
            out["same_after_full_syncs"] = pg.stories(1) == emb.stories(1)
            # Incremental: `--more` new files, each backend's ingest and its story sync.
            took_pg: list[float] = []
            took_emb: list[float] = []
            _wrap_sync(pg, took_pg)
            _wrap_sync(emb, took_emb)
            pg.ingest([first, later])
            emb.ingest([first, later])
            out["pg_incremental_sync_s"] = took_pg[-1]
            out["embedded_incremental_sync_s"] = took_emb[-1]
            out["more"] = args.more
        out["loadavg"] = [round(x, 2) for x in os.getloadavg()]
        out["cpus"] = os.cpu_count()
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
