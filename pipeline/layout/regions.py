"""Stage 2: page geometry. Drop furniture, cut each page into regions (sidebar panel,
title band, text columns) by whitespace, and order lines for reading.

The cut is a recursive XY-cut: a vertical gutter that runs through a whole region splits
it into side-by-side parts; otherwise the region is sliced at horizontal gaps, and
neighbouring slices that share a gutter (the two columns under a full-width title) are
put back together before being cut again. Gaps are measured in multiples of the page's
body type size, so the same rules hold for any page size or type scale.
"""

from __future__ import annotations

from bisect import bisect_left
from operator import attrgetter
from typing import NamedTuple

from pipeline.layout.furniture import find_furniture
from pipeline.layout.tables import place_tables, table_cells
from pipeline.model import Line, PageLayout, PageText, Word, dominant_size

_GUTTER = 1.8  # minimum column gutter, in body-size units
_SLICE = 0.5  # minimum horizontal gap between slices, in body-size units
_TAIL_GAP = 1.3  # a one-sided slice joins the columns above it only if this close
_TOP_LEFT = attrgetter("top", "x0")
_LEFT = attrgetter("x0")
_TOP = attrgetter("top")


def layout_pages(pages: list[PageText]) -> list[PageLayout]:
    furniture = find_furniture(pages)
    return [layout_page(page, furniture.get(page.number, set())) for page in pages]


def layout_page(page: PageText, furniture_ids: set[int]) -> PageLayout:
    content = [w for i, w in enumerate(page.words) if i not in furniture_ids]
    furniture_words = [w for i, w in enumerate(page.words) if i in furniture_ids]
    size = dominant_size(content) or 10.0
    content, cells = table_cells(page, content)
    regions = []
    for group in xy_cut(content, size):
        lines = make_lines(page.number, group)
        regions.extend(place_tables(page.number, lines, cells))
    return PageLayout(
        number=page.number,
        width=page.width,
        height=page.height,
        body_size=size,
        regions=regions,
        furniture=make_lines(page.number, furniture_words),
        links=page.links,
    )


def make_lines(page: int, words: list[Word]) -> list[Line]:
    """Group words whose vertical middles fall inside one another's extent."""
    lines: list[list[Word]] = []
    extents: list[list[float]] = []  # each line's [top, bottom], kept as words join it
    for word in sorted(words, key=_TOP_LEFT):
        middle = (word.top + word.bottom) / 2
        for k in range(len(lines) - 1, max(len(lines) - 4, -1), -1):
            extent = extents[k]
            if extent[0] <= middle <= extent[1] and not _overlaps_any(word, lines[k]):
                lines[k].append(word)
                if word.top < extent[0]:
                    extent[0] = word.top
                if word.bottom > extent[1]:
                    extent[1] = word.bottom
                break
        else:
            lines.append([word])
            extents.append([word.top, word.bottom])
    return [Line(page=page, words=sorted(line, key=_LEFT)) for line in lines]


# An OCR word's box is its ink widened by a side bearing each side (read/ocr.py,
# `_BEARING`, 0.1 of the size): two OCR words closer than two bearings overlap in their
# boxes, not in their ink (a contact's first name and surname 3 pixels apart at 300 dpi on
# a speckled scan overlapped by 1 pt and were made two lines, so the name was no person's)
_OCR_BEARINGS = 0.2
# Two OCR words of one row (tops and bottoms within `_ROW` of the size) are one line when
# their boxes overlap by less than `_ROW_OVERLAP` of the size: a speck beside a letter
# widens a box past its bearing (a title's first word lay 4.4 pt over the '-' after it,
# at 15.7 pt on a speckled 200 dpi scan, was made a line of its own, and the practice
# lost its title). A word of another line, a superscript or a line of a column
# set close, stands higher or lower; a word read twice overlaps by its whole width.
_ROW = 0.1
_ROW_OVERLAP = 0.4


def _overlaps_any(word: Word, line: list[Word]) -> bool:
    """Whether `word` lies over a word of `line` (then it is on another line: a
    superscript, a line of a narrow column set close); OCR's boxes overlap by their side
    bearings without their ink overlapping (also 'answers' and 'a' by 0.9 point at 9.3
    points: the line was cut there and its end read into the line above)."""
    return any(word.x0 < w.x1 - _slack(word, w) and w.x0 < word.x1 - _slack(word, w) for w in line)


def _slack(a: Word, b: Word) -> float:
    if a.conf is None or b.conf is None:
        return 0.5
    size = min(a.size, b.size)
    if abs(a.top - b.top) <= _ROW * size and abs(a.bottom - b.bottom) <= _ROW * size:
        return 0.5 + _ROW_OVERLAP * size
    return 0.5 + _OCR_BEARINGS * size


