"""The body's lines: furniture, widgets and trailing metadata dropped, what they say kept."""

from __future__ import annotations

from index.parse import boilerplate as bp
from index.parse.dates import date_line, looks_like_date
from index.parse.header import Collector
from index.parse.lines import ELLIPSIS_END, SENTENCE_PUNCT, unemphasise


def _teaser_line(line: str) -> bool:
    """A line of a teaser block: a short headline or a snippet cut with an ellipsis."""
    return (len(line) <= 120 and not SENTENCE_PUNCT.search(line)) or bool(ELLIPSIS_END.search(line))


def _continues(previous: str) -> bool:
    """True when `previous` breaks off mid-sentence, so the next line carries on its text."""
    previous = previous.rstrip()
    return bool(previous) and SENTENCE_PUNCT.search(previous) is None


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
        if tail <= 60 or not SENTENCE_PUNCT.search(block_end) or ELLIPSIS_END.search(block_end):
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


def body_lines(lines: list[str], info: Collector) -> list[str | None]:
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
            # prose, or the rest of a hard-wrapped sentence ("...declined to\ncomment.")
            kept.append(raw)
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
        plain = unemphasise(bp.strip_bullet(line))
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
        _furniture(raw, line, plain, kept, info, j in tail_zone, j == last)
        j += 1
    return kept


def _furniture(
    raw: str,
    line: str,
    plain: str,
    kept: list[str | None],
    info: Collector,
    in_tail: bool,
    is_last: bool,
) -> None:
    """Keep `raw` (a line that may be furniture) in `kept`, end the paragraph there, or
    drop it, noting what it says in `info`. `plain`: the line without bullet or emphasis;
    `in_tail`: among the last three lines; `is_last`: the last line."""
    holder = bp.copyright_holder(plain)
    if holder:
        info.source("copyright", holder)
        return
    if bp.is_ui(plain) or bp.is_inline_teaser(plain):
        return
    if bp.is_rule(line):
        kept.append(None)  # a drawn section break ends the paragraph
        return
    if in_tail and bp.is_contributed(plain):
        return
    source = bp.source_line(plain)
    if source:
        info.source("source_line", source)
        return
    if in_tail:
        credit = bp.credit_line(plain)
        if credit:
            if any(word[:1].isupper() for word in credit.split()):
                info.source("credit", credit)
            return
    reporters = bp.reporting_line(plain)
    if reporters is not None:
        if reporters and not info.byline:
            info.byline = reporters
        return
    if not any(k is not None for k in kept):
        by = bp.byline(plain)
        if by is not None:
            info.byline = info.byline or by[0]
            info.source("byline", by[1])
            return
    if is_last:
        agency = bp.sign_off(plain)
        if agency is not None:
            info.source("sign_off", agency)
            return
    found = date_line(plain)
    if found is not None:
        info.meta_dates.append(found)
        return
    if looks_like_date(plain):
        return
    kept.append(raw)


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
        if ELLIPSIS_END.search(line):
            break
    return j
