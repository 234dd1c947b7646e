"""Paragraphs of a plain-text body: hard-wrapped lines rejoined, Markdown inlines, subheads."""

from __future__ import annotations

import re

from index.parse.lines import MD_HEADING, OPEN_END, SENTENCE_PUNCT, words

_SPACES = re.compile(r"[ \t\u00a0]+")
_LIST_ITEM = re.compile(r"^(?:[-*•]\s|\d{1,3}[.)]\s)")
_MD_LINK = re.compile(r"!\[[^\]\n]{0,200}\]\([^)\n]{0,500}\)|\[([^\]\n]{1,300})\]\([^)\n]{0,500}\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.{1,300}?)(?<=\S)\1")
_SUBHEAD_BAD_END = re.compile(r"[.,;:\"'”’»)]$")


def paragraphs(kept: list[str | None], markdown: bool) -> tuple[list[str], set[str], bool]:
    """Paragraphs (hard-wrapped lines rejoined), the heading texts, and whether it was wrapped."""
    lengths = sorted(len(line.strip()) for line in kept if line is not None)
    wrap = lengths[int(len(lengths) * 0.8)] if lengths else 0
    hard_wrapped = len(lengths) >= 4 and 30 <= wrap <= 100
    out: list[str] = []
    headings: set[str] = set()
    current: list[str] = []
    prev_len = 0
    prev_indent = 0

    def flush() -> None:
        if current:
            out.append(_joined(current))
            current.clear()

    for raw in kept:
        if raw is None:
            flush()
            continue
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        heading = MD_HEADING.match(stripped)
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
        out = [_markdown_inline(p) for p in out]
    return [p for p in out if p], headings, hard_wrapped


def _joined(lines: list[str]) -> str:
    """One paragraph from its lines."""
    text = lines[0]
    for part in lines[1:]:
        # "al-" + "Sudani": a line broken after a hyphen joins without a space.
        glue = "" if text.endswith("-") and text[-2:-1].isalpha() else " "
        text += glue + part
    if "  " in text or "\t" in text or "\u00a0" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


def _markdown_inline(text: str) -> str:
    text = _MD_LINK.sub(lambda m: m.group(1) or "", text)
    if text.count("**") + text.count("__") > 400:
        return text.strip()  # not prose with emphasis: leave it rather than scan it at length
    return _MD_EMPHASIS.sub(r"\2", text).strip()


def subheads(paragraphs: list[str], headings: set[str], wrapped: bool) -> tuple[str, ...]:
    """The paragraphs after the first that are headings: Markdown ones, or short title-like
    lines between prose paragraphs (never in a hard-wrapped text)."""
    return tuple(
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


def _is_subhead(paragraph: str) -> bool:
    if len(paragraph) > 90 or "\n" in paragraph:
        return False
    if paragraph.endswith(("!", "-", "–", "—")) or "..." in paragraph or "…" in paragraph:
        return False
    commas = paragraph.count(",")
    if commas >= 2 or (commas and paragraph.endswith("?")) or OPEN_END.search(paragraph):
        return False  # a list, a reader's question, or a sentence cut by a hard wrap
    n = words(paragraph)
    if not 2 <= n <= 14:
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
    return len(paragraph) >= 60 and SENTENCE_PUNCT.search(paragraph) is not None
