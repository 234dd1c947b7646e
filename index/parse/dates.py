"""Find and parse publication dates in article text (python-dateutil), and guess missing years."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from dateutil import parser as _dateutil

_MON = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?"
_YEAR = r"(?:19|20)\d\d(?!\d)"
_TIME = r"\d{1,2}[:.]\d\d(?::\d\d)?(?:\s*[AaPp]\.?[Mm]\.?)?"

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS: dict[str, int] = {
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}

# One scan finds the first date of any supported shape; each shape has its own groups.
DATE_RE = re.compile(
    rf"""
    (?<![\w/.-])
    (?:(?P<wd>{_WEEKDAY})\.?,?\s+(?:the\s+)?)?
    (?:(?P<t0>{_TIME})(?:\s*(?:GMT|UTC|[A-Z]{{2,4}}))?\s*[,|-]?\s*)?
    (?:
        (?P<m1>{_MON})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])(?:,?\s+(?P<y1>{_YEAR}))?
      | (?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+(?:of\s+)?|-)(?P<m2>{_MON})\b\.?(?:(?:,?\s+|-)(?P<y2>{_YEAR}))?
      | (?P<y3>{_YEAR})(?P<ys>[-/.])(?P<m3>\d\d?)(?P=ys)(?P<d3>\d\d?)(?![\d/.])(?:[T\s](?P<t3>\d\d:\d\d(?::\d\d)?)(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)?
      | (?P<a4>\d{{1,2}})(?P<ns>[/.])(?P<b4>\d{{1,2}})(?P=ns)(?P<y4>{_YEAR})(?![/.]\d)
    )
    (?:\s*[,|]?\s*(?:at\s+)?(?P<t1>{_TIME}))?
    (?![\w/])
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A date counts in a lead sentence only when anchored like "on Sunday, December 1".
_LEAD_ANCHOR = re.compile(r"(?:\b(?:on|dated|since)\s+$)", re.IGNORECASE)

# Words that may surround a date on a metadata line ("Published: Dec 2, 2024 | 10:30 GMT").
_FILLER = re.compile(
    r"(?i)\b(?:published|updated|posted|last|modified|first|date|dated|on|at|"
    r"gmt|utc|[a-z]?[ecmp][sd]t|ist|cet|cest|bst|et|ast|am|pm|"
    r"\d+\s*min(?:ute)?s?\s*(?:read|ago)|read|ago|hours?|time)\b"
    r"|[-–—|•·:,/()\[\]+.]|\d"
)
_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class FoundDate:
    """A date found in text: `value` has a placeholder year when `has_year` is False."""

    value: datetime
    has_year: bool
    weekday: int | None  # 0 = Monday, when the text names one
    start: int = 0
    end: int = 0


# A leap year, so "Feb 29" without a year still parses.
_PLACEHOLDER_YEAR = 2000


def _int(text: str | None) -> int | None:
    return int(text) if text else None


_CLOCK = re.compile(r"(\d{1,2})[:.](\d\d)(?::(\d\d))?\s*([AaPp])?")


def _clock(text: str | None) -> tuple[int, int, int] | None:
    """(hour, minute, second) of "03:09 PM", "15:09", "3.09pm"; None when absent or invalid."""
    if not text:
        return None
    match = _CLOCK.match(text)
    if match is None:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if match[4]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match[4] in "Pp" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def _from_match(match: re.Match[str]) -> FoundDate | None:
    """Build a datetime from a DATE_RE match; None for impossible dates ("Dec 32", "31/02")."""
    g = match.groupdict()
    year: int | None
    if g["m1"] or g["m2"]:
        month = MONTHS.get((g["m1"] or g["m2"]).lower().rstrip("."))
        day = _int(g["d1"] or g["d2"])
        year = _int(g["y1"] or g["y2"])
        if month is None or day is None:
            return None
    elif g["y3"]:
        year, month, day = int(g["y3"]), int(g["m3"]), int(g["d3"])
    else:
        a, b = int(g["a4"]), int(g["b4"])
        # Slashes: month first as dateutil reads them, unless the first cannot be a month.
        # Dots (1.2.2024) are the European day-first form.
        day_first = g["ns"] == "." or a > 12
        month, day = (b, a) if day_first else (a, b)
        year = int(g["y4"])
    clock_text = g["t0"] or g["t1"] or g.get("t3")
    clock = _clock(clock_text) if clock_text else (0, 0, 0)
    if clock is None:
        return None  # "25:99" or "13:09 PM": not a time, so not a trustworthy date
    try:
        value = datetime(year or _PLACEHOLDER_YEAR, month, day, *clock)
    except ValueError:
        return None
    weekday = WEEKDAYS.get(g["wd"][:3].lower()) if g["wd"] else None
    return FoundDate(value, year is not None, weekday, match.start(), match.end())


def find_dates(text: str, limit: int = 3) -> list[FoundDate]:
    """The first `limit` valid dates in `text`, in order."""
    found: list[FoundDate] = []
    for match in DATE_RE.finditer(text):
        date = _from_match(match)
        if date is not None:
            found.append(date)
            if len(found) >= limit:
                break
    return found


