"""Stewards' corrections (docs/corrections.md): a TOML file of fixes keyed by practice id
and field path, each holding the value it replaces. A fix is applied only while the
extracted value still equals its `was`, so a new edition that changed the text under it
is flagged stale instead of silently overwritten."""

from __future__ import annotations

import copy
import functools
import hashlib
import math
import re
from collections import defaultdict
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.values.totals import budget_total
from pipeline.warn import warning
from schemas import Guide, Practice, Warning

_REQUIRED = ("practice", "field", "was", "value")
_OPTIONAL = ("by", "note", "guide")
# Fields a steward may correct: what is read from the page, not what is derived from it
# (docs/corrections.md lists the same paths; N is a list index from 0). Derived fields
# (currency_from_context, scale, quantity, organisations, ...) follow from these.
CORRECTABLE = ("title", "summary", "institution", "location", "contacts", "websites", "period", "sections", "budgets", "metrics")
CORRECTABLE_PATHS = (
    "title", "summary", "institution", "location.raw|country|country_code", "contacts.N.name|organisation|email",
    "websites.N", "period.raw|start|end|ongoing", "sections.about|resources|evidence|challenges|transfer",
    "budgets.N.amount|currency|raw|role|qualifier", "metrics.N.value|unit|raw|qualifier",
)
_PATH = re.compile(r"^[a-z_]+(\.([a-z_]+|\d+))*$")


def _path_pattern(spec: str) -> str:
    return r"\.".join(r"\d+" if part == "N" else f"(?:{part})" for part in spec.split("."))


_CORRECTABLE_PATH = re.compile("^(?:" + "|".join(_path_pattern(spec) for spec in CORRECTABLE_PATHS) + ")$")
_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*correction[ \t]*\]\]", re.M)
_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


class CorrectionsError(Exception):
    """A corrections file that cannot be used at all: a usage error naming the line."""


def file_sha256(path: Path) -> str:
    """The identity of a corrections file: a run passes its path and this, never its
    entries (tens of thousands of them would not fit in a Prefect task's parameters)."""
    return hashlib.sha256(_read_bytes(Path(path))).hexdigest()


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CorrectionsError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CorrectionsError(f"{path}: not a file") from None
    except OSError as error:
        raise CorrectionsError(f"{path}: cannot be read ({error.strerror})") from None


def read_checked(path: str, sha256: str) -> str:
    """The text of the file the run checked; CorrectionsError if it changed since."""
    data = _read_bytes(Path(path))
    if hashlib.sha256(data).hexdigest() != sha256:
        raise CorrectionsError(f"{path}: the corrections file changed during the run; run again")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise CorrectionsError(f"{path}: not UTF-8 text") from None


@functools.lru_cache(maxsize=4)
def entries_of(text: str, name: str, sha256: str) -> tuple[dict, ...]:
    """The entries of a checked file's text, parsed once per process however many guides
    apply them (`sha256` makes the cache's key cheap to compare)."""
    return tuple(parse_corrections(text, name))


@functools.lru_cache(maxsize=4)
def load_checked(path: str, sha256: str) -> tuple[dict, ...]:
    """The entries of the file the run checked, read once per process however many guides
    apply them; CorrectionsError if the file changed since."""
    entries = load_corrections(Path(path))
    if file_sha256(Path(path)) != sha256:
        raise CorrectionsError(f"{path}: the corrections file changed during the run; run again")
    return tuple(entries)


def load_corrections(path: Path) -> list[dict]:
    path = Path(path)
    try:
        text = _read_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise CorrectionsError(f"{path}: not UTF-8 text") from None
    return parse_corrections(text, str(path))


