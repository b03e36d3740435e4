"""Declared vs detected: an archive warning the author declared counts, whatever the detectors find."""

import json

from rich.console import Console

import forewarn
from forewarn.documents.report import Declared, Suggested
from forewarn.render.terminal import render_report
from forewarn.stages.ratings import declared_not_found

AO3_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"/><title>Lanterns</title></head><body>
<div id="preface">
  <div class="meta"><dl class="tags">
    <dt>Rating:</dt><dd><a href="#">Mature</a></dd>
    <dt>Archive Warnings:</dt><dd><a href="#">Rape/Non-Con</a></dd>
    <dt>Fandom:</dt><dd><a href="#">Original Work</a></dd>
  </dl>
  <h1>Lanterns</h1>
  <div class="byline">by <a rel="author" href="#">lanternwriter</a></div>
  </div>
</div>
<div id="chapters" class="userstuff">
  <div class="meta group"><h2 class="heading">Chapter 1: Market</h2></div>
  <div class="userstuff"><p>Ivo carried the paper lanterns to the market before the rain.</p>
  <p>He hung them along the stall and counted the coins twice.</p></div>
  <div class="meta group"><h2 class="heading">Chapter 2: Evening</h2></div>
  <div class="userstuff"><p>In the evening the lanterns glowed over the square and the children sang.</p></div>
</div>
</body></html>""".encode()


def _scan(**options):
    return forewarn.scan(AO3_PAGE, name="lanterns.html", detectors=["cues"], **options)


def test_declared_warning_not_found_is_reported():
    report = _scan()
    assert report.declared.warnings == ["Rape/Non-Con"]
    assert "Rape/Non-Con" not in report.suggested.ao3_warnings
    assert [(d.warning, d.categories) for d in report.declared_not_found] == [("Rape/Non-Con", ["sexual-assault"])]
    assert report.declared_not_found[0].note == "declared by the author, not found by forewarn"
    assert "declared_not_found" in json.loads(report.to_json())


def test_reader_avoiding_sexual_assault_is_warned_by_the_declaration():
    report = _scan(avoid="sexual-assault:graphic")
    assert report.findings == []
    assert report.verdict.status == "not-safe"
    assert "the author declared Rape/Non-Con" in report.verdict.summary
    assert [(d.category, d.warning) for d in report.verdict.declared] == [("sexual-assault", "Rape/Non-Con")]


def test_a_declaration_off_the_avoid_list_changes_nothing():
    report = _scan(avoid="self-harm")
    assert report.verdict.status == "nothing-detected"
    assert "declared" not in json.loads(report.verdict.model_dump_json())


def test_no_declaration_keeps_the_json_without_the_new_fields():
    report = forewarn.scan("Ivo hung the lanterns along the stall.", detectors=["cues"], avoid="violence")
    data = json.loads(report.to_json())
    assert "declared_not_found" not in data and "declared" not in data["verdict"]


def test_declared_and_found_warnings_are_not_listed():
    declared = Declared(warnings=["Graphic Depictions Of Violence", "Creator Chose Not To Use Archive Warnings"])
    found = Suggested(ao3_rating="Mature", ffn_rating="M", ao3_warnings=["Graphic Depictions Of Violence"])
    assert declared_not_found(declared, found) == []
    missing = Suggested(ao3_rating="General Audiences", ffn_rating="K", ao3_warnings=["No Archive Warnings Apply"])
    assert [d.warning for d in declared_not_found(declared, missing)] == ["Graphic Depictions Of Violence"]


def test_terminal_shows_the_declared_warning_not_found():
    console = Console(width=200, record=True, color_system=None)
    console.print(render_report(_scan()))
    assert "Rape/Non-Con: declared by the author, not found by forewarn" in console.export_text()
