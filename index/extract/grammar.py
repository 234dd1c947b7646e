"""Word classes and patterns of English attribution that the statement rules read."""

from __future__ import annotations

import heapq
import re


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


TOKEN = re.compile(r"\w[\w'’.\-]*\w|\w|[^\w\s]")
QUOTE_CHARS = frozenset('"“”„«»')
BOUNDARY = frozenset(",;:()[]—–―") | QUOTE_CHARS
# Words between a subject and its cue that belong to neither ("Assad also said").
SKIP = wordset(
    """also has have had would will later then previously repeatedly again recently
    publicly privately reportedly once further first simply quickly just only even still
    never often had 'd 's has already since initially subsequently separately is are was
    were been increasingly"""
)
# Lower-case words ending in -ly that are nouns or adjectives, not adverbs before a cue.
LY_NOUNS = wordset(
    """family rally ally assembly supply anomaly monopoly bully daily weekly monthly
    quarterly elderly friendly early only likely unlikely"""
)
WEEKDAYS = wordset("""monday tuesday wednesday thursday friday saturday sunday yesterday today""")
# "Priebus this past week announced": a time phrase between subject and cue.
TIME_NOUNS = wordset("week weekend month year night morning evening afternoon time")
TIME_MODIFIERS = wordset("last this past next that same one")
# Capitalised sentence openers that are not names.
NOT_NAMES = wordset(
    """just having absent how wow why what when where while if yet still now so also even
    only after before during since here there then thus indeed instead asked given
    despite although though because unlike like among amid without within once whether
    yes well oh ah please perhaps maybe surely certainly clearly"""
)
# Words that start a new clause: a subject never reaches back past them.
CLAUSE = wordset(
    """that which who whom whose when while because but if as after before where so
    although though since until unless whether than said says"""
)
# Words before a cue that make it a noun or a passive ("the said", "was told").
NOT_ACTIVE = wordset(
    """is was were are be been being the a an his her their its this our my your as"""
)
BE = frozenset(("is", "are", "was", "were", "been", "be"))
# First words of a comma-separated segment that is an adverbial, not a subject.
INTRO = wordset(
    """on in at during after before since for with as by under from while when speaking
    asked however meanwhile still yet also instead earlier later separately but and so
    then although though despite according who which whose where"""
)
NAME_PARTICLES = wordset("of al bin de van von le la du der")
# Words before a participle that make it an adverbial clause of the main subject.
ADVERBIAL_LEADS = wordset("despite after before while by without when since")
PREPOSITIONS = wordset("with without amid among despite unlike")
SUBJECT_PRONOUNS = wordset("he she they it we i")
DETERMINERS = wordset("the a an this that these those")
DEFINITE = wordset("the this that these those")
LEADERS = frozenset(["and", "but", "so", "yet", "or", "then"])
# After the cue: phrases to step over before the content.
AFTER_CUE = re.compile(
    r"(?:\s*,?\s+(?:in\s+an?\s+(?:[\w-]+\s+){0,2}(?:statement|interview|letter|post|email|"
    r"e-mail|tweet|speech|address|video|message|op-ed|column|briefing|release)"
    r"(?:\s+(?:on|to|with|from)\s+[\w.'’-]+(?:\s+[A-Z][\w.'’-]*){0,3})?|on\s+[A-Z]\w+day|"
    r"(?:last|on|this|early|late)\s+(?:week|month|year|night|[A-Z]\w+day)|"
    r"(?:yesterday|today|tonight|earlier|later|recently|previously|publicly|privately|"
    r"repeatedly|again|also|bluntly|flatly|simply|frankly)))*"
)
# The words an `AFTER_CUE` step begins with (after white space and a comma).
AFTER_CUE_WORDS = (
    "in",
    "on",
    "last",
    "this",
    "early",
    "late",
    "yesterday",
    "today",
    "tonight",
    "earlier",
    "later",
    "recently",
    "previously",
    "publicly",
    "privately",
    "repeatedly",
    "again",
    "also",
    "bluntly",
    "flatly",
    "simply",
    "frankly",
)
OBJECT = re.compile(
    r"\s+(?:reporters|journalists|supporters|the\s+crowd|an?\s+audience|(?:the|a|an|his|her|"
    r"their|its)\s+(?:[\w-]+\s+){0,4}?[\w-]+?(?=\s+(?:that|to)\b|\s*[,.;:]|\s*$)|"
    r"(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*)*"
    r"(?:\s+(?:website|newspaper|programme|program|show|channel|radio|agency|magazine))?"
    r"(?=\s+(?:it|he|she|they|we|there|the|a|an|his|her|their|its)\s)|"
    r"him|her|them|us|me|"
    r"[A-Z][\w.'’&-]*(?:\s+(?:[A-Z0-9][\w.'’&-]*|of|for|de))*)(?=[\s,.:;\"“]|$)"
)
THAT = re.compile(r"\s*,?\s*that\b")
# "stated in a release on Saturday evening that": a short adverbial before "that".
THAT_NEAR = re.compile(
    r"\s+(?:in|on|at|during|after|before|from|to|about|of|late|early|last|this|earlier|"
    r"later|morning|afternoon|evening|night)\b[^,.;:\"“”]{0,60}?\bthat\b"
)
# What may follow a postposed cue (and its addressee) to the end of the sentence: a run
# of the segments below, then the sentence end. As one regex (a starred group whose
# segments end in `[^,.;:"“”]*`) every split of "in a speech at the headquarters of the
# army in ..." was tried: 48 s for a 440-character sentence. `PostTail` decides the same
# language over positions instead, each position once.
_PUNCT_RE = re.compile(r'[,.;:"“”]')
# a segment that runs on to the next punctuation mark
_PHRASE_HEAD = re.compile(
    r",?\s*(?:(?:in|on|at|during|after|before|from|via|while|with|outside|inside|near|"
    r"last|this|earlier|later|late|early|when|as|of|about|over|through|shortly|just|"
    r"to(?=\s+(?:[A-Z]|the\b|an?\b|his\b|her\b|their\b|reporters\b|journalists\b)))\b"
    r"|[A-Z][a-z]+day\b)"
)
_WHEN_WORD = re.compile(r",?\s*(?:yesterday|today|tonight)\b")
# an apposition or participle clause that runs on to the end of the line
_CLAUSE_HEAD = re.compile(
    r",\s*(?:a|an|the|who|which|another|his|her|its|their|one|known|also|formerly|now|"
    r"referring|adding|saying|noting|explaining|arguing|according|citing|speaking|"
    r"[a-z]+ing)\b"
)
_ASIDE = re.compile(r"\s*\([^()\n]{0,40}\)")
_ASIDE_WITH_PUNCT = re.compile(r"\((?=[^()\n]{0,40}\))[^()\n,.;:\"“”]*[,.;:\"“”]")
# `\s*[.!?]?\s*["”')]*\s*$` with no two `\s*` side by side (cubic on a run of spaces)
_SENTENCE_END = re.compile(r"\s*(?:[.!?]\s*)?(?:[\"”')]+\s*)?$")