def parse_corrections(text: str, name: str = "corrections") -> list[dict]:
    """Plain dicts (practice, field, was, value, by, note, guide, line), in file order."""
    try:
        data = tomllib.loads(text)
    except RecursionError:  # tomllib recurses once per level of nested arrays or tables
        raise CorrectionsError(f"{name}: nested too deeply (a corrections file is a list of [[correction]] tables)") from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _AT_LINE.search(message)
        if found:
            message = f"line {found.group(1)}, column {found.group(2)}: not valid TOML: {message[: found.start()]}"
        raise CorrectionsError(f"{name}: {message}") from None
    lines = _header_lines(text)
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
            # TOML has nan and inf; JSON and the CSVs have no way to write them
            if isinstance(entry[key], float) and not math.isfinite(entry[key]):
                raise CorrectionsError(f"{where}: '{key}' is {entry[key]}, not a finite number")
        if not _PATH.match(entry["field"]):
            raise CorrectionsError(f"{where}: '{entry['field']}' is not a field path (e.g. institution, contacts.0.email)")
        if not _CORRECTABLE_PATH.match(entry["field"]):
            raise CorrectionsError(f"{where}: '{entry['field']}' cannot be corrected (docs/corrections.md lists the fields that can)")
        identity = (entry.get("guide"), entry["practice"], entry["field"])
        if identity in seen:
            raise CorrectionsError(f"{where}: repeats the correction of '{entry['field']}' of '{entry['practice']}' at line {seen[identity]}")
        seen[identity] = line
        out.append({"practice": entry["practice"], "field": entry["field"], "was": entry["was"], "value": entry["value"],
                    "by": entry.get("by"), "note": entry.get("note"), "guide": entry.get("guide"), "line": line})
    return out


def _header_lines(text: str) -> list[int]:
    """The line of each [[correction]] header, counted in one pass over the text."""
    out, line, at = [], 1, 0
    for match in _HEADER.finditer(text):
        line += text.count("\n", at, match.start())
        at = match.start()
        out.append(line)
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
    if not _CORRECTABLE_PATH.match(path):  # a derived value (budgets.0.currency_from_context)
        raise LookupError(f"'{path}' is not a field that can be corrected")
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


def _refusal(entry: dict, current: Any) -> tuple[str, str] | None:
    """(code, message) when the entry is not to be applied to a field holding `current`."""
    field = entry["field"]
    if not matches(normalised(field, entry["was"]), current):
        return "correction_stale", (
            f"The correction of '{field}' (line {entry['line']}) was made for {_show(None if entry['was'] == '' else entry['was'])}; "
            f"the guide now reads {_show(current)}. It was not applied: check it and update its 'was'."
        )
    if entry["value"] == "":
        return "correction_invalid", f"The correction of '{field}' (line {entry['line']}) has an empty value; it was not applied."
    return None


def _with(data: dict, applied: list[tuple[dict, Any]]) -> dict:
    """A copy of the practice's data with the (entry, value it replaces) corrections made."""
    candidate = copy.deepcopy(data)
    for entry, current in applied:
        _set(candidate, entry["field"], entry["value"])
        candidate["corrections"] = [*candidate.get("corrections", []), {
            "field": entry["field"], "was": current, "value": entry["value"], "by": entry.get("by"), "note": entry.get("note"),
        }]
        for span in candidate["provenance"].get(provenance_key(entry["field"]), []):
            span["corrected"] = True
    if any(entry["field"].startswith("budgets.") for entry, _ in applied):  # the total is counted from the amounts as they now are
        candidate["budget_total"] = budget_total(candidate["budgets"])
    return candidate


def _invalid(entry: dict, error: ValidationError) -> tuple[str, str]:
    reason = "; ".join(e["msg"] for e in error.errors())
    return "correction_invalid", (
        f"The correction of '{entry['field']}' (line {entry['line']}) to {_show(entry['value'])} is not a valid value ({reason}); it was not applied."
    )


def _blamed(error: ValidationError, applied: list[tuple[dict, Any]]) -> list[int]:
    """The corrections an error could come from: its location and the field path, one a
    prefix of the other ('websites' is checked as a whole list)."""
    out = []
    for k, (entry, _) in enumerate(applied):
        steps = tuple(_steps(entry["field"]))
        for problem in error.errors():
            loc = tuple(problem["loc"])
            if loc[: len(steps)] == steps or steps[: len(loc)] == loc and loc:
                out.append(k)
                break
    return out


