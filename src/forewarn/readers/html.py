"""HTML -> Work: AO3 downloads (preface tags, chapters, notes) and generic story pages."""

from __future__ import annotations

from ..documents.work import Work, WorkBuilder
from ..errors import InputError
from .limits import TextBudget
from .markup import parse_html
from .structured import head_title, is_ao3, read_ao3, read_generic


def read_html(text: str, name: str, max_chars: int) -> Work:
    """Build a Work from decoded HTML text whose story text is at most ``max_chars`` characters."""
    budget = TextBudget(name, max_chars)
    root = parse_html(text, name, budget)
    if is_ao3([root]):
        builder = WorkBuilder("ao3-html")
        read_ao3([root], builder, budget)
    else:
        builder = WorkBuilder("html")
        builder.title = head_title(root)
        read_generic(root, builder, chapter_per_document=False, budget=budget)
    return finish(builder, name)


def finish(builder: WorkBuilder, name: str) -> Work:
    """Build the Work, refusing one without any story paragraph."""
    work = builder.build()
    if not work.paragraphs:
        raise InputError(f"{name}: no story text found; check that it is a story and not an empty or script-only page")
    return work
