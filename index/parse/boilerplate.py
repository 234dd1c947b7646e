"""Recognise scraped page furniture (buttons, teasers, forms, footers) line by line."""

from __future__ import annotations

import re

# Lines longer than this are article prose, never furniture; it also keeps the
# regexes below away from megabyte-long lines.
MAX_FURNITURE = 200

_BULLET = re.compile(r"^\s*(?:[-*•·▪►>|]+\s+)+")


def strip_bullet(line: str) -> str:
    """`- 03:09 PM` -> `03:09 PM` (scrapers flatten metadata lists into bullets)."""
    return _BULLET.sub("", line, count=1).strip()


def _whole(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{pattern})\s*[.:!]?$", re.IGNORECASE)


_SOCIAL = r"(?:facebook|twitter|x|whatsapp|telegram|linkedin|reddit|email|e-mail|messenger|pinterest|instagram|youtube|tiktok|threads|bluesky)"

# Interface text that is never part of an article, whatever the site.
UI_LINE = _whole(
    "|".join(
        (
            # audio players
            r"(?:click|tap|press)?\s*(?:here\s+)?(?:to\s+)?(?:start\s+)?(?:listen(?:ing)?|play)"
            r"(?:\s+(?:to\s+)?(?:this|the)\s+(?:article|story|audio))?(?:\s*[(\[]?\s*\d+\s*(?:min(?:ute)?s?|:\d\d)\s*[)\]]?)?",
            r"(?:audio|listen)\s+(?:version|player)|pause|stop|\d+:\d\d\s*/\s*\d+:\d\d",
            # sharing and saving
            rf"share(?:\s+(?:this|the))?(?:\s+(?:article|story|post|page))?(?:\s+(?:on|via|with)\s+{_SOCIAL})?",
            rf"(?:share\s+(?:on|via)\s+)?{_SOCIAL}(?:\s+{_SOCIAL})*",
            r"tweet|print|print this(?: article| page)?|copy(?: the)? link|link copied|save(?: article)?|bookmark|gift(?: this)? article",
            # comments and reactions
            r"(?:\d+\s+)?comments?(?:\s*\(\d+\))?|(?:view|show|hide|read|see)\s+(?:all\s+)?comments?|no comments(?: yet)?",
            r"(?:leave|post|add|write)\s+a\s+(?:reply|comment)|cancel reply|post comment|submit(?: comment)?",
            r"your email address will not be published\.?(?:\s*required fields are marked\s*\*)?",
            r"required fields are marked\s*\*|(?:name|email|website|comment)\s*\*?",
            r"save my name,? email,? and website in this browser.*",
            # ads and subscriptions
            r"advertisement|advertising|sponsored(?:\s+content)?|ad|promoted|scroll to continue(?: with content)?",
            r"subscribe(?:\s+now)?|(?:subscribe|sign up|register)\s+(?:to|for)\s+(?:our|the)\s+.{0,80}",
            r"(?:get|receive)\s+(?:our|the)\s+.{0,40}newsletter.{0,60}|newsletter|sign up|log ?in|sign in",
            rf"follow us(?:\s+on\s+.{{0,80}})?|(?:join|follow)\s+(?:us|our)\s+.{{0,30}}(?:{_SOCIAL}|channel).{{0,40}}",
            rf"follow\s+(?:@\w+|[A-Z][\w.' ]{{0,40}})\s+on\s+{_SOCIAL}.{{0,40}}",
            # navigation
            r"skip to(?: main)? content|back to top|menu|search|home|close|loading\.*|next article|previous article",
            r"(?:image|photo|picture|video)(?:\s+(?:source|caption|credit))?\s*[:,]\s*.{0,80}",
            r"getty images|afp via getty images|reuters/[a-z ]+|file photo",
            r"\(?(?:file\s+)?(?:photo|image|picture|video)s?\s+(?:by|courtesy of|credit)\s*:?\s+.{0,100}?\)?",
            r"(?:click|tap)\s+here\b.{0,100}",
            # copyright footers
            r"(?:copyright\s*(?:©|\(c\))?\s*\d{4}|©|\(c\)\s*\d{4}).{0,120}|all rights reserved\.?.{0,80}",
            r"\d+\s*min(?:ute)?s?\s+read|reading time\s*:?.{0,20}",
        )
    )
)

