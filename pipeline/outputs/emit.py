"""Stage 7: write guide.json, practices.jsonl, practices.csv, budgets.csv, metrics.csv,
datapackage.json and schema.json.

Everything is written into a fresh folder beside the target, then swapped in with one
rename, so a reader (or a killed run) only ever sees a whole old or a whole new result.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import tempfile
from pathlib import Path

from pipeline.outputs.tables import PRACTICE_TYPES, budgets_csv, csv_text, datapackage_json, metrics_csv
from schemas import Guide, Practice

JOIN = " | "


def to_json(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def guide_json(guide: Guide) -> str:
    return to_json(guide.model_dump(mode="json"))


def practices_jsonl(guide: Guide) -> str:
    return "".join(json.dumps(p.model_dump(mode="json"), ensure_ascii=False) + "\n" for p in guide.practices)


def csv_row(practice: Practice) -> dict[str, str]:
    def joined(values) -> str:
        return JOIN.join(v for v in values if v)

    row = {
        "id": practice.id,
        "number": str(practice.number),
        "theme_number": str(practice.theme.number) if practice.theme else "",
        "theme_title": practice.theme.title if practice.theme else "",
        "title": practice.title,
        "summary": practice.summary or "",
        "institution": practice.institution or "",
        "location": practice.location.raw or "",
        "country": practice.location.country or "",
        "country_code": practice.location.country_code or "",
        "contact_names": joined(c.name for c in practice.contacts),
        "contact_organisations": joined(c.organisation for c in practice.contacts),
        "contact_emails": joined(c.email for c in practice.contacts),
        "websites": joined(practice.websites),
        "period": practice.period.raw or "",
        "start": practice.period.start or "",
        "end": practice.period.end or "",
        "ongoing": "true" if practice.period.ongoing else "false",
    }
    for key in ("about", "resources", "evidence", "challenges", "transfer"):
        row[key] = getattr(practice.sections, key) or ""
    row["budgets"] = joined(m.raw for m in practice.budgets)
    row["budget_amounts"] = joined(
        f"{m.amount:.2f} {m.currency}" for m in practice.budgets if m.amount is not None and m.currency
    )
    row["metrics"] = joined(m.raw for m in practice.metrics)
    row["pages"] = JOIN.join(str(p) for p in practice.pages)
    row["warnings"] = joined(w.code for w in practice.warnings)
    return row


_COLUMNS = [
    "id", "number", "theme_number", "theme_title", "title", "summary", "institution", "location", "country",
    "country_code", "contact_names", "contact_organisations", "contact_emails", "websites", "period", "start", "end",
    "ongoing", "about", "resources", "evidence", "challenges", "transfer", "budgets", "budget_amounts", "metrics",
    "pages", "warnings", "guide", "guide_sha256",
]


def practices_csv(guide: Guide) -> str:
    """One row per practice, with the source file and its SHA-256; UTF-8 with a BOM, and
    text cells that a spreadsheet would run as a formula neutralised (tables.neutralise)."""
    source = {"guide": guide.source.file, "guide_sha256": guide.source.sha256}
    rows = [{**csv_row(p), **source} for p in guide.practices]
    fields = list(rows[0]) if rows else _COLUMNS
    return csv_text(fields, rows, PRACTICE_TYPES)


def schema_json() -> str:
    return to_json(Guide.model_json_schema())


def render(guide: Guide, extra: dict[str, str] | None = None) -> dict[str, str]:
    files = {
        "guide.json": guide_json(guide),
        "practices.jsonl": practices_jsonl(guide),
        "practices.csv": practices_csv(guide),
        "budgets.csv": budgets_csv(guide),
        "metrics.csv": metrics_csv(guide),
        "datapackage.json": datapackage_json(guide, _COLUMNS),
        "schema.json": schema_json(),
    }
    files.update(extra or {})
    return files


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _clear_leftovers(target: Path) -> None:
    """Staging folders a killed run left beside the target (never the target itself)."""
    for leftover in target.parent.glob(f".{target.name}.*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def write_atomic(target: Path, files: dict[str, str]) -> Path:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name, content in files.items():
            with (staging / name).open("w", encoding="utf-8", newline="") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(staging, 0o755)
        if target.exists() and _exchange(staging, target):
            shutil.rmtree(staging)  # now holds the previous result
        else:
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
                os.rename(target, old / target.name)
                os.rename(staging, target)
                shutil.rmtree(old)
            else:
                os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
