"""The Whoosh side of a library: schema, analyzers, pre-analysed documents and the writer lock."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from whoosh import fields, formats, index
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.tokenizers import SpaceSeparatedTokenizer
from whoosh.lang.porter import stem as porter_stem

from index.records import Article
from index.storage.whoosh_private import (
    Postings,
    PreText,
    encode_postings,
    inline_codec,
    segment_problem,
)

_porter: Callable[[str], str] = porter_stem

INDEX_DIR = "whoosh"
SCHEMA_VERSION = "2"  # bump when the schema or what goes into it changes

# One word pattern shared by the index analyzers and the highlighter, so a span
# the highlighter draws is exactly a token the index matched.
WORD_PATTERN = r"\w+(?:[.'’]\w+)*"
WORD_RE = re.compile(WORD_PATTERN)
PREFIX_MIN = 2  # as-you-type: a last word shorter than this is not expanded
MAX_INDEXED_CHARS = 200_000  # huge bodies are indexed up to here; the catalog keeps them whole

TEXT_ANALYZER = (
    RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | StopFilter() | StemFilter(cachesize=200_000)
)
NAME_ANALYZER = RegexTokenizer(WORD_PATTERN) | LowercaseFilter()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The index's stem of one lowercase word (the same Porter stemmer the analyzer uses)."""
    return _porter(word)


def _keyword(analyzer: Any, scorable: bool = False) -> PreText:
    """A field only ever matched term by term: no positions, no frequencies, no lengths.

    Writing a posting of a scorable field costs a per-document length lookup
    (about a third of the segment writing time); these fields rank by match
    alone, so they skip it, and Existence postings carry no value bytes.
    """
    f = PreText(analyzer=analyzer, phrase=False)
    f.format = formats.Existence()
    f.scorable = scorable
    return f


def _names_field() -> PreText:
    """A name field: positions for phrases ("Bashar al-Assad"), but no lengths."""
    f = PreText(analyzer=NAME_ANALYZER, phrase=True)
    f.scorable = True
    return f


def make_schema() -> fields.Schema:
    """The full-text schema; only `id` is stored, everything shown comes from the catalog."""
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        path=fields.ID(),
        hash=fields.ID(),
        title=PreText(analyzer=TEXT_ANALYZER, phrase=True, field_boost=2.0),
        body=PreText(analyzer=TEXT_ANALYZER, phrase=True),
        # The distinct lowercased, unstemmed words of title and body: the
        # vocabulary for as-you-type prefixes and "did you mean".
        words=_keyword(SpaceSeparatedTokenizer()),
        # Sorting reads the column; ranges use `dates` below (day-aligned, all
        # of them), so the numeric tiers only back odd ranges: 4, not 16, per article.
        published=fields.NUMERIC(numtype=int, bits=64, signed=True, sortable=True, shift_step=16),
        # The UTC year, month and day of `published` ("y1987", "m1987-03",
        # "d1987-03-02"): a month of dates is one posting list, not the union
        # of hundreds of numeric terms (date ranges were the slowest queries).
        dates=_keyword(SpaceSeparatedTokenizer()),
        source=_names_field(),
        dateline=_names_field(),
        actors=_names_field(),
        persons=_names_field(),
        organizations=_names_field(),
        places=_names_field(),
        speakers=_names_field(),
        quotes=PreText(analyzer=TEXT_ANALYZER, phrase=True),
        # One token per actor name or alias, its `actor_key`: a library alias
        # expansion becomes a few Term lookups instead of phrase queries.
        actor_keys=_keyword(SpaceSeparatedTokenizer(), scorable=True),
        person_keys=_keyword(SpaceSeparatedTokenizer(), scorable=True),
        org_keys=_keyword(SpaceSeparatedTokenizer(), scorable=True),
        place_keys=_keyword(SpaceSeparatedTokenizer(), scorable=True),
        speaker_keys=_keyword(SpaceSeparatedTokenizer(), scorable=True),
    )


SCHEMA = make_schema()


def codec() -> Any:
    """The Whoosh codec every writer of a library uses."""
    return inline_codec()


