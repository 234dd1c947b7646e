"""Stories: which articles cover the same event (title-and-lead similarity, a time window, a shared actor)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

# Words of the body read as the lead, after the title.
LEAD_WORDS = 80
# Terms kept per article (the highest TF-IDF): bounds the vocabulary, the
# postings and the work of comparing two articles.
TOP_TERMS = 20
# Terms of a new article looked up to find candidates, and candidates per term.
PROBE_TERMS = 10
PROBE_LIMIT = 200
PROBE_ACTORS = 5
# ...and leaving out terms in more than this share of the articles (bounded work).
PROBE_SHARE = 0.01
# Candidates fully compared (those sharing the most probe terms).
COMPARE = 40
# Most mentioned actors in the actor vector (who is involved says what the event is).
ACTOR_TERMS = 15
# Weight of the text in the similarity; the actors have the rest. In a library of
# fewer than MIN_ARTICLES articles word rarities say little (in five articles about
# one offensive "Aleppo" is the commonest word): text counts less, actors more.
TEXT_WEIGHT = 0.5
# Actors of an article considered for the shared-actor test (most mentioned first):
# an article naming thousands of actors costs no more than one naming this many.
TOP_ACTORS = 30
# Two articles are about the same event when their blended similarity reaches THRESHOLD,
# their title-and-lead vectors alone TEXT_MIN (the same people in different news is
# not one event)...
THRESHOLD = 0.42
TEXT_MIN = 0.3
# ...and, when both are dated, at most this far apart.
WINDOW_DAYS = 4
WINDOW_S = WINDOW_DAYS * 86400
# Two dated articles sharing fewer than TIED_ACTORS actors need the closer a text the
# further apart they are: TEXT_MIN plus TEXT_PER_DAY per day. One company's
# announcements of different days share its name and little else; a developing event
# (an offensive told by five outlets over four days) keeps many of its actors.
TEXT_PER_DAY = 0.05
TIED_ACTORS = 3
# Numbers of the title and lead (years left out): when both articles carry at least
# MIN_NUMBERS and share fewer than NUMBERS_SHARED of the smaller set, they report
# different figures, hence different events (a daily money-market report, one
# company's quarterly figures and its monthly sales). At most MAX_NUMBERS kept.
MIN_NUMBERS = 2
NUMBERS_SHARED = 0.5
MAX_NUMBERS = 40
# A story spans at most this long from its first article: a daily market report
# is not one story from March to October, however alike its issues are.
SPAN_DAYS = 7
SPAN_S = SPAN_DAYS * 86400
# An actor in more than this share of the articles (once there are MIN_ARTICLES)
# is too common to tie two articles together ("United States").
COMMON_SHARE = 0.03
MIN_ARTICLES = 300

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
_NUMBER = re.compile(r"\d+(?:[.,/-]\d+)*")
_YEAR = re.compile(r"(?:19|20)\d\d")
_STOP_TEXT = """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom why
    will with would you your yours yourself said says say told new year years one two three four five
    six seven eight nine ten last first week month monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november december
    mln pct cts vs reuter reuters inc corp co ltd click start listening per cent percent"""
STOPWORDS = frozenset(_STOP_TEXT.split())


@dataclass(frozen=True)
class StoryDoc:
    """What clustering keeps of one article: its title-and-lead terms and its actors."""

    article_id: str
    seq: int  # ingest order
    ts: int | None  # publication time (seconds), None when undated
    inferred: bool
    source: str | None
    title: str
    terms: tuple[tuple[str, float], ...]  # unit-length TF-IDF vector, strongest first
    actors: tuple[str, ...]  # casefolded names, most mentioned first
    actor_terms: tuple[tuple[str, float], ...] = ()  # unit-length weighted vector of main actors
    numbers: tuple[str, ...] = ()  # the numbers of the title and lead (see `numbers`)

    # Computed once per article: it is compared with many others.
    @cached_property
    def term_map(self) -> dict[str, float]:
        return dict(self.terms)

    @cached_property
    def actor_map(self) -> dict[str, float]:
        return dict(self.actor_terms)

    @cached_property
    def actor_set(self) -> frozenset[str]:
        return frozenset(self.actors)

    @cached_property
    def number_set(self) -> frozenset[str]:
        return frozenset(self.numbers)


@dataclass(frozen=True)
class Story:
    """Articles about one event."""

    id: str
    title: str
    article_ids: tuple[str, ...]  # in time order (undated last, then ingest order)
    outlets: tuple[str, ...]
    first: int | None  # earliest and latest publication times (seconds)
    last: int | None
    actors: tuple[str, ...]  # main actors: carried by the most articles

    @property
    def size(self) -> int:
        return len(self.article_ids)

    def to_json(self) -> dict[str, object]:
        from datetime import datetime, timezone

        def iso(ts: int | None) -> str | None:
            if ts is None:
                return None
            return datetime.fromtimestamp(ts, timezone.utc).replace(tzinfo=None).isoformat()

        return {
            "id": self.id,
            "title": self.title,
            "articles": list(self.article_ids),
            "outlets": list(self.outlets),
            "first": iso(self.first),
            "last": iso(self.last),
            "actors": list(self.actors),
        }


def stem(word: str) -> str:
    """A light plural fold ("rebels" and "rebel" are one term)."""
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Content words of `text`: lowercased, stop words and short words out, plurals folded."""
    out = []
    stops = STOPWORDS
    for w in _WORD.findall(text.lower().replace("’", "'")):
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) < 3 or w in stops:
            continue
        if len(w) > 4 and w[-1] == "s" and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
        out.append(w)
    return out


