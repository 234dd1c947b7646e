"""Library-wide actors of a PostgreSQL library, merged by the change since the last merge.

A trigger logs each row added to or removed from `article_actors` in
`actor_log` (+1, -1). A merge takes the log, updates the kept buckets of the
keys it touches (`lib_keys`: what `merge_library` gathers per actor key, with
where each name, kind and surface was first seen), links every key again from
the small per-key part (ordered names, alias keys, top kind: no article is
read), and rewrites only the library actors whose keys or buckets changed.
The result is `merge_library` over every row in (article_id, n) order, which
`merge(force=True)` still computes from all rows.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from index.extract.library_actors import Bucket, library_actor, link_keys, top
from index.names import actor_key
from index.postgres import schema

# (article_id, n) of a row; a surface adds its place in the row (0: the name).
Pos = tuple[str, int]
LogRow = tuple[int, str, int, str, str, list[str], int]
# Article ids read at a time when a removed first sighting is looked for again.
REPAIR_CHUNK = 500
# Log rows from which a merge reads every row instead (a bulk load, a copy).
BIG = 500_000


@dataclass
class State:
    """One key's bucket and, per name, kind and surface, its rows and first sighting."""

    names: dict[str, list[Any]] = field(default_factory=dict)  # name: [rows, aid, n]
    kinds: dict[str, list[Any]] = field(default_factory=dict)  # kind: [votes, rows, aid, n]
    surfaces: dict[str, list[Any]] = field(default_factory=dict)  # text: [count, aid, n, j]
    aliases: dict[str, int] = field(default_factory=dict)  # alias key: occurrences
    articles: dict[str, int] = field(default_factory=dict)  # article id: rows
    mentions: int = 0

    @classmethod
    def load(cls, data: dict[str, Any]) -> State:
        return cls(**data)

    def dump(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)

    def first(self) -> Pos:
        return min((v[1], v[2]) for v in self.names.values())

    def ordered(self, table: dict[str, list[Any]], at: int) -> list[str]:
        return sorted(table, key=lambda k: tuple(table[k][at:]))

    def kind(self) -> str:
        return top({k: self.kinds[k][0] for k in self.ordered(self.kinds, 2)})

    def bucket(self, full: bool) -> Bucket:
        """The bucket `merge_library` would gather (names only, uncounted, unless `full`)."""
        b = Bucket()
        b.names = {n: self.names[n][0] if full else 0 for n in self.ordered(self.names, 1)}
        b.alias_keys = set(self.aliases)
        if full:
            b.kinds = {k: self.kinds[k][0] for k in self.ordered(self.kinds, 2)}
            b.surfaces = dict.fromkeys(self.ordered(self.surfaces, 1))
            b.articles = dict.fromkeys(sorted(self.articles))
            b.mentions = self.mentions
        return b


@dataclass
class Delta:
    """The net change of one key's rows: per (element, position), per kind, per article."""

    names: Counter[tuple[Any, ...]] = field(default_factory=Counter)
    kinds: Counter[tuple[Any, ...]] = field(default_factory=Counter)
    surfaces: Counter[tuple[Any, ...]] = field(default_factory=Counter)
    votes: Counter[str] = field(default_factory=Counter)
    aliases: Counter[str] = field(default_factory=Counter)
    articles: Counter[str] = field(default_factory=Counter)
    mentions: int = 0


def deltas(rows: Iterable[LogRow]) -> dict[str, Delta]:
    """Log rows (sign, article_id, n, name, kind, aliases, mentions) netted per actor key."""
    out: dict[str, Delta] = {}
    for sign, aid, n, name, kind, aliases, mentions in rows:
        key = actor_key(name)
        if not key:
            continue
        d = out.get(key)
        if d is None:
            d = out[key] = Delta()
        d.names[(name, aid, n)] += sign
        d.kinds[(kind, aid, n)] += sign
        d.votes[kind] += sign * max(1, mentions)
        d.surfaces[(name, aid, n, 0)] += sign
        for j, alias in enumerate(aliases, 1):
            d.surfaces[(alias, aid, n, j)] += sign
            d.aliases[actor_key(alias)] += sign
        d.articles[aid] += sign
        d.mentions += sign * mentions
    # A row removed and written again the same (a file re-ingested) changes nothing.
    return {
        k: d
        for k, d in out.items()
        if any(d.names.values())
        or any(d.kinds.values())
        or any(d.surfaces.values())
        or any(d.votes.values())
        or d.mentions
    }


def _apply_places(
    table: dict[str, list[Any]], changes: Counter[tuple[Any, ...]], count_at: int
) -> set[str]:
    """Apply netted (element, *position) changes; the elements whose first sighting left."""
    lost: set[str] = set()
    # Additions first: a row moved within an element never looks like a loss.
    for (elem, *pos), net in sorted(changes.items(), key=lambda x: -x[1]):
        entry = table.get(elem)
        if net > 0:
            if entry is None:
                table[elem] = [0] * count_at + [net, *pos]
            else:
                entry[count_at] += net
                if list(pos) < entry[count_at + 1 :]:
                    entry[count_at + 1 :] = pos
        elif net < 0 and entry is not None:
            entry[count_at] += net
            if entry[count_at] <= 0:
                del table[elem]
                lost.discard(elem)
            elif list(pos) == entry[count_at + 1 :]:
                lost.add(elem)
    return lost


