"""Typing name spans: titles mark persons, head words organisations, lexicons countries/places."""

from __future__ import annotations

import re
from typing import NamedTuple

from index.extract import lexicons
from index.extract.candidates import CONNECTORS, split_words
from index.extract.gender import common_given_names

PERSON, ORG, COUNTRY, PLACE = "person", "organization", "country", "place"
DEMONYM, GROUP = "demonym", "group"  # lexicon hits that are not actors on their own
NOT_ACTOR = "not-actor"  # a vote that a name is a thing (title, team, product), no actor

# Evidence weights: lexicon hits and head words beat context cues, which beat guesses.
LEXICON, HEAD, TITLE, CUE, GIVEN, DEFAULT, WEAK = 10, 7, 6, 5, 4, 2, 1
GUESS = 1  # a default person reading that needs confirmation


def _country_table() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    demonyms: dict[str, str] = {}
    for row in lexicons.load("countries"):
        name = row[0]
        fields = [*row, "", "", ""][:4]
        for alt in [name, *filter(None, fields[1].split("|"))]:
            table[alt] = (COUNTRY, name)
        for dem in filter(None, fields[2].split("|")):
            demonyms[dem] = name
        for cap in filter(None, fields[3].split("|")):
            table.setdefault(cap, (PLACE, cap))
    return table, demonyms


STOP_TITLES = lexicons.words("stopwords")
# GeoNames cities (see lexicons/README.md): name -> population.
GEO_CITIES = {row[0]: int(row[2]) for row in lexicons.table("geo_cities")}
BIG_CITY = 1_000_000
_CLUB_TOWN = 100_000  # a town big enough to lend its name to clubs and firms


def _build_lexicon() -> dict[str, tuple[str, str]]:
    table, demonyms = _country_table()
    for name in lexicons.phrases("places"):
        table.setdefault(name, (PLACE, name))
    for row in lexicons.load("us_states"):
        table.setdefault(row[0], (PLACE, row[0]))
        for abbreviation in filter(None, (row[1] if len(row) > 1 else "").split("|")):
            # Ambiguous two-letter codes ("IN", "OR", "ME") stay words; "TX", "Calif." do not.
            if abbreviation.title() not in STOP_TITLES:
                table.setdefault(abbreviation, (PLACE, row[0]))
    for name in lexicons.phrases("known_orgs"):
        table.setdefault(name, (ORG, name))
    # Cities of a million people or more are places wherever they appear, unless
    # the name is also a given name ("Houston", "Florence" stay for the context).
    given = common_given_names()
    for name, population in GEO_CITIES.items():
        if population >= BIG_CITY and name not in given and name.title() not in STOP_TITLES:
            table.setdefault(name, (PLACE, name))
    for dem, country in demonyms.items():
        table.setdefault(dem, (DEMONYM, country))
    for word in lexicons.words("group_words"):
        table.setdefault(word, (GROUP, word))
    return table


LEXICON_TABLE = _build_lexicon()
_MAX_PHRASE = max(len(k.split()) for k in LEXICON_TABLE)
TITLES = frozenset(lexicons.phrases("titles"))
_MAX_TITLE = max(len(t.split()) for t in TITLES)
TITLE_STARTS = frozenset(t.split()[0] for t in TITLES) | lexicons.words("role_modifiers")
MODIFIERS = lexicons.words("role_modifiers")
ROYAL_TITLES = split_words("King Queen Pope Emperor Empress Tsar Czar Prince Princess")
ROLE_NOUNS = lexicons.words("role_nouns") | frozenset(t.lower() for t in TITLES if " " not in t)
ORG_NOUNS = lexicons.words("org_nouns")
PLACE_NOUNS = lexicons.words("place_nouns")
ORG_HEADS = lexicons.words("org_heads")
PLACE_HEADS = lexicons.words("place_heads")
NOT_NAMES = lexicons.words("not_names")
UI_WORDS = lexicons.words("ui_text")
STOPWORDS = lexicons.words("stopwords")
EVENT_HEADS = lexicons.words("event_heads")
ORG_WORDS = lexicons.words("org_words")


