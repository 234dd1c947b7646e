"""find_actors: the people, organisations, countries and places named in an article body."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import compress
from operator import attrgetter, sub
from typing import cast

from index.extract.aliases import Mention, resolve
from index.extract.candidates import CONNECTORS, Candidate, find_candidates, split_words
from index.extract.kinds import (
    COUNTRY,
    CUE,
    DEFAULT,
    GIVEN,
    GIVEN_NAMES,
    GUESS,
    HEAD,
    LEXICON,
    LEXICON_TABLE,
    NOT_ACTOR,
    ORG,
    ORG_HEADS,
    PERSON,
    PLACE,
    ROLE_NOUNS,
    TITLE,
    TITLE_STARTS,
    WEAK,
    Piece,
    context_votes,
    is_acronym,
)
from index.extract.segment import segment, segment_relative
from index.names import actor_key, initials
from index.records import Actor

_MAX_HEADLINE_PHRASE = 5


_ABBREVIATED = frozenset(
    [
        "Sen",
        "Rep",
        "Gov",
        "Gen",
        "Lt",
        "Col",
        "Sgt",
        "Capt",
        "Adm",
        "Prof",
        "Rev",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Maj",
        "Cmdr",
        "Supt",
        "Insp",
        "Pres",
        "Amb",
    ]
)
_ACRONYM_AFTER = re.compile(r" \(([A-Z][A-Za-z.&]{1,9})\)")


# `tuple.__new__(NT, values)` builds a NamedTuple without the Python-level `__new__`
# its class call runs: these are built in the hot loops of every article.
_new_tuple = tuple.__new__


def _used_in_lower_case(body: str, word: str) -> bool:
    """Whether `word` occurs in `body` as a whole lower-case word."""
    at = body.find(word)
    size = len(word)
    while at >= 0:
        before = body[at - 1] if at else " "
        after = body[at + size : at + size + 1] or " "
        if not (before.isalnum() or before == "-") and not (after.isalnum() or after == "-"):
            return True
        at = body.find(word, at + 1)
    return False


_ARTICLES = ("the ", "The ", "a ", "an ", "An ")
# The weight of a "this is a thing, not an actor" vote: above a bare given name
# (DEFAULT) and a name used twice, below any real cue.
_THING = DEFAULT + 1
# After "the X", these words make X the subject or a whole noun phrase ("the Lions
# were", "the Aviator has", "an Oscar for"); any other lower-case word makes X a
# modifier of a noun that owns the article ("the Renault statement").
_AFTER_WHOLE_NAME = split_words(
    "is are was were has have had will would could can should may might must did does do "
    "and or but to of in on at for with from by as that which who whose said says won "
    "lost beat took made"
)

# "the Obama administration", "the Blair government": a person's name as a modifier.
_PERSON_MODIFIED = split_words(
    "administration campaign government camp cabinet era years family presidency doctrine "
    "aide aides spokesman spokeswoman"
)
_WORD_AFTER = re.compile(r"(?:'s?|’s?)? ([a-z]+)")


def _article_use(body: str, start: int, end: int) -> str | None:
    """How the name at start..end stands after an article: `"whole"` when the article is
    its own ("the Lions were", "an Oscar."), `"modifier"` when it belongs to a noun the
    name qualifies ("the Renault statement"), None without an article or when the name
    qualifies a person's noun ("the Obama administration")."""
    if start < 2 or body[start - 1] != " " or body[start - 2] not in "ean":
        return None  # (every article ends in a space after e, a or n: most names follow none)
    for article in _ARTICLES:
        at = start - len(article)
        if at >= 0 and body.startswith(article, at) and (at == 0 or not body[at - 1].isalnum()):
            break
    else:
        return None
    m = _WORD_AFTER.match(body, end)
    if m is None or m.group(1) in _AFTER_WHOLE_NAME:
        return "whole"
    return None if m.group(1) in _PERSON_MODIFIED else "modifier"


