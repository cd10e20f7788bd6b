"""Compare two extraction results (two editions of a guide): practices added, removed,
renamed, and every field that changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

IGNORED = {"provenance", "warnings", "title_provenance", "checks"}  # derived, not read from the page


class DiffError(Exception):
    """An input that is not an extraction result; the message says which and why."""


def load(path: Path) -> dict:
    path = Path(path)
    target = path / "guide.json" if path.is_dir() else path
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DiffError(f"{target}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DiffError(f"{target}: not a guide.json ({error.__class__.__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("practices"), list):
        raise DiffError(f"{target}: not a guide.json (no practices)")
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
    return text if len(text) <= width else text[: width - 1] + "…"


def as_text(result: dict) -> str:
    if result["equal"]:
        return "no differences\n"
    lines = [f"guide {c['field']}: {_short(c['old'])} -> {_short(c['new'])}" for c in result["guide"]]
    lines += [f"+ added   {p['id']}: {p['title']}" for p in result["added"]]
    lines += [f"- removed {p['id']}: {p['title']}" for p in result["removed"]]
    lines += [f"~ renamed {r['old']} -> {r['new']} (matched by {r['matched_by']})" for r in result["renamed"]]
    for practice in result["changed"]:
        name = practice["new"] if practice["old"] == practice["new"] else f"{practice['old']} -> {practice['new']}"
        lines.append(f"* changed {name}:")
        lines += [f"    {c['field']}: {_short(c['old'])} -> {_short(c['new'])}" for c in practice["fields"]]
    return "\n".join(lines) + "\n"
