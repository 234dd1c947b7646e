"""Source files: the one folder walk, and the one diff of a walk against the catalog."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from index.records import Problem

# (mtime_ns, size) of a file that could not be stat'ed: never equal to a stored one.
UNREADABLE = (0, -1)


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
    folder: Path,
    seen: set[tuple[int, int]],
    root: Path,
    follow_links: bool,
    suffixes: frozenset[str],
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
            yield from _walk(path, seen, root, follow_links, suffixes)
            continue
        # A folder walk picks up article files only; a file named explicitly is always tried.
        if path.suffix.lower() not in suffixes:
            continue
        problem = _check_file(path, st)
        yield problem if problem else path


def iter_files(paths: Iterable[Path | str], follow_links: bool = False) -> Iterator[Path | Problem]:
    """Article files under `paths` (folders walked recursively, sorted), or Problems.

    The one folder walk of Newsroom (ingest, the reader's watcher): symbolic
    links that lead out of the folder being walked are skipped and reported
    unless `follow_links`; a path named explicitly is always taken.
    """
    from index.parse import ARTICLE_SUFFIXES  # the parsers say what they read

    suffixes = frozenset(ARTICLE_SUFFIXES)
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
            yield from _walk(path, seen, root, follow_links, suffixes)
            continue
        problem = _check_file(path, st)
        yield problem if problem else path


# --- the diff ------------------------------------------------------------------


def under(path: str, root: str) -> bool:
    """Whether `path` is `root` or inside it (both resolved)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def resolved(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):
        return path


def stat_key(path: str) -> tuple[int, int]:
    """(mtime_ns, size) of `path`, UNREADABLE when it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return UNREADABLE
    return (st.st_mtime_ns, st.st_size)


@dataclass(frozen=True)
class Change:
    """A file that is new (`old_hash` None) or whose (mtime, size) differ from the catalog's."""

    path: str  # resolved
    old_hash: str | None
    readable: bool = True  # False: it could not be stat'ed (it may be gone by now)


def diff(
    files: Iterable[Path], known: Mapping[str, tuple[str, int, int]], seen: set[str]
) -> Iterator[Change | str]:
    """Compare walked `files` with the catalog's `known` {path: (hash, mtime_ns, size)}.

    Each file not yet in `seen` (resolved paths, added to as it goes) gives a
    Change, or its resolved path when it is unchanged. Only mtime and size are
    compared: the ingest compares content hashes of what this reports.
    """
    for path in files:
        key = str(path.resolve())
        if key in seen:
            continue
        seen.add(key)
        old = known.get(key)
        if old is None:
            yield Change(key, None)
            continue
        st = stat_key(key)
        if st == (old[1], old[2]):
            yield key
        else:
            yield Change(key, old[0], st != UNREADABLE)


def changed(
    roots: Iterable[Path], known: Mapping[str, tuple[str, int, int]], follow_links: bool
) -> bool:
    """Cheap check (mtime and size only) whether any file under `roots` is new, changed
    or gone since the catalog's `known` (the reader's watch)."""
    seen: set[str] = set()
    for root in roots:
        if not root.exists():
            if any(under(p, str(root)) for p in known):
                return True
            continue
        files = (p for p in iter_files([root], follow_links=follow_links) if isinstance(p, Path))
        for item in diff(files, known, seen):
            if isinstance(item, Change) and (item.old_hash is None or item.readable):
                return True
    # Like the ingest: a file gone, or no longer reached from a source, goes.
    return any(p not in seen for p in known)
