"""Property tests: the text parser takes any string without raising and keeps its promises."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.parse import ParseError, parse_file, parse_string
from index.parse.dates import date_line, find_dates, lead_date, parse_date_value
from index.parse.jsonl import parse_json_records
from index.parse.text import parse_text
from index.parse.title import MAX_TITLE

# Text that looks like scraped articles: words, dates, furniture, quotes, odd whitespace.
_PIECES = st.sampled_from(
    [
        "Rebels",
        "said",
        "on Sunday, December 1",
        "Dec 32",
        "31/02/2024",
        "Comments",
        "Check Also",
        "Leave a Reply",
        "By Jane Doe",
        "Source: X",
        "With AP",
        '"',
        "“",
        "”",
        "\n",
        "\n\n",
        "\r\n",
        " ",
        "\t",
        "- ",
        "# ",
        "Damascus, Dec 1 (NationPress)",
        "…",
        "Share this article",
        "Read more: ",
        "©",
        "\x1b[2J",
        "\u2028",
        "\ufeff",
        "2024-13-45",
        "Feb 29",
        "03:09 PM",
        ".",
        "?",
        "Mr.",
        "U.S.",
        "(",
        ")",
        "[",
        "]",
        "e\u0301",
    ]
)
ARTICLE_TEXT = st.one_of(
    st.text(max_size=2000),
    st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=120).map("".join),
)
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(ARTICLE_TEXT, st.booleans())
def test_text_parser_never_raises_and_keeps_its_shape(text: str, markdown: bool) -> None:
    fields = parse_text(text, markdown=markdown)
    assert isinstance(fields.body, str)
    assert isinstance(fields.title, str)
    assert len(fields.title) <= MAX_TITLE
    assert "\n" not in fields.title
    assert "\r" not in fields.body
    assert "\n\n\n" not in fields.body
    assert fields.body == fields.body.strip()
    for subhead in fields.subheads:
        assert subhead in fields.body.split("\n\n")
    if fields.date is not None:
        assert 1900 <= fields.date.value.year <= 2100


@FAST
@given(ARTICLE_TEXT)
def test_parse_string_gives_an_article(text: str) -> None:
    article = parse_string(text)
    assert article.published is None or isinstance(article.published, datetime)
    assert article.published_inferred is False or article.published is not None
    json.dumps(article.to_json())  # always serialisable


@FAST
@given(st.text(max_size=200))
def test_date_helpers_never_raise(text: str) -> None:
    find_dates(text)
    date_line(text)
    lead_date(text)
    parse_date_value(text)


@FAST
@given(
    st.lists(
        st.one_of(st.text(max_size=80), st.just('{"title": "T", "body": "B b."}')), max_size=20
    )
)
def test_jsonl_parser_never_raises(lines: list[str]) -> None:
    articles, notes = parse_json_records("\n".join(lines), "/x.jsonl", datetime(2024, 1, 1))
    assert all(isinstance(note, str) and "\n" not in note for note in notes)
    assert all(a.body for a in articles)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400), st.sampled_from([".txt", ".md", ".json", ".html", ".xml", ".bin"]))
def test_parse_file_raises_only_parse_error(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"f{suffix}"
    path.write_bytes(data)
    try:
        parsed = parse_file(path)
    except ParseError as exc:
        assert "\n" not in str(exc) and str(exc)
        return
    assert parsed.articles
    assert all(len(a.title) <= MAX_TITLE for a in parsed.articles)


_HTML_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div class='share'>",
        "</div>",
        "<article>",
        "</article>",
        "<h2>",
        "</h2>",
        "<script>",
        "</script>",
        "<br>",
        "<meta property='og:title' content='T'>",
        "&amp;",
        "&#0;",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<title>",
        "</title>",
        "<",
        ">",
        "Words here. ",
        "\n",
        '<script type="application/ld+json">{"headline": ',
        "}</script>",
        "<time datetime='x'>",
    ]
)


@FAST
@given(st.lists(st.one_of(_HTML_PIECES, st.text(max_size=15)), max_size=80).map("".join))
def test_html_and_feed_parsers_never_raise_anything_but_parse_error(markup: str) -> None:
    from index.parse.feeds import parse_feed
    from index.parse.html import parse_html

    articles, _ = parse_html(markup, "/x.html", datetime(2024, 1, 1))
    assert all(len(a.title) <= MAX_TITLE for a in articles)
    with contextlib.suppress(ParseError):
        parse_feed(markup, "/x.xml", datetime(2024, 1, 1))


# Furniture none of the seeds carries: the rules must generalise beyond them.
_FURNITURE = [
    "Advertisement",
    "ADVERTISEMENT",
    "Share this article",
    "Share on Facebook",
    "Tweet",
    "Subscribe to our newsletter",
    "Sign up for our daily newsletter to get the news first",
    "Follow us on Twitter",
    "Read more: Ministers meet again in Brussels",
    "Related: Storm warning issued for the coast",
    "Also read: Why prices keep rising",
    "Listen to this article",
    "Print",
    "Email",
    "Comments (3)",
    "Photo: Reuters",
    "Image source, Getty Images",
    "Scroll to continue with content",
    "5 min read",
    "Copyright © 2023 Some Media Ltd",
    "© 2024 Example News. All rights reserved.",
    "* * *",
]
_SEED = Path(__file__).resolve().parent.parent / "seeds"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.sampled_from(_FURNITURE)), max_size=8))
def test_furniture_inserted_anywhere_is_removed(insertions: list[tuple[int, str]]) -> None:
    (path,) = _SEED.glob("003_*.txt")
    clean = parse_text(path.read_text(encoding="utf-8"))
    paragraphs = clean.body.split("\n\n")
    blocks = list(paragraphs)
    for position, furniture in sorted(insertions, reverse=True):
        blocks.insert(min(position, len(blocks)), furniture)
    messy = parse_text(clean.title + "\n\n" + "\n\n".join(blocks) + "\n")
    assert messy.title == clean.title
    assert messy.body.split("\n\n") == paragraphs
