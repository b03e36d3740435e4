"""``forewarn scan FILE...``: the reader's and author's command."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console, Group
from rich.text import Text

from ..category_names import canonical_categories, complete_categories
from ..documents.report import Report
from ..errors import UsageError
from ..pipeline import scan
from ..render.outputs import choose_output, emit, render_reports
from ..render.progress import ScanBar, progress_wanted
from ..render.safe import printable
from ..render.terminal import print_clean, print_report
from ..stages.profile import reader_profile
from ..taxonomy import data_file
from ._app import THOROUGH_HELP, app
from ._errors import EXIT_BAD_INPUT, EXIT_FOUND, EXIT_OK, attempt, usage_errors

EXAMPLE = "examples/lighthouse.txt"
EXAMPLE_LABEL = "lighthouse.txt (forewarn's example)"
SUMMARY_CATEGORIES = 3


def _fail_on(value: Optional[str]) -> list[str]:
    return canonical_categories(value, "--fail-on") if value else []


def _inputs(files: Optional[list[str]], example: bool) -> list[str]:
    """The files to scan: those given, plus the bundled sample story with --example."""
    chosen = list(files or [])
    if example:
        chosen.append(str(data_file(EXAMPLE)))
    if not chosen:
        raise UsageError("give one or more story files to scan ('-' reads stdin), or try --example")
    return chosen


def _label(file: str) -> str:
    """How an input is named on screen."""
    if file == "-":
        return "stdin"
    return EXAMPLE_LABEL if file == str(data_file(EXAMPLE)) else printable(file, one_line=True)


def _summary_line(report: Report | None) -> Text:
    """One file in the closing summary: its verdict, or what was found, or why it failed."""
    if report is None:
        return Text("could not be read (the error is above)", style="red")
    if report.verdict:
        return Text(report.verdict.summary)
    if not report.findings:
        return Text("nothing detected")
    worst = sorted(report.findings, key=lambda f: ("mentioned", "depicted", "graphic").index(f.severity),
                   reverse=True)
    shown = ", ".join(f"{f.name.lower()} ({f.severity})" for f in worst[:SUMMARY_CATEGORIES])
    more = len(worst) - SUMMARY_CATEGORIES
    return Text(shown + (f" and {more} more" if more > 0 else ""))


def _print_summary(console: Console, results: list[tuple[str, Report | None]]) -> None:
    """The closing summary of a several-file run, one line per file (wrapped only when it must be)."""
    console.rule()
    lines = [Text(f"Summary of {len(results)} files", style="bold")]
    lines += [Text.assemble((label, "bold"), ": ", _summary_line(report)) for label, report in results]
    print_clean(console, Group(*lines))


@app.command("scan")
def scan_command(
    files: Optional[list[str]] = typer.Argument(
        None, metavar="FILE", help="Story files to scan (txt, md, html, epub, docx); '-' reads stdin.",
        show_default=False),
    example: bool = typer.Option(False, "--example", help="Scan the short sample story that ships with forewarn."),
    as_json: bool = typer.Option(
        False, "--json", help="Print the report as JSON (an array for several files); same as --to json."),
    to: Optional[str] = typer.Option(
        None, "--to", metavar="KIND",
        help="Output: text (the terminal summary, default), json, html (a standalone warning card) or ao3 (tags to paste)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the output to FILE."),
    spoilers: bool = typer.Option(False, "--spoilers", help="Add a short evidence quote per place."),
    explain: bool = typer.Option(False, "--explain", help="Show which detector produced each finding and why."),
    details: bool = typer.Option(False, "--details", help="One line per place: chapter, scene, paragraphs, %."),
    avoid: Optional[str] = typer.Option(
        None, "--avoid", metavar="CATS", autocompletion=complete_categories,
        help="What you want to avoid, comma-separated, each with an optional minimum severity: "
             "self-harm, suicide:depicted. Adds a verdict. AO3 tag names work too (noncon, major character death)."),
    profile: Optional[Path] = typer.Option(
        None, "--profile", metavar="FILE", help="Reader profile TOML (default: profile.toml in your config dir)."),
    use_profile: bool = typer.Option(True, "--use-profile/--no-profile", help="Read the default profile file."),
    fail_on: Optional[str] = typer.Option(
        None, "--fail-on", metavar="CATS", autocompletion=complete_categories,
        help="Exit with code 1 when one of these categories is found."),
    thorough: bool = typer.Option(
        False, "--thorough", help=THOROUGH_HELP),
    detector: Optional[list[str]] = typer.Option(
        None, "--detector", metavar="NAME", help="Use only this detector: learned, thorough or cues (repeatable)."),
    format: Optional[str] = typer.Option(
        None, "--format", metavar="FORMAT", help="Read the input as this format instead of detecting it "
                                                 "(text, markdown, html, epub, docx)."),
    max_size: Optional[float] = typer.Option(
        None, "--max-size", metavar="MB", help="Refuse inputs larger than this many megabytes (default 50)."),
    show_progress: Optional[bool] = typer.Option(
        None, "--progress/--no-progress", show_default=False,
        help="Draw a progress bar on stderr (default: when stderr is a terminal, after a second)."),
) -> None:
    """Scan stories and report their hard content: category, severity and where, without spoilers."""
    with usage_errors():
        inputs = _inputs(files, example)
        chosen_profile = reader_profile(avoid, profile, use_default_file=use_profile)
        fail_categories = _fail_on(fail_on)
        kind = choose_output(to, as_json)
    as_json = kind != "text"  # --json and every --to but text replace the terminal summary
    max_bytes = int(max_size * 1024 * 1024) if max_size else None
    console = Console(highlight=False, file=io.StringIO(), no_color=True, width=100) if output else Console(highlight=False)
    errors = Console(stderr=True, highlight=False)
    wanted = progress_wanted(show_progress, stderr=errors, json_to_pipe=as_json and output is None and not sys.stdout.isatty())
    several = len(inputs) > 1
    results: list[tuple[str, Report | None]] = []
    with ScanBar(errors, len(inputs), enabled=wanted) as bar:
        for file in inputs:
            label = _label(file)
            short = file == "-" or label == EXAMPLE_LABEL
            bar.next_file(label if short else printable(Path(file).name, one_line=True))
            report = attempt(
                lambda file=file: scan(file if file == "-" else Path(file), profile=chosen_profile, spoilers=spoilers,
                                       explain=explain, thorough=thorough, detectors=detector, format=format,
                                       max_bytes=max_bytes, progress=bar.update),
                "stdin" if file == "-" else file,
            )
            results.append((label, report))
            if report is not None and not as_json:
                if several and len(results) > 1:
                    console.rule()
                print_report(report, console, spoilers=spoilers, explain=explain, details=details,
                             limits=not several, label=label)
    reports = [report for _, report in results if report is not None]
    if as_json and reports:
        with usage_errors():
            emit(render_reports(reports, kind, several=several), output)
    elif several and reports:
        _print_summary(console, results)
        print_clean(console, Text("\n" + reports[0].limits, style="dim"))
    if output is not None and not as_json and reports:
        with usage_errors():
            emit("".join(line.rstrip() + "\n" for line in console.file.getvalue().splitlines()), output)
    if len(reports) < len(results):
        raise typer.Exit(EXIT_BAD_INPUT)
    found = {f.category for r in reports for f in r.findings}
    raise typer.Exit(EXIT_FOUND if found & set(fail_categories) else EXIT_OK)
