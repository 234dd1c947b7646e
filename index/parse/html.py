"""HTML pages: main text, title and date from meta tags and JSON-LD (stdlib html.parser)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

from index.parse.dates import parse_date_value
from index.parse.text import parse_text
from index.records import Article

# Never article text.
_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "button",
        "select",
        "iframe",
        "figcaption",
        "menu",
        "dialog",
    }
)
_VOID = frozenset(
    {
        "br",
        "hr",
        "img",
        "meta",
        "link",
        "input",
        "source",
        "area",
        "base",
        "col",
        "embed",
        "param",
        "track",
        "wbr",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "li",
        "ul",
        "ol",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "pre",
        "figure",
        "dd",
        "dt",
        "dl",
        "address",
        "time",
        "body",
    }
)
# Class or id words of page furniture inside the main column.
_FURNITURE = re.compile(
    r"(?i)(?:^|[\s_-])(?:share|sharing|social|related|comments?|newsletter|subscribe|"
    r"advert|adverts|advertisement|ads?|promo|sidebar|breadcrumbs?|cookies?|popup|modal|"
    r"footer|header|nav|navbar|menu|tags?|author-bio|recommended|recommendations)(?=$|[\s_-])"
)
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date",
    "dc.date.issued",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "dcterms.created",
)
_SPACE = re.compile(r"[ \t\r\n\u00a0]+")


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self.h1: list[str] = []
        self.times: list[str] = []
        self.jsonld: list[str] = []
        self.chunks: list[tuple[int, str]] = []  # (depth of <article>/<main>, text or "\n")
        self._stack: list[str] = []
        self._skip_depth = 0
        self._main_depth = 0
        self._in_title = False
        self._in_h1 = False
        self._in_jsonld = False
        self.heading_marks: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            name = (attr.get("property") or attr.get("name") or attr.get("itemprop") or "").lower()
            if name and attr.get("content"):
                self.meta.setdefault(name, attr["content"])
            return
        if tag == "time" and attr.get("datetime"):
            self.times.append(attr["datetime"])
        if tag in _VOID:
            if tag == "br" and not self._skip_depth:
                self.chunks.append((self._main_depth, "\n"))
            return
        self._stack.append(tag)
        furniture = _FURNITURE.search(f"{attr.get('class', '')} {attr.get('id', '')}")
        role = attr.get("role", "")
        if (
            self._skip_depth
            or tag in _SKIP
            or role in {"navigation", "banner", "complementary"}
            or (furniture and tag not in {"article", "main", "body", "html"})
        ):
            if tag == "script" and "ld+json" in attr.get("type", ""):
                self._in_jsonld = True
            self._skip_depth += 1
            return
        if tag in {"article", "main"}:
            self._main_depth += 1
        if tag == "title":
            self._in_title = True
        if tag == "h1":
            self._in_h1 = True
        if tag in _BLOCK:
            self.chunks.append((self._main_depth, "\n\n"))
            if tag in {"h2", "h3", "h4"}:
                # Marked as a Markdown heading so the text parser lists it as a subhead.
                self.chunks.append((self._main_depth, "## "))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self._stack:
            return
        while self._stack:
            open_tag = self._stack.pop()
            if self._skip_depth:
                self._skip_depth -= 1
                if open_tag == "script":
                    self._in_jsonld = False
            elif open_tag in {"article", "main"}:
                self._main_depth = max(0, self._main_depth - 1)
            if open_tag == "title":
                self._in_title = False
            if open_tag == "h1":
                self._in_h1 = False
            if open_tag in _BLOCK and not self._skip_depth:
                self.chunks.append((self._main_depth, "\n\n"))
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld.append(data)
            return
        if self._in_title:
            self.title_parts.append(data)
            return
        if self._skip_depth:
            return
        if self._in_h1:
            self.h1.append(data)
        self.chunks.append((self._main_depth, data))


def _jsonld(blocks: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for block in blocks:
        try:
            data = json.loads(block)
        except (ValueError, RecursionError):
            continue
        items = data if isinstance(data, list) else [data]
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("@graph"), list):
                items.extend(i for i in item["@graph"] if isinstance(i, dict))
                continue
            if isinstance(item, dict):
                for key in ("headline", "datePublished", "author", "publisher"):
                    if key in item and key not in found:
                        found[key] = item[key]
    return found


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list) and value:
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def _text_from_chunks(chunks: list[tuple[int, str]]) -> str:
    # Prefer what sits inside <article>/<main> when the page has one.
    inside = [text for depth, text in chunks if depth > 0]
    parts = inside if "".join(inside).strip() else [text for _, text in chunks]
    raw = "".join(parts)
    blocks = (_SPACE.sub(" ", block).strip() for block in raw.split("\n\n"))
    return "\n\n".join(b for b in blocks if b and b != "##")


def _clean_page_title(title: str, site: str | None) -> str:
    title = _SPACE.sub(" ", title).strip()
    for sep in (" | ", " - ", " – ", " — ", " :: "):
        if sep in title:
            head, _, tail = title.rpartition(sep)
            if (site and site.lower() in tail.lower()) or len(tail) < len(head) / 2:
                return head.strip()
    return title


def parse_html(text: str, path: str, reference: datetime) -> tuple[list[Article], list[str]]:
    """One article from an HTML page."""
    page = _PageParser()
    try:
        page.feed(text)
        page.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup
        pass
    ld = _jsonld(page.jsonld)
    meta = page.meta
    site = meta.get("og:site_name") or _name(ld.get("publisher"))
    title = (
        meta.get("og:title")
        or _name(ld.get("headline"))
        or " ".join("".join(page.h1).split())
        or _clean_page_title("".join(page.title_parts), site)
    )
    if title and meta.get("og:title"):
        title = _clean_page_title(title, site)
    body_text = _text_from_chunks(page.chunks)
    fields = parse_text(body_text, title=title or None, markdown=True)
    if not fields.body:
        return [], ["no article text found in the HTML page"]
    published = None
    for raw in [*(meta.get(k) for k in _DATE_META), ld.get("datePublished"), *page.times]:
        if raw:
            found = parse_date_value(raw)
            if found is not None and found.has_year:
                published = found.value
                break
    byline = meta.get("author") or _name(ld.get("author"))
    from index.parse import article_from_fields

    article = article_from_fields(
        fields,
        path=path,
        record_key=None,
        reference=reference,
        published=published,
        source=site,
        byline=byline,
    )
    return [article], []
