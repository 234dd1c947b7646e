"""Build the article pane's text: inert body, styled spans by body offset, and wrapped lines."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import Any

from rich._wrap import divide_line
from rich.style import Style
from rich.text import Text

from index.records import Article
from index.textsafe import visible

# Closing quote marks skipped before a speaker tag, so the tag follows the quote.
_CLOSERS = "\"'”’»›"
_PUNCTUATION = ",.;:!?"
DISPLAY_LIMIT = 200_000  # characters of body shown
STYLE_KEYS: tuple[str, ...] = (
    "title",
    "meta",
    "person",
    "organization",
    "country",
    "place",
    "direct",
    "indirect",
    "speaker",
    "hit",
    "focus",
    "focus-statement",
    "subhead",
)


def component_style(widget: Any, name: str) -> Style:
    """A component class's own attributes, with its colour blended as painted.

    Partial styles keep spans stackable (a mention inside a quote keeps both), but
    they leave translucent theme colours ($text-muted) unblended: take those from
    the full style.
    """
    partial: Style = widget.get_component_rich_style(name, partial=True)
    if partial.color is None:
        return partial
    full: Style = widget.get_component_rich_style(name, partial=False)
    return partial + Style(color=full.color)


def inert(text: str) -> str:
    """Untrusted text made safe for a terminal, same length (tabs become spaces)."""
    return visible(text).replace("\t", " ")


DATE_FORMAT = ["%Y-%m-%d"]  # the config's `date_format` (one setting for the process)


def set_date_format(fmt: str) -> None:
    DATE_FORMAT[0] = fmt


def format_date(published: datetime | None, inferred: bool) -> str:
    """A fixed-width date; `~` marks a year the parser inferred."""
    fmt = DATE_FORMAT[0]
    if published is None:
        width = len(datetime(2024, 12, 31).strftime(fmt))
        return (" " * (width // 2) + "—").ljust(width + 1)
    day = published.strftime(fmt)
    return f"{day}~" if inferred else f"{day} "


def _tag_position(body: str, end: int) -> int:
    """Where a statement's speaker tag goes: after its closing quote mark when one follows
    (past one punctuation mark: `security," he said` puts the tag after `,"`)."""
    at = min(max(end, 0), len(body))
    ahead = body[at : at + 2]
    if ahead[:1] in _PUNCTUATION and ahead[1:2] and ahead[1] in _CLOSERS:
        at += 1
    while at < len(body) and body[at] in _CLOSERS:
        at += 1
    return at


def speaker_tag(speaker: str | None) -> str:
    return f" ‹{inert(speaker) if speaker else '?'}›"


@dataclass
class ArticleText:
    """The display text of one article and the map from body offsets to it."""

    text: Text
    body_start: int
    # (body offset, characters inserted there) for each speaker tag, sorted.
    insertions: list[tuple[int, int]] = field(default_factory=list)

    def display_offset(self, body_offset: int, *, end: bool = False) -> int:
        """Where body offset `body_offset` lands in `text` (`end`: as an exclusive end)."""
        shift = 0
        for at, length in self.insertions:
            if at > body_offset or (end and at == body_offset):
                break
            shift += length
        return self.body_start + body_offset + shift


@dataclass(frozen=True)
class Marks:
    """What to emphasise on top of the article's own markup."""

    hits: tuple[tuple[int, int], ...] = ()
    title_hits: tuple[tuple[int, int], ...] = ()  # offsets into Article.title
    focus_actor: str | None = None
    focus_statement: int | None = None  # index into Article.statements


def _meta_line(article: Article) -> str:
    parts = []
    if article.published is not None:
        day = article.published.strftime("%d %b %Y")
        parts.append(f"{day} (year inferred)" if article.published_inferred else day)
    else:
        parts.append("undated")
    for value in (article.source, article.dateline, article.byline):
        if value:
            parts.append(value)
    return " · ".join(inert(" ".join(p.split())) for p in parts)


