"""Outputs: a validated `Guide` in, files out (JSON, JSONL, CSV, report with page pictures), written atomically."""
