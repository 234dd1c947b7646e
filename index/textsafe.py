"""Make untrusted article text inert for terminals without changing its length."""

from __future__ import annotations

import re

# C0 controls (minus tab and newline), DEL and C1 controls: these start terminal
# escape sequences (CSI, OSC, DCS...). Each becomes one visible Control Pictures
# character so offsets into the body stay valid for highlighting.
# Bidirectional controls (embeddings, overrides, isolates and marks) are invisible
# but reorder what the terminal shows ("U+202E" reverses the rest of the line): a
# headline could show one thing and hold another. They count as controls too.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def visible(text: str) -> str:
    """Replace control characters with visible placeholders, one for one."""
    return _CONTROL.sub(_picture, text)


def one_line(text: str, limit: int = 200) -> str:
    """An inert single-line version of `text`, cut at `limit` characters."""
    flat = " ".join(visible(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def short_path(path: str, limit: int = 160) -> str:
    """`path` cut in the middle to `limit` characters: its start and its file name stay."""
    if len(path) <= limit:
        return path
    tail = (limit - 1) * 2 // 3
    return path[: limit - 1 - tail] + "…" + path[len(path) - tail :]


# json.dumps(ensure_ascii=False) leaves C1 controls (U+0080-U+009F, e.g. the
# one-byte CSI U+009B), bidi controls and the JS line separators raw; escape them too so JSON
# output is exact but can never drive a terminal.
_JSON_RAW = re.compile(f"[\\x7f-\\x9f\\u2028\\u2029{_BIDI}]")


def json_line(obj: object) -> str:
    """One line of JSON with the text kept exactly but every control char escaped."""
    import json

    text = json.dumps(obj, ensure_ascii=False)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
