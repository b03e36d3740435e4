import json
from pathlib import Path

import jsonschema
import pytest

from forewarn.documents.report import (SCHEMA_VERSION, ChapterInfo, Declared, Finding, Location, Report, Severity, Source,
                             Suggested, WorkInfo, report_json_schema)

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "docs" / "report-schema.json"


def test_committed_schema_matches_the_models():
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == report_json_schema(), "regenerate with: forewarn schema > docs/report-schema.json"


def test_schema_names_the_contract_fields():
    schema = report_json_schema()
    assert {"schema_version", "source", "work", "declared", "findings", "suggested", "under_warning",
            "verdict", "support"} <= set(schema["properties"])
    location = schema["$defs"]["Location"]["properties"]
    assert {"chapter", "paragraph_start", "paragraph_end", "char_start", "char_end", "position"} <= set(location)
    assert SCHEMA_VERSION in schema["$id"]


def test_a_scanned_report_validates_against_the_schema():
    import forewarn

    report = forewarn.scan("Chapter 1\n\nShe walked to the shop and bought bread.\n")
    jsonschema.validate(report.to_dict(), report_json_schema())


def _small_report():
    def finding(category, severity):
        return Finding(category=category, group="g", name=category, severity=severity, confidence=0.8,
                       locations=[Location(chapter=1, paragraph_start=0, paragraph_end=0, char_start=0,
                                           char_end=5, position=0.1, severity=severity)])

    return Report(forewarn_version="0", source=Source(path="story.txt", format="text"),
                  work=WorkInfo(title="Lanterns", words=1234,
                                chapters=[ChapterInfo(index=1, title="One", char_start=0, char_end=9)]),
                  declared=Declared(), findings=[finding("violence", "graphic"), finding("self-harm", "mentioned")],
                  suggested=Suggested(ao3_rating="Mature", ffn_rating="M", ao3_warnings=[]), limits="limits")


def test_report_reads_like_a_collection_of_findings():
    report = _small_report()
    assert repr(report) == "<Report 'Lanterns': 1,234 words, 2 findings: violence, self-harm>"
    assert len(report) == 2
    assert [f.category for f in report] == ["violence", "self-harm"] == report.categories
    assert report["self-harm"].severity == "mentioned" and "self-harm" in report and "suicide" not in report
    with pytest.raises(KeyError):
        report["suicide"]


def test_severity_is_ordered_and_serialises_as_its_name():
    report = _small_report()
    violence, self_harm = report.findings
    assert violence.severity >= Severity.DEPICTED and not self_harm.severity >= Severity.DEPICTED
    assert Severity.MENTIONED < Severity.DEPICTED < Severity.GRAPHIC and max(Severity) == Severity.GRAPHIC
    assert violence.severity == "graphic" and isinstance(violence.severity, Severity)
    data = json.loads(report.to_json())
    assert data["findings"][0]["severity"] == "graphic"
    assert Report.model_validate_json(report.to_json()) == report
    with pytest.raises(ValueError):
        Severity("gory")
