"""Errors that end one input's run with a one-line reason (never a traceback), and the
limits that keep a hostile input from exhausting the machine."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass


class GuideError(Exception):
    """This input cannot be extracted; str(error) is the reason, for a person."""


class UsageError(Exception):
    """A bad option or environment value: the whole run is refused (exit code 2)."""


# A timeout is waited for by the threading module, which cannot wait longer than this
# (OverflowError in Prefect's timeout thread above it): about 31 years.
MAX_TIMEOUT = 1e9


def positive_number(text: str | float, *, integer: bool = False, zero: bool = False, maximum: float | None = None) -> float | int:
    """`text` as a finite number above zero (or at least zero), and at most `maximum`;
    ValueError saying why not. NaN and infinities are refused: every comparison with NaN
    is false, so a NaN limit would silently mean no limit."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        value = math.nan
    kind = "a whole number" if integer else "a number"
    bound = "zero or more" if zero else "above zero"
    if not math.isfinite(value) or value < 0 or (value == 0 and not zero) or (integer and value != int(value)):
        raise ValueError(f"must be {kind} {bound}, not {str(text)!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"must be {kind} {bound} and at most {maximum:g}, not {str(text)!r}")
    return int(value) if integer else value


def env_number(name: str, default: float | int, *, integer: bool = False, zero: bool = False, maximum: float | None = None) -> float | int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return positive_number(raw.strip(), integer=integer, zero=zero, maximum=maximum)
    except ValueError as error:
        raise UsageError(f"environment variable {name}: {error}") from None


def gave_up(seconds: float) -> str:
    """The reason a guide is given when one of its stages outlives --timeout."""
    return f"gave up: a stage ran longer than the time limit of {seconds:g} seconds (--timeout)"


@dataclass(frozen=True)
class Limits:
    """Inputs larger than these are refused before they can exhaust memory; a guide whose
    stage runs longer than `timeout` seconds is given up."""

    max_mb: float = 200
    max_pages: int = 2000
    timeout: float = 3600

    @classmethod
    def from_env(cls, max_mb: float | None = None, max_pages: int | None = None, timeout: float | None = None) -> "Limits":
        """Given values win; the rest come from GUIDE_EXTRACT_MAX_MB, GUIDE_EXTRACT_MAX_PAGES
        and GUIDE_EXTRACT_TIMEOUT, else the defaults. A bad environment value is a UsageError."""
        return cls(
            max_mb=max_mb if max_mb is not None else env_number("GUIDE_EXTRACT_MAX_MB", cls.max_mb),
            max_pages=max_pages if max_pages is not None else env_number("GUIDE_EXTRACT_MAX_PAGES", cls.max_pages, integer=True),
            timeout=timeout if timeout is not None else env_number("GUIDE_EXTRACT_TIMEOUT", cls.timeout, maximum=MAX_TIMEOUT),
        )