def _given_names(names: frozenset[str]) -> frozenset[str]:
    """The hand list, plus the SSA `names` that no other list claims: a name that is
    also a place, title, head word or month ("Paris", "King", "May") is not evidence."""
    hand = lexicons.words("given_names")
    claimed = (
        STOPWORDS
        | TITLE_STARTS
        | ORG_HEADS
        | PLACE_HEADS
        | EVENT_HEADS
        | ORG_WORDS
        | NOT_NAMES
        | UI_WORDS
    )
    extra = (
        n
        for n in names - hand
        if n not in LEXICON_TABLE
        and n not in claimed
        and n.lower() not in ROLE_NOUNS
        and n.lower() not in CONNECTORS  # "El Universal", "Le Monde", "Van Gogh"
    )
    return hand | frozenset(extra)


# Rarer given names ("Gianfranco", "Yaron") vouch for a person only as the first of
# several words ("Gianfranco Zola"), never alone.
FIRST_NAMES = _given_names(frozenset(row[0] for row in lexicons.table("given_names_ssa")))
GIVEN_NAMES = FIRST_NAMES & common_given_names()
COMPASS = split_words("North South East West Northern Southern Eastern Western Central Upper Lower")
PLACE_PREFIXES = split_words("San Santa Los Las Port Fort Saint St Mount Lake Cape Tel Ras")
# Name particles stay inside a person's name; "of"/"for" only inside organisations and places.
PARTICLES = CONNECTORS - {"of", "for", "the", "and"}
_ACRONYM = re.compile(r"(?:[A-Z][A-Z0-9&]{1,4}|(?:[A-Z]\.){2,}|[A-Z][a-z]?[A-Z][A-Z]+)")
_GIVEN_PREFIX = re.compile(r"(?:Abd[ue]l?|Abu|Nur|Sayf|Saif)\w+")


class Piece(NamedTuple):
    """A typed name inside a candidate: offsets, kind votes and lexicon canonical name."""

    start: int
    end: int
    kind: str | None  # strongest kind from the name itself, None when unknown
    weight: int
    canon: str | None  # canonical name from a lexicon (countries: "UAE" -> full name)
    acronym: bool
    tokens: int


def is_acronym(text: str) -> bool:
    return bool(_ACRONYM.fullmatch(text)) and text not in NOT_NAMES


def _title_end(texts: list[str], i: int) -> int:
    """End index of a title phrase (modifiers + title) starting at word i, else i."""
    if texts[i] not in TITLE_STARTS:
        return i
    j = i
    while j < len(texts) and texts[j] in MODIFIERS:
        j += 1
    best = i
    # Modifiers may themselves be titles ("Chief Williams"): back off one word at a time.
    for start in range(j, i - 1, -1):
        for k in range(min(len(texts), start + _MAX_TITLE), start, -1):
            if " ".join(texts[start:k]) in TITLES:
                best = k
                break
        if best > i:
            break
    # "Foreign Minister Secretary-General": titles may chain ("Crown Prince Sheikh").
    if best > i:
        nxt = (
            _title_end(texts, best) if best < len(texts) and texts[best] not in MODIFIERS else best
        )
        return max(best, nxt)
    return i


def _lexicon_end(texts: list[str], i: int) -> tuple[int, tuple[str, str] | None]:
    for k in range(min(len(texts), i + _MAX_PHRASE), i, -1):
        hit = LEXICON_TABLE.get(" ".join(texts[i:k]))
        if hit:
            return k, hit
    return i, None


def _head_kind(texts: list[str], i: int, j: int) -> str | None:
    """ORG or PLACE when words i..j end in (or hinge on, before of/for) a head word."""
    for k in range(i, j):
        if texts[k] in ("of", "for"):
            return _HEAD_KINDS.get(texts[k - 1]) if k > i else None
    return _HEAD_KINDS.get(texts[j - 1]) if j > i else None


_HEAD_KINDS = {**{w: PLACE for w in PLACE_HEADS}, **{w: ORG for w in ORG_HEADS}}
_COMPANY_ENDS = split_words("Corp Co Inc Ltd Plc PLC LLC Company Corporation Cos Bros")


def _place_brand(texts: list[str], k: int, kind: str) -> bool:
    """Whether a country or city name at the start runs into one or two plain unknown
    words that end the span: then the whole is a name of its own ("Texas Instruments",
    or "Jordan Peele" when the place is also a given name)."""
    rest = texts[k:]
    for stop, word in enumerate(rest):
        if word == "and":
            rest = rest[:stop]
            break
    if kind not in (COUNTRY, PLACE) or not 1 <= len(rest) <= 2:
        return False
    return all(
        w[:1].isupper()
        and w not in LEXICON_TABLE
        and w not in GIVEN_NAMES
        and w not in TITLE_STARTS
        and w not in CONNECTORS
        and w not in PLACE_HEADS
        for w in rest
    )


