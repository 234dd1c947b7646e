"""The errors the library raises to its callers (the CLI and the reader): one line each."""

from __future__ import annotations


class LibraryError(Exception):
    """A library that cannot be opened or written (locked, damaged, not a library)."""


class LibraryBusy(LibraryError):
    """Another process is ingesting into the library; `holder` names it ("process 123")."""

    def __init__(self, message: str, holder: str) -> None:
        super().__init__(message)
        self.holder = holder


class IngestInterrupted(LibraryError):
    """Ctrl-C stopped an ingest; `kept` articles of it were committed (a rebuild keeps none)."""

    def __init__(self, message: str, kept: int) -> None:
        super().__init__(message)
        self.kept = kept
