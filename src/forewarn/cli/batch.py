"""``forewarn batch INPUT OUTPUT``: archive-scale runs over JSONL or Parquet, resumable by id."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..batch.archive import ENGINES, run_batch
from ..batch.scanner import ScanOptions
from ._app import THOROUGH_HELP, app
from ._errors import usage_errors

EXIT_INTERRUPTED = 130


@app.command("batch")
def batch_command(
    input_path: Path = typer.Argument(..., metavar="INPUT", help="Works as .jsonl or .parquet with id and text."),
    output: Path = typer.Argument(..., metavar="OUTPUT", help="Folder of Parquet parts, one row per work."),
    engine: str = typer.Option("local", "--engine", help=f"Where to run: {' or '.join(ENGINES)}."),
    jobs: Optional[int] = typer.Option(
        None, "--jobs", "-j", min=0, help="Worker processes (default: one per CPU core; 0: scan in this process)."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", metavar="ADDRESS", help="With --engine dask: a running scheduler, e.g. tcp://host:8786."),
    thorough: bool = typer.Option(False, "--thorough", help=THOROUGH_HELP),
    detector: Optional[list[str]] = typer.Option(None, "--detector", help="Use only these detectors (repeatable)."),
) -> None:
    """Scan every work of INPUT not yet in OUTPUT; stop any time and run again to resume."""
    console = Console(highlight=False, soft_wrap=True)
    options = ScanOptions(thorough=thorough, detector_names=tuple(detector or ()))
    with usage_errors():
        summary = run_batch(
            input_path, output, engine=engine, jobs=(os.cpu_count() or 1) if jobs is None else jobs, options=options, scheduler=scheduler
        )
    rate = summary.scanned / summary.seconds if summary.seconds else 0.0
    console.print(
        f"{'Stopped after' if summary.interrupted else 'Scanned'} {summary.scanned} works "
        f"({summary.failed} failed, {summary.words:,} words) in {summary.seconds:.1f} s, {rate:.2f} works/s; "
        f"{summary.skipped} of {summary.total} already in {output}, {summary.parts} new parts written."
    )
    if summary.interrupted:
        console.print("Interrupted: the parts written so far are kept; run the same command again to resume.")
        raise typer.Exit(EXIT_INTERRUPTED)
