"""Other inputs: JSON / JSON Lines, HTML pages, RSS and Atom feeds, and the real corpora."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from index.parse import ParseError, parse_file
from index.records import article_id

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"


def test_jsonl_one_article_per_record(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    records = [
        {
            "id": "a1",
            "title": "Rates held",
            "date": "2024-05-02T14:00:00",
            "source": "Wire",
            "body": "The central bank held rates on Thursday.\n\nIt said inflation was easing.",
        },
        {
            "id": "a2",
            "title": None,
            "date": None,
            "source": "BBC News",
            "dateline": "LONDON, May 3 -",
            "body": "Shares rose in London on Friday as banks gained after results beat forecasts.",
        },
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    parsed = parse_file(path)
    assert parsed.problems == ()
    first, second = parsed.articles
    assert (first.title, first.source, first.published) == (
        "Rates held",
        "Wire",
        datetime(2024, 5, 2, 14, 0),
    )
    assert first.body == "The central bank held rates on Thursday.\n\nIt said inflation was easing."
    assert first.id == article_id(str(path.resolve()), "a1")
    assert second.id == article_id(str(path.resolve()), "a2")
    # No title in the record: one is made from the lead, as for text files.
    assert second.title.startswith("Shares rose in London on Friday")
    assert second.dateline == "London"
    assert second.source == "BBC News"


def test_malformed_jsonl_record_is_skipped_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"title": "One", "body": "First body text."}\n'
        '{"title": "Two", "body": "unterminated\n'
        '["not", "an", "object"]\n'
        '{"title": "Only a title"}\n'
        '{"title": "Three", "body": "Third body text."}\n',
        encoding="utf-8",
    )
    parsed = parse_file(path)
    assert [a.title for a in parsed.articles] == ["One", "Three"]
    assert len(parsed.problems) == 3
    assert parsed.problems[0].startswith("line 2: malformed JSON record skipped")
    assert "line 3" in parsed.problems[1] and "not a JSON object" in parsed.problems[1]
    assert "line 4" in parsed.problems[2] and "no body" in parsed.problems[2]


def test_json_array_and_single_object(tmp_path: Path) -> None:
    array = tmp_path / "many.json"
    array.write_text(
        json.dumps(
            [
                {"headline": "A", "text": "Alpha text.", "published": "March 3, 2024"},
                {"headline": "B", "content": "Beta text.", "author": ["Ann", "Bo"]},
            ]
        ),
        encoding="utf-8",
    )
    parsed = parse_file(array)
    assert [a.title for a in parsed.articles] == ["A", "B"]
    assert parsed.articles[0].published == datetime(2024, 3, 3)
    assert parsed.articles[1].byline == "Ann, Bo"
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"title": "Solo", "body": "Solo text.", "date": "Dec 32"}))
    (article,) = parse_file(single).articles
    assert article.title == "Solo" and article.published is None


def test_json_without_any_article_is_a_parse_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.jsonl"
    path.write_text("{broken\n[1, 2]\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"no articles found|malformed"):
        parse_file(path)


PAGE = """<!DOCTYPE html>
<html><head>
<title>Rebels enter Hama | The Daily Example</title>
<meta property="og:title" content="Rebels enter Hama">
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2024-12-05T08:30:00+02:00">
<meta name="author" content="Jane Doe">
<script>var x = "<p>not text</p>";</script><style>p { color: red }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<header class="site-header">The Daily Example</header>
<article>
<h1>Rebels enter Hama</h1>
<div class="share-buttons">Share on Facebook</div>
<p>Rebel fighters entered the city of Hama on Thursday, the war monitor said.</p>
<p>Residents reported &quot;intense&quot; clashes near the central square.<br>Many fled.</p>
<h2>Army withdraws</h2>
<p>The army said it had redeployed its forces outside the city to protect civilians.</p>
<aside>Related: Another story</aside>
<div class="comments">Leave a comment</div>
</article>
<footer>© 2024 The Daily Example</footer>
</body></html>
"""


def test_html_main_text_title_date_and_meta(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    (article,) = parse_file(path).articles
    assert article.title == "Rebels enter Hama"
    assert article.published == datetime(2024, 12, 5, 8, 30)  # the publisher's wall clock
    assert (article.source, article.byline) == ("The Daily Example", "Jane Doe")
    assert article.subheads == ("Army withdraws",)
    assert article.body.split("\n\n") == [
        "Rebel fighters entered the city of Hama on Thursday, the war monitor said.",
        'Residents reported "intense" clashes near the central square. Many fled.',
        "Army withdraws",
        "The army said it had redeployed its forces outside the city to protect civilians.",
    ]


def test_html_without_article_element_and_with_jsonld(tmp_path: Path) -> None:
    path = tmp_path / "plain.htm"
    path.write_text(
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Bridge reopens", "datePublished": "2023-02-01", '
        '"author": {"name": "Ana"}}</script></head>'
        "<body><div>The old bridge reopened on Wednesday after repairs.</div>"
        "<div>Traffic was light.</div></body></html>",
        encoding="utf-8",
    )
    (article,) = parse_file(path).articles
    assert (article.title, article.byline) == ("Bridge reopens", "Ana")
    assert article.published == datetime(2023, 2, 1)
    assert (
        article.body == "The old bridge reopened on Wednesday after repairs.\n\nTraffic was light."
    )


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example Wire</title><link>http://example.com</link>
<description>d</description>
<item><title>First story</title><link>http://example.com/1</link><guid>id-1</guid>
<pubDate>Sun, 01 Dec 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;The first story text is here.&lt;/p&gt;&lt;p&gt;Second paragraph.&lt;/p&gt;</description>
<author>jane@example.com (Jane Doe)</author></item>
<item><title>Second story</title><link>http://example.com/2</link>
<pubDate>Mon, 02 Dec 2024 11:30:00 +0100</pubDate><description>Second story body.</description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title><id>urn:x</id>
<updated>2024-12-03T10:00:00Z</updated>
<entry><title>Atom entry</title><id>urn:1</id><updated>2024-12-03T10:00:00Z</updated>
<content type="html">&lt;p&gt;Atom body text goes here.&lt;/p&gt;</content><author><name>Sam</name></author></entry>
</feed>
"""


