"""Compare two extraction results (two editions of a guide): practices added, removed,
renamed, and every field that changed."""

from __future__ import annotations

import difflib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline import strict_json
from pipeline.terminal import printable

IGNORED = {"warnings", "checks"}  # derived from the rest, not read from the page
# Where things sit rather than what they say: boxes, pages, numbering, positions. A new
# edition that only moves a practice changes all of these; listed with --all only.
LAYOUT = {"provenance", "title_provenance", "pages", "page", "bbox", "number", "position", "positions", "ocr_pages"}


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


def changes(old: Any, new: Any, path: str = "", layout: bool = False) -> list[dict]:
    """Field paths whose values differ ('sections.about', 'contacts[0].email'); each
    marked `layout` when it is where something sits (boxes, pages, numbering), not what
    was read. With `layout` false those are left out."""
    found = _changes(old, new, path)
    return found if layout else [c for c in found if not c["layout"]]


def _is_layout(path: str) -> bool:
    keys = {part.split("[")[0] for part in path.split(".")}
    return bool(keys & LAYOUT)


def _changes(old: Any, new: Any, path: str) -> list[dict]:
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new)):
            if key in IGNORED:
                continue
            out.extend(_changes(old.get(key), new.get(key), f"{path}.{key}" if path else key))
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new) and any(isinstance(v, dict) for v in old):
        return [c for i, (a, b) in enumerate(zip(old, new)) for c in _changes(a, b, f"{path}[{i}]")]
    return [] if old == new else [{"field": path, "old": old, "new": new, "layout": _is_layout(path)}]


def _identity(practice: dict) -> tuple:
    emails = tuple(sorted(c.get("email") or "" for c in practice.get("contacts", [])))
    return ((practice.get("institution") or "").lower(), emails)


def _warning_key(warning: Any) -> str:
    return json.dumps(warning, sort_keys=True, ensure_ascii=False)


def _guide_warnings(old: dict, new: dict) -> dict:
    """Guide-level warnings that appeared or went (a new `correction_unknown`, a check)."""
    before = Counter(_warning_key(w) for w in old.get("warnings") or [] if isinstance(w, dict))
    after = Counter(_warning_key(w) for w in new.get("warnings") or [] if isinstance(w, dict))
    return {
        "added": [json.loads(k) for k in (after - before).elements()],
        "removed": [json.loads(k) for k in (before - after).elements()],
    }


def diff_guides(old: dict, new: dict, layout: bool = False) -> dict:
    """What changed between two results. Layout-only changes (where things sit: boxes,
    pages, numbering) are counted but listed only with `layout`."""
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
    hidden = 0
    for old_id, new_id in pairs:
        every = changes(old_by_id[old_id], new_by_id[new_id], layout=True)
        fields = [_public(c) for c in every if layout or not c["layout"]]
        hidden += len(every) - len(fields)
        if fields:
            changed.append({"old": old_id, "new": new_id, "fields": fields})
    every = changes(
        {k: v for k, v in old.items() if k not in ("practices", "warnings")},
        {k: v for k, v in new.items() if k not in ("practices", "warnings")}, layout=True,
    )
    guide_level = [_public(c) for c in every if layout or not c["layout"]]
    hidden += len(every) - len(guide_level)
    warnings = _guide_warnings(old, new)
    summary = {
        "practices_added": len(added), "practices_removed": len(removed), "practices_renamed": len(renamed),
        "practices_changed": len(changed), "fields_changed": sum(len(c["fields"]) for c in changed) + len(guide_level),
        "guide_warnings_added": len(warnings["added"]), "guide_warnings_removed": len(warnings["removed"]),
        "layout_changes_hidden": hidden,
    }
    return {
        "equal": not (added or removed or renamed or changed or guide_level or warnings["added"] or warnings["removed"]),
        "guide": guide_level,
        "guide_warnings": warnings,
        "added": [{"id": i, "title": new_by_id[i]["title"]} for i in added],
        "removed": [{"id": i, "title": old_by_id[i]["title"]} for i in removed],
        "renamed": renamed,
        "changed": changed,
        "summary": summary,
    }


