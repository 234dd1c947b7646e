"""Growth table of two benchmark results (e.g. 10k and 100k) with an extrapolation to 1M.

`python -m tests.benchmarks.compare results/10k.json results/100k.json [--to 1000000]`
prints a Markdown table for the README. The model is "each tenfold step grows a figure
by the factor measured over the last one", applied to per-article costs and latencies.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# (key, label, kind): "rate" figures shrink when things get slower, the rest grow.
ROWS: tuple[tuple[str, str, str], ...] = (
    ("ingest_articles_per_s", "ingest, articles/s", "rate"),
    ("baseline_whoosh_articles_per_s", "plain Whoosh baseline, articles/s", "rate"),
    ("ingest_s", "ingest, total s", "total"),
    ("index_bytes_per_article", "index bytes per article", "size"),
    ("index_mb", "library size, MB", "total"),
    ("ingest_peak_rss_mb", "ingest peak RSS (process tree), MB", "grow"),
    ("search_p50_ms", "search p50, ms", "grow"),
    ("search_p95_ms", "search p95, ms", "grow"),
    ("search_max_ms", "search max, ms", "grow"),
    ("prefix_p95_ms", "as-you-type p95, ms", "grow"),
    ("rg_p50_ms", "rg -l -i p50, ms", "grow"),
    ("cold_open_s", "cold open, s", "grow"),
    ("tui_first_paint_s", "TUI launch to painted feed, s", "grow"),
    ("keystroke_p95_ms", "keystroke to updated feed p95, ms", "grow"),
    ("browse_rss_mb", "browsing RSS, MB", "grow"),
)


def extrapolate(small: dict[str, Any], large: dict[str, Any], target: int) -> list[list[str]]:
    n_small, n_large = small["articles"], large["articles"]
    steps = math.log(target / n_large) / math.log(n_large / n_small)
    table = []
    for key, label, kind in ROWS:
        a, b = small.get(key), large.get(key)
        if a is None or b is None or not a:
            table.append([label, _f(a), _f(b), "", ""])
            continue
        growth = b / a
        if kind == "size":
            projected = b  # per-article size: flat
        elif kind == "total":
            # Totals scale with N times the per-article drift seen between the two runs.
            per_article_drift = (b / n_large) / (a / n_small)
            projected = b * (target / n_large) * per_article_drift**steps
        else:
            projected = b * growth**steps
        table.append([label, _f(a), _f(b), f"x{growth:.2f}", _f(projected)])
    return table


def _f(value: Any) -> str:
    if value is None:
        return "n/a"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:.1f}"
    return f"{value:.3f}"


def markdown(small: dict[str, Any], large: dict[str, Any], target: int) -> str:
    head = (
        f"| figure | {small['articles']:,} | {large['articles']:,} | growth | "
        f"{target:,} (on paper) |"
    )
    lines = [head, "| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {' | '.join(row)} |" for row in extrapolate(small, large, target)]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.compare")
    parser.add_argument("small", type=Path)
    parser.add_argument("large", type=Path)
    parser.add_argument("--to", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    small = json.loads(args.small.read_text(encoding="utf-8"))
    large = json.loads(args.large.read_text(encoding="utf-8"))
    if not small["articles"] < large["articles"] < args.to:
        parser.error("need two runs of growing size and a larger target")
    print(markdown(small, large, args.to))
    return 0


if __name__ == "__main__":
    sys.exit(main())