# Headings of end-of-page widgets: what follows them is teasers or forms, not article.
TAIL_MARKER = _whole(
    "|".join(
        (
            r"check also|see also|also read|read also|read more|more (?:stories|news|articles)"
            r"|related(?:\s+(?:articles?|stories|posts?|news|content|coverage|topics|reading))?",
            r"you (?:may|might) also (?:like|be interested in|enjoy)|recommended(?:\s+(?:for you|stories|articles))?",
            r"most (?:read|popular|viewed|shared)|trending(?: now)?|top stories|don'?t miss|what to read next",
            r"(?:leave|post|add)\s+a\s+(?:reply|comment)|comments?(?:\s*\(\d+\))?|\d+\s+comments?|post navigation",
            r"about the author|more from .{1,40}|latest (?:news|stories)|editor'?s picks?",
        )
    )
)

# A teaser or link line in the middle of an article: "Read more: Another headline".
INLINE_TEASER = re.compile(
    r"^(?:read more|read also|also read|see also|related|more|watch|listen|recommended|"
    r"read next|must read|don'?t miss|explainer|analysis|opinion)\s*[:|>»–—-]\s*\S.{0,150}$",
    re.IGNORECASE,
)

# "Source: Times of Oman", "Via: AFP".
SOURCE_LINE = re.compile(
    r"^(?:source|sources|via|courtesy(?:\s+of)?)\s*[:：–—-]\s*(?P<value>\S.{0,79})$", re.IGNORECASE
)

# "With AP, EFE and local media", "(With reporting by Reuters)", "With agencies".
CREDIT_LINE = re.compile(
    r"^\(?\s*with\s+(?:additional\s+)?(?:(?:reporting|input|inputs|files)\s+(?:by|from)\s+)?"
    r"(?P<value>[^.!?]{2,79}?)\s*\)?\.?$",
    re.IGNORECASE,
)
_CREDIT_WORD = re.compile(
    r"^(?:[A-Z0-9][\w.'’&/-]*|and|&|local|media|agencies|agency|wires?|news|reports?|services?|"
    r"the|other|international|foreign|staff|correspondents?|dispatches|sources)$"
)

# "(Reporting by Jane Doe; Editing by John Roe)" and its variants.
REPORTING_LINE = re.compile(
    r"^\(?\s*(?:additional\s+)?(?:reporting|writing|compiled|editing|edited|written|research)\s+by\s+"
    r"(?P<value>[^;)]{2,100}?)\s*(?:;.{0,200})?\)?\.?$",
    re.IGNORECASE,
)

# "By Jane Doe", "By Jane Doe and John Roe, Reuters", "Written by J. Doe | AFP".
BYLINE = re.compile(
    r"^(?:(?:written|words|story|report(?:ed)?)\s+)?by\s*:?\s+"
    r"(?P<value>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|del|der|van|von|al|bin|ibn|el|la|le|da|di|du)){0,7})"
    r"(?:\s*(?:,|\||/|–|—|-|\bfor\b|\bof\b)\s*(?P<source>[A-Z][\w.&'’ -]{1,40}?))?\s*$",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"^[A-Z]")

# A staff byline names the outlet: "Myind Staff", "Reuters Staff Writer", "Web Desk".
STAFF_BYLINE = re.compile(
    r"^(?P<value>(?:[A-Z][\w.&'’-]*\s+){0,4}(?:Staff(?:\s+(?:Writer|Reporter|Correspondent))?|"
    r"(?:News|Web|Online|Digital)\s+Desk|Desk|Bureau|Newsroom|Correspondents?|Editorial\s+Team|Team))$"
)

