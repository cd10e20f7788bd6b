"""Quiet, offline Prefect defaults, applied before Prefect is imported.

A user's own environment wins: each value is only a default.
"""

from __future__ import annotations

import os

DEFAULTS = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # Logs go to the Prefect API (the UI shows them); the terminal gets only our summary.
    "PREFECT_LOGGING_LEVEL": "INFO",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
    "PREFECT_UI_ENABLED": "false",
}


def apply(debug: bool = False) -> None:
    if debug:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "INFO")
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
