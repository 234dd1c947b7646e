"""Shapes of plain-text lines that the header, body and paragraph passes all tell apart."""

from __future__ import annotations

import re

SENTENCE_PUNCT = re.compile(r"[.!?][\"'”’)]*$")
MD_HEADING = re.compile(r"^#{1,6}\s+(?P<text>\S.*?)\s*#*$")
ELLIPSIS_END = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\]|read more\s*[»›>]?)\s*$", re.IGNORECASE)
# A line ending like this is a sentence broken by a hard wrap, never a headline.
OPEN_END = re.compile(
    r"(?:,|\w-|\b(?:to|the|a|an|of|in|and|or|for|with|on|at|by|from|that|as|its|their|his|her))$"
)


def words(text: str) -> int:
    return len(text.split())


def key(text: str) -> str:
    """`text` for comparing: case and spacing folded."""
    return " ".join(text.casefold().split())


def unemphasise(line: str) -> str:
    """`*By Sam Green*` -> `By Sam Green` (Markdown emphasis around a whole line)."""
    if len(line) > 2 and line[0] in "*_" and line[-1] == line[0]:
        return line.strip(line[0]).strip()
    return line
