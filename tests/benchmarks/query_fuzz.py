"""`python -m tests.benchmarks.query_fuzz [N] [SEED]`: N fuzzed queries on the seeds; raises, slowest."""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ATOMS = [
    "said",
    "Assad",
    "Aleppo",
    "rebels",
    "army",
    "the",
    "of",
    "x",
    "zz",
    "o",
    "al",
    "syria*",
    "a?",
    "title:Aleppo",
    "quote:we",
    "actor:Assad",
    "person:Putin",
    "org:army",
    "place:Syria",
    "speaker:Assad",
    "source:reuters",
    "date:2024",
    "date:0000",
    "date:9999-12-31",
    'date:"last 99999 years"',
    "date:today",
    'date:"last 3 days"',
    "date:>2024-01-01",
    "date:<0001-01-01",
    "date:..9999",
    "date:0001..",
    "date:2024-02-30",
    'date:"this year"',
    "date:99999999999",
    "date:-1",
    "date:1e9",
    'date:"last 0 days"',
    "date:>9999",
    "date:<1",
    "date:10000",
    "AND",
    "OR",
    "NOT",
    "&&",
    "||",
    "-",
    "-x",
    "(",
    ")",
    '"',
    '"aleppo rebels"',
    "actor:",
    "date:",
    ":",
    "*",
    "\x00",
    "\u202e",
    "é",
    "日本",
    "'",
    "\\",
    'title:"',
    "-(",
    "--",
    "1",
    "2024-12-01",
]


def fuzzed(rng: random.Random) -> str:
    """One query: mostly atoms of the language, sometimes huge nesting, repetition or noise."""
    kind = rng.random()
    if kind < 0.05:
        n = rng.choice([100, 331, 1000, 3000])
        return "(" * n + "said" + ")" * rng.choice([0, n])
    if kind < 0.10:
        word = rng.choice(["said", "NOT", "-said", "said OR", "(said)", "x*"])
        return " ".join([word] * rng.choice([500, 2000, 5000]))
    if kind < 0.15:
        return "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(1, 200)))
    if kind < 0.18:
        return "NOT " * rng.choice([100, 1000, 3000]) + "said"
    return " ".join(rng.choice(ATOMS) for _ in range(rng.randrange(1, 12)))


def main(argv: list[str]) -> int:
    from index.library import Library

    count = int(argv[0]) if argv else 5500
    rng = random.Random(int(argv[1]) if len(argv) > 1 else 0)
    tmp = Path(tempfile.mkdtemp())
    try:
        shutil.copytree(SEEDS, tmp / "articles")
        lib = Library.open(tmp / "lib")
        lib.ingest([tmp / "articles"])
        raised: list[str] = []
        times: list[tuple[float, str]] = []
        for i in range(count):
            query = fuzzed(rng)
            for as_you_type in (False, True) if i % 5 == 0 else (False,):
                started = time.perf_counter()
                try:
                    lib.search(query, as_you_type=as_you_type)
                except Exception as exc:  # what this script counts
                    raised.append(f"{type(exc).__name__}: {query[:60]!r}")
                times.append((time.perf_counter() - started, query))
        lib.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    times.sort(reverse=True)
    for line in raised[:10]:
        print("raised", line)
    print(
        f"{count} queries ({len(times)} searches): {len(raised)} raised, "
        f"{sum(1 for t, _ in times if t > 1)} over 1 s, slowest {times[0][0] * 1000:.0f} ms "
        f"({times[0][1][:50]!r})"
    )
    return 1 if raised else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
