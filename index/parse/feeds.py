"""RSS and Atom files via feedparser: one article per entry."""

from __future__ import annotations

import calendar
from datetime import datetime, timezone
from typing import Any

from index.parse.dates import parse_date_value
from index.parse.text import TextFields, parse_text
from index.parse.title import clean_title
from index.records import Article

_MAX_REPORTED = 5


def _html_to_text(value: str) -> str:
    if "<" not in value:
        return value
    from index.parse.html import _PageParser, _text_from_chunks

    page = _PageParser()
    try:
        page.feed(value)
        page.close()
    except (AssertionError, ValueError):
        pass
    return _text_from_chunks(page.chunks)


def _entry_text(entry: Any) -> str:
    contents = entry.get("content") or []
    best = ""
    for content in contents:
        value = content.get("value") or ""
        if len(value) > len(best):
            best = value
    if not best:
        best = entry.get("summary") or entry.get("description") or ""
    return _html_to_text(best)


def _entry_date(entry: Any) -> datetime | None:
    # The publisher's wall-clock time, as for text and HTML dates; UTC only as a fallback.
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        found = parse_date_value(raw) if raw else None
        if found is not None and found.has_year:
            return found.value
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc).replace(
                    tzinfo=None
                )
            except (OverflowError, ValueError, OSError):
                continue
    return None


def parse_feed(text: str, path: str, reference: datetime) -> tuple[list[Article], list[str]]:
    """Articles from an RSS/Atom document; raises ParseError when it is not a feed."""
    import feedparser

    from index.parse import ParseError, article_from_fields

    head = text.lstrip("\ufeff \t\n")[:200].lower()
    if not head.startswith("<"):
        raise ParseError("not an RSS/Atom feed (not XML)")
    feed = feedparser.parse(text)
    entries = list(feed.get("entries") or [])
    if not entries:
        if feed.get("bozo"):
            reason = str(feed.get("bozo_exception") or "malformed XML").split("\n")[0]
            raise ParseError(f"not a valid RSS/Atom feed ({reason[:120]})")
        raise ParseError("feed has no entries")
    source = (feed.get("feed") or {}).get("title") or None
    articles: list[Article] = []
    notes: list[str] = []
    bad = 0
    for number, entry in enumerate(entries, start=1):
        title = (entry.get("title") or "").strip()
        body = _entry_text(entry)
        fields = parse_text(body, title=title or None)
        if not fields.body and title:
            # A headline-only feed (title and link): the headline is all the text there is.
            fields = TextFields(title=clean_title(title), body=" ".join(title.split()))
        if not fields.body:
            bad += 1
            if bad <= _MAX_REPORTED:
                notes.append(f"entry {number}: skipped (no text)")
            continue
        key = entry.get("id") or entry.get("link") or str(number)
        author = (entry.get("author_detail") or {}).get("name") or entry.get("author") or None
        articles.append(
            article_from_fields(
                fields,
                path=path,
                record_key=str(key),
                reference=reference,
                published=_entry_date(entry),
                source=source,
                byline=author,
            )
        )
    if bad > _MAX_REPORTED:
        notes.append(f"{bad - _MAX_REPORTED} more empty entries skipped")
    if not articles and feed.get("bozo"):
        reason = str(feed.get("bozo_exception") or "malformed XML").split("\n")[0]
        raise ParseError(f"not a valid RSS/Atom feed ({reason[:120]})")
    return articles, notes
