"""Word lists and patterns the subject rules read (`index.extract.subjects`)."""

from __future__ import annotations

import re

from index.extract.coref import PRONOUNS
from index.extract.grammar import AUX, BOUNDARY, CLAUSE, SKIP, TIME_NOUNS, WEEKDAYS

# Heads of a definite description that can only mean a person: an age, a demonym.
PERSON_DESCRIPTION = re.compile(
    r"\d+-year-old|[A-Z][a-z]+(?:ian|an|ese|ish|i)|Kiwi|Briton|Scot|Welshman|Frenchman|"
    r"Englishman|Irishman|Dutchman|veteran|youngster|teenager|star|legend"
)
# What ends a subject phrase on the left: a boundary mark or a quote mark (`is_mark`).
STOPS = BOUNDARY | {"'"}
# The lower-cased tokens that may end a subject phrase on the left: a stop, a clause word,
# `and`.
WALLS = STOPS | CLAUSE | {"and"}
# The lower-cased tokens that `SubjectRules._subject_span` may step over before a cue
# (besides -ly words).
STEPPED = TIME_NOUNS | SKIP | WEEKDAYS | {"on", ")"}


# Words that end a subject phrase's plausibility wherever they stand after its first word.
PRONOUNS_AUX = PRONOUNS | AUX
# Words after which a subject phrase's head has come (`envoy for Syria`).
HEAD_ENDS = frozenset(["of", "for", "at", "from", "with", "to", "in"])

# Plural heads of an unnamed source (`Turkish security sources leaked ...`).
SOURCE_NOUNS = frozenset(
    [
        "sources",
        "source",
        "officials",
        "witnesses",
        "activists",
        "diplomats",
        "analysts",
        "aides",
        "insiders",
        "residents",
    ]
)
# People who speak for a body, after `its`/`their` (`its makers claim`).
MAKERS = frozenset(
    [
        "makers",
        "developers",
        "designers",
        "creators",
        "owners",
        "manufacturers",
        "publishers",
        "organisers",
        "organizers",
        "founders",
        "staff",
        "lawyers",
        "bosses",
        "executives",
        "researchers",
        "scientists",
        "engineers",
        "authors",
        "backers",
        "sponsors",
    ]
)
# Party adjectives that may qualify a title in apposition (`, Labour MP Kate Hoey`).
PARTY_WORDS = frozenset(
    [
        "labour",
        "conservative",
        "tory",
        "liberal",
        "democrat",
        "republican",
        "democratic",
        "green",
        "independent",
        "snp",
        "ukip",
    ]
)
# Capitalised job words that may stand before a name at the start of a sentence.
ROLE_TITLES = frozenset(
    [
        "founder",
        "chairman",
        "chairwoman",
        "chief",
        "director",
        "manager",
        "boss",
        "coach",
        "spokesman",
        "spokeswoman",
        "analyst",
        "economist",
        "singer",
        "actor",
        "actress",
        "striker",
        "midfielder",
        "defender",
        "goalkeeper",
        "captain",
        "author",
        "presenter",
    ]
)