def timestamp(dt: datetime) -> int:
    """Seconds since the epoch; naive datetimes are read as UTC."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return int(dt.timestamp())


_STOPS = frozenset(StopFilter().stops)


def _postings(fieldname: str, tokens: list[str], first: int = 0) -> Postings:
    """Whoosh index items for already-normalised tokens (positions count kept tokens)."""
    fmt = SCHEMA[fieldname].format
    assert fmt is not None  # every field of SCHEMA is indexed
    return encode_postings(fmt, tokens, first)


def text_tokens(text: str) -> tuple[list[str], int]:
    """What TEXT_ANALYZER yields, fast: (stems, position of the first one).

    Like Whoosh's StopFilter, kept tokens are numbered consecutively from the
    original position of the first kept token.
    """
    out = []
    first = -1
    for i, tok in enumerate(WORD_RE.findall(text)):
        low = tok.lower()
        if len(low) >= 2 and low not in _STOPS:
            if first < 0:
                first = i
            out.append(stem(low))
    return out, max(first, 0)


def name_tokens(text: str) -> list[str]:
    """What NAME_ANALYZER yields."""
    return [t.lower() for t in WORD_RE.findall(text)]


def _join(values: list[str]) -> str:
    # A line break between names keeps a phrase from spanning two of them only
    # loosely (positions still run on); good enough for short name lists.
    return "\n".join(values)


def _names(article: Article, kinds: tuple[str, ...] | None) -> list[str]:
    names: list[str] = []
    for actor in article.actors:
        if kinds is None or actor.kind in kinds:
            names.append(actor.name)
            names.extend(actor.aliases)
    return names


def analyse(article: Article) -> dict[str, Any]:
    """The pre-analysed Whoosh fields of one article (runs in worker processes)."""
    body = article.body[:MAX_INDEXED_CHARS]
    stemmed = {
        "title": article.title,
        "body": body,
        # `quote:` and `speaker:` search acts of speech, not beliefs or stances
        "quotes": _join([s.text for s in article.statements if s.act == "speech"]),
    }
    names = {
        "source": article.source or "",
        "dateline": article.dateline or "",
        "actors": _join(_names(article, None)),
        "persons": _join(_names(article, ("person",))),
        "organizations": _join(_names(article, ("organization",))),
        "places": _join(_names(article, ("place", "country"))),
        "speakers": _join(
            sorted({s.speaker for s in article.statements if s.speaker and s.act == "speech"})
        ),
    }
    doc: dict[str, Any] = {}
    for name, text in stemmed.items():
        tokens, first = text_tokens(text)
        if tokens:
            doc[name] = _postings(name, tokens, first)
    for name, text in names.items():
        tokens = name_tokens(text)
        if tokens:
            doc[name] = _postings(name, tokens)
    words = sorted(set(name_tokens(article.title + "\n" + body)))
    if words:
        doc["words"] = _postings("words", words)
    from index.names import actor_key

    keyed = {
        "actor_keys": _names(article, None),
        "person_keys": _names(article, ("person",)),
        "org_keys": _names(article, ("organization",)),
        "place_keys": _names(article, ("place", "country")),
        "speaker_keys": [s.speaker for s in article.statements if s.speaker and s.act == "speech"],
    }
    for name, values in keyed.items():
        keys = sorted({k for k in map(actor_key, values) if k})
        if keys:
            doc[name] = _postings(name, keys)
    return doc


def whoosh_document(article: Article, analysed: dict[str, Any], file_hash: str) -> dict[str, Any]:
    """Keyword arguments for `writer.add_document` (published may have changed since analysis)."""
    doc = dict(analysed)
    doc["id"] = article.id
    doc["path"] = article.path
    doc["hash"] = file_hash
    if article.published is not None:
        ts = timestamp(article.published)
        doc["published"] = ts
        doc["dates"] = _postings("dates", date_terms(ts))
    return doc


def date_terms(ts: int) -> list[str]:
    """The `dates` terms of a timestamp: its UTC year, month and day."""
    try:
        d = datetime.fromtimestamp(ts, timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        return []
    return [f"y{d.year:04d}", f"m{d.year:04d}-{d.month:02d}", f"d{d.isoformat()}"]


# --- opening -----------------------------------------------------------------


class IndexDamaged(Exception):
    """The Whoosh index cannot be read (missing or truncated files)."""


def index_path(library: Path) -> Path:
    return library / INDEX_DIR


def _storage(path: Path) -> Any:
    """File storage without mmap for compound segments.

    With mmap, Whoosh copies every sub-file of a compound segment it opens into
    a BytesIO: at 100,000 articles the first search read the whole index into
    memory (2.3 s, 2 GB RSS). Plain file reads fetch only the blocks a query needs.
    """
    from whoosh.filedb.filestore import FileStorage

    return FileStorage(str(path), supports_mmap=False)


def create_index(library: Path) -> index.FileIndex:
    """A new empty index (replacing any old one)."""
    path = index_path(library)
    path.mkdir(parents=True, exist_ok=True)
    ix: index.FileIndex = _storage(path).create_index(SCHEMA)
    return ix


def has_toc(library: Path) -> bool:
    """Whether `whoosh/` holds a table of contents at all (readable or not)."""
    folder = index_path(library)
    return folder.is_dir() and any(folder.glob("_*.toc"))


def open_index(library: Path, create: bool = True) -> index.FileIndex:
    """Open (or, when it has no TOC and `create`, create) the index, checking every segment file.

    A TOC that is there but unreadable (truncated, garbled) raises IndexDamaged:
    Whoosh raises EOFError, UnpicklingError, IndexVersionError... on those.
    """
    path = index_path(library)
    if not has_toc(library):
        if not create:
            raise IndexDamaged(f"{path}: the search index is missing")
        return create_index(library)
    try:
        ix: index.FileIndex = _storage(path).open_index()
        check_segments(ix, path)
    except IndexDamaged:
        raise
    except Exception as exc:  # Whoosh raises many types on damaged TOC files
        raise IndexDamaged(f"{path}: {type(exc).__name__}: {exc}") from exc
    return ix


def check_segments(ix: index.FileIndex, path: Path) -> None:
    """Cheap integrity check: each segment's files exist and its compound file opens."""
    problem = segment_problem(ix)
    if problem is not None:
        raise IndexDamaged(f"{path}: {problem}")


def writable(path: Path) -> bool:
    """Whether files in the folder `path` (or its nearest existing parent) can be written."""
    probe = path
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    return os.access(probe, os.W_OK)


def exchange(a: Path, b: Path) -> None:
    """Swap two folders atomically (Linux renameat2) or, failing that, with two renames."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        renameat2 = None
    if renameat2 is not None:
        at_fdcwd, rename_exchange = -100, 2
        if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
            return
    spare = a.with_name(a.name + ".swap")
    os.rename(a, spare)
    os.rename(b, a)
    os.rename(spare, b)


@contextlib.contextmanager
def index_writer(ix: index.FileIndex, limitmb: int = 256) -> Iterator[Any]:
    """A Whoosh writer that commits on success and cancels on error."""
    writer = ix.writer(limitmb=limitmb, procs=1, multisegment=False, codec=codec())
    try:
        yield writer
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
