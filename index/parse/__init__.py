"""Turn article files (text, Markdown, JSON/JSONL, HTML, RSS/Atom) into clean Article records."""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from index.parse.dates import DATE_RE, latest_date, nearest_year
from index.parse.encoding import MAX_BYTES, MAX_CONTAINER_BYTES, Decoded, DecodeError, read_text
from index.parse.text import TextFields, parse_text, resolve_date
from index.records import Article, article_id

__all__ = [
    "TEXT_SUFFIXES",
    "ParseError",
    "ParsedFile",
    "article_from_fields",
    "infer_years",
    "parse_file",
    "parse_string",
]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
JSON_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
# What a folder walk picks up; a file named explicitly is tried whatever its suffix.
MAX_HTML_BYTES = 16 * 1024 * 1024
ARTICLE_SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES


class ParseError(ValueError):
    """Nothing usable came out of a file; the message is one line, without the path."""


@dataclass(frozen=True)
class ParsedFile:
    """The articles found in one file, and one-line notes about what was skipped or cut."""

    articles: tuple[Article, ...]
    problems: tuple[str, ...] = ()


def _mtime(path: Path) -> datetime:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime)
    except (OSError, OverflowError, ValueError):
        return datetime.now()


def article_from_fields(
    fields: TextFields,
    *,
    path: str,
    record_key: str | None,
    reference: datetime,
    published: datetime | None = None,
    source: str | None = None,
    byline: str | None = None,
    dateline: str | None = None,
) -> Article:
    """An Article from parsed text, with metadata given by the container taking precedence."""
    latest = latest_date()
    when: datetime | None
    if published is not None and published.replace(tzinfo=None) <= latest:
        when, inferred = published.replace(tzinfo=None), False
    else:
        when, inferred = resolve_date(fields.date, reference)
    if when is not None and when > latest:
        # Not yet published when it was ingested: a wrong date, or an event's, not the article's.
        when, inferred = None, False
    return Article(
        id=article_id(path, record_key),
        path=path,
        title=fields.title,
        body=fields.body,
        published=when,
        published_inferred=inferred,
        source=source or fields.source,
        byline=byline or fields.byline,
        dateline=dateline or fields.dateline,
        subheads=fields.subheads,
    )


def parse_string(text: str, path: str = "<text>", *, markdown: bool = False) -> Article:
    """Parse one plain-text article held in memory (the year reference is now); never raises."""
    fields = parse_text(text, markdown=markdown)
    return article_from_fields(fields, path=path, record_key=None, reference=datetime.now())


def _sniff(decoded: Decoded) -> str:
    head = decoded.text[:512].lstrip("\ufeff \t\n").lower()
    if head.startswith(("<?xml", "<rss", "<feed", "<rdf")):
        return "feed"
    if head.startswith(("<!doctype html", "<html", "<head", "<body")):
        return "html"
    if head.startswith(("{", "[")):
        return "json"
    return "text"


def _kind(suffix: str, decoded: Decoded) -> str:
    """The parser for a file: by suffix, else by content (scrapers save pages as .txt too)."""
    if suffix in TEXT_SUFFIXES:
        return "html" if _sniff(decoded) == "html" else "text"
    for kind, suffixes in (
        ("json", JSON_SUFFIXES),
        ("html", HTML_SUFFIXES),
        ("feed", FEED_SUFFIXES),
    ):
        if suffix in suffixes:
            return kind
    return _sniff(decoded)


