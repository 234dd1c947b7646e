"""Speaker resolution: actor mentions, pronouns and nominal mentions ("the ministry")."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from index.extract import lexicons
from index.extract.frozen import build
from index.extract.gender import actor_gender, pronoun_gender
from index.records import Actor

PERSON_PRONOUNS = frozenset(("he", "she"))
THING_PRONOUNS = frozenset(("it",))
PLURAL_PRONOUNS = frozenset(("they",))
PRONOUNS = PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS
# Pronouns that never name a speaker we could resolve within the article's narration.
OPAQUE_PRONOUNS = frozenset(("i", "we", "you", "one", "who", "which", "that", "this"))

# How far back (characters) an antecedent may be.
PRONOUN_WINDOW = 1500
NOMINAL_WINDOW = 4000
SENTENCES_BACK = 6

_WORD = re.compile(r"[A-Za-z][\w'’\-]*")
# A sentence whose subject is a pronoun (after a linking word): `So he is ...`.
_LEAD_PRONOUN = re.compile(
    r"\s*(?:(?:So|But|And|Yet|Now|Then|Still),?\s+)?(He|She|They|It)\b", re.I
)
# The kinds of antecedent each pronoun may take.
_WANTED = {
    **dict.fromkeys(PERSON_PRONOUNS, frozenset(("person",))),
    **dict.fromkeys(THING_PRONOUNS, frozenset(("organization", "country"))),
    **dict.fromkeys(PLURAL_PRONOUNS, frozenset(("organization", "country", "unknown"))),
}
_KIND_RANK = {"person": 0, "organization": 1, "country": 2, "place": 3}


@cache
def _person_heads() -> frozenset[str]:
    words = {w.lower() for w in lexicons.words("role_nouns")}
    # (the capitalised words of a title: `Secretary of State` gives no head `of`)
    words |= {w.lower() for row in lexicons.load("titles") for w in row if w[:1].isupper()}
    return frozenset(words)


@cache
def _org_heads() -> frozenset[str]:
    words = {w.lower() for w in lexicons.words("org_heads")}
    words |= {
        "government",
        "campaign",
        "military",
        "agency",
        "monitor",
        "ministry",
        "group",
        "regime",
        "administration",
        "office",
        "company",
        "firm",
        "newspaper",
        "paper",
        "network",
        "channel",
        "broadcaster",
        "organization",
        "organisation",
        "militia",
        "faction",
        "coalition",
        "alliance",
        "party",
        "committee",
        "council",
    }
    return frozenset(words)


@lru_cache(maxsize=16384)  # (asked of the same few hundred words all the time)
def nominal_kind(head: str) -> str | None:
    """'person' or 'organization' when `head` can name an actor anaphorically ("the rebel")."""
    word = head.lower()
    if word in _org_heads():
        return "organization"
    if word in _person_heads():
        return "person"
    if word.endswith("s") and word[:-1] in _person_heads():
        return "people"
    return None


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker: the canonical name and its kind (None when not an actor)."""

    name: str
    kind: str | None
    rule: str = field(default="", compare=False)  # which rule chose it (`--explain`)


def tag(speaker: Speaker | None, rule: str) -> Speaker | None:
    """`speaker` marked as chosen by `rule`."""
    if speaker is None:
        return None
    return build(Speaker, name=speaker.name, kind=speaker.kind, rule=rule)