def lead(body: str, n: int = LEAD_WORDS) -> str:
    """The first `n` words of the body (the lead), as text."""
    # One regex match rather than a loop over words: run for every article at ingest.
    m = re.match(rf"\s*\S+(?:\s+\S+){{0,{max(0, n - 1)}}}", body)
    return body[: m.end()] if m else body


def term_counts(title: str, body: str) -> dict[str, int]:
    """Term frequencies of the title (counted twice: it names the event) and the lead."""
    counts: dict[str, int] = {}
    for w in words(title):
        counts[w] = counts.get(w, 0) + 2
    for w in words(lead(body)):
        counts[w] = counts.get(w, 0) + 1
    return counts


def numbers(title: str, body: str, limit: int = MAX_NUMBERS) -> tuple[str, ...]:
    """The distinct numbers of the title and lead, thousands separators out, years left
    out (every article of a year carries it); the first `limit`."""
    out: dict[str, None] = {}
    for m in _NUMBER.finditer(title + "\n" + lead(body)):
        n = m.group().replace(",", "")
        if not _YEAR.fullmatch(n):
            out[n] = None
            if len(out) >= limit:
                break
    return tuple(out)


def figures_differ(a: StoryDoc, b: StoryDoc) -> bool:
    """Whether both articles give figures and mostly different ones (see MIN_NUMBERS)."""
    na, nb = a.number_set, b.number_set
    least = min(len(na), len(nb))
    return least >= MIN_NUMBERS and len(na & nb) < NUMBERS_SHARED * least


def days_apart(a: int | None, b: int | None) -> float:
    """Days between two dates; 0 when either is missing (an undated article joins by text
    and actors only)."""
    return 0.0 if a is None or b is None else abs(a - b) / 86400


def vector(
    counts: Mapping[str, int], df: Mapping[str, int], n_docs: int, top: int = TOP_TERMS
) -> tuple[tuple[str, float], ...]:
    """The unit-length TF-IDF vector of the `top` strongest terms."""
    log, n1 = math.log, n_docs + 1
    # (-weight, term) sorts strongest first, ties by term, with no key function: run
    # twice for every article at ingest.
    kept = sorted(
        (-(1.0 + log(c)) * log(n1 / (df.get(t, 0) + 1) + 1.0), t) for t, c in counts.items()
    )[:top]
    norm = math.sqrt(sum(w * w for w, _ in kept)) or 1.0
    return tuple((t, -w / norm) for w, t in kept)


