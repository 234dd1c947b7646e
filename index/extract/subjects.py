"""Subject finding: the phrase before or after a cue, and the speaker it names."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from index.extract.content import Collector
from index.extract.conventions import document_author
from index.extract.coref import (
    OPAQUE_PRONOUNS,
    PRONOUNS,
    Speaker,
    _person_heads,
    nominal_kind,
    tag,
)
from index.extract.cue_table import given_names
from index.extract.descriptions import owned_description
from index.extract.frozen import build
from index.extract.gender import is_given_name as _is_given_name
from index.extract.grammar import (
    AUX,
    CATENATIVE,
    CLAUSE,
    DEFINITE,
    DETERMINERS,
    ED_ADJECTIVES,
    INTRO,
    LEADER,
    LEADER_FIRST,
    LEADERS,
    LY_NOUNS,
    NAME_PARTICLES,
    NOT_NAMES,
    NOUNISH,
    SKIP,
    SUBJECT_PRONOUNS,
    TIME_MODIFIERS,
    TIME_NOUNS,
    WEEKDAYS,
)
from index.extract.pass_state import PassText, Stage
from index.extract.sentences import ABBREVIATIONS
from index.extract.subject_words import HEAD_ENDS as _HEAD_ENDS
from index.extract.subject_words import MAKERS as _MAKERS
from index.extract.subject_words import PARTY_WORDS as _PARTY_WORDS
from index.extract.subject_words import PERSON_DESCRIPTION as _PERSON_DESCRIPTION
from index.extract.subject_words import PRONOUNS_AUX as _PRONOUNS_AUX
from index.extract.subject_words import ROLE_TITLES as _ROLE_TITLES
from index.extract.subject_words import SOURCE_NOUNS as _SOURCE_NOUNS
from index.extract.subject_words import STEPPED as _STEPPED
from index.extract.subject_words import STOPS as _STOPS
from index.extract.subject_words import WALLS as _WALLS
from index.records import Actor


@lru_cache(maxsize=8192)
def is_given_name(word: str) -> bool:
    """A given name (helper F's lists), cached: subjects ask about the same words often."""
    return _is_given_name(word)


class SubjectRules(Stage):
    """Find a cue's subject phrase and resolve it to a speaker (reading the candidates
    collected so far for the subject of a main clause)."""

    def __init__(self, text: PassText, out: Collector) -> None:
        super().__init__(text)
        self.out = out
        self._word_memo: dict[tuple[int, int], list[tuple[int, int, str]]] = {}

    def _words(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The tokens of body[start:end] opening with a letter or digit (kept: `plausible_subject`
        and `speaker_for` read most spans, and neither changes the list)."""
        key = (start, end)
        words = self._word_memo.get(key)
        if words is None:
            words = [t for t in self.tokens(start, end) if t[2][0].isalnum()]
            self._word_memo[key] = words
        return words

    # -- speakers ------------------------------------------------------------------
    def speaker_for(self, start: int, end: int, near_end: bool) -> Speaker | None:
        """Resolve the subject phrase body[start:end] to a speaker."""
        phrase = self.body[start:end]
        if "-" in phrase or "–" in phrase or "—" in phrase:  # (every dash below holds one)
            for dash in (" - ", " – ", " — ", " -- "):
                cut = self.body.find(dash, start, end)
                if cut > start:
                    end = cut  # `Florian Hamm - the club's largest investor - said`: an aside
        words = self._words(start, end)
        while words and words[0][2].lower() in LEADERS:
            words = words[1:]
        if not words:
            return None
        start = words[0][0]
        first = words[0][2].lower()
        author = document_author(self, words, end, near_end)
        if author is not None:
            return author
        if len(words) == 1 and first in PRONOUNS:
            return tag(self.resolver.resolve_pronoun(first, words[0][0]), "pronoun")
        if first in ("its", "their") and len(words) == 2 and (
                nominal_kind(words[1][2]) in ("person", "people")
                or words[1][2].lower() in _MAKERS):
            # `its developers say`, `their spokesman said`: the body the pronoun refers to
            owner = self.resolver.resolve_pronoun("it" if first == "its" else "they", start)
            if owner is not None and owner.kind in ("organization", "country"):
                return tag(owner, "possessive-owner")
        if first in OPAQUE_PRONOUNS and len(words) == 1:
            return None
        # The head noun: the last word, or the word before "of/for" ("envoy for Syria").
        head_i = len(words) - 1
        for i, t in enumerate(words[1:], 1):
            if t[2] in _HEAD_ENDS:
                head_i = i - 1
                break
        head = words[head_i]
        mentions = self.resolver.mentions_in(start, end)
        if len(mentions) == 1 and mentions[0][0] <= head[0] < mentions[0][1]:
            actor = mentions[0][2]  # (one name: no joint speakers, the best actor is it)
            return build(Speaker, name=actor.name, kind=actor.kind, rule="name")
        joint = self.joint_speakers(start, end, mentions) if len(mentions) > 1 else None
        if joint is not None:
            return tag(joint, "joint")
        in_mention = next((m for m in mentions if m[0] <= head[0] < m[1]), None)
        if in_mention is not None:
            best = self.resolver.actor_in_span(start, end, near_end)
            actor = best if best is not None and best.kind == "person" else in_mention[2]
            return build(Speaker, name=actor.name, kind=actor.kind, rule="name")
        kind = nominal_kind(head[2])
        if kind is None and first in DEFINITE and _PERSON_DESCRIPTION.fullmatch(head[2]):
            # `the 67-year-old`, `the American`, `the Kiwi`: the person the text is about
            found = self.resolver.salient_person(start)
            if found is not None:
                return tag(found, "description.salient-person")
        if kind in ("person", "organization") and first in DEFINITE:
            mods = [t[2] for t in words[:head_i] if t[2][0].isupper() and t[2].lower()
                    not in DETERMINERS]
            bare = head_i <= 1 or (head_i == 2 and words[1][2].islower())
            found = self.resolver.resolve_nominal(head[2], mods, start, fallback=bare)
            if found is None and kind == "person" and first == "the":
                # `the committee chairman`, `the former minister`: no title matches, so
                # the person the passage is about
                found = self.resolver.salient_person(start)
            if found is not None:
                return tag(found, "description.antecedent")
            # no antecedent: the description itself ("the sentencing judge"), not a guess
        elif mentions and kind not in ("people", "person", "organization"):
            name = self.trailing_name(words, mentions)
            if name is not None:
                # `Blackburn boss Mark Hughes`: the person, not the club
                return tag(name, "role-then-name")
            in_span = self.resolver.actor_in_span(start, end, near_end)
            if in_span is not None:
                return build(Speaker, name=in_span.name, kind=in_span.kind, rule="name-in-phrase")
        owned = owned_description(self.body, self.resolver, words, mentions)
        if owned is not None:
            return owned
        return self.surface(words, "surface")

    def joint_speakers(
        self, start: int, end: int, mentions: list[tuple[int, int, Actor]]
    ) -> Speaker | None:
        """`Gary Lightbody and Jonny Quinn said`: persons joined by commas and `and`, and
        nothing else, speak together; the speaker names them all (two mentions at least)."""
        people = [m for m in mentions if start <= m[0] and m[1] <= end and m[2].kind == "person"]
        if len(people) < 2:
            return None
        pieces = [self.body[start : people[0][0]]] + [
            self.body[a[1] : b[0]] for a, b in pairwise(people)] + [self.body[people[-1][1] : end]]
        def roles(text: str) -> bool:  # role words only: `singer`, `and drummer`
            return all(w.islower() or w == "," for w in text.replace(",", " , ").split())

        if pieces[-1].strip() or not roles(pieces[0]) or not all(map(roles, pieces[1:-1])):
            return None
        if "and" not in pieces[-2].split() or any(
                "and" not in p.split() and "," not in p for p in pieces[1:-1]):
            return None
        names = [m[2].name for m in people]
        return Speaker(", ".join(names[:-1]) + " and " + names[-1], None)

    def trailing_name(
        self, words: list[tuple[int, int, str]], mentions: Sequence[tuple[int, int, object]]
    ) -> Speaker | None:
        """A personal name ending the phrase after a role (`Blackburn boss Mark Hughes`,
        `Fiat chief executive Sergio Marchionne`) that no actor covers: a given name and
        a surname, both capitalised, after a lower-case role word."""
        k = len(words)
        while k > 0 and words[k - 1][2][:1].isupper():
            k -= 1
        tail = words[k:]
        if not (2 <= len(tail) <= 3) or k == 0 or not words[k - 1][2].islower():
            return None
        if tail[0][2] not in given_names() or any(m[0] < tail[-1][1] and m[1] > tail[0][0]
                                                 for m in mentions):
            return None
        return Speaker(self.body[tail[0][0] : tail[-1][1]], "person")

    def surface(self, words: list[tuple[int, int, str]], rule: str = "") -> Speaker | None:
        """The source's own words, for a named or descriptive source not in the actor list;
        an unnamed person or body keeps its article (`a BBC spokeswoman`, `the ministry`);
        `rule` names the rule that read them (`tag`'s, without a second record)."""
        article = words[0][2].lower() if words and words[0][2].lower() in ("a", "an", "the") else ""
        while words and words[0][2].lower() in DETERMINERS:
            words = words[1:]
        if not words or len(words) > 12:
            return None
        k = 0
        while k < len(words) - 2 and words[k][2] not in ("of", "for") and (
                words[k][2].islower() or words[k][2].lower() in _ROLE_TITLES
                or nominal_kind(words[k][2]) == "person"):
            k += 1
        if k > 0 and is_given_name(words[k][2]) and words[k + 1][2][:1].isupper():
            # `fund manager Florian Hamm`, `Founder Stelios Haji-Ioannou`: the name
            words = words[k:]
            article = ""
        first = words[0][2].lower()
        if first in PRONOUNS or (len(words) == 1 and first in OPAQUE_PRONOUNS):
            return None
        if first in NOT_NAMES:
            return None
        text = self.body[words[0][0] : words[-1][1]]
        if "-" in text or "–" in text or "—" in text:  # (every dash below holds one)
            for dash in (" - ", " -- ", " – ", " — "):
                text = text.split(dash, 1)[0]  # `Florian Hamm - Borussia's ...`: an aside
        if text.endswith(("'s", "’s")):
            text = text[:-2]
        # a kind lets later pronouns find this source: "a Carrier executive" ... "he";
        # the head is the word before "of/for" (`a spokesman for the Oxford University Press`)
        head = next((words[i - 1][2] for i in range(1, len(words))
                     if words[i][2] in ("of", "for", "at", "from", "with")), words[-1][2])
        kind = nominal_kind(head)
        if kind not in ("person", "organization"):
            kind = "person" if words[0][2] in given_names() and len(words) > 1 else None
        if kind not in ("person", "organization"):
            article = ""
        return build(Speaker, name=" ".join(f"{article} {text}".split()), kind=kind, rule=rule)

    # -- subject spans ---------------------------------------------------------------
    def subject_before(self, s_start: int, cue_start: int) -> tuple[int, int, int, str]:
        """(subject start, subject end, boundary position, boundary char) walking back from
        the cue; boundary char is '' at the sentence start or a clause word."""
        start, end, bpos, bchar = self._subject_span(s_start, cue_start)
        # "..., and Mark Dayton says": the conjunction is not part of the subject
        while start < end:
            if self.body[start].isascii() and self.body[start] not in LEADER_FIRST:
                break  # (no `LEADER` starts with this letter: no regex call)
            m = LEADER.match(self.body, start, end)
            if m is None:
                break
            start = m.end()
        return start, end, bpos, bchar

    def _subject_span(self, s_start: int, cue_start: int) -> tuple[int, int, int, str]:
        toks = self.tokens(max(s_start, cue_start - 120), cue_start)
        i = len(toks) - 1
        # step over adverbs and auxiliaries between subject and cue
        while i >= 0:
            low = toks[i][2].lower()
            if low not in _STEPPED and not low.endswith("ly"):
                break  # (most subjects end right before the cue: one test for every branch)
            if low in TIME_NOUNS and i > 0 and toks[i - 1][2].lower() in TIME_MODIFIERS:
                i -= 2
            elif low in SKIP or low in WEEKDAYS or (low == "on" and i + 1 < len(toks) and toks[i + 1][2].lower() in WEEKDAYS):
                i -= 1
            elif low.endswith("ly") and len(low) > 4 and toks[i][2].islower() \
                    and low not in LY_NOUNS and i > 0:
                i -= 1  # "he infamously referred to", "Sanders repeatedly said"
            elif low == ")" and i > 0:
                # "Paul D. Ryan (R-Wis.) said": a short parenthesis after the subject
                k = i - 1
                while k >= 0 and i - k <= 8 and toks[k][2] not in "()":
                    k -= 1
                if k <= 0 or toks[k][2] != "(":
                    break
                i = k - 1
            else:
                break
        end = toks[i][1] if i >= 0 else cue_start
        if i > 0 and toks[i][2].lower() in SUBJECT_PRONOUNS and toks[i - 1][2][0].isalnum() \
                and toks[i - 1][2].lower() not in CLAUSE and toks[i - 1][2].lower() not in LEADERS:
            # "in an interview with RT he blasted": a pronoun is the whole subject
            return toks[i][0], end, toks[i - 1][0], "pronoun"
        for j in range(i, -1, -1):
            tok = toks[j][2]
            low = tok.lower()  # (a mark has no case: `low` is in `_STOPS` when `tok` is)
            if low in _WALLS:  # (most words end nothing: one set test for them)
                if tok in _STOPS:  # (`BOUNDARY` or a quote mark)
                    return (toks[j + 1][0] if j + 1 < len(toks) else end), end, toks[j][0], tok
                if low in CLAUSE:
                    return (toks[j + 1][0] if j + 1 < len(toks) else end), end, toks[j][0], low
                if low == "and" and j > 0 and toks[j - 1][2].islower() and \
                        nominal_kind(toks[j - 1][2]) is None and \
                        not self._one_description(toks, j, i):
                    return (toks[j + 1][0] if j + 1 < len(toks) else end), end, toks[j][0], "and"
            if i - j >= 14:  # the 15th word: no boundary near enough
                return toks[j][0], end, toks[j][0], "long"
        return (toks[0][0] if toks else end), end, s_start, ""

    @staticmethod
    def _one_description(toks: list[tuple[int, int, str]], j: int, i: int) -> bool:
        """Whether `and` at toks[j] joins the parts of one determined noun phrase that ends
        at toks[i] in a person or body (`the Labour peer and former minister`, `the Commons
        work and pensions committee`): no determiner after `and`, one within three words
        before it."""
        after = [t[2] for t in toks[j + 1 : i + 1]]
        if not after or not after[0].islower() or len(after) > 3 or any(
                w.lower() in DETERMINERS or not w[0].isalnum() for w in after):
            return False
        if nominal_kind(after[-1]) not in ("person", "organization"):
            return False
        for k in range(j - 1, max(-1, j - 5), -1):
            word = toks[k][2]
            if word.lower() in ("the", "a", "an"):
                return True
            if not word[0].isalnum() or word.lower() in DETERMINERS or word.lower() in CLAUSE:
                return False
        return False

    def subject_or_antecedent(self, s_start: int, cue_start: int) -> tuple[int, int, int, str]:
        """`subject_before`, except that a relative `who` hands over to its antecedent:
        `Barack Obama, who called the nominee "unfit to serve"` -> `Barack Obama`."""
        found = self.subject_before(s_start, cue_start)
        sub_start, sub_end, boundary, bchar = found
        if sub_end > sub_start or bchar != "who":
            return found
        j = boundary - 1
        while j > s_start and self.body[j] == " ":
            j -= 1
        if j <= s_start or self.body[j] != ",":
            return found
        # the antecedent: the capitalised name, or the determiner phrase, before the comma
        toks = [tk for tk in self.tokens(max(s_start, j - 80), j) if tk[2] != "."]
        k = len(toks)
        while k > 0 and (toks[k - 1][2][:1].isupper() or toks[k - 1][2] in NAME_PARTICLES):
            k -= 1
        if k == len(toks):
            d = k - 1
            while d >= max(0, k - 4) and toks[d][2].lower() not in DETERMINERS:
                d -= 1
            if d < max(0, k - 4):
                return found
            k = d
        a, b = toks[k][0], toks[-1][1]
        if not self.plausible_subject(a, b):
            return found
        return a, b, boundary, bchar

    def apposition_subject(self, s_start: int, comma: int) -> tuple[int, int] | None:
        """`Turkey, a major backer of the rebels, said` / `the envoy, Geir Pedersen, urged` /
        `Trump, speaking at a rally in Wilmington, N.C., warned`: of the comma-separated
        segments before the cue, one naming a person, else the first plausible subject."""
        body = self.body
        cuts = [s_start - 1] + [i for i in range(s_start, comma) if body[i] == ","] + [comma]
        segments = []
        for a, b in pairwise(cuts):
            a += 1
            while a < b and body[a].isspace():
                a += 1
            if b - a < 2:
                continue
            lead = LEADER.match(body, a, b)
            if lead is not None:
                a = lead.end()  # "But Murshed Zaheed, director of ..., said"
            words = body[a:b].split()
            if not words or words[0].lower() in INTRO or len(words) > 10:
                continue
            if not self.plausible_subject(a, b):
                continue
            segments.append((a, b))
        if not segments:
            return None
        for a, b in segments:
            if any(m[2].kind == "person" for m in self.resolver.mentions_in(a, b)):
                return a, b
        return segments[0]

    def subject_after(self, pos: int, s_end: int) -> tuple[int, int]:
        """The inverted subject after a cue: `, added the ministry in a statement`."""
        toks = self.tokens(pos, min(s_end, pos + 200))
        out_end = pos
        start = toks[0][0] if toks else pos
        for k, (_s, e, tok) in enumerate(toks):
            low = tok.lower()
            if tok == "." and k > 0 and (toks[k - 1][2].lower() in ABBREVIATIONS or (
                    len(toks[k - 1][2]) == 1 and toks[k - 1][2].isupper())):
                continue  # "said Sen. Susan Collins", "said John F. Kennedy"
            if not tok[0].isalnum():
                break
            if low in ("in", "on", "at", "during", "after", "before", "while", "when", "who",
                       "which", "to", "that", "told", "adding", "saying", "as") and k > 0:
                break
            if k >= 10:
                break
            out_end = e
        # `said Opera spokeswoman, Berit Hanson.`: a person's name in apposition after the
        # role is the subject
        if out_end < s_end and self.body[out_end : out_end + 1] == ",":
            after = [m for m in self.resolver.mentions_in(out_end + 1, min(s_end, out_end + 60))
                     if m[0] > out_end and m[2].kind == "person"]
            if after and self._titles_only(out_end + 1, after[0][0]) and \
                    not self.body[after[0][1] : s_end].strip(" .\"”'"):
                return after[0][0], after[0][1]
        return start, out_end

    def _titles_only(self, start: int, end: int) -> bool:
        """Nothing but titles or role words in body[start:end] (`, MP Edward Leigh`,
        `, Labour MP Kate Hoey`): the name after them is still the apposition."""
        words = self.body[start:end].split()
        return len(words) <= 3 and all(
            w.lower() in _person_heads() or (w[:1].isupper() and w.lower() in _PARTY_WORDS)
            for w in words)

    def catenative_start(self, ss: int, cs: int) -> int:
        """Where "went on to", "declined to", "is expected to" start before a cue at `cs`
        (the subject comes before them), else `cs`."""
        if not self.body[max(ss, cs - 5) : cs].rstrip().endswith("to"):
            return cs  # the pattern ends in "to ": a cheap test first
        m = CATENATIVE.search(self.body, max(ss, cs - 40), cs)
        return m.start() if m else cs

    def plausible_subject(self, start: int, end: int) -> bool:
        """A subject phrase holds no finite verb ("they had seized ... and" is not one)."""
        words = self._words(start, end)
        if not words or len(words) > 12 or words[0][2].lower() in LEADERS:
            return False
        forms = self.table.forms
        for _s, _e, w in words[1:]:
            if w[0].isupper() and w != "I":
                continue  # inside a phrase a capital makes a name: `Theresa May`, `Will Young`
            low = w.lower()
            if low in _PRONOUNS_AUX:
                return False
            if w.islower() and (
                (low.endswith("ed") and low not in ED_ADJECTIVES and "-" not in low)
                or (low in forms and low not in NOUNISH)
            ):
                return False
        return True

    def statement_before(self, ss: int, cs: int) -> bool:
        """Whether a statement of this sentence has its cue before `cs` and its content
        ending just before it: `X suggested ..., called her "..."` coordinates two verbs."""
        return any(ss <= c.cue_pos < cs and cs - 3 <= c.end <= cs for c in self.out.candidates)

    def main_subject(self, ss: int, cs: int) -> Speaker | None:
        """The subject of the clause a participle cue hangs on (`X said ..., adding that`)."""
        for cand in reversed(self.out.candidates):
            if ss <= cand.start < cs or ss <= cand.end <= cs:
                if cand.cue_pos >= 0 and any(o is not cand and o.start <= cand.cue_pos < o.end
                                             for o in self.out.candidates):
                    continue  # `... commitment to supporting X`: a verb inside a content
                return tag(cand.speaker, "main-clause.statement")
        toks = [t for t in self.tokens(ss, min(cs, ss + 120)) if t[2][0].isalnum()]
        if toks and toks[0][2].lower() in PRONOUNS:
            return tag(self.resolver.resolve_pronoun(toks[0][2], toks[0][0]), "main-clause.pronoun")
        limit = min(cs, ss + 80)
        actor = None
        for s, e, a in self.resolver.mentions_in(ss, limit):
            if self.body[s - 1 : s] == "(" and self.body[e : e + 1] == ")":
                continue  # `NEW YORK, Nov. 19 (UPI) — Hillary Clinton ...`: a dateline's agency
            if a.kind in ("person", "organization"):
                actor = a
                break
        if actor is not None:
            return Speaker(actor.name, actor.kind, "main-clause.name")
        # no actor: a capitalised name opening the sentence ("Hollande denounced ...")
        names = []
        for t in toks[:4]:
            if not t[2][:1].isupper() or t[2].lower() in DETERMINERS | INTRO | NOT_NAMES:
                break
            names.append(t)
        if names and len(names) < len(toks):
            verb = toks[len(names)][2]
            nxt = toks[len(names) + 1][2].lower() if len(toks) > len(names) + 1 else ""
            ends_phrase = nxt in AUX or nxt in self.table.forms or nxt in self.table.broad
            if verb.islower() and verb.isalpha() and len(verb) > 3 and verb not in AUX and (
                    ends_phrase and (nominal_kind(verb) in ("person", "people", "organization")
                                     or verb in _SOURCE_NOUNS or verb.endswith("s"))):
                # `Tory delegates are gathering ...`: a noun before the verb, not the verb
                return tag(self.surface(toks[: len(names) + 1]), "main-clause.noun-phrase")
            if verb.islower() and (verb.endswith(("ed", "s")) or verb in self.table.forms
                                   or verb in self.table.broad):
                # "Hollande denounced ..."
                return tag(self.surface(names), "main-clause.capitalised")
        if toks and toks[0][2][:1].isupper() and toks[0][2].lower() not in INTRO | NOT_NAMES:
            # `Turkish security sources leaked ...`: a noun phrase, then the verb
            for k in range(1, min(6, len(toks))):
                verb = toks[k][2]
                if verb.islower() and verb.endswith("ed") and verb not in ED_ADJECTIVES:
                    if nominal_kind(toks[k - 1][2]) in ("person", "people", "organization") \
                            or toks[k - 1][2].lower() in _SOURCE_NOUNS:
                        return tag(self.surface(toks[:k]), "main-clause.noun-phrase")
                    break
        return None
