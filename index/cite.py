"""Citations: a statement or an article as one line a reporter can paste."""

from __future__ import annotations

from datetime import datetime


def date_text(when: datetime | None) -> str | None:
    """`2 Dec 2024` (no leading zero), or None."""
    return f"{when.day} {when.strftime('%b %Y')}" if when else None


def _tail(outlet: str | None, when: datetime | None, title: str) -> list[str]:
    parts = [p for p in (outlet, date_text(when)) if p]
    if title:
        parts.append(f"\u201c{title}\u201d")
    return parts


def cite_statement(
    text: str, speaker: str | None, outlet: str | None, when: datetime | None, title: str
) -> str:
    """`"text" - Speaker, Outlet, 2 Dec 2024, "Title"` (the unknown parts left out)."""
    quoted = "\u201c" + " ".join(text.split()) + "\u201d"
    parts = [p for p in (speaker,) if p] + _tail(outlet, when, title)
    return f"{quoted} - {', '.join(parts)}" if parts else quoted


def cite_article(title: str, outlet: str | None, when: datetime | None) -> str:
    """`"Title", Outlet, 2 Dec 2024`."""
    return ", ".join([f"\u201c{title}\u201d", *(p for p in (outlet, date_text(when)) if p)])
