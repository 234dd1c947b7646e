"""Plain-text and Markdown articles: headline, metadata lines, dateline, clean paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from index.parse import boilerplate as bp
from index.parse.dates import (
    FoundDate,
    date_line,
    guess_year,
    lead_date,
    looks_like_date,
    parse_date_value,
)
from index.parse.meta import parse_dateline
from index.parse.title import MAX_TITLE, clean_title, shorten, title_from_lead

# A header is at most this many lines; past it everything is body.
_MAX_HEADER_LINES = 12
_SENTENCE_PUNCT = re.compile(r"[.!?][\"'”’)]*$")
_SPACES = re.compile(r"[ \t\u00a0]+")
_LIST_ITEM = re.compile(r"^(?:[-*•]\s|\d{1,3}[.)]\s)")
_MD_HEADING = re.compile(r"^#{1,6}\s+(?P<text>\S.*?)\s*#*$")
_MD_LINK = re.compile(r"!\[[^\]\n]{0,200}\]\([^)\n]{0,500}\)|\[([^\]\n]{1,300})\]\([^)\n]{0,500}\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.{1,300}?)(?<=\S)\1")
_ELLIPSIS_END = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\]|read more\s*[»›>]?)\s*$", re.IGNORECASE)
# A line ending like this is a sentence broken by a hard wrap, never a headline.
_OPEN_END = re.compile(
    r"(?:,|\w-|\b(?:to|the|a|an|of|in|and|or|for|with|on|at|by|from|that|as|its|their|his|her))$"
)
# "Title: ...", "Author: ...", "Date: ..." lines (and front matter entries).
_KEY_VALUE = re.compile(
    r"^(?P<key>title|headline|authors?|byline|writer|source|publisher|outlet|site|agency|"
    r"date|published|published_at|pubdate|updated|dateline|place|location)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_SUBHEAD_BAD_END = re.compile(r"[.,;:\"'”’»)]$")
_ODD_BREAKS = re.compile("[\u2028\u2029\x0b\x0c]")


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


def _words(text: str) -> int:
    return len(text.split())


def _body_like(line: str) -> bool:
    """Prose rather than a headline or a metadata line."""
    if len(line) > 160:
        return True
    if _SENTENCE_PUNCT.search(line) and _words(line) >= 8:
        return True
    return _words(line) >= 8 and parse_dateline(line) is not None


def _first_line_headline(line: str, lines: list[str], i: int) -> bool:
    """A short first line standing alone is a headline even with a final period."""
    if len(line) > 120 or _words(line) > 20 or line.count(". ") > 1:
        return False
    alone = i + 1 >= len(lines) or not lines[i + 1].strip()
    return alone and parse_dateline(line) is None


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _unemphasise(line: str) -> str:
    """`*By Sam Green*` -> `By Sam Green` (Markdown emphasis around a whole line)."""
    if len(line) > 2 and line[0] in "*_" and line[-1] == line[0]:
        return line.strip(line[0]).strip()
    return line


def _is_subhead(paragraph: str) -> bool:
    if len(paragraph) > 90 or "\n" in paragraph:
        return False
    if paragraph.endswith(("!", "-", "–", "—")) or "..." in paragraph or "…" in paragraph:
        return False
    commas = paragraph.count(",")
    if commas >= 2 or (commas and paragraph.endswith("?")) or _OPEN_END.search(paragraph):
        return False  # a list, a reader's question, or a sentence cut by a hard wrap
    words = _words(paragraph)
    if not 2 <= words <= 14:
        return False
    first = paragraph[0]
    if not (first.isupper() or first.isdigit()):
        return False
    if _SUBHEAD_BAD_END.search(paragraph):
        return False
    if paragraph.endswith("?") and any(q in paragraph for q in '"“”'):
        return False  # a one-line quoted question is speech, not a heading
    if ". " in paragraph:
        return False
    digits = sum(ch.isdigit() for ch in paragraph)
    return digits * 4 < len(paragraph)


def _prose(paragraph: str) -> bool:
    """A paragraph of sentences (what surrounds a subhead), not a table row or a list."""
    return len(paragraph) >= 60 and _SENTENCE_PUNCT.search(paragraph) is not None


def _teaser_line(line: str) -> bool:
    """A line of a teaser block: a short headline or a snippet cut with an ellipsis."""
    return (len(line) <= 120 and not _SENTENCE_PUNCT.search(line)) or bool(
        _ELLIPSIS_END.search(line)
    )


def _continues(previous: str) -> bool:
    """True when `previous` breaks off mid-sentence, so the next line carries on its text."""
    previous = previous.rstrip()
    return bool(previous) and _SENTENCE_PUNCT.search(previous) is None


class _Rest:
    """What follows each line, computed once (backwards) when a widget heading first shows up.

    `prose(k)`: lines[k:] hold a finished prose paragraph (so they are more article, not
    teasers or forms). `comments(k)`: lines[k:] hold a comment thread's furniture.
    """

    def __init__(self, lines: list[str]) -> None:
        n = len(lines)
        self.has_prose = [False] * (n + 1)
        self.has_comments = [False] * (n + 1)
        tail = 0  # characters from a line to the end of its block
        block_end = ""  # the last line of the current block
        for k in range(n - 1, -1, -1):
            line = lines[k].strip()
            comment = bool(line) and bp.is_comment_furniture(line)
            self.has_comments[k] = self.has_comments[k + 1] or comment
            if not line:
                tail, block_end = 0, ""
                self.has_prose[k] = self.has_prose[k + 1]
                continue
            if not block_end:
                block_end = line
            tail += len(line) + 1
            self.has_prose[k] = self.has_prose[k + 1] or self._prose_block(
                lines, k, tail, block_end
            )

    @staticmethod
    def _prose_block(lines: list[str], k: int, tail: int, block_end: str) -> bool:
        # Prose: a finished paragraph, not a headline, a cut teaser snippet or a form.
        if tail <= 60 or not _SENTENCE_PUNCT.search(block_end) or _ELLIPSIS_END.search(block_end):
            return False
        if tail > bp.MAX_FURNITURE:
            return True
        parts: list[str] = []
        for line in lines[k:]:
            if not line.strip():
                break
            parts.append(line.strip())
        text = " ".join(parts)
        return not (bp.is_ui(text) or bp.is_comment_furniture(text))


class _Collector:
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


def _key_value(line: str, info: _Collector) -> bool:
    """Handle a "Key: value" metadata line (or front matter entry); True when it was one."""
    match = _KEY_VALUE.match(line)
    if match is None:
        return False
    key = match.group("key").lower()
    value = match.group("value").strip().strip("\"'").strip()
    if not value:
        return True
    if key in {"title", "headline"}:
        info.title = info.title or value
    elif key in {"author", "authors", "byline", "writer"}:
        info.byline = info.byline or value
    elif key in {"source", "publisher", "outlet", "site", "agency"}:
        info.source("source_line", value)
    elif key in {"dateline", "place", "location"}:
        info.dateline = info.dateline or value
    else:
        found = parse_date_value(value)
        if found is not None:
            info.dates.append(found)
    return True


def _front_matter(lines: list[str], info: _Collector) -> int:
    """Read a `---` front matter block (Markdown, static sites); return where the text starts."""
    if not lines or lines[0].strip() != "---":
        return 0
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in {"---", "..."}:
            for line in lines[1:end]:
                _key_value(line.strip(), info)
            return end + 1
    return 0


def _header(lines: list[str], info: _Collector, title_hint: str | None) -> tuple[int, list[str]]:
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
        if follower[:1].islower() or (follower and _OPEN_END.search(raw)):
            break  # a hard-wrapped sentence continues on the next line: this is prose
        seen += 1
        i += 1
        heading = _MD_HEADING.match(raw)
        line = bp.strip_bullet(heading.group("text") if heading else raw)
        bulleted = line != raw and heading is None
        line = _unemphasise(line)
        if len(line) <= 240 and _key_value(line, info):
            continue
        if not line or bp.is_ui(line) or bp.is_tail_marker(line) or bp.is_inline_teaser(line):
            continue
        found = date_line(line)
        if found is not None:
            info.dates.append(found)
            continue
        if looks_like_date(line):
            continue  # a metadata line with an impossible date ("Dec 32, 2024"): no date
        by = bp.byline(line)
        if by is not None:
            info.byline = info.byline or by[0]
            info.source("byline", by[1])
            continue
        source = bp.source_line(line)
        if source:
            info.source("source_line", source)
            continue
        if bp.is_section_line(line) or bp.is_breadcrumb(line):
            continue
        staff = bp.staff_byline(line) if (candidates or title_hint) else None
        if staff:
            info.byline = info.byline or staff
            info.source("staff", staff)
            continue
        if bulleted and _words(line) <= 4 and (candidates or title_hint):
            continue  # "- Sports": one more item of a flattened metadata list
        candidates.append(line)
    return i, candidates


def _pick_title(candidates: list[str], title_hint: str | None) -> tuple[str | None, list[str]]:
    """(title, leftover header lines that belong to the body)."""
    unique: list[str] = []
    keys: set[str] = set()
    if title_hint:
        keys.add(_key(title_hint))
    for line in candidates:
        key = _key(line)
        if key not in keys:
            keys.add(key)
            unique.append(line)
    if title_hint:
        return title_hint, unique
    for j, line in enumerate(unique[:3]):
        words = _words(line)
        later = unique[j + 1 :]
        # A section label ("World", "Middle East") sits above the real headline.
        # It must sit above a real headline: a later line without sentence punctuation.
        if (
            any(
                _words(other) >= (2 if words == 1 else words + 3)
                and not _SENTENCE_PUNCT.search(other)
                for other in later
            )
            and words <= 3
        ):
            continue
        # One-word lines under a headline are labels too, never a standfirst.
        return line, [other for other in later if _words(other) > 1]
    # No headline line: nothing is dropped, the title comes from the lead.
    return None, unique


def _body_lines(lines: list[str], info: _Collector) -> list[str | None]:
    """Drop furniture and metadata lines; None marks a paragraph break."""
    nonblank = [k for k, line in enumerate(lines) if line.strip()]
    tail_zone = set(nonblank[-3:])
    last = nonblank[-1] if nonblank else -1
    kept: list[str | None] = []
    rest: _Rest | None = None
    j = 0
    n = len(lines)
    while j < n:
        raw = lines[j]
        line = raw.strip()
        if not line:
            kept.append(None)
            j += 1
            continue
        if len(line) > bp.MAX_FURNITURE or (
            line[0].islower() and j > 0 and _continues(lines[j - 1])
        ):
            kept.append(
                raw
            )  # prose, or the rest of a hard-wrapped sentence ("...declined to\ncomment.")
            j += 1
            continue
        if not bp.may_be_furniture(line):
            # A date line stands alone; a line inside hard-wrapped prose is not one.
            standalone = j == 0 or j >= last or not lines[j - 1].strip() or not lines[j + 1].strip()
            found = date_line(line) if standalone or len(line) < 45 else None
            if found is not None:
                info.meta_dates.append(found)
            elif not (
                ((standalone or len(line) < 45) and looks_like_date(line))
                or (j in tail_zone and bp.is_contributed(line))
            ):
                kept.append(raw)
            j += 1
            continue
        plain = _unemphasise(bp.strip_bullet(line))
        if bp.is_tail_marker(plain):
            rest = rest or _Rest(lines)
            if not rest.has_prose[j + 1]:
                break
            if bp.is_end_marker(plain):
                # Readers' comments are prose too; their Reply/says: lines give them away.
                if rest.has_comments[j + 1]:
                    break
                j += 1  # a stray comment counter: the article goes on after it
                continue
            j = _skip_teaser(lines, j + 1)
            continue
        j += 1
        holder = bp.copyright_holder(plain)
        if holder:
            info.source("copyright", holder)
            continue
        if bp.is_ui(plain) or bp.is_inline_teaser(plain):
            continue
        if bp.is_rule(line):
            kept.append(None)  # a drawn section break ends the paragraph
            continue
        if j - 1 in tail_zone and bp.is_contributed(plain):
            continue
        source = bp.source_line(plain)
        if source:
            info.source("source_line", source)
            continue
        if j - 1 in tail_zone:
            credit = bp.credit_line(plain)
            if credit:
                if any(word[:1].isupper() for word in credit.split()):
                    info.source("credit", credit)
                continue
        reporters = bp.reporting_line(plain)
        if reporters is not None:
            if reporters and not info.byline:
                info.byline = reporters
            continue
        if not any(k is not None for k in kept):
            by = bp.byline(plain)
            if by is not None:
                info.byline = info.byline or by[0]
                info.source("byline", by[1])
                continue
        if j - 1 == last:
            agency = bp.sign_off(plain)
            if agency is not None:
                info.source("sign_off", agency)
                continue
        found = date_line(plain)
        if found is not None:
            info.meta_dates.append(found)
            continue
        if looks_like_date(plain):
            continue
        kept.append(raw)
    return kept


def _skip_teaser(lines: list[str], j: int) -> int:
    """Skip a teaser block (headline lines and an ellipsis-cut snippet) after a widget heading."""
    skipped = 0
    while j < len(lines) and skipped < 4:
        line = lines[j].strip()
        if not line:
            j += 1
            continue
        if not _teaser_line(line):
            break
        skipped += 1
        j += 1
        if _ELLIPSIS_END.search(line):
            break
    return j


def _paragraphs(kept: list[str | None], markdown: bool) -> tuple[list[str], set[str], bool]:
    """Paragraphs (hard-wrapped lines rejoined), the heading texts, and whether it was wrapped."""
    lengths = sorted(len(line.strip()) for line in kept if line is not None)
    wrap = lengths[int(len(lengths) * 0.8)] if lengths else 0
    hard_wrapped = len(lengths) >= 4 and 30 <= wrap <= 100
    paragraphs: list[str] = []
    headings: set[str] = set()
    current: list[str] = []
    prev_len = 0
    prev_indent = 0

    def flush() -> None:
        if current:
            text = current[0]
            for part in current[1:]:
                # "al-" + "Sudani": a line broken after a hyphen joins without a space.
                glue = "" if text.endswith("-") and text[-2:-1].isalpha() else " "
                text += glue + part
            if "  " in text or "\t" in text or "\u00a0" in text:
                text = _SPACES.sub(" ", text)
            paragraphs.append(text.strip())
            current.clear()

    for raw in kept:
        if raw is None:
            flush()
            continue
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        heading = _MD_HEADING.match(stripped)
        joinable = (
            current
            and (hard_wrapped or markdown)
            and heading is None
            and not _LIST_ITEM.match(stripped)
            and not (indent > prev_indent)
            and (markdown or prev_len >= 0.6 * wrap or stripped[:1].islower())
        )
        if not joinable:
            flush()
        if heading is not None:
            text = heading.group("text")
            current.append(text)
            flush()
            headings.add(_markdown_inline(text) if markdown else text)
            prev_len, prev_indent = 0, indent
            continue
        current.append(stripped)
        prev_len, prev_indent = len(stripped), indent
    flush()
    if markdown:
        paragraphs = [_markdown_inline(p) for p in paragraphs]
    return [p for p in paragraphs if p], headings, hard_wrapped


def _markdown_inline(text: str) -> str:
    text = _MD_LINK.sub(lambda m: m.group(1) or "", text)
    if text.count("**") + text.count("__") > 400:
        return text.strip()  # not prose with emphasis: leave it rather than scan it at length
    return _MD_EMPHASIS.sub(r"\2", text).strip()


def parse_text(
    text: str,
    *,
    title: str | None = None,
    markdown: bool = False,
) -> TextFields:
    """Parse one article's text; never raises. `title` is a known title (JSON, HTML, feeds)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if _ODD_BREAKS.search(text):
        text = _ODD_BREAKS.sub("\n", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    info = _Collector()
    lines = lines[_front_matter(lines, info) :]
    hint = clean_title(title) if title and title.strip() else None
    start, candidates = _header(lines, info, hint)
    if info.title and not hint:
        hint = clean_title(info.title)
        candidates = [c for c in candidates if _key(c) != _key(hint)]
    headline, deks = _pick_title(candidates, hint)
    kept = _body_lines(lines[start:], info)
    paragraphs, headings, wrapped = _paragraphs(kept, markdown)
    if not paragraphs and not deks:
        # Everything looked like furniture (tables of figures, say): keep the text as it is
        # rather than lose the article.
        raw_lines: list[str | None] = [line if line.strip() else None for line in lines[start:]]
        paragraphs, headings, wrapped = _paragraphs(raw_lines, markdown)
    if deks:
        paragraphs = [*deks, *paragraphs]

    dateline_place = None
    dateline_date = None
    if paragraphs:
        found = parse_dateline(paragraphs[0])
        if found is not None and found.end < len(paragraphs[0]):
            dateline_place = found.place
            dateline_date = found.date
            info.source("dateline", found.source)
            rest = paragraphs[0][found.end :].lstrip()
            if rest:
                paragraphs[0] = rest
            else:
                paragraphs.pop(0)
    if headline and paragraphs and _key(paragraphs[0]) == _key(headline):
        paragraphs.pop(0)

    subheads = tuple(
        p
        for k, p in enumerate(paragraphs)
        if k > 0
        and (
            (p in headings and len(p) <= 200)
            or (
                # A hard-wrapped text has no visual headings, only broken sentences.
                not wrapped
                and k < len(paragraphs) - 1
                and _is_subhead(p)
                and _prose(paragraphs[k - 1])
                and _prose(paragraphs[k + 1])
            )
        )
    )
    date = _choose_date(
        info.dates, dateline_date, info.meta_dates, paragraphs[0] if paragraphs else ""
    )
    if not paragraphs and headline and (not hint or any(_key(c) == _key(hint) for c in candidates)):
        # A lone line is both the headline and the whole text: keep it rather than lose it.
        paragraphs = [" ".join(headline.split())]
    if headline is None:
        lead = paragraphs[0] if paragraphs else ""
        headline = title_from_lead(lead) if lead else ""
    source = None
    for kind in ("dateline", "source_line", "byline", "staff", "credit", "sign_off", "copyright"):
        if kind in info.sources:
            source = shorten(info.sources[kind], 80)
            break
    return TextFields(
        title=shorten(headline, MAX_TITLE),
        body="\n\n".join(paragraphs),
        date=date,
        source=source,
        byline=shorten(info.byline, 120) if info.byline else None,
        dateline=dateline_place or info.dateline,
        subheads=subheads,
    )


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
