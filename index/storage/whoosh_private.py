"""The one module that touches Whoosh internals (private names, writer steps, index items).

Everything else uses Whoosh's public API (schema, fields, analysis, `whoosh.query`,
searchers, readers) or the functions here. This module relies on the following,
as found in the pinned `whoosh3==3.54.0`; check each when that pin moves:

- `whoosh.codec.whoosh3.W3TermInfo`: the writer side calls `set_inline`, which
  3.54 does not define (only `set_inlined`): `inline_codec` adds it.
- Pickled schemas: every TOC names our field class `index.store.PreText` (kept as
  such, with `index.store` an alias of this module, for libraries made before).
- Index items as `FieldType.index` returns them: `(term bytes, frequency,
  weight, value bytes)`, and `Format.encode` / `whoosh.system.pack_uint` for the
  value bytes (`Postings`, `PreText`, `encode_postings`).
- `FileIndex._segments()`, `Segment.make_filename`, `.is_compound`,
  `.open_compound_file`, `.segment_id`, `.deleted_count`, `.doc_count_all`
  (`segment_problem`, `unreferenced_files`, `refreshed`, `merge_small`).
- `whoosh.index.TOC` (its constructor, `.write`, `_pattern`, `_segment_pattern`)
  and `whoosh.index.clean_files` (`write_toc`, `unreferenced_files`).
- `Storage.temp_storage` (replaced per builder: `private_temp_storage`).
- `whoosh.writing.SegmentWriter`: the `_lk` argument, `.segments`, `._added`,
  `._finalize_segment`, `._close_segment`, `._cleanup_on_error`, `._finish`,
  `._tempstorage`, `.add_reader`, `.generation`, `.indexname`, `.storage`.
- `whoosh.reading.SegmentReader(storage, schema, segment)`.
- `whoosh.query.NumericRange._compile_query` (`shortcut_range`, `compiled_range`).
- Column readers' fields (`sortable_column` says which).

Its sibling `index.storage.whoosh_blocks` holds the other internals: posting
blocks, term infos and field lengths read in bulk for the search engine.
- The name of Whoosh's own lock file, `<indexname>_WRITELOCK` (see `storage.lock`).
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from whoosh import fields, formats
from whoosh.system import pack_uint

if TYPE_CHECKING:
    from whoosh.query import NumericRange

# Posting lists shorter than this are written into the term's entry instead of
# a block of their own: most terms (rare words, names, ids) occur in a few
# documents, and a block per term (header, pickle, zlib) was a fifth of the
# segment writing time. 8 keeps the term file from growing.
INLINE_LIMIT = 8

IndexItem = tuple[bytes, int, float, bytes]

# --- index items ---------------------------------------------------------------


class Postings:
    """A field value analysed ahead of time (in a worker process): Whoosh index items."""

    __slots__ = ("items",)

    def __init__(self, items: list[IndexItem]) -> None:
        self.items = items

    def __getstate__(self) -> list[IndexItem]:
        return self.items

    def __setstate__(self, state: list[IndexItem]) -> None:
        self.items = state


class PreText(fields.TEXT):
    """A TEXT field that also accepts `Postings`, so the writer skips analysis."""

    def index(self, value: Any, **kwargs: Any) -> Any:
        if isinstance(value, Postings):
            return value.items
        return super().index(value, **kwargs)


# Whoosh pickles the schema, field classes included, into every TOC: this class is
# `index.store.PreText` there (its module before issue 15) and stays so, so that
# libraries written before and after the move open with either version.
PreText.__module__ = "index.store"
sys.modules.setdefault("index.store", sys.modules[__name__])


def encode_postings(fmt: formats.Format, tokens: list[str], first: int = 0) -> Postings:
    """Whoosh index items for already-normalised tokens (positions count kept tokens)."""
    fb = fmt.field_boost
    if not fmt.supports("frequency"):
        return Postings([(w.encode("utf-8"), 1, fb, b"") for w in dict.fromkeys(tokens)])
    if not fmt.supports("positions"):
        freqs: dict[str, int] = {}
        for t in tokens:
            freqs[t] = freqs.get(t, 0) + 1
        return Postings([(w.encode("utf-8"), n, n * fb, pack_uint(n)) for w, n in freqs.items()])
    poses: dict[str, list[int]] = {}
    for i, t in enumerate(tokens, first):
        poses.setdefault(t, []).append(i)
    assert isinstance(fmt, formats.Positions)
    return Postings(
        [(w.encode("utf-8"), len(p), len(p) * fb, fmt.encode(p)) for w, p in poses.items()]
    )


def inline_codec() -> Any:
    """The Whoosh codec every writer of a library uses."""
    from whoosh.codec.whoosh3 import W3Codec, W3TermInfo

    # whoosh3 3.54 calls set_inline on the writer side but only defines
    # set_inlined (inlining never ran with its default limit of 1). Postings
    # without values (ID, Existence) are given b"" each, so that a merge that
    # reads them back gets one bytes value per posting.
    if not hasattr(W3TermInfo, "set_inline"):
        W3TermInfo.set_inline = _set_inline  # type: ignore[attr-defined]  # added on purpose
    return W3Codec(inlinelimit=INLINE_LIMIT)


def _set_inline(terminfo: Any, ids: Any, weights: Any, values: list[bytes]) -> None:
    if len(values) != len(ids):
        values = [b""] * len(ids)
    terminfo.set_inlined(ids, weights, values)


# --- segments and files ----------------------------------------------------------


def segment_problem(ix: Any) -> str | None:
    """What is wrong with the index's segment files (one missing, a compound file that
    does not open), or None: a cheap integrity check."""
    storage = ix.storage
    for segment in ix._segments():
        names = [n for n in storage.list() if n.startswith(segment.make_filename(""))]
        if not names:
            return f"segment {segment.segment_id()} is missing"
        if segment.is_compound():
            try:
                segment.open_compound_file(storage).close()
            except Exception as exc:
                return f"segment {segment.segment_id()} is damaged ({exc})"
    return None


def unreferenced_files(ix: Any, names: Iterable[str]) -> list[str]:
    """Of the file `names` in the index folder: old TOCs and segment files the current
    TOC does not reference (what a writer stopped half way leaves)."""
    from whoosh.index import TOC

    gen = ix.latest_generation()
    keep = {s.segment_id() for s in ix._segments()}
    tocs: re.Pattern[str] = TOC._pattern(ix.indexname)
    segs: re.Pattern[str] = TOC._segment_pattern(ix.indexname)
    out = []
    for name in names:
        toc = tocs.match(name)
        seg = segs.match(name)
        if (toc and int(toc.group(1)) != gen) or (seg and seg.group(1) not in keep):
            out.append(name)
    return out


def private_temp_storage(ix: Any, name: str) -> None:
    """Give the writers of `ix` their own temporary folder `name`.

    Every Whoosh writer keeps temporary files in one shared "MAIN.tmp" folder
    and deletes the whole folder when it finishes, which would pull the files
    from under the other workers: one folder per builder.
    """
    storage = ix.storage
    shared_temp = storage.temp_storage
    storage.temp_storage = lambda _name=None: shared_temp(name)


def segment_writer(ix: Any, limitmb: int | None = None, lock: bool = True) -> Any:
    """A writer of one new segment (`lock=False`: the caller holds the library's lock)."""
    from whoosh.writing import SegmentWriter

    options: dict[str, Any] = {"codec": inline_codec()}
    if limitmb is not None:
        options["limitmb"] = limitmb
    if not lock:
        options["_lk"] = False
    return SegmentWriter(ix, **options)


def finish_segment(writer: Any) -> Any:
    """Write out what `writer` was given as a segment object; None (and the writer
    cancelled) when it was given nothing. The segment is not in the TOC yet."""
    if not writer._added:
        writer.cancel()
        return None
    segment = writer._finalize_segment()
    writer._tempstorage.destroy()
    return segment


def discard_writer(writer: Any) -> None:
    """Drop a segment being built (an ingest that failed): its temporary files go."""
    with contextlib.suppress(Exception):
        writer.cancel()
    with contextlib.suppress(Exception):
        writer._tempstorage.destroy()


def attach_vocab(segment: Any, vocab: dict[bytes, int]) -> None:
    """Let `vocab` ride along with `segment` to the committing process (see `take_vocab`)."""
    segment.newsroom_vocab = vocab


def take_vocab(segments: list[Any]) -> dict[str, int]:
    """The word counts the builders attached to `segments`, removed from them."""
    total: dict[str, int] = {}
    for segment in segments:
        vocab = segment.__dict__.pop("newsroom_vocab", None) or {}
        for raw, n in vocab.items():
            word = raw.decode("utf-8")
            total[word] = total.get(word, 0) + n
    return total


def merge_small(writer: Any, small: int) -> list[Any]:
    """Merge the segments under `small` documents and the mostly deleted ones into
    `writer`; returns the segments kept as they are.

    Whoosh's MERGE_SMALL policy (Fibonacci) would, at 100,000 articles, fold 21
    of the 34 worker segments (63,000 articles) into one in this single
    process at the very end of the ingest: minutes of copying that the
    searches do not need.
    """
    from whoosh.reading import SegmentReader

    segments = list(writer.segments)
    doomed = [
        s
        for s in segments
        if s.doc_count_all() < small or s.deleted_count() * 2 > s.doc_count_all()
    ]
    if len(doomed) < 2 and not any(s.deleted_count() * 2 > s.doc_count_all() for s in doomed):
        return segments
    for seg in doomed:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in doomed]


