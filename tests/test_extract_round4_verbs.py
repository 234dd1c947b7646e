"""The fourth round's shortcuts in the verb rules and subjects give what the plain code gave."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from index.extract import grammar
from index.extract.content import Collector, has_word
from index.extract.conventions import (
    DOCUMENT_NOUNS,
    directive,
    document_author,
    earlier_author,
)
from index.extract.coref import PRONOUNS, Resolver, Speaker, nominal_kind, tag
from index.extract.cue_scan import CueScan
from index.extract.gender import pronoun_gender
from index.extract.grammar import (
    AUX,
    CLAUSE,
    COMMA_COORDINATED,
    COORDINATED,
    COORDINATED_WORDS,
    DEFINITE,
    DETERMINERS,
    ED_ADJECTIVES,
    LEADERS,
    LY_NOUNS,
    NOUNISH,
    SKIP,
    SUBJECT_PRONOUNS,
    TIME_MODIFIERS,
    TIME_NOUNS,
    WEEKDAYS,
    post_tail,
)
from index.extract.pass_state import PassText
from index.extract.quotes import word_count
from index.extract.subjects import _STOPS, SubjectRules
from index.extract.verb_rules import Subject, VerbRules
from tests.test_extract_round3 import _pass as round3_pass

WORDS = [
    "and",
    "And",
    "but",
    "that",
    "who",
    "said",
    "says",
    "also",
    "repeatedly",
    "family",
    "last",
    "week",
    "on",
    "Monday",
    "yesterday",
    "(",
    ")",
    "R-Wis.",
    ",",
    '"',
    "“",
    "'",
    ";",
    "he",
    "He",
    "they",
    "I",
    "Smith",
    "Theresa",
    "May",
    "the",
    "The",
    "a",
    "minister",
    "former",
    "report",
    "Report",
    "study",
    "by",
    "from",
    "Labour",
    "peer",
    "had",
    "armed",
    "claimed",
    "seized",
    "warned",
    "is",
    "x",
    "-",
    "U.S.",
    "Mr",
    "spokesman",
    "\n",
]
TEXT = st.lists(st.sampled_from(WORDS), min_size=1, max_size=28).map(" ".join)


def _pass(body: str) -> tuple[PassText, Collector, SubjectRules]:
    """The round-3 tests' pass over `body`, with its collector."""
    text, rules, _ = round3_pass(body)
    return text, rules.out, rules


def _plain_subject_span(
    rules: SubjectRules, s_start: int, cue_start: int
) -> tuple[int, int, int, str]:
    """`_subject_span` before its set shortcuts (every branch tested for every token)."""
    toks = rules.tokens(max(s_start, cue_start - 120), cue_start)
    i = len(toks) - 1
    while i >= 0:
        low = toks[i][2].lower()
        if low in TIME_NOUNS and i > 0 and toks[i - 1][2].lower() in TIME_MODIFIERS:
            i -= 2
        elif (
            low in SKIP
            or low in WEEKDAYS
            or (low == "on" and i + 1 < len(toks) and toks[i + 1][2].lower() in WEEKDAYS)
        ) or (
            low.endswith("ly")
            and len(low) > 4
            and toks[i][2].islower()
            and low not in LY_NOUNS
            and i > 0
        ):
            i -= 1
        elif low == ")" and i > 0:
            k = i - 1
            while k >= 0 and i - k <= 8 and toks[k][2] not in "()":
                k -= 1
            if k <= 0 or toks[k][2] != "(":
                break
            i = k - 1
        else:
            break
    end = toks[i][1] if i >= 0 else cue_start
    if (
        i > 0
        and toks[i][2].lower() in SUBJECT_PRONOUNS
        and toks[i - 1][2][0].isalnum()
        and toks[i - 1][2].lower() not in CLAUSE
        and toks[i - 1][2].lower() not in LEADERS
    ):
        return toks[i][0], end, toks[i - 1][0], "pronoun"
    for j in range(i, -1, -1):
        tok = toks[j][2]
        if tok in _STOPS:
            return (toks[j + 1][0] if j + 1 < len(toks) else end), end, toks[j][0], tok
        low = tok.lower()
        if low in CLAUSE:
            return (toks[j + 1][0] if j + 1 < len(toks) else end), end, toks[j][0], low
        if (
            low == "and"
            and j > 0
            and toks[j - 1][2].islower()
            and nominal_kind(toks[j - 1][2]) is None
            and not rules._one_description(toks, j, i)
        ):
            return (toks[j + 1][0] if j + 1 < len(toks) else end), end, toks[j][0], "and"
        if i - j >= 14:
            return toks[j][0], end, toks[j][0], "long"
    return (toks[0][0] if toks else end), end, s_start, ""


