"""Stage 7: write guide.json, practices.jsonl, practices.csv, budgets.csv, metrics.csv,
datapackage.json and schema.json.

Everything is written into a fresh folder beside the target, then swapped in with one
rename, so a reader (or a killed run) only ever sees a whole old or a whole new result.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from pipeline.errors import GuideError
from pipeline.outputs.tables import PRACTICE_TYPES, budgets_csv, csv_text, datapackage_json, metrics_csv, number
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
        "country_codes": joined(practice.location.country_codes),  # every country a location names
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
    total = practice.budget_total  # the money counted once (budgets overlap: docs/output-contract.md)
    row["budget_total"] = number(total.amount) if total else ""
    row["budget_total_currency"] = total.currency if total else ""
    row["budget_total_basis"] = total.basis if total else ""
    row["metrics"] = joined(m.raw for m in practice.metrics)
    row["pages"] = JOIN.join(str(p) for p in practice.pages)
    row["warnings"] = joined(w.code for w in practice.warnings)
    row["corrections"] = joined(c.field for c in practice.corrections)
    return row


_COLUMNS = [
    "id", "number", "theme_number", "theme_title", "title", "summary", "institution", "location", "country",
    "country_code", "country_codes", "contact_names", "contact_organisations", "contact_emails", "websites", "period", "start", "end",
    "ongoing", "about", "resources", "evidence", "challenges", "transfer", "budgets", "budget_amounts",
    "budget_total", "budget_total_currency", "budget_total_basis", "metrics",
    "pages", "warnings", "corrections", "guide", "guide_sha256",
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


def render(guide: Guide, extra: dict[str, str | Path] | None = None) -> dict[str, str | Path]:
    files = {
        "guide.json": guide_json(guide),
        "practices.jsonl": practices_jsonl(guide),
        "practices.csv": practices_csv(guide),
        "budgets.csv": budgets_csv(guide),
        "metrics.csv": metrics_csv(guide),
        "datapackage.json": datapackage_json(guide, _COLUMNS),
        "schema.json": schema_json(),
    }
    files.update({name: content for name, content in (extra or {}).items() if name not in files})
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


# A staging folder is `.NAME.staging-PID-RANDOM`: the pid tells whether its writer is
# still alive, so a live writer's folder (another process or thread writing the same
# name) is never taken for a killed run's leftover.
STAGING = "staging"
ABANDONED_AFTER = 6 * 3600  # seconds; a pid may be reused, or the writer was on another host


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists, owned by someone else
    return True


def _clear_leftovers(target: Path) -> None:
    """Staging folders that a killed run left beside the target, and only those: their
    writer's pid is gone or they are older than ABANDONED_AFTER."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.{STAGING}-(\d+)-[a-z0-9_]+$")
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        match = pattern.match(entry.name)
        if not match or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            age = time.time() - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if not _alive(int(match.group(1))) or age > ABANDONED_AFTER:
            shutil.rmtree(entry.path, ignore_errors=True)


def _staging(target: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{STAGING}-{os.getpid()}-", dir=target.parent))


def _swap_in(staging: Path, target: Path) -> None:
    """Put `staging` at `target`, whatever another writer does meanwhile: exchange with
    the current result, or rename when there is none; if one appears between the two
    (another writer of the same name), try again."""
    for _ in range(100):
        if target.exists():
            if _exchange(staging, target):
                shutil.rmtree(staging, ignore_errors=True)  # now holds the previous result
                return
            old = _staging(target)
            try:
                os.rename(target, old / target.name)
            except FileNotFoundError:
                os.rmdir(old)
                continue  # another writer moved it away first
            try:
                os.rename(staging, target)
            finally:
                shutil.rmtree(old, ignore_errors=True)
            return
        try:
            os.rename(staging, target)
            return
        except OSError as error:
            if error.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    raise OSError(errno.EBUSY, "the result folder kept changing while it was written", str(target))


_WRITE_REASONS = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "a file is over the file size limit",
    errno.EROFS: "the output folder is on a read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "a part of the output path is a file, not a folder",
    errno.EEXIST: "a part of the output path is a file, not a folder",
    errno.ENAMETOOLONG: "the output path is too long",
}


def write_reason(error: OSError) -> str:
    return _WRITE_REASONS.get(error.errno) or (os.strerror(error.errno).lower() if error.errno else str(error))


def write_atomic(target: Path, files: dict[str, str | Path]) -> Path:
    """Write `files` into the folder `target`, all or nothing: name -> text, or the Path of a
    file to copy in (the source PDF, --copy-pdf). A failure of the file system (full disk,
    read-only, no permission) is a GuideError saying so; the earlier result stays."""
    target = Path(target)
    try:
        return _write(target, files)
    except OSError as error:
        raise GuideError(f"cannot write the result to {target}: {write_reason(error)}") from None


def _write(target: Path, files: dict[str, str | Path]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(target)
    staging = _staging(target)
    try:
        for name, content in files.items():
            if isinstance(content, Path):
                shutil.copyfile(content, staging / name)
                with (staging / name).open("rb") as handle:
                    os.fsync(handle.fileno())
                continue
            with (staging / name).open("w", encoding="utf-8", newline="") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(staging, 0o755)
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
