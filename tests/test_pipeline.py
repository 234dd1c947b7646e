"""The pipeline: walking folders, process_file in a process pool, load order and year inference."""

from __future__ import annotations

import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

from index.files import iter_files
from index.pipeline import load, process_file
from index.records import Article, Problem

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_problem_is_a_one_line_path_and_reason() -> None:
    problem = Problem("/x/a.txt", "empty file")
    assert str(problem) == "/x/a.txt: empty file"
    assert pickle.loads(pickle.dumps(problem)) == problem


def test_iter_files_walks_sorted_recursively_skipping_hidden(tmp_path: Path) -> None:
    write(tmp_path / "b" / "2.txt", "x")
    write(tmp_path / "b" / "1.md", "x")
    write(tmp_path / "a.jsonl", "x")
    write(tmp_path / ".git" / "config.txt", "x")
    write(tmp_path / "b" / ".draft.txt", "x")
    write(tmp_path / "b" / "image.png", "x")
    write(tmp_path / "c" / "page.html", "x")
    found = list(iter_files([tmp_path]))
    assert found == [
        tmp_path / "a.jsonl",
        tmp_path / "b" / "1.md",
        tmp_path / "b" / "2.txt",
        tmp_path / "c" / "page.html",
    ]


def test_iter_files_keeps_argument_order_and_tries_named_files(tmp_path: Path) -> None:
    z = write(tmp_path / "z.txt", "x")
    odd = write(tmp_path / "story.article", "x")  # named explicitly: tried whatever its suffix
    a = write(tmp_path / "a.txt", "x")
    assert list(iter_files([z, odd, a])) == [z, odd, a]


def test_process_file_never_raises(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "Headline here\n\nBody text of the story.\n")
    articles, problems = process_file(str(good))
    assert problems == [] and articles[0].title == "Headline here"
    for bad in (tmp_path / "missing.txt", tmp_path, tmp_path / "\x00nul"):
        articles, problems = process_file(str(bad))
        assert articles == [] and len(problems) == 1
        assert isinstance(problems[0], Problem)


def test_process_file_in_a_process_pool_matches_in_process() -> None:
    paths = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = list(pool.map(process_file, paths))
    assert pooled == [process_file(p) for p in paths]
    assert all(isinstance(a, Article) for articles, _ in pooled for a in articles)


def test_load_infers_years_across_the_batch(tmp_path: Path) -> None:
    dated = write(
        tmp_path / "1.txt",
        "Talks open\n\nMarch 2, 2019\n\nDelegates met in Vienna to open a new round of talks.\n",
    )
    undated = write(
        tmp_path / "2.txt",
        "Talks continue\n\nVienna, March 4 (Wire) - Delegates met again in the city on Monday "
        "for a second day of talks.\n",
    )
    later = datetime(2026, 1, 1).timestamp()
    os.utime(undated, (later, later))
    (alone,) = list(load([undated]))
    assert isinstance(alone, Article)
    # Alone, nothing supports a year: the file time does not invent one.
    assert alone.published is None and not alone.published_inferred
    items = list(load([dated, undated]))
    assert [type(i).__name__ for i in items] == ["Article", "Article"]
    assert items[0].published == datetime(2019, 3, 2) and not items[0].published_inferred
    assert items[1].published == datetime(2019, 3, 4) and items[1].published_inferred


def test_load_yields_in_argument_order_with_problems_in_place(tmp_path: Path) -> None:
    first = write(tmp_path / "x" / "first.txt", "One\n\nFirst story body text.\n")
    second = write(tmp_path / "second.txt", "Two\n\nSecond story body text.\n")
    empty = write(tmp_path / "x" / "zz-empty.txt", "")
    items = list(load([second, tmp_path / "x", tmp_path / "missing"]))
    assert [getattr(i, "title", None) for i in items] == ["Two", "One", None, None]
    assert isinstance(items[2], Problem) and items[2].path == str(empty)
    assert isinstance(items[3], Problem) and "no such file" in items[3].reason
    assert first.exists()