def _drop_common_opener(body: str, cand: Candidate) -> Candidate:
    """ "Called Global System...": a sentence's first word that the text also uses in
    lower case is an ordinary word, not the start of a name."""
    s, e = cand.words[0]
    word = body[s:e]
    if (
        word in GIVEN_NAMES
        or word.lower() in ROLE_NOUNS  # "Founder Stelios Haji-Ioannou": a title
        or word in LEXICON_TABLE
        or word in TITLE_STARTS
        or word in ORG_HEADS
        or not word.isalpha()
        or not word[1:].islower()
        or not (word.endswith("ly") or _used_in_lower_case(body, word.lower()))
    ):
        return cand  # ("Unfortunately England ...": an adverb opening the sentence goes)
    words = cand.words[1:]
    while words and body[words[0][0] : words[0][1]] in CONNECTORS:
        words = words[1:]
    if not words:
        return cand
    return cand._replace(start=words[0][0], words=words, initial=False)


def _spelled_out(body: str, cand: Candidate) -> tuple[Candidate | None, Piece] | None:
    """ "Internet Corporation for Assigned Names and Numbers (ICANN)": the words whose
    initials the following parenthesised acronym spells are one organisation name."""
    m = _ACRONYM_AFTER.match(body, cand.end)
    if m is None or len(cand.words) < 2:
        return None
    letters = m.group(1).replace(".", "")
    if not letters.isupper():
        return None
    words = cand.words
    for k in range(len(words) - 1):
        s = words[k][0]
        if body[s : words[k][1]] in CONNECTORS:
            continue
        text = body[s : cand.end]
        if initials(text) == letters:
            hit = LEXICON_TABLE.get(" ".join(text.split()))
            if hit is not None and hit[0] in (COUNTRY, PLACE, ORG):
                piece = Piece(s, cand.end, hit[0], LEXICON, hit[1], False, len(words) - k)
            else:
                piece = Piece(s, cand.end, ORG, CUE, None, False, len(words) - k)
            rest = words[:k]
            while rest and body[rest[-1][0] : rest[-1][1]] in CONNECTORS:
                rest = rest[:-1]
            head = cand._replace(end=rest[-1][1], words=rest) if rest else None
            return head, piece
    return None


def _mentions(body: str, cands: list[Candidate]) -> tuple[list[Mention], list[Candidate]]:
    mentions: list[Mention] = []
    headlines: list[Candidate] = []
    titled = False
    prev_end = 0
    tickers = "<" in body
    last: Mention | None = None
    for cand in cands:
        start, end, words, initial, headline = cand
        if (
            tickers
            and body[start - 1 : start] == "<"
            and body[end : end + 1] == ">"
            and len(words) == 1
            and body[start:end].isupper()
        ):
            continue  # "<XON>": a stock ticker in newswire copy
        if headline:
            headlines.append(cand)
            titled = False
            continue
        if initial and len(words) > 1:
            cand = _drop_common_opener(body, cand)
            start, end, words, initial, headline = cand
        carry = False
        if titled:
            gap = body[prev_end:start]
            # "Special Envoy, Geir Pedersen"; "Sen. Warren": an abbreviated title ends in a dot.
            carry = gap in (", ", " ") or (
                gap == ". " and body[max(0, prev_end - 4) : prev_end].split()[-1] in _ABBREVIATED
            )
            if initial and carry:
                cand = cand._replace(initial=False)
                initial = False
        pieces: Sequence[Piece]
        spelled = _spelled_out(body, cand) if body.startswith(" (", end) else None
        if spelled is not None:
            head, expansion = spelled
            found, titled = segment(body, head, carry) if head is not None else ([], False)
            pieces = [*found, expansion]
            base = 0
        else:
            # (pieces in the candidate's offsets: `_mention` adds `base`)
            base = start
            pieces, titled = segment_relative(body, cand, carry)
        prev_end = end
        opener = start if initial else -1
        for piece in pieces:
            if piece[3] < 0:
                continue  # (`_mention` of a piece that names nothing: None)
            mention = _mention(body, base, piece, opener, last)
            if mention is not None:
                mentions.append(mention)
                last = mention
    _share_kinds_in_lists(body, mentions)
    return mentions, headlines


