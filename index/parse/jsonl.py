"""JSON and JSON Lines article files: one article per object (title, date, source, body)."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime
from typing import Any

from index.parse.dates import parse_date_value
from index.parse.meta import parse_dateline
from index.parse.text import parse_text
from index.records import Article

_BODY_KEYS = ("body", "text", "content", "article", "article_text", "description", "summary")
_TITLE_KEYS = ("title", "headline", "name")
_DATE_KEYS = (
    "date",
    "published",
    "published_at",
    "pubDate",
    "datePublished",
    "publish_date",
    "created_at",
    "time",
    "timestamp",
)
_SOURCE_KEYS = ("source", "outlet", "publisher", "site", "site_name", "agency")
_BYLINE_KEYS = ("byline", "author", "authors", "creator")
_MAX_REPORTED = 5
# One record's body is capped like a text file (index.parse.encoding.MAX_BYTES).
MAX_BODY_CHARS = 2 * 1024 * 1024  # bad records named one by one before the rest are only counted


# Wire copy wrapped at ~70 columns, a paragraph starting on an indented line (Reuters-21578).
_INDENTED = re.compile(r"\n[ \t]{2,}(?=\S)")
_WRAP_WIDTH = 90


def unwrap(body: str) -> str:
    """Rejoin a hard-wrapped body whose paragraphs start on indented lines; others unchanged.

    Left to the text parser, the first wrapped line of such a body reads like a
    heading and is cut off from its sentence ("...BP North America" / "Inc said").
    """
    if "\n\n" in body or not _INDENTED.search(body):
        return body
    lines = body.split("\n")
    if len(lines) < 3 or max(len(line.rstrip()) for line in lines) > _WRAP_WIDTH:
        return body
    paragraphs = (" ".join(p.split()) for p in _INDENTED.split(body))
    return "\n\n".join(p for p in paragraphs if p)


def _first_str(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, dict):  # {"source": {"name": "BBC"}}
            name = value.get("name") or value.get("title")
            if isinstance(name, str) and name.strip():
                return name.strip()
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            joined = ", ".join(v.strip() for v in value if v.strip())
            if joined:
                return joined
    return None


def record_to_article(
    record: Any, path: str, key: str, reference: datetime
) -> tuple[Article | None, str | None]:
    """(article, None) or (None, reason) for one decoded JSON value."""
    if not isinstance(record, dict):
        return None, f"not a JSON object ({type(record).__name__})"
    body = _first_str(record, _BODY_KEYS)
    title = _first_str(record, _TITLE_KEYS)
    if body is None:
        return None, "no body text" + (" (only a title)" if title else "")
    if len(body) > MAX_BODY_CHARS:
        body = body[:MAX_BODY_CHARS]  # the caller notes the cut
    fields = parse_text(unwrap(body), title=title)
    if not fields.body:
        return None, "body holds no article text"
    raw_date = next((record[k] for k in _DATE_KEYS if record.get(k) not in (None, "")), None)
    published = None
    if raw_date is not None:
        found = parse_date_value(raw_date)
        if found is not None and found.has_year:
            published = found.value
    raw_dateline = record.get("dateline")
    line = parse_dateline(raw_dateline.strip() + " x") if isinstance(raw_dateline, str) else None
    if line is not None and line.date is not None:
        # The dateline's date beats a date found in the body; the body may still give its year.
        body_date = fields.date
        same_day = body_date is not None and (body_date.value.month, body_date.value.day) == (
            line.date.value.month,
            line.date.value.day,
        )
        if not (same_day and body_date is not None and body_date.has_year):
            fields = dataclasses.replace(fields, date=line.date)
    from index.parse import article_from_fields

    article = article_from_fields(
        fields,
        path=path,
        record_key=key,
        reference=reference,
        published=published,
        source=_first_str(record, _SOURCE_KEYS) or (line.source if line else None),
        byline=_first_str(record, _BYLINE_KEYS),
        dateline=line.place if line else None,
    )
    return article, None


def _long_body(record: Any) -> bool:
    body = _first_str(record, _BODY_KEYS) if isinstance(record, dict) else None
    return body is not None and len(body) > MAX_BODY_CHARS


def _record_key(record: Any, number: int) -> str:
    if isinstance(record, dict):
        for name in ("id", "guid", "url", "link"):
            value = record.get(name)
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
                return str(value)
    return str(number)


def parse_json_records(
    text: str, path: str, reference: datetime
) -> tuple[list[Article], list[str]]:
    """Articles from a JSON document (object or array) or JSON Lines; bad records become notes."""
    records: list[tuple[int, Any]] = []
    notes: list[str] = []
    bad = 0
    stripped = text.strip()
    whole: Any = None
    if stripped.startswith(("[", "{")):
        try:
            whole = json.loads(stripped)
        except (ValueError, RecursionError):
            whole = None  # JSON Lines, or a broken document read line by line below
    if isinstance(whole, list):
        records = [(n + 1, item) for n, item in enumerate(whole)]
    elif isinstance(whole, dict):
        items = whole.get("articles") or whole.get("items")
        if isinstance(items, list):
            records = [(n + 1, item) for n, item in enumerate(items)]
        else:
            records = [(1, whole)]
    else:
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                records.append((number, json.loads(line)))
            except (ValueError, RecursionError) as exc:
                bad += 1
                if bad <= _MAX_REPORTED:
                    reason = exc.args[0].split(":")[0] if exc.args else "invalid JSON"
                    notes.append(f"line {number}: malformed JSON record skipped ({reason})")
    articles: list[Article] = []
    seen_keys: set[str] = set()
    label = "line" if whole is None else "record"
    for number, record in records:
        key = _record_key(record, number)
        if key in seen_keys:
            key = f"{key}@{number}"
        seen_keys.add(key)
        article, reason = record_to_article(record, path, key, reference)
        if article is not None and _long_body(record):
            notes.append(f"{label} {number}: body cut to its first {MAX_BODY_CHARS:,} characters")
        if article is None:
            bad += 1
            if bad <= _MAX_REPORTED:
                notes.append(f"{label} {number}: record skipped ({reason})")
            continue
        articles.append(article)
    if bad > _MAX_REPORTED:
        notes.append(f"{bad - _MAX_REPORTED} more bad records skipped")
    return articles, notes
