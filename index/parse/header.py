"""The head of a plain-text article: front matter, metadata lines and the headline."""

from __future__ import annotations

import re

from index.parse import boilerplate as bp
from index.parse.dates import FoundDate, date_line, looks_like_date, parse_date_value
from index.parse.lines import MD_HEADING, OPEN_END, SENTENCE_PUNCT, key, unemphasise, words
from index.parse.meta import parse_dateline

# A header is at most this many lines; past it everything is body.
_MAX_HEADER_LINES = 12
# "Title: ...", "Author: ...", "Date: ..." lines (and front matter entries).
_KEY_VALUE = re.compile(
    r"^(?P<key>title|headline|authors?|byline|writer|source|publisher|outlet|site|agency|"
    r"date|published|published_at|pubdate|updated|dateline|place|location)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)


class Collector:
    """Metadata gathered while walking the lines."""

    def __init__(self) -> None:
        self.dates: list[FoundDate] = []
        self.meta_dates: list[FoundDate] = []
        self.byline: str | None = None
        self.title: str | None = None  # from a "Title:" line or front matter
        self.dateline: str | None = None
        self.sources: dict[str, str] = {}  # kind -> value, the first of each kind wins

    def source(self, kind: str, value: str | None) -> None:
        if value:
            self.sources.setdefault(kind, value)


def _body_like(line: str) -> bool:
    """Prose rather than a headline or a metadata line."""
    if len(line) > 160:
        return True
    if SENTENCE_PUNCT.search(line) and words(line) >= 8:
        return True
    return words(line) >= 8 and parse_dateline(line) is not None


def _first_line_headline(line: str, lines: list[str], i: int) -> bool:
    """A short first line standing alone is a headline even with a final period."""
    if len(line) > 120 or words(line) > 20 or line.count(". ") > 1:
        return False
    alone = i + 1 >= len(lines) or not lines[i + 1].strip()
    return alone and parse_dateline(line) is None


def _key_value(line: str, info: Collector) -> bool:
    """Handle a "Key: value" metadata line (or front matter entry); True when it was one."""
    match = _KEY_VALUE.match(line)
    if match is None:
        return False
    field = match.group("key").lower()
    value = match.group("value").strip().strip("\"'").strip()
    if not value:
        return True
    if field in {"title", "headline"}:
        info.title = info.title or value
    elif field in {"author", "authors", "byline", "writer"}:
        info.byline = info.byline or value
    elif field in {"source", "publisher", "outlet", "site", "agency"}:
        info.source("source_line", value)
    elif field in {"dateline", "place", "location"}:
        info.dateline = info.dateline or value
    else:
        found = parse_date_value(value)
        if found is not None:
            info.dates.append(found)
    return True


def front_matter(lines: list[str], info: Collector) -> int:
    """Read a `---` front matter block (Markdown, static sites); return where the text starts."""
    if not lines or lines[0].strip() != "---":
        return 0
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in {"---", "..."}:
            for line in lines[1:end]:
                _key_value(line.strip(), info)
            return end + 1
    return 0


def header(lines: list[str], info: Collector, title_hint: str | None) -> tuple[int, list[str]]:
    """Classify the header lines; return where the body starts and the title candidates."""
    candidates: list[str] = []
    seen = 0
    i = 0
    while i < len(lines) and seen < _MAX_HEADER_LINES:
        raw = lines[i].strip()
        if not raw:
            i += 1
            continue
        if _body_like(raw) and not (seen == 0 and _first_line_headline(raw, lines, i)):
            break
        follower = lines[i + 1].lstrip() if i + 1 < len(lines) else ""
        if follower[:1].islower() or (follower and OPEN_END.search(raw)):
            break  # a hard-wrapped sentence continues on the next line: this is prose
        seen += 1
        i += 1
        heading = MD_HEADING.match(raw)
        line = bp.strip_bullet(heading.group("text") if heading else raw)
        bulleted = line != raw and heading is None
        line = unemphasise(line)
        if not _metadata(line, bulleted, info, bool(candidates or title_hint)):
            candidates.append(line)
    return i, candidates


def _metadata(line: str, bulleted: bool, info: Collector, titled: bool) -> bool:
    """Whether a header line is metadata or furniture rather than a title candidate
    (what it says goes to `info`); `titled`: a title is known or a candidate came first."""
    if len(line) <= 240 and _key_value(line, info):
        return True
    if not line or bp.is_ui(line) or bp.is_tail_marker(line) or bp.is_inline_teaser(line):
        return True
    found = date_line(line)
    if found is not None:
        info.dates.append(found)
        return True
    if looks_like_date(line):
        return True  # a metadata line with an impossible date ("Dec 32, 2024"): no date
    by = bp.byline(line)
    if by is not None:
        info.byline = info.byline or by[0]
        info.source("byline", by[1])
        return True
    source = bp.source_line(line)
    if source:
        info.source("source_line", source)
        return True
    if bp.is_section_line(line) or bp.is_breadcrumb(line):
        return True
    staff = bp.staff_byline(line) if titled else None
    if staff:
        info.byline = info.byline or staff
        info.source("staff", staff)
        return True
    # "- Sports": one more item of a flattened metadata list
    return bulleted and words(line) <= 4 and titled


def pick_title(candidates: list[str], title_hint: str | None) -> tuple[str | None, list[str]]:
    """(title, leftover header lines that belong to the body)."""
    unique: list[str] = []
    keys: set[str] = set()
    if title_hint:
        keys.add(key(title_hint))
    for line in candidates:
        k = key(line)
        if k not in keys:
            keys.add(k)
            unique.append(line)
    if title_hint:
        return title_hint, unique
    for j, line in enumerate(unique[:3]):
        n = words(line)
        later = unique[j + 1 :]
        # A section label ("World", "Middle East") sits above the real headline.
        # It must sit above a real headline: a later line without sentence punctuation.
        if (
            any(
                words(other) >= (2 if n == 1 else n + 3) and not SENTENCE_PUNCT.search(other)
                for other in later
            )
            and n <= 3
        ):
            continue
        # One-word lines under a headline are labels too, never a standfirst.
        return line, [other for other in later if words(other) > 1]
    # No headline line: nothing is dropped, the title comes from the lead.
    return None, unique