def _public(change: dict) -> dict:
    return {k: v for k, v in change.items() if k != "layout"}


SHORT = 60  # characters: a value this long or shorter is shown whole, old -> new
CONTEXT = 4  # words kept on each side of a change in a long text


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _shown(value: Any) -> str:
    return printable(json.dumps(value, ensure_ascii=False))


def word_diff(old: str, new: str) -> list[str]:
    """The changes of a long text, word by word: one line per changed stretch, with a few
    words of context, removed words as [-...-] and added ones as {+...+} (wdiff's marks).
    Every word is shown with escapes (it comes from a PDF)."""
    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    lines = []
    for group in matcher.get_grouped_opcodes(CONTEXT):
        parts = []
        first, last = group[0], group[-1]
        if first[1] > 0:
            parts.append("…")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                parts.extend(printable(w) for w in a[i1:i2])
                continue
            if i2 > i1:
                parts.append("[-" + " ".join(printable(w) for w in a[i1:i2]) + "-]")
            if j2 > j1:
                parts.append("{+" + " ".join(printable(w) for w in b[j1:j2]) + "+}")
        if last[2] < len(a):
            parts.append("…")
        lines.append(" ".join(parts))
    if not lines:  # the same words, spaced or broken differently
        lines.append("(only spacing or line breaks changed)")
    return lines


def _change_lines(change: dict, indent: str) -> list[str]:
    old, new = change["old"], change["new"]
    field = printable(change["field"])
    if old is None or new is None or max(len(_text(old)), len(_text(new))) <= SHORT:
        return [f"{indent}{field}: {_shown(old)} -> {_shown(new)}"]
    return [f"{indent}{field}:", *(f"{indent}  {line}" for line in word_diff(_text(old), _text(new)))]


def summary_line(summary: dict) -> str:
    line = (
        f"summary: practices {summary['practices_added']} added, {summary['practices_removed']} removed, "
        f"{summary['practices_renamed']} renamed, {summary['practices_changed']} changed; "
        f"{summary['fields_changed']} fields changed; guide warnings {summary['guide_warnings_added']} added, "
        f"{summary['guide_warnings_removed']} removed"
    )
    if summary["layout_changes_hidden"]:
        line += f"; {summary['layout_changes_hidden']} layout-only changes not shown (--all)"
    return line


def as_text(result: dict) -> str:
    if result["equal"]:
        hidden = result["summary"]["layout_changes_hidden"]
        return "no differences\n" if not hidden else f"no differences ({hidden} layout-only changes not shown: --all)\n"
    lines = [line for c in result["guide"] for line in _change_lines({**c, "field": f"guide {c['field']}"}, "")]
    # ids, titles, codes and messages come from the files compared: shown with escapes
    lines += [f"+ warning {printable(w.get('code'))}: {printable(w.get('message'))}" for w in result["guide_warnings"]["added"]]
    lines += [f"- warning {printable(w.get('code'))}: {printable(w.get('message'))}" for w in result["guide_warnings"]["removed"]]
    lines += [f"+ added   {printable(p['id'])}: {printable(p['title'])}" for p in result["added"]]
    lines += [f"- removed {printable(p['id'])}: {printable(p['title'])}" for p in result["removed"]]
    lines += [f"~ renamed {printable(r['old'])} -> {printable(r['new'])} (matched by {r['matched_by']})" for r in result["renamed"]]
    for practice in result["changed"]:
        name = practice["new"] if practice["old"] == practice["new"] else f"{practice['old']} -> {practice['new']}"
        lines.append(f"* changed {printable(name)}:")
        lines += [line for c in practice["fields"] for line in _change_lines(c, "    ")]
    lines.append(summary_line(result["summary"]))
    return "\n".join(lines) + "\n"
