"""Segmenting a candidate name span into typed pieces: titles, known names, name chunks."""

from __future__ import annotations

from functools import lru_cache

from index.extract.candidates import CONNECTORS, Candidate
from index.extract.kinds import (
    _HONORIFICS,
    _POST_NOMINALS,
    _ROLE_ADJECTIVES,
    COUNTRY,
    DEMONYM,
    GIVEN_NAMES,
    GROUP,
    LEXICON,
    LEXICON_TABLE,
    ORG,
    ORG_HEADS,
    PARTICLES,
    PLACE,
    PLACE_HEADS,
    ROLE_NOUNS,
    ROYAL_TITLES,
    TITLE_STARTS,
    Piece,
    _given_before_surname,
    _glue_and,
    _glues,
    _lexicon_end,
    _place_brand,
    _rest_has_head,
    _title_end,
    _type_chunk,
    is_acronym,
)

# `tuple.__new__(NT, values)` builds a NamedTuple without the Python-level `__new__`
# its class call runs: these are built in the hot loops of every article.
_new_tuple = tuple.__new__


def segment_relative(
    body: str, cand: Candidate, titled: bool = False
) -> tuple[tuple[Piece, ...], bool]:
    """`segment`'s pieces with offsets relative to the candidate's start, as cached (the
    actors stage adds the start itself rather than have new pieces built)."""
    base, end, words = cand.start, cand.end, cand.words
    if len(words) == 1:
        return _segment_word(body[base:end], titled)
    return _segment(body[base:end], tuple([(s - base, e - base) for s, e in words]), titled)


def segment(body: str, cand: Candidate, titled: bool = False) -> tuple[list[Piece], bool]:
    """Split a candidate into typed pieces; returns them and whether a title is left open.

    `titled` says a title ended just before this candidate ("Special Envoy, Geir Pedersen").
    """
    base = cand.start
    pieces, pending = segment_relative(body, cand, titled)
    if not pieces:
        return [], pending
    new = _new_tuple
    if len(pieces) == 1:  # (most candidates are one piece: no comprehension)
        p = pieces[0]
        return [new(Piece, (p[0] + base, p[1] + base, p[2], p[3], p[4], p[5], p[6]))], pending
    return [
        new(Piece, (p[0] + base, p[1] + base, p[2], p[3], p[4], p[5], p[6])) for p in pieces
    ], pending


@lru_cache(maxsize=32768)
def _segment_word(text: str, titled: bool) -> tuple[tuple[Piece, ...], bool]:
    """`_segment` of a one-word candidate (most are), cached on the word alone."""
    return _segment(text, ((0, len(text)),), titled)


@lru_cache(maxsize=32768)
def _segment(
    text: str, spans: tuple[tuple[int, int], ...], titled: bool
) -> tuple[tuple[Piece, ...], bool]:
    """`segment` on the candidate's own text (offsets relative to it), cached: names recur."""
    seg = _Segmenter([text[s:e] for s, e in spans], spans, titled)
    seg.run()
    return tuple(seg.pieces), seg.pending


