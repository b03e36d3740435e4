"""The short, coloured terminal summary of a Report (severity in words, never colour alone).

The verdict and the under-warning notes come first, the detail after. Everything taken from the
story (title, authors, declared tags, quotes, file names) goes through ``printable`` first.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .. import messages
from ..documents.report import Finding, Location, Report
from ..stages.ratings import category_note_lead, describe_declared
from ..taxonomy import categories, groups
from .flow import Flow, prose
from .places import chapter_name, chapter_names, name_chapters
from .safe import printable

# Severity styles differ in weight and lightness, not only in hue, so they read apart in any theme
# and without colour: plain, bold, inverse.
SEVERITY_STYLE = {"mentioned": "", "depicted": "bold yellow", "graphic": "bold reverse red"}
VERDICT_STYLE = {"not-safe": "bold red", "safe-until": "bold yellow", "nothing-detected": "bold green"}
MAX_CHAPTERS = 6
MAX_PER_CHAPTER = 3
MIN_PLACES_WIDTH = 24


def _where(location: Location, names: dict[int, str]) -> list[Text]:
    """The parts of one place, each kept whole on a line: chapter, scene, paragraphs, position.

    A play's chapter is named by act and scene ("Act I, Scene 2,"), without the break-scene number.
    """
    paragraphs = (f"¶{location.paragraph_start + 1}" if location.paragraph_start == location.paragraph_end
                  else f"¶{location.paragraph_start + 1}–{location.paragraph_end + 1}")
    scene = [] if location.chapter in names else [Text(f"scene {location.scene},")]
    return [Text(f"{chapter_name(names, location.chapter)},"), *scene,
            Text(f"{paragraphs},"), Text(f"{location.position:.0%}")]


def _by_chapter(finding: Finding, names: dict[int, str]) -> Flow:
    """Compact: each chapter once (a play's by act and scene), with the positions of the places in it."""
    chapters: dict[int, list[str]] = {}
    for location in finding.locations:
        chapters.setdefault(location.chapter, []).append(f"{location.position:.0%}")
    shown = list(chapters.items())[:MAX_CHAPTERS]
    items = [Text(f"{chapter_name(names, c)} "
                  f"({', '.join(p[:MAX_PER_CHAPTER])}{'…' if len(p) > MAX_PER_CHAPTER else ''})")
             for c, p in shown]
    if len(chapters) > len(shown):
        items.append(Text(f"and {len(chapters) - len(shown)} more chapters", style="dim"))
    return Flow(items)


def _details(finding: Finding, names: dict[int, str], spoilers: bool, explain: bool) -> Group:
    """One line per place: chapter, scene, paragraphs, position, severity, and quote/reasons if asked."""
    lines: list[RenderableType] = []
    for location in finding.locations:
        parts = _where(location, names) + [Text(f"· {location.severity}", style=SEVERITY_STYLE[location.severity])]
        if explain:
            parts.append(Text(f"[{', '.join(location.detectors)}]", style="cyan"))
            if location.explanation:
                parts.append(Text(printable(location.explanation), style="dim cyan"))
        lines.append(Flow(parts, separator=" "))
        if spoilers and location.quote:
            lines.append(Padding(Text(f"“{printable(location.quote, one_line=True)}”", style="italic dim"),
                                 (0, 0, 0, 3)))
    return Group(*lines)


def _declared(report: Report) -> Text | None:
    parts = describe_declared(report.declared)
    if not parts:
        return None
    return Text.assemble((messages.text("cli.declared_lead"), "bold"), printable("; ".join(parts), one_line=True))


def _under_warning_lines(report: Report) -> list[str]:
    """The under-warning notes, the per-category ones folded into one line when there are several."""
    per_category = [n for n in report.under_warning if n.kind == "category"]
    lines = [n.note for n in report.under_warning if n.kind != "category"]
    if len(per_category) <= 2:
        return lines + [n.note for n in per_category]
    names = {f.category: f"{f.name.lower()} ({f.severity})" for f in report.findings}
    lead = category_note_lead(report.declared)
    return lines + [messages.text("cli.under_warning_folded", lead=lead,
                                  categories=", ".join(names[n.category] for n in per_category))]


def _set_aside_count(count: int, because: str) -> str:
    """"2 matches negated": how many cue matches were set aside, and why (``cli.because_*``)."""
    try:
        reason = messages.text(f"cli.because_{because}")
    except KeyError:
        reason = because
    return messages.text("cli.set_aside_count", count=count, because=reason,
                         matches=messages.text("cli.matches" if count > 1 else "cli.match"))


def set_aside_lines(report: Report) -> list[Text]:
    """--explain: the cue matches detectors set aside, per category: "not reported because ..."."""
    counts: dict[str, dict[str, int]] = {}
    for item in report.suppressed or []:
        reasons = counts.setdefault(item.category, {})
        reasons[item.because] = reasons.get(item.because, 0) + 1
    found = {f.category for f in report.findings}
    names = {c.id: c.name for c in categories().values()}
    return [Text.assemble((messages.text("cli.not_reported" if category not in found else "cli.also_set_aside"),
                           "dim bold"),
                          (f"{names.get(category, category)} — "
                           + ", ".join(_set_aside_count(n, b) for b, n in reasons.items()), "dim"))
            for category, reasons in counts.items()]


def file_label(report: Report) -> str:
    """How a report's input is named on screen: its path, 'stdin', or 'text'."""
    path = report.source.path
    return "stdin" if path == "-" else printable(path or "text", one_line=True)


def _heading(report: Report, label: str | None) -> Flow:
    """File name first (two files with one title never look alike), then title, authors and size."""
    work = report.work
    parts = [Text(printable(label, one_line=True) if label else file_label(report), style="bold")]
    if work.title:
        parts.append(Text(f"· {printable(work.title, one_line=True)}", style="bold"))
    if work.authors:
        parts.append(Text(f"by {printable(', '.join(work.authors), one_line=True)}"))
    chapters = len(work.chapters)
    parts += [Text(f"· {work.words:,} words", style="dim"),
              Text(f"· {chapters} chapter{'s' if chapters != 1 else ''}", style="dim"),
              Text(f"· {report.source.format}", style="dim")]
    return Flow(parts, separator=" ")


class _Findings:
    """The findings grouped: a three-column table (name, severity, places) when the places column
    gets at least ``MIN_PLACES_WIDTH`` cells; otherwise, and always with ``details``, each finding's
    places on their own indented lines below it, so nothing is squeezed or cut."""

    def __init__(self, report: Report, names: dict[int, str], spoilers: bool, explain: bool, details: bool) -> None:
        self.report, self.names = report, names
        self.spoilers, self.explain, self.details = spoilers, explain, details

    def _groups(self) -> Iterator[tuple[str, list[Finding]]]:
        for group in groups():
            found = [f for f in self.report.findings if f.group == group.id]
            if found:
                yield group.name, found

    def _places(self, finding: Finding) -> RenderableType:
        if self.details:
            return _details(finding, self.names, self.spoilers, self.explain)
        return _by_chapter(finding, self.names)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[RenderableType]:
        name_width = max(len(f.name) for f in self.report.findings) + 2
        severity_width = max(len(f.severity) for f in self.report.findings)
        stacked = self.details or options.max_width - name_width - severity_width - 4 < MIN_PLACES_WIDTH
        if stacked:
            for group_name, found in self._groups():
                yield Text(group_name, style="bold underline")
                for finding in found:
                    yield Text.assemble(f"  {finding.name}".ljust(name_width + 2),
                                        (finding.severity, SEVERITY_STYLE[finding.severity]))
                    yield Padding(self._places(finding), (0, 0, 0, 6))
            return
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column()
        for group_name, found in self._groups():
            table.add_row(Text.assemble((group_name, "bold underline")), "", "")
            for finding in found:  # styles as spans, so the cell padding stays unstyled
                table.add_row(Text("  " + finding.name),
                              Text.assemble((finding.severity, SEVERITY_STYLE[finding.severity])),
                              self._places(finding))
        yield table


def render_report(report: Report, *, spoilers: bool = False, explain: bool = False,
                  details: bool = False, limits: bool = True, label: str | None = None) -> Group:
    """A renderable summary of one report: verdict and under-warning notes first, then the detail.

    ``details``: one line per place (implied by spoilers/explain); ``limits``: end with the paragraph
    on what forewarn can miss (a multi-file run prints it once, at the end); ``label``: what to call
    the input instead of its path.
    """
    details = details or spoilers or explain
    parts: list[RenderableType] = [_heading(report, label)]
    names = chapter_names(report.work.chapters)  # a play's acts and scenes, for the verdict and the places
    if report.verdict:
        summary = name_chapters(report.verdict.summary, names)
        parts.append(prose(printable(summary), VERDICT_STYLE[report.verdict.status],
                           lead=Text("Verdict:", style="bold")))
    for note in _under_warning_lines(report):
        parts.append(prose(printable(note), lead=Text("Under-warned:", style="bold magenta")))
    # Declared vs detected: an archive warning the author declared that forewarn did not find.
    for item in report.declared_not_found:
        parts.append(prose(f"{item.note}.", lead=Text(f"{printable(item.warning)}:", style="bold magenta")))
    suggested = report.suggested
    parts.append(Flow([
        Text.assemble(("Suggested: ", "bold"), f"AO3 {suggested.ao3_rating}"), Text(f"FFN {suggested.ffn_rating}"),
        Text(f"archive warnings: {', '.join(suggested.ao3_warnings)}"),
    ]))
    declared = _declared(report)
    if declared:
        parts.append(declared)
    for notice in report.notices:
        parts.append(Text(messages.text("cli.notice", notice=printable(notice)), style="yellow"))
    if report.findings:
        parts.append(Padding(_Findings(report, names, spoilers, explain, details), (1, 0, 0, 0)))
    else:
        parts.append(Text("\n" + messages.text("cli.nothing_detected"), style="bold"))
    if explain:
        parts.extend(set_aside_lines(report))
    if report.support:
        parts.append(Text("\n" + report.support.text, style="cyan"))
    if limits:
        parts.append(Text("\n" + report.limits, style="dim"))
    return Group(*parts)


def print_clean(console: Console, renderable: RenderableType, *, soft_wrap: bool | None = None) -> None:
    """Print ``renderable`` without the trailing spaces Rich pads lines with (they end up in pipes,
    files and copied text). ``soft_wrap=False`` word-wraps even on a console made with ``soft_wrap=True``.
    """
    with console.capture() as capture:
        console.print(renderable, soft_wrap=soft_wrap)
    lines = [line.rstrip(" ") for line in capture.get().splitlines()]
    console.print(Text.from_ansi("\n".join(lines)), soft_wrap=True)


def print_report(report: Report, console: Console, *, spoilers: bool = False, explain: bool = False,
                 details: bool = False, limits: bool = True, label: str | None = None) -> None:
    """Print one report to the console."""
    print_clean(console, render_report(report, spoilers=spoilers, explain=explain, details=details, limits=limits,
                                label=label))
