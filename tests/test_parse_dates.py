"""Dates: the shapes found in metadata lines, datelines and leads, and year inference."""

from __future__ import annotations

from datetime import datetime

import pytest

from index.article import Article
from index.parse import infer_years
from index.parse.dates import (
    FoundDate,
    date_line,
    guess_year,
    lead_date,
    looks_like_date,
    nearest_year,
    parse_date_value,
)
from index.parse.meta import parse_dateline


@pytest.mark.parametrize(
    ("line", "expected", "has_year"),
    [
        ("Dec 02, 2024", datetime(2024, 12, 2), True),
        ("- 03:09 PM, Nov 28, 2024", datetime(2024, 11, 28, 15, 9), True),
        ("Published: 3 March 2024 | 10:30 GMT", datetime(2024, 3, 3, 10, 30), True),
        ("Updated on Tuesday, 5 November 2024, 18:02 IST", datetime(2024, 11, 5, 18, 2), True),
        ("2023-06-15T09:30:00Z", datetime(2023, 6, 15, 9, 30), True),
        ("Posted on 14/09/2022 at 08:15", datetime(2022, 9, 14, 8, 15), True),
        ("12/03/2021", datetime(2021, 12, 3), True),  # month first, as dateutil reads it
        ("Sept. 9", datetime(2000, 9, 9), False),
        ("December 1st", datetime(2000, 12, 1), False),
        ("Feb 29", datetime(2000, 2, 29), False),
    ],
)
def test_date_lines(line: str, expected: datetime, has_year: bool) -> None:
    found = date_line(line)
    assert found is not None
    assert (found.value, found.has_year) == (expected, has_year)


@pytest.mark.parametrize(
    "line",
    ["Dec 32", "31/02/2024", "Feb 30, 2024", "2024-13-45", "25:99, Dec 1, 2024", "13:09 PM Dec 1"],
)
def test_impossible_dates_are_refused(line: str) -> None:
    assert date_line(line) is None
    assert parse_date_value(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "The talks will resume on Dec 2, 2024 in Geneva, officials said",
        "May 5 people come?",
        "Section 2",
        "Mayor 12",
    ],
)
def test_prose_is_not_a_date_line(line: str) -> None:
    assert date_line(line) is None


def test_invalid_but_date_shaped_lines_are_recognised() -> None:
    assert looks_like_date("Dec 32, 2024") and looks_like_date("31/02/2024")
    assert not looks_like_date("APR 120.0 121.5 nil") and not looks_like_date("Hello world")


def test_lead_dates_need_an_anchor() -> None:
    found = lead_date("The army launched airstrikes on Sunday, December 1, in an attempt to...")
    assert found is not None and found.weekday == 6 and not found.has_year
    assert lead_date("They met on March 4 to talk.") is not None
    assert lead_date("Since 2016 the front lines have barely moved.") is None
    assert lead_date("Rebels took 12 March villages.") is None


def test_datelines() -> None:
    found = parse_dateline("Damascus, Dec 1 (NationPress) The militant faction advanced.")
    assert found is not None
    assert (found.place, found.source) == ("Damascus", "NationPress")
    assert found.date is not None and (found.date.value.month, found.date.value.day) == (12, 1)
    found = parse_dateline("Damascus [Syria], December 2: Rebel forces advanced.")
    assert found is not None and found.place == "Damascus" and found.source is None
    found = parse_dateline("WASHINGTON (AP) — The Senate voted on Tuesday.")
    assert found is not None and (found.place, found.source) == ("Washington", "AP")
    assert parse_dateline("United Nations (UN) officials said the talks failed.") is None
    assert parse_dateline("On Saturday, thousands of insurgents captured the city.") is None
    assert parse_dateline("Damascus, Dec 32 (X) The text.") is None


def test_guess_year_prefers_the_latest_past_date_and_honours_weekdays() -> None:
    reference = datetime(2026, 11, 22)
    no_weekday = FoundDate(datetime(2000, 12, 1), False, None)
    assert guess_year(no_weekday, reference) == datetime(2025, 12, 1)
    sunday = FoundDate(datetime(2000, 12, 1), False, 6)
    assert guess_year(sunday, reference) == datetime(2024, 12, 1)
    leap = FoundDate(datetime(2000, 2, 29), False, None)
    assert guess_year(leap, reference) == datetime(2024, 2, 29)
    dated = FoundDate(datetime(2019, 5, 5), True, None)
    assert guess_year(dated, reference) == datetime(2019, 5, 5)


def test_nearest_year_lands_next_to_the_batch() -> None:
    known = sorted([datetime(2024, 12, 2), datetime(2024, 11, 28)])
    assert nearest_year(datetime(2025, 12, 1), None, known) == datetime(2024, 12, 1)
    # Across a new year: "Jan 2" next to late-December articles belongs to the next year.
    assert nearest_year(datetime(2019, 1, 2), None, [datetime(2023, 12, 30)]) == datetime(
        2024, 1, 2
    )
    # With a weekday, only agreeing years count: Dec 1 was a Sunday in 2024, not in 2023.
    assert nearest_year(datetime(2030, 12, 1), 6, [datetime(2023, 12, 2)]) == datetime(2024, 12, 1)
    assert nearest_year(datetime(2030, 12, 1), None, []) == datetime(2030, 12, 1)


def make(published: datetime | None, inferred: bool, body: str = "Body.") -> Article:
    return Article(
        id=str(published),
        path="/p",
        title="t",
        body=body,
        published=published,
        published_inferred=inferred,
    )


def test_infer_years_only_touches_inferred_dates() -> None:
    batch = [
        make(datetime(2019, 3, 2), False),
        make(datetime(2025, 3, 4), True),
        make(None, False),
        make(datetime(2025, 12, 1), True, "Strikes on Sunday, December 1, hit the city."),
    ]
    fixed = infer_years(batch)
    assert fixed[0] == batch[0] and fixed[2] == batch[2]
    assert fixed[1].published == datetime(2019, 3, 4) and fixed[1].published_inferred
    # The body's weekday wins over mere nearness: Dec 1 2019 was a Sunday.
    assert fixed[3].published == datetime(2019, 12, 1)
    # Nothing known: the provisional year (file time) is dropped, not kept as a date.
    (alone,) = infer_years(batch[1:2])
    assert alone.published is None and not alone.published_inferred
    assert infer_years(batch[1:2], [datetime(2010, 1, 1)])[0].published == datetime(2010, 3, 4)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31-MAR-1987", datetime(1987, 3, 31)),
        ("2024/03/05", datetime(2024, 3, 5)),
        ("1.2.2024", datetime(2024, 2, 1)),  # dots: day first
        ("3-March-2024", datetime(2024, 3, 3)),
        ("Sun, 01 Dec 2024 10:00:00 GMT", datetime(2024, 12, 1, 10, 0)),
        ("2024-12-01T10:00:00.123+05:30", datetime(2024, 12, 1, 10, 0)),  # wall clock kept
        (1733047200, datetime(2024, 12, 1, 10, 0)),  # a Unix timestamp in a JSON field
    ],
)
def test_metadata_values(value: object, expected: datetime) -> None:
    found = parse_date_value(value)
    assert found is not None and found.value == expected and found.has_year


@pytest.mark.parametrize("value", [None, "", "soon", "12 hours ago", True, [2024], "Dec 32"])
def test_metadata_values_without_a_date(value: object) -> None:
    assert parse_date_value(value) is None
