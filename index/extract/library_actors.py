"""Actors across the library: one article's actors merged by name, alias and initials."""

from __future__ import annotations

from collections.abc import Iterable

from index.extract.aliases import (
    COUNTRY,
    ORG,
    PERSON,
    _link_companies,
    _link_persons,
    _Sets,
)
from index.names import actor_key, initials
from index.records import Actor, LibraryActor


class Bucket:
    """The actors of one `actor_key` across the library (names and kinds counted, in first-seen order)."""

    __slots__ = ("alias_keys", "articles", "kinds", "mentions", "names", "surfaces")

    def __init__(self) -> None:
        self.names: dict[str, int] = {}
        self.kinds: dict[str, int] = {}
        self.surfaces: dict[str, None] = {}
        self.articles: dict[str, None] = {}
        self.alias_keys: set[str] = set()
        self.mentions = 0


def top(counts: dict[str, int]) -> str:
    """The most counted key (the first one on ties)."""
    return max(counts, key=counts.__getitem__)


def _is_acronym(text: str) -> bool:
    bare = text.replace(".", "")
    return bare.isupper() and 2 <= len(bare) <= 8 and " " not in bare


def merge_library(actors: Iterable[tuple[str, Actor]]) -> list[LibraryActor]:
    """Merge (article_id, Actor) pairs into library actors, most mentioned first.

    Actors merge when their names share an `actor_key`, when one's alias is the
    other's name (acronyms only when exactly one expansion claims them), and
    when a one-word person name is the surname of exactly one full name
    ("Assad" -> "Bashar al-Assad") or a shorter form is the tail of exactly one
    longer one ("Abbas Araghchi" -> "Seyed Abbas Araghchi").
    """
    buckets = _buckets(actors)
    groups = link_keys(buckets, {k: top(b.kinds) for k, b in buckets.items()})
    out = [library_actor([buckets[key] for key in members]) for members in groups]
    out.sort(key=lambda a: (-a.mentions, a.name))
    return out


def link_keys(buckets: dict[str, Bucket], kinds: dict[str, str | None]) -> list[list[str]]:
    """The actor keys merged into one library actor each, in the order of `buckets`.

    Only each bucket's names (their order) and alias keys and each key's top
    kind count here, so a caller that keeps those per key (the PostgreSQL
    backend) links without reading every article's actors.
    """
    sets = _Sets()
    claims = _link_aliases(buckets, kinds, sets)
    _link_persons(kinds, sets, {k for k, kind in kinds.items() if kind != PERSON})
    _link_companies(kinds, sets)
    _link_library_acronyms(buckets, kinds, claims, sets)
    merged: dict[str, list[str]] = {}
    for key in buckets:
        merged.setdefault(sets.find(key), []).append(key)
    return list(merged.values())


def _buckets(actors: Iterable[tuple[str, Actor]]) -> dict[str, Bucket]:
    """The actors of all articles, gathered by `actor_key`."""
    buckets: dict[str, Bucket] = {}
    for article_id, actor in actors:
        key = actor_key(actor.name)
        if not key:
            continue
        bucket = buckets.get(key)
        if bucket is None:
            bucket = buckets[key] = Bucket()
        bucket.names[actor.name] = bucket.names.get(actor.name, 0) + 1
        bucket.kinds[actor.kind] = bucket.kinds.get(actor.kind, 0) + max(1, len(actor.mentions))
        bucket.surfaces[actor.name] = None
        for alias in actor.aliases:
            bucket.surfaces[alias] = None
            bucket.alias_keys.add(actor_key(alias))
        bucket.articles[article_id] = None
        bucket.mentions += len(actor.mentions)
    return buckets


def _link_aliases(
    buckets: dict[str, Bucket], kinds: dict[str, str | None], sets: _Sets
) -> dict[str, set[str]]:
    """Aliases that name another bucket: acronyms only when exactly one bucket claims
    them. The claims, by alias key."""
    claims: dict[str, set[str]] = {}
    for key, bucket in buckets.items():
        sets.find(key)
        for alias_key in bucket.alias_keys:
            if alias_key != key and alias_key in buckets:
                claims.setdefault(alias_key, set()).add(key)
    for alias_key, owners in claims.items():
        short = len(alias_key.split()) == 1
        if short and len(owners) != 1:
            continue
        for owner in owners:
            if kinds[owner] == COUNTRY and kinds[alias_key] != COUNTRY:
                continue
            sets.union(alias_key, owner)
            if short:
                break
    return claims


def _link_library_acronyms(
    buckets: dict[str, Bucket],
    kinds: dict[str, str | None],
    claims: dict[str, set[str]],
    sets: _Sets,
) -> None:
    """An acronym name ("UN") joins the one multi-word name it spells ("United Nations")."""
    by_initials: dict[str, set[str]] = {}
    for key, bucket in buckets.items():
        if " " in key and kinds[key] == ORG:
            for name in bucket.names:
                by_initials.setdefault(initials(name), set()).add(key)
    for key, bucket in buckets.items():
        name = next(iter(bucket.names))
        if kinds[key] == ORG and _is_acronym(name) and len(claims.get(key, ())) < 2:
            roots = {sets.find(o) for o in by_initials.get(name.replace(".", ""), ())}
            roots.discard(sets.find(key))
            if len(roots) == 1:
                sets.union(key, roots.pop())


def library_actor(members: list[Bucket]) -> LibraryActor:
    """One library actor from the buckets merged into it."""
    names: dict[str, int] = {}
    kind_votes: dict[str, int] = {}
    surfaces: dict[str, None] = {}
    articles: dict[str, None] = {}
    count = 0
    for bucket in members:
        for n, c in bucket.names.items():
            names[n] = names.get(n, 0) + c
        for k, c in bucket.kinds.items():
            kind_votes[k] = kind_votes.get(k, 0) + c
        surfaces.update(bucket.surfaces)
        articles.update(bucket.articles)
        count += bucket.mentions
    kind = top(kind_votes)
    # People are named in full ("Bashar al-Assad", not "Assad"); other actors by the
    # form most articles use ("Reuters", not "Reuters Inc"), acronyms last.
    name = max(
        names,
        key=lambda n: (
            kind != PERSON or len(n.split()) > 1,
            not _is_acronym(n),
            names[n],
            len(n),
            n,
        ),
    )
    aliases = tuple(s for s in surfaces if s != name)
    return LibraryActor(name, kind, aliases, tuple(articles), count)
