"""Read a printed start-end date ('January 2017 – March 2020', '2001 - ongoing',
'2016 to date'); the words that mean 'still running' are data (fields/vocabulary.toml)."""

from __future__ import annotations

import re

from pipeline.fields.vocabulary import is_absent, ongoing_pattern

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_POINT = re.compile(r"(?:(?P<month>[A-Za-z]{3,9})\.?\s+)?(?P<year>(?:19|20)\d{2})\b|(?P<mm>0?[1-9]|1[0-2])[/.](?P<yy>(?:19|20)\d{2})")
_PREFIX = re.compile(r"^\s*[A-Za-z][\w ]{0,30}:\s*")


def _point(match: re.Match) -> str:
    if match.group("yy"):
        return f"{match.group('yy')}-{int(match.group('mm')):02d}"
    month = _MONTHS.get((match.group("month") or "").lower())
    return f"{match.group('year')}-{month:02d}" if month else match.group("year")


def parse_period(raw: str | None) -> tuple[dict, list[tuple[str, str]]]:
    """Contract period {raw, start, end, ongoing} and (code, message) warnings."""
    period = {"raw": raw, "start": None, "end": None, "ongoing": False}
    if not raw:
        return period, []
    if is_absent(_PREFIX.sub("", raw)):
        # 'n/a' is the document saying there are no dates, not a date to read
        period["raw"] = None
        return period, [("not_applicable", f"The period reads '{raw.strip()}'; it is left empty.")]
    text = _PREFIX.sub("", raw)
    points = [_point(m) for m in _POINT.finditer(text)]
    period["ongoing"] = bool(ongoing_pattern().search(text))
    if points:
        period["start"] = points[0]
    if len(points) > 1:
        period["end"] = points[1]
    if not points or len(points) > 2 or (len(points) == 1 and not period["ongoing"] and not re.search(r"\d{4}\s*$", text)):
        return period, [("unparsed_period", f"Could not read the dates in '{raw}'.")]
    if len(points) == 2 and points[1] < points[0]:
        return period, [("period_reversed", f"The period '{raw}' ends before it starts.")]
    return period, []
