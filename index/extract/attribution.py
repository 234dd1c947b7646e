"""Attribution: cue verbs and `according to` link quotes and reported clauses to speakers."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from index.article import Statement
from index.extract import lexicons
from index.extract.coref import (
    OPAQUE_PRONOUNS,
    PRONOUNS,
    Resolver,
    Speaker,
    nominal_kind,
)
from index.extract.quotes import MIN_PARTIAL_WORDS, MIN_STANDALONE_WORDS, Quote, word_count
from index.extract.sentences import ABBREVIATIONS


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOKEN = re.compile(r"\w[\w'’.\-]*\w|\w|[^\w\s]")
_QUOTE_CHARS = frozenset("\"“”„«»")
_BOUNDARY = frozenset(",;:()[]—–") | _QUOTE_CHARS
# Words between a subject and its cue that belong to neither ("Assad also said").
_SKIP = _wordset(
    """also has have had would will later then previously repeatedly again recently
    publicly privately reportedly once further first simply quickly just only even still
    never often had 'd 's has already since initially subsequently separately is are was
    were been increasingly"""
)
_WEEKDAYS = _wordset(
    """monday tuesday wednesday thursday friday saturday sunday yesterday today"""
)
# "Priebus this past week announced": a time phrase between subject and cue.
_TIME_NOUNS = _wordset("week weekend month year night morning evening afternoon time")
_TIME_MODIFIERS = _wordset("last this past next that same one")
# Capitalised sentence openers that are not names.
_NOT_NAMES = _wordset(
    """just having absent how wow why what when where while if yet still now so also even
    only after before during since here there then thus indeed instead asked given
    despite although though because unlike like among amid without within once whether
    yes well oh ah please perhaps maybe surely certainly clearly"""
)
# Words that start a new clause: a subject never reaches back past them.
_CLAUSE = _wordset(
    """that which who whom whose when while because but if as after before where so
    although though since until unless whether than said says"""
)
# Words before a cue that make it a noun or a passive ("the said", "was told").
_NOT_ACTIVE = _wordset(
    """is was were are be been being the a an his her their its this our my your as"""
)
_BE = frozenset(("is", "are", "was", "were", "been", "be"))
# First words of a comma-separated segment that is an adverbial, not a subject.
_INTRO = _wordset(
    """on in at during after before since for with as by under from while when speaking
    asked however meanwhile still yet also instead earlier later separately but and so
    then although though despite according who which whose where"""
)
_DETERMINERS = _wordset("the a an this that these those")
_DEFINITE = _wordset("the this that these those")
_LEADERS = frozenset(["and", "but", "so", "yet", "or", "then"])
# After the cue: phrases to step over before the content.
_AFTER_CUE = re.compile(
    r"(?:\s*,?\s+(?:in\s+an?\s+(?:[\w-]+\s+){0,2}(?:statement|interview|letter|post|email|"
    r"e-mail|tweet|speech|address|video|message|op-ed|column|briefing|release)"
    r"(?:\s+(?:on|to|with|from)\s+[\w.'’-]+(?:\s+[A-Z][\w.'’-]*){0,3})?|on\s+[A-Z]\w+day|"
    r"(?:last|on|this|early|late)\s+(?:week|month|year|night|[A-Z]\w+day)|"
    r"(?:yesterday|today|tonight|earlier|later|recently|previously|publicly|privately|"
    r"repeatedly|again|also|bluntly|flatly|simply|frankly)))*"
)
_OBJECT = re.compile(
    r"\s+(?:reporters|journalists|supporters|the\s+crowd|an?\s+audience|(?:the|a|an|his|her|"
    r"their|its)\s+(?:[\w-]+\s+){0,4}?[\w-]+?(?=\s+(?:that|to)\b|\s*[,.;:]|\s*$)|"
    r"(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*)*"
    r"(?=\s+(?:it|he|she|they|we|there|the|a|an|his|her|their|its)\s)|"
    r"him|her|them|us|me|"
    r"[A-Z][\w.'’&-]*(?:\s+(?:[A-Z0-9][\w.'’&-]*|of|for|de))*)(?=[\s,.:;\"“]|$)"
)
_THAT = re.compile(r"\s*,?\s*that\b")
# "stated in a release on Saturday evening that": a short adverbial before "that".
_THAT_NEAR = re.compile(
    r"\s+(?:in|on|at|during|after|before|from|to|about|of|late|early|last|this|earlier|"
    r"later)\b[^,.;:\"“”]{0,60}?\bthat\b"
)
# What may follow a postposed cue (and its addressee) to the end of the sentence.
_POST_TAIL = re.compile(
    r"(?:,?\s*(?:(?:in|on|at|during|after|before|from|via|while|with|outside|inside|near|"
    r"last|this|earlier|later|late|early|when|as|of|about|over|through|shortly|just|"
    r"to(?=\s+(?:[A-Z]|the\b|an?\b|his\b|her\b|their\b|reporters\b|journalists\b)))\b"
    r"[^,.;:\"“”]*|[A-Z][a-z]+day\b[^,.;:\"“”]*|(?:yesterday|today|tonight)\b)|"
    r",\s*(?:a|an|the|who|which|another|his|her|its|their|one|known|also|formerly|now|"
    r"referring|adding|saying|noting|explaining|arguing|according|citing|speaking|"
    r"[a-z]+ing)\b[^\n]*|\s*\([^()\n]{0,40}\))*"
    r"\s*[.!?]?\s*[\"”')]*\s*$"
)
# Forms that are more often nouns ("state media", "reports of"): cues only with "that".
_NOUNISH = _wordset(
    """state states report reports claim claims call calls note notes post posts estimate
    estimates answer answers question questions warning warnings tweet tweets vow vows
    pledge pledges demand demands charge charges counter reply replies hint hints joke
    jokes signal signals promise promises forecast forecasts comment comments concern
    concerns continue quote quotes cite cites find finds show shows learn point points
    statement statements warning add"""
)
# Lower-case -ed words that modify a subject noun instead of being its verb.
_ED_ADJECTIVES = _wordset(
    """armed united based led backed related elected named appointed retired unnamed
    concerned detained exiled wounded injured displaced alleged designated proposed
    affiliated aligned allied registered veiled unidentified identified"""
)
_AUX = _wordset(
    """had has have was were is are will would could can did does do been be may might must
    should not n't"""
)
_TO = re.compile(r"\s+to\s+\w")
# After a quote, what shows the quote was the whole content ("..., he added", a new quote).
_CLAUSE_AFTER_QUOTE = re.compile(
    r"\s*[,;:]?\s*(?:[\"“„«]|''|``|[a-z]+ing\b|and\s+(?:then\s+)?[a-z]+ed\b|according\b|"
    r"as\b|citing\b|he\b|she\b|they\b|it\b|the\b|[A-Z])"
)
_SPLIT_QUOTE = re.compile(r"\s*[,:]\s*(?=[\"“„«]|''|``)")
_OPEN_QUOTE = re.compile(r"\s*[,:]?\s*(?=[\"“„«]|''|``)")
# Tails that end a reported clause: another attribution starts there.
_TAIL = re.compile(
    r",?[\"”]?,?\s+(?:as\s+reported\s+by|according\s+to|as\s+quoted\s+by|citing|quoting)\b"
)


