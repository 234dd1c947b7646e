"""Every test runs with an empty config dir: the user's own config.toml never leaks in."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _empty_config_home(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("config-home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    for name in ("NEWSROOM_THEME", "NEWSROOM_PAGER", "NEWSROOM_DATE_FORMAT", "NEWSROOM_PIPE",
                 "NEWSROOM_KEYS"):
        monkeypatch.delenv(name, raising=False)
    return home
