"""Ruled tables as structure: the page's own rules and shaded cells, read by pdfplumber's
table finder ("lines" strategy, Camelot's lattice), give each table's cell boxes.

The finder is asked only on pages that carry enough ruling lines or filled rectangles
to draw a table (`_has_rules`): most pages of most guides have none, and asking costs
time on every page.
"""

from __future__ import annotations

from pipeline.model import Box

_EDGE = 1.0  # points from the page's edge
_MIN_RULES = 4  # lines or boxes a table needs at the least
_CAPTION = 0.04  # share of the page height a lone header box stays under (two lines)
_TALL = 0.25  # share of the page height no row of a table reaches
_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def _has_rules(page) -> bool:
    """Enough ruling lines and boxes inside the page to draw a table: two rows of rules
    and two of columns, or two cell boxes with their fills. Page backgrounds, bleed
    panels and tall frames do not count, nor do curves (logos, drawings), so a designer's
    page with a coloured panel and a rule under its title is not handed to the finder."""
    width, height = float(page.width), float(page.height)
    rules = 0
    for kind in ("line", "rect"):
        for obj in page.objects.get(kind, ()):
            inside = obj["x0"] > _EDGE and obj["top"] > _EDGE and obj["x1"] < width - _EDGE and obj["bottom"] < height - _EDGE
            if inside and obj["bottom"] - obj["top"] < _TALL * height:
                rules += 1
                if rules >= _MIN_RULES:
                    return True
    return False


def page_tables(page) -> list[list[list[Box | None]]]:
    """Rows of cell boxes (None where a merged cell spans the column) of each ruled table
    with a row of two cells or more (a frame round one block of text, a panel, is no
    table; one row may be: the part of a table a page break carried over), and, as a
    table of one cell, a box one or two lines tall standing alone (a table's header row
    that a page break left at a page foot)."""
    if not _has_rules(page):
        return []
    finder = page.debug_tablefinder(_SETTINGS)  # its tables, and the cells of none
    return accepted_tables(finder.tables, finder.cells, float(page.width), float(page.height))


def accepted_tables(tables, cells, width: float, height: float) -> list[list[list[Box | None]]]:
    """The tables and lone header boxes `page_tables` keeps of pdfplumber's finder's
    `tables` (its Table objects) and `cells` (every cell box it found), on a page
    `width` x `height` points: shared by the text layer and the rules found on a scan
    (rules.py), so both keep the same tables."""
    out = []
    in_tables: set[tuple] = set()
    for table in tables:
        rows = [[tuple(round(v, 2) for v in cell) if cell else None for cell in row.cells] for row in table.rows]
        in_tables.update(table.cells)
        if any(sum(cell is not None for cell in row) >= 2 for row in rows) and _drawn_table(width, height, table.bbox, rows):
            out.append(rows)
    for cell in cells:
        box = tuple(round(v, 2) for v in cell)
        if cell not in in_tables and box[3] - box[1] < _CAPTION * height and _drawn_table(width, height, box, [[box]]):
            out.append([[box]])
    return out


def _drawn_table(width: float, height: float, bbox, rows) -> bool:
    """A table sits inside the page with rows of text height: coloured backgrounds and
    bleed panels that touch the page's edge, or boxes a quarter of the page tall, only
    look like cells to the finder."""
    x0, top, x1, bottom = bbox
    if x0 <= _EDGE or top <= _EDGE or x1 >= width - _EDGE or bottom >= height - _EDGE:
        return False
    return all(cell[3] - cell[1] < _TALL * height for row in rows for cell in row if cell)
