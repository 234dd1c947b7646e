"""The benchmark's targets, machine description and terminal table."""

from __future__ import annotations

import os
import platform
from typing import Any

KEYS: tuple[str, ...] = (
    "articles",
    "ingest_articles_per_s",
    "baseline_whoosh_articles_per_s",
    "index_bytes_per_article",
    "ingest_peak_rss_mb",
    "search_p50_ms",
    "search_p95_ms",
    "search_max_ms",
    "prefix_p95_ms",
    "rg_p50_ms",
    "cold_open_s",
    "tui_first_paint_s",
    "keystroke_p95_ms",
    "browse_rss_mb",
    "worst_pathological_article_ms",
)

# Issue 6's targets at 100,000 articles: (comparison, bound) or a rule on the whole result.
TARGETS: dict[str, tuple[str, float]] = {
    "search_p95_ms": ("<=", 50),
    "search_max_ms": ("<=", 200),
    "prefix_p95_ms": ("<=", 50),
    "ingest_peak_rss_mb": ("<=", 1024),
    "cold_open_s": ("<=", 0.3),
    "tui_first_paint_s": ("<=", 1.0),
    "keystroke_p95_ms": ("<=", 100),
    "browse_rss_mb": ("<=", 300),
}


def verdicts(result: dict[str, Any]) -> dict[str, str]:
    """'met' / 'missed (...)' / 'n/a' per target, including the relative ones."""
    out: dict[str, str] = {}
    for key, (op, bound) in TARGETS.items():
        value = result.get(key)
        if value is None:
            out[key] = "n/a"
        elif value <= bound:
            out[key] = f"met ({op} {bound:g})"
        else:
            out[key] = f"MISSED ({op} {bound:g}, x{value / bound:.1f})"
    p50, rg = result.get("search_p50_ms"), result.get("rg_p50_ms")
    if p50 is not None and rg is not None:
        ratio = rg / p50 if p50 else float("inf")
        out["search_p50_ms"] = (
            f"{'met' if ratio >= 10 else 'MISSED'} ({ratio:.1f}x faster than rg, >= 10x)"
        )
    ingest, base = result.get("ingest_articles_per_s"), result.get("baseline_whoosh_articles_per_s")
    if ingest is not None and base is not None:
        out["ingest_articles_per_s"] = (
            f"{'met' if ingest >= base else 'MISSED'} (x{ingest / base:.2f} the baseline, >= 1)"
        )
    took = result.get("ingest_s")
    if took is not None and result.get("articles", 0) >= 100_000:
        minutes = took / 60 * 100_000 / result["articles"]
        out["ingest_s"] = f"{'met' if minutes < 6 else 'MISSED'} ({minutes:.1f} min per 100k, < 6)"
    return out


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    versions: dict[str, str] = {}
    for name in ("whoosh", "textual"):
        try:
            from importlib.metadata import version

            versions[name] = version("whoosh3" if name == "whoosh" else name)
        except Exception:
            versions[name] = "absent"
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_mb": ram_mb,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "whoosh": versions["whoosh"],
        "textual": versions["textual"],
    }


def _fmt(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        return f"{value:.3g}" if value < 1 else f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(result: dict[str, Any]) -> str:
    marks = verdicts(result)
    width = max(len(k) for k in KEYS) + 2
    lines = [f"{'figure':<{width}}{'value':>12}   target"]
    lines.append("-" * (width + 50))
    for key in (*KEYS, "ingest_s"):
        if key in result:
            lines.append(f"{key:<{width}}{_fmt(result.get(key)):>12}   {marks.get(key, '')}")
    return "\n".join(lines)


def category_table(categories: dict[str, dict[str, Any]]) -> str:
    lines = [f"{'category':<14}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}"]
    for name, stats in categories.items():
        lines.append(
            f"{name:<14}{stats['n']:>5}{_fmt(stats['p50_ms']):>10}"
            f"{_fmt(stats['p95_ms']):>10}{_fmt(stats['max_ms']):>10}"
        )
    return "\n".join(lines)


def quality_table(result: dict[str, Any]) -> str:
    """Recall@20 by category and the known-item figures, beside the latency table."""

    def pct(value: Any) -> str:
        return "-" if value is None else f"{100 * value:.1f} %"

    lines = [
        f"recall@20 vs exhaustive BM25F: mean {pct(result.get('recall_at_20_mean'))}, "
        f"min {pct(result.get('recall_at_20_min'))}, "
        f"queries at 100 %: {pct(result.get('recall_at_20_perfect_share'))}, "
        f"totals marked inexact: {pct(result.get('inexact_total_share'))}, "
        f"queries answering differently twice: {result.get('unstable_queries')}",
    ]
    for category, value in (result.get("recall_at_20_by_category") or {}).items():
        lines.append(f"  recall@20 {category:<12}{pct(value):>9}")
    lines.append("known items (rank of the article in the top 100):")
    lines.append(f"  {'kind':<13}{'n':>5}{'MRR':>8}{'s@10':>9}{'MRR*':>8}{'s@10*':>9}")
    for kind, v in (result.get("known_item") or {}).items():
        mrr = "-" if v["mrr"] is None else f"{v['mrr']:.3f}"
        emrr = "-" if v["exhaustive_mrr"] is None else f"{v['exhaustive_mrr']:.3f}"
        lines.append(
            f"  {kind:<13}{v['n']:>5}{mrr:>8}{pct(v['success_at_10']):>9}"
            f"{emrr:>8}{pct(v['exhaustive_success_at_10']):>9}"
        )
    lines.append("  (* the same queries ranked exhaustively with BM25F, no budget)")
    return "\n".join(lines)
