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
from collections.abc import Callable, Sequence
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
    if within is None:
        if m.is_active() and m.id() < lo:
            m.skip_to(lo)
        while m.is_active() and m.id() < hi:
            ids.append(m.id())
            weights.append(m.weight())
            if values is not None:
                values.append(m.value())
            work += 1
            m.next()
        return ids, weights, work, False
    for d in within:
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        work += 1
        if m.id() == d:
            ids.append(d)
            weights.append(m.weight())
            if values is not None:
                values.append(m.value())
    return ids, weights, work, False


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
