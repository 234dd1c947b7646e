"""Cue rules: what a speech verb, stance verb, saying noun or `according to` attributes."""

from __future__ import annotations

import re

from index.extract import priorities as P
from index.extract.content import Collector
from index.extract.coref import Speaker
from index.extract.grammar import (
    BE,
    DETERMINERS,
    NOT_ACTIVE,
    PREPOSITIONS,
    SAY_GAP,
    SCAN,
    SKIP,
    THAT,
    UNSAID,
)
from index.extract.pass_state import PassText, Stage
from index.extract.quotes import word_count
from index.extract.selection import named
from index.extract.subjects import SubjectRules
from index.extract.verb_rules import VerbRules

_NAME_NOUN = re.compile(r"\b(?:a|an|the)\s+[A-Z][\w'’-]*\s+$")


_REFLEXIVES = frozenset(
    [
        "itself",
        "himself",
        "herself",
        "themselves",
        "themself",
        "myself",
        "ourselves",
        "yourself",
        "oneself",
    ]
)


# The last words an `UNSAID` match can end in (before the spaces up to the cue).
_UNSAID_ENDS = (
    "not",
    "never",
    "nor",
    "n't",
    "declined",
    "refused",
    "refuses",
    "declines",
    "declining",
    "refusing",
    "unable",
    "reluctant",
    "would",
    "could",
    "might",
    "should",
    "to",
    "you",
    "ly",
    "yet",
    "ever",
    "even",
    "as",
)


# Their last two letters: one set lookup rules out most leads before the suffix tests.
_UNSAID_ENDS_2 = frozenset(w[-2:] for w in _UNSAID_ENDS)


# What `citing` names when it gives the source of the news rather than a reason.
_SOURCE_WORDS = frozenset(
    [
        "agency",
        "media",
        "sources",
        "source",
        "officials",
        "official",
        "reports",
        "report",
        "television",
        "tv",
        "radio",
        "newspaper",
        "spokesman",
        "spokeswoman",
        "witnesses",
        "statement",
    ]
)


