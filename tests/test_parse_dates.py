"""Dates: the shapes found in metadata lines, datelines and leads, and year inference."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

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
from index.parse.jsonl import record_to_article, unwrap
from index.parse.meta import parse_dateline
from index.pipeline import load
from index.records import Article


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


# --- dates a journalist can rely on ------------------------------------------------


def test_a_guessed_year_is_never_after_the_file_time() -> None:
    # 1 December 2027 is a Wednesday, 2021 too: the nearest fit to the file time
    # (Nov 2026) is in the future, so the past one is taken (it used to give 2027).
    wednesday = FoundDate(datetime(2000, 12, 1), False, 2)
    assert guess_year(wednesday, datetime(2026, 11, 22)) == datetime(2021, 12, 1)


def test_nearest_year_never_lands_after_the_latest_date() -> None:
    known = [datetime(2024, 12, 28)]
    assert nearest_year(datetime(2000, 1, 2), None, known) == datetime(2025, 1, 2)
    latest = datetime(2024, 12, 30)
    assert nearest_year(datetime(2000, 1, 2), None, known, latest) == datetime(2024, 1, 2)
    # No year near the known dates fits (no 29 February in 2021-2023): no date, not a guess.
    assert nearest_year(datetime(2000, 2, 29), None, [datetime(2022, 6, 1)]) is None


def test_a_year_only_from_dated_neighbours_in_the_same_file_or_folder() -> None:
    def art(path: str, published: datetime | None, inferred: bool) -> Article:
        return Article(
            id=f"{path}{published}",
            path=path,
            title="t",
            body="Body.",
            published=published,
            published_inferred=inferred,
        )

    now = datetime(2026, 12, 2)
    guessed = datetime(2026, 3, 3)  # "March 3" with the file's year, provisional
    batch = [
        art("/wire/reuters.jsonl", datetime(1987, 3, 2, 9), False),
        art("/wire/reuters.jsonl", guessed, True),
        art("/wire/bbc.jsonl", guessed, True),  # a file of undated stories next to it
        art("/wire/bbc.jsonl", None, False),
        art("/texts/a.txt", datetime(2016, 3, 1), False),
        art("/texts/b.txt", guessed, True),  # one article a file: its folder supports a year
        art("/alone/c.txt", guessed, True),
    ]
    out = infer_years(batch, now=now)
    assert out[1].published == datetime(1987, 3, 3) and out[1].published_inferred
    assert out[2].published is None and not out[2].published_inferred
    assert out[5].published == datetime(2016, 3, 3) and out[5].published_inferred
    assert out[6].published is None and not out[6].published_inferred
    assert all(a.published is None or a.published <= now for a in out)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_future_date_is_not_a_publication_date(tmp_path: Path) -> None:
    record = {
        "id": 1,
        "title": "Summit planned",
        "date": "2999-05-01T10:00:00",
        "body": "Leaders will meet in Oslo, officials said on Monday.",
    }
    _write(tmp_path / "w.jsonl", json.dumps(record) + "\n")
    _write(tmp_path / "t.txt", "Summit planned\n\nMay 1, 2999\n\nLeaders will meet in Oslo.\n")
    for item in load([tmp_path]):
        assert isinstance(item, Article)
        assert item.published is None and not item.published_inferred


def test_the_dateline_date_beats_a_date_in_the_body_and_gives_the_source(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "Talks open\n\nMarch 2, 1987\n\nDelegates met in Vienna.\n")
    _write(
        tmp_path / "b.txt",
        "Oil prices rise\n\nLONDON, March 3 (Reuters) - Oil prices rose on Monday, "
        "March 9, 1987, traders said.\n\nThey said output was steady.\n",
    )
    items = {Path(a.path).name: a for a in load([tmp_path]) if isinstance(a, Article)}
    b = items["b.txt"]
    assert (b.source, b.dateline) == ("Reuters", "London")
    assert b.published == datetime(1987, 3, 3) and b.published_inferred


def test_jsonl_dateline_field_gives_date_and_source(tmp_path: Path) -> None:
    records = [
        {
            "id": 1,
            "title": "Cocoa review",
            "date": "1987-03-02T10:00:00",
            "body": "Showers continued in the cocoa zone, the review said.",
        },
        {
            "id": 2,
            "title": "Grain exports",
            "dateline": "CHICAGO, March 3 (Reuters) -",
            "body": "Exporters shipped more wheat than on Monday, March 9, 1987, traders said.",
        },
        {
            "id": 3,
            "title": "No neighbours",
            "dateline": "PARIS, March 4 -",
            "body": "Officials said talks would go on.",
        },
    ]
    _write(tmp_path / "wire.jsonl", "\n".join(json.dumps(r) for r in records[:2]) + "\n")
    _write(tmp_path / "other" / "one.jsonl", json.dumps(records[2]) + "\n")
    items = {a.title: a for a in load([tmp_path]) if isinstance(a, Article)}
    grain = items["Grain exports"]
    assert (grain.source, grain.dateline) == ("Reuters", "Chicago")
    assert grain.published == datetime(1987, 3, 3) and grain.published_inferred
    alone = items["No neighbours"]
    assert alone.dateline == "Paris" and alone.published is None


def test_jsonl_hard_wrapped_wire_copy_is_rejoined() -> None:
    body = (
        "Standard Widget Co and North Gear\nInc said they plan to form a venture to run\n"
        "the money market activities of both companies.\n    North Gear is a unit of "
        "Gear Holdings\nPlc, which owns 55 pct of Standard Widget.\n"
    )
    assert unwrap(body) == (
        "Standard Widget Co and North Gear Inc said they plan to form a venture to run the "
        "money market activities of both companies.\n\nNorth Gear is a unit of Gear Holdings "
        "Plc, which owns 55 pct of Standard Widget."
    )
    article, _ = record_to_article(
        {"title": "Widget venture", "body": body}, "/w.jsonl", "1", datetime(2026, 1, 1)
    )
    assert article is not None
    assert article.body.startswith("Standard Widget Co and North Gear Inc said they plan")
    plain = "First paragraph.\n\nSecond paragraph\nwrapped here.\n"
    assert unwrap(plain) == plain


def test_a_wrapped_prose_line_that_starts_with_a_date_is_not_metadata() -> None:
    assert not looks_like_date("June 30, 1986 with the Fed.")
    assert looks_like_date("Dec 32, 2024 | 10:30 GMT")


def test_one_stray_dated_story_does_not_date_a_whole_file() -> None:
    # A file of undated stories where one body happens to carry a full date.
    stray = Article(
        id="s",
        path="/bbc.jsonl",
        title="t",
        body="B.",
        published=datetime(1995, 5, 1),
        published_inferred=False,
    )
    guessed = [
        Article(
            id=str(n),
            path="/bbc.jsonl",
            title="t",
            body="B.",
            published=datetime(2026, 3, n + 1),
            published_inferred=True,
        )
        for n in range(4)
    ]
    out = infer_years([stray, *guessed], now=datetime(2026, 12, 2))
    assert out[0] == stray
    assert all(a.published is None and not a.published_inferred for a in out[1:])
