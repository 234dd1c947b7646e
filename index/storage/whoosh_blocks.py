"""Whoosh internals for the term-at-a-time engine: posting blocks, term infos, lengths.

The sibling of `index.storage.whoosh_private` (the only other module that touches
Whoosh internals), as found in the pinned `whoosh3==3.54.0`; check each when that
pin moves: `whoosh.codec.whoosh3.W3LeafMatcher` (`_goto`, `_read_ids`,
`_read_weights`, `_read_values`, `_ids`, `_weights`, `_values`, `_blocklength`,
`_maxid`, `_maxweight`, `_minlength`, `_lastblock`, `_nextoffset`), a segment
reader's `_terms` (`term_info`, `_postfile`), `_codec.postings_reader` and
`_perdoc._cached_reader`, and a column reader's `_dbfile`, `_basepos`, `_count`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any


def term_info(reader: Any, fieldname: str, text: bytes) -> Any | None:
    """A term's info in one segment's `reader`, None if it is not there: one hash
    lookup (`reader._terms.term_info`) where `in` and `term_info` take two."""
    from whoosh.reading import TermNotFound

    terms = getattr(reader, "_terms", None)
    if terms is None:
        return reader.term_info(fieldname, text) if (fieldname, text) in reader else None
    try:
        return terms.term_info(fieldname, text)
    except (KeyError, TermNotFound):
        return None


def _postings(reader: Any, fieldname: str, text: bytes, info: Any | None) -> Any:
    """The term's matcher from its `info` without a second lookup (`reader._codec`,
    `reader._terms._postfile`); a segment with deletions takes the public way,
    which filters them out."""
    if info is not None and not reader.has_deletions():
        with contextlib.suppress(AttributeError):
            return reader._codec.postings_reader(
                reader._terms._postfile,
                info,
                reader.schema[fieldname].format,
                term=(fieldname, text),
            )
    return reader.postings(fieldname, text)


def _as_any(value: Any) -> Any:
    # The matcher's block fields are typed Optional in whoosh3; set once a block is read.
    return value


def postings_lists(
    reader: Any,
    fieldname: str,
    text: bytes,
    within: Sequence[int] | None,
    lo: int,
    hi: int,
    skip: Callable[[float, int], bool] | None = None,
    values: list[bytes] | None = None,
    info: Any | None = None,
) -> tuple[list[int], list[float], int, bool]:
    """(docnums, weights, postings decoded, whether a block was skipped) of a term in
    one segment's `reader`, for the docnums in [lo, hi); with `within` (sorted
    docnums) only those, and the blocks holding none of them are not decoded;
    with `skip`, nor the blocks for which skip(max weight, min length) is true.
    `values`, if given, receives each posting's value (encoded positions).

    Whoosh's matcher interface costs several Python calls per posting; a W3
    block is decoded here in one go (`_goto`, `_read_ids`, `_read_weights`,
    `_blocklength`, `_maxid`, `_lastblock`, `_nextoffset` of
    `whoosh.codec.whoosh3.W3LeafMatcher`). Other matchers (inlined postings, a
    segment with deletions) take the public way, one posting at a time.
    """
    from whoosh.codec.whoosh3 import W3LeafMatcher

    m: Any = _postings(reader, fieldname, text, info)
    if type(m) is W3LeafMatcher:
        return _block_lists(_as_any(m), within, lo, hi, skip, values)
    ids: list[int] = []
    weights: list[float] = []
    work = 0
    for d in walk(m, within, lo, hi):
        work += 1
        if d is not None:
            ids.append(d)
            weights.append(m.weight())
            if values is not None:
                values.append(m.value())
    return ids, weights, work, False


def walk(m: Any, within: Sequence[int] | None, lo: int, hi: int) -> Iterator[int | None]:
    """Whoosh's matcher `m` walked the public way over the docnums in [lo, hi), or only
    over those `within` (sorted): one item a posting visited, its docnum while `m` stands
    on it (read its weight, score or value then), None for a docnum of `within` not matched."""
    if within is None:
        if m.is_active() and m.id() < lo:
            m.skip_to(lo)
        while m.is_active() and m.id() < hi:
            yield m.id()
            m.next()
        return
    for d in within:
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        yield d if m.id() == d else None


def _block_lists(
    m: Any,
    within: Sequence[int] | None,
    lo: int,
    hi: int,
    skip: Callable[[float, int], bool] | None,
    values: list[bytes] | None,
) -> tuple[list[int], list[float], int, bool]:
    """`postings_lists` on a W3 matcher: block by block (see there)."""
    from bisect import bisect_left

    ids: list[int] = []
    weights: list[float] = []
    work = 0
    skipped = False
    wanted = set(within) if within is not None else None
    first = 0  # the first docnum the current block may hold
    while first < hi:
        last = m._maxid
        if skip is not None and last >= lo and skip(m._maxweight, m._minlength):
            skipped = True
        elif last >= lo and (
            within is None
            or ((k := bisect_left(within, max(first, lo))) < len(within) and within[k] <= last)
        ):
            m._read_ids()
            m._read_weights()
            work += m._blocklength
            if values is not None:
                m._read_values()
                for d, w, v in zip(m._ids, m._weights, m._values, strict=True):
                    if lo <= d < hi and (wanted is None or d in wanted):
                        ids.append(d)
                        weights.append(w)
                        values.append(v)
            else:
                for d, w in zip(m._ids, m._weights, strict=True):
                    if lo <= d < hi and (wanted is None or d in wanted):
                        ids.append(d)
                        weights.append(w)
        first = last + 1
        if m._lastblock:
            break
        m._goto(m._nextoffset)
    return ids, weights, work, skipped


def field_lengths(reader: Any, fieldname: str) -> list[int]:
    """Every document's length in `fieldname` (as BM25F sees it) in one segment's `reader`.

    Whoosh reads one byte from the file per document and field it scores; the
    column is read here in one go (`_perdoc._cached_reader`, the column
    reader's `_dbfile`, `_basepos`, `_count`), the public way if that fails.
    """
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import byte_to_length

    n = int(reader.doc_count_all())
    try:
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return [1] * n
        count = min(column._count, n)
        raw = column._dbfile.get(column._basepos, count)
        table = [byte_to_length(b) for b in range(256)]
        return [table[b] for b in raw] + [0] * (n - count)
    except Exception:
        return [reader.doc_field_length(d, fieldname, 1) or 0 for d in range(n)]


class Blocks:
    """A term's postings in one segment as blocks: each block's docnum range
    [`firsts[i]`, `lasts[i]`], largest weight and shortest field length, read from
    the block headers only; a block's postings are decoded on demand, once.

    The raw W3 postings of the term are read in one go and the headers parsed
    from memory (the matcher's `_goto` reads a header through four file calls,
    about 30 us; here about 3 us), so a directory of every block is cheap enough
    to order the reading of a query by the best score each block can give.
    """

    __slots__ = (
        "_decoded",
        "_deleted",
        "_fixed",
        "_raw",
        "_spans",
        "firsts",
        "lasts",
        "maxweights",
        "minlengths",
    )

    def __init__(self) -> None:
        self.firsts: list[int] = []
        self.lasts: list[int] = []
        self.maxweights: list[float] = []
        self.minlengths: list[int] = []
        # (data start, data end, compressed, posting count) of each block in `_raw`
        self._spans: list[tuple[int, int, bool, int]] = []
        self._raw: bytes = b""
        self._fixed: int | None = None
        self._deleted: Callable[[int], bool] | None = None
        self._decoded: dict[int, tuple[Sequence[int], Sequence[float], Any]] = {}

    def __len__(self) -> int:
        return len(self.lasts)

    def count(self, i: int) -> int:
        """Block `i`'s number of postings."""
        return self._spans[i][3]

    def decode(self, i: int) -> tuple[Sequence[int], Sequence[float], int]:
        """Block `i`'s (docnums, weights, postings decoded now: 0 if decoded before)."""
        found = self._decoded.get(i)
        if found is not None:
            return found[0], found[1], 0
        ids, weights, _values = self._decode(i)
        return ids, weights, self._spans[i][3]

    def values(self, i: int) -> Sequence[Any]:
        """Block `i`'s posting values (encoded positions), beside `decode`'s lists."""
        found = self._decoded.get(i)
        if found is None:
            self._decode(i)
            found = self._decoded[i]
        values = found[2]
        if isinstance(values, _Lazy):
            values = values.get()
            self._decoded[i] = (found[0], found[1], values)
        out: Sequence[Any] = values
        return out

    def _decode(self, i: int) -> tuple[Sequence[int], Sequence[float], Any]:
        import pickle
        import zlib
        from array import array

        from whoosh.util.numlists import delta_decode

        start, end, compressed, count = self._spans[i]
        data = self._raw[start:end]
        if compressed:
            data = zlib.decompress(data)
        raw_ids, raw_weights, raw_values = pickle.loads(data)[:3]
        ids: Sequence[int] = tuple(delta_decode(raw_ids))
        weights: Sequence[float]
        if raw_weights is None:
            weights = array("f", [1.0]) * count
        elif isinstance(raw_weights, float):
            weights = array("f", [raw_weights]) * count
        else:
            weights = raw_weights
        values: Any = _Lazy(raw_values, self._fixed, count)
        if self._deleted is not None:
            gone = self._deleted
            keep = [k for k, d in enumerate(ids) if not gone(d)]
            if len(keep) < len(ids):
                every = values.get()
                ids = tuple(ids[k] for k in keep)
                weights = [weights[k] for k in keep]
                values = [every[k] for k in keep]
        self._decoded[i] = (ids, weights, values)
        return ids, weights, values


class _Lazy:
    """A block's values, split from their raw form only when a phrase asks."""

    __slots__ = ("count", "fixed", "raw")

    def __init__(self, raw: Any, fixed: int | None, count: int) -> None:
        self.raw, self.fixed, self.count = raw, fixed, count

    def get(self) -> Sequence[Any]:
        # `W3LeafMatcher._read_values`, step for step.
        fixed, vs = self.fixed, self.raw
        if fixed is None or fixed < 0:
            return list(vs)
        if fixed == 0:
            return (None,) * self.count
        return tuple(vs[i : i + fixed] for i in range(0, len(vs), fixed))


def _one_block(
    ids: Sequence[int], weights: Sequence[float], values: Sequence[Any], minlength: int
) -> Blocks:
    """Postings already decoded (inlined, or read the public way) as a single block."""
    out = Blocks()
    if not ids:
        return out
    out.firsts.append(ids[0])
    out.lasts.append(ids[-1])
    out.maxweights.append(max(weights))
    out.minlengths.append(minlength)
    out._spans.append((0, 0, False, len(ids)))
    out._decoded[0] = (tuple(ids), list(weights), list(values))
    return out


def term_blocks(reader: Any, fieldname: str, text: bytes, info: Any) -> Blocks:
    """The block directory (see `Blocks`) of a term in one segment's `reader`, from
    its `info` (`term_info`). Inlined postings, another codec or a damaged header
    give one block of postings read the public way (deleted documents left out)."""
    from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
    from whoosh.util.numeric import byte_to_length

    field = reader.schema[fieldname]
    try:
        if info.is_inlined():
            ids, weights, values = info.inlined_postings()
            gone = reader.is_deleted if reader.has_deletions() else None
            keep = [k for k, d in enumerate(ids) if gone is None or not gone(d)]
            return _one_block(
                [ids[k] for k in keep],
                [weights[k] for k in keep],
                [values[k] for k in keep],
                int(info.min_length()),
            )
        offset, length = info.extent()
        # whoosh3 3.54 keeps the length as a 1-tuple (the matcher never reads it).
        length = int(length[0] if isinstance(length, tuple) else length)
        raw = reader._terms._postfile.get(offset, length)
        if raw[:4] != WHOOSH3_HEADER_MAGIC:
            raise ValueError("not a W3 posting list")
        out = _parse(raw, byte_to_length, int(info.min_id()))
        out._fixed = field.format.fixed_value_size()
        if reader.has_deletions():
            out._deleted = reader.is_deleted
        return out
    except Exception:
        m = reader.postings(fieldname, text)
        ids2: list[int] = []
        weights2: list[float] = []
        values2: list[Any] = []
        while m.is_active():
            ids2.append(m.id())
            weights2.append(m.weight())
            values2.append(m.value())
            m.next()
        return _one_block(ids2, weights2, values2, int(info.min_length()))


def _parse(raw: bytes, byte_to_length: Callable[[int], int], first: int) -> Blocks:
    """Every block header of a W3 posting list `raw` (the term's whole extent)."""
    import io
    import pickle
    import struct

    unpack = struct.Struct("!i").unpack_from
    stream = io.BytesIO(raw)
    out = Blocks()
    out._raw = raw
    pos = 4
    while True:
        size = unpack(raw, pos)[0]
        stream.seek(pos + 4)
        count, maxid, maxweight, compression, mnlen, _mxlen = pickle.load(stream)
        nxt = pos + 4 + abs(size)
        out.firsts.append(first)
        out.lasts.append(maxid)
        out.maxweights.append(maxweight)
        out.minlengths.append(byte_to_length(mnlen))
        out._spans.append((stream.tell(), nxt, bool(compression), count))
        first = maxid + 1
        if size < 0 or nxt >= len(raw):
            return out
        pos = nxt
