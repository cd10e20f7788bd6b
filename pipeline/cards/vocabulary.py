"""Words a good-practice card uses for its labels and section headings.

These are the vocabulary of the genre (Interreg good-practice cards and their kin), not
of one edition: synonyms seen across programmes are listed so that a new edition's
wording still maps to the contract's fields.
"""

from __future__ import annotations

import re

SIDEBAR_FIELDS = ("institution", "location", "contact", "website", "period")

_LABELS: dict[str, tuple[str, ...]] = {
    "institution": (
        "main institution", "institution", "lead institution", "main organisation",
        "main organization", "organisation", "organization", "lead organisation",
        "lead organization", "lead partner", "implementing body", "managing body",
        "responsible body", "owner",
    ),
    "location": ("location", "country", "region", "place", "where", "area"),
    "contact": ("contact", "contacts", "contact person", "contact details", "contact point"),
    "website": ("website", "websites", "web", "web site", "web page", "url", "link", "links", "more information"),
    "period": (
        "start-end date", "start-end dates", "start/end date", "start and end date", "dates",
        "date", "period", "duration", "timescale", "timeframe", "time frame", "implementation period",
        "start date", "timing",
    ),
}

_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("challenges", ("challenge", "difficult", "obstacle", "barrier", "problem", "risk", "lesson")),
    ("transfer", ("transfer", "potential for learning", "learning", "replicab", "lessons for others")),
    ("evidence", ("evidence", "succes", "result", "impact", "achievement", "outcome")),
    ("resources", ("resource", "budget", "funding", "cost", "financ")),
    ("about", ("about", "description", "overview", "summary", "the practice", "detailed")),
)

BULLETS = ("»", "•", "●", "▪", "■", "◦", "‣", "►", "○", "✓", "-", "–", "*", "·")
_ENUMERATOR = re.compile(r"^(\(\d{1,2}\)|\d{1,2}[.)]|[a-z][)])\s")


def _norm(text: str) -> str:
    text = text.lower().replace("\u2010", "-").replace("–", "-")
    text = re.sub(r"\s*([-/])\s*", r"\1", text)
    text = re.sub(r"[^\w/\- ]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


_LABEL_INDEX = {_norm(alias): field for field, aliases in _LABELS.items() for alias in aliases}


def label_field(text: str) -> str | None:
    """The sidebar field a label names ('Start - end date:' -> 'period'), or None."""
    return _LABEL_INDEX.get(_norm(text))


def section_key(heading: str) -> str | None:
    """The contract section a heading names ('Difficulties encountered' -> 'challenges')."""
    norm = _norm(heading)
    for key, stems in _SECTIONS:
        if any(stem in norm for stem in stems):
            return key
    return None


def list_marker(text: str) -> str | None:
    """'bullet' for a bulleted line, 'number' for an enumerated one, else None."""
    stripped = text.lstrip()
    for mark in BULLETS:
        if stripped.startswith(mark + " ") or (mark == "»" and stripped.startswith(mark)):
            return "bullet"
    if _ENUMERATOR.match(stripped):
        return "number"
    return None


def strip_bullet(text: str) -> str:
    stripped = text.lstrip()
    for mark in BULLETS:
        if stripped.startswith(mark):
            return stripped[len(mark):].lstrip()
    return stripped
