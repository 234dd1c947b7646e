"""The term-at-a-time evaluator: a query's matches and Whoosh's BM25F scores in one window of one segment."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from index.storage import whoosh_blocks, whoosh_private

if TYPE_CHECKING:
    from index.search.lean import Lengths

# segment docnum -> score, for the matches of one (sub)query in one segment
Scores = dict[int, float]


class Outcome:
    """What a lean run found: the top hits (global docnums, scores), the matches
    counted, whether a budget cut the reading, whether blocks were skipped."""

    __slots__ = ("cut", "matched", "skipped", "top")

    def __init__(
        self, top: list[tuple[int, float]], matched: int, cut: bool, skipped: bool
    ) -> None:
        self.top, self.matched, self.cut, self.skipped = top, matched, cut, skipped


# Whoosh's own matchers (ranges, odd phrases) cost about ten decoded postings a
# match, looking a term up in a segment about twenty, a block header about one
# and reading a term's postings in a window about two (measured on 100,000 articles).
DRAIN_COST = 10
LOOKUP_COST = 20
HEADER_COST = 1
CALL_COST = 2


# A score bound that is not known.
OPEN = math.inf


class Evaluator:
    def __init__(self, searcher: Any, weighting: Any, lengths: Lengths) -> None:
        self.top = searcher
        self.weighting = weighting
        self.lengths = lengths
        self.lo, self.hi = 0, 0  # the window of docnums being read
        self.work = 0  # postings decoded (and matches drained) so far
        self.theta: float | None = None  # the score to beat (see `run`)
        self.skipped = False
        self._avgfl: dict[str, float] = {}
        self._scorers: dict[tuple[str, bytes], Any] = {}
        self._infos: dict[tuple[int, str, bytes], Any] = {}
        self._dirs: dict[tuple[int, str, bytes], whoosh_blocks.Blocks | None] = {}
        self._plans: dict[int, tuple[list[Any], list[float], list[int]]] = {}
        self._sizes: dict[tuple[int, int], int] = {}
        self.scored = True  # False: matches only (every score 0), for date order

    def evaluate_top(self, q: Any, sub: Any) -> Scores:
        """`evaluate` for the whole query, skipping blocks below `theta` where exact."""
        groups = _groups(q) if self.theta is not None else None
        if groups is None:
            return self.evaluate(q, sub, None)
        reader = sub.reader()
        plan = self._plans.get(id(reader))
        if plan is None:
            # The same for every chunk of a segment: worked out once.
            terms = [t for g in groups for t in g]
            room = [self._max_score(t, reader) for t in terms]
            order = sorted(
                range(len(groups)), key=lambda i: self._estimate(_group_query(groups[i]), reader)
            )
            plan = self._plans[id(reader)] = (terms, room, order)
        terms, room, order = plan
        total = sum(room)
        first = groups[order[0]]
        assert self.theta is not None
        margin = 1e-9 * abs(self.theta) + 1e-12
        # Pass 1: each word of the rarest group reads only the blocks where a match
        # could beat theta even with the best score of every other word.
        parts: list[Scores] = []
        skipped_in: list[bool] = []
        for term in first:
            others = total - room[terms.index(term)]
            limit = self.theta - others - margin
            found, skipped = self._term(term, sub, None, limit)
            parts.append(found)
            skipped_in.append(skipped)
        if any(skipped_in):
            self.skipped = True
            # Pass 2: a match found in one word's blocks needs its full score: the
            # blocks of the other words that hold it are read after all.
            seen = set().union(*parts)
            for k, term in enumerate(first):
                if skipped_in[k]:
                    missing = sorted(seen.difference(parts[k]))
                    if missing:
                        more, _ = self._term(term, sub, missing, None)
                        parts[k].update(more)
        found = _tree_sum(parts)
        for i in order[1:]:
            if not found:
                return {}
            more = self.evaluate(_group_query(groups[i]), sub, sorted(found))
            found = {d: s + more[d] for d, s in found.items() if d in more}
        return found

    def _max_score(self, q: Any, reader: Any) -> float:
        """The best score term `q` gives any document of the segment (0: absent)."""
        if q.fieldname not in self.top.schema:
            return 0.0
        field = self.top.schema[q.fieldname]
        try:
            text = field.to_bytes(q.text)
        except ValueError:
            return 0.0
        info = self._info(reader, q.fieldname, text)
        if info is None:
            return 0.0
        if not field.scorable:
            return float(info.max_weight())
        return float(self._bm25(q.fieldname, text)(info.max_weight(), info.min_length()))

    def _bm25(self, fieldname: str, text: bytes) -> Any:
        """Whoosh's BM25F score of a term as a function of (weight, field length)."""
        found = self._scorers.get((fieldname, text))
        if found is not None:
            return found
        top = self.top
        idf = top.idf(fieldname, text)
        avgfl = self._avgfl.get(fieldname)
        if avgfl is None:
            avgfl = self._avgfl[fieldname] = top.avg_field_length(fieldname) or 1
        w = self.weighting
        B = w._field_B.get(fieldname, w.B)
        K1 = w.K1
        k = K1 + 1
        c = 1 - B
        found = self._scorers[fieldname, text] = lambda tf, fl: (
            idf * ((tf * k) / (tf + K1 * (c + B * fl / avgfl)))
        )
        return found

    def evaluate(self, q: Any, sub: Any, within: Sequence[int] | None) -> Scores:
        """Matches of `q` in the segment of leaf searcher `sub` (only `within` if given)."""
        from whoosh import query as wq

        kind = type(q)
        boost = getattr(q, "boost", 1.0)
        if kind is wq.Term:
            found, _ = self._term(q, sub, within)
        elif kind is wq.Or and q.scale is None and not getattr(q, "minmatch", 0):
            found = self._or(q.subqueries, sub, within)
        elif kind is wq.And:
            found = self._and(q.subqueries, sub, within)
        elif kind is wq.Phrase and q.slop == 1 and self._has_positions(q.fieldname):
            found = self._phrase(q, sub, within)
        elif kind is wq.ConstantScoreQuery:
            # Whoosh gives every match of the child the same score.
            child = self.evaluate(q.child, sub, within)
            return dict.fromkeys(child, q.score)
        elif isinstance(q, wq.NumericRange):
            # A date range is answered by the terms it compiles to (see dates.DayRange).
            return self.evaluate(whoosh_private.compiled_range(q, sub.reader()), sub, within)
        elif kind is wq.AndNot:
            found = self.evaluate(q.a, sub, within)
            if found:
                for d in self.evaluate(q.b, sub, sorted(found)):
                    found.pop(d, None)
            boost = 1.0  # the boost went to q.a
        else:
            found, work = _drain(q.matcher(sub), within, self.lo, self.hi)
            self.work += work * DRAIN_COST
            return found
        if boost != 1.0:
            for d in found:
                found[d] *= boost
        return found

    def _term(
        self, q: Any, sub: Any, within: Sequence[int] | None, floor: float | None = None
    ) -> tuple[Scores, bool]:
        """A term's matches and scores; with `floor`, the blocks whose best score is
        below it are skipped (and whether one was)."""
        schema = self.top.schema
        if q.fieldname not in schema:
            return {}, False
        field = schema[q.fieldname]
        try:
            text = field.to_bytes(q.text)
        except ValueError:
            return {}, False
        reader = sub.reader()
        blocks = self._blocks(reader, q.fieldname, text)
        if blocks is None:
            return {}, False
        score = self._bm25(q.fieldname, text) if field.scorable else None
        skip = None
        if floor is not None:
            bound = score if score is not None else (lambda tf, fl: tf)
            skip = lambda tf, fl: bound(tf, fl) < floor  # noqa: E731
        ids, weights, _, skipped = self._read(blocks, within, skip, False)
        if not ids:
            return {}, skipped
        if not self.scored:
            return dict.fromkeys(ids, 0.0), skipped
        if score is None:
            return dict(zip(ids, weights, strict=True)), skipped
        lengths = self.lengths.get(reader, q.fieldname)
        # whoosh.scoring.bm25, operation for operation, so the floats are the same.
        return {d: score(tf, lengths[d]) for d, tf in zip(ids, weights, strict=True)}, skipped

    def _blocks(self, reader: Any, fieldname: str, text: bytes) -> whoosh_blocks.Blocks | None:
        """A term's block directory in a segment, read once a run (None: not there)."""
        key = (id(reader), fieldname, text)
        if key in self._dirs:
            return self._dirs[key]
        info = self._info(reader, fieldname, text)
        found = None if info is None else whoosh_blocks.term_blocks(reader, fieldname, text, info)
        self._dirs[key] = found
        self.work += LOOKUP_COST + (len(found) * HEADER_COST if found is not None else 0)
        return found

    def _read(
        self,
        blocks: whoosh_blocks.Blocks,
        within: Sequence[int] | None,
        skip: Any,
        want_values: bool,
    ) -> tuple[list[int], list[float], list[Any], bool]:
        """(docnums, weights, values if wanted, whether a block was skipped) of a term's
        postings in the window [lo, hi) (`within` only); a block is decoded once a run."""
        lo, hi = self.lo, self.hi
        ids: list[int] = []
        weights: list[float] = []
        values: list[Any] = []
        skipped = False
        firsts, lasts = blocks.firsts, blocks.lasts
        wanted = set(within) if within is not None else None
        self.work += CALL_COST
        i = bisect_left(lasts, lo)
        n = len(lasts)
        while i < n and firsts[i] < hi:
            if skip is not None and skip(blocks.maxweights[i], blocks.minlengths[i]):
                skipped = True
            elif within is None or (
                (k := bisect_left(within, max(firsts[i], lo))) < len(within)
                and within[k] <= lasts[i]
            ):
                got, tfs, work = blocks.decode(i)
                self.work += work
                a = bisect_left(got, lo) if firsts[i] < lo else 0
                b = bisect_left(got, hi) if lasts[i] >= hi else len(got)
                vs = blocks.values(i) if want_values else None
                if wanted is None:
                    ids.extend(got[a:b])
                    weights.extend(tfs[a:b])
                    if vs is not None:
                        values.extend(vs[a:b])
                else:
                    for j in range(a, b):
                        if got[j] in wanted:
                            ids.append(got[j])
                            weights.append(tfs[j])
                            if vs is not None:
                                values.append(vs[j])
            i += 1
        return ids, weights, values, skipped

    def _info(self, reader: Any, fieldname: str, text: bytes) -> Any | None:
        key = (id(reader), fieldname, text)
        if key not in self._infos:
            self._infos[key] = whoosh_blocks.term_info(reader, fieldname, text)
        return self._infos[key]

    def _estimate(self, q: Any, reader: Any) -> int:
        """`q`'s estimated matches in a segment, once a run (term lookups are slow):
        Whoosh's `estimate_size`, from the term infos already looked up."""
        from whoosh import query as wq

        key = (id(q), id(reader))
        found = self._sizes.get(key)
        if found is None:
            kind = type(q)
            if kind is wq.Term:
                found = self._df(q, reader)
            elif kind is wq.Or:
                found = sum(self._estimate(p, reader) for p in q.subqueries)
            elif kind is wq.And:
                found = min((self._estimate(p, reader) for p in q.subqueries), default=0)
            else:
                found = _estimate(q, reader)
            self._sizes[key] = found
        return found

    def _df(self, q: Any, reader: Any) -> int:
        schema = self.top.schema
        if q.fieldname not in schema:
            return 0
        try:
            text = schema[q.fieldname].to_bytes(q.text)
        except ValueError:
            return 0
        info = self._info(reader, q.fieldname, text)
        return 0 if info is None else int(info.doc_frequency())

    def postings_count(self, terms: list[Any]) -> int:
        """The documents holding each of `terms`, summed over every segment."""
        return sum(self._df(t, sub.reader()) for t in terms for sub, _ in self.top.leaf_searchers())

    def _has_positions(self, fieldname: str) -> bool:
        schema = self.top.schema
        if fieldname not in schema:
            return False
        fmt = schema[fieldname].format
        return bool(fmt and fmt.supports("positions"))

    def _phrase(self, q: Any, sub: Any, within: Sequence[int] | None) -> Scores:
        """Documents with the words next to each other, in order (Whoosh's Phrase with
        slop 1), scored as Whoosh does: the sum of the words' scores."""
        reader = sub.reader()
        field = self.top.schema[q.fieldname]
        fmt = field.format
        try:
            texts = [field.to_bytes(w) for w in q.words]
        except ValueError:
            return {}
        infos: list[Any] = [self._info(reader, q.fieldname, t) for t in texts]
        if not texts or any(info is None for info in infos):
            return {}
        # Rarest word first: the others only decode the blocks holding its matches.
        order = sorted(range(len(texts)), key=lambda i: int(infos[i].doc_frequency()))
        cands = within
        got: dict[int, tuple[list[int], list[float], list[Any]]] = {}
        for i in order:
            blocks = self._blocks(reader, q.fieldname, texts[i])
            if blocks is None:
                return {}
            ids, weights, values, _ = self._read(blocks, cands, None, True)
            if not ids:
                return {}
            got[i] = (ids, weights, values)
            keep = set(ids)
            cands = [d for d in cands if d in keep] if cands is not None else ids
            if not cands:
                return {}
        assert cands is not None
        keep = set(cands)
        where = {
            i: {d: v for d, v in zip(got[i][0], got[i][2], strict=True) if d in keep} for i in order
        }
        hits = []
        for d in cands:
            starts = set(fmt.decode_positions(where[0][d]))
            for i in range(1, len(texts)):
                if not starts:
                    break
                at = set(fmt.decode_positions(where[i][d]))
                starts = {p for p in starts if p + i in at}
            self.work += len(texts)
            if starts:
                hits.append(d)
        if not hits:
            return {}
        lengths = self.lengths.get(reader, q.fieldname) if field.scorable else None
        parts: list[Scores] = []
        for i, text in enumerate(texts):
            ids, weights, _ = got[i]
            tf = dict(zip(ids, weights, strict=True))
            if lengths is None:
                parts.append({d: tf[d] for d in hits})
            else:
                score = self._bm25(q.fieldname, text)
                parts.append({d: score(tf[d], lengths[d]) for d in hits})
        return _tree_sum(parts)

    def _or(self, subs: Sequence[Any], sub: Any, within: Sequence[int] | None) -> Scores:
        return _tree_sum([self.evaluate(part, sub, within) for part in subs])

    def _and(self, subs: Sequence[Any], sub: Any, within: Sequence[int] | None) -> Scores:
        reader = sub.reader()
        # The rarest part first: the others only decode blocks holding its matches.
        ordered = sorted(subs, key=lambda s: self._estimate(s, reader))
        found = self.evaluate(ordered[0], sub, within)
        for part in ordered[1:]:
            if not found:
                return {}
            more = self.evaluate(part, sub, sorted(found))
            found = {d: s + more[d] for d, s in found.items() if d in more}
        return found