def _plain_plausible(rules: SubjectRules, start: int, end: int) -> bool:
    words = [t[2] for t in rules.tokens(start, end) if t[2][0].isalnum()]
    if not words or len(words) > 12 or words[0].lower() in LEADERS:
        return False
    for w in words[1:]:
        low = w.lower()
        if w[0].isupper() and low != "i":
            continue
        if (
            low in PRONOUNS
            or low in AUX
            or (w.islower() and low.endswith("ed") and low not in ED_ADJECTIVES and "-" not in low)
        ):
            return False
        if w.islower() and low in rules.table.forms and low not in NOUNISH:
            return False
    return True


@settings(max_examples=150, deadline=None, derandomize=True)
@given(TEXT)
def test_subject_spans_and_plausibility_read_as_the_plain_walk(body: str) -> None:
    _text, _out, rules = _pass(body)
    toks = rules.tokens(0, len(body))
    for _s, e, _t in toks:
        assert rules._subject_span(0, e) == _plain_subject_span(rules, 0, e)
    for a in range(len(toks)):
        for b in range(a, min(len(toks), a + 8)):
            start, end = toks[a][0], toks[b][1]
            assert rules.plausible_subject(start, end) == _plain_plausible(rules, start, end)


def _plain_document_author(
    rules: SubjectRules, words: list[tuple[int, int, str]], end: int, near_end: bool
) -> Speaker | None:
    """`document_author` before its inline tests."""
    k = 0
    while (
        k < len(words)
        and k < 3
        and words[k][2].lower() not in DOCUMENT_NOUNS
        and (words[k][2].islower() or words[k][2].lower() in DETERMINERS)
    ):
        k += 1
    if k >= len(words) or not words[k][2].islower() or words[k][2].lower() not in DOCUMENT_NOUNS:
        return None
    if k + 2 < len(words) and words[k + 1][2] in ("by", "from"):
        found = rules.speaker_for(words[k + 2][0], end, near_end)
        if found is None or (
            found.rule in ("surface", "pronoun")
            and not (found.name[:1].isupper() or found.name.split()[0] in DEFINITE)
        ):
            return None
        return tag(found, "document.author")
    if len(words) != 2 or k != 1 or words[0][2].lower() not in DEFINITE:
        return None
    cue = grammar.SCAN.match(rules.body, max(rules.out.cue_pos, 0))
    if cue is None:
        return None
    if not directive(cue.group()):
        return None
    return earlier_author(rules, words[1][2].lower(), words[0][0])


@settings(max_examples=150, deadline=None, derandomize=True)
@given(TEXT)
def test_document_authors_read_as_the_plain_loop(body: str) -> None:
    _text, _out, rules = _pass(body)
    words = [t for t in rules.tokens(0, len(body)) if t[2][0].isalnum()]
    for a in range(len(words)):
        span = words[a : a + 5]
        got = document_author(rules, span, span[-1][1], True)
        assert got == _plain_document_author(rules, span, span[-1][1], True)
        first = span[0][2]
        if not (first.islower() or first.lower() in DETERMINERS):
            assert got is None  # (what lets `speaker_for` skip the call)


