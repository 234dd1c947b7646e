"""The cue-verb table: speech and stance verbs with their behaviour classes, from the lexicons."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from index.extract import lexicons


@dataclass(frozen=True)
class CueTable:
    """Cue words by behaviour: speech cues, stance verbs and their classes."""

    forms: dict[str, str]  # inflected form of a speech cue -> lemma
    broad: dict[str, str]  # inflected form of a stance verb (attributed to named actors only)
    classes: dict[str, frozenset[str]]  # class name -> lemmas
    triggers: frozenset[str]  # every word that may start a cue, for a set intersection
    titles: frozenset[str]  # capitalised forms, for headline-style cues


@cache
def cue_table() -> CueTable:
    """Cue verbs from the shared `cue_verbs` lexicon plus this stage's behaviour classes."""
    forms = dict(lexicons.cue_verbs())
    broad: dict[str, str] = {}
    classes: dict[str, set[str]] = {}
    for row in lexicons.load("attribution_cues"):
        name, rest = row[0], row[1:]
        if name in ("extra", "broad") and rest:
            table = forms if name == "extra" else broad
            for form in rest:
                table.setdefault(form.lower(), rest[0].lower())
            classes.setdefault(name, set()).add(rest[0].lower())
        else:
            classes.setdefault(name, set()).update(w.lower() for w in rest)
    never = classes.get("never", set())
    forms = {f: lemma for f, lemma in forms.items() if lemma not in never}
    broad = {f: lemma for f, lemma in broad.items() if f not in forms}
    nouns = classes.get("noun", set())
    triggers = frozenset(forms) | frozenset(broad) | frozenset(nouns) | {"according", "According"}
    titles = frozenset(w.capitalize() for w in (*forms, *broad))
    return CueTable(forms, broad, {k: frozenset(v) for k, v in classes.items()}, triggers, titles)


@cache
def given_names() -> frozenset[str]:
    return lexicons.words("given_names")