def write_toc(writer: Any, segments: list[Any], clean: bool) -> None:
    """Whoosh's commit step, except that unreferenced files are only removed at the end.

    Mid-ingest, the files not yet in the TOC include segments other workers
    are still writing: Whoosh's own commit would delete them from under them.
    """
    from whoosh.index import TOC, clean_files

    TOC(writer.schema, segments, writer.generation).write(writer.storage, writer.indexname)
    if clean:
        clean_files(writer.storage, writer.indexname, writer.generation, segments)


def commit_with(
    writer: Any,
    segments: list[Any],
    delete_ids: Sequence[str],
    merge_below: int | None,
    clean: bool,
) -> None:
    """Commit `writer` with the segments the workers wrote, after deleting the documents
    `delete_ids`; `merge_below`: first merge the segments smaller than that (see
    `merge_small`); `clean`: remove the files no TOC references."""
    try:
        if delete_ids and writer.segments:
            for aid in delete_ids:
                writer.delete_by_term("id", aid)
        kept = merge_small(writer, merge_below) if merge_below else list(writer.segments)
        if writer._added:
            kept.append(writer._finalize_segment())
        else:
            writer._close_segment()
        write_toc(writer, kept + segments, clean=clean)
    except BaseException:
        writer._cleanup_on_error()
        raise
    writer._finish()