def _tree_sum(parts: list[Scores]) -> Scores:
    """The per-document sums of `parts`, grouped as Whoosh sums a union (a balanced
    binary tree, `make_binary_tree`), so the floats are the same to the last bit."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    a = _tree_sum(parts[:half])
    b = _tree_sum(parts[half:])
    if len(a) < len(b):
        for d, s in a.items():
            t = b.get(d)
            b[d] = s if t is None else s + t
        return b
    for d, s in b.items():
        t = a.get(d)
        a[d] = s if t is None else t + s
    return a


def _plain_term(q: Any) -> bool:
    from whoosh import query as wq

    return type(q) is wq.Term and q.boost == 1.0


def _plain_or(q: Any) -> bool:
    from whoosh import query as wq

    return (
        type(q) is wq.Or
        and q.boost == 1.0
        and q.scale is None
        and not getattr(q, "minmatch", 0)
        and all(_plain_term(t) for t in q.subqueries)
    )


def _groups(q: Any) -> list[list[Any]] | None:
    """A word, an OR of words or an AND of those as groups of terms (an AND of ORs);
    None for any other shape (no block skipping there)."""
    from whoosh import query as wq

    if _plain_term(q):
        return [[q]]
    if _plain_or(q):
        return [list(q.subqueries)]
    if type(q) is wq.And and q.boost == 1.0 and q.subqueries:
        out: list[list[Any]] = []
        parts: list[Any] = list(q.subqueries)
        for part in parts:
            if _plain_term(part):
                out.append([part])
            elif _plain_or(part):
                out.append(list(part.subqueries))
            else:
                return None
        return out
    return None


def _group_query(group: list[Any]) -> Any:
    from whoosh import query as wq

    return group[0] if len(group) == 1 else wq.Or(group)


def _estimate(q: Any, reader: Any) -> int:
    try:
        return int(q.estimate_size(reader))
    except Exception:
        return 1 << 62


def _drain(m: Any, within: Sequence[int] | None, lo: int, hi: int) -> tuple[Scores, int]:
    """Matches of Whoosh's matcher `m` in [lo, hi) (`within` only), and visits made."""
    out: Scores = {}
    work = 0
    for d in whoosh_blocks.walk(m, within, lo, hi):
        work += 1
        if d is not None:
            out[d] = m.score()
    return out, work
