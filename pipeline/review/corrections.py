"""Stewards' corrections (docs/corrections.md): a TOML file of fixes keyed by practice id
and field path, each holding the value it replaces. A fix is applied only while the
extracted value still equals its `was`, so a new edition that changed the text under it
is flagged stale instead of silently overwritten."""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.values.totals import budget_total
from pipeline.warn import warning
from schemas import Guide, Practice, Warning

_REQUIRED = ("practice", "field", "was", "value")
_OPTIONAL = ("by", "note", "guide")
# Fields a steward may correct: what is read from the page, not what is derived from it.
CORRECTABLE = ("title", "summary", "institution", "location", "contacts", "websites", "period", "sections", "budgets", "metrics")
_PATH = re.compile(r"^[a-z_]+(\.([a-z_]+|\d+))*$")
_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*correction[ \t]*\]\]", re.M)
_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


class CorrectionsError(Exception):
    """A corrections file that cannot be used at all: a usage error naming the line."""


def load_corrections(path: Path) -> list[dict]:
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise CorrectionsError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CorrectionsError(f"{path}: not a file") from None
    except UnicodeDecodeError:
        raise CorrectionsError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise CorrectionsError(f"{path}: cannot be read ({error.strerror})") from None
    return parse_corrections(text, str(path))