def test_rss_one_article_per_entry(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(RSS, encoding="utf-8")
    first, second = parse_file(path).articles
    assert (first.title, first.source, first.byline) == ("First story", "Example Wire", "Jane Doe")
    assert first.published == datetime(2024, 12, 1, 10, 0)
    assert first.body == "The first story text is here.\n\nSecond paragraph."
    assert first.id == article_id(str(path.resolve()), "id-1")
    assert second.published == datetime(2024, 12, 2, 11, 30)
    assert first.id != second.id


def test_atom_feed(tmp_path: Path) -> None:
    path = tmp_path / "news.atom"
    path.write_text(ATOM, encoding="utf-8")
    (entry,) = parse_file(path).articles
    assert (entry.title, entry.source, entry.byline) == ("Atom entry", "Atom News", "Sam")
    assert entry.published == datetime(2024, 12, 3, 10, 0)
    assert entry.body == "Atom body text goes here."


def test_feed_detected_by_content_without_a_feed_suffix(tmp_path: Path) -> None:
    path = tmp_path / "download"
    path.write_text(ATOM, encoding="utf-8")
    assert parse_file(path).articles[0].title == "Atom entry"


@pytest.mark.corpora
@pytest.mark.parametrize("name", ["bbc.jsonl", "reuters21578.jsonl"])
def test_every_corpus_record_parses(name: str) -> None:
    path = CORPORA / name
    if not path.exists():
        pytest.skip("../shared/corpora is absent")
    lines = sum(1 for line in path.open(encoding="utf-8") if line.strip())
    parsed = parse_file(path)
    assert parsed.problems == ()
    assert len(parsed.articles) == lines
    assert all(a.title and a.body and len(a.title) <= 120 for a in parsed.articles)
    assert len({a.id for a in parsed.articles}) == lines


def test_headline_only_feed_entries_keep_their_headline(tmp_path: Path) -> None:
    path = tmp_path / "headlines.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<item><title>Only a headline</title><link>http://x/1</link></item>"
        "<item><link>http://x/2</link></item></channel></rss>",
        encoding="utf-8",
    )
    parsed = parse_file(path)
    (article,) = parsed.articles
    assert article.title == article.body == "Only a headline"
    assert parsed.problems == ("entry 2: skipped (no text)",)


def test_a_huge_json_record_body_is_cut_and_noted(tmp_path: Path) -> None:
    from index.parse.jsonl import MAX_BODY_CHARS

    path = tmp_path / "big.jsonl"
    body = "Words of a very long record. " * (MAX_BODY_CHARS // 29 + 10)
    path.write_text(json.dumps({"title": "Big", "body": body}) + "\n", encoding="utf-8")
    parsed = parse_file(path)
    (article,) = parsed.articles
    assert len(article.body) <= MAX_BODY_CHARS
    (note,) = parsed.problems
    assert note.endswith(f"1: body cut to its first {MAX_BODY_CHARS:,} characters")


def test_an_html_page_saved_as_txt_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    path.write_text(PAGE, encoding="utf-8")
    (article,) = parse_file(path).articles
    assert article.title == "Rebels enter Hama"
    assert "<p>" not in article.body and "Share on Facebook" not in article.body
