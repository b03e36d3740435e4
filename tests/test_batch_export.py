"""Exports: one row per work as CSV, JSONL (with the full report) or Parquet."""

from __future__ import annotations

import csv
import json

import pyarrow.parquet as pq
import pytest

from forewarn.batch.export import write_export
from forewarn.batch.store import WorkRecord
from forewarn.errors import UsageError
from tests.batch_fakes import fake_report

RECORDS = [
    WorkRecord("a.txt", "sha256:a", "fp", "ok", title="A", words=6, findings=[("death", "mentioned")],
               report=fake_report("A storm came").to_json()),
    WorkRecord("b.epub", "sha256:b", "fp", "failed", error="not an EPUB; give a real book"),
]


def test_csv_has_one_row_per_work_without_the_report(tmp_path):
    target = tmp_path / "out.csv"
    assert write_export(target, RECORDS, {"a.txt": "not-safe: contains death"}) == 2
    rows = list(csv.DictReader(target.open()))
    assert [(r["path"], r["status"], r["error"]) for r in rows] == [("a.txt", "ok", ""), ("b.epub", "failed", "not an EPUB; give a real book")]
    assert rows[0]["warnings"] == "death (mentioned)" and rows[0]["verdict"] == "not-safe: contains death"
    assert "report" not in rows[0]


def test_jsonl_carries_the_full_report(tmp_path):
    target = tmp_path / "out.jsonl"
    write_export(target, RECORDS)
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert rows[0]["report"]["findings"][0]["category"] == "death"
    assert rows[1]["report"] is None and rows[1]["status"] == "failed"


def test_parquet_round_trips(tmp_path):
    target = tmp_path / "out.parquet"
    write_export(target, RECORDS)
    table = pq.read_table(target).to_pylist()
    assert [(r["path"], r["status"], r["words"]) for r in table] == [("a.txt", "ok", 6), ("b.epub", "failed", 0)]
    assert json.loads(table[0]["report"])["suggested"]["ao3_rating"] == "Mature"


def test_unknown_extension_is_usage_error_and_writes_nothing(tmp_path):
    with pytest.raises(UsageError, match=r"\.csv, \.jsonl or \.parquet"):
        write_export(tmp_path / "out.xlsx", RECORDS)
    assert list(tmp_path.iterdir()) == []
