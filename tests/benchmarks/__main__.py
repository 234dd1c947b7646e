"""`python -m tests.benchmarks [--articles N] [--json OUT] [--workdir DIR]`: the benchmark run."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.benchmarks import corpus as corpus_mod
from tests.benchmarks.measure import (
    WorkerFailed,
    find_rg,
    folder_bytes,
    load_average,
    percentile,
    run_worker,
    time_rg,
)
from tests.benchmarks.queries import rg_words
from tests.benchmarks.report import (
    KEYS,
    category_table,
    machine,
    quality_table,
    table,
    verdicts,
)

STAGES = ("baseline", "ingest", "search", "quality", "rg", "cold", "tui", "pathological")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000, help="corpus size (10000)")
    parser.add_argument(
        "--json", type=Path, default=None, metavar="OUT", help="write the JSON here"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="corpus, library and baseline index go here (default: $TMPDIR/newsroom-bench/<N>)",
    )
    parser.add_argument(
        "--skip", default="", help=f"comma-separated stages to skip: {','.join(STAGES)}"
    )
    parser.add_argument(
        "--baseline-limit",
        type=int,
        default=None,
        help="index only the first K files in the baseline (its rate is per article)",
    )
    parser.add_argument(
        "--reuse-library",
        action="store_true",
        help="keep an existing library in the work dir and skip the ingest stage",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="K",
        help="cProfile the K slowest queries and print the top functions",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke-test mode: a few queries, one cold open, a short TUI run",
    )
    parser.add_argument(
        "--shared",
        type=Path,
        default=corpus_mod.SHARED,
        help="shared corpora folder (synthesise from the seeds when absent)",
    )
    return parser.parse_args(argv)


def latency_stats(values: list[float]) -> dict[str, Any]:
    return {
        "n": len(values),
        "p50_ms": percentile(values, 50),
        "p95_ms": percentile(values, 95),
        "max_ms": max(values) if values else None,
    }


def stage_ingest(
    work: Path, info: corpus_mod.CorpusInfo, result: dict[str, Any], reuse: bool
) -> None:
    library = work / "library"
    if reuse and library.exists():
        log("ingest: reusing the existing library")
        result["notes"].append("ingest skipped: library reused from an earlier run")
        result["index_bytes_per_article"] = folder_bytes(library) / info.articles
        return
    if library.exists():
        shutil.rmtree(library)
    log(f"ingest: {info.articles} files through Library.ingest ...")
    run = run_worker(
        "ingest",
        {
            "library": str(library),
            "corpus": str(info.directory),
            "progress": str(work / "ingest.progress"),
        },
    )
    took = run.result["took_s"]
    size = folder_bytes(library)
    result.update(
        {
            "ingest_s": took,
            "ingest_articles_per_s": info.articles / took,
            "ingest_mb_per_s": info.bytes / took / 1024 / 1024,
            "index_bytes_per_article": size / info.articles,
            "index_mb": size / 1024 / 1024,
            "ingest_peak_rss_mb": run.peak_rss_mb,
            "ingest_peak_pss_mb": run.peak_pss_mb,
            "ingest_peak_processes": run.peak_processes,
            "ingest_max_single_process_rss_mb": run.max_child_rss_mb,
            "ingest_report": run.result,
        }
    )
    # On a shared machine wall time depends on the neighbours; CPU seconds much less so.
    # With nproc cores an otherwise idle run takes about max(writer CPU, all CPU / nproc).
    main_cpu, pool_cpu = run.result.get("main_cpu_s"), run.result.get("pool_cpu_s")
    if main_cpu is not None and pool_cpu is not None:
        cores = os.cpu_count() or 1
        bound = max(main_cpu, (main_cpu + pool_cpu) / cores)
        result["ingest_cpu_s"] = main_cpu + pool_cpu
        result["ingest_idle_machine_estimate_articles_per_s"] = info.articles / bound
    if run.result.get("count") != info.articles:
        result["notes"].append(
            f"library holds {run.result.get('count')} articles for {info.articles} files "
            f"({run.result.get('skipped')} skipped, e.g. {run.result.get('skipped_examples')})"
        )
    log(
        f"ingest: {took:.1f} s, {info.articles / took:.0f} articles/s, "
        f"peak RSS {run.peak_rss_mb:.0f} MB (PSS {run.peak_pss_mb:.0f} MB)"
    )


def stage_baseline(
    work: Path, info: corpus_mod.CorpusInfo, result: dict[str, Any], limit: int | None
) -> None:
    index = work / "baseline"
    if index.exists():
        shutil.rmtree(index)
    log("baseline: plain Whoosh, default writer, stemmed body ...")
    run = run_worker(
        "baseline", {"index": str(index), "corpus": str(info.directory), "limit": limit}
    )
    count, took = run.result["count"], run.result["took_s"]
    result.update(
        {
            "baseline_whoosh_articles_per_s": count / took,
            "baseline_articles": count,
            "baseline_s": took,
            "baseline_index_bytes_per_article": folder_bytes(index) / count,
            "baseline_peak_rss_mb": run.peak_rss_mb,
            "baseline_cpu_s": run.result.get("cpu_s"),
        }
    )
    if run.result.get("cpu_s"):
        result["baseline_idle_machine_estimate_articles_per_s"] = count / run.result["cpu_s"]
    if count != info.articles:
        result["notes"].append(f"baseline indexed the first {count} of {info.articles} files")
    shutil.rmtree(index)
    log(f"baseline: {count} in {took:.1f} s, {count / took:.0f} articles/s")


def stage_search(work: Path, result: dict[str, Any], quick: bool) -> list[dict[str, Any]]:
    log("search: the query mix ...")
    run = run_worker("search", {"library": str(work / "library"), "quick": quick})
    rows = run.result["rows"]
    all_ms = [r["ms"] for r in rows]
    prefix_ms = [r["ms"] for r in rows if r["as_you_type"]]
    plain_ms = [r["ms"] for r in rows if not r["as_you_type"]]
    categories: dict[str, dict[str, Any]] = {}
    for row in rows:
        categories.setdefault(row["category"], {"values": []})["values"].append(row["ms"])
    by_length: dict[str, list[float]] = {}
    for row in rows:
        if row["as_you_type"]:
            key = str(min(len(row["query"]), 5)) + ("+" if len(row["query"]) >= 5 else "")
            by_length.setdefault(key, []).append(row["ms"])
    result.update(
        {
            "search_p50_ms": percentile(all_ms, 50),
            "search_p95_ms": percentile(all_ms, 95),
            "search_max_ms": max(all_ms),
            "prefix_p50_ms": percentile(prefix_ms, 50),
            "prefix_p95_ms": percentile(prefix_ms, 95),
            "prefix_max_ms": max(prefix_ms) if prefix_ms else None,
            # CPU time of the searching process per query: what an idle machine would show.
            "search_cpu_p50_ms": percentile([r.get("cpu_ms", 0.0) for r in rows], 50),
            "search_cpu_p95_ms": percentile([r.get("cpu_ms", 0.0) for r in rows], 95),
            "prefix_cpu_p95_ms": percentile(
                [r.get("cpu_ms", 0.0) for r in rows if r["as_you_type"]], 95
            ),
            "plain_p50_ms": percentile(plain_ms, 50),
            "plain_p95_ms": percentile(plain_ms, 95),
            "queries": len(rows),
            "first_search_ms": run.result["first_search_ms"],
            "search_process_rss_mb": run.result["rss_mb"],
            "search_process_rss_anon_mb": run.result.get("rss_anon_mb"),
            "search_process_rss_file_mb": run.result.get("rss_file_mb"),
            "search_categories": {k: latency_stats(v["values"]) for k, v in categories.items()},
            "prefix_by_length": {k: latency_stats(v) for k, v in sorted(by_length.items())},
            "slowest_queries": [
                {k: r[k] for k in ("category", "query", "ms", "total", "error")}
                for r in sorted(rows, key=lambda r: r["ms"], reverse=True)[:10]
            ],
            "query_errors": [
                {"query": r["query"], "error": r["error"]} for r in rows if r["error"]
            ],
            "zero_hit_queries": [
                r["query"] for r in rows if r["total"] == 0 and not r["as_you_type"]
            ],
        }
    )
    raised = [r for r in rows if (r["error"] or "").startswith("RAISED")]
    if raised:
        result["notes"].append(
            f"{len(raised)} queries raised instead of answering (contract: never raises), "
            f"e.g. {raised[0]['query']!r}: {raised[0]['error']}"
        )
    log(
        f"search: {len(rows)} queries, p50 {result['search_p50_ms']:.1f} ms, "
        f"p95 {result['search_p95_ms']:.1f} ms, max {result['search_max_ms']:.1f} ms"
    )
    return rows


def _mrr(ranks: list[int | None]) -> float | None:
    return sum(1 / r for r in ranks if r) / len(ranks) if ranks else None


def _success(ranks: list[int | None], k: int) -> float | None:
    return sum(1 for r in ranks if r and r <= k) / len(ranks) if ranks else None


def stage_quality(work: Path, result: dict[str, Any], quick: bool) -> None:
    """Recall@20 against an exhaustive BM25F ranking, and a known-item test (MRR, success@10)."""
    log("quality: recall@20 against exhaustive BM25F, known items ...")
    args = {"library": str(work / "library"), "quick": quick, "known_items": 20 if quick else 150}
    run = run_worker("quality", args, timeout=1800)
    rows = run.result["recall_rows"]
    recalls = [r["recall"] for r in rows]
    by_category: dict[str, list[float]] = {}
    for row in rows:
        by_category.setdefault(row["category"], []).append(row["recall"])
    items = run.result["known_items"]
    kinds: dict[str, dict[str, Any]] = {}
    for kind in [*sorted({i["kind"] for i in items}), "all"]:
        chosen = [i for i in items if kind in ("all", i["kind"])]
        ours = [i["rank"] for i in chosen]
        full = [i["exhaustive_rank"] for i in chosen]
        kinds[kind] = {
            "n": len(chosen),
            "mrr": _mrr(ours),
            "success_at_10": _success(ours, 10),
            "exhaustive_mrr": _mrr(full),
            "exhaustive_success_at_10": _success(full, 10),
        }
    result.update(
        {
            "recall_at_20_mean": sum(recalls) / len(recalls) if recalls else None,
            "recall_at_20_min": min(recalls) if recalls else None,
            "recall_at_20_perfect_share": (
                sum(1 for r in recalls if r == 1.0) / len(recalls) if recalls else None
            ),
            "recall_at_20_by_category": {
                k: sum(v) / len(v) for k, v in sorted(by_category.items())
            },
            "recall_at_20_worst": sorted(
                (
                    {"query": r["query"], "category": r["category"], "recall": r["recall"]}
                    for r in rows
                ),
                key=lambda r: r["recall"],
            )[:8],
            "inexact_total_share": (
                sum(1 for r in rows if not r["total_exact"]) / len(rows) if rows else None
            ),
            "unstable_queries": run.result["unstable_queries"],
            "known_item": kinds,
            "known_item_mrr": kinds["all"]["mrr"],
            "known_item_success_at_10": kinds["all"]["success_at_10"],
        }
    )
    log(
        f"quality: recall@20 mean {result['recall_at_20_mean']}, "
        f"known-item MRR {kinds['all']['mrr']}, success@10 {kinds['all']['success_at_10']}"
    )


def stage_rg(info: corpus_mod.CorpusInfo, result: dict[str, Any]) -> None:
    rg = find_rg()
    if rg is None:
        result["rg_p50_ms"] = None
        result["notes"].append(
            "rg not found next to the interpreter nor on PATH: "
            "pip install '.[bench]' (ripgrep wheel); rg_p50_ms is null"
        )
        log("rg: not found")
        return
    log(f"rg: {len(rg_words())} words with {rg} ...")
    timings = time_rg(rg, rg_words(), info.directory)
    values = list(timings.values())
    result.update(
        {
            "rg_p50_ms": percentile(values, 50),
            "rg_p95_ms": percentile(values, 95),
            "rg_ms": timings,
            "rg_binary": rg,
        }
    )


def stage_cold(work: Path, result: dict[str, Any], repeats: int) -> None:
    log("cold open: fresh processes ...")
    runs = [run_worker("cold", {"library": str(work / "library")}).result for _ in range(repeats)]
    ordered = sorted(runs, key=lambda r: r["cold_open_s"])
    median = ordered[len(ordered) // 2]
    result.update(
        {
            "cold_open_s": median["cold_open_s"],
            "cold_open_first_s": runs[0]["cold_open_s"],
            "cold_open_detail": median,
        }
    )


def stage_tui(work: Path, result: dict[str, Any], quick: bool) -> None:
    log("tui: Pilot launch, keystrokes, browsing ...")
    args = {"library": str(work / "library"), "quick": quick}
    run = run_worker("tui", args, timeout=300)
    detail = run.result
    result.update(
        {
            "tui_first_paint_s": detail.get("first_paint_s"),
            "keystroke_p95_ms": detail.get("keystroke_p95_ms"),
            "browse_rss_mb": detail.get("browse_rss_mb"),
            "tui_detail": detail,
        }
    )
    result["notes"].extend(detail.get("notes", []))


def stage_pathological(result: dict[str, Any], quick: bool) -> None:
    from tests.benchmarks import pathological

    names = ["nested_phrases_440", "quote_flood_100k"] if quick else list(pathological.CASES)
    log(f"pathological: {len(names)} hostile articles through parse and extraction ...")
    detail = {}
    for name in names:
        ms, count, chars, notes = pathological.run(name)
        detail[name] = {"ms": ms, "statements": count, "statement_chars": chars, "notes": notes}
    result["worst_pathological_article_ms"] = max(d["ms"] for d in detail.values())
    result["pathological_detail"] = detail


def profile_slowest(work: Path, rows: list[dict[str, Any]], k: int) -> dict[str, Any]:
    slowest = sorted(rows, key=lambda r: r["ms"], reverse=True)[:k]
    queries = [[r["query"], r["as_you_type"]] for r in slowest]
    return run_worker("profile", {"library": str(work / "library"), "queries": queries}).result


def run(args: argparse.Namespace) -> dict[str, Any]:
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(STAGES)
    if unknown:
        raise SystemExit(f"unknown stage(s) in --skip: {', '.join(sorted(unknown))}")
    work = args.workdir or Path(tempfile.gettempdir()) / "newsroom-bench" / str(args.articles)
    work.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {key: None for key in KEYS}
    result.update(
        {
            "articles": args.articles,
            "notes": [],
            "machine": machine(),
            "load_average_start": load_average(),
            "workdir": str(work),
        }
    )
    started = time.perf_counter()
    log(f"corpus: {args.articles} articles in {work / 'corpus'} ...")
    info = corpus_mod.build(work / "corpus", args.articles, shared=args.shared)
    result["corpus"] = info.to_json()
    result["corpus_mean_bytes"] = info.bytes / info.articles
    log(f"corpus: {info.description} ({info.bytes / 1024 / 1024:.0f} MB)")
    if info.replicated:
        result["notes"].append(info.description)
    if info.origin != "shared corpora":
        result["notes"].append(f"{args.shared} absent: the corpus is synthesised from the seeds")

    rows: list[dict[str, Any]] = []
    stages = [
        ("baseline", lambda: stage_baseline(work, info, result, args.baseline_limit)),
        ("ingest", lambda: stage_ingest(work, info, result, args.reuse_library)),
        ("search", lambda: rows.extend(stage_search(work, result, args.quick))),
        ("quality", lambda: stage_quality(work, result, args.quick)),
        ("rg", lambda: stage_rg(info, result)),
        ("cold", lambda: stage_cold(work, result, 1 if args.quick else 3)),
        ("tui", lambda: stage_tui(work, result, args.quick)),
        ("pathological", lambda: stage_pathological(result, args.quick)),
    ]
    library_failed = False
    for name, stage in stages:
        if name in skip:
            result["notes"].append(f"stage {name} skipped (--skip)")
            continue
        if library_failed and name in ("search", "quality", "cold", "tui"):
            continue
        try:
            stage()
        except (WorkerFailed, OSError) as exc:
            result["notes"].append(f"stage {name} failed: {exc}")
            log(f"{name}: FAILED: {exc}")
            if name == "ingest":
                library_failed = True
    if rows and result.get("rg_ms"):
        words = set(rg_words())
        ours = [r["ms"] for r in rows if r["query"] in words and not r["as_you_type"]]
        result["search_same_words_p50_ms"] = percentile(ours, 50)
        if result.get("search_p50_ms"):
            result["rg_over_search_p50"] = result["rg_p50_ms"] / result["search_p50_ms"]
    if rows and args.profile:
        log(f"profile: the {args.profile} slowest queries ...")
        result["profile"] = profile_slowest(work, rows, args.profile)
    result["verdicts"] = verdicts(result)
    result["load_average_end"] = load_average()
    result["bench_wall_s"] = time.perf_counter() - started
    return result


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(args)
    print(f"\nNewsroom benchmark: {result['corpus']['description']}")
    m = result["machine"]
    print(
        f"machine: {m['nproc']} x {m['cpu']}, {m['ram_mb']} MB RAM, Python {m['python']}, "
        f"Whoosh {m['whoosh']}; load {result['load_average_start']} -> "
        f"{result['load_average_end']}\n"
    )
    print(table(result))
    if result.get("search_categories"):
        print()
        print(category_table(result["search_categories"]))
        print()
        print(category_table({f"prefix len {k}": v for k, v in result["prefix_by_length"].items()}))
    if result.get("recall_at_20_mean") is not None:
        print()
        print(quality_table(result))
    for note in result["notes"]:
        print(f"note: {note}")
    for name, prof in (result.get("profile") or {}).items():
        print(f"\n=== profile {name}: {prof['ms']:.1f} ms\n{prof['stats']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        slim = {k: v for k, v in result.items() if k != "profile"}
        args.json.write_text(json.dumps(slim, indent=1, default=str) + "\n", encoding="utf-8")
        print(f"\nJSON written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
