"""The core package `index` must never pull in the UI toolkits."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import index

ROOT = Path(__file__).resolve().parent.parent


def core_modules() -> list[str]:
    names = ["index"]
    for info in pkgutil.walk_packages(index.__path__, prefix="index."):
        names.append(info.name)
    return names


def test_core_modules_found() -> None:
    mods = core_modules()
    assert "index.records" in mods
    assert len(mods) >= 3


def test_index_never_imports_textual_or_rich() -> None:
    code = (
        "import importlib, sys\n"
        "bad = []\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "    hit = [m for m in ('textual', 'rich') if m in sys.modules]\n"
        "    if hit: bad.append((name, hit)); break\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout


def test_each_core_module_has_a_docstring() -> None:
    import importlib

    for name in core_modules():
        mod = importlib.import_module(name)
        doc = (mod.__doc__ or "").strip()
        assert doc, f"{name} has no module docstring"
        assert len(doc.splitlines()[0]) > 10, f"{name}: docstring should say what it is for"
