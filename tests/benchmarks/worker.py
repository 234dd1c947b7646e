"""Benchmark work run in a fresh interpreter: `python -m tests.benchmarks.worker TASK JSON`."""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

# Taken before the product is imported, so TUI launch includes importing it.
STARTED = time.perf_counter()


def self_rss_mb(kind: str = "VmRSS") -> float:
    """VmRSS, or its parts RssAnon (heap) and RssFile (mapped index files)."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(kind + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def ingest(args: dict[str, Any]) -> dict[str, Any]:
    """End-to-end ingest through the product's Library (parse + extract + index)."""
    from index.library import Library

    progress_file = Path(args["progress"]) if args.get("progress") else None
    started = time.perf_counter()
    last = 0.0

    def progress(done: int, total: int) -> None:
        # A file to `cat` while a long ingest runs (stdout is kept for the JSON answer).
        nonlocal last
        now = time.perf_counter()
        if progress_file is not None and (now - last > 2 or done == total):
            last = now
            rate = done / (now - started) if now > started else 0.0
            progress_file.write_text(f"{done}/{total} {now - started:.0f} s {rate:.0f}/s\n")

    with Library.open(Path(args["library"])) as library:
        report = library.ingest([Path(args["corpus"])], progress=progress)
        took = time.perf_counter() - started
        count = library.count()
    # Where the CPU went: the writer (this process) or the parse/extract pool (children).
    own = resource.getrusage(resource.RUSAGE_SELF)
    pool = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "took_s": took,
        "main_cpu_s": own.ru_utime + own.ru_stime,
        "pool_cpu_s": pool.ru_utime + pool.ru_stime,
        "report_took_s": report.took_s,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": len(report.skipped),
        "skipped_examples": [str(p) for p in report.skipped[:5]],
        "count": count,
    }


def _split(text: str) -> tuple[str, str]:
    title, _, rest = text.partition("\n")
    return title.strip(), rest


def baseline(args: dict[str, Any]) -> dict[str, Any]:
    """Plain Whoosh: default writer, stemmed body, same files; the yardstick for ingest."""
    from whoosh import index as whoosh_index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    from tests.benchmarks.corpus import iter_files

    folder = Path(args["index"])
    folder.mkdir(parents=True, exist_ok=True)
    schema = Schema(
        path=ID(stored=True, unique=True),
        title=TEXT(stored=True),
        body=TEXT(analyzer=StemmingAnalyzer()),
    )
    limit = args.get("limit")
    started = time.perf_counter()
    ix = whoosh_index.create_in(str(folder), schema)
    writer = ix.writer()
    count = 0
    for path in iter_files(Path(args["corpus"])):
        if limit is not None and count >= limit:
            break
        title, body = _split(path.read_text(encoding="utf-8"))
        writer.add_document(path=str(path), title=title, body=body)
        count += 1
    writer.commit()
    ix.close()
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "took_s": time.perf_counter() - started,
        "count": count,
        "cpu_s": own.ru_utime + own.ru_stime,
    }


def _open_library(path: str) -> Any:
    from index.library import Library

    return Library.open(Path(path))


