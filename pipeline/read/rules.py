"""Ruled tables on a scanned page: the table's rules are only pixels there, so they are
found in the straightened page image and handed to pdfplumber's own table algorithm (the
one `tables.page_tables` runs on a text layer's ruling lines), which makes the cells.

A rule is a run of ink at least a few millimetres long and well under a millimetre thick.
Ink that is thick across the run's direction is not part of a rule: the strokes of
letters, bold headings, pictures, and cell shading dark enough to count as ink (light
shading is paper to the ink mask already) all fail that, so only lines stay. The rules
on the edges of the cells found are then wiped from the image (the paper's white), so
Tesseract does not read them as '|', 'I', '_' or '—' beside the words of the cells.
"""

from __future__ import annotations

import numpy as np
from pdfplumber.table import Table, cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
from PIL import Image

from pipeline.model import Box
from pipeline.read.tables import accepted_tables

_MM = 1 / 25.4  # inches
_THICK = 0.6 * _MM  # a rule is thinner than this (a 0.5-1.5 pt rule, blurred by the scan)
_LONG_H = 8 * _MM  # a table's horizontal rule spans a cell at the least
_LONG_V = 4 * _MM  # a vertical rule spans a row of one line at the least (13 pt and more), a letter's stem less (an 'l' at 12 pt: 3 mm)
_GAP = 0.8 * _MM  # a break in a horizontal rule that is still that rule (JPEG, toner drop-outs); where a letter touches it, it passes behind the letter (all ink), bridged whatever its width
_GAP_V = 0.4 * _MM  # in a vertical rule (a crossing rule): more would bridge a descender over a rule to the ascender under it
_PAPER = 0.1  # share of a horizontal rule's length that may be paper (see _solid)
_NEAR = 0.4 * _MM  # the letters of a word stand closer to each other than this
_BESIDE = 0.3  # share of a rule's length that may have ink that near (crossing rules, a word that touches)
_TOLERANCE = 3.0  # points: pdfplumber's default snap tolerance
_MEET = 2.0  # points: rules meet this near (the image's rules run through their crossings; 3, pdfplumber's default, let a letter's stem in a tight row meet both rules)
_ON_EDGE = 2.0  # points: a run this near a cell's edge is that edge's rule
_JOIN = 1.0  # points: pieces of one vertical rule touch (breaks at crossing rules are bridged already)


def _thick(ink: np.ndarray, across: int, limit: int) -> np.ndarray:
    """Ink pixels that lie in a run longer than `limit` pixels along axis `across`."""
    ink = np.moveaxis(ink, across, 0)
    n, size = ink.shape[0], limit + 1
    if n < size:
        return np.zeros_like(np.moveaxis(ink, 0, across))
    total = np.concatenate([np.zeros((1, *ink.shape[1:]), np.int32), np.cumsum(ink, axis=0, dtype=np.int32)])
    starts = (total[size:] - total[:-size]) == size  # `size` ink pixels in a row start here
    # a pixel is thick when such a window covers it: one starting at most size-1 before
    counted = np.concatenate([np.zeros((1, *ink.shape[1:]), np.int32), np.cumsum(starts, axis=0, dtype=np.int32)])
    j = np.arange(n)
    hits = counted[np.minimum(j, n - size) + 1] - counted[np.maximum(0, j - size + 1)]
    return np.moveaxis(hits > 0, 0, across)


