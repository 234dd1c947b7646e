"""Rebuilds and recovery: build a library aside and swap it in, finish or roll back
what a killed writer left, and say when a plain ingest must rebuild."""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from index.ingest import ingest as run_ingest
from index.ingest.commit import Counts, rollback_uncatalogued
from index.ingest.worker import Phase, Progress
from index.records import Problem
from index.storage import lock, schema
from index.storage.catalog import CATALOG_FILE, Catalog, is_damage, set_aside

# `ingest --rebuild` builds the new library here, then swaps it in (see `finish_rebuild`).
REBUILD_DIR = "rebuild.tmp"
COMPLETE_FILE = "COMPLETE"  # in REBUILD_DIR: the rebuild is whole, only the swap is left
EPOCH_FILE = "EPOCH"  # in whoosh/: which rebuild made this index (readers reopen on change)


def epoch(library: Path) -> str:
    """Which rebuild made the current index ("" before any): readers reopen when it changes."""
    try:
        return (schema.index_path(library) / EPOCH_FILE).read_text()
    except OSError:
        return ""


def write_synced(path: Path, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def finish_rebuild(library: Path) -> None:
    """Swap a complete rebuild in (idempotent: a kill -9 half way is finished by the next call).

    The index folder is exchanged atomically with the rebuilt one; the catalog
    is copied into the live file with SQLite's backup, one transaction, so
    readers see the old catalog or the new one, never a mix. A live catalog
    that can't take the copy (damaged) is set aside and the new one renamed in.
    """
    aside = library / REBUILD_DIR
    token = (aside / COMPLETE_FILE).read_text()
    live_ix = schema.index_path(library)
    new_ix = schema.index_path(aside)
    if epoch(library) != token and new_ix.is_dir():
        if live_ix.exists():
            schema.exchange(live_ix, new_ix)
        else:
            os.rename(new_ix, live_ix)
    live_cat = library / CATALOG_FILE
    new_cat = aside / CATALOG_FILE
    if new_cat.exists():
        src = sqlite3.connect(new_cat)
        try:
            try:
                dst = sqlite3.connect(live_cat, timeout=30.0)
                try:
                    dst.execute("PRAGMA journal_mode=WAL")
                    src.backup(dst)
                finally:
                    dst.close()
            except sqlite3.DatabaseError as exc:
                if not is_damage(exc):
                    raise
                set_aside(live_cat)
                src.close()
                os.rename(new_cat, live_cat)
        finally:
            src.close()
    shutil.rmtree(aside, ignore_errors=True)


def recover(library: Path) -> list[str]:
    """Finish or roll back what a killed writer left (the caller holds the writer lock)."""
    notes: list[str] = []
    aside = library / REBUILD_DIR
    if aside.is_dir():
        if (aside / COMPLETE_FILE).exists():
            finish_rebuild(library)
            notes.append("finished swapping in the library a killed `ingest --rebuild` had built")
        else:
            shutil.rmtree(aside, ignore_errors=True)
            notes.append(
                "removed the unfinished work of a killed `ingest --rebuild`; the library is as before"
            )
    lock.clean_leftovers(library)
    try:
        gone = rollback_uncatalogued(library)
    except (schema.IndexDamaged, OSError, sqlite3.Error):
        gone = 0  # the ingest that follows repairs or rebuilds
    if gone:
        notes.append(
            f"took {gone} articles a killed ingest had left half-written out of the search index"
        )
    return notes


def mark_complete(library: Path, token: str) -> None:
    """Say the rebuild in REBUILD_DIR is whole: from now on only the swap is left."""
    write_synced(library / REBUILD_DIR / COMPLETE_FILE, token)


def why_rebuild(library: Path, catalog: Catalog, ix: Any, damage: str | None) -> str | None:
    """Why a plain ingest must rebuild (we hold the writer lock): damage or disagreement."""
    if ix is None:
        return damage or "the search index is damaged"
    problem = catalog.check()
    if problem:
        return f"{library / CATALOG_FILE} is damaged ({problem})"
    if catalog.get_meta("ingesting") is not None:
        return None  # a killed ingest: the next one replaces what it half wrote
    try:
        indexed = int(ix.doc_count())
    except Exception as exc:  # unreadable segments
        return f"the search index is damaged ({type(exc).__name__})"
    catalogued = catalog.count()
    if indexed != catalogued:
        return f"the search index ({indexed} articles) and the catalog ({catalogued}) disagree"
    return None


def build_aside(
    library: Path,
    catalog: Catalog,
    paths: list[Path],
    progress: Progress | None,
    phase: Phase | None,
    follow_links: bool,
) -> tuple[Counts, list[Problem], bool, str]:
    """Build a whole new library in REBUILD_DIR from `paths` and the known sources
    (the caller holds the writer lock): (counts, skipped, whether the live catalog is
    damaged, the rebuild's token). `mark_complete` then `finish_rebuild` swap it in."""
    aside = library / REBUILD_DIR
    shutil.rmtree(aside, ignore_errors=True)
    aside.mkdir()
    try:
        sources = catalog.sources()
    except sqlite3.Error:  # a damaged catalog: what was given is all we know
        sources = []
    wanted = list(paths)
    given = {p.resolve() for p in paths if p.exists()}
    wanted += [s for s in sources if s.exists() and s.resolve() not in given]
    damaged = catalog.check() is not None
    new_ix = schema.create_index(aside)
    counts, skipped, _ = run_ingest(
        aside,
        new_ix,
        wanted,
        progress,
        False,
        phase,
        follow_links,
        extra_roots=[str(s) for s in sources],
    )
    token = uuid.uuid4().hex
    cat = Catalog(aside)
    try:
        with cat.transaction():
            cat.set_meta("follow_links", "1" if follow_links else "0")
        cat.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        cat.close()
    write_synced(schema.index_path(aside) / EPOCH_FILE, token)
    return counts, skipped, damaged, token
