"""The audit report: one self-contained HTML file (its script, style and page pictures
inlined; a Content-Security-Policy that allows nothing else) for a steward to search,
filter, check every value against the page it was read from, and turn a wrong value into
a correction."""

from pipeline.outputs.report.page import render_report

__all__ = ["render_report"]
