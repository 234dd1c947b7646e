"""What stays on this machine for a shared library: its local folder, whose marks."""

from __future__ import annotations

import getpass
import os
from pathlib import Path


def local_folder(url: str) -> Path:
    """This user's local folder for the library at `url` (under $XDG_DATA_HOME/newsroom)."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        info = conninfo_to_dict(url)
    except Exception:  # not parsable here: psycopg.connect says why
        info = {}
    name = "-".join(str(info.get(k) or "") for k in ("host", "port", "dbname"))
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "default"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "newsroom" / "postgresql" / safe


def default_user() -> str:
    """Whose marks: `user` of the config (or $NEWSROOM_USER), else the OS user."""
    from index.config import load_config

    return load_config().get("user") or getpass.getuser()
