"""Speaker conventions: a party's nickname, a country speaking and a document's author."""

from __future__ import annotations

import re
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING

from index.extract import lexicons
from index.extract.coref import NOMINAL_WINDOW, Speaker, tag
from index.extract.cue_table import cue_table
from index.extract.grammar import DEFINITE, DETERMINERS, SCAN

if TYPE_CHECKING:
    from index.extract.subjects import SubjectRules

# `the Tories say`, `the Tory party said`: the party under its full name (the BBC set's
# convention, and the name a reader searches for).
_CONSERVATIVES = frozenset(["tories", "tory party"])
CONSERVATIVE_PARTY = "Conservative Party"

# Nouns of documents that speak for their authors (`A report by X called for ...`).
DOCUMENT_NOUNS = frozenset(
    [
        "report",
        "study",
        "survey",
        "review",
        "letter",
        "statement",
        "paper",
        "document",
        "memo",
        "analysis",
        "audit",
        "inquiry",
        "submission",
        "briefing",
        "dossier",
        "suit",
        "lawsuit",
        "complaint",
        "petition",
        "motion",
        "manifesto",
        "assessment",
    ]
)
# Verbs by which a document asks for something or warns: its author's speech. A document
# that says, shows or finds gives evidence (`the report said`), whoever wrote it.
DIRECTIVE_LEMMAS = frozenset(
    [
        "call",
        "urge",
        "recommend",
        "demand",
        "warn",
        "ask",
        "propose",
        "advise",
        "insist",
        "appeal",
        "press",
        "plead",
    ]
)
# `X published a report`, `a report from X`: who wrote the document an article goes on
# calling `the report`.
_AUTHOR_BEFORE = re.compile(
    r"(?:published|released|issued|produced|compiled|commissioned|presented|sent|wrote|"
    r"filed|submitted|unveiled|delivered)\s+(?:a|an|the|its|their|his|her)\s+"
    r"(?:[\w-]+\s+){0,3}?(?P<noun>[a-z]+)\b"
)


_TEXT = itemgetter(2)  # (a token's text)


@cache
def _government_names() -> dict[str, str]:
    """Country name -> how its government is named: `UK government` when the country has
    a two-letter abbreviation (UK, US), else its demonym (`Venezuelan government`)."""
    out: dict[str, str] = {}
    for row in lexicons.load("countries"):
        fields = [*row, "", "", ""][:4]
        others = [o for o in fields[1].split("|") if o]
        demonyms = [d for d in fields[2].split("|") if d]
        short = next((o for o in others if o.isupper() and o.isalpha() and len(o) == 2), None)
        adjective = short or (demonyms[0] if demonyms else row[0])
        out[row[0]] = f"{adjective} government"
    return out


def conventional(speaker: Speaker | None, act: str = "speech") -> Speaker | None:
    """The speaker under the name the conventions give it: `Tories` -> `Conservative Party`
    (rule `party.conservative`); a country speaking -> its government (`Britain said` ->
    `UK government`, rule `country.government`), for acts of speech only: a country that
    backs or believes something stays the country."""
    if speaker is None:
        return None
    if (
        speaker.name.lower().removeprefix("the ") in _CONSERVATIVES
        and speaker.name != CONSERVATIVE_PARTY
    ):
        return Speaker(CONSERVATIVE_PARTY, "organization", "party.conservative")
    if speaker.kind == "country" and act == "speech":
        name = _government_names().get(speaker.name)
        if name is not None:
            return Speaker(name, "organization", "country.government")
    return speaker


def directive(cue: str | None) -> bool:
    """Whether `cue` asks for something or warns (`called for`, `urged`, `recommends`)."""
    if not cue:
        return False
    table = cue_table()
    word = cue.lower().split()[0]
    lemma = table.forms.get(word) or table.broad.get(word) or word
    return lemma in DIRECTIVE_LEMMAS


def author_before(body: str, noun: str, pos: int, floor: int) -> int | None:
    """Where the author's name ends before `... published a <noun>` (the last such
    phrase in body[floor:pos]); None when the text names no author that way."""
    found = None
    for m in _AUTHOR_BEFORE.finditer(body, floor, pos):
        if m.group("noun") == noun:
            found = m.start()
    return found


def document_author(
    rules: SubjectRules, words: list[tuple[int, int, str]], end: int, near_end: bool
) -> Speaker | None:
    """`A report by X`, `a letter from X`: the document speaks for X (rule
    `document.author`); `the report` of a text that said earlier who wrote it (`a
    report by X`, `X published a report`) speaks for that author too (rule
    `document.author-earlier`)."""
    if DOCUMENT_NOUNS.isdisjoint(map(_TEXT, words[:4])):
        return None  # (the test after the loop needs a document noun among the first four)
    k = 0
    n = min(len(words), 3)
    while k < n:  # (a document noun is one of `DOCUMENT_NOUNS`, lower case)
        word = words[k][2]
        low = word.lower()
        if low in DOCUMENT_NOUNS or not (word.islower() or low in DETERMINERS):
            break
        k += 1
    if k >= len(words) or not words[k][2].islower() or words[k][2] not in DOCUMENT_NOUNS:
        return None
    if k + 2 < len(words) and words[k + 1][2] in ("by", "from"):
        found = rules.speaker_for(words[k + 2][0], end, near_end)
        if found is None or (
            found.rule in ("surface", "pronoun")
            and not (found.name[:1].isupper() or found.name.split()[0] in DEFINITE)
        ):
            return None
        return tag(found, "document.author")
    if len(words) != 2 or k != 1 or words[0][2].lower() not in DEFINITE:
        return None
    cue = SCAN.match(rules.body, max(rules.out.cue_pos, 0))
    if cue is None or not directive(cue.group()):
        return None  # `the report said`, `the study found`: the document's findings
    return earlier_author(rules, words[1][2].lower(), words[0][0])


def earlier_author(rules: SubjectRules, noun: str, pos: int) -> Speaker | None:
    """The author of the document the text calls `the <noun>` at `pos`, named earlier."""
    floor = max(0, pos - NOMINAL_WINDOW)
    last = None
    for m in _by_author(noun).finditer(rules.body, floor, pos):
        last = m.end()
    if last is not None:
        named = [x for x in rules.resolver.mentions_in(last, last + 1) if x[0] == last]
        if named and named[0][2].kind in ("person", "organization", "country"):
            return Speaker(named[0][2].name, named[0][2].kind, "document.author-earlier")
    at = author_before(rules.body, noun, pos, floor)
    if at is not None:
        si = rules.resolver.sentence_index(at)
        s_start = rules.sentences[si][0] if rules.sentences else 0
        before = [
            x
            for x in rules.resolver.mentions_in(s_start, at)
            if x[1] <= at and x[2].kind in ("person", "organization", "country")
        ]
        if before:
            actor = before[0][2]
            return Speaker(actor.name, actor.kind, "document.author-earlier")
    return None


@cache
def _by_author(noun: str) -> re.Pattern[str]:
    """`report by (the) `, `letter from `: what stands before a document's author."""
    return re.compile(rf"\b{re.escape(noun)}\s+(?:by|from)\s+(?:the\s+)?")