def parse_file(path: Path) -> ParsedFile:
    """Parse one file into articles; raises ParseError (one line) when nothing usable comes out."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES or suffix in FEED_SUFFIXES:
        limit = MAX_CONTAINER_BYTES
    elif suffix in HTML_SUFFIXES:
        limit = MAX_HTML_BYTES  # markup and scripts weigh far more than the text they carry
    else:
        limit = MAX_BYTES
    try:
        decoded = read_text(path, limit)
    except DecodeError as exc:
        raise ParseError(str(exc)) from None
    except IsADirectoryError:
        raise ParseError("is a directory") from None
    except PermissionError:
        raise ParseError("permission denied") from None
    except FileNotFoundError:  # gone, or a link left dangling, since the folder was read
        raise ParseError(
            "broken symbolic link" if path.is_symlink() else "no such file or directory"
        ) from None
    except OSError as exc:
        raise ParseError(exc.strerror or str(exc)) from None
    problems: list[str] = []
    if decoded.truncated_from is not None:
        problems.append(
            f"file is {decoded.truncated_from / 1e6:.1f} MB; only the first "
            f"{limit // (1024 * 1024)} MB were read"
        )
    if not decoded.text.strip():
        raise ParseError("empty file" if not decoded.text else "file holds only whitespace")
    kind = _kind(suffix, decoded)
    resolved = str(path.resolve())
    reference = _mtime(path)
    if kind == "json":
        from index.parse.jsonl import parse_json_records

        articles, notes = parse_json_records(decoded.text, resolved, reference)
    elif kind == "html":
        from index.parse.html import parse_html

        articles, notes = parse_html(decoded.text, resolved, reference)
    elif kind == "feed":
        from index.parse.feeds import parse_feed

        articles, notes = parse_feed(decoded.text, resolved, reference)
    else:
        fields = parse_text(decoded.text, markdown=suffix in {".md", ".markdown"})
        if not fields.body and not fields.title:
            raise ParseError("no article text found")
        if not fields.body:
            raise ParseError("no article body (only a headline)")
        articles = [
            article_from_fields(fields, path=resolved, record_key=None, reference=reference)
        ]
        notes = []
    problems.extend(notes)
    if not articles:
        raise ParseError(
            notes[0]
            if len(notes) == 1
            else "no articles found"
            + (f" ({notes[0]}; and {len(notes) - 1} more)" if notes else "")
        )
    return ParsedFile(tuple(articles), tuple(problems))


def _weekday_hint(body: str, month: int, day: int) -> int | None:
    """The weekday the body gives for month/day ("Sunday, December 1"), if any."""
    from index.parse.dates import WEEKDAYS, find_dates

    for match in DATE_RE.finditer(body[:3000]):
        if not match.group("wd"):
            continue
        found = find_dates(match.group(0), limit=1)
        if found and (found[0].value.month, found[0].value.day) == (month, day):
            return WEEKDAYS.get(match.group("wd")[:3].lower())
    return None


# Dated neighbours must be at least a third as many as the year-less articles they date.
SUPPORT_RATIO = 3


def _neighbourhood(article: Article, per_path: Counter[str]) -> str:
    """Where a year may come from: the file of a many-article file, else the folder."""
    return article.path if per_path[article.path] > 1 else os.path.dirname(article.path)


def infer_years(
    articles: Sequence[Article],
    reference: Sequence[datetime] = (),
    now: datetime | None = None,
) -> list[Article]:
    """Give year-less dates the year their dated neighbours support, or no date at all.

    A year-less date ("March 3") arrives with a provisional year from the file
    time (`published_inferred`). It keeps a date only when dated articles of
    the same many-article file, or else the same folder, in this batch (or
    `reference`), at least a third as many as the year-less ones there,
    support a year: the nearest one to them, agreeing with a weekday the body gives. Otherwise the article is undated (published None):
    a year is never invented from the file time, and never after ingest time.
    """
    latest = latest_date(now)
    per_path = Counter(a.path for a in articles)
    extra = [r.replace(tzinfo=None) for r in reference]
    known_by: dict[str, list[datetime]] = {}
    for article in articles:
        if article.published is not None and not article.published_inferred:
            key = _neighbourhood(article, per_path)
            known_by.setdefault(key, []).append(article.published)
    guessed: Counter[str] = Counter(
        _neighbourhood(a, per_path)
        for a in articles
        if a.published is not None and a.published_inferred
    )
    for key, dates in list(known_by.items()):
        # One stray dated story (an event's date in a body) cannot date dozens.
        if len(dates) * SUPPORT_RATIO < guessed[key]:
            del known_by[key]
            continue
        dates.extend(extra)
        dates.sort()
    extra.sort()
    out: list[Article] = []
    for article in articles:
        if article.published is not None and article.published_inferred:
            known = known_by.get(_neighbourhood(article, per_path), extra)
            value = article.published
            better = None
            if known:
                weekday = _weekday_hint(article.body, value.month, value.day)
                better = nearest_year(value, weekday, known, latest)
            if better is None:
                article = dataclasses.replace(article, published=None, published_inferred=False)
            elif better != value:
                article = dataclasses.replace(article, published=better)
        out.append(article)
    return out