class PostTail:
    """`match(text, pos, endpos)`: truthy when `text[pos:endpos]` is a postposed-cue tail.

    Linear in the tail: a phrase running to the next punctuation mark is only
    followed from that mark (stopping inside it reaches nothing more, except at
    a parenthesis holding punctuation), and each position is visited once.
    """

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> bool:
        end = len(text) if endpos is None else min(endpos, len(text))
        seen: set[int] = set()
        todo = [pos]
        run = (end, end)  # the last run scanned for punctuation: [start, stop)
        while todo:
            p = heapq.heappop(todo)  # in order, so a run of spaces is entered once
            if p in seen or p > end:
                continue
            seen.add(p)
            if (
                p > pos
                and p < end
                and p - 1 in seen
                and text[p].isspace()
                and text[p - 1].isspace()
            ):
                continue  # the leading `\s*` from the position before covers this one
            if _SENTENCE_END.match(text, p, end):
                return True
            head = _PHRASE_HEAD.match(text, p, end)
            if head:
                start = head.end()
                if not run[0] <= start <= run[1]:
                    found = _PUNCT_RE.search(text, start, end)
                    run = (start, found.start() if found else end)
                stop = run[1]
                heapq.heappush(todo, stop)
                paren = text.rfind("(", start, stop)
                if paren >= 0 and _ASIDE_WITH_PUNCT.match(text, paren, end):
                    heapq.heappush(todo, paren)
            when = _WHEN_WORD.match(text, p, end)
            if when:
                heapq.heappush(todo, when.end())
            clause = _CLAUSE_HEAD.match(text, p, end)
            if clause:
                newline = text.find("\n", clause.end(), end)
                if newline < 0:
                    return True  # it runs to the end, where the sentence end matches
                for q in range(clause.end(), newline + 1):
                    if q not in seen:
                        heapq.heappush(todo, q)
            aside = _ASIDE.match(text, p, end)
            if aside:
                heapq.heappush(todo, aside.end())
        return False


POST_TAIL = PostTail()

# Tails POST_TAIL does not know, rewritten before it reads them: a full stop followed by
# a word is an abbreviation's (`on Oct. 23`, `in Trout Brook, N.B.`: the sentence
# splitter already ended the sentence elsewhere), a manner adverb (`said earnestly`)
# and `by phone` are no content. Each pattern is linear (one character or word wide).
_ABBREV_DOT = re.compile(r"\.(?=\s?\w)")
_TAIL_WORDS = re.compile(
    r"\b(?:[a-z]{2,}ly|by\s+(?:phone|telephone|e-?mail|text|video|satellite|letter|fax))\b"
)


