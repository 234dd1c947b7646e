"""Reads from a hot standby (`read_url`): its connection, or one line saying why not."""

from __future__ import annotations

from typing import Any

from index.location import redact, url_of
from index.postgres.connection import describe, psycopg_module
from index.postgres.upgrade import stored_format


def dbname(url: str) -> str:
    """The database a URL names ("" when it cannot be read)."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        return str(conninfo_to_dict(url).get("dbname") or "")
    except Exception:
        return ""


def open_standby(
    url: str, read_url: str, fmt: str, connect_timeout: int
) -> tuple[Any, str, str | None]:
    """(connection, its URL, None) to the standby at `read_url` of the library at `url`;
    (None, "", one line) when it can't serve the reads, which then stay on the primary.

    Only a database of the same name holding a library of format `fmt` is taken:
    a `read_url` left over from another archive must not answer for this one.
    """
    target = url_of(read_url) if read_url else None
    if not target or target == url:
        return None, "", None
    where = redact(target)
    if dbname(target) != dbname(url):
        return (
            None,
            "",
            (
                f"read_url {where} names another database than {redact(url)}: reading from the primary"
            ),
        )
    psycopg = psycopg_module()
    try:
        rcon = psycopg.connect(  # never prepared, as the primary's (PgLibrary.connect)
            target, autocommit=True, connect_timeout=connect_timeout, prepare_threshold=None
        )
    except psycopg.Error as exc:
        return None, "", f"{describe(exc, target)}: reading from the primary"
    try:
        # (a standby still replaying the primary's first ingest may have no `meta` yet)
        found = "none"
        if rcon.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()[0]:
            found = stored_format(rcon)
    except psycopg.Error as exc:
        rcon.close()
        return None, "", f"{describe(exc, target)}: reading from the primary"
    if found != fmt:
        rcon.close()
        return (
            None,
            "",
            (f"read_url {where} holds no library of this version yet: reading from the primary"),
        )
    return rcon, target, None
