"""Locate the bundled seed articles (package data when installed, the repo folder otherwise)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_REPO_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seeds_path() -> Path:
    """The folder holding the bundled seed articles."""
    try:
        found = resources.files("reader.seeds")
    except (ModuleNotFoundError, TypeError):
        return _REPO_SEEDS
    path = Path(str(found))
    # An installed wheel maps `reader.seeds` to a real folder; a zipped install
    # would not, and then the repo copy (present in editable installs) is used.
    if path.is_dir() and any(path.glob("*.txt")):
        return path
    return _REPO_SEEDS
