"""Opening a library folder: its catalog, marks and full-text index, with one-line errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from index.errors import LibraryError
from index.ingest.recovery import recover
from index.storage import lock, schema
from index.storage.catalog import CATALOG_FILE, Catalog, CatalogFormatError, is_damage, set_aside
from index.storage.state import ReaderState

Parts = tuple[Catalog, ReaderState, Any, "str | None", bool, list[str]]


def open_parts(path: Path, check: bool, readonly: bool) -> Parts:
    """(catalog, state, Whoosh index or None, its damage, read-only, notices) of the library
    at `path`, created when new; see `Library.open` for `check` and `readonly`."""
    path = Path(path).expanduser()
    notices: list[str] = []
    if not readonly and path.is_dir() and not schema.writable(path):
        readonly = True
    if readonly:
        if not path.is_dir():
            raise LibraryError(f"{path}: no library here")
    else:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"{path}: cannot create the library ({exc.strerror})") from exc
        if not path.is_dir():
            raise LibraryError(f"{path}: not a folder")
        with lock.try_writer_lock(path) as free:
            if free:  # finish or roll back what a killed writer left
                notices.extend(recover(path))
    catalog, articles = _open_catalog(path, check, readonly, notices)
    try:
        state = ReaderState(path, readonly=readonly)
    except sqlite3.DatabaseError as exc:
        catalog.close()
        raise LibraryError(f"{path / 'state.sqlite'}: cannot be opened ({exc})") from exc
    if state.notice:
        notices.append(state.notice)
    ix: Any = None
    damage: str | None = None
    try:
        if not schema.has_toc(path) and articles > 0:
            raise schema.IndexDamaged(
                f"{schema.index_path(path)}: the search index is missing "
                f"({articles} articles in the catalog)"
            )
        ix = schema.open_index(path, create=not readonly)
        if check and articles == 0 and catalog.get_meta("ingesting") is None and ix.doc_count() > 0:
            raise schema.IndexDamaged(
                f"{path / CATALOG_FILE} is missing or empty while the search index holds "
                f"{ix.doc_count()} articles"
            )
    except schema.IndexDamaged as exc:
        damage = str(exc)
        if check:
            catalog.close()
            state.close()
            raise LibraryError(
                f"{exc}; run `newsroom ingest --rebuild PATH...` to rebuild it from the "
                "source files (read/starred marks are kept)"
            ) from exc
    except OSError as exc:
        catalog.close()
        state.close()
        raise LibraryError(f"{path}: cannot open the search index ({exc})") from exc
    return catalog, state, ix, damage, readonly, notices


def _open_catalog(
    path: Path, check: bool, readonly: bool, notices: list[str]
) -> tuple[Catalog, int]:
    """The catalog and its article count; a damaged or outdated one starts afresh when
    opening to write without `check` (said in `notices`)."""
    try:
        catalog = Catalog(path, readonly=readonly)
        try:
            articles = catalog.count()  # also a first read of the biggest table
        except sqlite3.DatabaseError:
            catalog.close()
            raise
    except CatalogFormatError as exc:
        if check or readonly:
            raise LibraryError(
                f"{exc}; run `newsroom ingest --rebuild PATH...` (read/starred marks are kept)"
            ) from exc
        # Opening for a rebuild: the catalog is derived data, start it afresh.
        for suffix in ("", "-wal", "-shm"):
            (path / (CATALOG_FILE + suffix)).unlink(missing_ok=True)
        catalog = Catalog(path)
        articles = 0
        notices.append(f"{exc}: it is rebuilt from the source files")
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            what = "cannot be opened" if readonly else "is locked or cannot be opened"
            raise LibraryError(f"{path / CATALOG_FILE}: {what} ({exc})") from exc
        if check or readonly:
            raise LibraryError(
                f"{path / CATALOG_FILE} is damaged ({exc}); run `newsroom ingest --rebuild "
                "PATH...` to rebuild it from the source files (read/starred marks are kept)"
            ) from exc
        catalog = fresh_catalog(path, exc, notices)
        articles = 0
    return catalog, articles


def fresh_catalog(path: Path, exc: BaseException, notices: list[str]) -> Catalog:
    """Set a damaged catalog aside and start an empty one, keeping its sources if they read."""
    sources: list[str] = []
    try:
        con = sqlite3.connect(path / CATALOG_FILE)
        try:
            sources = [r[0] for r in con.execute("SELECT path FROM sources")]
        finally:
            con.close()
    except sqlite3.Error:
        pass
    aside = set_aside(path / CATALOG_FILE)
    catalog = Catalog(path)
    with catalog.transaction():
        catalog.add_sources(sources)
    notices.append(
        f"{CATALOG_FILE} was damaged ({exc}); kept as {aside.name}, the library is rebuilt "
        "from its source files"
    )
    return catalog