def _mention(
    body: str, base: int, piece: Piece, opener: int, last: Mention | None
) -> Mention | None:
    """The mention of one typed piece (its offsets `base` before the body's), its kind
    votes read with the words around it; None for a piece that names nothing."""
    start, end, kind, weight, canon, acronym, tokens = piece
    if weight < 0:
        return None
    start += base
    end += base
    text = body[start:end]
    if acronym and weight < LEXICON and _used_in_lower_case(body, text.lower()):
        return None  # "REAL", "ANY": a shouted ordinary word, not an acronym
    if weight >= TITLE:  # context cues cannot outvote a title, head word or lexicon
        votes: tuple[tuple[str, int], ...] = ((kind, weight),) if kind else ()
        context: Sequence[tuple[str, int]] = ()
    else:
        context = context_votes(body, start, end)
        votes = ((kind, weight), *context) if kind else tuple(context)
    if (
        last is not None
        and start - last.end == 3
        and body[last.end : start] in ("'s ", "’s ")
        and any(k == ORG and w >= HEAD for k, w in last.votes)
        and not any(k == PERSON and w >= GIVEN for k, w in votes)
    ):
        # "Honda's Asimo", "Sony's Qrio": a company's named thing is a product
        # (its people come with a given name or a title: "Sony's Howard Stringer").
        votes = (*(v for v in votes if v[0] != PERSON), (NOT_ACTOR, _THING))
    if (
        not votes
        and body[start - 1 : start] == "("
        and body[end : end + 1] in (")", ",")
        and body[max(0, start - 3) : start - 1].rstrip()[-1:].isalpha()
    ):
        # "L Nitoglia (Calvisano)": a bracketed word after a name is a club,
        # a town or a party, never the person himself.
        votes = ((NOT_ACTOR, WEAK),)
    if start >= 2 and body[start - 1] == " " and body[start - 2] in "ean":
        # (`_article_use` reads no article before any other name: votes unchanged)
        votes = _article_votes(body, start, end, votes)
    # A capital at a sentence start proves nothing: such a lone word must
    # be confirmed by a lexicon, an acronym or another mention. So must a
    # guessed person name.
    tentative = (
        start == opener
        and tokens == 1
        and weight < LEXICON
        and not acronym
        # "Bob said ...": a given name opening a sentence is a name, unless the
        # text also uses it as an ordinary word ("Will", "Hope").
        and not (text in GIVEN_NAMES and not _used_in_lower_case(body, text.lower()))
    ) or (kind == PERSON and weight == GUESS and not any(w >= CUE for _, w in context))
    return _new_tuple(Mention, (start, end, text, votes, canon, acronym, tokens, tentative))


def _article_votes(
    body: str, start: int, end: int, votes: tuple[tuple[str, int], ...]
) -> tuple[tuple[str, int], ...]:
    """The votes of a name read with an article before it."""
    use = _article_use(body, start, end)
    if use == "whole" and not any(k == PERSON and w >= TITLE for k, w in votes):
        # "the Lions", "an Oscar", "the Beverly Hillbillies": people are not
        # named with an article, so such a name is some other thing.
        others = tuple(v for v in votes if v[0] != PERSON)
        return others or ((NOT_ACTOR, _THING),)
    if use == "modifier" and not any(k == PERSON and w >= GIVEN for k, w in votes):
        # "the Renault statement", "the Ofsted report": a name qualifying a
        # noun after an article is a firm, body or brand ("a Bob Deans try",
        # "the Obama administration" keep their person).
        others = tuple(v for v in votes if v[0] != PERSON)
        return others or ((ORG, CUE),)
    return votes


_START, _END = attrgetter("start"), attrgetter("end")
_LIST_GAPS = frozenset((" and ", ", ", ", and ", " or ", ", or "))


