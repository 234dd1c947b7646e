"""The CPU side of a PostgreSQL ingest: files read, hashed, parsed and turned into rows (in workers)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from index.postgres.rows import UNSTORABLE, article_row
from index.records import Problem

# Files per parse chunk: one batch for year inference, as the embedded ingest's CHUNK.
CHUNK = 24
# From this many files to parse, chunks are parsed in worker processes (one per core, at most `--jobs`).
POOL_MIN_FILES = 48

# (resolved path, the content hash the library has for it, or None when new)
Task = tuple[str, "str | None"]


@dataclass
class Parsed:
    """One file after parsing (rows None: its bytes are what the library has)."""

    path: str
    digest: str  # "" when the file could not be read
    stat: tuple[int, int]
    rows: list[dict[str, Any]] | None
    problems: list[Problem]


def parsed_chunks(tasks: list[Task]) -> Iterator[list[Parsed]]:
    """The tasks parsed, CHUNK files at a time, in order (in worker processes when many)."""
    from index import jobs

    chunks = [tasks[i : i + CHUNK] for i in range(0, len(tasks), CHUNK)]
    workers = jobs.workers(min(os.cpu_count() or 1, len(chunks)))
    if len(tasks) < POOL_MIN_FILES or workers < 2:
        for chunk in chunks:
            yield parse_list(chunk)
        return
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    # Parsing and extraction are the CPU of an ingest; the one connection writes.
    # fork as the embedded ingest does (a forked worker ends with os._exit, so it
    # never closes the inherited connection), spawn from a threaded process.
    method = "fork" if threading.active_count() == 1 else "spawn"
    ctx = multiprocessing.get_context(method)
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        pending = [pool.submit(parse_list, c) for c in chunks[: workers * 2]]
        nxt = len(pending)
        while pending:
            result = pending.pop(0).result()
            if nxt < len(chunks):
                pending.append(pool.submit(parse_list, chunks[nxt]))
                nxt += 1
            yield result


def parse_list(tasks: list[Task]) -> list[Parsed]:
    """Read, hash and parse a chunk of files (one batch for year inference)."""
    from index.ingest.worker import read_chunk

    def refuse(path: str) -> str | None:
        # Its name would not round-trip through the database: say so, once per ingest.
        if UNSTORABLE.search(path):
            return "file name is not valid UTF-8 (a PostgreSQL library cannot store it)"
        return None

    out: list[Parsed] = []
    for path, digest, final, problems, stamp in read_chunk(tasks, refuse):
        if final is None:
            out.append(Parsed(path, digest, stamp, None, problems))
            continue
        rows = [article_row(a, path, digest) for a in final]
        out.append(Parsed(path, digest, stamp, rows, problems))
    return out
