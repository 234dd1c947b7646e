"""Where a library lives: a folder path, or a `postgresql://` URL for the shared backend."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

SCHEMES = ("postgresql://", "postgres://")


def url_of(target: str | Path) -> str | None:
    """The PostgreSQL URL `target` names, or None for a folder.

    A URL that went through `Path` (argparse's `type=Path`, a config value) has
    lost one slash ("postgresql:/user@host/db"): it is put back here, so every
    caller may keep passing paths around.
    """
    text = str(target)
    if text.startswith(SCHEMES):
        return text
    for scheme in SCHEMES:
        collapsed = scheme[:-1]  # "postgresql:/"
        if text.startswith(collapsed):
            return scheme + text[len(collapsed) :]
    return None


def is_url(target: str | Path) -> bool:
    """Whether a `--library` value names a PostgreSQL library rather than a folder."""
    return url_of(target) is not None


def redact(url: str) -> str:
    """The URL without its password (for messages and titles)."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1@", url)


def open_url(target: str | Path, *, readonly: bool = False, check: bool = True) -> Any:
    """The PostgreSQL library (a `Library`) at the URL `target`; `Library.open` calls this.

    `check=False` (an opening to write) upgrades a library of an older format.

    Typed Any: naming `Library` here would import the top layer from below it."""
    from index.postgres.library import PgLibrary

    url = url_of(target)
    assert url is not None, target
    return PgLibrary.connect(url, readonly=readonly, upgrade=not check)