def _share_kinds_in_lists(body: str, mentions: list[Mention]) -> None:
    """Coordinated names share a kind: "the provinces of Aleppo and Idlib"."""
    # (only neighbours at most 6 characters apart can be listed: found without a loop)
    gaps = map(sub, map(_START, mentions[1:]), map(_END, mentions))
    for i in compress(range(1, len(mentions)), map((6).__ge__, gaps)):
        a, b = mentions[i - 1], mentions[i]
        if body[a.end : b.start] not in _LIST_GAPS:
            continue
        top_a = max(a.votes, key=lambda v: v[1], default=None)
        top_b = max(b.votes, key=lambda v: v[1], default=None)
        if top_a is not None and top_b is not None and PERSON == top_a[0] == top_b[0]:
            # "Frank Lebeouf, Josep Guardiola, Titi Camara": a guessed full name
            # listed with a sure person is a person too (either way round).
            if top_a[1] >= GIVEN and top_b[1] == GUESS and b.tokens > 1:
                mentions[i] = b._replace(votes=(*b.votes, (PERSON, DEFAULT)), tentative=False)
            elif top_b[1] >= GIVEN and top_a[1] == GUESS and a.tokens > 1:
                mentions[i - 1] = a._replace(votes=(*a.votes, (PERSON, DEFAULT)), tentative=False)
            continue
        if top_a is None or top_a[1] < CUE or top_a[0] == NOT_ACTOR:
            continue
        if top_b is None or top_b[1] < CUE:
            # One above DEFAULT: "towns of Nubl and Zahra" outvotes a lone given name.
            mentions[i] = b._replace(votes=(*b.votes, (top_a[0], DEFAULT + 1)))


def _headline_mentions(
    body: str, headlines: list[Candidate], known: dict[str, Mention]
) -> list[Mention]:
    """Names inside headline-case lines: only those already known from the prose or a
    lexicon, or built on a head word ("Source: Times of Oman")."""
    out: list[Mention] = []
    for cand in headlines:
        words = cand.words
        pieces, _ = segment(body, cand)
        built = [p for p in pieces if p.weight == HEAD]
        for p in built:
            text = body[p.start : p.end]
            out.append(
                Mention(
                    p.start, p.end, text, ((cast(str, p.kind), HEAD),), None, False, p.tokens, False
                )
            )
        i = 0
        while i < len(words):
            if any(p.start <= words[i][0] < p.end for p in built):
                i += 1
                continue
            hit = None
            for j in range(min(len(words), i + _MAX_HEADLINE_PHRASE), i, -1):
                start, end = words[i][0], words[j - 1][1]
                text = body[start:end]
                ref = known.get(actor_key(text))
                lex = LEXICON_TABLE.get(text)
                if ref is not None:
                    hit = Mention(start, end, text, ref.votes, ref.canon, ref.acronym, j - i, True)
                elif lex is not None and lex[0] in (COUNTRY, PLACE, ORG):
                    hit = Mention(
                        start,
                        end,
                        text,
                        ((lex[0], LEXICON),),
                        lex[1],
                        is_acronym(text),
                        j - i,
                        False,
                    )
                if hit is not None:
                    out.append(hit)
                    i = j
                    break
            else:
                i += 1
    return out


def find_actors(body: str) -> tuple[Actor, ...]:
    """Actors named in `body`, aliases merged, with exact mention offsets, most mentioned first."""
    if not body or not isinstance(body, str):
        return ()
    mentions, headlines = _mentions(body, find_candidates(body))
    if headlines:
        known: dict[str, Mention] = {}
        for m in mentions:
            if not m.tentative:
                known.setdefault(actor_key(m.text), m)
                parts = actor_key(m.text).split()
                if (
                    m.tokens >= 2
                    and parts
                    and max(m.votes, default=("", 0), key=lambda v: v[1])[0] == "person"
                ):
                    # Headlines name people by surname ("Assad Vows Defeat").
                    known.setdefault(parts[-1], m._replace(tokens=1))
        mentions.extend(_headline_mentions(body, headlines, known))
        mentions.sort(key=lambda m: m.start)
    return resolve(body, mentions)
