"""The act an attribution reports: speech, thought, evidence or stance (lexicon `acts`)."""

from __future__ import annotations

from functools import cache, lru_cache

from index.extract import lexicons
from index.extract.cue_table import cue_table

SPEECH, THOUGHT, EVIDENCE, STANCE = "speech", "thought", "evidence", "stance"


@cache
def _classes() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for row in lexicons.load("acts"):
        out.setdefault(row[0], set()).update(w.lower() for w in row[1:])
    return {k: frozenset(v) for k, v in out.items()}


def evidence_source(name: str | None, kind: str | None) -> bool:
    """`a new report`, `figures released on Tuesday`, `the survey`: a document or data."""
    if not name or kind == "person":
        return False
    nouns = _classes()["evidence-noun"]
    words = [w.strip(".,'’") for w in name.split()[:4]]
    # Inside a proper name a capitalised noun names a body (`the Mobile Data Association`,
    # `the Research Council` speak); a common noun, the head of the name (`Continental
    # Research`, a polling firm) or the first word of a phrase that goes on in lower case
    # (`Figures released ...`) is a document or data.
    return any(
        w.lower() in nouns and (w.islower() or i == len(words) - 1 or words[i + 1].islower())
        for i, w in enumerate(words)
    )


@lru_cache(maxsize=16384)  # (pure, of four short strings that recur: `said`, `direct`, a name)
def act_of(cue: str | None, kind: str, speaker: str | None, speaker_kind: str | None) -> str:
    """The act of one statement from its cue word, its kind and its speaker.

    A quotation with no cue of its own (a continued passage, a colon, a quote standing
    alone) is speech; so is `according to` a person or organisation."""
    classes = _classes()
    if cue is None or cue.startswith(("—", "―", "-", ":")):
        return SPEECH
    if evidence_source(speaker, speaker_kind):
        return EVIDENCE
    word = cue.lower()
    if word == "according to":
        return SPEECH
    table = cue_table()
    if word in table.classes.get("noun", ()):
        return THOUGHT if word in classes["thought-noun"] else SPEECH
    lemma = table.forms.get(word) or table.broad.get(word) or word
    if lemma in classes["evidence-verb"]:
        return EVIDENCE
    if lemma in classes["thought"]:
        return THOUGHT
    if word in table.forms or lemma in classes["speech"]:
        return SPEECH
    if lemma in classes["labelling"] and kind == "direct":
        return SPEECH
    if kind == "direct" and word not in table.broad:
        return SPEECH  # `"This is fantastic!" beamed Don Hart`, `singing "..."`: an unlisted verb
    return STANCE
