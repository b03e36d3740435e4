"""A renderable that wraps only between items, so "ch 3 (23%)" is never split across lines."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.text import Text


# "chapter 3", "ch 3", "chapters 2, 3", "Act I, Scene 2" stay on one line with their numbers.
_NUMBERED = re.compile(r"\b(?:(?:[Cc]h(?:apters?)?|[Ss]cene|[Pp]art|[Aa]ct) \d|Act [IVXLC]+\b|[IVXLC]+, Scene$)")


class Flow:
    """Items laid out left to right and wrapped only between them (an item longer than the width folds).

    Rich breaks lines at any whitespace, a no-break space included; a Flow keeps each item whole.
    """

    def __init__(self, items: Sequence[Text], separator: str = " · ") -> None:
        self.items = list(items)
        self.separator = separator

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widths = [item.cell_len for item in self.items] or [0]
        total = sum(widths) + len(self.separator) * (len(widths) - 1)
        return Measurement(min(max(widths), options.max_width), min(total, options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        width = options.max_width
        line = Text()
        for item in self.items:
            if line.plain and line.cell_len + len(self.separator) + item.cell_len > width:
                yield line
                line = Text()
            elif line.plain:
                line.append(self.separator)
            line.append_text(item)
        yield line


def prose(text: str, style: str = "", lead: Text | None = None) -> Flow:
    """Running text that wraps between words but never between "chapter"/"ch" and its number."""
    words = text.split(" ")
    items: list[Text] = [lead] if lead is not None else []
    for word in words:
        if items and _NUMBERED.search(f"{items[-1].plain.split(' ')[-1]} {word}"):
            items[-1].append(" " + word, style=style)
        else:
            items.append(Text(word, style=style))
    return Flow(items, separator=" ")
