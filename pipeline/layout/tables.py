"""Ruled tables in the reading order: each cell is a region of its own.

The whitespace cut cannot be trusted inside a table (a label and its value may stand a
word's gap apart, a long value may bridge the gutter between two columns), while the
table's rules say exactly where each cell is. So the words inside a table are taken out
before the cut; the table stands in the cut as one placeholder word the size of its box,
and where the placeholder lands its cells are put, row by row, left to right.
"""

from __future__ import annotations

from pipeline.model import Box, Line, PageText, Region, Word

_PLACEHOLDER = "\x00table"


def _inside(word: Word, box: Box) -> bool:
    middle_x, middle_y = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return box[0] <= middle_x <= box[2] and box[1] <= middle_y <= box[3]


def table_cells(page: PageText, words: list[Word]) -> tuple[list[Word], dict[int, list[tuple[tuple[int, int, int], list[Word]]]]]:
    """The words outside every table (plus one placeholder word per table with text), and
    per table the words of each cell: table -> [((table, row, column), words)]."""
    if not page.tables:
        return words, {}
    free = list(words)
    cells: dict[int, list[tuple[tuple[int, int, int], list[Word]]]] = {}
    for t, rows in enumerate(page.tables):
        found = []
        for r, row in enumerate(rows):
            for c, box in enumerate(row):
                if box is None:
                    continue
                inside = [w for w in free if _inside(w, box)]
                if inside:
                    found.append(((t, r, c), inside))
                    taken = {id(w) for w in inside}
                    free = [w for w in free if id(w) not in taken]
        if not found:
            continue
        cells[t] = found
        boxes = [box for row in rows for box in row if box]
        x0, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
        size = min(w.size for _, ws in found for w in ws)
        free.append(Word(text=f"{_PLACEHOLDER}{t}", x0=x0, top=top, x1=x1, bottom=bottom, size=size))
    return free, cells


def place_tables(page: int, lines: list[Line], cells: dict) -> list[Region]:
    """A region's lines, cut where a table's placeholder stands, with the table's cells
    (one region each) in its place."""
    from pipeline.layout.regions import make_lines  # the one way lines are made

    out: list[Region] = []
    pending: list[Line] = []
    for line in lines:
        marks = [w for w in line.words if w.text.startswith(_PLACEHOLDER)]
        if not marks:
            pending.append(line)
            continue
        rest = [w for w in line.words if not w.text.startswith(_PLACEHOLDER)]
        if rest:  # words beside the table on its row stay text (rare: a narrow table)
            pending.append(line.model_copy(update={"words": rest}))
        if pending:
            out.append(Region(page=page, lines=pending))
            pending = []
        for mark in marks:
            for cell, words in cells[int(mark.text[len(_PLACEHOLDER):])]:
                out.append(Region(page=page, lines=make_lines(page, words), cell=cell))
    if pending:
        out.append(Region(page=page, lines=pending))
    return out
