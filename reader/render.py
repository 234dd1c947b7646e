"""Plain text for the terminal: article summaries for `newsroom show` (inert), estimated counts."""

from __future__ import annotations

from index.records import Article
from index.textsafe import one_line, visible

_LEAD_CHARS = 400
_ACTORS_SHOWN = 8
_STATEMENTS_SHOWN = 3


def published_label(article: Article) -> str:
    """`2024-12-01 (year inferred)`, `2024-11-28 15:09`, or `no date`."""
    when = article.published
    if when is None:
        return "no date"
    text = (
        when.strftime("%Y-%m-%d")
        if (when.hour, when.minute) == (0, 0)
        else when.strftime("%Y-%m-%d %H:%M")
    )
    return f"{text} (year inferred)" if article.published_inferred else text


def article_summary(article: Article) -> str:
    """A readable multi-line summary: headline, metadata, lead, subheads, actors, statements."""
    title = one_line(article.title, 200) or "(untitled)"
    lines = [title, "=" * min(len(title), 80)]
    meta = [published_label(article)]
    if article.source:
        meta.append(f"source: {one_line(article.source, 80)}")
    if article.byline:
        meta.append(f"by {one_line(article.byline, 80)}")
    if article.dateline:
        meta.append(f"dateline: {one_line(article.dateline, 60)}")
    lines.append(" · ".join(meta))
    lines.append(f"file: {one_line(article.path, 300)}")
    paragraphs = article.body.split("\n\n") if article.body else []
    words = len(article.body.split())
    lines.append(f"{words} words, {len(paragraphs)} paragraphs")
    if paragraphs:
        lines.append("")
        lines.append(one_line(paragraphs[0], _LEAD_CHARS))
    if article.subheads:
        lines.append("")
        lines.append("Subheads:")
        lines.extend(f"  - {one_line(s, 100)}" for s in article.subheads)
    if article.actors:
        lines.append("")
        shown = ", ".join(
            f"{one_line(a.name, 60)} ({a.kind}, {len(a.mentions)})"
            for a in sorted(article.actors, key=lambda a: -len(a.mentions))[:_ACTORS_SHOWN]
        )
        more = len(article.actors) - _ACTORS_SHOWN
        lines.append(f"Actors: {shown}" + (f", and {more} more" if more > 0 else ""))
    if article.statements:
        lines.append("")
        lines.append(f"Statements ({len(article.statements)}):")
        for statement in article.statements[:_STATEMENTS_SHOWN]:
            speaker = one_line(statement.speaker, 60) if statement.speaker else "unknown"
            lines.append(f"  - {speaker}: {one_line(statement.text, 160)}")
    lines.append("")
    return visible("\n".join(lines))


def about(total: int) -> int:
    """An estimated count to two significant figures (2,068 -> 2,100): no false precision."""
    if total < 100:
        return total
    step: int = 10 ** (len(str(total)) - 2)
    return (total + step // 2) // step * step
