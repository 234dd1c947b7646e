"""An ingest's catalog order is its plan's, whatever the parse workers' timing or number."""

from __future__ import annotations

from pathlib import Path

from index.ingest.worker import POOL_MIN_FILES
from index.library import Library

TOWNS = ("Aleppo", "Homs", "Hama", "Idlib", "Latakia", "Deir ez-Zor")


def write_files(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        (folder / f"wire-{i:03d}.txt").write_text(
            f"Fighting near {town} enters day {i % 4 + 1}\n\n"
            f"{town}, March {i % 4 + 1} (Wire) - Fighting near {town} went on for a day "
            f"more, the governor Omar Haddad said on day {i % 4 + 1}. "
            f'"We need water and bread in {town}," Haddad told reporters.\n\n'
            f"Report number {i} of the wire's series.\n",
            encoding="utf-8",
        )


def ingested(root: Path, folder: Path, jobs: int) -> tuple[list[str], list[tuple[str, ...]]]:
    with Library.open(root) as lib:
        lib.ingest([folder], jobs=jobs)
        order = [r[0] for r in lib._catalog.con.execute("SELECT file FROM articles ORDER BY rowid")]
        stories = [(s.id, s.title, *s.article_ids) for s in lib.stories()]
    return order, stories


def test_parallel_ingest_catalogues_in_plan_order(tmp_path: Path) -> None:
    folder = tmp_path / "wire"
    write_files(folder, POOL_MIN_FILES + 24)  # enough for the pool of workers
    inline = ingested(tmp_path / "one", folder, jobs=1)
    pooled = ingested(tmp_path / "two", folder, jobs=2)
    files = sorted(str(p) for p in folder.iterdir())
    assert inline[0] == files  # the plan walks a folder in name order
    assert pooled[0] == inline[0]  # two workers' segments committed in any order
    assert pooled[1] == inline[1]
    assert len(inline[1]) >= 2


def test_a_later_ingest_follows_the_earlier_one(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_files(first, 3)
    second.mkdir()
    (second / "late.txt").write_text("A late report\n\nNothing else happened.\n", "utf-8")
    with Library.open(tmp_path / "lib") as lib:
        lib.ingest([first])
        lib.ingest([second])
        rows = lib._catalog.con.execute("SELECT rowid, file FROM articles ORDER BY rowid")
        order = [Path(f).name for _, f in rows]
    assert order == ["wire-000.txt", "wire-001.txt", "wire-002.txt", "late.txt"]
