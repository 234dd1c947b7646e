"""Incremental ingest: plan (diff files against the catalog), build index segments in
worker processes (`worker`), commit them with the catalog rows (`commit`)."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from index.ingest.commit import (
    ACTORS_STALE,
    Counts,
    IndexCommitter,
    rebuild_actors,
    remove_source,
    rollback_uncatalogued,
)
from index.ingest.plan import plan
from index.ingest.worker import (
    FileResult,
    Interrupted,
    Phase,
    Progress,
    WorkerDied,
    run_pipeline,
)
from index.records import Problem
from index.storage.catalog import Catalog

__all__ = [
    "ACTORS_STALE",
    "Counts",
    "Interrupted",
    "WorkerDied",
    "ingest",
    "remove_source",
    "rollback_uncatalogued",
]


def ingest(
    library: Path,
    ix: Any,
    paths: list[Path],
    progress: Progress | None,
    rebuild: bool,
    phase: Phase | None = None,
    follow_links: bool = False,
    extra_roots: list[str] | None = None,
) -> tuple[Counts, list[Problem], bool]:
    """Run one ingest (the caller holds the writer lock): (counts, skipped problems, changed).

    Files of the catalog that are gone, or no longer under any source (a link
    that left its folder, a file outside that was only reached through one),
    leave the library. Ctrl-C (in the main thread) stops starting new files:
    what was parsed is committed and Interrupted says how many articles were kept.
    """
    cat = Catalog(library)
    stop = threading.Event()
    restore = _catch_interrupt(stop)
    try:
        if rebuild:
            with cat.transaction():
                cat.clear_articles()
        # A crash leaves this flag behind: the next run then also deletes the
        # ids it adds, in case the crashed run committed them to the index only.
        careful = cat.get_meta("ingesting") is not None
        with cat.transaction():
            cat.set_meta("ingesting", str(os.getpid()))

        ids_by_file = cat.ids_by_file()
        todo = plan(cat, paths, follow_links, extra_roots, ids_by_file)
        tasks, gone, skipped = todo.tasks, todo.gone, todo.skipped
        counts = Counts(unchanged=todo.unchanged)

        committer = IndexCommitter(ix, cat, careful, phase)
        committer.plan([path for path, _ in tasks])
        committer.stop = stop
        committer.old_ids = ids_by_file
        for f in gone:
            counts.removed += len(ids_by_file.get(f, ()))
            committer.removals.append(f)
        total = len(tasks)
        done = 0
        changed = bool(gone) or rebuild
        if progress is not None:
            progress(0, total)

        def on_result(r: FileResult) -> None:
            nonlocal done, changed
            done += 1
            skipped.extend(r.problems)
            if progress is not None:
                progress(done, total)
            if not r.digest:  # unreadable now: keep what the library had
                return
            old = set(ids_by_file.get(r.path, ()))
            if r.rows is None:
                counts.unchanged += len(old)
            else:
                new = set(r.ids)
                counts.updated += len(old & new)
                counts.added += len(new - old)
                counts.removed += len(old - new)
                changed = True

        complete = run_pipeline(library, tasks, on_result, committer.commit, stop)
        if not complete:
            # The actors stay marked stale: the next ingest merges them.
            raise Interrupted(committer.kept)
        with cat.transaction():
            cat.con.execute("DELETE FROM meta WHERE key='ingesting'")
        if cat.get_meta(ACTORS_STALE) or (cat.count() and not cat.library_actor_rows()):
            if phase is not None:
                phase("merging actors")
            rebuild_actors(cat)
        return counts, skipped, changed
    finally:
        restore()
        cat.close()


def _catch_interrupt(stop: threading.Event) -> Callable[[], None]:
    """Make the first Ctrl-C set `stop` (a second one interrupts at once); returns the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # only the main thread receives signals

    def handler(signum: int, frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:
        return lambda: None

    def undo() -> None:
        signal.signal(signal.SIGINT, previous)

    return undo