def parse_corrections(text: str, name: str = "corrections") -> list[dict]:
    """Plain dicts (practice, field, was, value, by, note, guide, line), in file order."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _AT_LINE.search(message)
        if found:
            message = f"line {found.group(1)}, column {found.group(2)}: not valid TOML: {message[: found.start()]}"
        raise CorrectionsError(f"{name}: {message}") from None
    lines = [text[: m.start()].count("\n") + 1 for m in _HEADER.finditer(text)]
    for key in data:
        if key != "correction":
            raise CorrectionsError(f"{name}: line {_line_of(text, key)}: unknown key '{key}' (each fix is a [[correction]] table)")
    entries = data.get("correction", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CorrectionsError(f"{name}: line {_line_of(text, 'correction')}: 'correction' must be [[correction]] tables")
    out: list[dict] = []
    seen: dict[tuple, int] = {}
    for number, entry in enumerate(entries):
        line = lines[number] if number < len(lines) else _line_of(text, "correction")
        where = f"{name}: line {line}"
        for key in entry:
            if key not in _REQUIRED + _OPTIONAL:
                raise CorrectionsError(f"{where}: unknown key '{key}' (expected {', '.join(_REQUIRED + _OPTIONAL)})")
        for key in _REQUIRED:
            if key not in entry:
                raise CorrectionsError(f"{where}: the correction has no '{key}'")
        for key in ("practice", "field", *_OPTIONAL):
            if key in entry and not isinstance(entry[key], str):
                raise CorrectionsError(f"{where}: '{key}' must be a string")
        for key in ("was", "value"):
            if not isinstance(entry[key], (str, int, float, bool)):
                raise CorrectionsError(f"{where}: '{key}' must be a string, number or true/false")
        if not _PATH.match(entry["field"]):
            raise CorrectionsError(f"{where}: '{entry['field']}' is not a field path (e.g. institution, contacts.0.email)")
        identity = (entry.get("guide"), entry["practice"], entry["field"])
        if identity in seen:
            raise CorrectionsError(f"{where}: repeats the correction of '{entry['field']}' of '{entry['practice']}' at line {seen[identity]}")
        seen[identity] = line
        out.append({"practice": entry["practice"], "field": entry["field"], "was": entry["was"], "value": entry["value"],
                    "by": entry.get("by"), "note": entry.get("note"), "guide": entry.get("guide"), "line": line})
    return out


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^[ \t]*\[*[ \t]*{re.escape(key)}\b", text, re.M)
    return text[: match.start()].count("\n") + 1 if match else 1


def _steps(path: str) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in path.split(".")]


def _get(data: dict, path: str) -> Any:
    """The value at a field path; LookupError when the practice has no such single value."""
    steps = _steps(path)
    if steps[0] not in CORRECTABLE:
        raise LookupError(f"'{steps[0]}' is not a field that can be corrected")
    node: Any = data
    for step in steps:
        if isinstance(node, dict) and isinstance(step, str) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            raise LookupError(f"the practice has no '{path}'")
    if isinstance(node, (dict, list)):
        raise LookupError(f"'{path}' is not a single value; name one inside it (e.g. {path}.0)")
    return node


def _set(data: dict, path: str, value: Any) -> None:
    *parents, last = _steps(path)
    node: Any = data
    for step in parents:
        node = node[step]
    node[last] = value


def provenance_key(path: str) -> str:
    """The provenance entry a field path was read at ('budgets.1.amount' -> 'budgets[1]')."""
    steps = _steps(path)
    if steps[0] in ("budgets", "metrics") and len(steps) > 1:
        return f"{steps[0]}[{steps[1]}]"
    if steps[0] == "sections" and len(steps) > 1:
        return f"sections.{steps[1]}"
    return str(steps[0])


# The case the contract gives these fields, so a `was` copied from the printed page matches.
_LOWER = ("email",)
_UPPER = ("country_code", "currency")


def normalised(field: str, was: Any) -> Any:
    leaf = field.rsplit(".", 1)[-1]
    if isinstance(was, str) and leaf in _LOWER:
        return was.strip().lower()
    if isinstance(was, str) and leaf in _UPPER:
        return was.strip().upper()
    return was


def matches(was: Any, current: Any) -> bool:
    """`was` against the extracted value: strings exactly, numbers as numbers, an empty
    string for a value that was not found."""
    if current is None:
        return was == ""
    if isinstance(current, bool) or isinstance(was, bool):
        return isinstance(current, bool) and isinstance(was, bool) and current == was
    if isinstance(current, (int, float)):
        return isinstance(was, (int, float)) and float(was) == float(current)
    return isinstance(was, str) and was == current


def _show(value: Any) -> str:
    return "nothing" if value is None else repr(value)


def _apply_one(data: dict, entry: dict, practice_warnings: list[dict], page: int | None) -> dict:
    current = _get(data, entry["field"])
    field = entry["field"]
    if not matches(normalised(field, entry["was"]), current):
        practice_warnings.append(warning(
            "correction_stale",
            f"The correction of '{field}' (line {entry['line']}) was made for {_show(None if entry['was'] == '' else entry['was'])}; "
            f"the guide now reads {_show(current)}. It was not applied: check it and update its 'was'.",
            page, field,
        ))
        return data
    if entry["value"] == "":
        practice_warnings.append(warning(
            "correction_invalid", f"The correction of '{field}' (line {entry['line']}) has an empty value; it was not applied.", page, field,
        ))
        return data
    candidate = copy.deepcopy(data)
    _set(candidate, field, entry["value"])
    if field.startswith("budgets."):  # the total is counted from the amounts as they now are
        candidate["budget_total"] = budget_total(candidate["budgets"])
    candidate["corrections"] = [*candidate.get("corrections", []), {
        "field": field, "was": current, "value": entry["value"], "by": entry.get("by"), "note": entry.get("note"),
    }]
    for span in candidate["provenance"].get(provenance_key(field), []):
        span["corrected"] = True
    try:
        checked = Practice.model_validate(candidate)
    except ValidationError as error:
        reason = "; ".join(e["msg"] for e in error.errors())
        practice_warnings.append(warning(
            "correction_invalid",
            f"The correction of '{field}' (line {entry['line']}) to {_show(entry['value'])} is not a valid value ({reason}); it was not applied.",
            page, field,
        ))
        return data
    return checked.model_dump(mode="json")


def apply_corrections(guide: Guide, entries: list[dict]) -> Guide:
    """The guide with every matching correction applied and a warning for each that was
    stale, invalid or about something the guide does not have."""
    names = {guide.source.file, Path(guide.source.file).stem}
    mine = [e for e in entries if e.get("guide") in (None, *names)]
    if not mine:
        return guide
    index = {p.id: i for i, p in enumerate(guide.practices)}
    practices = list(guide.practices)
    found: list[dict] = []
    for entry in mine:
        if entry["practice"] not in index:
            found.append(warning("correction_unknown", f"The correction at line {entry['line']} is for practice '{entry['practice']}', which this guide does not have.", field=entry["field"]))
            continue
        position = index[entry["practice"]]
        practice = practices[position]
        page = practice.pages[0] if practice.pages else None
        data = practice.model_dump(mode="json")
        extra: list[dict] = []
        try:
            data = _apply_one(data, entry, extra, page)
        except LookupError as error:
            found.append({**warning("correction_unknown", f"The correction at line {entry['line']} cannot be applied: {error}.", page, entry["field"]), "practice": practice.id})
            continue
        data["warnings"] = [*data["warnings"], *({**w, "practice": practice.id} for w in extra)]
        practices[position] = Practice.model_validate(data)
    return guide.model_copy(update={
        "practices": practices, "warnings": [*guide.warnings, *(Warning.model_validate(w) for w in found)],
    })


def correction_counts(guide: Guide) -> dict[str, int] | None:
    """How the corrections of a run fared on this guide, from what the guide records
    (applied ones in each practice's `corrections`, the rest as warnings); None when no
    correction concerned it."""
    codes = [w.code for p in guide.practices for w in p.warnings] + [w.code for w in guide.warnings]
    counts = {
        "applied": sum(len(p.corrections) for p in guide.practices),
        "stale": codes.count("correction_stale"),
        "unknown": codes.count("correction_unknown"),
        "invalid": codes.count("correction_invalid"),
    }
    return counts if any(counts.values()) else None
