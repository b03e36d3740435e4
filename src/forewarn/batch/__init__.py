"""Library and archive runs: walk a folder or a Calibre library, scan in parallel, store results
so that a run can stop at any moment and resume, and export them (CSV, JSONL, Parquet)."""
