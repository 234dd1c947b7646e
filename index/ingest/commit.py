"""The commit side of an ingest: worker segments and deletions into the index, rows into
the catalog, library-wide actors; also removing a source and rolling back a killed ingest."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.files import under
from index.ingest.worker import FileResult, Phase
from index.storage import schema, whoosh_private
from index.storage.catalog import Catalog

ACTORS_STALE = "actors_stale"  # catalog meta: the library-wide actors lag the articles
UNCATALOGUED = "uncatalogued"  # catalog meta: ids committed to the index, not yet to the catalog

# An ingest's articles take catalog rowids in the order of its plan (a file's at
# base + its place * FILE_STRIDE + the article's place in it), not in the order the
# parse workers' segments happen to commit: the rowid is the ingest order stories grow
# in and the order a copy reads, so two ingests of the same files give the same stories
# whatever the workers' timing or number.
FILE_STRIDE = 1 << 24
MAX_ROWID = (1 << 63) - 1
# Segments below this many documents (or half deleted) are merged at the end
# of an ingest; the workers' own segments (COMMIT_EVERY / workers) never are.
SMALL_SEGMENT = 1000


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


class IndexCommitter:
    """Commits worker segments plus deletions into the index, then the catalog rows.

    The index commits first and the catalog second: a crash in between leaves
    files whose catalog rows still carry the old hash, so the next ingest
    parses them again and replaces their documents by id (`careful`).
    """

    def __init__(self, ix: Any, cat: Catalog, careful: bool, phase: Phase | None = None) -> None:
        self.ix = ix
        self.cat = cat
        self.careful = careful
        self.phase = phase
        self.removals: list[str] = []
        self.old_ids: dict[str, list[str]] = {}
        self.wrote = False
        self.kept = 0  # articles added or updated and committed so far
        self.stop: threading.Event | None = None  # set by Ctrl-C
        self.places: dict[str, int] = {}  # file -> its place in the plan (see `plan`)
        self.base = 0

    def plan(self, files: Sequence[str]) -> None:
        """The ingest's files in plan order: their articles' rowids follow it."""
        self.base = self.cat.next_rowid()
        self.places = {f: i for i, f in enumerate(files)}

    def first_rowid(self, file: str, articles: int) -> int | None:
        """Where `file`'s articles start in the catalog (None: after the last row)."""
        place = self.places.get(file)
        if place is None or articles >= FILE_STRIDE:
            return None
        first = self.base + place * FILE_STRIDE
        return first if first + FILE_STRIDE <= MAX_ROWID else None

    def commit(self, segments: list[Any], results: list[FileResult], final: bool) -> None:
        vocab = whoosh_private.take_vocab(segments)
        doomed: set[str] = set()
        for path in self.removals:
            doomed.update(self.old_ids.get(path, ()))
        for r in results:
            if r.rows is not None:
                doomed.update(self.old_ids.get(r.path, ()))
                if self.careful:
                    doomed.update(r.ids)
        # The final commit also merges small segments and removes leftovers,
        # but only when this ingest changed the index at all.
        added = [i for r in results if r.rows is not None for i in r.ids]
        if segments and added:
            # Named before the TOC makes them searchable: if we die before the
            # catalog rows follow, the next open takes these documents out of
            # the index again (`rollback_uncatalogued`), so no search counts them.
            with self.cat.transaction():
                self.cat.set_meta(UNCATALOGUED, json.dumps(added))
        if segments or doomed or (final and self.wrote):
            self.wrote = True
            if final and self.phase is not None and not (self.stop and self.stop.is_set()):
                self.phase("merging segments")
            writer = whoosh_private.segment_writer(self.ix, 64)
            # Small segments left by earlier small ingests get merged at the
            # end; the big ones the workers just wrote are never re-copied.
            # Not after a Ctrl-C: the user is waiting, the next ingest merges.
            merge = final and not (self.stop is not None and self.stop.is_set())
            whoosh_private.commit_with(
                writer, segments, sorted(doomed), SMALL_SEGMENT if merge else None, clean=final
            )
        with self.cat.transaction():
            touched = bool(self.removals)
            for path in self.removals:
                self.cat.remove_file(path)
            for r in results:
                if r.rows is not None:
                    touched = True
                    self.cat.remove_file(r.path)
                    self.cat.put_rows(r.path, r.rows, self.first_rowid(r.path, len(r.rows[0])))
                if r.digest:
                    self.cat.set_file(r.path, r.digest, r.stat[0], r.stat[1])
            if vocab:
                self.cat.add_vocab(vocab)
            self.cat.con.execute("DELETE FROM meta WHERE key=?", (UNCATALOGUED,))
            if touched:
                # Cleared by the actor merge that ends an ingest: a run killed
                # before it leaves this behind and the next ingest merges.
                self.cat.set_meta(ACTORS_STALE, "1")
        self.kept += sum(len(r.ids) for r in results if r.rows is not None)
        self.removals.clear()


