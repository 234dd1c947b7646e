"""Datelines at the start of a lead ("Damascus, Dec 1 (NationPress) ...") and their parts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.parse.dates import _MON, _WEEKDAY, _YEAR, FoundDate, find_dates

_PLACE = r"(?P<place>[A-Z][A-Za-z'’.\-]+(?:[ \-](?:[A-Z][A-Za-z'’.\-]+|al|el|de|la|du)){0,3})"
_REGION = r"(?:\s*\[(?P<country>[^\]\n]{2,40})\]|,\s*(?P<region>[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+){0,2})(?=,))?"
_DATE = (
    rf",?\s*(?P<date>(?:{_WEEKDAY}\.?,?\s+)?(?:{_MON}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?!\d)"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MON}\.?)(?:,?\s+{_YEAR})?)"
)
_SOURCE = r"\s*\((?P<source>[A-Z][\w&.'’/ -]{0,40})\)"
_PUNCT = r"\s*[-–—:]+\s*"

# "Damascus, Dec 1 (NationPress) The ...", "Damascus [Syria], December 2: Rebel ...",
# "SALVADOR, Feb 26 - Showers ...", "PARIS, France, 3 March 2024 — ...".
_WITH_DATE = re.compile(rf"^{_PLACE}{_REGION}{_DATE}(?:{_SOURCE}(?:{_PUNCT}|\s+)|{_PUNCT})")
# "WASHINGTON (Reuters) - The ...", "GAZA CITY (AP) — ...".
_WITH_SOURCE = re.compile(rf"^{_PLACE}{_REGION}{_SOURCE}{_PUNCT}")


@dataclass(frozen=True)
class Dateline:
    """A dateline's place, its date and source when given, and where the lead text starts."""

    place: str
    source: str | None
    date: FoundDate | None
    end: int  # the lead text starts at this offset


def parse_dateline(paragraph: str) -> Dateline | None:
    """The dateline opening `paragraph`, or None."""
    head = paragraph[:160]
    match = _WITH_DATE.match(head) or _WITH_SOURCE.match(head)
    if match is None:
        return None
    groups = match.groupdict()
    place = groups["place"].strip()
    if place.isupper():
        place = place.title()
    if place.lower() in {"the", "a", "on", "in", "by", "at", "as"}:
        return None
    date = None
    if groups.get("date"):
        found = find_dates(groups["date"], limit=1)
        if not found:
            return None  # "Dec 32": a broken date, so not a dateline we can trust
        date = found[0]
    source = groups.get("source")
    if source is not None:
        source = source.strip()
        if not source or any(ch.isdigit() for ch in source):
            source = None
    return Dateline(place, source, date, match.end())


def dateline_place(text: str) -> str | None:
    """The place of a standalone dateline field ("SALVADOR, Feb 26 -" -> "Salvador")."""
    found = parse_dateline(text.strip() + " x")
    if found is None:
        return None
    return found.place