class _Extent(NamedTuple):
    """What the cut asks of a group of words, computed once per group: every word's
    (x0, x1) in order, the right edge, the top and the bottom."""

    spans: list[tuple[float, float]]
    hi: float
    top: float
    bottom: float


def _extent(words: list[Word]) -> _Extent:
    return _Extent(
        sorted([(w.x0, w.x1) for w in words]),
        max(w.x1 for w in words),
        min(w.top for w in words),
        max(w.bottom for w in words),
    )


def _joined(a: _Extent, b: _Extent) -> _Extent:
    return _Extent(sorted(a.spans + b.spans), max(a.hi, b.hi), min(a.top, b.top), max(a.bottom, b.bottom))


def _free_spans(extent: _Extent, lo: float, hi: float) -> list[tuple[float, float]]:
    """Horizontal intervals in [lo, hi] that no word covers."""
    spans = []
    cursor = lo
    for x0, x1 in extent.spans:
        if x0 > cursor:
            spans.append((cursor, x0))
        if x1 > cursor:  # max(), without a call per word
            cursor = x1
    if cursor < hi:
        spans.append((cursor, hi))
    return spans


def _gutters(extent: _Extent, min_gap: float) -> list[tuple[float, float]]:
    lo = extent.spans[0][0]
    hi = extent.hi
    return [(a, b) for a, b in _free_spans(extent, lo, hi) if b - a >= min_gap and lo < a and b < hi]


def _slices(words: list[Word], min_gap: float) -> list[list[Word]]:
    ordered = sorted(words, key=_TOP)
    groups: list[list[Word]] = [[ordered[0]]]
    bottom = ordered[0].bottom
    for word in ordered[1:]:
        if word.top - bottom >= min_gap:
            groups.append([word])
        else:
            groups[-1].append(word)
        if word.bottom > bottom:
            bottom = word.bottom
    return groups


def _continues_columns(
    group: _Extent, group_gutters: list[tuple[float, float]], piece: _Extent, piece_gutters: list[tuple[float, float]],
    size: float, lo: float, hi: float,
) -> bool:
    """Does `piece` continue the columns of `group`: the same gutter, or text on one side
    of it only (a column running on after its neighbour ended) close below? The gutters
    are each one's own, at the column gutter of `size`."""
    min_gap = _GUTTER * size
    gap_below = max(piece.top - group.bottom, group.top - piece.bottom)
    for a, b in group_gutters:
        for c, d in piece_gutters:
            if min(b, d) - max(a, c) >= min_gap / 2:
                return True
        if gap_below <= _TAIL_GAP * size:
            for c, d in _free_spans(piece, lo, hi):
                if min(b, d) - max(a, c) >= min_gap / 2:
                    return True
    return False


def xy_cut(words: list[Word], size: float) -> list[list[Word]]:
    if not words:
        return []
    extent = _extent(words)
    # a gutter is measured in the type it separates: the gaps of a justified display
    # heading are no columns
    gutter = _GUTTER * max(size, dominant_size(words))
    gutters = _gutters(extent, gutter)
    if gutters:
        cuts = [(a + b) / 2 for a, b in gutters]
        parts: list[list[Word]] = [[] for _ in range(len(cuts) + 1)]
        for w in words:
            # the cuts run left to right: the part is the number of cuts left of the middle
            parts[bisect_left(cuts, (w.x0 + w.x1) / 2)].append(w)
        return [region for part in parts if part for region in xy_cut(part, size)]
    slices = _slices(words, _SLICE * size)
    if len(slices) == 1:
        return [words]
    lo = extent.spans[0][0]
    hi = extent.hi
    # Each slice's extent and gutters once; a group's again only when a slice joins it.
    min_gap = _GUTTER * size
    extents = [_extent(piece) for piece in slices]
    gutters_of = [_gutters(e, min_gap) for e in extents]
    groups: list[list[Word]] = [slices[0]]
    group, group_gutters = extents[0], gutters_of[0]
    for piece, piece_extent, piece_gutters in zip(slices[1:], extents[1:], gutters_of[1:]):
        if _continues_columns(group, group_gutters, piece_extent, piece_gutters, size, lo, hi) or _continues_columns(
            piece_extent, piece_gutters, group, group_gutters, size, lo, hi
        ):
            groups[-1] = groups[-1] + piece
            group = _joined(group, piece_extent)
            group_gutters = _gutters(group, min_gap)
        else:
            groups.append(piece)
            group, group_gutters = piece_extent, piece_gutters
    if len(groups) == 1:
        # Slices only re-formed the whole: the gutter is not shared by all of them.
        groups = slices
    return [region for group in groups for region in xy_cut(group, size)]