def date_line(line: str) -> FoundDate | None:
    """The date when `line` is nothing but a date (with time and filler words), else None."""
    if len(line) > 80 or line.count(" ") > 10 or _DIGIT.search(line) is None:
        return None
    match = DATE_RE.search(line)
    if match is None:
        return None
    rest = line[: match.start()] + " " + line[match.end() :]
    # "Published On 1 Dec 2024 / Updated 2 Dec 2024": other dates are filler too.
    if _LETTERS.search(_FILLER.sub(" ", DATE_RE.sub(" ", rest))):
        return None
    return _from_match(match)


# Loosely date-shaped lines, valid or not ("Dec 32, 2024", "31/02/2024 10:00").
_DATE_SHAPED = re.compile(
    rf"(?i)^[^\w]*(?:{_WEEKDAY}\W+)?(?:{_MON}\.?\s+\d{{1,2}}(?![\d.])|\d{{1,2}}\s+{_MON}|"
    rf"\d{{1,4}}[-/.]\d{{1,2}}[-/.]\d{{1,4}})(?P<tail>[\w\s,:.|+-]{{0,30}})$"
)


def looks_like_date(line: str) -> bool:
    """True for a short line shaped like a date even when the date is impossible.

    Only filler may follow the date: "June 30, 1986 with the Fed." is a
    wrapped line of prose, not a metadata line to drop.
    """
    if len(line) > 60:
        return False
    match = _DATE_SHAPED.match(line)
    return match is not None and not _LETTERS.search(_FILLER.sub(" ", match["tail"]))


def lead_date(text: str) -> FoundDate | None:
    """A date in a lead sentence, anchored by "on", a weekday, or a year."""
    for match in DATE_RE.finditer(text):
        anchored = (
            match.group("wd")
            or match.group("y1")
            or match.group("y2")
            or _LEAD_ANCHOR.search(text, max(0, match.start() - 8), match.start())
        )
        if anchored:
            date = _from_match(match)
            if date is not None:
                return date
    return None


def parse_date_value(value: object) -> FoundDate | None:
    """A date from a metadata field (JSON, HTML meta, feeds): ISO or free text, never raises."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return FoundDate(
                datetime.fromtimestamp(float(value), tz=timezone.utc).replace(tzinfo=None),
                True,
                None,
            )
        except (ValueError, OverflowError, OSError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 100:
        return None
    match = DATE_RE.search(text)
    if match is not None:
        found = _from_match(match)
        if found is not None:
            return found
    if not any(ch.isdigit() for ch in text):
        return None
    try:
        parsed = _dateutil.parse(text, default=datetime(_PLACEHOLDER_YEAR, 1, 1), ignoretz=True)
    except (ValueError, OverflowError):
        return None
    # dateutil reads stray numbers as years ("Dec 32" -> 2032): trust it only with a 4-digit year.
    if not re.search(rf"\b{parsed.year}\b", text):
        return None
    return FoundDate(parsed, True, None)


def _with_year(value: datetime, year: int) -> datetime | None:
    try:
        return value.replace(year=year)
    except ValueError:
        return None  # Feb 29 in a common year


def latest_date(now: datetime | None = None) -> datetime:
    """The latest publication date believable at ingest: now, plus a day for time zones."""
    return (now or datetime.now()) + timedelta(days=1)


def guess_year(found: FoundDate, reference: datetime) -> datetime:
    """A provisional year for a year-less date: the one fitting `reference` (a file time).

    Only `infer_years` may keep it, and only when the dated articles of the
    same file or folder support a year; the file time alone never dates an
    article. It is never after `reference` or ingest time.
    """
    if found.has_year:
        return found.value
    cutoff = min(reference + timedelta(days=2), latest_date())
    candidates: list[datetime] = []
    for year in range(reference.year - 12, reference.year + 2):
        value = _with_year(found.value, year)
        if value is None or value > cutoff:
            continue
        if found.weekday is not None and value.weekday() != found.weekday:
            continue
        candidates.append(value)
    if not candidates:
        year = min(reference.year, cutoff.year) - 1
        return _with_year(found.value, year) or found.value.replace(year=year, day=28)
    if found.weekday is not None:
        return min(candidates, key=lambda v: abs((v - reference).days))
    return max(candidates)


def nearest_year(
    value: datetime,
    weekday: int | None,
    known: Sequence[datetime],
    latest: datetime | None = None,
) -> datetime | None:
    """Re-year `value` so it lands nearest to the sorted dates `known` (weekday must agree).

    None when no year near them fits (the weekday disagrees, or every fit is after `latest`).
    """
    if not known:
        return value
    reach = 12 if weekday is not None else 1
    years: set[int] = set()
    for year in {k.year for k in known}:
        years.update(range(year - reach, year + reach + 1))
        if len(years) > 400:
            break
    best: tuple[float, datetime] | None = None
    for year in sorted(years):
        candidate = _with_year(value, year)
        if candidate is None or (weekday is not None and candidate.weekday() != weekday):
            continue
        if latest is not None and candidate > latest:
            continue
        i = bisect_left(known, candidate)
        gap = min(
            abs((candidate - known[j]).total_seconds()) for j in (i - 1, i) if 0 <= j < len(known)
        )
        if best is None or gap < best[0]:
            best = (gap, candidate)
    return best[1] if best else None
