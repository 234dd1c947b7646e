"""Dates in queries: `date:` values as ranges, and ranges as a few `dates` terms."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from whoosh import query as wq

from index.storage.whoosh_private import shortcut_range

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta


class QuerySyntaxError(ValueError):
    """A problem in the user's query; the caller falls back to plain words."""


_RELATIVE = re.compile(r"^(?:last|past)\s+(\d+)\s+(day|week|month|year)s?$")
_UNITS = ("day", "week", "month", "year")


def _unit(name: str, count: int = 1) -> relativedelta:
    from dateutil.relativedelta import relativedelta  # loaded on the first date query

    return relativedelta(**{name + "s": count})


def _day(dt: datetime) -> datetime:
    return dt.replace(hour=0, minute=0, second=0, microsecond=0)


def _parse_point(text: str) -> tuple[datetime, datetime]:
    """A date as the [start, end) interval it names: a day, a month or a year."""
    from dateutil import parser as dateparser
    from dateutil.relativedelta import relativedelta

    text = text.strip()
    if not text:
        raise QuerySyntaxError("empty date")
    if re.fullmatch(r"\d{4}", text):
        start = datetime(int(text), 1, 1, tzinfo=timezone.utc)
        return start, start + relativedelta(years=1)
    try:
        a = dateparser.parse(text, default=datetime(2000, 1, 1), dayfirst=False)
        b = dateparser.parse(text, default=datetime(2001, 2, 2), dayfirst=False)
    except (ValueError, OverflowError) as exc:
        raise QuerySyntaxError(f"date: cannot read {text!r}") from exc
    if a.year != b.year:
        raise QuerySyntaxError(f"date: {text!r} needs a year")
    start = _day(a).replace(tzinfo=timezone.utc)
    if a.month != b.month:
        return start.replace(month=1, day=1), start.replace(month=1, day=1) + relativedelta(years=1)
    if a.day != b.day:
        return start.replace(day=1), start.replace(day=1) + relativedelta(months=1)
    return start, start + timedelta(days=1)


def utcnow() -> datetime:
    """The clock relative dates are read against (tests replace it)."""
    return datetime.now(timezone.utc)


def date_range(value: str, now: datetime | None = None) -> tuple[datetime | None, datetime | None]:
    """The [start, end) UTC interval of a `date:` value (either end may be open).

    Relative values ("last 7 days", "this week") end with today: an article
    dated in the future is not news of the last 7 days.
    """
    now = now or utcnow()
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    today = _day(now.astimezone(timezone.utc))
    tomorrow = today + timedelta(days=1)
    v = " ".join(value.lower().split())
    if v == "today":
        return today, tomorrow
    if v == "yesterday":
        return today - timedelta(days=1), today
    m = _RELATIVE.match(v)
    if m:
        count = int(m.group(1))
        return tomorrow - _unit(m.group(2), count), tomorrow
    if v.startswith(("this ", "last ")) and v.split(" ", 1)[1] in _UNITS:
        unit = v.split(" ", 1)[1]
        if unit == "day":
            start = today
        elif unit == "week":
            start = today - timedelta(days=today.weekday())
        elif unit == "month":
            start = today.replace(day=1)
        else:
            start = today.replace(month=1, day=1)
        if v.startswith("last "):
            return start - _unit(unit), start
        return start, tomorrow
    for op in (">=", "<=", ">", "<"):
        if v.startswith(op):
            first, after = _parse_point(value.strip()[len(op) :])
            return {
                ">=": (first, None),
                "<=": (None, after),
                ">": (after, None),
                "<": (None, first),
            }[op]
    if ".." in v:
        left, _, right = value.partition("..")
        if not left.strip() and not right.strip():
            raise QuerySyntaxError("date: a range needs at least one end")
        lo = _parse_point(left)[0] if left.strip() else None
        hi = _parse_point(right)[1] if right.strip() else None
        if lo is not None and hi is not None and lo >= hi:
            raise QuerySyntaxError(f"date: {value!r} ends before it starts")
        return lo, hi
    return _parse_point(value)


def safe_date_range(
    value: str, now: datetime | None = None
) -> tuple[datetime | None, datetime | None]:
    """`date_range`, with the ends of the calendar (years 1 and 9999) as one-line errors.

    A relative range reaching before year 1 ("last 99999 years") starts at year 1.
    """
    try:
        return date_range(value, now)
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, QuerySyntaxError):
            raise
        if _RELATIVE.match(" ".join(value.lower().split())):
            return datetime(1, 1, 1, tzinfo=timezone.utc), None
        raise QuerySyntaxError(
            f"date: {value[:40]!r} is outside the calendar (years 1 to 9999)"
        ) from exc


DAY_S = 86_400


def _day_shortcut(q: Any, ixreader: Any) -> wq.Query | None:
    """A range on `published` answered from the `dates` field's year, month and day terms.

    A whole month is one posting list there, where the numeric tiers need the
    union of hundreds of terms; a range that does not fall on day boundaries
    (never made by `date_range`) uses the numeric tiers as before.
    """
    lo, hi = q.start, q.end
    if "dates" not in ixreader.schema or q.startexcl or q.endexcl:
        return None
    if (lo is not None and lo % DAY_S) or (hi is not None and (hi + 1) % DAY_S):
        return None
    try:
        first = datetime.fromtimestamp(lo, timezone.utc).date() if lo is not None else None
        end = datetime.fromtimestamp(hi + 1, timezone.utc).date() if hi is not None else None
        parts = day_terms(first, end)
    except (OverflowError, ValueError):  # the ends of the calendar
        return None
    if not parts:
        return wq.NullQuery
    one = parts[0] if len(parts) == 1 else wq.Or(parts)
    return wq.ConstantScoreQuery(one, q.boost)


# A NumericRange on `published` that `_day_shortcut` answers when it can.
DayRange = shortcut_range("DayRange", _day_shortcut)


def _next_month(d: date) -> date:
    return date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)


def day_terms(lo: date | None, hi: date | None) -> list[wq.Query]:
    """Queries on `dates` covering the days [lo, hi) (None: open) with the fewest terms."""

    def span(d: date, stop: date | None) -> tuple[list[wq.Query], date]:
        # Whole months where they fit, else days, until `stop` or the next year.
        out: list[wq.Query] = []
        while (stop is None or d < stop) and not (out and d.month == 1 and d.day == 1):
            nxt = _next_month(d)
            if d.day == 1 and (stop is None or nxt <= stop):
                out.append(wq.Term("dates", f"m{d.year:04d}-{d.month:02d}"))
                d = nxt
            else:
                out.append(wq.Term("dates", f"d{d.isoformat()}"))
                d += timedelta(days=1)
        return out, d

    parts: list[wq.Query] = []
    d = lo
    if d is not None and not (d.month == 1 and d.day == 1):
        head, d = span(d, hi)
        parts.extend(head)
        if hi is not None and d >= hi:
            return parts
    # whole years
    first_year = d.year if d is not None else 1
    last_year = (hi.year - 1) if hi is not None else 9999
    if last_year == first_year:
        parts.append(wq.Term("dates", f"y{first_year:04d}"))
    elif last_year > first_year:
        parts.append(wq.TermRange("dates", f"y{first_year:04d}", f"y{last_year:04d}"))
    if hi is not None:
        d = date(max(first_year, last_year + 1), 1, 1)
        if lo is not None and d < lo:
            d = lo
        tail, _ = span(d, hi)
        parts.extend(tail)
    return parts