@dataclass
class _Candidate:
    start: int
    end: int
    kind: str
    cue: str | None
    speaker: Speaker | None
    priority: int
    cue_pos: int = -1  # where the cue starts (-1 for quotes nobody introduced)


@dataclass(frozen=True)
class _CueTable:
    forms: dict[str, str]  # inflected form of a speech cue -> lemma
    broad: dict[str, str]  # inflected form of a stance verb (attributed to named actors only)
    classes: dict[str, frozenset[str]]  # class name -> lemmas
    triggers: frozenset[str]  # every word that may start a cue, for a set intersection
    titles: frozenset[str]  # capitalised forms, for headline-style cues


@cache
def cue_table() -> _CueTable:
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
    return _CueTable(forms, broad, {k: frozenset(v) for k, v in classes.items()}, triggers,
                     titles)


_SCAN = re.compile(r"[A-Za-z]+")
# Verbs that take the cue as a to-infinitive ("declined to say", "went on to say").
_CATENATIVE = re.compile(
    r"\b(?:(?:is|are|was|were|has|have|had)\s+)?(?:went\s+on|declined|refused|continued|"
    r"began|begun|started|tried|wanted|wants|want|hopes|hoped|plans|planned|expected|"
    r"seemed|seems|appeared|appears|appear|seem|had\s+yet|has\s+yet|have\s+yet|"
    r"is\s+set|was\s+set|moved|rushed|was\s+quick|were\s+quick|went\s+so\s+far\s+as|"
    r"is\s+likely|was\s+able|failed|promised|vowed|pledged|agreed|ready)\s+to\s+$"
)
# A paragraph opening with a short capitalised name and a colon ("Graham: Trump's ...").
_COLON_HEAD = re.compile(
    r"^[ \t]*(?P<name>[A-Z][A-Za-z.'’-]*(?: (?:[A-Z][A-Za-z.'’-]*|of|the|de|al)){0,3}):[ \t]+"
    r"(?P<content>\S[^\n]*)",
    re.MULTILINE,
)
# Paragraph labels that look like "Name:" but introduce no statement.
_COLON_LABELS = _wordset(
    """source sources note update updates editor editors correction corrections related
    read watch click comments comment photo photos image images video videos tags topics
    filed by advertisement disclaimer warning caption credit credits see also listen
    share follow subscribe contact email the latest news guide full text q a transcript
    date time location when where who what why how live breaking exclusive analysis
    opinion commentary review summary background timeline factbox explainer"""
)
_PARTICIPLE = re.compile(r",[\"”']*\s+([a-z]+ing)\b")


def _tokens(body: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(body, start, end)]


def _is_mark(tok: str) -> bool:
    return tok in _QUOTE_CHARS or tok == "'"


