"""Highlight candidates: the plain scan of ASCII text finds what the case-blind regex finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from index.search.highlight import _candidates, _starts

# Word and non-word characters, ASCII and not (a Kelvin sign, a long s and a dotted
# capital I fold to ASCII letters under IGNORECASE; a curly apostrophe splits words).
TEXT = st.text(alphabet="abcKksSiI_09 .'\u2019-\u212a\u017f\u0130\u00e9", max_size=60)
ALT = st.text(alphabet="abcksi_09.'\u017f\u00e9", min_size=1, max_size=4)


def reference(text: str, roots: tuple[str, ...], prefixes: tuple[str, ...]) -> list[int]:
    pattern = _candidates(roots, prefixes)
    return [] if pattern is None else [m.start() for m in pattern.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(TEXT, st.lists(ALT, max_size=3), st.lists(ALT, max_size=2))
def test_starts_are_the_regex_matches(text: str, roots: list[str], prefixes: list[str]) -> None:
    r, p = tuple(sorted(roots)), tuple(sorted(prefixes))
    assert _starts(text, r, p) == reference(text, r, p)


def test_plain_scan_of_ascii_text() -> None:
    text = "Said_x said, SAID. Unsaid u.s said's 9said sai"
    assert _starts(text, ("sai",), ()) == reference(text, ("sai",), ())
    assert _starts(text, ("sai",), ()) == [0, 7, 13, 30, 43]  # not "Unsaid", "9said"