def _apply_counts(table: dict[str, int], changes: Counter[str]) -> None:
    for k, net in changes.items():
        left = table.get(k, 0) + net
        if left > 0:
            table[k] = left
        else:
            table.pop(k, None)


def apply(state: State, d: Delta) -> dict[str, set[str]]:
    """Change `state` by `d`; per table, the elements whose first sighting must be found again."""
    lost = {
        "names": _apply_places(state.names, d.names, 0),
        "kinds": _apply_places(state.kinds, d.kinds, 1),
        "surfaces": _apply_places(state.surfaces, d.surfaces, 0),
    }
    for kind, net in d.votes.items():
        if kind in state.kinds:
            state.kinds[kind][0] += net
    _apply_counts(state.aliases, d.aliases)
    _apply_counts(state.articles, d.articles)
    state.mentions += d.mentions
    return lost


def repair(con: Any, key: str, state: State, lost: dict[str, set[str]]) -> None:
    """Find again, in (article_id, n) order, the first sighting of the `lost` elements."""
    wanted = {(t, e) for t, elems in lost.items() for e in elems}
    aids = sorted(state.articles)
    for i in range(0, len(aids), REPAIR_CHUNK):
        if not wanted:
            return
        for aid, n, name, kind, aliases in con.execute(
            "SELECT article_id, n, name, kind, aliases FROM article_actors"
            " WHERE article_id = ANY(%s) ORDER BY article_id, n",
            (aids[i : i + REPAIR_CHUNK],),
        ):
            if actor_key(name) != key:
                continue
            seen = [("names", name, [aid, n]), ("kinds", kind, [aid, n])]
            seen += [("surfaces", s, [aid, n, j]) for j, s in enumerate([name, *aliases])]
            for table, elem, pos in seen:
                if (table, elem) in wanted:
                    wanted.discard((table, elem))
                    entry = getattr(state, table)[elem]
                    entry[len(entry) - len(pos) :] = pos
    if wanted:  # the log and the rows disagree: cannot happen inside one snapshot
        raise RuntimeError(f"actor merge: no row left for {sorted(wanted)[:3]} of {key!r}")


def ensure_tables(con: Any, readonly: bool) -> str:
    """Add the log and kept buckets to a library made before them; the order to read actors in.

    A read-only open of such a library reads the actors in their old order (`rank`).
    """
    if con.execute("SELECT to_regclass('lib_keys') IS NOT NULL").fetchone()[0]:
        return schema.ACTOR_ORDER
    if readonly:
        return "rank"
    con.execute("SELECT pg_advisory_xact_lock(%s)", (schema.LOCK_SCHEMA,))
    con.execute(schema.ACTORS)
    return schema.ACTOR_ORDER


def _log(con: Any, full: bool) -> list[LogRow]:
    """Take the log (all of it seen in this snapshot); for a full merge, every row instead."""
    if not full:
        return [
            tuple(r)
            for r in con.execute(
                "DELETE FROM actor_log RETURNING sign, article_id, n, name, kind, aliases, mentions"
            ).fetchall()
        ]
    # Not TRUNCATE: rows a writer commits after this snapshot stay for the next merge.
    con.execute("DELETE FROM actor_log")
    return [
        (1, *r)
        for r in con.execute(
            "SELECT article_id, n, name, kind, aliases, mentions FROM article_actors"
            " ORDER BY article_id, n"
        )
    ]


def _log_is_big(con: Any) -> bool:
    """Whether the log is a bulk load (a good part of all rows, or past BIG): merged whole."""
    (logged,) = con.execute(
        "SELECT count(*) FROM (SELECT 1 FROM actor_log LIMIT %s) x", (BIG,)
    ).fetchone()
    if logged < BIG // 10:
        return False
    (rows,) = con.execute(
        "SELECT reltuples FROM pg_class WHERE oid = 'article_actors'::regclass"
    ).fetchone()
    return bool(logged >= BIG or logged * 4 >= (rows or 0))


def _states(con: Any, keys: Iterable[str]) -> dict[str, State]:
    return {
        k: State.load(v)
        for k, v in con.execute(
            "SELECT key, state FROM lib_keys WHERE key = ANY(%s)", (sorted(keys),)
        )
    }


