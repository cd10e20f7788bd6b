"""Errors that end one input's run with a one-line reason (never a traceback)."""

from __future__ import annotations

import os
from dataclasses import dataclass


class GuideError(Exception):
    """This input cannot be extracted; str(error) is the reason, for a person."""


@dataclass(frozen=True)
class Limits:
    """Inputs larger than these are refused before they can exhaust memory."""

    max_mb: float = float(os.environ.get("GUIDE_EXTRACT_MAX_MB", 200))
    max_pages: int = int(os.environ.get("GUIDE_EXTRACT_MAX_PAGES", 2000))
