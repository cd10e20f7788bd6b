"""Tidy tables beside guide.json: one row per budget amount (`budgets.csv`) and per
measured result (`metrics.csv`), keyed by practice id, and a Frictionless
`datapackage.json` describing them and `practices.csv` (fields, types, keys).

Every CSV is UTF-8 with a byte-order mark, so spreadsheets read accents, and every text
cell that a spreadsheet would take for a formula is neutralised (OWASP: a leading `'`);
numeric columns are left as numbers, a negative amount included.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from schemas import Guide

BOM = "\ufeff"

# A spreadsheet evaluates a cell that starts with one of these as a formula (or DDE).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet shows as text, never runs."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def number(value: float | int | None) -> str:
    """A number as a spreadsheet and Frictionless read it: integral floats without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def csv_text(columns: list[str], rows: list[dict[str, str]], types: dict[str, str]) -> str:
    """CSV with a BOM; cells of `string` columns are neutralised, the others written as given."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: (neutralise(v) if types.get(k, "string") == "string" else v) for k, v in row.items()}
        )
    return BOM + buffer.getvalue()


# column -> Frictionless type; anything not named here is a string
PRACTICE_TYPES = {"number": "integer", "theme_number": "integer", "ongoing": "boolean", "budget_total": "number"}

BUDGET_COLUMNS = ["practice_id", "position", "raw", "amount", "currency", "role", "qualifier", "currency_from_context"]
BUDGET_TYPES = {"position": "integer", "amount": "number", "currency_from_context": "boolean"}

METRIC_COLUMNS = ["practice_id", "position", "raw", "value", "unit", "qualifier", "scale", "quantity"]
METRIC_TYPES = {"position": "integer", "value": "number", "scale": "number"}


def budget_rows(guide: Guide) -> list[dict[str, str]]:
    return [
        {
            "practice_id": practice.id,
            "position": str(position),
            "raw": money.raw,
            "amount": number(money.amount),
            "currency": money.currency or "",
            "role": money.role or "",
            "qualifier": money.qualifier or "",
            "currency_from_context": "true" if money.currency_from_context else "false",
        }
        for practice in guide.practices
        for position, money in enumerate(practice.budgets, 1)
    ]


def metric_rows(guide: Guide) -> list[dict[str, str]]:
    return [
        {
            "practice_id": practice.id,
            "position": str(position),
            "raw": metric.raw,
            "value": number(metric.value),
            "unit": metric.unit or "",
            "qualifier": metric.qualifier or "",
            "scale": number(metric.scale),
            "quantity": metric.quantity or "",
        }
        for practice in guide.practices
        for position, metric in enumerate(practice.metrics, 1)
    ]


def budgets_csv(guide: Guide) -> str:
    return csv_text(BUDGET_COLUMNS, budget_rows(guide), BUDGET_TYPES)


def metrics_csv(guide: Guide) -> str:
    return csv_text(METRIC_COLUMNS, metric_rows(guide), METRIC_TYPES)


_DESCRIPTIONS = {
    "practice_id": "the practice's id (practices.csv `id`)",
    "position": "1-based order of the value within its practice",
    "raw": "the text as printed",
    "amount": "the amount in full units of `currency`",
    "value": "the measured value",
    "guide": "the source PDF's file name",
    "guide_sha256": "SHA-256 of the source PDF",
    "corrections": "field paths a steward's corrections file changed (docs/corrections.md)",
}


def _fields(columns: list[str], types: dict[str, str]) -> list[dict]:
    fields = []
    for name in columns:
        field = {"name": name, "type": types.get(name, "string")}
        if name in _DESCRIPTIONS:
            field["description"] = _DESCRIPTIONS[name]
        if field["type"] == "boolean":
            field.update(trueValues=["true"], falseValues=["false"])
        fields.append(field)
    return fields


def _resource(name: str, columns: list[str], types: dict[str, str], key: list[str], foreign: bool) -> dict:
    schema = {"fields": _fields(columns, types), "primaryKey": key, "missingValues": [""]}
    if foreign:
        schema["foreignKeys"] = [{"fields": ["practice_id"], "reference": {"resource": "practices", "fields": ["id"]}}]
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",  # with a BOM, which readers of the spec skip
        "schema": schema,
    }


def datapackage_json(guide: Guide, practice_columns: list[str]) -> str:
    """The Frictionless descriptor of the three tables, written without Frictionless."""
    package = {
        "profile": "tabular-data-package",
        "name": re.sub(r"[^a-z0-9]+", "-", Path(guide.source.file).stem.lower()).strip("-") or "guide",
        "title": guide.title or guide.source.file,
        "description": (
            f"Practices extracted from {guide.source.file} (SHA-256 {guide.source.sha256}); text cells that "
            "would start with = + - @ are prefixed with ' so spreadsheets do not run them."
        ),
        "resources": [
            _resource("practices", practice_columns, PRACTICE_TYPES, ["id"], False),
            _resource("budgets", BUDGET_COLUMNS, BUDGET_TYPES, ["practice_id", "position"], True),
            _resource("metrics", METRIC_COLUMNS, METRIC_TYPES, ["practice_id", "position"], True),
        ],
    }
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"
