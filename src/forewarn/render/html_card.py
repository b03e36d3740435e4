"""A report as one standalone HTML file: the web page's warning card, readable offline.

One self-contained document: the page's own stylesheet inlined (dark mode included), no script, no
link to anything outside the file. Per-category details are ``<details>`` elements, so they open
without JavaScript. Spoiler-safe: quotes appear only when the report has them (``--spoilers``), and
then inside a closed "Show the quote (spoiler)" element. Built with ElementTree, so every piece of
story data is escaped as text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from importlib.resources import files

from ..documents.report import Finding, Location, Report
from ..integrations.labels import word
from ..taxonomy import SEVERITIES, groups

_VERDICT_TITLES = {
    "not-safe": "Verdict: not safe",
    "safe-until": "Verdict: safe until chapter {chapter}",
    "nothing-detected": "Verdict: nothing on your list detected",
}


def _stylesheet() -> str:
    return (files("forewarn.server") / "static" / "app.css").read_text(encoding="utf-8")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    node = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): v for k, v in attributes.items()})
    if text is not None:
        node.text = text
    return node


def _safe_id(text: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", text, flags=re.IGNORECASE)


def _percent(value: float) -> int:
    return round(max(0.0, min(1.0, value)) * 100)


def _badge(parent: ET.Element, severity: object) -> None:
    _add(parent, "span", word(severity), class_=f"sev sev-{word(severity)}").tail = " "


def _verdict(card: ET.Element, report: Report) -> None:
    verdict = report.verdict
    if verdict is None:
        return
    box = _add(card, "div", class_=f"verdict verdict-{verdict.status}")
    title = _VERDICT_TITLES.get(verdict.status, verdict.status).format(chapter=verdict.safe_until_chapter)
    _add(box, "p", title, class_="verdict-title")
    _add(box, "p", verdict.summary)


def _detected(parent: ET.Element, report: Report) -> None:
    if not report.findings:
        _add(parent, "p", "Nothing detected. forewarn can miss things; this is not a promise.")
        return
    for group in groups():
        members = [f for f in report.findings if f.group == group.id]
        if not members:
            continue
        holder = _add(parent, "div", class_="chip-group")
        _add(holder, "h4", group.name)
        chips = _add(holder, "ul", class_="chips", aria_label=group.name)
        for finding in members:
            chip = _add(_add(chips, "li"), "a", class_=f"chip chip-{word(finding.severity)}", href=f"#finding-{_safe_id(finding.category)}")
            _add(chip, "span", finding.name, class_="chip-name")
            _badge(chip, finding.severity)


def _declared(parent: ET.Element, report: Report) -> None:
    declared = report.declared
    facts = _add(parent, "dl", class_="facts")
    warnings = ("the author chose not to use archive warnings" if declared.chose_not_to_warn
                else ", ".join(declared.warnings) or "none given")
    rows = [("Rating", declared.rating or "none given"), ("Warnings", warnings)]
    if declared.tags:
        more = f" and {len(declared.tags) - 15} more" if len(declared.tags) > 15 else ""
        rows.append(("Tags", ", ".join(declared.tags[:15]) + more))
    for term, value in rows:
        _add(facts, "dt", term)
        _add(facts, "dd", value)


def _span(report: Report) -> tuple[int, int]:
    chapters = report.work.chapters
    if not chapters:
        return 0, 1
    return chapters[0].char_start, max(1, chapters[-1].char_end - chapters[0].char_start)


def _place(location: Location, length: int) -> str:
    """The mark's box on the strip; ``length``: the story's length in characters (``_span``)."""
    left = max(0.0, min(1.0, location.position)) * 100
    width = (location.char_end - location.char_start) / length * 100
    return f"left:{min(left, 99.2):.2f}%;width:{max(0.8, min(width, 100 - left)):.2f}%"


def _where(location: Location) -> str:
    return f"chapter {location.chapter}, {_percent(location.position)}% through ({word(location.severity)})"


def _strip(parent: ET.Element, report: Report, findings: list[Finding], *, small: bool) -> None:
    label = ". ".join(f"{f.name}: {'; '.join(_where(loc) for loc in f.locations)}" for f in findings)
    strip = _add(parent, "div", class_="strip strip-small" if small else "strip", role="img",
                 aria_label=("" if small else "The whole story, start to end. ") + (label or "Nothing detected."))
    start, length = _span(report)
    chapters = report.work.chapters
    if len(chapters) > 1:
        every = -(-len(chapters) // 24)
        for index, chapter in enumerate(chapters):
            left = max(0.0, min(100.0, (chapter.char_start - start) / length * 100))
            tick = _add(strip, "span", class_="tick", aria_hidden="true", style=f"left:{left:.2f}%")
            if not small and index % every == 0:
                _add(tick, "span", str(chapter.index), class_="tick-label")
    marks = [(f, loc) for f in findings for loc in f.locations]
    marks.sort(key=lambda pair: SEVERITIES.index(word(pair[1].severity)))
    for finding, location in marks:
        severity = word(location.severity)
        _add(strip, "a", "", class_=f"mark mark-{severity}", href=f"#finding-{_safe_id(finding.category)}",
             aria_hidden="true", title=f"{finding.name}: chapter {location.chapter}, {severity}", style=_place(location, length))


def _legend(parent: ET.Element) -> None:
    legend = _add(parent, "ul", class_="legend", aria_label="What the marks mean")
    for severity in SEVERITIES:
        item = _add(legend, "li")
        _add(item, "span", "", class_=f"swatch mark-{severity}", aria_hidden="true").tail = severity
    _add(_add(legend, "li"), "span", "", class_="swatch swatch-tick", aria_hidden="true").tail = "chapter start"


def _finding(parent: ET.Element, report: Report, finding: Finding) -> None:
    details = _add(parent, "details", class_="finding", id=f"finding-{_safe_id(finding.category)}")
    summary = _add(details, "summary")
    _add(summary, "span", f"{finding.name} ", class_="finding-name")
    _badge(summary, finding.severity)
    places = len(finding.locations)
    _add(summary, "span", f"{places} place{'' if places == 1 else 's'} · confidence {_percent(finding.confidence)}%", class_="confidence")
    _strip(details, report, [finding], small=True)
    places_list = _add(details, "ol", class_="locations")
    for location in finding.locations:
        item = _add(places_list, "li", class_="location")
        _add(item, "span", f"Chapter {location.chapter}, {_percent(location.position)}% through: ")
        _badge(item, location.severity)
        if location.quote:
            spoiler = _add(item, "details", class_="spoiler")
            _add(spoiler, "summary", "Show the quote (spoiler)")
            _add(spoiler, "blockquote", location.quote, class_="quote")


def _card(body: ET.Element, report: Report) -> None:
    work = report.work
    card = _add(body, "section", class_="panel card", aria_labelledby="result-title")
    _add(card, "h2", f"Warning card: {work.title}" if work.title else "Warning card", id="result-title")
    byline = ([f"by {', '.join(work.authors)}"] if work.authors else []) + [
        f"{work.words:,} words", f"{len(work.chapters)} chapter{'' if len(work.chapters) == 1 else 's'}"]
    _add(card, "p", " · ".join(byline), class_="byline")
    _verdict(card, report)
    if report.support is not None:
        support = _add(card, "p", f"{report.support.text} ", class_="support")
        if re.match(r"https?://", report.support.url, flags=re.IGNORECASE):
            _add(support, "a", report.support.url, href=report.support.url, rel="noopener noreferrer")
    columns = _add(card, "div", class_="columns")
    detected = _add(columns, "section")
    _add(detected, "h3", "What forewarn detected")
    _detected(detected, report)
    declared = _add(columns, "section")
    _add(declared, "h3", "What the author declared")
    _declared(declared, report)
    if report.under_warning:
        under = _add(card, "section", class_="under")
        _add(under, "h3", "Possibly under-warned")
        notes = _add(under, "ul")
        for item in report.under_warning:
            _add(notes, "li", item.note)
    suggested = report.suggested
    _add(card, "h3", "Suggested ratings")
    _add(card, "p", f"AO3 rating: {suggested.ao3_rating} · FanFiction.Net rating: {suggested.ffn_rating} · "
                    f"AO3 archive warnings: {', '.join(suggested.ao3_warnings) or 'none'}")
    if report.findings:
        _add(card, "h3", "Where in the story")
        _add(card, "p", "The bar is the whole story, start to end; thin lines are chapter starts. Open a category "
                        "for its places." + (" Quotes are spoilers: each stays closed until you open it."
                                             if any(loc.quote for f in report.findings for loc in f.locations) else ""),
             class_="hint")
        _strip(card, report, report.findings, small=False)
        _legend(card)
        for finding in report.findings:
            _finding(card, report, finding)
    if report.notices:
        notices = _add(card, "ul", class_="notices")
        for notice in report.notices:
            _add(notices, "li", notice)
    _add(card, "p", report.limits, class_="limits")


def html_card(report: Report) -> str:
    """The report as one self-contained HTML document (no script, no external resource)."""
    return html_cards([report])


def html_cards(reports: list[Report]) -> str:
    """One self-contained HTML document holding a card per report, in order."""
    html = ET.Element("html", lang="en")
    head = _add(html, "head")
    _add(head, "meta", charset="utf-8")
    _add(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    _add(head, "meta", name="color-scheme", content="light dark")
    _add(head, "meta", http_equiv="Content-Security-Policy",
         content="default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    names = [r.work.title or r.source.path or "story" for r in reports]
    _add(head, "title", f"forewarn warning card: {', '.join(names)}")
    _add(head, "style", _stylesheet() + "\n.spoiler summary { cursor: pointer; color: var(--accent); }\n")
    main = _add(_add(html, "body"), "main")
    for report in reports:
        _card(main, report)
    versions = sorted({f"forewarn {r.forewarn_version} (report schema {r.schema_version})" for r in reports})
    _add(main, "p", f"Made by {', '.join(versions)}. Open a category for its places; nothing here needs a network.",
         class_="hint").tail = "\n"
    return "<!doctype html>\n" + ET.tostring(html, encoding="unicode", method="html") + "\n"
