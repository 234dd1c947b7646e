"""Load the extractor's word lists (countries, names, roles, cue verbs...) shipped as data files."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

Row = tuple[str, ...]
_THREE_COLUMNS = re.compile(r"^([^#\t\n][^\t\n]*)\t([^\t\n]*)\t([^\t\n]*)$", re.MULTILINE)


class LexiconError(LookupError):
    """A lexicon name that has no data file."""


def _text(name: str) -> tuple[str, str]:
    folder = resources.files(__name__)
    for ext in (".tsv", ".txt"):
        entry = folder.joinpath(name + ext)
        if entry.is_file():
            return ext, entry.read_text(encoding="utf-8")
    raise LexiconError(f"no lexicon named {name!r} in {__name__}")


@cache
def load(name: str) -> tuple[Row, ...]:
    """The rows of lexicon `name`: blank lines and `#` comments are skipped.

    A `.txt` lexicon gives one row per line, split on whitespace (so
    `cue_verbs` rows are `("say", "said", "says", "saying")` and `roles` rows
    are phrases such as `("Foreign", "Minister")`). A `.tsv` lexicon gives one
    row per line, split on tabs, with empty trailing fields kept as "".
    """
    ext, text = _text(name)
    rows: list[Row] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if ext == ".tsv":
            rows.append(tuple(field.strip() for field in raw.rstrip("\n").split("\t")))
        else:
            rows.append(tuple(line.split()))
    return tuple(rows)


@cache
def table(name: str) -> tuple[tuple[str, str, str], ...]:
    """The rows of a large generated three-column `.tsv` lexicon (`given_names_ssa`,
    `geo_cities`), with no further cleaning: the fast road for tens of thousands of rows."""
    _, text = _text(name)
    return tuple(_THREE_COLUMNS.findall(text))


@cache
def words(name: str) -> frozenset[str]:
    """Every word of a `.txt` lexicon, as a set (for one-word lists)."""
    return frozenset(word for row in load(name) for word in row)


@cache
def phrases(name: str) -> frozenset[str]:
    """Each row of a `.txt` lexicon joined by single spaces (for phrase lists)."""
    return frozenset(" ".join(row) for row in load(name))


@cache
def cue_verbs() -> dict[str, str]:
    """Every inflection of every cue verb, mapped to its lemma (`said` -> `say`)."""
    table: dict[str, str] = {}
    for row in load("cue_verbs"):
        for form in row:
            table.setdefault(form.lower(), row[0].lower())
    return table
