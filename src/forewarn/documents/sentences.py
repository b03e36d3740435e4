"""What a sentence is: the one rule that ``segment`` splits passages by and the detectors fall back on."""

from __future__ import annotations

import re
from collections.abc import Iterator

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) and whitespace.
_SENTENCE_END = re.compile(r"""(?<=[.!?])["'”’)\]]*\s+""")


def sentence_spans(text: str, offset: int = 0) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each sentence of ``text``, shifted by ``offset``."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + len(match.group(0).rstrip())
        if end > start:
            yield offset + start, offset + end
        start = match.end()
    if start < len(text) and text[start:].strip():
        yield offset + start, offset + len(text.rstrip())