def post_tail(body: str, start: int, end: int) -> bool:
    """Whether body[start:end] is only what may follow a postposed cue (POST_TAIL),
    after abbreviations, manner adverbs and `by phone` are set aside."""
    if POST_TAIL.match(body, start, end):
        return True
    # (the rewrite changes nothing, and so gives False, without an abbreviation's full
    # stop, an `-ly` word or a `by`: then no `sub` pass over the tail)
    if (
        _ABBREV_DOT.search(body, start, end) is None
        and body.find("ly", start, end) < 0
        and body.find("by", start, end) < 0
    ):
        return False
    text = body[start:end]
    cleaned = _TAIL_WORDS.sub(" ", _ABBREV_DOT.sub(" ", text))
    return cleaned != text and bool(POST_TAIL.match(cleaned))


# Forms that are more often nouns ("state media", "reports of"): cues only with "that".
NOUNISH = wordset(
    """state states report reports claim claims call calls note notes post posts estimate
    estimates answer answers question questions warning warnings tweet tweets vow vows
    pledge pledges demand demands charge charges counter reply replies hint hints joke
    jokes signal signals promise promises forecast forecasts comment comments concern
    concerns continue quote quotes cite cites find finds show shows learn point points
    statement statements warning add"""
)
# Lower-case -ed words that modify a subject noun instead of being its verb.
ED_ADJECTIVES = wordset(
    """armed united based led backed related elected named appointed retired unnamed
    concerned detained exiled wounded injured displaced alleged designated proposed
    affiliated aligned allied registered veiled unidentified identified"""
)
AUX = wordset(
    """had has have was were is are will would could can did does do been be may might must
    should not n't"""
)
TO = re.compile(r"\s+to\s+\w")
# After a quote, what shows the quote was the whole content ("..., he added", a new quote).
CLAUSE_AFTER_QUOTE = re.compile(
    r"\s*[,;:]?\s*(?:[\"“„«]|''|``|[a-z]+ing\b|and\s+(?:then\s+)?[a-z]+ed\b|according\b|"
    r"as\b|citing\b)|\s*[,;:]\s*(?:he\b|she\b|they\b|it\b|the\b|[A-Z])|\s+(?:he|she|they|it)\s"
)
SPLIT_QUOTE = re.compile(r"\s*[,:]\s*(?=[\"“„«]|''|``)")
OPEN_QUOTE = re.compile(r"\s*[,:]?\s*(?=[\"“„«]|''|``)")
# Tails that end a reported clause: another attribution starts there.
TAIL = re.compile(
    r",?[\"”]?,?\s+(?:as\s+reported\s+by|according\s+to|as\s+quoted\s+by|citing|quoting)\b"
)
# A `TAIL` match holds one of these words: a text with none needs no regex scan.
TAIL_WORDS = ("reported", "according", "quoted", "citing", "quoting")


SCAN = re.compile(r"[A-Za-z]+")
# Verbs that take the cue as a to-infinitive ("declined to say", "went on to say").
CATENATIVE = re.compile(
    r"\b(?:(?:is|are|was|were|has|have|had)\s+)?(?:went\s+on|declined|refused|continued|"
    r"began|begun|started|tried|wanted|wants|want|hopes|hoped|plans|planned|expected|"
    r"seemed|seems|appeared|appears|appear|seem|had\s+yet|has\s+yet|have\s+yet|"
    r"is\s+set|was\s+set|moved|rushed|was\s+quick|were\s+quick|went\s+so\s+far\s+as|"
    r"is\s+likely|was\s+able|failed|promised|vowed|pledged|agreed|ready)\s+to\s+$"
)
# A paragraph opening with a short capitalised name and a colon ("Graham: Trump's ...").
COLON_HEAD = re.compile(
    r"^[ \t]*[\"“]?(?P<name>[A-Z][A-Za-z.'’-]*(?: (?:[A-Z][A-Za-z.'’-]*|of|the|de|al)){0,3}):[ \t]+"
    r"(?P<content>\S[^\n]*)",
    re.MULTILINE,
)
# Paragraph labels that look like "Name:" but introduce no statement.
COLON_LABELS = wordset(
    """source sources note update updates editor editors correction corrections related
    read watch click comments comment photo photos image images video videos tags topics
    filed by advertisement disclaimer warning caption credit credits see also listen
    share follow subscribe contact email the latest news guide full text q a transcript
    date time location when where who what why how live breaking exclusive analysis
    opinion commentary review summary background timeline factbox explainer"""
)
# A second verb of the same subject: ", called ...", " and asserting ...", ", and said".
# Written as `(?:,?\s+(?:before|after|while)\s+(?=[a-z]+ing\b)|,\s+(?:and\s+)?|\s+and\s+|
# [—–]\s*and\s+)` then the verb, with the first character of every branch taken out in
# front (each branch then checks it by a look-behind) so that `re` skips to a candidate.
COORDINATED = re.compile(
    r"[,\s—–](?:(?<=,)\s+(?:before|after|while)\s+(?=[a-z]+ing\b)"
    r"|(?<=\s)\s*(?:before|after|while)\s+(?=[a-z]+ing\b)"
    r"|(?<=,)\s+(?:and\s+)?|(?<=\s)\s*and\s+|(?<=[—–])\s*and\s+)"
    r"(?:then\s+|also\s+|[a-z]+ly\s+)?([a-z]+)\b"
)
# What every `COORDINATED` match holds (`Collector.clause_end` tests these before a scan).
COORDINATED_WORDS = (",", "and", "before", "after", "while")
# `COORDINATED` in a text without `and`, `before`, `after` and `while`: only its branches
# after a comma can match there, and the literal comma in front lets `re` skip to one.
COMMA_COORDINATED = re.compile(
    r",(?:\s+(?:before|after|while)\s+(?=[a-z]+ing\b)|\s+(?:and\s+)?)"
    r"(?:then\s+|also\s+|[a-z]+ly\s+)?([a-z]+)\b"
)
PARTICIPLE = re.compile(r",[\"”']*\s+([a-z]+ing)\b")


