"""What ``forewarn scan --to KIND [-o FILE]`` writes: JSON, a standalone HTML card or AO3 tags."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..documents.report import Report
from ..errors import InputError, UsageError
from .ao3_tags import ao3_tags_text
from .html_card import html_cards
from .safe import json_printable, printable

OUTPUT_KINDS = ("text", "json", "html", "ao3")


def choose_output(to: str | None, as_json: bool) -> str:
    """The output kind from ``--to`` and the older ``--json`` (which means ``--to json``)."""
    kind = (to or ("json" if as_json else "text")).strip().lower()
    if kind not in OUTPUT_KINDS:
        raise UsageError(f"--to: '{to}' is not one of {', '.join(OUTPUT_KINDS)}")
    if as_json and kind != "json":
        raise UsageError(f"--json and --to {kind} ask for two outputs; keep one")
    return kind


def render_reports(reports: list[Report], kind: str, *, several: bool) -> str:
    """The reports as ``kind`` (json, html or ao3); JSON is an array when several files were asked for."""
    if kind == "json":
        payload = [r.to_dict() for r in reports] if several else reports[0].to_dict()
        return json_printable(json.dumps(payload, indent=2, ensure_ascii=False)) + "\n"
    if kind == "html":
        return html_cards(reports)
    if kind == "ao3":
        if not several:
            return printable(ao3_tags_text(reports[0]))
        return printable("\n".join(f"== {r.source.path or r.work.title or 'story'}\n{ao3_tags_text(r)}"
                                   for r in reports))
    raise UsageError(f"--to: '{kind}' is not one of {', '.join(OUTPUT_KINDS)}")


def emit(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` (UTF-8), or to standard output when there is none."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write {output}: {error.strerror or error}") from None
