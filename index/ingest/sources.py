"""A library's watched sources: their article counts, removing one, noticing new files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from index import files
from index.errors import LibraryBusy, LibraryError
from index.ingest.commit import ACTORS_STALE, remove_source
from index.storage import lock
from index.storage.backend import ArticleStore

if TYPE_CHECKING:
    from index.search.engine import Engine


def counts(catalog: ArticleStore) -> list[tuple[Path, int]]:
    """Each watched source with the number of articles from files under it."""
    by_file = catalog.ids_by_file()
    return [
        (root, sum(len(ids) for f, ids in by_file.items() if files.under(f, str(root))))
        for root in catalog.sources()
    ]


def remove(
    library: Path,
    catalog: ArticleStore,
    engine: Engine,
    path: Path | str,
    after: Callable[[], object],
) -> int:
    """Stop watching the source `path` and drop its articles; how many left (see
    `Library.remove_source`); `after` runs under the writer lock once the articles
    are gone."""
    given = str(Path(path).expanduser())
    roots = [str(r) for r in catalog.sources()]
    wanted = given if given in roots else files.resolved(given)
    if wanted not in roots:
        raise LibraryError(f"{path}: not a source of this library (see `newsroom sources`)")
    kept = [r for r in roots if r != wanted]
    try:
        with lock.writer_lock(library):
            if engine.ix is None:
                raise LibraryError(
                    f"{library}: the search index is damaged; run `newsroom ingest --rebuild`"
                )
            removed = remove_source(library, engine.ix, wanted, kept)
            after()
    except lock.WriterBusy as exc:
        raise LibraryBusy(str(exc), exc.holder) from exc
    return removed


def pending(catalog: ArticleStore) -> bool:
    """Cheap check (mtime and size only) whether any source has new, changed or gone files,
    or whether a killed ingest left work to finish (the library-wide actors)."""
    if catalog.get_meta(ACTORS_STALE) and catalog.get_meta("ingesting") is None:
        return True
    follow = catalog.get_meta("follow_links") == "1"
    return files.changed(catalog.sources(), catalog.files(), follow)