def actor_vector(
    actors: Sequence[tuple[str, int]], df: Mapping[str, int], n_docs: int, top: int = ACTOR_TERMS
) -> tuple[tuple[str, float], ...]:
    """The unit-length vector of the main actors: (casefolded name, mentions), weighted by
    log mentions and by rarity (df of `@name`), the `top` strongest kept."""
    counts = {"@" + name: max(1, m) for name, m in actors[: top * 2]}
    return tuple((t[1:], w) for t, w in vector(counts, df, n_docs, top))


def similarity(a: StoryDoc, b: StoryDoc, reliability: float = 1.0) -> tuple[float, float]:
    """(blended similarity, title-and-lead cosine); `reliability` (0..1) is how far word
    rarities can be trusted (see TEXT_WEIGHT)."""
    bt, ba = b.term_map, b.actor_map
    text = sum(w * bt[t] for t, w in a.terms if t in bt)
    actors = sum(w * ba[t] for t, w in a.actor_terms if t in ba)
    weight = TEXT_WEIGHT * reliability
    return weight * text + (1 - weight) * actors, text


def reliability(n_docs: int) -> float:
    return min(1.0, n_docs / MIN_ARTICLES)


def cosine(a: Sequence[tuple[str, float]], b: Sequence[tuple[str, float]]) -> float:
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    other = dict(big)
    return sum(w * other.get(t, 0.0) for t, w in small)


def within_window(a: int | None, b: int | None, window_s: int = WINDOW_S) -> bool:
    """Dated articles must be close in time; an undated one joins by text and actors only."""
    return a is None or b is None or abs(a - b) <= window_s


def shared_actors(a: Iterable[str], b: Iterable[str], common: frozenset[str]) -> set[str]:
    """Actors both articles name, the ubiquitous ones left out."""
    return (set(a) & set(b)) - common


def best_match(
    doc: StoryDoc,
    candidates: Iterable[StoryDoc],
    common: frozenset[str],
    threshold: float = THRESHOLD,
    trust: float = 1.0,
) -> tuple[StoryDoc, float] | None:
    """The candidate `doc` is most similar to, if it passes the window, the thresholds,
    shares an actor and does not give different figures; `trust` is the `reliability`
    of word rarities."""
    best: tuple[StoryDoc, float] | None = None
    text_min = TEXT_MIN * trust
    for c in candidates:
        if c.article_id == doc.article_id or not within_window(doc.ts, c.ts):
            continue
        shared = (doc.actor_set & c.actor_set) - common
        if not shared:
            continue
        sim, text = similarity(doc, c, trust)
        if sim < threshold or (best is not None and sim <= best[1]):
            continue
        days = days_apart(doc.ts, c.ts) if len(shared) < TIED_ACTORS else 0.0
        if text < text_min + TEXT_PER_DAY * days or figures_differ(doc, c):
            continue
        best = (c, sim)
    return best


def time_key(doc: StoryDoc) -> tuple[int, int, int]:
    """Time order: dated first by time, undated after, ties by ingest order."""
    return (0 if doc.ts is not None else 1, doc.ts or 0, doc.seq)


def summarise(
    story_id: str, docs: Sequence[StoryDoc], names: Mapping[str, str], top_actors: int = 5
) -> Story:
    """A story from its members' docs; `names` maps casefolded actor names to display names."""
    ordered = sorted(docs, key=time_key)
    dated = [d.ts for d in ordered if d.ts is not None]
    counts: dict[str, int] = {}
    for d in ordered:
        for a in set(d.actors):
            counts[a] = counts.get(a, 0) + 1
    main = sorted(counts, key=lambda a: (-counts[a], a))[:top_actors]
    # The first article that is dated by its own text names the story.
    titled = next((d for d in ordered if d.ts is not None and not d.inferred), ordered[0])
    return Story(
        id=story_id,
        title=titled.title,
        article_ids=tuple(d.article_id for d in ordered),
        outlets=tuple(dict.fromkeys(d.source for d in ordered if d.source)),
        first=min(dated) if dated else None,
        last=max(dated) if dated else None,
        actors=tuple(names.get(a, a) for a in main),
    )