def _glues(texts: list[str], chunk: int, i: int) -> bool:
    """Whether "of"/"for" at i continues the name: "Ministry of Defence", "Gulf of Mexico",
    "Observatory for Human Rights" (not "Street for Roll Call", "Ltd of Toronto")."""
    head = _head_kind(texts, chunk, i)
    if head is None or texts[i - 1] in _COMPANY_ENDS:
        return False
    return head == ORG or texts[i] == "of"


def _glue_and(texts: list[str], chunk: int, i: int) -> bool:
    """Whether "and" at i is inside one name: "Institute of Strategic and International
    Studies", "American Telephone and Telegraph Co" (not "Bank of England and Barclays")."""
    if texts[i - 1] in LEXICON_TABLE or i + 1 >= len(texts):
        return False
    left = texts[chunk:i]
    if "and" in left:
        return False
    rest = texts[i + 1 :]
    if "and" in rest:
        rest = rest[: rest.index("and")]
    if (
        ("of" in left or "for" in left)
        and _head_kind(texts, chunk, i) is not None
        and len(rest) <= 2
        and rest[0] not in GIVEN_NAMES
        and rest[0] not in LEXICON_TABLE
    ):
        return True
    if (
        len(left) == 1
        and len(rest) <= 2
        and rest[-1] in ORG_HEADS
        and i + 1 + len(rest) == len(texts)
        and not any(t in GIVEN_NAMES or t in LEXICON_TABLE for t in (left[0], rest[0]))
    ):
        # "Finance and Economy Ministry", "Work and Pensions Committee": a department
        # named by two subjects; the head ends the span, so no second name follows.
        return True
    return (
        rest[-1] in _COMPANY_ENDS and len(left) <= 2 and not any(t in LEXICON_TABLE for t in left)
    )


def _rest_has_head(texts: list[str], i: int) -> bool:
    """Whether the words from i run (before any title) into an org or place head word."""
    for k in range(i, len(texts)):
        if texts[k] == "and":
            return False
        if k > i and _title_end(texts, k) > k:
            # "Democratic National Committee Chairwoman X": a head right before a title.
            return texts[k - 1] in ORG_HEADS or texts[k - 1] in PLACE_HEADS
        word = texts[k]
        if (word in ORG_HEADS or word in PLACE_HEADS) and (
            k == len(texts) - 1 or texts[k + 1] in ("of", "for")
        ):
            return True
    return False


def _given_before_surname(texts: list[str], i: int, k: int, kind: str) -> bool:
    """ "Christian Olsson": a group word that is also a given name, before one last
    capitalised word that is no plural, lexicon entry or head word, starts a name."""
    if kind not in (DEMONYM, GROUP) or texts[i] not in GIVEN_NAMES or k != len(texts) - 1:
        return False
    last = texts[k]
    return (
        last[:1].isupper()
        and not last.endswith("s")
        and last not in LEXICON_TABLE
        and last not in ORG_HEADS
        and last not in PLACE_HEADS
        and last not in TITLE_STARTS
    )


def _shouted(texts: list[str]) -> bool:
    """An all-capitals span that is not a short acronym: a heading or table, not a name."""
    return all(t.isupper() or t in CONNECTORS for t in texts) and any(
        len(t) > 5 or (len(t) > 1 and " " in " ".join(texts)) for t in texts if t.isupper()
    )