def _apply_to_practice(practice: Practice, entries: list[tuple[int, dict]]) -> tuple[Practice, list[tuple[int, dict]]]:
    """The practice with its corrections made, and (order, guide warning) for those that
    name no value of it. All valid corrections are validated together, once: a file of
    thousands of corrections costs one validation per practice, not one per correction;
    only a correction an error points to is validated alone, to be refused by itself."""
    data = practice.model_dump(mode="json")
    page = practice.pages[0] if practice.pages else None
    unknown: list[tuple[int, dict]] = []
    refused: list[tuple[int, tuple[str, str, str]]] = []  # (order, (code, message, field))
    applied: list[tuple[dict, Any]] = []
    order: dict[int, int] = {}
    for at, entry in entries:
        try:
            current = _get(data, entry["field"])
        except LookupError as error:
            unknown.append((at, {**warning("correction_unknown", f"The correction at line {entry['line']} cannot be applied: {error}.", page, entry["field"]), "practice": practice.id}))
            continue
        refusal = _refusal(entry, current)
        if refusal is not None:
            refused.append((at, (*refusal, entry["field"])))
            continue
        order[id(entry)] = at
        applied.append((entry, current))
    checked = practice
    while applied:
        try:
            checked = Practice.model_validate(_with(data, applied))
            break
        except ValidationError as error:
            suspects = _blamed(error, applied) or list(range(len(applied)))
        keep = set(range(len(applied)))
        for k in suspects:
            entry = applied[k][0]
            try:
                Practice.model_validate(_with(data, [applied[k]]))
            except ValidationError as alone:
                refused.append((order[id(entry)], (*_invalid(entry, alone), entry["field"])))
                keep.discard(k)
        if len(keep) == len(applied):  # valid one by one, not together: the last one goes
            entry = applied[-1][0]
            refused.append((order[id(entry)], ("correction_invalid", f"The correction of '{entry['field']}' (line {entry['line']}) to {_show(entry['value'])} does not fit with the practice's other corrections; it was not applied.", entry["field"])))
            keep.discard(len(applied) - 1)
        applied = [applied[k] for k in sorted(keep)]
    if not refused:
        return checked, unknown
    data = checked.model_dump(mode="json")
    data["warnings"] = [*data["warnings"], *({**warning(code, message, page, field), "practice": practice.id} for _, (code, message, field) in sorted(refused, key=lambda r: r[0]))]
    return Practice.model_validate(data), unknown


def apply_corrections(guide: Guide, entries: list[dict]) -> Guide:
    """The guide with every matching correction applied and a warning for each that was
    stale, invalid or about something the guide does not have. Entries are grouped by
    practice first, so the cost grows with the number of entries, not entries x practices."""
    names = {guide.source.file, Path(guide.source.file).stem}
    mine = [e for e in entries if e.get("guide") in (None, *names)]
    if not mine:
        return guide
    index = {p.id: i for i, p in enumerate(guide.practices)}
    groups: dict[int, list[tuple[int, dict]]] = defaultdict(list)
    found: list[tuple[int, dict]] = []
    for at, entry in enumerate(mine):
        if entry["practice"] not in index:
            found.append((at, warning("correction_unknown", f"The correction at line {entry['line']} is for practice '{entry['practice']}', which this guide does not have.", field=entry["field"])))
        else:
            groups[index[entry["practice"]]].append((at, entry))
    practices = list(guide.practices)
    for position, group in groups.items():
        practices[position], unknown = _apply_to_practice(practices[position], group)
        found.extend(unknown)
    found.sort(key=lambda item: item[0])
    return guide.model_copy(update={
        "practices": practices, "warnings": [*guide.warnings, *(Warning.model_validate(w) for _, w in found)],
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
