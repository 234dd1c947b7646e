"""From paths to articles: walk folders, parse and extract each file, infer years over a batch."""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from index.parse import ARTICLE_SUFFIXES, ParseError, infer_years, parse_file
from index.records import Article, Problem

# Real articles are far shorter; past this, extraction (rule passes over every sentence)
# would make one pathological file stall a whole ingest.
EXTRACT_LIMIT = 100_000


def _os_reason(exc: OSError, path: Path | None = None) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT:
        try:
            if path is not None and path.is_symlink():
                return "broken symbolic link"
        except OSError:
            pass
        return "no such file or directory"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return (exc.strerror or str(exc)).lower()


def _check_file(path: Path, st: os.stat_result) -> Problem | None:
    if not stat.S_ISREG(st.st_mode):
        kind = (
            "a named pipe (FIFO)"
            if stat.S_ISFIFO(st.st_mode)
            else "a socket"
            if stat.S_ISSOCK(st.st_mode)
            else "a device"
            if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "not a regular file"
        )
        return Problem(
            str(path), f"skipped: {kind}, not a regular file" if kind[0] == "a" else kind
        )
    if not os.access(path, os.R_OK):
        return Problem(str(path), "permission denied")
    return None


def _revisit_reason(path: Path) -> str:
    try:
        target = path.resolve()
        inside = path.parent.resolve()
    except (OSError, RuntimeError):
        return "symbolic link loop"
    if inside == target or target in inside.parents:
        return "symbolic link loop (points back to a folder above it)"
    return "skipped: folder already read through another path"


def _outside(path: Path, root: Path) -> str | None:
    """Where the link `path` leads when that is outside `root` (None: it stays inside)."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):
        return None  # a loop: reported by stat below
    if target == root or root in target.parents:
        return None
    return str(target)


def _walk(
    folder: Path, seen: set[tuple[int, int]], root: Path, follow_links: bool
) -> Iterator[Path | Problem]:
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield Problem(str(folder), _os_reason(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        link = entry.is_symlink()
        try:
            st = entry.stat()  # follows symlinks
        except OSError as exc:
            yield Problem(str(path), _os_reason(exc, path))
            continue
        if link and not follow_links:
            # Like `rg` without -L: a link may not pull files from elsewhere
            # (/etc/passwd, another user's private file) into the library.
            target = _outside(path, root)
            if target is not None:
                yield Problem(
                    str(path),
                    f"skipped: symbolic link to {target}, outside the source folder "
                    "(`--follow-links` allows it)",
                )
                continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in seen:
                yield Problem(str(path), _revisit_reason(path))
                continue
            seen.add(key)
            yield from _walk(path, seen, root, follow_links)
            continue
        # A folder walk picks up article files only; a file named explicitly is always tried.
        if path.suffix.lower() not in ARTICLE_SUFFIXES:
            continue
        problem = _check_file(path, st)
        yield problem if problem else path


def iter_files(
    paths: Iterable[Path | str], follow_links: bool = False
) -> Iterator[Path | Problem]:
    """Article files under `paths` (folders walked recursively, sorted), or Problems.

    The one folder walk of Newsroom (ingest, the reader's watcher): symbolic
    links that lead out of the folder being walked are skipped and reported
    unless `follow_links`; a path named explicitly is always taken.
    """
    seen: set[tuple[int, int]] = set()
    for raw in paths:
        path = Path(raw)
        try:
            st = path.stat()
        except OSError as exc:
            yield Problem(str(path), _os_reason(exc, path))
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in seen:
                continue  # the same folder named twice
            seen.add(key)
            try:
                root = path.resolve()
            except (OSError, RuntimeError):
                root = path
            yield from _walk(path, seen, root, follow_links)
            continue
        problem = _check_file(path, st)
        yield problem if problem else path


def process_file(path: str) -> tuple[list[Article], list[Problem]]:
    """Parse and extract one file; never raises (a top-level function, for process pools)."""
    from index.extract import extract_noted

    problems: list[Problem] = []
    try:
        parsed = parse_file(Path(path))
    except ParseError as exc:
        return [], [Problem(path, str(exc))]
    except RecursionError:
        return [], [Problem(path, "file is nested too deeply to parse")]
    except MemoryError:
        return [], [Problem(path, "file is too large to parse")]
    except Exception as exc:  # a parser bug must not stop the run
        detail = " ".join(str(exc).split())[:200]
        return [], [Problem(path, f"could not parse ({type(exc).__name__}: {detail})")]
    problems.extend(Problem(path, note) for note in parsed.problems)
    articles: list[Article] = []
    for article in parsed.articles:
        try:
            done, notes = _extract(article, extract_noted)
            articles.append(done)
        except Exception as exc:  # keep the article, unextracted
            articles.append(article)
            detail = " ".join(str(exc).split())[:200]
            problems.append(
                Problem(path, f"actors/quotes not extracted ({type(exc).__name__}: {detail})")
            )
        else:
            # the work budget's cuts, named once per article
            problems.extend(Problem(path, f"{_label(article)}{note}") for note in notes)
            if len(article.body) > EXTRACT_LIMIT:
                problems.append(
                    Problem(
                        path,
                        f"article is {len(article.body):,} characters; actors and quotes were "
                        f"looked for in the first {EXTRACT_LIMIT:,} only",
                    )
                )
    return articles, problems


def _label(article: Article) -> str:
    """`article "Title": ` for a file of several articles (a feed), else nothing."""
    if "#" not in article.path:
        return ""
    title = " ".join(article.title.split())
    return f'article "{title[:60]}": ' if title else ""


def _extract(
    article: Article, extract: Callable[[Article], tuple[Article, list[str]]]
) -> tuple[Article, list[str]]:
    """Extract on at most EXTRACT_LIMIT characters; offsets into a prefix stay valid."""
    if len(article.body) <= EXTRACT_LIMIT:
        return extract(article)
    cut = article.body.rfind("\n\n", 0, EXTRACT_LIMIT)
    cut = cut if cut > EXTRACT_LIMIT // 2 else EXTRACT_LIMIT
    done, notes = extract(dataclasses.replace(article, body=article.body[:cut]))
    return dataclasses.replace(done, body=article.body), notes


def load(paths: Iterable[Path | str]) -> Iterator[Article | Problem]:
    """Every article and problem under `paths`, in argument order, years inferred over the batch."""
    items: list[Article | Problem] = []
    for found in iter_files(paths):
        if isinstance(found, Problem):
            items.append(found)
            continue
        articles, problems = process_file(str(found))
        items.extend(articles)
        items.extend(problems)
    articles = [item for item in items if isinstance(item, Article)]
    fixed = iter(infer_years(articles))
    for item in items:
        yield next(fixed) if isinstance(item, Article) else item
