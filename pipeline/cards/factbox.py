"""The fact box of a card: each label's value, read cell by cell.

A value is what is printed on the label's line after it, or the lines under it in the same
region (a grid cell, a sidebar entry) down to the next label, or, in a label/value table,
the lines in the column to its right. The layout stage has already cut a grid into its
columns, so a row is never read across two cells.
"""

from __future__ import annotations

from pipeline.cards.labels import Label, is_label_like
from pipeline.cards.tables import CONTINUED
from pipeline.model import Field_, Line, PageLayout

_HEADING = 1.08  # a section heading is bold and at least this many times the body size
_NOTE = 0.85  # a value line this much smaller than its neighbours is a note (photo credit)


def _is_value_style(line: Line, label: Line, body: float) -> bool:
    return line.size <= max(label.size, body) + 0.5 and not (line.bold and line.size > body * _HEADING)


def collect_fields(page: PageLayout, labels: list[Label], lenient: bool = False, stacked=None) -> tuple[dict[str, list[Field_]], set[tuple[int, int]]]:
    """Each label's value lines, and the (region, line) positions they use. `stacked`
    (cards/stacked.py): the document's labels above values, where a value ends."""
    stops = stacked.labels if stacked is not None else set()
    continued = stacked.continued if stacked is not None else set()
    used: set[tuple[int, int]] = {(lab.region, lab.index) for lab in labels}
    used.update(pos for lab in labels for pos in lab.owned)
    label_at = {(lab.region, lab.index) for lab in labels}
    fields: dict[str, list[Field_]] = {}
    size = page.body_size
    last: str | None = None
    for lab in labels:
        if lab.values is not None:  # a fact table's row: its value cell, by the rules
            cell = [page.regions[r].lines[i] for r, i in lab.values]
            used.update(lab.values)
            if lab.field == CONTINUED:
                cell = [page.regions[r].lines[i] for r, i in lab.owned]
                if last is not None:  # the row above went on in this one
                    previous = fields[last][-1]
                    fields[last][-1] = previous.model_copy(update={"values": previous.values + cell})
                    continue
            fields.setdefault(lab.field, []).append(Field_(label=lab.line, values=cell))
            last = lab.field
            continue
        values: list[Line] = []
        if lab.inline:
            values.append(Line(page=page.number, words=lab.inline))
        region = page.regions[lab.region]
        j = lab.index + 1
        while j < len(region.lines) and (lab.region, j) not in label_at:
            if id(region.lines[j]) in continued and j == lab.index + 1:
                used.add((lab.region, j))  # the label's own second line
                j += 1
                continue
            if id(region.lines[j]) in stops:
                break
            if _is_value_style(region.lines[j], lab.line, size):
                values.append(region.lines[j])
                used.add((lab.region, j))
            j += 1
        ran_to_end = j == len(region.lines)
        r = lab.region + 1
        while ran_to_end and not lab.inline and r < len(page.regions):
            nxt = page.regions[r]
            below = nxt.lines[0].top - (values[-1] if values else lab.line).bottom
            aligned = abs(nxt.lines[0].x0 - lab.line.x0) < size / 2
            if not aligned or below > 1.2 * size or any((r, k) in label_at or id(ln) in stops for k, ln in enumerate(nxt.lines)):
                break
            if not all(_is_value_style(ln, lab.line, size) and not is_label_like(ln, lenient) for ln in nxt.lines):
                break
            values.extend(nxt.lines)
            used.update((r, k) for k in range(len(nxt.lines)))
            r += 1
        if not values:
            values = _table_values(page, lab, labels, used)
        notes: list[Line] = []
        if values:
            typical = max(v.size for v in values)
            notes = [v for v in values if v.size < _NOTE * typical]
            values = [v for v in values if v.size >= _NOTE * typical]
        fields.setdefault(lab.field, []).append(Field_(label=lab.line, values=values, notes=notes))
    return fields, used


def _table_values(page: PageLayout, lab: Label, labels: list[Label], used: set[tuple[int, int]]) -> list[Line]:
    """Values printed in a column to the right of the label (a label/value table)."""
    size = page.body_size
    below = [
        other.line.top
        for other in labels
        if other is not lab and other.line.top > lab.line.top + 1 and abs(other.line.x0 - lab.line.x0) < size
    ]
    limit = min(below, default=float("inf"))
    for r, region in enumerate(page.regions):
        for i, line in enumerate(region.lines):
            if line.x0 > lab.line.x1 and abs(line.top - lab.line.top) < size * 0.6 and (r, i) not in used:
                values = []
                last = None
                for k in range(i, len(region.lines)):
                    cand = region.lines[k]
                    if cand.top >= limit - size * 0.3 or (r, k) in used:
                        break
                    if last is not None and cand.top - last.bottom > 1.2 * size:
                        break
                    if not _is_value_style(cand, lab.line, size):
                        break
                    values.append(cand)
                    used.add((r, k))
                    last = cand
                return values
    return []
