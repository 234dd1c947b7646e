"""Extraction speed on 4 KB bodies (`python -m index.evaluate --speed`): CPU time, least per chunk."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from index.extract import find_statements
from index.extract.actors import find_actors
from index.scoring import EvaluationError


def speed(
    paths: Sequence[Path], per_file: int = 200, size: int = 4096, repeats: int = 5, chunk: int = 10
) -> dict[str, float]:
    """Extraction speed on `size`-character bodies taken from JSON-lines corpora (bodies
    shorter than `size` are skipped): CPU milliseconds per article for the actors stage,
    the statements stages and the whole `extract`.

    Each stage runs over all bodies `repeats` times; each `chunk` of bodies keeps its
    least CPU time over the runs, and the figure is their sum. On a virtual machine
    whose neighbours come and go, one whole pass takes anywhere from 1x to 1.7x its
    quiet time (seen here within two minutes, the machine otherwise idle): the least
    per chunk is the work itself, repeatable run to run. The median whole pass, what a
    long ingest meets on such a machine, is given beside it (`*_median_ms`), and the
    best whole pass (`extract_best_pass_ms`: what this figure was until the least per chunk)."""
    from index.extract import extract
    from index.records import Article

    bodies: list[str] = []
    for path in paths:
        taken = 0
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                body = json.loads(line).get("body") or ""
                if len(body) >= size:
                    bodies.append(body[:size])
                    taken += 1
                    if taken >= per_file:
                        break
    if not bodies:
        raise EvaluationError("no bodies long enough to time")
    actors = [find_actors(b) for b in bodies]
    n = len(bodies)
    chunks = [range(i, min(i + chunk, n)) for i in range(0, n, chunk)]

    def timed(run: Callable[[int], object]) -> tuple[float, float, float]:
        """(least per chunk summed, best whole pass, median whole pass), seconds per article."""
        least = [float("inf")] * len(chunks)
        passes = []
        for _ in range(repeats):
            total = 0.0
            for k, part in enumerate(chunks):
                started = time.process_time()
                for i in part:
                    run(i)
                took = time.process_time() - started
                least[k] = min(least[k], took)
                total += took
            passes.append(total)
        return sum(least) / n, min(passes) / n, statistics.median(passes) / n

    t_actors, _, m_actors = timed(lambda i: find_actors(bodies[i]))
    t_statements, _, m_statements = timed(lambda i: find_statements(bodies[i], actors[i]))
    t_extract, b_extract, m_extract = timed(
        lambda i: extract(Article(id="b", path="b", title="", body=bodies[i]))
    )
    return {
        "articles": n,
        "actors_ms": round(t_actors * 1000, 3),
        "statements_ms": round(t_statements * 1000, 3),
        "extract_ms": round(t_extract * 1000, 3),
        "extract_articles_per_second": round(1 / t_extract, 1),
        "actors_median_ms": round(m_actors * 1000, 3),
        "statements_median_ms": round(m_statements * 1000, 3),
        "extract_best_pass_ms": round(b_extract * 1000, 3),  # (what --speed gave before)
        "extract_median_ms": round(m_extract * 1000, 3),
        "extract_median_articles_per_second": round(1 / m_extract, 1),
    }