def search(args: dict[str, Any]) -> dict[str, Any]:
    """Every query of the mix once, in order, top 20 with spans, timed around Library.search."""
    from tests.benchmarks.queries import query_mix, quick_mix

    library = _open_library(args["library"])
    library.count()
    library.feed()
    # The first search pays for lazy loading (searcher, caches); cold open is timed apart.
    started = time.perf_counter()
    library.search("weather", limit=20)
    first_ms = (time.perf_counter() - started) * 1000
    rows = []
    for query in quick_mix() if args.get("quick") else query_mix():
        started = time.perf_counter()
        cpu_started = time.process_time()
        try:
            result = library.search(
                query.text, limit=20, sort=query.sort, as_you_type=query.as_you_type
            )
        except Exception as exc:  # the contract says never; record it and go on
            rows.append(
                {
                    "category": query.category,
                    "query": query.text,
                    "as_you_type": query.as_you_type,
                    "sort": query.sort,
                    "ms": (time.perf_counter() - started) * 1000,
                    "took_ms": None,
                    "total": 0,
                    "hits": 0,
                    "spans": 0,
                    "error": f"RAISED {type(exc).__name__}: {exc}",
                }
            )
            continue
        # Touch what the UI draws, so lazy work is not left out of the timing.
        spans = sum(len(h.body_spans) + len(h.title_spans) + len(h.snippet) for h in result.hits)
        elapsed = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - cpu_started) * 1000
        rows.append(
            {
                "cpu_ms": cpu,
                "category": query.category,
                "query": query.text,
                "as_you_type": query.as_you_type,
                "sort": query.sort,
                "ms": elapsed,
                "took_ms": result.took_ms,
                "total": result.total,
                "hits": len(result.hits),
                "spans": spans,
                "error": result.error,
            }
        )
    memory = {
        "rss_mb": self_rss_mb(),
        "rss_anon_mb": self_rss_mb("RssAnon"),
        "rss_file_mb": self_rss_mb("RssFile"),
    }
    library.close()
    # Every row, for digging beyond the summary (next to the library, outside the repo).
    rows_file = Path(args["library"]).parent / "search_rows.json"
    rows_file.write_text(json.dumps(rows, indent=0), encoding="utf-8")
    return {"first_search_ms": first_ms, "rows": rows, **memory}


def _exhaustive(library: Any, text: str, as_you_type: bool) -> dict[str, float]:
    """id -> BM25F score of every match of the same compiled query: no budget, no skipping.

    Whoosh's block-quality skipping (even in its own `search(limit=20)`) makes
    the top 20 depend on the order segments are visited in, so the yardstick
    scores every match.
    """
    from index.search.language import compile_query

    compiled = compile_query(
        text, library.expand, as_you_type=as_you_type, expand_prefix=library._prefix_terms
    )
    if compiled.query is None:
        return {}
    searcher = library._get_searcher()
    results = searcher.search(compiled.query, limit=None, terms=False)
    return {
        searcher.stored_fields(results.docnum(i))["id"]: float(results.score(i) or 0.0)
        for i in range(results.scored_length())
    }


def recall_at(ours: list[str], scores: dict[str, float], k: int) -> float | None:
    """Share of the exhaustive top k that `ours` found; a tie with the k-th score counts."""
    if not scores:
        return None
    top = sorted(scores.values(), reverse=True)[:k]
    threshold = top[-1] - 1e-9 * abs(top[-1])
    agree = sum(1 for aid in ours[:k] if scores.get(aid, float("-inf")) >= threshold)
    return min(1.0, agree / len(top))


def _exhaustive_rank(scores: dict[str, float], target: str) -> int | None:
    if target not in scores:
        return None
    mine = scores[target]
    return 1 + sum(1 for v in scores.values() if v > mine)


_WORD = re.compile(r"[a-z]{4,}")


