"""Talking to the server: psycopg loaded on demand, connection errors as one-line LibraryErrors."""

from __future__ import annotations

import re
from types import TracebackType
from typing import Any

from index.errors import LibraryError
from index.location import redact


class ConnectionLost(LibraryError):
    """The server went away mid-operation; `kept` articles of an ingest were committed."""

    def __init__(self, message: str, kept: int = 0) -> None:
        super().__init__(message)
        self.kept = kept


def psycopg_module() -> Any:
    """psycopg, or a one-line LibraryError when the optional extra is not installed."""
    try:
        import psycopg
    except ImportError as exc:
        raise LibraryError(
            "PostgreSQL libraries need psycopg: pip install 'newsroom[postgres]'"
        ) from exc
    return psycopg


def describe(exc: BaseException, url: str) -> str:
    """One line for a connection problem: unreachable, refused login, no such database."""
    text = " ".join(str(exc).split())
    where = redact(url)
    low = text.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        return f"{where}: the server refused the login (wrong user or password)"
    m = re.search(r'database "([^"]+)" does not exist', text)
    if m:
        return f"{where}: no database {m.group(1)!r} on the server (create it with createdb)"
    if "connection refused" in low or "could not connect" in low or "timeout" in low:
        return f"{where}: cannot reach the PostgreSQL server (is it running? {text[-120:]})"
    if "terminat" in low or "server closed the connection" in low or "connection" in low:
        return f"{where}: the connection to the server was lost ({text[:160]})"
    return f"{where}: {text[:200]}"


def is_psycopg_error(exc: BaseException) -> bool:
    return type(exc).__module__.startswith("psycopg")


class Guard:
    """Turns psycopg's errors inside a block into one-line LibraryErrors.

    A lost connection becomes `ConnectionLost`, saying how many articles of an
    ingest were committed (`kept`, set by the ingest as it goes).
    """

    def __init__(self, con: Any, url: str) -> None:
        self.con = con
        self.url = url
        self.kept = 0

    def __enter__(self) -> Guard:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None or not is_psycopg_error(exc):
            return
        psycopg = psycopg_module()
        line = describe(exc, self.url)
        if isinstance(exc, psycopg.OperationalError) or self.con.closed:
            if self.kept:
                line += f"; kept {self.kept} articles, run the ingest again to finish"
            raise ConnectionLost(line, self.kept) from None
        raise LibraryError(line) from None
