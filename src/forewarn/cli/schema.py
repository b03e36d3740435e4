"""``forewarn schema``: print the JSON Schema of the report (committed as docs/report-schema.json)."""

from __future__ import annotations

import json

from ..documents.report import report_json_schema
from ._app import app


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the report that `forewarn scan --json` writes."""
    print(json.dumps(report_json_schema(), indent=2))
