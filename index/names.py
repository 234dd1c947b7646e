"""Name keys shared by extraction, storage, search and ingest: `actor_key` and `initials`."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The spelling-variant table is lexicon data; it loads without the extractor's rules.
from index.extract import lexicons


def _variants() -> dict[str, str]:
    table: dict[str, str] = {}
    for row in lexicons.load("spelling_variants"):
        for form in row:
            if form:
                table[form] = row[0]
    return table


# Spelling variants (transliterations, British/American) -> the first form of their row.
VARIANTS = _variants()
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})
_SEPARATORS = re.compile(r"[-‐‑–—_/]+")
_NON_WORD = re.compile(r"[^\w\s&]+")
_POSSESSIVE = re.compile(r"'s$")
_HYPHEN = re.compile(r"[-‐]")
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|an|ar|as|ash|ad|at|az)[-‐]")
_PLAIN_NAME = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")


@lru_cache(maxsize=65536)
def actor_key(name: str) -> str:
    """A normalised key under which spelling variants of one name coincide.

    Case, accents, hyphens, dots, apostrophes, a leading "the", a possessive
    and known transliteration or British/American variants are folded:
    `Mohamed bin Zayed Al Nahyan` and `Mohammed bin Zayed Al-Nahyan`,
    `al-Qaida` and `Al Qaeda`, `Defence` and `Defense` share a key, while
    `Syrian Defense Ministry` and `Russian Defense Ministry` do not.
    """
    if _PLAIN_NAME.fullmatch(name):
        tokens = name.lower().split()
    else:
        text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
        text = _POSSESSIVE.sub("", text.strip())
        text = text.replace(".", "")
        text = _SEPARATORS.sub(" ", text).replace("'", "")
        tokens = _NON_WORD.sub(" ", text).split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    out = []
    for token in tokens:
        token = VARIANTS.get(token, token)
        out.append("al" if token == "el" else token)
    return " ".join(out)


@lru_cache(maxsize=16384)
def initials(name: str) -> str:
    """Initials of a multi-word name, particles skipped: Hayat Tahrir al-Sham -> HTS."""
    letters = []
    for word in name.split():
        if "-" in word or "‐" in word:
            # "al-Sham" gives S; "Self-Defense" gives S and D.
            for part in _HYPHEN.split(_ARTICLE_PREFIX.sub("", word)):
                if part and part[0].isupper():
                    letters.append(part[0])
        elif word and word[0].isupper():
            letters.append(word[0])
    return "".join(letters)
