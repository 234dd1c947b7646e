"""Reads of a PostgreSQL library that are more than one query: statements by speaker."""

from __future__ import annotations

from typing import Any

from index.records import LibraryStatement
from index.search.actors import _contains
from index.search.language import Expander, analyse
from index.storage.schema import NAME_ANALYZER

_STATEMENTS = (
    "SELECT s.article_id, s.speaker, substr(a.body, s.start_at + 1, s.end_at - s.start_at),"
    " s.kind, s.cue, s.start_at, s.end_at, s.act, s.utterance"
    " FROM statements s JOIN articles a ON a.id = s.article_id"
)
_ORDER = " ORDER BY a.seq, s.n"


def speakers_matching(con: Any, speaker: str, expand: Expander) -> list[str]:
    """The stored speaker names `speaker` means: any alias, or a run of its words."""
    wanted = {speaker.casefold(), *(n.casefold() for n in expand(speaker, "speaker"))}
    words = analyse(NAME_ANALYZER, speaker)
    chosen = []
    for (name,) in con.execute(
        "SELECT DISTINCT speaker FROM statements WHERE speaker IS NOT NULL ORDER BY speaker"
    ).fetchall():
        if name.casefold() in wanted or (words and _contains(analyse(NAME_ANALYZER, name), words)):
            chosen.append(name)
    return chosen


def statements(con: Any, speaker: str | None, expand: Expander) -> list[LibraryStatement]:
    """Statements across the library in the order of writing (all, or `speaker`'s)."""
    if speaker is None:
        rows = con.execute(_STATEMENTS + _ORDER).fetchall()
    else:
        chosen = speakers_matching(con, speaker, expand)
        if not chosen:
            return []
        rows = con.execute(
            _STATEMENTS + " WHERE s.speaker = ANY(%s)" + _ORDER, (chosen,)
        ).fetchall()
    return [LibraryStatement(*r[:7], act=r[7], utterance=r[8]) for r in rows]
