"""Stories benchmark: ../shared/corpora (Reuters + BBC) plus the seeds; ingest with and without
stories, the seeds' story, story counts, a random sample to read, view and record times.

    python -m tests.benchmarks.stories --work /tmp/newsroom-stories [--sample 30]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import shutil
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.benchmarks import corpus as corpus_mod

SHARED = corpus_mod.SHARED
SEEDS = corpus_mod.SEEDS


def cpu() -> float:
    a = resource.getrusage(resource.RUSAGE_SELF)
    b = resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def build(folder: Path) -> int:
    """Reuters-21578 and BBC as .txt files (as the main benchmark renders them) and the seeds."""
    if folder.exists():
        shutil.rmtree(folder)
    stories = [
        *corpus_mod.reuters_stories(SHARED / "reuters21578.jsonl"),
        *corpus_mod.bbc_stories(SHARED / "bbc.jsonl"),
    ]
    for i, story in enumerate(stories):
        path = corpus_mod.file_path(folder, i)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(corpus_mod.render(story), encoding="utf-8")
    shutil.copytree(SEEDS, folder / "seeds")
    return len(stories) + 5


def timed(label: str, fn: Any, n: int = 3) -> Any:
    best_w = best_c = float("inf")
    out = None
    for _ in range(n):
        t, c = time.perf_counter(), cpu()
        out = fn()
        best_w, best_c = min(best_w, time.perf_counter() - t), min(best_c, cpu() - c)
    print(f"{label}: wall {best_w * 1000:.0f} ms, cpu {best_c * 1000:.0f} ms (best of {n})")
    return out


async def stories_screen_time(library: Path) -> None:
    from reader.app import create_app
    from reader.widgets import stories_screen

    marks: dict[str, float] = {}
    original = stories_screen.StoriesScreen.on_mount

    def on_mount(self: Any) -> None:
        original(self)
        self.call_after_refresh(lambda: marks.__setitem__("painted", time.perf_counter()))

    stories_screen.StoriesScreen.on_mount = on_mount  # type: ignore[method-assign]
    app = create_app(library, ingest_seeds_if_empty=False, watch=False)
    async with app.run_test(size=(140, 40)) as pilot:
        while app.feed_ready_s is None:
            await pilot.pause(0.05)
        for _ in range(3):
            marks.clear()
            t, c = time.perf_counter(), cpu()
            app.action_stories()
            while "painted" not in marks:
                await pilot.pause(0)
            print(
                f"stories screen painted: wall {(marks['painted'] - t) * 1000:.0f} ms, "
                f"cpu {(cpu() - c) * 1000:.0f} ms"
            )
            app.pop_screen()
            await pilot.pause(0.2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.stories")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if not (SHARED / "reuters21578.jsonl").is_file():
        print("needs ../shared/corpora", file=sys.stderr)
        return 2
    from index.library import Library
    from index.story_api import StoriesMixin

    args.work.mkdir(parents=True, exist_ok=True)
    files = build(args.work / "corpus")
    library = args.work / "library"
    shutil.rmtree(library, ignore_errors=True)
    real = StoriesMixin.sync_stories
    StoriesMixin.sync_stories = lambda self, phase=None: []  # type: ignore[method-assign]
    lib = Library.open(library, check=False)
    t0, c0 = time.monotonic(), cpu()
    report = lib.ingest([args.work / "corpus"])
    t1, c1 = time.monotonic(), cpu()
    StoriesMixin.sync_stories = real  # type: ignore[method-assign]
    lib.sync_stories()
    t2, c2 = time.monotonic(), cpu()
    print(f"{files} files, {report.added} articles")
    print(f"ingest without stories: wall {t1 - t0:.1f} s, cpu {c1 - c0:.1f} s")
    print(
        f"stories and trails: wall +{t2 - t1:.1f} s ({100 * (t2 - t1) / (t1 - t0):.1f} %), "
        f"cpu +{c2 - c1:.1f} s ({100 * (c2 - c1) / (c1 - c0):.1f} %)"
    )
    stories = timed("Library.stories()", lib.stories)
    sizes = sorted((s.size for s in stories), reverse=True)
    print(f"multi-article stories: {len(stories)} ({sum(sizes)} articles); largest {sizes[:5]}")
    seeds = [s for s in stories if "Aleppo" in s.actors]
    for s in seeds:
        print(f"the seeds' story: {s.size} articles, outlets {list(s.outlets)}")
    big = max(stories, key=lambda s: s.size)
    timed(f"Library.story(largest, {big.size})", lambda: lib.story(big.id))
    sizes_t = Counter(lib.trail_ids().values())
    tid = sizes_t.most_common(1)[0][0]
    timed("Library.trail(largest)", lambda: lib.trail(tid))
    print(
        f"trails: {len(sizes_t)}, carried by 2+ articles: "
        f"{sum(1 for v in sizes_t.values() if v > 1)}"
    )
    for name in ("Reagan", "James Baker", "OPEC", "Bashar al-Assad"):
        timed(f"Library.actor_record({name!r})", lambda name=name: lib.actor_record(name))
    rng = random.Random(args.seed)
    print(f"\n{args.sample} random multi-article stories to read (same event or not?):")
    for n, s in enumerate(rng.sample(stories, min(args.sample, len(stories))), 1):
        print(f"\n#{n} [{s.size}] {list(s.actors[:4])}")
        for aid in s.article_ids[:6]:
            a = lib.article(aid)
            when = a.published.date() if a.published else None
            print(f"    {when} | {a.title[:80]} | {' '.join(a.body.split())[:140]}")
    lib.close()
    asyncio.run(stories_screen_time(library))
    return 0


if __name__ == "__main__":
    sys.exit(main())