def rollback_uncatalogued(library: Path) -> int:
    """Take out of the index the documents a killed ingest committed there but not to the catalog.

    The caller holds the writer lock. Returns the number of documents removed.
    """
    import sqlite3

    try:
        cat = Catalog(library)
    except (sqlite3.Error, Exception):  # a damaged catalog: a rebuild deals with it
        return 0
    try:
        raw = cat.get_meta(UNCATALOGUED)
        killed = cat.get_meta("ingesting") is not None
        if not raw and not killed:
            return 0
        ids = set(json.loads(raw)) if raw else set()
        known = {r[0] for r in cat.con.execute("SELECT id FROM articles").fetchall()}
        gone = 0
        if schema.has_toc(library):
            ix = schema.open_index(library)
            if killed:
                # A worker's segment may hold documents of a batch the killed run never
                # catalogued, and the marker names only the batch being committed: after
                # a killed ingest the catalog decides, id by id.
                ids |= _index_ids(ix)
            doomed = sorted(ids - known)
            if doomed:
                before = ix.doc_count()
                writer = whoosh_private.segment_writer(ix)
                try:
                    for aid in doomed:
                        writer.delete_by_term("id", aid)
                    writer.commit(merge=False)
                except BaseException:
                    writer.cancel()
                    raise
                gone = max(0, before - schema.open_index(library).doc_count())
        with cat.transaction():
            cat.con.execute("DELETE FROM meta WHERE key=?", (UNCATALOGUED,))
        return gone
    finally:
        cat.close()


def remove_source(library: Path, ix: Any, root: str, kept: Sequence[str] = ()) -> int:
    """Forget the source `root` and remove its files' articles; the number of articles removed.

    Files that are also under one of the `kept` sources stay."""
    cat = Catalog(library)
    try:
        doomed = [
            f for f in cat.files() if under(f, root) and not any(under(f, other) for other in kept)
        ]
        ids_by_file = cat.ids_by_file()
        committer = IndexCommitter(ix, cat, careful=False)
        committer.old_ids = ids_by_file
        committer.removals = list(doomed)
        removed = sum(len(ids_by_file.get(f, ())) for f in doomed)
        committer.commit([], [], True)
        with cat.transaction():
            cat.remove_source(root)
        rebuild_actors(cat)
        return removed
    finally:
        cat.close()


def rebuild_actors(cat: Catalog) -> None:
    """Merge every article's actors library-wide and store them with their alias keys."""
    from index.extract.library_actors import merge_library
    from index.names import actor_key

    merged = merge_library(cat.iter_actor_rows())
    with cat.transaction():
        cat.replace_library_actors(merged, actor_key)
        cat.con.execute("DELETE FROM meta WHERE key=?", (ACTORS_STALE,))


def _index_ids(ix: Any) -> set[str]:
    """Every article id the search index has a term for (deleted ones included)."""
    with ix.reader() as reader:
        return {t.decode("utf-8") if isinstance(t, bytes) else str(t) for t in reader.lexicon("id")}
