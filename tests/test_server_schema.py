"""Property-based tests of the API against its own OpenAPI document (schemathesis + hypothesis).

Every operation is called with generated requests, valid and invalid, through the real scan:
no request may yield a 500, and every answer must match the documented status codes,
media types and schemas (problem+json for errors).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from forewarn.server import Settings, create_app

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
checks = pytest.importorskip("schemathesis.checks")

# schemathesis calls the app as "testserver": allow that name besides the loopback ones.
APP = create_app(Settings(max_concurrent=1, max_upload_mb=1, allow_hosts=("testserver",)))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case):
    case.call_and_validate(checks=CHECKS)