def _runs(mask: np.ndarray, min_length: int, gap: int, behind: np.ndarray | None = None) -> np.ndarray:
    """(row, start, end) of each run of True along the rows of `mask`, runs apart by at
    most `gap` pixels joined, and runs whose gap is all True in `behind` (the rule passes
    behind a letter that touches it), at least `min_length` pixels long (an array of 3
    columns)."""
    step = np.diff(np.pad(mask, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    rows, starts = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)  # the same order: row by row, left to right
    if len(rows) == 0:
        return np.zeros((0, 3), int)
    new = np.ones(len(rows), bool)
    apart = starts[1:] - ends[:-1]
    if behind is not None:
        inked = np.concatenate([np.zeros((behind.shape[0], 1), np.int32), np.cumsum(behind, axis=1, dtype=np.int32)], axis=1)
        covered = inked[rows[1:], starts[1:]] - inked[rows[:-1], ends[:-1]] == apart
        apart = np.where(covered, 0, apart)
    new[1:] = (rows[1:] != rows[:-1]) | (apart > gap)
    first = np.nonzero(new)[0]
    joined = np.stack([rows[first], starts[first], np.maximum.reduceat(ends, first)], axis=1)
    return joined[joined[:, 2] - joined[:, 1] >= min_length]


def _rules(ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """(row, x0, x1) of the horizontal runs and (column, y0, y1) of the vertical runs of
    ink long and thin enough to be rules, in pixels. A skewed rule steps from row to row,
    in pieces that pdfplumber's snap and join make one edge again."""
    limit = max(2, round(_THICK * dpi))
    gap = max(1, round(_GAP * dpi))
    horizontal = _runs(ink & ~_thick(ink, 0, limit), round(_LONG_H * dpi), gap, ink)
    horizontal = horizontal[[_solid(ink, run) for run in horizontal.tolist()]].reshape(-1, 3)
    if len(horizontal) < 2:  # most pages: no table, and the vertical pass is not paid
        return horizontal, np.zeros((0, 3), int)
    vertical = _runs((ink & ~_thick(ink, 1, limit)).T, round(_LONG_V * dpi), max(1, round(_GAP_V * dpi)))
    return horizontal, vertical[[_alone(ink, run, limit, dpi) for run in vertical.tolist()]].reshape(-1, 3)


def _solid(ink: np.ndarray, run: list[int]) -> bool:
    """A horizontal run inked across nearly all its length (on its row or a row beside
    it): a rule, broken only where the scan dropped a pixel or two. The feet of a serif
    face's letters and the bottoms of their bowls make thin runs along the baseline
    too, bridged from letter to letter, but with paper between the letters (measured
    a sixth of the length and more, a rule's pieces a fiftieth at most): taken for
    rules they made a table row of every line of a cell and were wiped with the
    letters' feet ('kolbe' read 'kolhe')."""
    row, start, end = run
    inked = ink[max(0, row - 1) : row + 2, start:end].any(axis=0)
    return inked.mean() >= 1 - _PAPER


def _alone(ink: np.ndarray, run: list[int], limit: int, dpi: float) -> bool:
    """A vertical run with paper beside it: a rule keeps the cell's padding from the
    words, the stem of a letter (a 'j', or 'J' over 'J' in a cell) has the next letter
    beside it over much of its length."""
    column, top, bottom = run
    near = max(1, round(_NEAR * dpi))
    for x0, x1 in ((column - limit - near, column - limit), (column + limit + 1, column + limit + 1 + near)):
        side = ink[top:bottom, max(0, x0) : max(0, x1)]
        if side.size and side.any(axis=1).mean() > _BESIDE:
            return False
    return True


def _edges(horizontal: np.ndarray, vertical: np.ndarray, dpi: float) -> list[dict]:
    """Runs as pdfplumber edges in PDF points (72/dpi a pixel, as the words)."""
    scale = 72.0 / dpi
    edges = []
    for row, start, end in horizontal.tolist():
        y, x0, x1 = (row + 0.5) * scale, start * scale, end * scale
        edges.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0, "orientation": "h"})
    for column, start, end in vertical.tolist():
        x, top, bottom = (column + 0.5) * scale, start * scale, end * scale
        edges.append({"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top, "orientation": "v"})
    return edges


def _tables(edges: list[dict], width: float, height: float) -> list[list[list[Box | None]]]:
    if sum(e["orientation"] == "h" for e in edges) < 2 or sum(e["orientation"] == "v" for e in edges) < 2:
        return []
    # snap like the text layer's finder, but join only what touches: letter stems stacked
    # in a cell (J over J) are a short rule each, and must not be joined into a long one
    edges = merge_edges(edges, _TOLERANCE, _TOLERANCE, _TOLERANCE, _JOIN)
    cells = intersections_to_cells(edges_to_intersections(edges, _MEET, _MEET))
    tables = [Table(None, group) for group in cells_to_tables(cells)]
    return accepted_tables(tables, cells, width, height)


def _letters_on(band: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """The pixels of the horizontal rules' `band` that belong to a letter standing on the
    rule or crossing it: in each column, the band's ink under ink that goes on above it
    (or over ink that goes on below it). A cell's text often sits on its bottom rule (a
    word processor's tight padding): wiping the whole band took the foot of every letter
    that touched it, and the bowl of a 'b' without its foot is an 'h'."""
    rows = np.flatnonzero(band.any(axis=1))
    kept = np.zeros_like(band)
    for order in (rows, rows[::-1]):  # from above, then from below
        step = 1 if order is rows else -1
        for r in order.tolist():
            r0 = r - step
            if not 0 <= r0 < band.shape[0]:
                continue
            outside = ink[r0] & ~band[r0]
            kept[r] |= band[r] & ink[r] & (outside | kept[r0])
    return kept


def scan_tables(image: Image.Image, ink: np.ndarray, dpi: float, width: float, height: float
                ) -> tuple[Image.Image, np.ndarray, list[list[list[Box | None]]]]:
    """The ruled tables of a page image (`ink` its ink mask, at `dpi`) as
    `PageText.tables` (rows of cell boxes in PDF points, kept by the same rules as a
    text layer's), and the image and mask with the rules of those tables turned to
    paper, so that Tesseract reads the cells' words without the rules beside them."""
    horizontal, vertical = _rules(ink, dpi)
    tables = _tables(_edges(horizontal, vertical, dpi), width, height)
    if not tables:
        return image, ink, []
    # wipe the runs that lie on the cells' edges only: a letter's stem (a 'j') inside a
    # cell may be a long thin run too, and must stay
    pad, px = _ON_EDGE * dpi / 72.0, dpi / 72.0
    cells = [c for t in tables for row in t for c in row if c]
    xs = np.array(sorted({v for c in cells for v in (c[0], c[2])})) * px
    ys = np.array(sorted({v for c in cells for v in (c[1], c[3])})) * px
    across, down = np.zeros_like(ink), np.zeros_like(ink)
    for runs, target, on in ((horizontal, across, ys), (vertical, down.T, xs)):
        for line, start, end in runs.tolist():
            if np.abs(on - line).min() <= pad:
                target[max(0, line - 1) : line + 2, start:end] = True  # and the blurred rim beside it
    rules = (across & ~_letters_on(across, ink & ~down)) | down
    pixels = np.array(image)
    pixels[rules] = 255
    return Image.fromarray(pixels), ink & ~rules, tables
