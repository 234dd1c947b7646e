"""A long result list fetched page by page: every hit has a row, pages fill in as the user moves."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, overload

PAGE = 40


@dataclass(frozen=True)
class Pending:
    """A row whose hit is not fetched yet (the feed paints it as "loading")."""

    index: int
    title: str = "…"
    published: datetime | None = None
    published_inferred: bool = False
    source: str | None = "loading…"
    path: str = ""

    @property
    def id(self) -> str:
        return f"\x00pending-{self.index}"


class PagedHits(Sequence[Any]):
    """`total` rows, the first page known; `fill` adds a page, `wanted` says what is missing."""

    def __init__(self, hits: Sequence[Any], total: int) -> None:
        self._rows: list[Any] = list(hits) + [None] * max(0, total - len(hits))
        self.requested: set[int] = set()  # page offsets asked for and not yet answered

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        row = self._rows[index]
        if row is None:
            return Pending(index if index >= 0 else len(self._rows) + index)
        return row

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))

    def known(self, index: int) -> Any | None:
        """The row at `index` when it is read (None: not yet, or out of the list)."""
        return self._rows[index] if 0 <= index < len(self._rows) else None

    @property
    def loaded(self) -> list[Any]:
        return [row for row in self._rows if row is not None]

    def fill(self, offset: int, hits: Sequence[Any], asked: int) -> bool:
        """Put a page in; True when the list got shorter (the total was an estimate)."""
        self.requested.discard(offset)
        for i, hit in enumerate(hits):
            if offset + i < len(self._rows):
                self._rows[offset + i] = hit
        if len(hits) < asked and offset + len(hits) < len(self._rows):
            del self._rows[offset + len(hits) :]  # nothing lies past the last hit found
            return True
        return False

    def wanted(self, index: int, around: int) -> list[int]:
        """Offsets of the pages with missing rows within `around` rows of `index`."""
        low = max(0, index - around)
        high = min(len(self._rows), index + around + 1)
        pages = []
        for page in range(low // PAGE * PAGE, high, PAGE):
            if page in self.requested:
                continue
            if any(row is None for row in self._rows[page : page + PAGE]):
                pages.append(page)
        return pages