def merge(con: Any, full: bool) -> bool:
    """One merge inside the caller's transaction (one snapshot, under the actors lock)."""
    con.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    ready = con.execute("SELECT 1 FROM meta WHERE key = 'actors_merged'").fetchone()
    full = full or ready is None or _log_is_big(con)
    rows = _log(con, full)
    if not rows and not full:
        return False
    if full:
        for table in ("lib_keys", "lib_actors", "lib_alias"):
            con.execute(f"DELETE FROM {table}")
    changes = deltas(rows)
    states = {} if full else _states(con, changes)
    for key, d in changes.items():
        state = states.setdefault(key, State())
        lost = apply(state, d)
        if state.articles and any(lost.values()):
            repair(con, key, state, lost)
    gone = {k for k, st in states.items() if not st.articles}
    # Every key's linking part: the changed ones from memory, the others as kept.
    link: dict[str, tuple[Pos, str, list[str], list[str]]] = {}
    owner: dict[str, int] = {}
    # One JSON document for every key: parsed at once, not a value at a time.
    (every,) = con.execute(
        "SELECT coalesce(json_agg(json_build_array(key, actor, first_article, first_n, kind,"
        " names, alias_keys)), '[]')::text FROM lib_keys"
    ).fetchone()
    for key, actor, fa, fn, kind, names, aliases in json.loads(every):
        owner[key] = actor
        if key not in states:
            link[key] = ((fa, fn), kind, names, aliases)
    for key, st in states.items():
        if key not in gone:
            link[key] = (st.first(), st.kind(), st.ordered(st.names, 1), sorted(st.aliases))
    order = sorted(link, key=lambda k: link[k][0])
    buckets = {}
    for key in order:
        b = Bucket()
        b.names = dict.fromkeys(link[key][2], 0)
        b.alias_keys = set(link[key][3])
        buckets[key] = b
    groups = link_keys(buckets, {k: link[k][1] for k in order})
    members: dict[int, set[str]] = {}
    for key, actor in owner.items():
        members.setdefault(actor, set()).add(key)
    fresh: list[list[str]] = []
    kept: set[int] = set()
    for group in groups:
        was = {owner.get(k) for k in group}
        if len(was) == 1 and None not in was and not (set(group) & states.keys()):
            (actor,) = was
            if actor is not None and members[actor] == set(group):
                kept.add(actor)
                continue
        fresh.append(group)
    _write(con, states, gone, fresh, set(members) - kept, link)
    con.execute(
        "INSERT INTO meta(key, value) VALUES ('actors_merged', '1'), ('actors_version', %s)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (uuid.uuid4().hex,),
    )
    return True


def _write(
    con: Any,
    states: dict[str, State],
    gone: set[str],
    fresh: list[list[str]],
    doomed: set[int],
    link: dict[str, tuple[Pos, str, list[str], list[str]]],
) -> None:
    """Replace the doomed library actors by the fresh groups; keep the per-key rows in step."""
    need = {k for g in fresh for k in g} - states.keys()
    if need:
        states.update(_states(con, need))
    cur = con.cursor()
    cur.execute("DELETE FROM lib_actors WHERE rank = ANY(%s)", (sorted(doomed),))
    cur.execute("DELETE FROM lib_alias WHERE rank = ANY(%s)", (sorted(doomed),))
    cur.execute("DELETE FROM lib_keys WHERE key = ANY(%s)", (sorted(gone),))
    (next_id,) = con.execute("SELECT coalesce(max(rank), -1) + 1 FROM lib_actors").fetchone()
    actors: list[tuple[Any, ...]] = []
    aliases: set[tuple[str, int]] = set()
    keys: list[tuple[Any, ...]] = []
    for i, group in enumerate(fresh, next_id):
        a = library_actor([states[k].bucket(True) for k in group])
        fa, fn = link[group[0]][0]
        actors.append(
            (
                i,
                a.name,
                a.kind,
                json.dumps(list(a.aliases), ensure_ascii=False),
                json.dumps(list(a.article_ids)),
                a.mentions,
                fa,
                fn,
            )
        )
        aliases.update((k, i) for n in (a.name, *a.aliases) if (k := actor_key(n)))
        for key in group:
            st = states[key]
            (ka, kn), kind, names, alias_keys = link[key]
            keys.append(
                (
                    key,
                    i,
                    ka,
                    kn,
                    kind,
                    json.dumps(names, ensure_ascii=False),
                    json.dumps(alias_keys, ensure_ascii=False),
                    st.dump(),
                )
            )
    cur.executemany(
        "INSERT INTO lib_actors(rank, name, kind, aliases, article_ids, mentions,"
        " ord_article, ord_n) VALUES (%s, %s, %s, %s::jsonb, %s::jsonb, %s, %s, %s)",
        actors,
    )
    cur.executemany("INSERT INTO lib_alias(key, rank) VALUES (%s, %s)", sorted(aliases))
    cur.executemany(
        "INSERT INTO lib_keys(key, actor, first_article, first_n, kind, names, alias_keys,"
        " state) VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s::jsonb)"
        " ON CONFLICT (key) DO UPDATE SET actor = excluded.actor,"
        " first_article = excluded.first_article, first_n = excluded.first_n,"
        " kind = excluded.kind, names = excluded.names, alias_keys = excluded.alias_keys,"
        " state = excluded.state",
        keys,
    )
    # Changed keys now in a kept actor cannot be: a changed key's group is always fresh.
