"""Size limits of the house: modules of index/ and reader/ up to 500 lines, functions up to 80.

`python -m tools.check_size` prints every breach and exits 1 when one counts.
Lexicon data (`index/extract/lexicons/`) is exempt. The modules in KNOWN are
reported without failing, until they are split.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("index", "reader")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
EXEMPT = ("index/extract/lexicons/",)
REPORT_ONLY: tuple[str, ...] = ()
# Modules reported without failing while they wait for a split (issue 15): none left.
KNOWN: tuple[str, ...] = ()


def modules(root: Path = ROOT) -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((root / package).rglob("*.py"))


def breaches(path: Path, root: Path = ROOT) -> list[str]:
    """One line per limit `path` breaks: 'index/x.py: 612 lines' or 'index/x.py:40 f: 95 lines'."""
    rel = path.relative_to(root).as_posix()
    if rel.startswith(EXEMPT):
        return []
    text = path.read_text(encoding="utf-8")
    out = []
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        out.append(f"{rel}: {lines} lines (module limit {MAX_MODULE_LINES})")
    for node in ast.walk(ast.parse(text, filename=rel)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - first + 1
            if length > MAX_FUNCTION_LINES:
                out.append(
                    f"{rel}:{node.lineno} {node.name}: {length} lines "
                    f"(function limit {MAX_FUNCTION_LINES})"
                )
    return out


def check(root: Path = ROOT) -> tuple[list[str], list[str]]:
    """(breaches that fail the check, breaches only reported)."""
    failing: list[str] = []
    reported: list[str] = []
    for path in modules(root):
        found = breaches(path, root)
        rel = path.relative_to(root).as_posix()
        (reported if rel.startswith(REPORT_ONLY + KNOWN) else failing).extend(found)
    return failing, reported


def main() -> int:
    failing, reported = check()
    for line in reported:
        print(f"reported (TODO, not failing): {line}")
    for line in failing:
        print(line)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