def _type_chunk(
    texts: list[str], spans: tuple[tuple[int, int], ...], i: int, j: int, titled: bool
) -> Piece:
    start, end = spans[i][0], spans[j - 1][1]
    words = texts[i:j]
    name = " ".join(words)
    tokens = sum(1 for t in words if t not in CONNECTORS)
    hit = LEXICON_TABLE.get(name)
    if hit is None and _shouted(words):
        # "PHILADELPHIA (AP)": an all-capitals name counts only if a lexicon knows it.
        hit = LEXICON_TABLE.get(name.title())
        if hit is None or hit[0] not in (COUNTRY, PLACE, ORG):
            return Piece(start, end, None, -1, None, False, tokens)
    if hit and hit[0] in (COUNTRY, PLACE, ORG):
        return Piece(start, end, hit[0], LEXICON, hit[1], False, tokens)
    last = words[-1]
    if all(t in COMPASS or LEXICON_TABLE.get(t, ("",))[0] in (DEMONYM, GROUP) for t in words):
        return Piece(start, end, None, -1, None, False, tokens)  # "West German", "South Asian"
    if last.endswith("s") and LEXICON_TABLE.get(last, ("",))[0] in (DEMONYM, GROUP):
        return Piece(start, end, None, -1, None, False, tokens)  # "Roman Catholics"
    if last in EVENT_HEADS or words[0] == "Operation" or (j - i > 1 and last in _MEMBER_WORDS):
        # Events and laws are not actors; "Orlando Republican" describes a person.
        return Piece(start, end, None, -1, None, False, tokens)
    head = _head_kind(texts, i, j)
    if head is not None and last in _SURNAME_HEADS and words[0] in GIVEN_NAMES and j - i <= 3:
        head = None  # "Thomas Haden Church", "Jenny Hall": a surname that is also a head word
    if head is not None and j - i == 1:
        if last in _MASTHEADS:
            return Piece(start, end, ORG, DEFAULT, None, False, 1)  # "the Times", "The Post"
        # A bare head word ("Army", "TV", "Ministry") is a common noun, not a name.
        return Piece(start, end, None, -1, None, False, 1)
    if head is not None:
        return Piece(start, end, head, HEAD, None, False, tokens)
    if titled:
        return Piece(start, end, PERSON, TITLE, None, False, tokens)
    if j - i == 1:
        if last.isupper() and (last.title() in STOPWORDS or last in NOT_NAMES):
            return Piece(start, end, None, -1, None, False, 1)  # "UP", "IT", "NIL" in tables
        if last.isupper() and len(last) > 3:
            # "MIAMI (AP)", "NOTE:": shouted words count only when a lexicon knows them.
            hit = LEXICON_TABLE.get(last.title())
            if hit is not None and hit[0] in (COUNTRY, PLACE, ORG):
                return Piece(start, end, hit[0], LEXICON, hit[1], False, 1)
            if last.title() in STOPWORDS or last.title() in UI_WORDS:
                return Piece(start, end, None, -1, None, False, 1)
        if is_acronym(last):
            return Piece(start, end, ORG, DEFAULT, None, True, 1)
        if last in NOT_NAMES or last in UI_WORDS:
            return Piece(start, end, None, -1, None, False, 1)
        if last in GIVEN_NAMES:
            return Piece(start, end, PERSON, DEFAULT, None, False, 1)
        if last in GEO_CITIES:
            # "Burnley", "Delft": a town's name alone; a cue or a full name can outvote it.
            return Piece(start, end, PLACE, DEFAULT, None, False, 1)
        return Piece(start, end, None, 0, None, False, 1)
    if name in GEO_CITIES:
        return Piece(start, end, PLACE, CUE, None, False, tokens)  # "Beverly Hills"
    first = words[0]
    if first in PLACE_PREFIXES or (
        first in COMPASS and LEXICON_TABLE.get(" ".join(words[1:]), ("",))[0] in (PLACE, COUNTRY)
    ):
        return Piece(start, end, PLACE, DEFAULT, None, False, tokens)
    if first in GIVEN_NAMES or _GIVEN_PREFIX.fullmatch(first):
        return Piece(start, end, PERSON, GIVEN, None, False, tokens)
    if first in FIRST_NAMES or _is_initial_name(words):
        # A rare given name or an initial: a person unless the context says otherwise.
        return Piece(start, end, PERSON, DEFAULT, None, False, tokens)
    if last in UI_WORDS or any(t in NOT_NAMES for t in words):
        return Piece(start, end, None, -1, None, False, tokens)
    if any(GEO_CITIES.get(t, 0) >= _CLUB_TOWN for t in words):
        # "Dundee United", "Swansea City": a club or firm named after its town.
        return Piece(start, end, ORG, DEFAULT, None, False, tokens)
    if any(t in ("of", "for", "&") or t in ORG_WORDS or t in LEXICON_TABLE for t in words):
        # "Air China", "Royal Mail", "Dinamo Bucharest": not how people are named.
        return Piece(start, end, ORG, DEFAULT, None, False, tokens)
    # Two or three capitalised words with no other clue: probably a person, but
    # only kept if the text confirms it (a cue, or the surname used alone).
    return Piece(start, end, PERSON, GUESS, None, False, tokens)


