"""Text from a story made safe to print: no terminal control sequences reach the screen.

A story (or its file name) can carry escape sequences that retitle the window, clear the screen,
write the clipboard (OSC 52) or hide text, and bidi overrides that reorder what the reader sees.
Every renderer passes story-derived text through :func:`printable` before printing it.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (ESC is C0 0x1b; CSI/OSC have C1 forms too),
# and the Unicode bidi embedding, override and isolate controls plus the directional marks.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    r"""``text`` with every control character shown as a visible escape (``\x1b``, ``\u202e``).

    Newlines and tabs are kept unless ``one_line`` (titles, file names, tags), where they are escaped
    too, so one field can never pose as several lines of forewarn's own output.
    """
    return (_UNSAFE_ONE_LINE if one_line else _UNSAFE).sub(_escaped, text)


_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_printable(text: str) -> str:
    r"""JSON text (from ``json.dumps``) with C1 controls and bidi controls written as ``\uXXXX`` escapes.

    ``json.dumps`` already escapes C0 controls (ESC included); the result parses to the same values.
    """
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
