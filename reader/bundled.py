"""Locate the bundled seed articles: reader/seeds/ in a wheel, the repo's seeds/ otherwise."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_REPO_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seeds_path() -> Path:
    """The folder holding the bundled seed articles."""
    # Not `resources.files("reader.seeds")`: the seeds folder has no __init__.py, and a
    # module of that name (as this one once was) would shadow it. The wheel puts the
    # files in reader/seeds/; an editable install or a checkout has them in seeds/.
    try:
        installed = Path(str(resources.files("reader"))) / "seeds"
    except (ModuleNotFoundError, TypeError):
        return _REPO_SEEDS
    if installed.is_dir() and any(installed.glob("*.txt")):
        return installed
    return _REPO_SEEDS