def is_mark(tok: str) -> bool:
    return tok in QUOTE_CHARS or tok == "'"


def skip_space(body: str, pos: int) -> int:
    while pos < len(body) and body[pos].isspace():
        pos += 1
    return pos


def body_startswith_that(body: str, pos: int) -> bool:
    return body.startswith(" that ", pos)


# A dash and a short name closing the paragraph right after a quote: its signature.
BYLINE = re.compile(
    r"[ \t]*(?P<dash>[―—–]|--?)[ \t]*(?P<name>[A-Z][\w.'’-]*(?:[ \t]+(?:[A-Z][\w.'’-]*|de|al|"
    r"van|von|bin)){0,4})[ \t]*(?:\(@\w+\)[ \t]*)?[.,]?[ \t]*(?=\n|$)"
)
# A dash right before a quote, after a name: `Mitt Romney -- "..."`.
DASH_LEAD = re.compile(r"\s+(?:--|[―—])\s*$")
# A conjunction opening a subject span: "and Mark Dayton says".
LEADER = re.compile(r"(?i:and|but|so|yet|or|then)\s+")
# The first letters of the `LEADER` words in either case (a non-ASCII letter is left to
# the regex: under IGNORECASE `s` also matches the long s).
LEADER_FIRST = "aAbBsSyYoOtT"
# After a quote opening its sentence: an -ed verb and a name (inverted), or a name and an
# -ed verb closing the sentence.
SIGNED_AFTER = re.compile(
    r"\s*,?\s*(?:(?P<verb>[a-z]{3,}ed)\s+(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\b"
    r"|(?P<name2>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s+(?P<verb2>[a-z]{3,}ed)\s*[.!?]?\s*$)"
)
# -ed words after a quote that do not say it ("..." appeared Monday, "..." followed X).
NOT_SAYING = wordset("""appeared followed seemed happened started ended included featured
    topped reached closed opened showed""")
# Documents and measurements that "show" or "find" something, as sources do.
EVIDENCE_NOUNS = wordset("""poll polls survey surveys record records report reports data study
    studies analysis analyses results figures filings documents numbers statistics
    review audit investigation research estimates memo video footage""")
# An indirect question after a verb of asking: "asked (them) whether ...".
WH_CLAUSE = re.compile(r"\s*,?\s*(?:if|whether|why|how|what|when|where|who|whom)\b")

# Before a cue: it makes no statement. Negated or refused (`won't say`, `declined to
# comment`), hypothetical (`would say`), infinitival after an adjective or noun (`fair to
# say`, `is to say`) or generic (`you say`).
UNSAID = re.compile(
    r"(?:\b(?:not|never|nor|cannot)|n't|\b(?:declined|refused|refuses|declines|declining|"
    r"refusing|unable|reluctant|would|wouldn't|could|might|should)(?:\s+to)?|"
    r"\b(?:fair|safe|hard|difficult|easy|true|is|was|needless|suffice\s+it|so)\s+to|"
    r"\byou)"
    r"(?:\s+(?:\w+ly|yet|ever|even|so\s+much\s+as|to))?\s+$"
)
# `who they say they are`: a relative gap before "say", no content of its own.
SAY_GAP = re.compile(r"\b(?:who|what|whom|whatever)\s+(?:they|he|she|we|you|people)\s+$")
