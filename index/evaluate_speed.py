"""Extraction speed on 4 KB bodies (`python -m index.evaluate --speed`): CPU time, best of three."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from index.extract import find_statements
from index.extract.actors import find_actors
from index.scoring import EvaluationError


def speed(paths: Sequence[Path], per_file: int = 200, size: int = 4096) -> dict[str, float]:
    """Extraction speed on `size`-character bodies taken from JSON-lines corpora (bodies
    shorter than `size` are skipped): CPU milliseconds per article for the actors stage,
    the statements stages and the whole `extract`, best of three runs."""
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

    def best(run: Callable[[], object]) -> float:
        times = []
        for _ in range(3):
            started = time.process_time()
            run()
            times.append(time.process_time() - started)
        return min(times) / len(bodies)

    t_actors = best(lambda: [find_actors(b) for b in bodies])
    t_statements = best(
        lambda: [find_statements(b, a) for b, a in zip(bodies, actors, strict=True)]
    )
    t_extract = best(lambda: [extract(Article(id="b", path="b", title="", body=b)) for b in bodies])
    return {
        "articles": len(bodies),
        "actors_ms": round(t_actors * 1000, 3),
        "statements_ms": round(t_statements * 1000, 3),
        "extract_ms": round(t_extract * 1000, 3),
        "extract_articles_per_second": round(1 / t_extract, 1),
    }
