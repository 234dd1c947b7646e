"""The five bundled seed articles parse into the records the CLI contract promises."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from index.parse import infer_years, parse_file
from index.parse.title import MAX_TITLE
from index.records import Article, article_id

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str) -> Article:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    parsed = parse_file(path)
    assert parsed.problems == ()
    (article,) = parsed.articles
    return article


@pytest.fixture(scope="module")
def batch() -> dict[str, Article]:
    """All five seeds parsed as one ingest batch, years inferred across it."""
    articles = [seed(f"{n:03d}") for n in range(5)]
    return {a.path.rsplit("/", 1)[-1][:3]: a for a in infer_years(articles)}


def test_titles(batch: dict[str, Article]) -> None:
    assert batch["000"].title == "Rebels Gain Ground in Syria as Military Prepares for Offensive"
    assert batch["001"].title == (
        "Syrian rebels push toward Hama after taking Aleppo; pro-Assad forces, Russia mount "
        "counterattacks"
    )
    assert batch["002"].title == (
        "Syrian rebels launch large-scale offensive in Aleppo, capture territory from Assad forces"
    )
    assert batch["003"].title == "Insurgents Advance from Aleppo, Assad Vows Defeat"


def test_headline_less_article_gets_a_short_faithful_title(batch: dict[str, Article]) -> None:
    article = batch["004"]
    assert 20 <= len(article.title) <= MAX_TITLE
    # Faithful: the opening words of the lead, cut at a clause boundary, not a paragraph.
    assert article.body.startswith(article.title)
    assert article.body[len(article.title)] in ",;:"
    assert "\n" not in article.title


def test_dates(batch: dict[str, Article]) -> None:
    assert batch["000"].published == datetime(2024, 12, 1)
    assert batch["000"].published_inferred is True
    assert batch["001"].published == datetime(2024, 12, 2)
    assert batch["001"].published_inferred is False
    assert batch["002"].published == datetime(2024, 11, 28, 15, 9)
    assert batch["002"].published_inferred is False
    assert batch["003"].published is None  # no date in the text: never invented
    assert batch["003"].published_inferred is False
    assert batch["004"].published == datetime(2024, 12, 1)
    assert batch["004"].published_inferred is True


def test_weekday_alone_fixes_the_year_of_seed_004() -> None:
    # "on Sunday, December 1": 2024 is the nearest year in which December 1 is a Sunday.
    article = seed("004")
    assert article.published is not None
    assert article.published.date() == datetime(2024, 12, 1).date()


def test_sources_bylines_datelines(batch: dict[str, Article]) -> None:
    assert (batch["000"].source, batch["000"].dateline) == ("NationPress", "Damascus")
    assert (batch["001"].source, batch["001"].dateline) == ("Times of Oman", "Damascus")
    assert batch["002"].source == "Myind Staff"
    assert batch["002"].byline == "Myind Staff"
    assert batch["003"].source is None
    assert batch["003"].byline is None
    # The credit line names the agencies the story draws on: kept as the source.
    assert batch["004"].source == "AP, EFE and local media"


FURNITURE = [
    "Click to start listening",
    "Comments",
    "Check Also",
    "Ortagus",
    "Leave a Reply",
    "Your email address",
    "Required fields",
    "Source: Times of Oman",
    "With AP, EFE and local media",
    "In Reports",
    "Myind Staff",
    "03:09 PM",
    "Dec 02, 2024",
    "(NationPress)",
    "Damascus [Syria], December 2:",
]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_bodies_hold_no_furniture_and_clean_paragraphs(
    batch: dict[str, Article], prefix: str
) -> None:
    body = batch[prefix].body
    for text in FURNITURE:
        assert text not in body, (prefix, text)
    assert not body.startswith("World")
    assert body == body.strip()
    paragraphs = body.split("\n\n")
    assert len(paragraphs) >= 5
    assert all(p and "\n" not in p and p == p.strip() for p in paragraphs)
    # The headline is the title, not the first paragraph (seed 000 prints it twice).
    assert batch[prefix].title not in paragraphs[0] or prefix == "004"


def test_datelines_are_cut_from_the_lead(batch: dict[str, Article]) -> None:
    assert batch["000"].body.startswith("The militant faction Hayat Tahrir al-Sham")
    assert batch["001"].body.startswith("Rebel forces in northwestern Syria")


def test_subheads_stay_in_the_body_and_are_listed(batch: dict[str, Article]) -> None:
    article = batch["004"]
    assert article.subheads == (
        "Iran reaffirms its support for Al-Assad",
        "Bashar Al-Assad's response",
        "Have the Kurds entered the scene?",
    )
    paragraphs = article.body.split("\n\n")
    for subhead in article.subheads:
        assert subhead in paragraphs
    for prefix in ("000", "001", "002", "003"):
        assert batch[prefix].subheads == ()


def test_last_paragraphs_are_article_text(batch: dict[str, Article]) -> None:
    assert batch["001"].body.endswith("displaced by the recent fighting.")
    assert batch["002"].body.endswith("in the northwest.")
    assert batch["003"].body.endswith("no further details were provided.")
    assert batch["004"].body.endswith("that still exist in the area.")


def test_ids_are_stable_and_derived_from_the_path(batch: dict[str, Article]) -> None:
    for article in batch.values():
        assert article.id == article_id(str(Path(article.path).resolve()))
    assert len({a.id for a in batch.values()}) == 5