# A trailing sign-off word ("REUTER", "-30-", "###", "(END)").
SIGN_OFF = re.compile(r"^(?:\(?END\)?|#{3}|-30-|REUTERS?|AP|AFP|UPI|IANS|PTI|ANI|XINHUA)$")
_AGENCY_SIGN_OFF = {
    "REUTER": "Reuters",
    "REUTERS": "Reuters",
    "AP": "AP",
    "AFP": "AFP",
    "UPI": "UPI",
    "IANS": "IANS",
    "PTI": "PTI",
    "ANI": "ANI",
    "XINHUA": "Xinhua",
}

# Copyright holder, used as a source when the text names no other.
COPYRIGHT_HOLDER = re.compile(
    r"^(?:copyright|©|\(c\))\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?,?\s*(?P<holder>[A-Z][\w&.'’ -]{1,60}?)"
    r"\s*(?:\.|,|$)",
    re.IGNORECASE,
)

# A section line "In Reports", or breadcrumbs "Home > World > Middle East".
SECTION_LINE = re.compile(
    r"^(?i:in|posted in|filed under|category|section)\s*:?\s+[A-Z][\w&,' -]{0,40}$"
)
BREADCRUMB = re.compile(r"^[\w&' -]{1,30}(?:\s*[>»›]\s*[\w&' -]{1,30}){1,6}$")


# "Associated Press writer Jane Doe in Paris contributed to this report."
CONTRIBUTED = re.compile(
    r"^\(?[^.!?]{3,160}\bcontributed\s+(?:reporting\s+)?(?:to\s+)?(?:this|the)\s+"
    r"(?:report|story|article)\)?\.?\)?$",
    re.IGNORECASE,
)
# "___", "* * *", "-----": section breaks drawn with symbols.
RULE_LINE = re.compile(r"^[-_*=~#•·.\s]{3,}$")


def is_contributed(line: str) -> bool:
    return len(line) <= 200 and CONTRIBUTED.match(line) is not None


def is_rule(line: str) -> bool:
    return len(line) <= 200 and RULE_LINE.match(line) is not None


def is_ui(line: str) -> bool:
    return len(line) <= MAX_FURNITURE and UI_LINE.match(line) is not None


def is_tail_marker(line: str) -> bool:
    return len(line) <= 60 and TAIL_MARKER.match(line) is not None


END_MARKER = _whole(
    r"(?:leave|post|add)\s+a\s+(?:reply|comment)|comments?(?:\s*\(\d+\))?|\d+\s+comments?"
    r"|post navigation|about the author"
)


# Lines that only a comment thread has.
COMMENT_FURNITURE = _whole(
    r"reply|log in to reply|report(?: abuse| comment)?|like|\d+\s+(?:likes?|replies|points)"
    r"|.{1,60}\s+says|(?:leave|post|add)\s+a\s+(?:reply|comment)|cancel reply|post comment"
    r"|your email address will not be published.*|load more comments"
)


def is_comment_furniture(line: str) -> bool:
    return len(line) <= 200 and COMMENT_FURNITURE.match(line) is not None


def is_end_marker(line: str) -> bool:
    """Comment sections and author boxes: nothing after them is article."""
    return len(line) <= 60 and END_MARKER.match(line) is not None


def is_inline_teaser(line: str) -> bool:
    return len(line) <= MAX_FURNITURE and INLINE_TEASER.match(line) is not None


def source_line(line: str) -> str | None:
    if len(line) > 100:
        return None
    match = SOURCE_LINE.match(line)
    return match.group("value").strip().rstrip(".") if match else None


def credit_line(line: str) -> str | None:
    """The credited outlets of a line like "With AP, EFE and local media", else None."""
    if len(line) > 90:
        return None
    match = CREDIT_LINE.match(line)
    if match is None:
        return None
    value = match.group("value").strip().rstrip(",")
    words = value.replace(",", " ").split()
    if words and all(_CREDIT_WORD.match(word) for word in words):
        return value
    return None


