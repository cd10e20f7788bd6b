"""Compare two extraction results (two editions of a guide): practices added, removed,
renamed, and every field that changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline import strict_json
from pipeline.terminal import printable

IGNORED = {"provenance", "warnings", "title_provenance", "checks"}  # derived, not read from the page


class DiffError(Exception):
    """An input that is not an extraction result; the message says which and why."""


MAX_DEPTH = strict_json.MAX_DEPTH  # the comparison recurses


def load(path: Path) -> dict:
    path = Path(path)
    target = path / "guide.json" if path.is_dir() else path
    try:
        data = strict_json.loads(target.read_text(encoding="utf-8"), MAX_DEPTH)
    except FileNotFoundError:
        raise DiffError(f"{target}: no such file") from None
    except strict_json.JSONRefused as error:  # deep nesting, NaN, numbers out of range
        raise DiffError(f"{target}: not a guide.json ({error})") from None
    except UnicodeDecodeError:
        raise DiffError(f"{target}: not a guide.json (not UTF-8 text)") from None
    except json.JSONDecodeError as error:
        raise DiffError(f"{target}: not a guide.json (invalid JSON at line {error.lineno}, column {error.colno}: {error.msg})") from None
    except OSError as error:
        raise DiffError(f"{target}: cannot be read ({(error.strerror or type(error).__name__).lower()})") from None
    if not isinstance(data, dict) or not isinstance(data.get("practices"), list):
        raise DiffError(f"{target}: not a guide.json (no practices)")
    for number, practice in enumerate(data["practices"], 1):
        if not isinstance(practice, dict) or not isinstance(practice.get("id"), str) or not isinstance(practice.get("title"), str):
            raise DiffError(f"{target}: not a guide.json (practice {number} has no text id and title)")
        for key in ("contacts",):
            if not isinstance(practice.get(key, []), list) or not all(isinstance(c, dict) for c in practice.get(key, [])):
                raise DiffError(f"{target}: not a guide.json (practice {number}: {key} is not a list of objects)")
    return data


def changes(old: Any, new: Any, path: str = "") -> list[dict]:
    """Field paths whose values differ ('sections.about', 'contacts[0].email')."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new)):
            if key in IGNORED:
                continue
            out.extend(changes(old.get(key), new.get(key), f"{path}.{key}" if path else key))
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new) and any(isinstance(v, dict) for v in old):
        return [c for i, (a, b) in enumerate(zip(old, new)) for c in changes(a, b, f"{path}[{i}]")]
    return [] if old == new else [{"field": path, "old": old, "new": new}]


def _identity(practice: dict) -> tuple:
    emails = tuple(sorted(c.get("email") or "" for c in practice.get("contacts", [])))
    return ((practice.get("institution") or "").lower(), emails)


def diff_guides(old: dict, new: dict) -> dict:
    old_by_id = {p["id"]: p for p in old["practices"]}
    new_by_id = {p["id"]: p for p in new["practices"]}
    pairs = [(i, i) for i in old_by_id if i in new_by_id]
    removed = [i for i in old_by_id if i not in new_by_id]
    added = [i for i in new_by_id if i not in old_by_id]
    renamed = []
    for old_id in list(removed):
        identity = _identity(old_by_id[old_id])
        match = [n for n in added if _identity(new_by_id[n]) == identity and identity != ("", ())]
        if len(match) == 1:
            removed.remove(old_id)
            added.remove(match[0])
            pairs.append((old_id, match[0]))
            renamed.append({"old": old_id, "new": match[0], "matched_by": "institution and contact"})
    for old_id, new_id in pairs:
        if old_id == new_id and old_by_id[old_id]["title"] != new_by_id[new_id]["title"]:
            renamed.append({"old": old_id, "new": new_id, "matched_by": "id"})
    changed = []
    for old_id, new_id in pairs:
        fields = changes(old_by_id[old_id], new_by_id[new_id])
        if fields:
            changed.append({"old": old_id, "new": new_id, "fields": fields})
    guide_level = changes(
        {k: v for k, v in old.items() if k != "practices"}, {k: v for k, v in new.items() if k != "practices"}
    )
    return {
        "equal": not (added or removed or renamed or changed or guide_level),
        "guide": guide_level,
        "added": [{"id": i, "title": new_by_id[i]["title"]} for i in added],
        "removed": [{"id": i, "title": old_by_id[i]["title"]} for i in removed],
        "renamed": renamed,
        "changed": changed,
    }


def _short(value: Any, width: int = 90) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return printable(text if len(text) <= width else text[: width - 1] + "…")


def as_text(result: dict) -> str:
    if result["equal"]:
        return "no differences\n"
    lines = [f"guide {printable(c['field'])}: {_short(c['old'])} -> {_short(c['new'])}" for c in result["guide"]]
    # ids, titles and field names come from the files compared: shown with escapes
    lines += [f"+ added   {printable(p['id'])}: {printable(p['title'])}" for p in result["added"]]
    lines += [f"- removed {printable(p['id'])}: {printable(p['title'])}" for p in result["removed"]]
    lines += [f"~ renamed {printable(r['old'])} -> {printable(r['new'])} (matched by {r['matched_by']})" for r in result["renamed"]]
    for practice in result["changed"]:
        name = practice["new"] if practice["old"] == practice["new"] else f"{practice['old']} -> {practice['new']}"
        lines.append(f"* changed {printable(name)}:")
        lines += [f"    {printable(c['field'])}: {_short(c['old'])} -> {_short(c['new'])}" for c in practice["fields"]]
    return "\n".join(lines) + "\n"
