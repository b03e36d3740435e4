"""``forewarn score-passages``: score JSONL passages with the learned detector."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..errors import ForewarnError
from ._app import app
from ._errors import usage_errors


@app.command("score-passages")
def score_passages_command(
    source: str = typer.Argument(..., metavar="IN.jsonl", help='Lines {"id": ..., "text": ...}; "-" reads stdin.'),
    output: str = typer.Option("-", "--output", "-o", metavar="OUT.jsonl", help='Where to write; "-" is stdout.'),
) -> None:
    """Score each passage for every category: writes {"id", "scores", "labels"} lines.

    Labels are the categories at or above their passage threshold (a passage judged on its own).
    """
    from ..detectors.scoring import score_jsonl

    with usage_errors():
        if source != "-" and not Path(source).is_file():
            raise ForewarnError(f"cannot read {source}: no such file; give a JSONL file or '-' for stdin")
        reader = sys.stdin if source == "-" else open(source, encoding="utf-8")
        try:
            with reader:
                if output == "-":
                    score_jsonl(reader, sys.stdout)
                else:
                    with open(output, "w", encoding="utf-8") as sink:
                        score_jsonl(reader, sink)
        except UnicodeDecodeError:
            raise ForewarnError(f"{source} is not UTF-8 text; save it as UTF-8 JSONL") from None