def reporting_line(line: str) -> str | None:
    """The first credited reporter(s) of a "Reporting by ...; Editing by ..." line."""
    if len(line) > 300:
        return None
    match = REPORTING_LINE.match(line)
    if match is None:
        return None
    value = match.group("value").strip()
    if not _CAPITALISED.match(value):
        return None
    if re.match(r"(?i)^\(?\s*(?:editing|edited)\b", line):
        return ""  # an editing credit: furniture, but it names no reporter
    return value


def byline(line: str) -> tuple[str, str | None] | None:
    """(byline, source or None) for "By Jane Doe[, Outlet]" lines, else None."""
    if len(line) > 120:
        return None
    match = BYLINE.match(line)
    if match is None:
        return None
    name = match.group("value").strip()
    source = match.group("source")
    words = name.split()
    # "By Sunday, the rebels..." is prose: a byline is a few capitalised words.
    if not words or not all(_CAPITALISED.match(w) or w.lower() in _NAME_PARTICLES for w in words):
        return None
    if words[0].lower() in _NOT_NAMES:
        return None
    return name, source.strip() if source else None


_NAME_PARTICLES = {
    "and",
    "&",
    "de",
    "del",
    "der",
    "van",
    "von",
    "al",
    "bin",
    "ibn",
    "el",
    "la",
    "le",
    "da",
    "di",
    "du",
}
_NOT_NAMES = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "then",
    "now",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "early",
    "late",
    "mid",
    "noon",
    "midnight",
    "contrast",
    "comparison",
    "far",
    "all",
}


def staff_byline(line: str) -> str | None:
    if len(line) > 60:
        return None
    match = STAFF_BYLINE.match(line)
    return match.group("value") if match else None


def sign_off(line: str) -> str | None:
    """The agency of a trailing sign-off ("REUTER" -> "Reuters"), "" for others, None if not one."""
    if len(line) > 12:
        return None
    if SIGN_OFF.match(line.strip()) is None:
        return None
    return _AGENCY_SIGN_OFF.get(line.strip().upper(), "")


def copyright_holder(line: str) -> str | None:
    if len(line) > MAX_FURNITURE:
        return None
    match = COPYRIGHT_HOLDER.match(line)
    if match is None:
        return None
    holder = match.group("holder").strip()
    if holder.lower().startswith("all rights"):
        return None
    return holder


def is_section_line(line: str) -> bool:
    return len(line) <= 60 and (SECTION_LINE.match(line) is not None)


def is_breadcrumb(line: str) -> bool:
    return len(line) <= 120 and BREADCRUMB.match(line) is not None and not line.endswith("/")


# Every furniture pattern above starts with one of these words (or with a non-letter);
# checking the first word lets ordinary prose lines skip all the patterns.
_FURNITURE_WORDS = """
click tap press here to start listen listening play audio pause stop share tweet print copy
link save bookmark gift comments comment view show hide read see no leave post add write
cancel submit your required name email e-mail website advertisement advertising sponsored ad
promoted scroll subscribe sign register get receive newsletter log login follow join skip
back menu search home close loading next previous image photo picture video getty afp file
copyright all reading check also more related you recommended most trending top don't dont
what about latest editor's editors watch must explainer analysis opinion source sources via
courtesy with additional reporting writing compiled editing edited written research words
story report reported by end reuter reuters ap upi ians pti ani xinhua facebook twitter x
whatsapp telegram linkedin reddit messenger pinterest instagram youtube tiktok threads
bluesky in posted filed category section
"""
FURNITURE_START = frozenset(_FURNITURE_WORDS.split())
_FIRST_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def may_be_furniture(line: str) -> bool:
    """False for lines that no furniture or credit pattern can match (a fast pre-check)."""
    match = _FIRST_WORD.match(line)
    if match is None:
        return True  # starts with a symbol, digit, bracket or bullet
    return match.group().lower().replace("’", "'") in FURNITURE_START
