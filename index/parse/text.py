"""Plain-text and Markdown articles: headline, metadata lines, dateline, clean paragraphs.

The passes live beside this module: `header` (front matter, metadata lines, the
headline), `body` (furniture and trailing metadata dropped), `paragraphs`
(rejoined lines, Markdown inlines, subheads) and `lines` (the shapes they share).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from index.parse.body import body_lines
from index.parse.dates import FoundDate, guess_year, lead_date
from index.parse.header import Collector, front_matter, header, pick_title
from index.parse.lines import key
from index.parse.meta import parse_dateline
from index.parse.paragraphs import paragraphs as split_paragraphs
from index.parse.paragraphs import subheads as find_subheads
from index.parse.title import MAX_TITLE, clean_title, shorten, title_from_lead

_ODD_BREAKS = re.compile("[\u2028\u2029\x0b\x0c]")
# Which metadata names the source, best first.
_SOURCE_KINDS = ("dateline", "source_line", "byline", "staff", "credit", "sign_off", "copyright")


@dataclass(frozen=True)
class TextFields:
    """What a text parse yields; the date may still lack its year (see `resolve_date`)."""

    title: str
    body: str
    date: FoundDate | None = None
    source: str | None = None
    byline: str | None = None
    dateline: str | None = None
    subheads: tuple[str, ...] = ()


def resolve_date(found: FoundDate | None, reference: datetime) -> tuple[datetime | None, bool]:
    """(published, inferred): a year-less date gets the year fitting `reference`."""
    if found is None:
        return None, False
    if found.has_year:
        return found.value, False
    return guess_year(found, reference), True


def parse_text(
    text: str,
    *,
    title: str | None = None,
    markdown: bool = False,
) -> TextFields:
    """Parse one article's text; never raises. `title` is a known title (JSON, HTML, feeds)."""
    lines = _normalised(text).split("\n")
    info = Collector()
    lines = lines[front_matter(lines, info) :]
    hint = clean_title(title) if title and title.strip() else None
    start, candidates = header(lines, info, hint)
    if info.title and not hint:
        hint = clean_title(info.title)
        candidates = [c for c in candidates if key(c) != key(hint)]
    headline, deks = pick_title(candidates, hint)
    kept = body_lines(lines[start:], info)
    paragraphs, headings, wrapped = split_paragraphs(kept, markdown)
    if not paragraphs and not deks:
        # Everything looked like furniture (tables of figures, say): keep the text as it is
        # rather than lose the article.
        raw_lines: list[str | None] = [line if line.strip() else None for line in lines[start:]]
        paragraphs, headings, wrapped = split_paragraphs(raw_lines, markdown)
    if deks:
        paragraphs = [*deks, *paragraphs]
    dateline_place, dateline_date = _take_dateline(paragraphs, info)
    if headline and paragraphs and key(paragraphs[0]) == key(headline):
        paragraphs.pop(0)
    subheads = find_subheads(paragraphs, headings, wrapped)
    date = _choose_date(
        info.dates, dateline_date, info.meta_dates, paragraphs[0] if paragraphs else ""
    )
    if not paragraphs and headline and (not hint or any(key(c) == key(hint) for c in candidates)):
        # A lone line is both the headline and the whole text: keep it rather than lose it.
        paragraphs = [" ".join(headline.split())]
    if headline is None:
        lead = paragraphs[0] if paragraphs else ""
        headline = title_from_lead(lead) if lead else ""
    source = next((info.sources[k] for k in _SOURCE_KINDS if k in info.sources), None)
    return TextFields(
        title=shorten(headline, MAX_TITLE),
        body="\n\n".join(paragraphs),
        date=date,
        source=shorten(source, 80) if source is not None else None,
        byline=shorten(info.byline, 120) if info.byline else None,
        dateline=dateline_place or info.dateline,
        subheads=subheads,
    )


def _normalised(text: str) -> str:
    """`text` without a byte order mark, with every line break a plain newline."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if _ODD_BREAKS.search(text):
        text = _ODD_BREAKS.sub("\n", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _take_dateline(paragraphs: list[str], info: Collector) -> tuple[str | None, FoundDate | None]:
    """Cut a dateline ("SALVADOR, Feb 26 -") off the first paragraph: (its place, its date);
    its source goes to `info`."""
    if not paragraphs:
        return None, None
    found = parse_dateline(paragraphs[0])
    if found is None or found.end >= len(paragraphs[0]):
        return None, None
    info.source("dateline", found.source)
    rest = paragraphs[0][found.end :].lstrip()
    if rest:
        paragraphs[0] = rest
    else:
        paragraphs.pop(0)
    return found.place, found.date


def _choose_date(
    header: list[FoundDate],
    dateline: FoundDate | None,
    meta: list[FoundDate],
    lead: str,
) -> FoundDate | None:
    """Header metadata first, then the dateline, trailing metadata, and the lead sentence."""
    candidates = [*header, *([dateline] if dateline else []), *meta]
    lead_found = lead_date(lead[:600]) if lead else None
    if lead_found is not None:
        candidates.append(lead_found)
    if not candidates:
        return None
    best = candidates[0]
    if not best.has_year:
        for other in candidates[1:]:
            same_day = (other.value.month, other.value.day) == (best.value.month, best.value.day)
            if other.has_year and same_day:
                return other
    return best
