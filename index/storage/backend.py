"""The seam between `Library` and where a library lives: what a storage backend provides.

`index.library.Library` is a facade: the reader and the CLI call it, and it
calls three parts, each described here as a Protocol, so that a second backend
(PostgreSQL, issue 14) is a new package implementing them, not edits across
the core. Today only the embedded backend exists:

| part          | embedded (folder) backend                  | what it holds                       |
| ------------- | ------------------------------------------ | ----------------------------------- |
| ArticleStore  | `index.storage.catalog.Catalog` (SQLite)   | articles, files, sources, actors,   |
|               |                                            | statements, vocabulary, meta        |
| MarkStore     | `index.storage.state.ReaderState` (SQLite) | read and starred marks              |
| SearchIndex   | `index.search.engine.Engine` (Whoosh)      | the full-text index and its ranking |

mypy checks that each embedded class satisfies its Protocol (see the
`_conforms` lines at the end of `catalog.py`, `state.py` and `engine.py`).

What stays backend-neutral, above the seam: the query language's parse tree
(`index.search.language`; each backend compiles it: the embedded one into
Whoosh queries), highlights and snippets (offsets computed in Python from
the article text, `index.search.highlight`), the records (`index.records`),
alias expansion (`index.search.actors`, from `ArticleStore.alias_groups`),
the vocabulary for prefixes and "did you mean" (`index.search.vocabulary`,
from `ArticleStore.vocab`), and the file walk and diff (`index.files`).

Still embedded-only, below the facade (a second backend brings its own):
writing (`index.ingest`: worker processes build Whoosh segments, the commit
side writes them with the catalog rows), the writer lock (`storage.lock`),
rebuild and recovery (`index.ingest.recovery`) and opening a folder
(`index.opening`). A backend package provides `open_parts`, `ingest`,
`remove_source` and `recover` with the signatures of those modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from index.records import Article

# (article ids, scores, total, whether the total is exact)
Ranked = tuple[list[str], list[float], int, bool]
# {path: (content hash, mtime_ns, size)} of every file the library holds articles from
KnownFiles = dict[str, tuple[str, int, int]]


class ArticleStore(Protocol):
    """The articles of a library and what was derived from them (catalog rows)."""

    def close(self) -> None: ...

    def transaction(self) -> AbstractContextManager[Any]: ...

    def data_version(self) -> int:
        """Changes whenever another connection commits: readers refresh on a change."""
        ...

    def get_meta(self, key: str, default: str | None = None) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def count(self) -> int: ...

    def sources(self) -> list[Path]: ...

    def files(self) -> KnownFiles: ...

    def ids_by_file(self) -> dict[str, list[str]]: ...

    def feed_rows(self) -> list[tuple[Any, ...]]:
        """(id, title, published iso, inferred, source, path) per article, newest first."""
        ...

    def meta_rows(self, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        """id -> the feed row plus the body, for the hits of a search."""
        ...

    def article(self, article_id: str) -> Article: ...

    def statement_rows(self, speakers: Sequence[str] | None) -> list[tuple[Any, ...]]: ...

    def speakers(self) -> list[str]: ...

    def vocab(self) -> tuple[list[str], list[int]]:
        """The indexed words, sorted, with the number of articles holding each."""
        ...

    def library_actor_rows(
        self, kind: str | None = None, limit: int | None = None
    ) -> list[tuple[Any, ...]]: ...

    def alias_groups(self, key: str) -> list[tuple[str, str, list[str]]]:
        """(name, kind, aliases) of the library actors whose names share `actor_key` `key`."""
        ...


class MarkStore(Protocol):
    """One reader's read and starred marks (per user on a shared backend)."""

    notice: str | None  # one line about marks that were lost or cannot be saved

    def close(self) -> None: ...

    def data_version(self) -> int: ...

    def read_ids(self) -> set[str]: ...

    def starred_ids(self) -> set[str]: ...

    def set_read(self, article_id: str, read: bool = True) -> None: ...

    def set_starred(self, article_id: str, starred: bool) -> None: ...


class SearchIndex(Protocol):
    """The full-text index: runs a query compiled for it, with deterministic cuts.

    `q` is the backend's own compiled form of the query tree. The same query on
    the same library must give the same ids and total on every run (cuts are
    counted in matches, never in time); a total that is an estimate says so.
    """

    damage: str | None  # why the index cannot be used, or None

    def close(self) -> None: ...

    def generation(self) -> int:
        """Changes with every commit to the index (-1 without a readable index)."""
        ...

    def refresh(self) -> None:
        """Move to the latest commit."""
        ...

    def run(self, q: Any, limit: int, sort: str, exact: bool = True) -> Ranked:
        """Top `limit` ids by relevance or by date ("date": newest first, undated last)."""
        ...
