import json
from pathlib import Path

import jsonschema

from forewarn.report import SCHEMA_VERSION, report_json_schema

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