def known_items(library: Any, count: int) -> list[tuple[str, str, str]]:
    """(kind, query, target id): queries a reader would type to find an article again.

    Articles are taken evenly from the feed ordered by id; the words are the
    article's three most distinctive (tf x idf, in at least two articles of
    the library), then two of them with its most mentioned person or
    organization, and two with its month.
    """
    import math

    words, dfs = library._catalog.vocab()
    df = dict(zip(words, dfs, strict=True))
    total = max(1, library.count())
    ids = sorted(item.id for item in library.feed())
    step = max(1, len(ids) // count)
    out: list[tuple[str, str, str]] = []
    for aid in ids[::step][:count]:
        article = library.article(aid)
        tf: dict[str, int] = {}
        for word in _WORD.findall(article.body.lower()):
            tf[word] = tf.get(word, 0) + 1
        scored = sorted(
            ((n * math.log(total / df[w]), w) for w, n in tf.items() if df.get(w, 0) >= 2),
            reverse=True,
        )
        best = [w for _, w in scored[:3]]
        if len(best) < 2:
            continue
        out.append(("words", " ".join(best), aid))
        actors = [a for a in article.actors if a.kind in ("person", "organization")]
        if actors:
            top = max(actors, key=lambda a: (len(a.mentions), a.name))
            out.append(("words+actor", f'{" ".join(best[:2])} actor:"{top.name}"', aid))
        if article.published is not None:
            month = article.published.strftime("%Y-%m")
            out.append(("words+month", f"{' '.join(best[:2])} date:{month}", aid))
    return out


def _rank(ids: list[str], target: str) -> int | None:
    return ids.index(target) + 1 if target in ids else None


def quality(args: dict[str, Any]) -> dict[str, Any]:
    """What the search shortcuts cost: recall@20 against a full BM25F ranking, known items."""
    from tests.benchmarks.queries import query_mix, quick_mix

    library = _open_library(args["library"])
    rows = []
    unstable = 0
    for query in quick_mix() if args.get("quick") else query_mix():
        if query.sort != "relevance":
            continue  # date order is exhaustive: nothing to compare
        result = library.search(query.text, limit=20, as_you_type=query.as_you_type)
        again = library.search(query.text, limit=20, as_you_type=query.as_you_type)
        ours = [h.id for h in result.hits]
        if ours != [h.id for h in again.hits] or result.total != again.total:
            unstable += 1
        recall = recall_at(ours, _exhaustive(library, query.text, query.as_you_type), 20)
        if recall is None:
            continue
        rows.append(
            {
                "category": query.category,
                "query": query.text,
                "as_you_type": query.as_you_type,
                "recall": recall,
                "total": result.total,
                "total_exact": result.total_exact,
            }
        )
    items = []
    for kind, text, target in known_items(library, int(args.get("known_items", 100))):
        ours = [h.id for h in library.search(text, limit=100).hits]
        rank = _exhaustive_rank(_exhaustive(library, text, False), target)
        items.append(
            {
                "kind": kind,
                "query": text,
                "rank": _rank(ours, target),
                "exhaustive_rank": rank if rank is not None and rank <= 100 else None,
            }
        )
    library.close()
    return {"recall_rows": rows, "unstable_queries": unstable, "known_items": items}


def profile(args: dict[str, Any]) -> dict[str, Any]:
    """cProfile of given queries (each run once after a warm-up), top functions by cumtime."""
    library = _open_library(args["library"])
    library.search("weather", limit=20)
    out = {}
    for text, as_you_type in args["queries"]:
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        library.search(text, limit=20, as_you_type=as_you_type)
        profiler.disable()
        elapsed = (time.perf_counter() - started) * 1000
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer)
        stats.sort_stats(args.get("sort", "cumulative")).print_stats(args.get("top", 25))
        out[f"{text!r} as_you_type={as_you_type}"] = {"ms": elapsed, "stats": buffer.getvalue()}
    library.close()
    return out


def cold(args: dict[str, Any]) -> dict[str, Any]:
    """A fresh process: import, Library.open, first count() and feed()."""
    before_import = time.perf_counter()
    from index.library import Library

    imported = time.perf_counter()
    library = Library.open(Path(args["library"]))
    opened = time.perf_counter()
    count = library.count()
    counted = time.perf_counter()
    feed = library.feed()
    fed = time.perf_counter()
    library.close()
    return {
        "interpreter_to_main_s": before_import - STARTED,
        "import_s": imported - before_import,
        "open_s": opened - imported,
        "count_s": counted - opened,
        "feed_s": fed - counted,
        "cold_open_s": fed - imported,
        "count": count,
        "feed_items": len(feed),
        "rss_mb": self_rss_mb(),
    }


def tui(args: dict[str, Any]) -> dict[str, Any]:
    from tests.benchmarks.tui import measure_tui

    return measure_tui(Path(args["library"]), STARTED, quick=bool(args.get("quick")))


TASKS = {
    "ingest": ingest,
    "baseline": baseline,
    "search": search,
    "profile": profile,
    "quality": quality,
    "cold": cold,
    "tui": tui,
}


def main() -> int:
    task, raw = sys.argv[1], sys.argv[2]
    result = TASKS[task](json.loads(raw))
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    # Skip interpreter teardown (atexit, GC of a big heap): it is not part of any figure.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
