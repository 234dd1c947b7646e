"""Actors across the library: alias expansion for queries, library actors, statements by speaker."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from index.records import LibraryActor, LibraryStatement
from index.storage.backend import ArticleStore
from index.storage.schema import NAME_ANALYZER


def _actor_key(name: str) -> str:
    from index.names import actor_key

    return actor_key(name)


class Expansions:
    """Every name the library knows for an actor, cached until the library changes."""

    def __init__(self, catalog: Callable[[], ArticleStore]) -> None:
        self._catalog = catalog  # the library's current catalog (a rebuild replaces it)
        self._cache: dict[tuple[str, str], tuple[str, ...]] = {}

    def clear(self) -> None:
        self._cache.clear()

    def expand(self, value: str, field: str) -> tuple[str, ...]:
        """Every name the library knows for the actor `value` (within the field's kinds)."""
        cache_key = (value, field)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        from index.search.language import FIELD_KINDS

        kinds = FIELD_KINDS.get(field)
        names: list[str] = []
        try:
            key = _actor_key(value)
        except Exception:  # an extractor bug must not break search
            key = ""
        if key:
            for name, kind, aliases in self._catalog().alias_groups(key):
                if kinds is None or kind in kinds:
                    names.append(name)
                    names.extend(aliases)
        out = tuple(dict.fromkeys(names))
        self._cache[cache_key] = out
        return out


def library_actors(
    catalog: ArticleStore, kind: str | None = None, limit: int | None = None
) -> list[LibraryActor]:
    """Library-wide actors (merged across articles), most mentioned first; the first
    `limit` only when given (the palette's: all 30,000 of a 20k library take 1.5 s)."""
    return [
        LibraryActor(
            name=r[0],
            kind=r[1],
            aliases=tuple(json.loads(r[2])),
            article_ids=tuple(json.loads(r[3])),
            mentions=r[4],
        )
        for r in catalog.library_actor_rows(kind, limit)
    ]


def statements(
    catalog: ArticleStore, speaker: str | None, expand: Callable[[str, str], Sequence[str]]
) -> list[LibraryStatement]:
    """Statements across the library; `speaker` matches any alias or a word of the name."""
    if speaker is None:
        rows = catalog.statement_rows(None)
    else:
        from index.search.language import analyse

        wanted = {speaker.casefold(), *(n.casefold() for n in expand(speaker, "speaker"))}
        words = analyse(NAME_ANALYZER, speaker)
        chosen = []
        for name in catalog.speakers():
            if name.casefold() in wanted:
                chosen.append(name)
                continue
            tokens = analyse(NAME_ANALYZER, name)
            if words and _contains(tokens, words):
                chosen.append(name)
        rows = catalog.statement_rows(chosen) if chosen else []
    return [LibraryStatement(*r[:7], act=r[7], utterance=r[8]) for r in rows]


def _contains(tokens: list[str], words: list[str]) -> bool:
    n = len(words)
    return any(tokens[i : i + n] == words for i in range(len(tokens) - n + 1))
