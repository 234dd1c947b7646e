"""Read an article file's bytes and decode them: BOMs, UTF-8, cp1252/Latin-1, binary sniffing."""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path

# Bigger files are cut: a scraped article is a few KB, a 20 MB "article" is an accident
# (a dump, a log) and indexing all of it would only slow every search down.
MAX_BYTES = 2 * 1024 * 1024
# Files holding many articles (JSON Lines, feeds) may be larger; each record is still capped.
MAX_CONTAINER_BYTES = 256 * 1024 * 1024
SNIFF_BYTES = 8192

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of formats people drop into folders by mistake; named in the message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3", "SQLite database"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
)


_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


class DecodeError(ValueError):
    """The file is not text (binary) or could not be read as text."""


@dataclass(frozen=True)
class Decoded:
    """A file's text with newlines normalised, and notes about what was done to it."""

    text: str
    encoding: str
    truncated_from: int | None = None  # original size in bytes when cut to MAX_BYTES


def _binary_reason(head: bytes) -> str | None:
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return f"binary file ({name}), not text"
    if b"\x00" in head:
        return "binary file (contains NUL bytes), not text"
    if head:
        # Text has few control bytes besides tab/newline/CR/form feed/escape.
        controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
        if controls / len(head) > 0.05:
            return "binary file (control bytes), not text"
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 without a BOM shows NULs in every other byte for ASCII text."""
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    guess = None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        guess, text_bytes = "utf-16-le", even
    elif even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        guess, text_bytes = "utf-16-be", odd
    if guess is None:
        return None
    # The NUL-free half carries the ASCII text: most of it must be printable or spaces.
    printable = sum(1 for b in text_bytes if 32 <= b < 127 or b in (9, 10, 13))
    return guess if printable >= 0.7 * len(text_bytes) else None


def _trim_partial_utf8(data: bytes) -> bytes:
    """Drop an incomplete multi-byte sequence left at the end by a cut."""
    for back in range(1, 4):
        if len(data) < back:
            break
        byte = data[-back]
        if byte & 0xC0 != 0x80:  # a lead byte or ASCII
            need = (
                1 if byte < 0x80 else 2 if byte >> 5 == 0b110 else 3 if byte >> 4 == 0b1110 else 4
            )
            return data if need <= back else data[:-back]
    return data


def normalise_newlines(text: str) -> str:
    """\r\n and lone \r become \n (old Mac and Windows files)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def decode_bytes(data: bytes, truncated_from: int | None = None) -> Decoded:
    """Decode `data` (BOM, then UTF-8, then cp1252, then Latin-1); reject binary data."""
    encoding: str | None = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, data = name, data[len(bom) :]
            break
    if encoding is None:
        encoding = _utf16_without_bom(data[:SNIFF_BYTES])
        if encoding is None:
            reason = _binary_reason(data[:SNIFF_BYTES])
            if reason:
                raise DecodeError(reason)
    if encoding and encoding.startswith(("utf-16", "utf-32")):
        unit = 4 if encoding.startswith("utf-32") else 2
        data = data[: len(data) - len(data) % unit]
        text = data.decode(encoding, errors="replace")
    else:
        if truncated_from is not None:
            data = _trim_partial_utf8(data)
        try:
            text = data.decode("utf-8")
            encoding = encoding or "utf-8"
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
                encoding = "cp1252"
            except UnicodeDecodeError:
                # cp1252 leaves five bytes undefined; Latin-1 maps every byte.
                text = data.decode("latin-1")
                encoding = "latin-1"
    if "\x00" in text:
        raise DecodeError("binary file (contains NUL characters), not text")
    head = text[:SNIFF_BYTES]
    if head and len(_CONTROL.findall(head)) > 0.05 * len(head):
        raise DecodeError("binary file (control characters), not text")
    return Decoded(normalise_newlines(text), encoding, truncated_from)


def read_text(path: Path, limit: int = MAX_BYTES) -> Decoded:
    """Read at most `limit` bytes of `path` as text; raises OSError or DecodeError."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        data = handle.read(limit + 1)
    truncated = None
    if len(data) > limit:
        data = data[:limit]
        truncated = max(size, limit + 1)
    return decode_bytes(data, truncated)
