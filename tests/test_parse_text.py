"""Plain-text parsing on article shapes beyond the seeds: other bylines, dates and furniture."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from index.parse import parse_file, parse_string
from index.parse.title import MAX_TITLE, shorten, title_from_lead
from index.records import Article


def parse(tmp_path: Path, text: str, name: str = "article.txt") -> Article:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    parsed = parse_file(path)
    assert len(parsed.articles) == 1
    return parsed.articles[0]


def paragraphs(article: Article) -> list[str]:
    return article.body.split("\n\n")


def test_wire_story_with_byline_dateline_teaser_and_credits(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        "Oil prices climb as OPEC signals cuts\n\nBy Jane Doe\n\n"
        "LONDON (Reuters) - Oil prices rose on Monday after OPEC said it would consider deeper "
        "output cuts at its meeting next month, traders said.\n\n"
        "Brent crude futures were up 1.2% at $82.10 a barrel by 1000 GMT.\n\n"
        "Read more: Why oil markets are nervous about China\n\n"
        '"We expect a tight market," said an analyst at a bank in London.\n\n'
        "(Reporting by Jane Doe; Editing by John Roe)\n",
    )
    assert article.title == "Oil prices climb as OPEC signals cuts"
    assert (article.byline, article.source, article.dateline) == ("Jane Doe", "Reuters", "London")
    assert article.published is None  # "on Monday" alone is not a date
    assert article.body.startswith("Oil prices rose on Monday")
    for furniture in ("Read more", "nervous about China", "Reporting by", "Editing by", "By Jane"):
        assert furniture not in article.body
    assert len(paragraphs(article)) == 3


def test_share_advert_newsletter_follow_and_copyright_lines(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        "Share this article\n\nCouncil approves new budget for schools\n\n"
        "Published: 3 March 2024 | 10:30 GMT\n\nAdvertisement\n\n"
        "The city council approved a new budget for schools on Tuesday, raising spending on "
        "teachers by five percent over the next two years.\n\n"
        "Subscribe to our newsletter for daily updates\n\n"
        "Council members said the budget would be reviewed again in the autumn.\n\n"
        "Follow us on Twitter and Facebook\n\n"
        "Copyright © 2024 Springfield Gazette. All rights reserved.\n",
    )
    assert article.title == "Council approves new budget for schools"
    assert article.published == datetime(2024, 3, 3, 10, 30)
    assert article.published_inferred is False
    assert (
        article.source == "Springfield Gazette"
    )  # the copyright holder, as nothing else names one
    assert paragraphs(article) == [
        "The city council approved a new budget for schools on Tuesday, raising spending on "
        "teachers by five percent over the next two years.",
        "Council members said the budget would be reviewed again in the autumn.",
    ]


def test_related_teaser_mid_article_is_dropped_but_the_article_goes_on(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        "Storm hits coast\n\nWritten by Ana Lima | Coastal Times\n\n"
        "The storm made landfall on 12 January 2025, flooding several towns along the coast and "
        "cutting power to thousands of homes.\n\n"
        "Related:\nFlood warnings issued for the north\n\n"
        "Emergency services said they had rescued dozens of people from rooftops and that "
        "shelters were filling up quickly across the region.\n\n"
        "Officials urged residents to stay indoors until the water recedes and roads are "
        "inspected.\n\nYou may also like\n\nAnother storm headline here\n\n"
        "Yet another teaser about weather…\n",
    )
    assert (article.byline, article.source) == ("Ana Lima", "Coastal Times")
    assert article.published == datetime(2025, 1, 12)  # from the lead sentence, year given
    assert len(paragraphs(article)) == 3
    assert "Flood warnings" not in article.body
    assert "teaser" not in article.body and "You may also like" not in article.body
    assert article.body.endswith("roads are inspected.")


def test_crlf_and_iso_timestamp_line(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        "Market wrap\r\n\r\n2023-06-15T09:30:00\r\n\r\nStocks opened higher on Thursday as "
        "investors weighed fresh inflation data and a batch of earnings reports.\r\n\r\n"
        "The index rose 0.4% in early trading.\r\n",
    )
    assert article.title == "Market wrap"
    assert article.published == datetime(2023, 6, 15, 9, 30)
    assert "\r" not in article.body
    assert len(paragraphs(article)) == 2


def test_markdown_headings_emphasis_links_and_byline(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        "# Budget passes after long debate\n\n*By Sam Green*\n\n"
        "**Lawmakers** passed the [budget](https://example.com/budget) late on Friday, "
        "April 5, 2024, after a twelve-hour session that ran past midnight.\n\n"
        "## What happens next\n\n"
        "The bill now goes to the governor, who is expected to sign it within days.\n\nAd\n\n"
        "Analysts said the deal leaves [many questions](http://x) open for next year.\n",
        name="budget.md",
    )
    assert article.title == "Budget passes after long debate"
    assert article.byline == "Sam Green"
    assert article.published == datetime(2024, 4, 5)
    assert article.subheads == ("What happens next",)
    assert "https://" not in article.body and "**" not in article.body and "#" not in article.body
    assert article.body.startswith("Lawmakers passed the budget late on Friday")


def test_impossible_dates_are_ignored_not_invented(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        "Ceremony postponed\n\nDec 32, 2024\n\n"
        "The ceremony planned for 31/02/2024 was postponed, organisers said on Monday, without "
        "giving a new date for the event.\n",
    )
    assert article.title == "Ceremony postponed"
    assert article.published is None
    assert "Dec 32" not in article.body


def test_source_line_and_day_month_dateline(tmp_path: Path) -> None:
    path = tmp_path / "talks.txt"
    path.write_text(
        "Talks resume in Geneva\n\nGeneva, 3 March — Negotiators returned to the table on "
        "Sunday after a week-long pause in the talks.\n\nThe two sides are expected to meet "
        "again on Wednesday.\n\nSource: Example News Agency\n",
        encoding="utf-8",
    )
    import os

    os.utime(path, (datetime(2024, 6, 1).timestamp(),) * 2)
    article = parse_file(path).articles[0]
    assert (article.source, article.dateline) == ("Example News Agency", "Geneva")
    # No year in the text: the latest 3 March before the file's time, marked as inferred.
    assert article.published == datetime(2024, 3, 3)
    assert article.published_inferred is True
    assert article.body.startswith("Negotiators returned")


def test_numeric_date_with_time(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        "Harvest begins early\n\nPosted on 14/09/2022 at 08:15\n\nFarmers in the valley began "
        "harvesting grapes two weeks earlier than usual because of the hot summer.\n",
    )
    assert article.published == datetime(2022, 9, 14, 8, 15)


def test_agency_credit_without_names_is_dropped_without_a_source(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        "Quake shakes region\n\nA strong earthquake shook the region early on Tuesday, sending "
        "residents running into the streets.\n\nRescue teams were searching for survivors.\n\n"
        "With agencies\n",
    )
    assert article.source is None
    assert "With agencies" not in article.body


def test_bulleted_metadata_list_with_staff_byline_and_comment_count(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        "Team wins title\n- Sports\n- 9:45 am, Jul 4, 2023\n- Gazette Staff\n"
        "The home team won the league title on Monday evening with a late goal that sent "
        "thousands of fans into the streets.\nFans celebrated until dawn in the old town.\n"
        "Comments (12)\n",
    )
    assert article.title == "Team wins title"
    assert article.published == datetime(2023, 7, 4, 9, 45)
    assert (article.byline, article.source) == ("Gazette Staff", "Gazette Staff")
    assert paragraphs(article) == [
        "The home team won the league title on Monday evening with a late goal that sent "
        "thousands of fans into the streets.",
        "Fans celebrated until dawn in the old town.",
    ]


def test_hard_wrapped_paragraphs_are_rejoined(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        "WHEAT EXPORTS RISE\n\n"
        "Wheat exports rose sharply in the week to\n"
        "February 22, the agriculture department said,\n"
        "helped by strong demand from North Africa.\n"
        "    Shipments to Egypt doubled compared with\n"
        "the same week a year earlier, officials said.\n"
        " REUTER\n",
    )
    assert paragraphs(article) == [
        "Wheat exports rose sharply in the week to February 22, the agriculture department "
        "said, helped by strong demand from North Africa.",
        "Shipments to Egypt doubled compared with the same week a year earlier, officials said.",
    ]
    assert article.source == "Reuters"  # the sign-off names the agency


def test_breadcrumbs_photo_captions_and_listen_widgets(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        "Home > World > Europe\nListen to this article (4 min)\n"
        "Bridge reopens after repairs\n\nPhoto: City Archive\n\n"
        "PARIS, France, March 3, 2024 — The old bridge reopened to traffic on Saturday after "
        "two years of repairs.\n\nPedestrians crowded the walkways.\n",
    )
    assert article.title == "Bridge reopens after repairs"
    assert article.dateline == "Paris"
    assert article.published == datetime(2024, 3, 3)
    assert article.body.startswith("The old bridge reopened")
    assert "Photo" not in article.body and "Listen" not in article.body


def test_leave_a_reply_form_and_teaser_snippet_are_cut(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        "Port strike ends\n\nDock workers returned to work on Friday after a deal on pay was "
        "reached late on Thursday night, the union said.\n\nShips began unloading at dawn.\n\n"
        "Check Also\n\nMinister Anna Berg Visits the Harbour\n\nThe minister, Anna Berg, "
        "is expected to arrive in …\n\nLeave a Reply\n\nYour email address will not be "
        "published. Required fields are marked *\n\nName *\n\nEmail *\n\nWebsite\n\n"
        "Save my name, email, and website in this browser for the next time I comment.\n\n"
        "Post Comment\n",
    )
    assert "Berg" not in article.body
    assert article.body.endswith("Ships began unloading at dawn.")


def test_trailing_metadata_date_line_is_used(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        "Museum opens new wing\n\nThe city museum opened a new wing dedicated to modern art, "
        "with works by local painters.\n\nTickets are free for the first month.\n\n"
        "Last updated: Tue 5 Nov 2024 18:02 GMT\n",
    )
    assert article.published == datetime(2024, 11, 5, 18, 2)
    assert "Last updated" not in article.body


def test_single_line_story_gets_a_title_from_its_first_sentence(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        "Prime Minister Jane Roe said on Wednesday, March 6, 2024, that the government would "
        "present a new housing plan to parliament next week, after months of delays and "
        "criticism from the opposition. The plan is expected to cost billions.",
    )
    assert len(article.title) <= MAX_TITLE
    assert article.body.startswith(article.title)
    assert article.published == datetime(2024, 3, 6)


def test_title_helpers() -> None:
    assert shorten("short title") == "short title"
    long = "word " * 60
    cut = shorten(long)
    assert len(cut) <= MAX_TITLE and cut.endswith("…")
    assert title_from_lead("Mr. Smith went to Washington. Then he left.") == (
        "Mr. Smith went to Washington"
    )


@pytest.mark.parametrize(
    "line",
    ["By Sunday, the rebels had taken the city and were moving south towards the capital."],
)
def test_prose_starting_like_a_byline_is_kept(line: str) -> None:
    article = parse_string(f"Rebels advance\n\n{line}\n\nMore fighting is expected.\n")
    assert article.byline is None
    assert article.body.startswith("By Sunday")


def test_front_matter_and_key_value_header_lines(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        '---\ntitle: "Front matter title"\ndate: 2024-05-06\nauthor: Kim Lee\ntags: [a, b]\n---\n\n'
        "# Front matter title\n\nThe body of the story starts here and goes on for a while.\n",
        name="post.md",
    )
    assert (article.title, article.byline) == ("Front matter title", "Kim Lee")
    assert article.published == datetime(2024, 5, 6)
    assert article.body == "The body of the story starts here and goes on for a while."
    article = parse(
        tmp_path,
        "Title: Key value article\nAuthor: Jo Bloggs\nDate: Dec 32\nSource: Daily Thing\n"
        "Dateline: Lisbon\n\nBody text of the key value article here.\n",
    )
    assert (article.title, article.byline, article.source) == (
        "Key value article",
        "Jo Bloggs",
        "Daily Thing",
    )
    assert article.published is None and article.dateline == "Lisbon"
    assert article.body == "Body text of the key value article here."


def test_a_headline_ending_with_a_period_is_still_the_headline(tmp_path: Path) -> None:
    article = parse(
        tmp_path,
        "Poll: Voters in the suburbs are shifting their support this year.\n\n"
        "A new poll shows that voters in the suburbs are changing their minds, and quickly.\n",
    )
    assert article.title == "Poll: Voters in the suburbs are shifting their support this year."
    assert article.body.startswith("A new poll shows")


def test_a_line_broken_after_a_hyphen_joins_without_a_space() -> None:
    article = parse_string(
        "Ministers meet\n\n"
        "The talks between the foreign ministers and Mohammed Shia' al-\n"
        "Sudani went on late into the night in Baghdad, officials said,\n"
        "with both sides expecting a follow-up meeting within weeks and\n"
        "a joint statement on the border crossings that same evening.\n"
    )
    assert "al-Sudani went on" in article.body
    assert "\n" not in article.body


def test_wire_furniture_rules_captions_and_contributor_lines() -> None:
    article = parse_string(
        "Senate passes spending bill\n\nPublished On 1 Dec 2024 / Updated 2 Dec 2024\n\n"
        "WASHINGTON (AP) — The Senate passed a spending bill late on Friday, averting a "
        "shutdown hours before the deadline.\n\n(Photo by John Smith/Getty Images)\n\n"
        "Follow @janedoe on Twitter\n\n___\n\n"
        "Lawmakers from both parties said the deal was far from perfect.\n\n"
        "Click here to subscribe to our daily briefing\n\n"
        "Associated Press writer Kevin Roe in New York contributed to this report.\n"
    )
    assert (article.source, article.dateline) == ("AP", "Washington")
    assert article.published == datetime(2024, 12, 1)
    assert article.body.split("\n\n") == [
        "The Senate passed a spending bill late on Friday, averting a shutdown hours before "
        "the deadline.",
        "Lawmakers from both parties said the deal was far from perfect.",
    ]


def test_a_comment_thread_is_cut_but_a_stray_comment_counter_is_not() -> None:
    lead = "Voters went to the polls on Sunday in a closely watched election in the north."
    more = "Turnout was higher than expected in most districts, officials said later."
    article = parse_string(f"Election day\n\n{lead}\n\n3 Comments\n\n{more}\n")
    assert article.body == f"{lead}\n\n{more}"
    thread = (
        f"Election day\n\n{lead}\n\n{more}\n\n2 Comments\n\nJohn Smith says:\n\n"
        "I think the whole election was badly organised from start to finish, frankly.\n\n"
        "Reply\n\nAnna says:\n\nI disagree, it went well in my town and we voted quickly.\n\nReply\n"
    )
    assert parse_string(thread).body == f"{lead}\n\n{more}"
