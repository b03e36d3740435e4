"""HTML -> Work: AO3 downloads (preface tags, chapters, notes) and generic story pages."""

from __future__ import annotations

from ..errors import InputError
from ..work import Work, WorkBuilder
from .markup import parse_html
from .structured import head_title, is_ao3, read_ao3, read_generic


def read_html(text: str, name: str) -> Work:
    """Build a Work from decoded HTML text."""
    root = parse_html(text, name)
    if is_ao3([root]):
        builder = WorkBuilder("ao3-html")
        read_ao3([root], builder)
    else:
        builder = WorkBuilder("html")
        builder.title = head_title(root)
        read_generic(root, builder, chapter_per_document=False)
    return finish(builder, name)


def finish(builder: WorkBuilder, name: str) -> Work:
    """Build the Work, refusing one without any story paragraph."""
    work = builder.build()
    if not work.paragraphs:
        raise InputError(f"{name}: no story text found; check that it is a story and not an empty or script-only page")
    return work
