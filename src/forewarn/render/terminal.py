"""The short, coloured terminal summary of a Report (severity in words, never colour alone)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..ratings import category_note_lead, describe_declared
from ..report import Finding, Location, Report
from ..taxonomy import categories, groups

SEVERITY_STYLE = {"mentioned": "yellow", "depicted": "dark_orange", "graphic": "bold red"}
VERDICT_STYLE = {"not-safe": "bold red", "safe-until": "bold yellow", "nothing-detected": "bold green"}
MAX_CHAPTERS = 6
MAX_PER_CHAPTER = 3


def _where(location: Location) -> str:
    paragraphs = (f"¶{location.paragraph_start + 1}" if location.paragraph_start == location.paragraph_end
                  else f"¶{location.paragraph_start + 1}–{location.paragraph_end + 1}")
    return f"ch {location.chapter}, scene {location.scene}, {paragraphs}, {location.position:.0%}"


def _by_chapter(finding: Finding) -> Text:
    """Compact: each chapter once, with the positions of the places in it."""
    chapters: dict[int, list[str]] = {}
    for location in finding.locations:
        chapters.setdefault(location.chapter, []).append(f"{location.position:.0%}")
    shown = list(chapters.items())[:MAX_CHAPTERS]
    text = Text(" · ".join(f"ch {c} ({', '.join(p[:MAX_PER_CHAPTER])}{'…' if len(p) > MAX_PER_CHAPTER else ''})"
                           for c, p in shown))
    if len(chapters) > len(shown):
        text.append(f" · and {len(chapters) - len(shown)} more chapters", style="dim")
    return text


def _details(finding: Finding, spoilers: bool, explain: bool) -> Text:
    """One line per place: chapter, scene, paragraphs, position, severity, and quote/reasons if asked."""
    text = Text()
    for i, location in enumerate(finding.locations):
        if i:
            text.append("\n")
        text.append(_where(location))
        text.append(f" · {location.severity}", style=SEVERITY_STYLE[location.severity])
        if explain:
            text.append(f"  [{', '.join(location.detectors)}]", style="cyan")
            if location.explanation:
                text.append(f" {location.explanation}", style="dim cyan")
        if spoilers and location.quote:
            text.append(f"\n   “{location.quote}”", style="italic dim")
    return text


def _declared(report: Report) -> Text | None:
    parts = describe_declared(report.declared)
    if not parts:
        return None
    return Text.assemble(("Declared by the author: ", "bold"), "; ".join(parts))


def _under_warning_lines(report: Report) -> list[str]:
    """The under-warning notes, the per-category ones folded into one line when there are several."""
    per_category = [n for n in report.under_warning if n.kind == "category"]
    lines = [n.note for n in report.under_warning if n.kind != "category"]
    if len(per_category) <= 2:
        return lines + [n.note for n in per_category]
    names = {f.category: f"{f.name.lower()} ({f.severity})" for f in report.findings}
    lead = category_note_lead(report.declared)
    return lines + [f"{lead}: {', '.join(names[n.category] for n in per_category)}."]


_BECAUSE = {"negation": "negated", "figurative": "figurative use", "forbids": "a word that rules it out nearby",
            "requires": "a needed second cue missing", "who": "about the wrong subject",
            "not_who": "about the wrong subject"}


def set_aside_lines(report: Report) -> list[Text]:
    """--explain: the cue matches detectors set aside, per category: "not reported because ..."."""
    counts: dict[str, dict[str, int]] = {}
    for item in report.suppressed or []:
        reasons = counts.setdefault(item.category, {})
        reasons[item.because] = reasons.get(item.because, 0) + 1
    found = {f.category for f in report.findings}
    names = {c.id: c.name for c in categories().values()}
    return [Text.assemble(("Not reported: " if category not in found else "Also set aside: ", "dim bold"),
                          (f"{names.get(category, category)} — " + ", ".join(
                              f"{n} match{'es' if n > 1 else ''} {_BECAUSE.get(b, b)}" for b, n in reasons.items()),
                           "dim"))
            for category, reasons in counts.items()]


def render_report(report: Report, *, spoilers: bool = False, explain: bool = False,
                  details: bool = False) -> Group:
    """A renderable summary of one report (``details``: one line per place; implied by spoilers/explain)."""
    details = details or spoilers or explain
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
                    _details(finding, spoilers, explain) if details else _by_chapter(finding),
                )
        parts.append(Padding(table, (1, 0, 0, 0)))
    else:
        parts.append(Text("\nNothing detected.", style="bold"))
    suggested = report.suggested
    parts.append(Text.assemble(
        ("\nSuggested: ", "bold"), f"AO3 {suggested.ao3_rating} · FFN {suggested.ffn_rating} · ",
        "archive warnings: ", ", ".join(suggested.ao3_warnings),
    ))
    for note in _under_warning_lines(report):
        parts.append(Text.assemble(("Under-warned: ", "bold magenta"), note))
    if explain:
        parts.extend(set_aside_lines(report))
    if report.verdict:
        parts.append(Text.assemble(
            ("\nVerdict: ", "bold"), (report.verdict.summary, VERDICT_STYLE[report.verdict.status]),
        ))
    if report.support:
        parts.append(Text("\n" + report.support.text, style="cyan"))
    parts.append(Text("\n" + report.limits, style="dim"))
    return Group(*parts)


def print_report(report: Report, console: Console, *, spoilers: bool = False, explain: bool = False,
                 details: bool = False) -> None:
    """Print one report to the console."""
    console.print(render_report(report, spoilers=spoilers, explain=explain, details=details))
