"""Terminal-safety helpers: inert display text and exact-but-escaped JSON."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from index.textsafe import json_line, one_line, visible

HOSTILE = "a\x1b]2;pwned\x07b\x1b[2Jc\x1b]52;c;ZXZpbA==\x07d\u009b31me\x7ff"


def test_visible_removes_every_control_and_keeps_length() -> None:
    shown = visible(HOSTILE)
    assert len(shown) == len(HOSTILE)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in shown)
    assert "␛]2;pwned" in shown  # visible placeholder, the rest kept literally


def test_visible_keeps_newlines_and_tabs() -> None:
    assert visible("a\nb\tc") == "a\nb\tc"


def test_one_line_is_short_and_flat() -> None:
    out = one_line("x\n" * 500, 50)
    assert "\n" not in out and len(out) <= 50


def test_json_line_is_exact_and_escaped() -> None:
    line = json_line({"body": HOSTILE, "u": "\u2028é"})
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in line)
    assert "\u2028" not in line and "é" in line
    assert json.loads(line) == {"body": HOSTILE, "u": "\u2028é"}


@given(st.text())
def test_visible_and_json_line_on_any_text(text: str) -> None:
    assert len(visible(text)) == len(text)
    assert json.loads(json_line(text)) == text


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_bidi_controls_are_made_visible_one_for_one() -> None:
    text = "Price: \u202e001$\u202c and \u2067x\u2069\u200f."
    shown = visible(text)
    assert len(shown) == len(text)
    assert not any(ch in BIDI for ch in shown)
    assert not any(ch in BIDI for ch in visible(BIDI)) and len(visible(BIDI)) == len(BIDI)
    assert not any(ch in BIDI for ch in one_line(text))


def test_bidi_controls_are_escaped_in_json() -> None:
    line = json_line({"title": "a\u202eb"})
    assert "\u202e" not in line and json.loads(line) == {"title": "a\u202eb"}
