"""The short, coloured terminal summary of a Report (severity in words, never colour alone)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..report import Finding, Location, Report
from ..taxonomy import groups

SEVERITY_STYLE = {"mentioned": "yellow", "depicted": "dark_orange", "graphic": "bold red"}
VERDICT_STYLE = {"not-safe": "bold red", "safe-until": "bold yellow", "nothing-detected": "bold green"}
MAX_LOCATIONS = 6


def _where(location: Location, chapters: int) -> str:
    paragraphs = (f"¶{location.paragraph_start + 1}" if location.paragraph_start == location.paragraph_end
                  else f"¶{location.paragraph_start + 1}–{location.paragraph_end + 1}")
    chapter = f"ch {location.chapter}, " if chapters > 1 else ""
    return f"{chapter}{paragraphs}, {location.position:.0%}"


def _locations(finding: Finding, chapters: int, spoilers: bool, explain: bool) -> Text:
    text = Text()
    shown = finding.locations[:MAX_LOCATIONS]
    for i, location in enumerate(shown):
        if i:
            text.append("\n" if spoilers or explain else " · ")
        text.append(_where(location, chapters))
        if location.severity != finding.severity:
            text.append(f" ({location.severity})", style="dim")
        if explain:
            text.append(f"  [{', '.join(location.detectors)}]", style="cyan")
            if location.explanation:
                text.append(f" {location.explanation}", style="dim cyan")
        if spoilers and location.quote:
            text.append(f"\n   “{location.quote}”", style="italic dim")
    hidden = len(finding.locations) - len(shown)
    if hidden:
        text.append(f"{chr(10) if spoilers or explain else ' · '}and {hidden} more place{'s' if hidden > 1 else ''}",
                    style="dim")
    return text


def _declared(report: Report) -> Text | None:
    declared = report.declared
    parts = []
    if declared.rating:
        parts.append(f"rated {declared.rating}")
    if declared.chose_not_to_warn:
        parts.append("author chose not to use archive warnings")
    elif declared.warnings:
        parts.append("warnings: " + ", ".join(declared.warnings))
    if not parts:
        return None
    return Text.assemble(("Declared by the author: ", "bold"), "; ".join(parts))


def render_report(report: Report, *, spoilers: bool = False, explain: bool = False) -> Group:
    """A renderable summary of one report."""
    work = report.work
    title = work.title or (report.source.path or "text")
    head = Text.assemble(
        (title, "bold"),
        (f" by {', '.join(work.authors)}" if work.authors else "", ""),
        (f" · {work.words:,} words · {len(work.chapters)} chapter{'s' if len(work.chapters) != 1 else ''}"
         f" · {report.source.format}", "dim"),
    )
    parts: list = [head]
    declared = _declared(report)
    if declared:
        parts.append(declared)
    for notice in report.notices:
        parts.append(Text(f"Note: {notice}", style="yellow"))
    if report.findings:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column()
        for group in groups():
            found = [f for f in report.findings if f.group == group.id]
            if not found:
                continue
            table.add_row(Text(group.name, style="bold underline"), "", "")
            for finding in found:
                table.add_row(
                    Text("  " + finding.name),
                    Text(finding.severity, style=SEVERITY_STYLE[finding.severity]),
                    _locations(finding, len(work.chapters), spoilers, explain),
                )
        parts.append(Padding(table, (1, 0, 0, 0)))
    else:
        parts.append(Text("\nNothing detected.", style="bold"))
    suggested = report.suggested
    parts.append(Text.assemble(
        ("\nSuggested: ", "bold"), f"AO3 {suggested.ao3_rating} · FFN {suggested.ffn_rating} · ",
        "archive warnings: ", ", ".join(suggested.ao3_warnings),
    ))
    for note in report.under_warning:
        parts.append(Text.assemble(("Under-warned: ", "bold magenta"), note.note))
    if report.verdict:
        parts.append(Text.assemble(
            ("\nVerdict: ", "bold"), (report.verdict.summary, VERDICT_STYLE[report.verdict.status]),
        ))
    if report.support:
        parts.append(Text("\n" + report.support.text, style="cyan"))
    parts.append(Text("\n" + report.limits, style="dim"))
    return Group(*parts)


def print_report(report: Report, console: Console, *, spoilers: bool = False, explain: bool = False) -> None:
    """Print one report to the console."""
    console.print(render_report(report, spoilers=spoilers, explain=explain))