def _plain_resolve_pronoun(resolver: Resolver, word: str, pos: int) -> Speaker | None:
    """`Resolver.resolve_pronoun` reading every statement once per sentence."""
    w = word.lower()
    if w in ("he", "she"):
        want = frozenset(("person",))
    elif w == "it":
        want = frozenset(("organization", "country"))
    elif w == "they":
        want = frozenset(("organization", "country", "unknown"))
    else:
        return None
    gender = pronoun_gender(w)
    si = resolver.sentence_index(pos)
    floor = pos - 1500
    for k in range(si, max(-1, si - 6), -1):
        s_start, s_end = resolver.sentences[k]
        if s_end < floor:
            break
        limit = min(s_end, pos)
        for cue_pos, speaker in reversed(resolver.said):
            if (
                s_start <= cue_pos < limit
                and resolver._compatible(speaker.kind, want)
                and resolver.agrees(speaker.name, gender)
            ):
                return speaker
        lead = _LEAD_PRONOUN.match(resolver.body, s_start, s_end) if k < si else None
        if lead is not None and lead.group(1).lower() == w:
            continue
        for s, _e, actor in resolver.mentions_in(s_start, limit):
            if s >= limit or resolver.in_quote(s):
                continue
            if actor.kind in want and resolver.agrees(actor.name, gender):
                return Speaker(actor.name, actor.kind)
    return None


_LEAD_PRONOUN = re.compile(  # (coref's)
    r"\s*(?:(?:So|But|And|Yet|Now|Then|Still),?\s+)?(He|She|They|It)\b", re.I
)
PRONOUN_BODY = (
    "Theresa May spoke in London. The Home Office said it would act. He said so. "
    "Barack Obama told reporters they were wrong. She agreed. It was late. They left. "
    "Mr Smith said he would stay. The BBC said it had no comment. He went home.\n"
)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(PRONOUN_BODY)),
            st.sampled_from(
                [("Theresa May", "person"), ("Home Office", "organization"), ("X", None)]
            ),
        ),
        max_size=12,
    ),
    st.sampled_from(["he", "she", "it", "they", "we", "He"]),
    st.integers(0, len(PRONOUN_BODY)),
)
def test_pronouns_resolve_as_the_plain_walk(
    said: list[tuple[int, tuple[str, str | None]]], word: str, pos: int
) -> None:
    text, _out, _rules = _pass(PRONOUN_BODY)
    resolver = text.resolver
    for cue_pos, (name, kind) in said:
        resolver.remember(cue_pos, Speaker(name, kind))
    assert resolver.resolve_pronoun(word, pos) == _plain_resolve_pronoun(resolver, word, pos)


def _plain_post_tail(body: str, start: int, end: int) -> bool:
    if grammar.POST_TAIL.match(body, start, end):
        return True
    text = body[start:end]
    cleaned = grammar._TAIL_WORDS.sub(" ", grammar._ABBREV_DOT.sub(" ", text))
    return cleaned != text and bool(grammar.POST_TAIL.match(cleaned))