class _Attributor:
    """One body's attribution pass: every cue in text order, then the quotes nobody
    introduced; candidates overlap freely until `_resolve_overlaps` picks the best."""

    def __init__(
        self,
        body: str,
        sentences: Sequence[tuple[int, int]],
        quotes: Sequence[Quote],
        resolver: Resolver,
    ) -> None:
        self.body = body
        self.sentences = sentences
        self.quotes = quotes
        self.q_starts = [q.start for q in quotes]
        self.resolver = resolver
        self.table = cue_table()
        self.candidates: list[_Candidate] = []
        self.used_quotes: set[int] = set()
        self.cue_pos = -1
        self._tokens: dict[tuple[int, int], list[tuple[int, int, str]]] = {}

    # -- tokens ------------------------------------------------------------------
    def tokens(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Tokens inside [start, end); a subject span is read by several rules, so the
        tokenisation of each window is kept."""
        key = (start, end)
        toks = self._tokens.get(key)
        if toks is None:
            toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(self.body, start, end)]
            self._tokens[key] = toks
        return toks

    # -- quotes ------------------------------------------------------------------
    def quote_starting(self, pos: int, slack: int = 3) -> int | None:
        i = bisect_left(self.q_starts, pos)
        if i < len(self.quotes) and self.quotes[i].start <= pos + slack:
            return i
        return None

    def quote_ending(self, pos: int) -> int | None:
        """A quote whose closing mark is at `pos` or just before it (`...," he said`)."""
        i = bisect_left(self.q_starts, pos) - 1
        while i >= 0:
            q = self.quotes[i]
            if q.closed and pos - 1 <= q.end - 1 <= pos + 1:
                return i
            if q.end < pos - 2:
                return None
            i -= 1
        return None

    def quote_ending_before(self, ss: int, pos: int) -> int | None:
        """The last closed quote of the sentence that ends before `pos`, with only an
        appositive phrase (commas and words, no other mark) between it and `pos`."""
        i = bisect_left(self.q_starts, pos) - 1
        while i >= 0 and self.quotes[i].end > pos:
            i -= 1
        if i < 0 or self.quotes[i].start < ss - 1 or not self.quotes[i].closed:
            return None
        between = self.body[self.quotes[i].end : pos]
        if not between.strip(" ,") or any(c in between for c in "\"“”;:"):
            return None
        return i

    def substantive_quote_in(self, start: int, end: int) -> bool:
        i = bisect_left(self.q_starts, start)
        while i < len(self.quotes) and self.quotes[i].start < end:
            if self.quotes[i].words >= MIN_PARTIAL_WORDS:
                return True
            i += 1
        return False

    def mark_used(self, start: int, end: int) -> None:
        i = bisect_left(self.q_starts, start - 1)
        while i < len(self.quotes) and self.quotes[i].start < end:
            self.used_quotes.add(i)
            i += 1

    # -- speakers ------------------------------------------------------------------
    def speaker_for(self, start: int, end: int, near_end: bool) -> Speaker | None:
        """Resolve the subject phrase body[start:end] to a speaker."""
        words = [t for t in self.tokens(start, end) if t[2][0].isalnum()]
        while words and words[0][2].lower() in _LEADERS:
            words = words[1:]
        if not words:
            return None
        start = words[0][0]
        first = words[0][2].lower()
        if len(words) == 1 and first in PRONOUNS:
            return self.resolver.resolve_pronoun(first, words[0][0])
        if first in OPAQUE_PRONOUNS and len(words) == 1:
            return None
        # The head noun: the last word, or the word before "of/for" ("envoy for Syria").
        head_i = len(words) - 1
        for i, t in enumerate(words[1:], 1):
            if t[2] in ("of", "for", "at", "from", "with", "to", "in"):
                head_i = i - 1
                break
        head = words[head_i]
        mentions = self.resolver.mentions_in(start, end)
        in_mention = next((m for m in mentions if m[0] <= head[0] < m[1]), None)
        if in_mention is not None:
            best = self.resolver.actor_in_span(start, end, near_end)
            actor = best if best is not None and best.kind == "person" else in_mention[2]
            return Speaker(actor.name, actor.kind)
        kind = nominal_kind(head[2])
        if kind in ("person", "organization") and first in _DEFINITE:
            mods = [t[2] for t in words[:head_i] if t[2][0].isupper() and t[2].lower()
                    not in _DETERMINERS]
            bare = head_i <= 1 or (head_i == 2 and words[1][2].islower())
            found = self.resolver.resolve_nominal(head[2], mods, start, fallback=bare)
            if found is not None:
                return found
            if bare:
                return None  # "the ministry" with no antecedent: unresolved, not guessed
        elif mentions and kind not in ("people", "person", "organization"):
            actor = self.resolver.actor_in_span(start, end, near_end)
            if actor is not None:
                return Speaker(actor.name, actor.kind)
        return self.surface(words)

    def surface(self, words: list[tuple[int, int, str]]) -> Speaker | None:
        """The source's own words, for a named or descriptive source not in the actor list."""
        while words and words[0][2].lower() in _DETERMINERS:
            words = words[1:]
        if not words or len(words) > 12:
            return None
        first = words[0][2].lower()
        if first in PRONOUNS or (len(words) == 1 and first in OPAQUE_PRONOUNS):
            return None
        if first in _NOT_NAMES:
            return None
        text = self.body[words[0][0] : words[-1][1]]
        if text.endswith(("'s", "’s")):
            text = text[:-2]
        # a kind lets later pronouns find this source: "a Carrier executive" ... "he"
        kind = nominal_kind(words[-1][2])
        if kind not in ("person", "organization"):
            kind = "person" if words[0][2] in _given_names() and len(words) > 1 else None
        return Speaker(" ".join(text.split()), kind)

    # -- subject spans ---------------------------------------------------------------
    def subject_before(self, s_start: int, cue_start: int) -> tuple[int, int, int, str]:
        """(subject start, subject end, boundary position, boundary char) walking back from
        the cue; boundary char is '' at the sentence start or a clause word."""
        toks = self.tokens(max(s_start, cue_start - 120), cue_start)
        i = len(toks) - 1
        # step over adverbs and auxiliaries between subject and cue
        while i >= 0:
            low = toks[i][2].lower()
            if low in _TIME_NOUNS and i > 0 and toks[i - 1][2].lower() in _TIME_MODIFIERS:
                i -= 2
            elif low in _SKIP or low in _WEEKDAYS or (low == "on" and i + 1 < len(toks) and toks[i + 1][2].lower() in _WEEKDAYS):
                i -= 1
            else:
                break
        end = toks[i][1] if i >= 0 else cue_start
        j = i
        count = 0
        while j >= 0:
            tok = toks[j][2]
            low = tok.lower()
            if tok in _BOUNDARY or _is_mark(tok):
                return (toks[j + 1][0] if j + 1 < len(toks) else end), end, toks[j][0], tok
            if low in _CLAUSE:
                return (toks[j + 1][0] if j + 1 < len(toks) else end), end, toks[j][0], low
            if low == "and" and j > 0 and toks[j - 1][2].islower() and \
                    nominal_kind(toks[j - 1][2]) is None:
                return (toks[j + 1][0] if j + 1 < len(toks) else end), end, toks[j][0], "and"
            count += 1
            if count > 14:
                return toks[j][0], end, toks[j][0], "long"
            j -= 1
        return (toks[0][0] if toks else end), end, s_start, ""

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
            words = body[a:b].split()
            if not words or words[0].lower() in _INTRO or len(words) > 10:
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
        return start, out_end

    # -- content spans ------------------------------------------------------------------
    def clause_end(self, start: int, s_end: int) -> int:
        body = self.body
        m = _TAIL.search(body, start, s_end)
        end = s_end
        if m:
            end = m.start()
            if body[end : end + 1] == "," and body[end + 1 : end + 2] in _QUOTE_CHARS:
                end += 2
        # a participle cue after a comma starts a new statement ("..., warning that")
        for cm in _PARTICIPLE.finditer(body, start, end):
            if cm.group(1) in self.table.forms:
                end = cm.start()
                break
        # a quotation that started in the clause runs to its own end
        i = bisect_left(self.q_starts, start)
        while i < len(self.quotes) and self.quotes[i].start < end:
            end = max(end, self.quotes[i].end) if self.quotes[i].closed else end
            i += 1
        while end > start and (body[end - 1].isspace() or body[end - 1] in ".,;:"):
            end -= 1
        return end

    def add(self, start: int, end: int, cue: str | None, speaker: Speaker | None,
            priority: int, direct: bool | None = None) -> None:
        body = self.body
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if end <= start or word_count(body[start:end]) < 1:
            return
        if direct is None:
            direct = self.substantive_quote_in(start, end)
        self.mark_used(start, end)
        self.candidates.append(
            _Candidate(start, end, "direct" if direct else "indirect", cue, speaker, priority,
                       self.cue_pos if cue else -1)
        )

    def add_quote(self, qi: int, cue: str | None, speaker: Speaker | None, priority: int) -> None:
        q = self.quotes[qi]
        self.used_quotes.add(qi)
        self.candidates.append(
            _Candidate(q.inner_start, q.inner_end, "direct", cue, speaker, priority,
                       self.cue_pos if cue else -1)
        )

    # -- cues ----------------------------------------------------------------------------
    def cue_positions(self) -> list[tuple[int, int, str]]:
        """(start, end, word) of every cue word, found by a C-speed word scan, then a
        `str.find` walk over the few distinct cue words the body holds."""
        body = self.body
        forms, broad = self.table.forms, self.table.broad
        nouns = self.table.classes.get("noun", frozenset())
        words = set(_SCAN.findall(body))
        present = words & self.table.triggers
        found: list[tuple[int, int, str]] = []
        for word in words & self.table.titles:
            self.title_case_cues(word, found)
        for word in present:
            if word in forms or word in broad:
                key = word
            elif word in nouns:
                key = word + " that"
            elif word in ("according", "According"):
                key = word + " to"
            else:
                continue
            n = len(key)
            i = body.find(key)
            while i >= 0:
                before = body[i - 1] if i > 0 else " "
                after = body[i + n] if i + n < len(body) else " "
                if not (before.isalnum() or before in "-'’_" or after.isalnum()
                        or after in "-'’_"):
                    found.append((i, i + len(word) if key != word and not key.endswith(" to")
                                  else i + n, "according to" if key.endswith(" to") else word))
                i = body.find(key, i + n)
        found.sort()
        return found

    def title_case_cues(self, word: str, found: list[tuple[int, int, str]]) -> None:
        """Headline style ("Bellwether County Says Trump Should Win"): a capitalised cue
        between capitalised words counts, under its lower-case form."""
        body = self.body
        n = len(word)
        i = body.find(word)
        while i >= 0:
            j = i + n
            if (i >= 2 and body[i - 1] == " " and (body[i - 2].isalpha() or body[i - 2] in ".’'")
                    and body[j : j + 1] == " " and (body[j + 1 : j + 2].isupper()
                                                    or body[j + 1 : j + 2] in "\"“‘'")):
                prev = body[max(0, i - 30) : i].split()
                if prev and prev[-1][:1].isupper():
                    found.append((i, j, word.lower()))
            i = body.find(word, j)

    def colon_heads(self) -> None:
        """`Trump: 'I'm the Worst Thing ...'`, `Graham: Trump's rhetoric is ...`: a short
        name opening a paragraph, a colon, then what that source says."""
        body = self.body
        for m in _COLON_HEAD.finditer(body):
            name_start, name_end = m.span("name")
            words = body[name_start:name_end].split()
            if words[0].lower() in _COLON_LABELS or body[name_start:name_end].lower() in \
                    _COLON_LABELS or words[0].lower() in _NOT_NAMES or \
                    body[name_start:name_end].isupper():
                continue
            start, end = m.span("content")
            si = self.resolver.sentence_index(start)
            end = min(end, self.sentences[si][1]) if self.sentences else end
            if word_count(body[start:end]) < 3:
                continue
            speaker = self.speaker_for(name_start, name_end, near_end=True)
            if speaker is None:
                continue
            self.cue_pos = name_end
            self.add(start, end, ":", speaker, 2)
            self.resolver.remember(name_end, speaker)

    def run(self) -> list[_Candidate]:
        forms = self.table.forms
        if not self.sentences:
            return self.candidates
        self.colon_heads()
        for cs, ce, word in self.cue_positions():
            if self.resolver.in_quote(cs):
                continue
            ss, se = self.sentences[self.resolver.sentence_index(cs)]
            if not (ss <= cs < se):
                continue
            self.cue_pos = cs
            if word == "according to":
                self.according_to(cs, ce, ss, se)
            elif word in self.table.classes.get("noun", ()) and body_startswith_that(
                    self.body, ce):
                self.noun(word, cs, ce, ss, se)
            elif word in forms:
                self.verb(word, cs, ce, ss, se)
            else:
                self.stance(word, cs, ce, ss, se)
        self.orphans()
        return self.candidates

    def noun(self, word: str, cs: int, ce: int, ss: int, se: int) -> None:
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
            while k >= 0 and toks[k][2].islower() and not toks[k][2].endswith(("'s", "’s")) \
                    and k > len(toks) - 4:
                k -= 1  # adjectives: "Trump's recent evidence-free assertion"
            if (k >= 0 and toks[k][2] in ("'s", "’s", "'", "’")) or (
                    k >= 0 and toks[k][2].endswith(("'s", "’s"))):
                end = toks[k][1]
                poss_end = end - 2 if toks[k][2].endswith(("'s", "’s")) else toks[k][0]
                start, _e, _b, _c = self.subject_before(ss, toks[k][0])
                start = min(start, toks[k][0])
                if poss_end > start:
                    speaker = self.speaker_for(start, end, near_end=True)
        if speaker is None:
            return
        start = body.find("that", ce) + 4
        end = self.clause_end(start, se)
        if word_count(body[start:end]) < 3:
            return
        self.add(start, end, word, speaker, 4)

    def stance(self, word: str, cs: int, ce: int, ss: int, se: int) -> None:
        """`Obama endorsed Clinton`, `Trump called for a ban`: a stance verb whose subject is
        a named actor (or a pronoun resolving to one); the rest of the clause is the content."""
        body = self.body
        cs = self.catenative_start(ss, cs)
        prev = body[max(ss, cs - 12) : cs].split()
        if not prev or body.startswith(" by ", ce):
            return
        if prev[-1].lower() in _NOT_ACTIVE and not (word.endswith("ing") and prev[-1] in _BE):
            return
        if prev[-1] in ("and", "but") or (word.endswith("ing") and prev[-1].endswith(",")):
            speaker = self.main_subject(ss, cs)
        else:
            sub_start, sub_end, boundary, bchar = self.subject_before(ss, cs)
            if sub_end <= sub_start and bchar == ",":
                app = self.apposition_subject(ss, boundary)  # "X, who ..., described"
                if app is None:
                    return
                sub_start, sub_end = app
            if sub_end <= sub_start or not self.plausible_subject(sub_start, sub_end):
                return
            if word_count(body[sub_start:sub_end]) > 6:
                return
            speaker = self.speaker_for(sub_start, sub_end, near_end=True)
        if not _named(speaker):
            return
        start = ce
        that = _THAT.match(body, start, se)
        if that:
            start = that.end()
        end = self.clause_end(start, se)
        if word_count(body[start:end]) < 1:
            return
        self.add(start, end, word, speaker, 4)
        self.resolver.remember(cs, speaker)

    def according_to(self, cs: int, ce: int, ss: int, se: int) -> None:
        body = self.body
        comma = body.find(",", ce, se)
        src_end = comma if comma > 0 else se
        while src_end > ce and body[src_end - 1] in ".;: \"”":
            src_end -= 1
        speaker = self.speaker_for(ce, src_end, near_end=False)
        before = body[ss:cs].rstrip()
        cue = "according to"
        after_words = word_count(body[comma + 1 : se]) if comma > 0 else 0
        if word_count(before) >= 2 and before.endswith(",") and after_words >= 3:
            # "At the heart of it, according to X, was a decision ...": the whole sentence
            self.add(ss, self.clause_end(comma + 1, se), cue, speaker, 2)
        elif word_count(before) >= 3:
            self.add(ss, len(before.rstrip(",")) + ss, cue, speaker, 2)
        elif word_count(before) == 0 and comma > 0:
            self.add(comma + 1, self.clause_end(comma + 1, se), cue, speaker, 2)
        self.resolver.remember(cs, speaker)

    def catenative_start(self, ss: int, cs: int) -> int:
        """Where "went on to", "declined to", "is expected to" start before a cue at `cs`
        (the subject comes before them), else `cs`."""
        m = _CATENATIVE.search(self.body, max(ss, cs - 40), cs)
        return m.start() if m else cs

    def plausible_subject(self, start: int, end: int) -> bool:
        """A subject phrase holds no finite verb ("they had seized ... and" is not one)."""
        words = [t[2] for t in self.tokens(start, end) if t[2][0].isalnum()]
        if not words or len(words) > 12 or words[0].lower() in _LEADERS:
            return False
        for w in words[1:]:
            low = w.lower()
            if low in PRONOUNS or low in _AUX or (w.islower() and low.endswith("ed") and low not in _ED_ADJECTIVES):
                return False
            if w.islower() and low in self.table.forms and low not in _NOUNISH:
                return False
        return True

    def verb(self, word: str, cs: int, ce: int, ss: int, se: int) -> None:
        body = self.body
        lemma = self.table.forms.get(word, word)
        classes = self.table.classes
        cs = self.catenative_start(ss, cs)  # "declined to say": the subject is before "declined"
        prev = body[max(ss, cs - 12) : cs].split()
        progressive = word.endswith("ing") and bool(prev) and prev[-1] in _BE
        if prev and prev[-1].lower() in _NOT_ACTIVE and not progressive:
            return
        if body.startswith(" by ", ce):
            return  # passive: "as reported by X"
        nounish = word in _NOUNISH
        participle = word.endswith("ing") and not progressive
        sub_start, sub_end, boundary, bchar = self.subject_before(ss, cs)
        after = _AFTER_CUE.match(body, ce, se)
        pos = after.end() if after else ce
        is_object_verb = lemma in classes.get("object", ())
        # -- postposed: `"...," he said.` / `..., said the ministry` / `..., X told France 24.`
        postposable = (bchar == "," or (bchar and _is_mark(bchar))) and not participle \
            and not nounish and not _THAT.match(body, pos, se) and not _THAT_NEAR.match(body, pos, se)
        if postposable and sub_end <= sub_start and bchar == ",":
            qi_before = self.quote_ending_before(ss, boundary)
            if qi_before is not None:
                app = self.apposition_subject(self.quotes[qi_before].end, boundary)
                if app is not None:
                    sub_start, sub_end = app
                    boundary = self.quotes[qi_before].end - 1
        if postposable:
            inverted = sub_end <= sub_start
            if inverted and (body[boundary + 1 : cs].strip() or lemma not in classes.get("bare", ())
                             or lemma in classes.get("object", ())):
                postposable = False  # "The group, based in X, also reported ..." is preposed
        if postposable:
            if inverted:
                a, b = self.subject_after(pos, se)
                obj_end = b
            else:
                a, b = sub_start, sub_end
                obj = _OBJECT.match(body, pos, se) if is_object_verb else None
                obj_end = obj.end() if obj else pos
            qi_next = None
            mq = _SPLIT_QUOTE.match(body, obj_end, se)
            if mq:
                qi_next = self.quote_starting(mq.end(), 0)
            tail_ok = qi_next is not None or bool(_POST_TAIL.match(body, obj_end, se)) or (
                inverted and body[obj_end : obj_end + 1] == "," and b > a)
            if inverted and not any(w.lower() not in _DETERMINERS
                                    for w in _SCAN.findall(body[a:b])):
                tail_ok = False
            rest_words = word_count(body[obj_end:se])
            if (not tail_ok and not inverted and body[obj_end : obj_end + 1] == ","
                    and rest_words >= 3 and b > a and self.plausible_subject(a, b)
                    and not _PARTICIPLE.match(body, obj_end, se)):
                # parenthetical: "In the end, Mr. Rosenthal said, union voters ..."
                speaker = self.speaker_for(a, b, near_end=True)
                self.add(ss, self.clause_end(obj_end + 1, se), word, speaker, 1)
                self.resolver.remember(cs, speaker)
                return
            if tail_ok and b > a and self.plausible_subject(a, b) and word_count(body[ss:boundary]):
                speaker = self.speaker_for(a, b, near_end=not inverted)
                qi = self.quote_ending(boundary)
                if qi is not None and (
                    self.quotes[qi].start <= ss + 3
                    or body[ss : self.quotes[qi].start].rstrip().endswith(":")
                    or self.quotes[qi].words * 2 >= word_count(body[ss:boundary])
                ):
                    self.add_quote(qi, word, speaker, 0)
                elif lemma in classes.get("quote", ()) or word_count(body[ss:boundary]) < 3:
                    return
                else:
                    self.add(ss, boundary, word, speaker, 1)
                self.resolver.remember(cs, speaker)
                if qi_next is not None:  # split quote: `"...," he said, "..."`
                    self.extend_last(qi_next)
                return
        # -- preposed: `X said (that) ...`, `X told reporters that ...`, `X said: "..."`
        toks_before = body[ss:cs].split()
        coordinated = bool(toks_before) and toks_before[-1] in ("and", "but")
        if participle and not body[ss:cs].rstrip().endswith(","):
            return
        if participle or coordinated:
            speaker = self.main_subject(ss, cs)
        else:
            if sub_end <= sub_start and bchar == ",":
                app = self.apposition_subject(ss, boundary)
                if app is None:
                    return
                sub_start, sub_end = app
            if sub_end <= sub_start or not self.plausible_subject(sub_start, sub_end):
                return
            speaker = self.speaker_for(sub_start, sub_end, near_end=True)
        start = pos
        if is_object_verb:
            obj = _OBJECT.match(body, pos, se)
            if obj and (_THAT.match(body, obj.end(), se) or _OPEN_QUOTE.match(body, obj.end(), se)
                        or _TO.match(body, obj.end(), se) or lemma == "tell"):
                start = obj.end()
        mq = _OPEN_QUOTE.match(body, start, se)
        qi = self.quote_starting(mq.end(), 0) if mq else None
        if qi is not None and mq is not None and mq.end() - start <= 3:
            q = self.quotes[qi]
            if (not body[q.end : se].strip(" .,;:!?\"”'") or q.end >= se
                    or _CLAUSE_AFTER_QUOTE.match(body, q.end, se)):
                self.add_quote(qi, word, speaker, 0)
            else:  # `remarked, "..." and play a role ...`: the quote opens a longer clause
                self.add(q.start, self.clause_end(q.start, se), word, speaker, 1, direct=True)
            self.resolver.remember(cs, speaker)
            return
        if body[start:se].strip() == ":":
            # `X says:` ending a paragraph introduces the quote that opens the next one
            qi = self.quote_starting(_skip_space(body, se), 0)
            if qi is not None:
                self.add_quote(qi, word, speaker, 0)
                self.resolver.remember(cs, speaker)
            return
        if lemma in classes.get("quote", ()):
            return
        that = _THAT.match(body, start, se) or _THAT_NEAR.match(body, start, se)
        if that:
            start = that.end()
        elif _TO.match(body, start, se) and lemma in classes.get("infinitive", ()) and not nounish:
            pass
        elif nounish:
            return
        elif lemma not in classes.get("bare", ()):
            if _named(speaker):  # "Iran has pledged support": a stance of a named actor
                end = self.clause_end(start, se)
                if word_count(body[start:end]) >= 1:
                    self.add(start, end, word, speaker, 4)
                    self.resolver.remember(cs, speaker)
            return
        elif start < se and body[start] in ",.;:":
            return
        end = self.clause_end(start, se)
        if word_count(body[start:end]) < 3:
            return
        self.add(start, end, word, speaker, 1)
        self.resolver.remember(cs, speaker)

    def main_subject(self, ss: int, cs: int) -> Speaker | None:
        """The subject of the clause a participle cue hangs on (`X said ..., adding that`)."""
        for cand in reversed(self.candidates):
            if ss <= cand.start < cs or ss <= cand.end <= cs:
                return cand.speaker
        toks = [t for t in self.tokens(ss, min(cs, ss + 120)) if t[2][0].isalnum()]
        if toks and toks[0][2].lower() in PRONOUNS:
            return self.resolver.resolve_pronoun(toks[0][2], toks[0][0])
        limit = min(cs, ss + 80)
        actor = None
        for s, _e, a in self.resolver.mentions_in(ss, limit):
            if a.kind in ("person", "organization"):
                actor = a
                break
            _ = s
        if actor is not None:
            return Speaker(actor.name, actor.kind)
        # no actor: a capitalised name opening the sentence ("Hollande denounced ...")
        names = []
        for t in toks[:4]:
            if not t[2][:1].isupper() or t[2].lower() in _DETERMINERS | _INTRO | _NOT_NAMES:
                break
            names.append(t)
        if names and len(names) < len(toks):
            verb = toks[len(names)][2]
            if verb.islower() and (verb.endswith(("ed", "s")) or verb in self.table.forms
                                   or verb in self.table.broad):
                return self.surface(names)  # "Hollande denounced ..."
        return None

    # -- quotes nobody introduced --------------------------------------------------------
    def orphans(self) -> None:
        body = self.body
        spans = sorted((c.start, c.end) for c in self.candidates)
        starts = [s for s, _ in spans]
        for qi, q in enumerate(self.quotes):
            if qi in self.used_quotes:
                continue
            i = bisect_left(starts, q.inner_start + 1) - 1
            if i >= 0 and spans[i][1] >= q.inner_end:
                continue  # inside a reported clause already
            si = self.resolver.sentence_index(q.start)
            ss, se = self.sentences[si] if self.sentences else (0, len(body))
            lead = body[ss : q.start].strip()
            if not lead:
                if q.words < MIN_STANDALONE_WORDS and body[q.end : se].strip(" .,;:!?)"):
                    continue  # a short quote opening a sentence about something else
                # A quote standing as its own sentence continues the previous speaker; in
                # the same paragraph it is the same utterance (`"A," he said. "B."`).
                if self.extend_last(qi) or self.extend_next(qi):
                    continue
                self.add_quote(qi, None, self.previous_speaker(q.start), 3)
                continue
            if lead.endswith(":") and q.words >= MIN_STANDALONE_WORDS:
                # "he gave the Texan a back-handed compliment: "..."": the clause's subject
                speaker = self.main_subject(ss, q.start)
                if speaker is not None:
                    self.add_quote(qi, None, speaker, 3)
                    continue
            if self.verb_before(qi, ss, se):
                continue
            if q.words >= MIN_STANDALONE_WORDS:
                self.add_quote(qi, None, self.main_subject(ss, q.start), 3)

    def verb_before(self, qi: int, ss: int, se: int) -> bool:
        """A quote inside a clause nobody attributed (`X decried the "systemic racism"`):
        the nearest verb before it and that verb's subject make the statement."""
        body = self.body
        q = self.quotes[qi]
        toks = self.tokens(max(ss, q.start - 160), q.start)
        forms, broad = self.table.forms, self.table.broad
        for k in range(len(toks) - 1, max(-1, len(toks) - 14), -1):
            s, e, tok = toks[k]
            if tok in _BOUNDARY or _is_mark(tok):
                if tok in ",":
                    continue
                return False
            known = tok in forms or tok in broad
            third = (tok.islower() and tok.endswith("s") and not tok.endswith("ss") and k > 0
                     and (toks[k - 1][2][:1].isupper() or toks[k - 1][2].lower() in PRONOUNS))
            if not known and not third and not (tok.islower() and tok.endswith("ed")
                                                and len(tok) > 4 and tok not in _ED_ADJECTIVES):
                continue
            prev = body[max(ss, s - 12) : s].split()
            if prev and prev[-1].lower() in _NOT_ACTIVE:
                continue  # a noun ("the issue") or a passive, not the clause's verb
            if q.words < 2 and not known:
                return False  # a one-word scare quote after an ordinary verb
            sub_start, sub_end, _b, _c = self.subject_before(ss, s)
            if sub_end <= sub_start or not self.plausible_subject(sub_start, sub_end):
                return False
            speaker = self.speaker_for(sub_start, sub_end, near_end=True)
            if not _named(speaker):
                return False
            start = e
            that = _THAT.match(body, start, se)
            if that:
                start = that.end()
            end = self.clause_end(start, se)
            if end <= q.start:
                return False
            self.cue_pos = s
            self.add(start, end, tok, speaker, 4)
            return True
        return False

    def extend_last(self, qi: int) -> bool:
        """Grow the direct statement just before quote `qi` in the same paragraph over it."""
        q = self.quotes[qi]
        best: _Candidate | None = None
        for c in self.candidates:
            if c.end <= q.start and (best is None or c.end > best.end):
                best = c
        if best is None or best.kind != "direct" or "\n" in self.body[best.end : q.start]:
            return False
        if q.start - best.end > 200:
            return False
        best.end = q.inner_end
        self.used_quotes.add(qi)
        return True

    def extend_next(self, qi: int) -> bool:
        """`"A." "B," he said.`: a quote right before an attributed quote of the same
        paragraph joins it."""
        q = self.quotes[qi]
        nxt: _Candidate | None = None
        for c in self.candidates:
            if c.start >= q.end and (nxt is None or c.start < nxt.start):
                nxt = c
        if nxt is None or nxt.kind != "direct" or nxt.start - q.end > 4:
            return False
        if self.body[q.end : nxt.start].strip(" \"“”'«»„`"):
            return False
        nxt.start = q.inner_start
        self.used_quotes.add(qi)
        return True

    def previous_speaker(self, pos: int) -> Speaker | None:
        """The speaker of the closest earlier statement in this or the previous paragraph."""
        body = self.body
        par_start = body.rfind("\n", 0, pos)
        prev_par = body.rfind("\n", 0, max(0, par_start - 1)) if par_start > 0 else -1
        floor = max(prev_par, pos - 800)
        best: _Candidate | None = None
        for c in self.candidates:
            if floor <= c.end <= pos and (best is None or c.end > best.end):
                best = c
        return best.speaker if best else None


@cache
def _given_names() -> frozenset[str]:
    return lexicons.words("given_names")


def _skip_space(body: str, pos: int) -> int:
    while pos < len(body) and body[pos].isspace():
        pos += 1
    return pos


def body_startswith_that(body: str, pos: int) -> bool:
    return body.startswith(" that ", pos)


def _named(speaker: Speaker | None) -> bool:
    """A speaker worth a stance statement: an actor, or a capitalised name."""
    if speaker is None:
        return False
    if speaker.kind is not None:
        return True
    return speaker.kind is None and speaker.name[:1].isupper() and len(speaker.name.split()) <= 4


def _resolve_overlaps(cands: list[_Candidate]) -> list[_Candidate]:
    """Keep the best of overlapping candidates; a statement nested in another one's content
    with its own cue inside that content ("X said that Y told reporters that ...") stays."""
    accepted: list[_Candidate] = []
    for c in sorted(cands, key=lambda c: (c.priority, c.start)):
        length = c.end - c.start
        clash = False
        for a in accepted:
            overlap = min(a.end, c.end) - max(a.start, c.start)
            if overlap <= 0 or overlap <= 0.5 * min(length, a.end - a.start):
                continue
            inner, outer = (c, a) if length <= a.end - a.start else (a, c)
            nested = (outer.cue != "according to"
                      and outer.start <= inner.start and inner.end <= outer.end
                      and outer.start <= inner.cue_pos < outer.end
                      and not (inner.start <= outer.cue_pos < inner.end))
            if not nested:
                clash = True
                break
        if not clash:
            accepted.append(c)
    return sorted(accepted, key=lambda c: (c.start, c.end))


def attribute(
    body: str,
    sentences: Sequence[tuple[int, int]],
    quotes: Sequence[Quote],
    resolver: Resolver,
) -> tuple[Statement, ...]:
    """Statements of `body`: direct quotes and reported speech with their speakers."""
    cands = _Attributor(body, sentences, quotes, resolver).run()
    return tuple(
        Statement(
            speaker=c.speaker.name if c.speaker else None,
            text=body[c.start : c.end],
            kind=c.kind,
            cue=c.cue,
            start=c.start,
            end=c.end,
        )
        for c in _resolve_overlaps(cands)
    )