# --- searching -----------------------------------------------------------------


def _segment_state(segments: Iterable[Any]) -> dict[str, int]:
    return {s.segment_id(): s.deleted_count() for s in segments}


def segment_ids(searcher: Any) -> set[str]:
    """The ids of the segments `searcher` reads."""
    with contextlib.suppress(Exception):
        return {leaf.segment().segment_id() for leaf, _ in searcher.reader().leaf_readers()}
    return set()


def refreshed(ix: Any, searcher: Any) -> Any:
    """A searcher on the latest commit, reusing the unchanged segments' readers.

    Whoosh's refresh keeps the readers of segments a merge removed (their
    articles then count twice), so it is used only when the commit merely
    added segments; otherwise the searcher is opened afresh.
    """
    try:
        old = _segment_state(leaf.segment() for leaf, _ in searcher.reader().leaf_readers())
        new = _segment_state(ix._segments())
    except Exception:  # a reader without segments (empty index): open afresh below
        old, new = {}, {}
    only_added = bool(old) and all(new.get(k) == v for k, v in old.items())
    if only_added and searcher.doc_count_all() > 0:
        try:
            return searcher.refresh()
        except Exception:  # a commit raced us: open afresh below
            pass
    # Whoosh cannot refresh a searcher opened on an empty index.
    searcher.close()
    return ix.searcher()


def compiled_range(q: NumericRange, reader: Any) -> Any:
    """The query a numeric range stands for in `reader` (its terms, or a shortcut's)."""
    return q._compile_query(reader)


def shortcut_range(name: str, shortcut: Callable[[Any, Any], Any]) -> type[NumericRange]:
    """A NumericRange class whose queries `shortcut(query, ixreader)` may answer with
    other (cheaper) queries; it returns None to fall back on Whoosh's numeric tiers.

    A class, not an instance option: Whoosh rebuilds ranges by calling their class
    with its own arguments when it merges them. `whoosh.query` loads only here, on
    the first search, not when a library opens.
    """
    from whoosh import query as wq

    def _compile_query(self: Any, ixreader: Any) -> Any:
        q = shortcut(self, ixreader)
        return wq.NumericRange._compile_query(self, ixreader) if q is None else q

    # Named after where it is bound, so that it pickles and prints as such.
    attrs = {"_compile_query": _compile_query, "__module__": shortcut.__module__}
    return type(name, (wq.NumericRange,), attrs)


def sortable_column(reader: Any, fieldname: str) -> list[int]:
    """Every document's raw (sortable) column value of `fieldname`, for a whole
    searcher's `reader`, read per segment in one go.

    The public column reader reads and unpacks one value per call (0.4 s for
    100,000 dates); here each segment's fixed-width column is one read
    (`column_reader(translate=False)` and its `_dbfile`, `_basepos`, `_count`,
    `_typecode`, `_fixedlen`, `_default`).
    """
    import struct

    out: list[int] = []
    for leaf, _offset in reader.leaf_readers():
        n = int(leaf.doc_count_all())
        column = leaf.column_reader(fieldname, translate=False)
        try:
            count = min(column._count, n)
            raw = column._dbfile.get(column._basepos, count * column._fixedlen)
            values = list(struct.unpack(f"!{count}{column._typecode}", raw))
            out.extend(values + [column._default] * (n - count))
        except Exception:
            out.extend(column[d] for d in range(n))
    return out
