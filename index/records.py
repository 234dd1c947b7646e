"""Every record that crosses a module boundary (articles, hits, reports, problems): frozen dataclasses."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

ActorKind = Literal["person", "organization", "country", "place"]
StatementKind = Literal["direct", "indirect"]
STATEMENT_ACTS: tuple[str, ...] = ("speech", "thought", "evidence", "stance")
ACTOR_KINDS: tuple[str, ...] = ("person", "organization", "country", "place")


@dataclass(frozen=True)
class Actor:
    """Someone or something named in an article, with its aliases merged."""

    name: str  # canonical name
    kind: str  # one of ACTOR_KINDS
    aliases: tuple[str, ...] = ()  # other surface forms, canonical name excluded
    mentions: tuple[tuple[int, int], ...] = ()  # (start, end) offsets into Article.body

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "mentions": [list(m) for m in self.mentions],
        }


@dataclass(frozen=True)
class Statement:
    """One attributed passage: a direct quote (a quoted passage, marks left out) or a
    reported clause, with its speaker if known. The passages of one utterance (`"A," X
    said. "B."`) are separate statements sharing `utterance`."""

    speaker: str | None  # canonical actor name, or None when unresolved
    text: str  # body[start:end]
    kind: str  # "direct" | "indirect"
    # "speech" (said, wrote, told, according to, a colon) or an attribution that is not
    # an act of saying: "thought" (believes), "evidence" (polls show), "stance" (endorsed)
    act: str = field(default="speech", kw_only=True)
    cue: str | None  # the cue verb or phrase ("said", "according to")
    start: int
    end: int
    utterance: int = field(default=0, kw_only=True)  # shared by one utterance's passages
    # Which extractor rule made the statement and which chose its speaker: kept in memory
    # for `newsroom show --explain`, never stored nor in the JSON.
    rule: str = field(default="", kw_only=True, compare=False, repr=False)
    speaker_rule: str = field(default="", kw_only=True, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        del out["rule"], out["speaker_rule"]
        return out


@dataclass(frozen=True)
class Article:
    """One parsed article; offsets in actors and statements index into `body`."""

    id: str
    path: str
    title: str
    body: str
    published: datetime | None = None
    published_inferred: bool = False
    source: str | None = None
    byline: str | None = None
    dateline: str | None = None
    subheads: tuple[str, ...] = ()
    actors: tuple[Actor, ...] = ()
    statements: tuple[Statement, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The `newsroom show --json` record (key order is part of the CLI contract)."""
        return {
            "path": self.path,
            "id": self.id,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "published_inferred": self.published_inferred,
            "source": self.source,
            "byline": self.byline,
            "dateline": self.dateline,
            "subheads": list(self.subheads),
            "body": self.body,
            "actors": [a.to_json() for a in self.actors],
            "statements": [s.to_json() for s in self.statements],
        }


@dataclass(frozen=True)
class Problem:
    """A file (or record) that was skipped or cut, with a one-line reason."""

    path: str
    reason: str

    def __str__(self) -> str:
        from index.textsafe import short_path

        # a path of thousands of characters must not push the reason off the line
        return f"{short_path(self.path)}: {self.reason}"


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did, counted in articles; `skipped` lists files it could not use."""

    added: int
    updated: int
    unchanged: int
    removed: int
    skipped: tuple[Problem, ...]
    took_s: float
    notes: tuple[str, ...] = ()  # what the ingest found and repaired, one line each


@dataclass(frozen=True)
class FeedItem:
    """One article as the feed lists it."""

    id: str
    title: str
    published: datetime | None
    published_inferred: bool
    source: str | None
    path: str


@dataclass(frozen=True)
class Hit(FeedItem):
    """A search hit: the feed fields, a score and highlight spans (offsets, not markup)."""

    score: float = 0.0
    title_spans: tuple[tuple[int, int], ...] = ()
    body_spans: tuple[tuple[int, int], ...] = ()
    snippet: str = ""
    snippet_spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class SearchResult:
    """The answer to one query; `error` explains a syntax fallback, never raised."""

    query: str
    hits: tuple[Hit, ...]
    total: int
    took_ms: float
    suggestion: str | None = None
    error: str | None = None
    # False when `total` is an estimate: the search was cut by its work budget (it read
    # the most recently added articles first), or blocks of postings that could not
    # reach the top list were skipped without counting their matches.
    total_exact: bool = True


@dataclass(frozen=True)
class LibraryActor:
    """One actor across the library: spelling variants and aliases merged."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    article_ids: tuple[str, ...]
    mentions: int


@dataclass(frozen=True)
class LibraryStatement:
    """A statement somewhere in the library, with the article it comes from."""

    article_id: str
    speaker: str | None
    text: str
    kind: str
    act: str = field(default="speech", kw_only=True)  # as Statement.act
    cue: str | None
    start: int
    end: int
    utterance: int = field(default=0, kw_only=True)  # as Statement.utterance, per article


def article_id(path: str, record_key: str | None = None) -> str:
    """A stable id from the file path (and a record key for multi-article files)."""
    key = path if record_key is None else f"{path}#{record_key}"
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def content_hash(data: bytes) -> str:
    """Hash of a source file's bytes, used to skip unchanged files on re-ingest."""
    return hashlib.sha1(data).hexdigest()
