"""Fact tables: a ruled two-column table whose left cells name fact fields.

The table is structure first and vocabulary second (as docling reads key-value items):
a label cell needs no bold, colon or capitals, since the rules already say it is a label.
The left cell of a row is the label, the next cell to its right the value. A label is
mapped by the vocabulary, else by its key word, else by what its value is (a URL, an
e-mail address, a date range, a place); a row whose label names no contract field is a
fact the card keeps under its printed label. A table becomes a fact table only when at
least two of its labels name a field, so a data table in a narrative stays text.

A row with an empty label cell continues the value above it: a row that a page break
split, or a value spread over two rows.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.cards.labels import Label, keyword_field, value_field
from pipeline.cards.vocabulary import label_field
from pipeline.model import PageLayout

OTHER = "other:"  # field prefix of a row whose label names no contract field
CONTINUED = ""  # field of a value cell without a label: it continues the value above
_MAX_LABEL_WORDS = 6
_MIN_NAMED = 2


def is_other(field: str) -> bool:
    return field == CONTINUED or field.startswith(OTHER)


def table_labels(page: PageLayout, carried: bool = False) -> tuple[list[Label], set[int]]:
    """The labels of the page's fact tables, and the regions those tables cover.
    `carried`: the card's text before this page ended in a fact table, so a table at the
    top of this page may be its rest even if no row of it names a field."""
    by_table: dict[int, dict[int, list[tuple[int, int]]]] = {}
    for r, region in enumerate(page.regions):
        if region.cell is not None:
            t, row, col = region.cell
            by_table.setdefault(t, {}).setdefault(row, []).append((col, r))
    labels: list[Label] = []
    covered: set[int] = set()
    for rows in by_table.values():
        found = _fact_rows(page, rows)
        named = sum(not is_other(lab.field) for lab in found)
        # the rest of a fact table that a page break cut: it opens with a value cell
        # whose label is on the page before
        two_columns = all(len(cells) <= 2 for cells in rows.values())
        goes_on = bool(found) and found[0].field == CONTINUED and two_columns
        # a fact table cut between two rows: the part at the foot or top of a page
        cut = (named >= 1 or carried) and two_columns and _at_page_edge(page, rows)
        if named >= _MIN_NAMED or goes_on or cut:
            labels.extend(found)
            covered.update(r for cells in rows.values() for _, r in cells)
    return labels, covered


def _at_page_edge(page: PageLayout, rows: dict[int, list[tuple[int, int]]]) -> bool:
    """Nothing on the page stands below the table, or nothing above it."""
    mine = {r for cells in rows.values() for _, r in cells}
    top = min(page.regions[r].bbox[1] for r in mine)
    bottom = max(page.regions[r].bbox[3] for r in mine)
    others = [region.bbox for r, region in enumerate(page.regions) if r not in mine]
    return all(box[1] < top for box in others) or all(box[3] > bottom for box in others)


def _fact_rows(page: PageLayout, rows: dict[int, list[tuple[int, int]]]) -> list[Label]:
    out: list[Label] = []
    header: list[tuple[int, int]] = []  # lines of rows above the first label (a 'Key facts' header)
    for row in sorted(rows):
        cells = sorted(rows[row])
        if len(cells) == 1 and cells[0][0] > 0:
            # only a value cell: it continues the value above
            r = cells[0][1]
            lines = page.regions[r].lines
            out.append(Label(r, 0, CONTINUED, lines[0], [], values=(), owned=tuple((r, i) for i in range(len(lines)))))
            continue
        if len(cells) < 2:
            header.extend((cells[0][1], i) for i in range(len(page.regions[cells[0][1]].lines)))
            continue
        (_, left), (_, right) = cells[0], cells[1]
        label_lines = page.regions[left].lines
        printed = " ".join(ln.text for ln in label_lines).strip()
        if len(printed.split()) > _MAX_LABEL_WORDS:
            return []  # a table of prose, not of facts
        value_lines = page.regions[right].lines
        field = label_field(printed)
        unknown = None if field else printed
        field = field or keyword_field(printed)
        owned = tuple((left, i) for i in range(1, len(label_lines))) + tuple(header)
        header = []
        out.append(Label(left, 0, field, label_lines[0], [], unknown=unknown, values=tuple((right, i) for i in range(len(value_lines))), owned=owned))
    # a label named by no word of its own is judged by its value, unless another row's
    # label already names that field (a 'Funding source' naming a country is no location)
    named = {lab.field for lab in out if lab.field}
    for k, lab in enumerate(out):
        if lab.field is None:
            value = " ".join(page.regions[r].lines[i].text for r, i in lab.values)
            field = value_field(value)
            field = field if field and field not in named else OTHER + re.sub(r"\s+", " ", lab.unknown.rstrip(":"))
            out[k] = replace(lab, field=field)
    return out


def orphan_header(chunk: PageLayout, following: PageLayout | None) -> set[tuple[int, int]]:
    """(region, line) positions of a table's header row ('Key facts') that a page break
    left alone at the foot of the card's part of a page, when the card's next part opens
    with a table: it heads the fact box there, it is no text of the card."""
    if not chunk.regions or following is None or not following.regions or following.regions[0].cell is None:
        return set()
    last = chunk.regions[-1]
    alone = last.cell is not None and not any(
        region.cell is not None and region.cell[0] == last.cell[0] for region in chunk.regions[:-1]
    )
    if not alone or sum(len(line.words) for line in last.lines) > _MAX_LABEL_WORDS:
        return set()
    r = len(chunk.regions) - 1
    return {(r, i) for i in range(len(last.lines))}
