"""The fixed, committed query mix of the benchmark (change it only with a note in the results)."""

from __future__ import annotations

from dataclasses import dataclass

# Document frequencies quoted below are over the ~20,000 distinct shared texts; replicas
# multiply them. Words were chosen to span the range from "in most articles" to "a handful".
COMMON_WORDS: tuple[str, ...] = (
    "said",  # ~17,000 of 20,000
    "company",
    "year",
    "billion",
    "market",
    "bank",
    "government",
    "president",
    "trade",
    "oil",
)
RARE_WORDS: tuple[str, ...] = (
    "cocoa",  # ~90
    "zinc",
    "sorghum",
    "gorbachev",
    "ofcom",
    "palladium",
    "jaguar",
    "tapioca",  # ~5
    "sandinista",
    "typhoon",  # ~2
)
TWO_WORD_AND: tuple[str, ...] = (
    "oil prices",
    "interest rates",
    "trade AND deficit",
    "bank shares",
    "trump clinton",
    "coffee brazil",
)
PHRASES: tuple[str, ...] = (
    '"interest rates"',
    '"prime minister"',
    '"white house"',
    '"stock exchange"',
    '"chief executive"',
    '"federal reserve"',
)
FIELDED: tuple[str, ...] = (
    "actor:Reagan",
    "actor:Trump",
    "actor:OPEC",
    "person:Volcker",
    "org:OPEC",
    "place:Kuwait",
    "speaker:Baker",
    "speaker:Yeutter",
    "speaker:Clinton",
    "source:Reuters",
    "source:BBC",
    "source:Politico",
    "title:oil",
)
DATE_RANGES: tuple[str, ...] = (
    "date:1987-03-01..1987-03-31",
    "date:1987-02-26",
    "date:>1987-04-01",
    "oil date:1987-03-01..1987-03-31",
    "trump date:2016-01-01..2016-12-31",
)
BOOLEAN: tuple[str, ...] = (
    "oil OR gas",
    "trade -japan",
    "(coffee OR cocoa) AND brazil",
    "NOT said",
)
# Typed keystroke by keystroke in the search box; every prefix is sent with as_you_type=True.
AS_YOU_TYPE: tuple[str, ...] = (
    "oil prices",
    "interest rates",
    "trump campaign",
    "gorbachev",
    "bank of england",
    "coffee quota",
    "federal reserve",
    "prime minister thatcher",
    "opec output",
    "wheat exports",
)


@dataclass(frozen=True)
class Query:
    """One search call of the mix."""

    category: str
    text: str
    as_you_type: bool = False
    sort: str = "relevance"


def prefixes(text: str) -> list[str]:
    """What the search box sends while `text` is typed: every non-blank prefix."""
    return [text[:i] for i in range(1, len(text) + 1) if text[:i].strip()]


def query_mix() -> list[Query]:
    mix: list[Query] = []
    mix += [Query("common", w) for w in COMMON_WORDS]
    mix += [Query("rare", w) for w in RARE_WORDS]
    mix += [Query("and", q) for q in TWO_WORD_AND]
    mix += [Query("phrase", q) for q in PHRASES]
    mix += [Query("fielded", q) for q in FIELDED]
    mix += [Query("date", q) for q in DATE_RANGES]
    mix += [Query("boolean", q) for q in BOOLEAN]
    # The feed sorted by date is the reader's default view of a search.
    mix += [Query("date-sorted", q, sort="date") for q in ("oil", "cocoa", "interest rates")]
    for text in AS_YOU_TYPE:
        mix += [Query("prefix", p, as_you_type=True) for p in prefixes(text)]
    return mix


def quick_mix() -> list[Query]:
    """A few queries per category and one as-you-type sequence, for the smoke test."""
    mix: list[Query] = []
    counts: dict[str, int] = {}
    for query in query_mix():
        limit = 3 if query.category == "prefix" else 1
        if counts.get(query.category, 0) < limit:
            counts[query.category] = counts.get(query.category, 0) + 1
            mix.append(query)
    return mix


def rg_words() -> tuple[str, ...]:
    """The plain words that are also timed with `rg -l -i`."""
    return COMMON_WORDS + RARE_WORDS