TAIL_WORDS = [
    "on",
    "Oct.",
    "23",
    "earnestly",
    "by",
    "phone",
    "in",
    "London",
    ",",
    ".",
    "the",
    "family",
    "said",
    "that",
    "N.B.",
    "rally",
    "we",
    "X",
]
TAIL = st.lists(st.sampled_from(TAIL_WORDS), max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(TAIL, st.integers(0, 10))
def test_post_tails_read_as_the_plain_rewrite(text: str, at: int) -> None:
    at = min(at, len(text))
    assert post_tail(text, at, len(text)) == _plain_post_tail(text, at, len(text))


CLAUSE_WORDS = [
    "and",
    "said",
    "called",
    ",",
    "before",
    "after",
    "while",
    "saying",
    "then",
    "also",
    "quickly",
    "he",
    "the",
    "plan",
    "warned",
    "Smith",
    "-",
    "—",
]
CLAUSE_TEXT = st.lists(st.sampled_from(CLAUSE_WORDS), max_size=20).map(" ".join)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(CLAUSE_TEXT | st.text(alphabet="ab ,-'_.\n", max_size=30), st.integers(0, 20))
def test_word_tests_and_coordination_shortcuts_meet_every_match(text: str, at: int) -> None:
    at = min(at, len(text))
    assert has_word(text, at, len(text)) == (word_count(text[at:]) >= 1)
    if COORDINATED.search(text, at):
        assert any(word in text[at:] for word in COORDINATED_WORDS)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(CLAUSE_TEXT | st.text(alphabet="ab ,-'_.\n", max_size=30), st.integers(0, 20))
def test_comma_scans_find_every_coordinated_match_where_no_word_opens_one(
    text: str, at: int
) -> None:
    at = min(at, len(text))
    if not any(word in text for word in ("and", "before", "after", "while")):
        plain = [(m.span(), m.group(1)) for m in COORDINATED.finditer(text, at)]
        assert [(m.span(), m.group(1)) for m in COMMA_COORDINATED.finditer(text, at)] == plain


def test_clause_ends_read_as_the_plain_scan() -> None:
    body = (
        "The minister said the plan would work, and warned that it was late. He said the "
        "figures were wrong before adding more. Smith claimed the vote was fair while "
        "saying nothing else, then called for calm. It is over - and done. The vote was fair, "
        "the crowd was quiet, he said, urged calm, then called it a win.\n"
    )
    text, out, _rules = _pass(body)
    for ss, se in text.sentences:
        for start in range(ss, se):
            # the plain scan: `finditer` on every clause (the shortcut skips no match)
            assert out.clause_end(start, se) == _clause_end_unguarded(out, start, se)


def _clause_end_unguarded(out: Collector, start: int, s_end: int) -> int:
    body = out.body
    end = s_end
    m = grammar.TAIL.search(body, start, s_end)
    if m:
        end = m.start()
        if body[end : end + 1] == "," and body[end + 1 : end + 2] in grammar.QUOTE_CHARS:
            end += 2
    for cm in grammar.PARTICIPLE.finditer(body, start, end):
        if cm.group(1) in out.table.forms or grammar.OPEN_QUOTE.match(body, cm.end(), end):
            end = cm.start()
            break
    for cm in COORDINATED.finditer(body, start, end):
        verb = cm.group(1)
        if (
            (
                verb in out.table.forms
                and verb.endswith(("ed", "ing", "said", "told", "wrote", "s"))
                and verb not in NOUNISH
            )
            or (verb in out.table.broad and verb.endswith(("ed", "ing", "s")))
        ) and cm.start() - start >= 12:
            end = cm.start()
            break
    i = 0
    while i < len(out.quotes) and out.quotes[i].start < start:
        i += 1
    while i < len(out.quotes) and out.quotes[i].start < end:
        end = max(end, out.quotes[i].end) if out.quotes[i].closed else end
        i += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] in ".,;:"):
        end -= 1
    return end


VERB_BODY = (
    'Theresa May said on Monday that the plan was sound, adding that it would work. "It '
    'will," she said, "work." The minister warned of risks, saying costs would rise. '
    "Barack Obama told reporters he agreed, and called it fair. Smith, noting the vote, "
    "argued it was over, then said no more. The report shows costs rising. A new poll shows "
    'Sanders leading the race. "The plan is sound," Ann Lee notes.\n'
)


def _plain_verb(rules: VerbRules, word: str, cs: int, ce: int, ss: int, se: int) -> None:
    """`VerbRules.verb` reading the subject span of every cue."""
    cue = rules._cue(word, cs, ce, ss, se)
    if cue is None:
        return
    sub = Subject(*rules.subjects.subject_or_antecedent(ss, cue.cs))
    cue = rules._reread(cue, sub)
    done, sub = rules._postposed(cue, sub)
    if not done:
        rules._preposed(cue, sub)


def test_participle_and_chained_cues_need_no_subject_span() -> None:
    made = []
    for plain in (False, True):
        text, out, subjects = _pass(VERB_BODY)
        rules = VerbRules(text, out, subjects)
        for cs, ce, word in CueScan(text, out, subjects).cue_positions():
            ss, se = text.sentences[text.resolver.sentence_index(cs)]
            if not ss <= cs < se or text.resolver.in_quote(cs):
                continue
            out.cue_pos = cs
            if plain:
                _plain_verb(rules, word, cs, ce, ss, se)
            else:
                rules.verb(word, cs, ce, ss, se)
        made.append([(c.start, c.end, c.cue, c.speaker, c.rule) for c in out.candidates])
    assert made[0] == made[1]
    assert len(made[0]) >= 5
    assert any(c[4] == "verb.preposed-clause" for c in made[0])