def _title_spans(title: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans over the raw title moved onto the title as shown (whitespace runs collapsed)."""
    if not spans:
        return []
    shown: list[int] = []  # raw offset -> offset in " ".join(title.split())
    position, gap = 0, False
    for char in title.lstrip():
        if char.isspace():
            gap = True
        else:
            if gap:
                position += 1
                gap = False
            shown.append(position)
            position += 1
            continue
        shown.append(position)
    lead = len(title) - len(title.lstrip())
    out = []
    for start, end in spans:
        a, b = start - lead, end - lead - 1
        if 0 <= a <= b < len(shown):
            out.append((shown[a], shown[b] + 1))
    return out


def render_article(
    article: Article, styles: Mapping[str, Style], marks: Marks = Marks()
) -> ArticleText:
    """Title, meta line and body as one Rich Text, built literally (never parsed as markup)."""
    text = Text(no_wrap=False, end="")
    title = inert(" ".join(article.title.split())) or "(untitled)"
    text.append(title, styles.get("title"))
    for start, end in _title_spans(article.title, marks.title_hits):
        if styles.get("hit") is not None and start < end <= len(title):
            text.stylize(styles["hit"], start, end)
    text.append("\n")
    text.append(_meta_line(article), styles.get("meta"))
    text.append("\n\n")
    body_start = len(text)
    # Wrapping is linear in the text: a pathological body (megabytes on one article)
    # is shown up to a limit, and says so.
    body = inert(article.body[:DISPLAY_LIMIT])
    length = len(body)

    tags: dict[int, str] = {}
    for statement in article.statements:
        at = _tag_position(body, statement.end)
        tags[at] = tags.get(at, "") + speaker_tag(statement.speaker)
    insertions = sorted((at, len(tag)) for at, tag in tags.items())
    result = ArticleText(text, body_start, insertions)

    cursor = 0
    for at, _ in insertions:
        text.append(body[cursor:at])
        text.append(tags[at], styles.get("speaker"))
        cursor = at
    text.append(body[cursor:])
    if len(article.body) > DISPLAY_LIMIT:
        hidden = len(article.body) - DISPLAY_LIMIT
        text.append(
            f"\n\n(the article goes on for {hidden:,} more characters, not shown here:"
            " press o to read the source file)",
            styles.get("meta"),
        )

    def stylize(style: Style | None, start: int, end: int) -> None:
        start, end = max(0, start), min(length, end)
        if style is not None and start < end:
            text.stylize(style, result.display_offset(start), result.display_offset(end, end=True))

    for index, statement in enumerate(article.statements):
        kind = "direct" if statement.kind == "direct" else "indirect"
        stylize(styles.get(kind), statement.start, statement.end)
        if index == marks.focus_statement:
            stylize(styles.get("focus-statement"), statement.start, statement.end)
    for subhead in article.subheads:
        found = body.find(inert(subhead))
        if found >= 0:
            stylize(styles.get("subhead"), found, found + len(subhead))
    for actor in article.actors:
        for start, end in actor.mentions:
            stylize(styles.get(actor.kind), start, end)
            if actor.name == marks.focus_actor:
                stylize(styles.get("focus"), start, end)
    for start, end in marks.hits:
        stylize(styles.get("hit"), start, end)
    return result


def wrap(text: Text, width: int) -> tuple[list[Text], list[int]]:
    """Word-wrap `text` to `width` cells; returns the lines and each line's start offset.

    One `Text.divide` over every cut point: slicing line by line would copy all
    the spans once per line (quadratic on long, densely marked articles).
    """
    width = max(width, 4)
    plain = text.plain
    bounds: list[tuple[int, int]] = []
    offset = 0
    for paragraph in plain.split("\n"):
        end = offset + len(paragraph)
        breaks = divide_line(paragraph, width, fold=True) if paragraph else []
        points = [offset, *(offset + b for b in breaks), end]
        bounds.extend(pairwise(points))
        offset = end + 1
    cuts = sorted({point for pair in bounds for point in pair} - {0})
    pieces = text.divide(cuts)
    by_start = dict(zip([0, *cuts], pieces, strict=False))
    lines: list[Text] = []
    for start, end in bounds:
        line = by_start[start] if start < end else Text("", end="")
        line.rstrip()
        lines.append(line)
    return lines, [start for start, _ in bounds]


def line_of(starts: Sequence[int], offset: int) -> int:
    """Index of the wrapped line holding display offset `offset`."""
    return max(0, bisect_right(starts, offset) - 1)
