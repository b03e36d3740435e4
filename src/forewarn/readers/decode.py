"""Bytes -> text: BOMs, UTF-8/UTF-16, legacy 8-bit encodings, binary refusal, line ends."""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import NamedTuple

from charset_normalizer import from_bytes

from ..errors import InputError
from .config import limit

SUPPORTED = "forewarn reads .txt .md .html .epub .docx"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than tab, LF, VT, FF, CR, plus C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


class Decoded(NamedTuple):
    """Decoded text (BOM removed, LF line ends), the encoding used, and reader warnings."""

    text: str
    encoding: str
    warnings: list[str]


def normalize_newlines(text: str) -> str:
    """Drop a leading BOM and turn CRLF and lone CR into LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def binary_error(name: str) -> InputError:
    """The error for input that is not text."""
    return InputError(f"{name} looks like a binary file, not a story; {SUPPORTED}")


def _utf16_without_bom(sample: bytes) -> str | None:
    """Guess UTF-16 without a BOM from NUL bytes falling on every other position."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _windows(text: str) -> list[str]:
    """The start of ``text`` and evenly spread windows across the rest (the whole of a short text)."""
    head = int(limit("binary_sample_bytes"))
    size, count = int(limit("binary_window_chars")), int(limit("binary_windows"))
    if len(text) <= head + size * count:
        return [text]
    step = (len(text) - head) // count
    return [text[:head]] + [text[head + i * step : head + i * step + size] for i in range(count)]


def _junk(window: str) -> int:
    """Characters no story has: unassigned, private-use and surrogate code points, and U+FFFD."""
    return sum(1 for char in window if char == "\ufffd" or unicodedata.category(char) in ("Cn", "Co", "Cs"))


def _check_text(text: str, name: str) -> None:
    """Refuse text with too many control characters or junk code points anywhere: the start and
    windows spread across the whole text are checked, so garbage after a good start is caught."""
    for window in _windows(text):
        if not window:
            continue
        if len(_CONTROL.findall(window)) > limit("max_control_ratio") * len(window):
            raise binary_error(name)
        if _junk(window) > limit("max_junk_ratio") * len(window):
            raise binary_error(name)


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """(text, number of bad sequences) when ``data`` is overwhelmingly valid UTF-8 with a few stray
    bytes: the valid multi-byte characters far outnumber the invalid sequences (else None)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    leads = len(data) - len(data.translate(None, bytes(range(0xC2, 0xF5))))
    valid = leads - bad
    if valid > 0 and valid >= limit("utf8_min_valid_share") * (valid + bad):
        return text, bad
    return None


def decode(data: bytes, name: str = "the input") -> Decoded:
    """Decode story bytes into normalized text.

    Order: a BOM (UTF-8/16/32), UTF-16 without BOM, UTF-8 strict, UTF-8 with replacement (with a
    warning) when the bytes are overwhelmingly valid UTF-8, then charset-normalizer for mostly
    non-ASCII bytes, cp1252, latin-1. Raises InputError for binary data (judged on the start and on
    samples from across the whole text).
    """
    warnings: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                text = body.decode(encoding)
            except UnicodeDecodeError:
                text = body.decode(encoding, errors="replace")
                warnings.append(f"some bytes are not valid {encoding}; they show as �")
            _check_text(text, name)
            return Decoded(normalize_newlines(text), encoding, warnings)
    sample = data[: int(limit("binary_sample_bytes"))]
    if b"\x00" in sample:
        encoding = _utf16_without_bom(sample)
        if encoding is None:
            raise binary_error(name)
        text = data.decode(encoding, errors="replace")
        _check_text(text, name)
        return Decoded(normalize_newlines(text), encoding, [f"decoded as {encoding} without a byte-order mark; check odd characters"])
    if data.count(b"\x00") > limit("max_control_ratio") * len(data):
        raise binary_error(name)
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        repaired = _mostly_utf8(data)
        if repaired is not None:
            text, encoding = repaired[0], "utf-8"
            warnings.append(f"{repaired[1]:,} byte sequence(s) are not valid UTF-8; they show as \ufffd")
        else:
            text, encoding = _decode_legacy(data, warnings)
    _check_text(text, name)
    return Decoded(normalize_newlines(text), encoding, warnings)


def _decode_legacy(data: bytes, warnings: list[str]) -> tuple[str, str]:
    high = sum(1 for byte in data[: 65536] if byte >= 0x80)
    if high > limit("charset_guess_ratio") * min(len(data), 65536):
        best = from_bytes(data[:65536]).best()
        if best is not None and best.encoding not in ("utf_8", "ascii"):
            encoding = best.encoding
            warnings.append(f"decoded as {encoding} (not UTF-8); check odd characters")
            return data.decode(encoding, errors="replace"), encoding
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    warnings.append(f"decoded as {encoding} (not UTF-8); check odd characters")
    return text, encoding
