"""``forewarn scan FILE...``: the reader's and author's command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..errors import UsageError
from ..pipeline import scan
from ..profile import reader_profile
from ..render.terminal import print_report
from ..report import Report
from ..taxonomy import parse_category_list
from ._app import app
from ._errors import EXIT_BAD_INPUT, EXIT_FOUND, EXIT_OK, attempt, usage_errors


def _fail_on(value: Optional[str]) -> list[str]:
    if not value:
        return []
    try:
        return parse_category_list(value)
    except ValueError as error:
        raise UsageError(f"--fail-on: {error}") from None


@app.command("scan")
def scan_command(
    files: list[str] = typer.Argument(..., help="Story files to scan (txt, md, html, epub, docx); '-' reads stdin."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON (an array for several files)."),
    spoilers: bool = typer.Option(False, "--spoilers", help="Add a short evidence quote per location."),
    explain: bool = typer.Option(False, "--explain", help="Show which detector produced each finding and why."),
    details: bool = typer.Option(False, "--details", help="One line per place: chapter, scene, paragraphs, %."),
    avoid: Optional[str] = typer.Option(
        None, "--avoid", metavar="CATEGORY[:SEVERITY],...",
        help="Categories you want to avoid (e.g. self-harm,suicide:depicted); adds a verdict."),
    profile: Optional[Path] = typer.Option(
        None, "--profile", help="Reader profile TOML (default: profile.toml in your config dir, if present)."),
    use_profile: bool = typer.Option(True, "--use-profile/--no-profile", help="Read the default profile file."),
    fail_on: Optional[str] = typer.Option(
        None, "--fail-on", metavar="CATEGORY,...", help="Exit with code 1 when one of these categories is found."),
    thorough: bool = typer.Option(False, "--thorough", help="Let the encoder read every passage even in works over 100,000 words (slower)."),
    detector: Optional[list[str]] = typer.Option(
        None, "--detector", help="Use only these detectors (by name; repeatable)."),
    format: Optional[str] = typer.Option(None, "--format", help="Force the input format instead of detecting it."),
    max_size: Optional[float] = typer.Option(
        None, "--max-size", metavar="MB", help="Refuse inputs larger than this many megabytes (default 50)."),
) -> None:
    """Scan stories and report their hard content: category, severity and where, without spoilers."""
    with usage_errors():
        chosen_profile = reader_profile(avoid, profile, use_default_file=use_profile)
        fail_categories = _fail_on(fail_on)
    max_bytes = int(max_size * 1024 * 1024) if max_size else None
    console = Console(highlight=False)
    reports: list[Report] = []
    failed = False
    for index, file in enumerate(files):
        report = attempt(
            lambda file=file: scan(file if file == "-" else Path(file), profile=chosen_profile, spoilers=spoilers, explain=explain,
                                   thorough=thorough, detectors=detector, format=format, max_bytes=max_bytes),
            "stdin" if file == "-" else file,
        )
        if report is None:
            failed = True
            continue
        reports.append(report)
        if not as_json:
            if index:
                console.rule()
            print_report(report, console, spoilers=spoilers, explain=explain, details=details)
    if as_json and reports:
        payload = reports[0].to_dict() if len(files) == 1 else [r.to_dict() for r in reports]
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)
    found = {f.category for r in reports for f in r.findings}
    raise typer.Exit(EXIT_FOUND if found & set(fail_categories) else EXIT_OK)