def _is_initial_name(words: list[str]) -> bool:
    """ "R de Marigny", "S Parisse": an initial before a surname (two capitals, as in
    "BT Retail", are more often an acronym)."""
    first = words[0]
    return (
        len(first) == 1
        and first.isupper()
        and first.isalpha()
        and first not in LEXICON_TABLE
        and first not in NOT_NAMES
        and first not in ("A", "I")
        and words[-1] not in LEXICON_TABLE
    )


_NEXT_WORD = re.compile(r"[ ]?([a-z][\w-]*)")
_APPOSITION = re.compile(r", (?:a|an|the|its|his|her|their)((?: [\w'’-]+){1,4})")
_PARTY_STATE = re.compile(r" \([RDI]-[A-Z]")
_AGE = re.compile(r", \d{1,3},")
_ROLE_ADJECTIVES = split_words("Assistant Deputy Acting Interim Associate Senior Junior Chief")
_HONORIFICS = split_words("Mr Mrs Ms Miss Dr Sir Dame Prof Rev")
_POST_NOMINALS = split_words("MP MPs MSP MEP QC KC PhD OBE MBE CBE KBE")
_SURNAME_HEADS = split_words(
    "Church Bank Banks Post Cross Hall Field Fields Park Hill Hills Street Bay Lake Brooks Beach "
    "Forest Coast Station Tower Castle Temple Fair Mission Court"
)
_MASTHEADS = split_words("Times Post Journal Herald Tribune Telegraph Guardian")
_MEMBER_WORDS = split_words("Republican Democrat Conservative Liberal Socialist Tory Labourite")
_PERSON_AFTER = split_words("administration campaign presidency's")
_SPEECH = split_words("said says told added argued wrote tweeted insisted warned stated")
# "in X", "near X" suggest a place; "at", "from" and "to" precede firms and people as often.
_LOCATIVE = split_words("in near outside into toward towards across around inside")


def context_votes(body: str, start: int, end: int) -> list[tuple[str, int]]:
    """Kind votes from the words around a name ("militant group X", "X province")."""
    votes: list[tuple[str, int]] = []
    if start > 1 and body[start - 1] == " ":
        cut = body.rfind(" ", max(0, start - 30), start - 1)
        word = body[cut + 1 : start - 1]
        if word.islower():
            comma = word.endswith(",")
            low = word.rstrip(",")
            if low in ROLE_NOUNS:
                votes.append((PERSON, CUE))
            elif comma:
                pass
            elif low in ORG_NOUNS:
                votes.append((ORG, CUE))
            elif low in _LOCATIVE:
                votes.append((PLACE, WEAK))
            elif low in ("of", "the") and cut > 0:
                tail = body[max(0, cut - 30) : cut].split()
                if low == "the" and tail and tail[-1] == "of":
                    tail.pop()
                elif low == "the":
                    tail = []
                if tail and tail[-1] in PLACE_NOUNS:
                    votes.append((PLACE, CUE))
    # (`_NEXT_WORD` needs a lower-case ASCII letter at `end` or after one space there:
    # most names are followed by neither, and go without the regex call)
    c = body[end : end + 1]
    if c == " ":
        c = body[end + 1 : end + 2]
    m = _NEXT_WORD.match(body, end) if "a" <= c <= "z" else None
    if m:
        nxt = m.group(1)
        if nxt in PLACE_NOUNS:
            votes.append((PLACE, CUE))
        elif nxt in ORG_NOUNS:
            votes.append((ORG, WEAK + 1))
        elif nxt in _PERSON_AFTER:
            votes.append((PERSON, DEFAULT))  # "the Obama administration", "Clinton campaign"
        elif nxt in _SPEECH:
            votes.append((PERSON, WEAK))  # "Obama said" (firms speak too, hence weak)
    if body.startswith(", ", end):
        m = _APPOSITION.match(body, end)
        if m:
            for word in m.group(1).split():
                low = word.strip(",.;:").lower()
                if low in ORG_NOUNS:
                    votes.append((ORG, CUE))
                    break
                if low in ROLE_NOUNS:
                    votes.append((PERSON, CUE))
                    break
                if low in PLACE_NOUNS:
                    votes.append((PLACE, CUE))
                    break
        elif body.startswith(", who ", end) or _AGE.match(body, end):
            votes.append((PERSON, CUE))  # "X, who ...", "Quina Jones, 25, said"
    elif body.startswith(" (", end) and _PARTY_STATE.match(body, end):
        votes.append((PERSON, CUE))  # "Rubio (R-Fla.)": a lawmaker's party and state
    return votes
