"""A plain-text book's title and author: Gutenberg's header lines, else the book's title page."""

from __future__ import annotations

import re

from .config import compiled, readers_config

_SMALL_WORDS = frozenset("a an and as at but by for in nor of on or the to with from".split())


def gutenberg_meta(header: str, start_line: str) -> dict[str, str]:
    """Title and author from the header above the START marker (``Title:``, ``Author:``), or
    the title the START marker names ("*** START OF THE PROJECT GUTENBERG EBOOK DRACULA ***")."""
    meta: dict[str, str] = {}
    title = compiled("gutenberg", "title", re.M).search(header)
    if title:
        meta["title"] = tidy(compiled("gutenberg", "title_drop").sub("", title.group(1)))
    author = compiled("gutenberg", "author", re.M).search(header)
    if author:
        meta["author"] = tidy(author.group(1))
    named = compiled("gutenberg", "start_title").match(start_line)
    if "title" not in meta and named and not named.group("title").strip().isdigit():
        meta["title"] = tidy(named.group("title"))
    return meta


def title_page(text: str, start: int, end: int) -> dict[str, str]:
    """Title and author from a title page in ``text[start:end]``: the line(s) just above a
    "by AUTHOR" line are the title ("Frankenstein;" / "or, the Modern Prometheus" gives
    "Frankenstein"; "PRIDE." / "and" / "PREJUDICE" gives "Pride and Prejudice"); the author is
    on the "by" line or the next one. The "by" line stands alone or in a short block."""
    settings = readers_config().text.title_page
    region = text[start : min(end, start + settings.max_chars)]
    lines = [line.strip() for line in region.split("\n")]
    by_line = compiled("text.title_page", "by_line")
    skip = compiled("text.title_page", "skip", re.I)
    for index, line in enumerate(lines):
        match = by_line.match(line)
        if not match or not _short_block(lines, index, settings.max_block_lines):
            continue
        author = match.group("author") or _next_nonblank(lines, index + 1)
        title = _title_above(lines, index, skip, settings.max_title_lines, settings.max_gap_lines)
        if title and author:
            return {"title": title, "author": tidy(author)}
    return {}


def _short_block(lines: list[str], index: int, most: int) -> bool:
    """Whether ``lines[index]`` is in a run of at most ``most`` non-blank lines."""
    first = index
    while first > 0 and lines[first - 1]:
        first -= 1
    last = index
    while last + 1 < len(lines) and lines[last + 1]:
        last += 1
    return last - first + 1 <= most


def _next_nonblank(lines: list[str], index: int) -> str | None:
    for line in lines[index : index + 3]:
        if line:
            return line
    return None


def _title_above(lines: list[str], index: int, skip: re.Pattern[str], max_lines: int, max_gap: int) -> str | None:
    """The title from up to ``max_lines`` lines above ``lines[index]``: the first of them, joined
    with the next by a lone "and" ("PRIDE." / "and" / "PREJUDICE"); an "or, ..." subtitle is left out."""
    found: list[str] = []
    gap = 0
    for line in reversed(lines[:index]):
        if not line or skip.match(line):
            gap += 1
            if gap > max_gap:
                break
            continue
        found.append(line)
        gap = 0
        if len(found) == max_lines:
            break
    if not found:
        return None
    parts = [tidy(line) for line in reversed(found)]
    title = parts[0]
    position = 1
    while position + 1 < len(parts) and parts[position].casefold() in ("and", "&"):
        title = f"{title} and {parts[position + 1]}"
        position += 2
    return title


def tidy(name: str) -> str:
    """A title or name as a reader writes it: no emphasis marks or trailing punctuation,
    words of an ALL-CAPS line in title case ("MOBY-DICK;" -> "Moby-Dick")."""
    name = " ".join(name.replace("_", " ").split()).strip(" ;,:.")
    if not any(c.islower() for c in name) and any(c.isupper() for c in name):
        words = name.lower().split(" ")
        name = " ".join(
            word if i and word in _SMALL_WORDS else "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
            for i, word in enumerate(words)
        )
    return name