class CueRules(Stage):
    """Turn one cue occurrence into statement candidates."""

    def __init__(self, text: PassText, out: Collector, subjects: SubjectRules) -> None:
        super().__init__(text)
        self.out = out
        self.subjects = subjects
        self.verbs = VerbRules(text, out, subjects)

    def noun(self, word: str, cs: int, ce: int, ss: int, se: int) -> bool:
        """`Trump's claim that ...`, `his warning that ...`: the possessor is the source."""
        body = self.body
        toks = self.tokens(max(ss, cs - 80), cs)
        words = [t for t in toks if t[2][0].isalnum()]
        speaker: Speaker | None = None
        if words and words[-1][2].lower() in ("his", "her", "their", "its"):
            pron = {"his": "he", "her": "she", "their": "they", "its": "it"}[words[-1][2].lower()]
            speaker = self.resolver.resolve_pronoun(pron, words[-1][0])
        else:
            k = len(toks) - 1
            while (
                k >= 0
                and toks[k][2].islower()
                and not toks[k][2].endswith(("'s", "’s"))
                and k > len(toks) - 4
            ):
                k -= 1  # adjectives: "Trump's recent evidence-free assertion"
            if (k >= 0 and toks[k][2] in ("'s", "’s", "'", "’")) or (
                k >= 0 and toks[k][2].endswith(("'s", "’s"))
            ):
                end = toks[k][1]
                poss_end = end - 2 if toks[k][2].endswith(("'s", "’s")) else toks[k][0]
                start, _e, _b, _c = self.subjects.subject_before(ss, toks[k][0])
                start = min(start, toks[k][0])
                if poss_end > start:
                    speaker = self.subjects.speaker_for(start, end, near_end=True)
        if speaker is None:
            return False
        start = body.find("that", ce) + 4
        end = self.out.clause_end(start, se)
        if word_count(body[start:end]) < 3:
            return False
        self.out.add(start, end, word, speaker, P.STANCE, rule="noun-that")
        return True

    def stance(self, word: str, cs: int, ce: int, ss: int, se: int) -> None:
        """`Obama endorsed Clinton`, `Trump called for a ban`: a stance verb whose subject is
        a named actor (or a pronoun resolving to one); the rest of the clause is the content."""
        body = self.body
        if body[ce : ce + 2].strip()[:1] in (",", ".", ";", ":", ")"):
            return  # `where Trump spoke, ...`: the verb's clause ends at once
        if self.unsaid(ss, cs, stance=True):
            return
        if self.noun_before_verb(word, ce, se) or (
            word == self.table.broad.get(word) and _NAME_NOUN.search(body, max(ss, cs - 40), cs)
        ):
            # `a Clinton campaign event`: a base form after `a Name` is a noun
            return  # "the Clinton campaign also called ...": a noun, the verb comes next
        if body[max(ss, cs - 5) : cs].rstrip().endswith("to"):  # (`catenative_start`'s test)
            cs = self.subjects.catenative_start(ss, cs)
        prev = body[max(ss, cs - 12) : cs].split()
        if not prev or body.startswith(" by ", ce):
            return
        if prev[-1].lower() in NOT_ACTIVE and not (word.endswith("ing") and prev[-1] in BE):
            return
        if (
            prev[-1] in ("and", "but")
            or (word.endswith("ing") and prev[-1].endswith(","))
            or (prev[-1].endswith(",") and self.subjects.statement_before(ss, cs))
        ):
            speaker = self.subjects.main_subject(ss, cs)
        else:
            sub_start, sub_end, boundary, bchar = self.subjects.subject_or_antecedent(ss, cs)
            if sub_end <= sub_start and bchar == ",":
                app = self.subjects.apposition_subject(ss, boundary)  # "X, who ..., described"
                if app is None:
                    return
                sub_start, sub_end = app
            if sub_end <= sub_start or not self.subjects.plausible_subject(sub_start, sub_end):
                return
            if (
                word_count(body[sub_start:sub_end]) > 6
                or body[sub_start:sub_end].split()[0].lower() in PREPOSITIONS
            ):
                return  # "With Democratic leaders worried about ...": no subject
            speaker = self.subjects.speaker_for(sub_start, sub_end, near_end=True)
        if not named(speaker):
            return
        start = ce
        that = THAT.match(body, start, se)
        if that:
            start = that.end()
        end = self.out.clause_end(start, se)
        if word_count(body[start:end]) < 1:
            return
        first = body[start:end].split(None, 1)[0].lower()
        if first in ("and", "or", "nor", "-", "--", "—"):
            # `the groups it supports and Russia`, `what it sees as a clear choice`: the
            # object went before the verb, so what follows is no content of it
            return
        if first in _REFLEXIVES and body[start:end].split()[1:2] == ["from"]:
            return  # `HTS has distanced itself from the group`: an act, not content
        if word == "citing" and self.cites_a_source(start, end):
            return  # `..., citing state news agency SANA`: where the news came from
        self.out.add(start, end, word, speaker, P.STANCE, rule="stance")
        self.resolver.remember(cs, speaker)

    def cites_a_source(self, start: int, end: int) -> bool:
        """Whether what `citing` governs is a source (a named body or person, `sources`,
        `state media`), not a reason (`citing a threat to public health`)."""
        words = self.body[start:end].lower().split()
        if any(w.strip(".,'’s") in _SOURCE_WORDS for w in words[:8]):
            return True
        return any(
            a.kind in ("person", "organization") and s < start + 40
            for s, _e, a in self.resolver.mentions_in(start, end)
        )

    def noun_before_verb(self, word: str, ce: int, se: int) -> bool:
        """Whether a present-tense stance word (`campaign`, `support`) is a noun followed
        by the clause's verb: the next word, past adverbs, is a cue or an -ed verb."""
        if word.endswith(("ed", "ing")):
            return False
        prev = self.body[max(0, ce - len(word) - 30) : ce - len(word)].split()
        if not prev or not (prev[-1][:1].isupper() or prev[-1].lower() in DETERMINERS):
            return False
        for m in SCAN.finditer(self.body, ce, min(se, ce + 40)):
            nxt = m.group()
            if nxt in SKIP or nxt.endswith("ly"):
                continue
            return (
                nxt in self.table.forms
                or nxt in self.table.broad
                or (nxt.islower() and nxt.endswith("ed"))
            )
        return False

    def according_to(self, cs: int, ce: int, ss: int, se: int) -> None:
        body = self.body
        comma = body.find(",", ce, se)
        src_end = comma if comma > 0 else se
        while src_end > ce and body[src_end - 1] in '.;: "”':
            src_end -= 1
        speaker = self.subjects.speaker_for(ce, src_end, near_end=False)
        before = body[ss:cs].rstrip()
        cue = "according to"
        after_words = word_count(body[comma + 1 : se]) if comma > 0 else 0
        if word_count(before) >= 2 and before.endswith(",") and after_words >= 3:
            # "At the heart of it, according to X, was a decision ...": the whole sentence
            self.out.add(
                ss,
                self.out.clause_end(comma + 1, se),
                cue,
                speaker,
                P.SOURCE_PHRASE,
                rule="according-to.interposed",
            )
        elif word_count(before) >= 3:
            self.out.add(
                ss,
                len(before.rstrip(",")) + ss,
                cue,
                speaker,
                P.SOURCE_PHRASE,
                rule="according-to.after",
            )
        elif word_count(before) == 0 and comma > 0:
            self.out.add(
                comma + 1,
                self.out.clause_end(comma + 1, se),
                cue,
                speaker,
                P.SOURCE_PHRASE,
                rule="according-to.before",
            )
        self.resolver.remember(cs, speaker)

    def unsaid(self, ss: int, cs: int, stance: bool = False) -> bool:
        """`won't say`, `declined to say`, `fair to say`, `you say`, `who they say they
        are`: no statement (for a stance verb, only the negated and refused ones)."""
        lead = self.body[max(ss, cs - 40) : cs].rstrip()
        # (an UNSAID match ends in one of these words, then spaces up to the cue: most cues
        # are ruled out by their last word without the regex search)
        m = (
            UNSAID.search(self.body, max(ss, cs - 40), cs)
            if lead[-2:] in _UNSAID_ENDS_2 and lead.endswith(_UNSAID_ENDS)
            else None
        )
        if m is not None and not (
            stance
            and m.group()
            .strip()
            .lower()
            .startswith(
                (
                    "you",
                    "fair",
                    "safe",
                    "hard",
                    "difficult",
                    "easy",
                    "true",
                    "is ",
                    "was ",
                    "would",
                    "could",
                    "might",
                    "should",
                )
            )
        ):
            return True
        return (
            not stance
            and self.body.startswith("say", cs)
            and SAY_GAP.search(self.body, max(ss, cs - 30), cs) is not None
        )

    def verb(self, word: str, cs: int, ce: int, ss: int, se: int) -> None:
        """A speech verb: no statement when negated or refused (`won't say`), else the
        postposed or preposed reading (`index.extract.verb_rules`)."""
        if not self.unsaid(ss, cs):
            self.verbs.verb(word, cs, ce, ss, se)