class _Segmenter:
    """One left-to-right walk over a candidate's words, cutting it into typed pieces: the
    open name chunk, whether a title waits for its name, whether a title's complement
    ("President of X") is being read."""

    def __init__(self, texts: list[str], spans: tuple[tuple[int, int], ...], titled: bool) -> None:
        self.texts = texts
        self.spans = spans
        self.n = len(texts)
        self.pieces: list[Piece] = []
        self.pending = titled
        self.complement = False  # inside "President of X ...": X is not the person
        self.chunk = -1  # index where the open name chunk starts

    def close(self, end: int) -> None:
        chunk, texts = self.chunk, self.texts
        if chunk < 0:
            return
        while end > chunk and texts[end - 1] in CONNECTORS:
            end -= 1
        if end > chunk:
            self.pieces.append(
                _type_chunk(texts, self.spans, chunk, end, self.pending and not self.complement)
            )
        self.chunk = -1
        self.pending = self.complement and self.pending
        self.complement = False

    def lexicon_piece(self, i: int, l_end: int, hit: tuple[str, str]) -> None:
        kind, canon = hit
        self.pieces.append(
            Piece(
                self.spans[i][0],
                self.spans[l_end - 1][1],
                kind,
                LEXICON,
                canon,
                is_acronym(self.texts[i]) and l_end == i + 1,
                l_end - i,
            )
        )

    def run(self) -> None:
        i = 0
        while i < self.n:
            step = self.step(i)
            if step is None:
                return  # the walk ended early ("Paul Boateng MP")
            i = step
        self.close(self.n)

    def step(self, i: int) -> int | None:
        """Read the word at i; the index to read next (None: stop)."""
        texts, n = self.texts, self.n
        word = texts[i]
        if word in CONNECTORS:
            return self.connector(i)
        if (
            self.complement
            and self.chunk >= 0
            and (word in GIVEN_NAMES or texts[i - 1] in ORG_HEADS)
        ):
            # "Chairman of the Board Jane Doe": the complement ends where the name starts.
            self.close(i)
            self.complement = False
            self.chunk = i
            return i + 1
        if self.chunk < 0 and word in TITLE_STARTS:
            l_end, hit = _lexicon_end(texts, i)
            if hit is not None and l_end - i > 1 and hit[0] in (COUNTRY, PLACE, ORG):
                # "General Electric", "Prince Edward Island": a known name beats a title.
                self.lexicon_piece(i, l_end, hit)  # (not an acronym: two words or more)
                return l_end
        if word in _POST_NOMINALS and self.chunk >= 0 and i == n - 1:
            self.close(i)  # "Paul Boateng MP": letters after a name are not part of it
            return None
        title = self.title(i)
        if title is not None:
            return title
        if (
            self.chunk < 0
            and word in _ROLE_ADJECTIVES
            and i + 1 < n
            and texts[i + 1] in LEXICON_TABLE
        ):
            return i + 1  # "Assistant U.S. Attorney X": the adjective belongs to the title
        if self.chunk < 0:
            return self.unopened(i)
        return i + 1

    def connector(self, i: int) -> int:
        word, chunk = self.texts[i], self.chunk
        if word == "and":
            if chunk >= 0 and _glue_and(self.texts, chunk, i):
                return i + 1
            self.close(i)
        elif chunk >= 0 and (word in PARTICLES or _glues(self.texts, chunk, i)):
            pass
        else:
            self.close(i)
            if self.pending and word in ("of", "for"):
                self.complement = True
        return i + 1

    def title(self, i: int) -> int | None:
        """A title at i: the index after it, else None."""
        texts, n, word = self.texts, self.n, self.texts[i]
        t_end = _title_end(texts, i)
        if t_end == i and i == 0 and n > 1 and word.lower() in ROLE_NOUNS:
            t_end = 1  # "Actress Julia Roberts", "Prop Phil Vickery" at a sentence start
        if t_end == n and self.chunk >= 0 and texts[self.chunk] in GIVEN_NAMES:
            t_end = i  # "Amy Pope", "Bernard King": a surname, not a title
        elif t_end == n == i + 1 and self.pending and self.chunk < 0 and word not in _HONORIFICS:
            t_end = i  # "Mr. King", "Sen. Major": after a title, a title word is a surname
        if t_end > i and not _rest_has_head(texts, i):
            self.close(i)
            self.pending = True
            if t_end == i + 1 and t_end < n and word in ROYAL_TITLES:
                self.chunk = i  # "King Abdullah II", "Pope Francis": the title is the name's
            return t_end
        return None

    def unopened(self, i: int) -> int:
        """A word with no chunk open: a known name, an adjective, or a new chunk."""
        texts, n, word = self.texts, self.n, self.texts[i]
        l_end, hit = _lexicon_end(texts, i)
        if (
            hit is not None
            and not (l_end < n and _rest_has_head(texts, l_end))
            and not _given_before_surname(texts, i, l_end, hit[0])
            and (self.pending or not _place_brand(texts, l_end, hit[0]))
            and not (l_end < n and texts[l_end] == "of" and texts[l_end - 1] in PLACE_HEADS)
        ):
            if hit[0] in (COUNTRY, PLACE, ORG):
                self.lexicon_piece(i, l_end, hit)
            # Demonyms and group words alone are not actors; a title may follow.
            self.complement = False
            return l_end
        if hit is not None and hit[0] in (DEMONYM, GROUP) and l_end < n:
            self.chunk = i
            return l_end
        if (
            i + 1 < n
            and word.endswith(("man", "woman"))
            and word not in GIVEN_NAMES
            and texts[i + 1] in GIVEN_NAMES
        ):
            # "Welshman Ray Reardon", "Frenchman Thierry Henry": a role, then a name.
            self.pending = True
            return i + 1
        if hit is not None and not self.pending and _place_brand(texts, l_end, hit[0]):
            self.chunk = i  # "Texas Instruments", "China Aviation": a firm named after a place
            return l_end
        # Hyphenated demonyms ("Kurdish-Syrian") are adjectives too.
        if "-" in word and all(
            LEXICON_TABLE.get(p, ("", ""))[0] in (DEMONYM, GROUP) for p in word.split("-")
        ):
            return i + 1
        self.chunk = i
        return i + 1