class Resolver:
    """Maps spans of one body to actors; remembers speakers for later pronouns."""

    def __init__(
        self,
        body: str,
        actors: Sequence[Actor],
        sentences: Sequence[tuple[int, int]],
        quoted: Sequence[tuple[int, int]],
    ) -> None:
        self.body = body
        mentions = sorted(
            [(s, e, a) for a in actors for s, e in a.mentions if 0 <= s < e <= len(body)]
        )
        self.mentions = mentions
        self.m_starts = [m[0] for m in mentions]
        self.sentences = sentences
        self.s_starts = [s for s, _ in sentences]
        self.quoted = quoted
        self.q_starts = [s for s, _ in quoted]
        # (position of the cue, speaker) of every attributed statement so far, in order.
        self.said: list[tuple[int, Speaker]] = []
        self._context: dict[int, str] = {}
        # grammatical gender of each person, for `he`/`she` agreement (read when asked)
        self._persons = {a.name: a for a in actors if a.kind == "person"}
        self._genders: dict[str, str | None] = {}

    # -- lookups ---------------------------------------------------------------
    def in_quote(self, pos: int) -> bool:
        i = bisect_right(self.q_starts, pos) - 1
        return i >= 0 and self.quoted[i][0] <= pos < self.quoted[i][1]

    def sentence_index(self, pos: int) -> int:
        return max(0, bisect_right(self.s_starts, pos) - 1)

    def mentions_in(self, start: int, end: int) -> list[tuple[int, int, Actor]]:
        """Mentions overlapping [start, end), in order."""
        starts = self.m_starts
        lo = bisect_left(starts, start - 80)
        hi = bisect_left(starts, end, lo)
        if lo == hi:
            return []  # (no comprehension for an empty range)
        return [m for m in self.mentions[lo:hi] if m[1] > start]

    def remember(self, pos: int, speaker: Speaker | None) -> None:
        if speaker is not None:
            self.said.append((pos, speaker))

    # -- spans -----------------------------------------------------------------
    def actor_in_span(self, start: int, end: int, near_end: bool = True) -> Actor | None:
        """The best actor named in [start, end): persons before organisations, then the
        mention nearest the cue (the span's end for `X said`, its start for `said X`)."""
        found = self.mentions_in(start, end)
        if not found:
            return None

        def rank(m: tuple[int, int, Actor]) -> tuple[int, int]:
            distance = end - m[1] if near_end else m[0] - start
            return (_KIND_RANK.get(m[2].kind, 4), distance)

        return min(found, key=rank)[2]

    # -- pronouns ----------------------------------------------------------------
    def _compatible(self, kind: str | None, want: frozenset[str]) -> bool:
        return kind in want or (kind is None and "unknown" in want)

    def resolve_pronoun(self, word: str, pos: int) -> Speaker | None:
        """The nearest compatible antecedent of a `he/she/it/they` at `pos`: walking back
        sentence by sentence, a statement's speaker first, else the sentence's first
        compatible mention outside quotes."""
        w = word.lower()
        want = _WANTED.get(w)
        if want is None:
            return None
        gender = pronoun_gender(w)
        si = self.sentence_index(pos)
        floor = pos - PRONOUN_WINDOW
        first = max(0, si - SENTENCES_BACK + 1)
        # (the statements of the sentences read below, newest first: the list once, not
        # once per sentence)
        low = self.sentences[first][0] if self.sentences else 0
        said = [p_s for p_s in reversed(self.said) if low <= p_s[0] < pos]
        for k in range(si, max(-1, si - SENTENCES_BACK), -1):
            s_start, s_end = self.sentences[k]
            if s_end < floor:
                break
            limit = min(s_end, pos)
            for cue_pos, speaker in said:
                if (
                    s_start <= cue_pos < limit
                    and self._compatible(speaker.kind, want)
                    and self.agrees(speaker.name, gender)
                ):
                    return speaker
            lead = _LEAD_PRONOUN.match(self.body, s_start, s_end) if k < si else None
            if lead is not None and lead.group(1).lower() == w:
                continue  # `So he is full of praise for X.`: the same `he`, not X, carries on
            for s, _e, actor in self.mentions_in(s_start, limit):
                if s >= limit or self.in_quote(s):
                    continue
                if actor.kind in want and self.agrees(actor.name, gender):
                    return Speaker(actor.name, actor.kind)
        return None

    def agrees(self, name: str, gender: str | None) -> bool:
        """Whether `he`/`she` can refer to `name`: its known gender (given name,
        honorific, `spokeswoman`) is not the other one."""
        if gender is None:
            return True
        if name not in self._genders:
            actor = self._persons.get(name)
            self._genders[name] = actor_gender(actor, self.body) if actor is not None else None
        known = self._genders[name]
        if known is None:
            last = name.split()[-1].lower() if name.split() else ""
            if last.endswith("woman") or last in ("woman", "mother", "wife", "daughter", "actress"):
                known = "f"
            elif last.endswith("man") and not last.endswith("woman"):
                known = "m"
        return known is None or known == gender

    def salient_person(self, pos: int) -> Speaker | None:
        """The person the text is about at `pos`: the last person who spoke in the last
        few sentences, else the last person named outside quotes there."""
        si = self.sentence_index(pos)
        floor = self.sentences[max(0, si - SENTENCES_BACK)][0] if self.sentences else 0
        for cue_pos, speaker in reversed(self.said):
            if floor <= cue_pos < pos and speaker.kind == "person":
                return speaker
        for s, _e, actor in reversed(self.mentions_in(floor, pos)):
            if s < pos and actor.kind == "person" and not self.in_quote(s):
                return Speaker(actor.name, actor.kind)
        return None

    # -- nominal mentions ---------------------------------------------------------
    def mention_context(self, start: int, end: int) -> str:
        """Lower-cased words around one mention: the title before it, an apposition after."""
        key = start
        cached = self._context.get(key)
        if cached is not None:
            return cached
        body = self.body
        si = self.sentence_index(start)
        s_start = self.sentences[si][0] if self.sentences else 0
        before = body[max(s_start, start - 60) : start]
        after = body[end : end + 80]
        if after.startswith(","):
            after = after[1:].split(",", 1)[0]
        else:
            after = ""
        text = f"{before} {after}".lower()
        self._context[key] = text
        return text

    def resolve_nominal(
        self, head: str, modifiers: Sequence[str], pos: int, fallback: bool = True
    ) -> Speaker | None:
        """`the ministry`, `the Syrian president`: the nearest earlier actor whose name or
        surrounding title/apposition holds the head noun (and the modifiers, if possible)."""
        kind = nominal_kind(head)
        if kind is None or kind == "people":
            return None
        head_l = head.lower()
        mods = [m.lower() for m in modifiers]
        lo = bisect_left(self.m_starts, pos - NOMINAL_WINDOW)
        hi = bisect_left(self.m_starts, pos)
        best: tuple[int, Actor] | None = None
        for i in range(hi - 1, lo - 1, -1):
            s, e, actor = self.mentions[i]
            if self.in_quote(s):
                continue
            if kind == "person" and actor.kind != "person":
                continue
            if kind == "organization" and actor.kind not in ("organization",):
                continue
            name_words = {w.lower() for w in _WORD.findall(actor.name)}
            context = self.mention_context(s, e)
            ctx_words = set(_WORD.findall(context)) | name_words
            if head_l not in ctx_words and head_l.rstrip("s") not in ctx_words:
                continue
            score = sum(1 for m in mods if m in ctx_words or m[:5] in context)
            if score == len(mods):
                return Speaker(actor.name, actor.kind)
            if best is None or score > best[0]:
                best = (score, actor)
        if best is not None:
            return Speaker(best[1].name, best[1].kind)
        if not fallback:
            return None
        # No title or name matches: a previous speaker of the right kind in the last
        # two sentences is the entity the text is still talking about.
        si = self.sentence_index(pos)
        floor = self.sentences[max(0, si - 2)][0] if self.sentences else 0
        for cue_pos, speaker in reversed(self.said):
            if cue_pos < floor:
                break
            if cue_pos < pos and speaker.kind == kind:
                return speaker
        return None
