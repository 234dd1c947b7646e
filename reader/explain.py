"""`newsroom show --explain`: which extractor rule made each statement and chose its speaker."""

from __future__ import annotations

from index.records import Article
from index.textsafe import one_line

_WIDTH = 70


def explain_lines(article: Article) -> list[str]:
    """One block per statement: kind, act, cue and speaker, the rule that made it and the
    rule that chose the speaker, and the start of its text."""
    lines = [f"{article.id}: {len(article.statements)} statements"]
    for s in article.statements:
        text = one_line(s.text)
        if len(text) > _WIDTH:
            text = text[: _WIDTH - 1] + "…"
        cue = s.cue if s.cue is not None else "-"
        lines.append(
            f"  [{s.start}:{s.end}] {s.kind} {s.act} u{s.utterance} "
            f"cue={cue!r} speaker={s.speaker!r}"
        )
        lines.append(
            f"      statement rule: {s.rule or '?'}; "
            f"speaker rule: {s.speaker_rule or ('none' if s.speaker is None else '?')}"
        )
        lines.append(f"      {text}")
    return lines
