"""One ingest into an open library under the writer lock: recovery first, a rebuild when
the library is damaged, leftovers removed when it fails, and one-line errors."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import IngestInterrupted, LibraryBusy, LibraryError
from index.ingest import Interrupted, WorkerDied, ingest, recovery
from index.ingest.commit import Counts
from index.ingest.worker import Phase, Progress
from index.records import IngestReport, Problem
from index.storage import lock
from index.storage.catalog import CATALOG_FILE, Catalog, is_damage, set_aside

if TYPE_CHECKING:
    from index.search.engine import Engine

# Switches the open library to the one rebuilt aside (the caller's `swap_in`, which
# calls the function of that name below): (the rebuild's token, whether the live
# catalog is damaged and must be set aside).
SwapIn = Callable[[str, bool], None]
# Brings the stories up to date after the articles (the caller's `sync_stories`).
Stories = Callable[[Phase | None], list[str]]


def run(
    library: Path,
    catalog: Catalog,
    engine: Engine,
    paths: list[Path],
    progress: Progress | None,
    rebuild: bool,
    phase: Phase | None,
    follow_links: bool | None,
    *,
    swap_in: SwapIn,
    stories: Stories,
) -> IngestReport:
    """Ingest `paths` into the open library at `library` (see `Library.ingest`).

    Raises LibraryError (IngestInterrupted, LibraryBusy) with a one-line message.
    """
    started = time.monotonic()
    notes: list[str] = []
    try:
        with lock.writer_lock(library):
            try:
                notes.extend(recovery.recover(library))
                if follow_links is None:
                    follow_links = catalog.get_meta("follow_links") == "1"
                if not rebuild:
                    why = recovery.why_rebuild(library, catalog, engine.ix, engine.damage)
                    if why:
                        rebuild = True
                        notes.append(f"{why}: rebuilding the library from its source files")
                if rebuild:
                    counts, skipped = _rebuild(
                        library, catalog, paths, progress, phase, follow_links, swap_in
                    )
                else:
                    assert engine.ix is not None
                    with catalog.transaction():
                        catalog.set_meta("follow_links", "1" if follow_links else "0")
                    counts, skipped, _ = ingest(
                        library, engine.ix, paths, progress, False, phase, follow_links
                    )
                # After a rebuild, quietly: its last phase is the switch.
                notes.extend(stories(None if rebuild else phase))
            except BaseException:
                _remove_leftovers(library)
                raise
    except (lock.WriterBusy, Interrupted, WorkerDied, OSError, sqlite3.DatabaseError) as exc:
        raise ingest_error(library, exc, rebuild) from exc
    return IngestReport(
        counts.added,
        counts.updated,
        counts.unchanged,
        counts.removed,
        tuple(skipped),
        time.monotonic() - started,
        tuple(notes),
    )


def _rebuild(
    library: Path,
    catalog: Catalog,
    paths: list[Path],
    progress: Progress | None,
    phase: Phase | None,
    follow_links: bool,
    swap_in: SwapIn,
) -> tuple[Counts, list[Problem]]:
    """Build a whole new library in REBUILD_DIR from `paths` and the known sources, swap it in."""
    counts, skipped, damaged, token = recovery.build_aside(
        library, catalog, paths, progress, phase, follow_links
    )
    if phase is not None:
        phase("switching to the rebuilt library")
    swap_in(token, damaged)
    return counts, skipped


def swap_in(
    library: Path,
    token: str,
    damaged: bool,
    engine: Engine,
    catalog: Catalog,
    notices: list[str],
) -> None:
    """Close the live index (and a `damaged` live catalog, set aside rather than deleted)
    and swap in the rebuild `token`; the caller then opens the library afresh."""
    engine.close()
    recovery.mark_complete(library, token)
    if damaged:
        catalog.close()
        aside_name = set_aside(library / CATALOG_FILE)
        notices.append(f"the damaged catalog is kept as {aside_name.name}")
    recovery.finish_rebuild(library)


def _remove_leftovers(library: Path) -> None:
    """A full disk or a failed worker leaves partial segments and temporary folders:
    remove them while we still hold the lock. A complete rebuild stays: the next
    open swaps it in."""
    if not (library / recovery.REBUILD_DIR / recovery.COMPLETE_FILE).exists():
        shutil.rmtree(library / recovery.REBUILD_DIR, ignore_errors=True)
    lock.clean_leftovers(library)


def ingest_error(library: Path, exc: BaseException, rebuild: bool) -> LibraryError:
    """The one-line error for what stopped an ingest of the library at `library`."""
    if isinstance(exc, lock.WriterBusy):
        return LibraryBusy(str(exc), exc.holder)
    if isinstance(exc, Interrupted):
        if rebuild:
            return IngestInterrupted(
                "interrupted: the rebuild was abandoned; the library is as it was before", 0
            )
        return IngestInterrupted(
            f"interrupted: kept {exc.kept} articles; run `newsroom ingest` again to finish",
            exc.kept,
        )
    if isinstance(exc, WorkerDied):
        return LibraryError(f"{library}: ingest failed: {exc}")
    if isinstance(exc, OSError):
        reason = (exc.strerror or str(exc)).lower()
        return LibraryError(f"{library}: ingest failed ({reason}); what it had written was removed")
    if isinstance(exc, sqlite3.DatabaseError) and is_damage(exc):
        return LibraryError(
            f"{library / CATALOG_FILE} is damaged ({exc}); run `newsroom ingest "
            "--rebuild PATH...` (read/starred marks are kept)"
        )
    return LibraryError(f"{library}: ingest failed ({exc})")
