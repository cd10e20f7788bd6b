"""Stage 2: page geometry. Drop furniture, cut each page into regions (sidebar panel,
title band, text columns) by whitespace, and order lines for reading.

The cut is a recursive XY-cut: a vertical gutter that runs through a whole region splits
it into side-by-side parts; otherwise the region is sliced at horizontal gaps, and
neighbouring slices that share a gutter (the two columns under a full-width title) are
put back together before being cut again. Gaps are measured in multiples of the page's
body type size, so the same rules hold for any page size or type scale.
"""

from __future__ import annotations


from pipeline.layout.furniture import find_furniture
from pipeline.layout.tables import place_tables, table_cells
from pipeline.model import Line, PageLayout, PageText, Region, Word, dominant_size

_GUTTER = 1.8  # minimum column gutter, in body-size units
_SLICE = 0.5  # minimum horizontal gap between slices, in body-size units
_TAIL_GAP = 1.3  # a one-sided slice joins the columns above it only if this close


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
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        middle = (word.top + word.bottom) / 2
        for line in reversed(lines[-3:]):
            top = min(w.top for w in line)
            bottom = max(w.bottom for w in line)
            if top <= middle <= bottom and not _overlaps_any(word, line):
                line.append(word)
                break
        else:
            lines.append([word])
    return [Line(page=page, words=sorted(line, key=lambda w: w.x0)) for line in lines]


def _overlaps_any(word: Word, line: list[Word]) -> bool:
    return any(word.x0 < w.x1 - 0.5 and w.x0 < word.x1 - 0.5 for w in line)


def _free_spans(words: list[Word], lo: float, hi: float) -> list[tuple[float, float]]:
    """Horizontal intervals in [lo, hi] that no word covers."""
    spans = []
    cursor = lo
    for x0, x1 in sorted((w.x0, w.x1) for w in words):
        if x0 > cursor:
            spans.append((cursor, x0))
        cursor = max(cursor, x1)
    if cursor < hi:
        spans.append((cursor, hi))
    return spans


def _gutters(words: list[Word], min_gap: float) -> list[tuple[float, float]]:
    lo = min(w.x0 for w in words)
    hi = max(w.x1 for w in words)
    return [(a, b) for a, b in _free_spans(words, lo, hi) if b - a >= min_gap and lo < a and b < hi]


def _slices(words: list[Word], min_gap: float) -> list[list[Word]]:
    ordered = sorted(words, key=lambda w: w.top)
    groups: list[list[Word]] = [[ordered[0]]]
    bottom = ordered[0].bottom
    for word in ordered[1:]:
        if word.top - bottom >= min_gap:
            groups.append([word])
        else:
            groups[-1].append(word)
        bottom = max(bottom, word.bottom)
    return groups


def _continues_columns(group: list[Word], piece: list[Word], size: float, lo: float, hi: float) -> bool:
    """Does `piece` continue the columns of `group`: the same gutter, or text on one side
    of it only (a column running on after its neighbour ended) close below?"""
    min_gap = _GUTTER * size
    gap_below = max(
        min(w.top for w in piece) - max(w.bottom for w in group),
        min(w.top for w in group) - max(w.bottom for w in piece),
    )
    for a, b in _gutters(group, min_gap):
        for c, d in _gutters(piece, min_gap):
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
    # a gutter is measured in the type it separates: the gaps of a justified display
    # heading are no columns
    gutter = _GUTTER * max(size, dominant_size(words))
    gutters = _gutters(words, gutter)
    if gutters:
        cuts = [(a + b) / 2 for a, b in gutters]
        parts: list[list[Word]] = [[] for _ in range(len(cuts) + 1)]
        for w in words:
            middle = (w.x0 + w.x1) / 2
            parts[sum(middle > c for c in cuts)].append(w)
        return [region for part in parts if part for region in xy_cut(part, size)]
    slices = _slices(words, _SLICE * size)
    if len(slices) == 1:
        return [words]
    lo = min(w.x0 for w in words)
    hi = max(w.x1 for w in words)
    groups: list[list[Word]] = [slices[0]]
    for piece in slices[1:]:
        if _continues_columns(groups[-1], piece, size, lo, hi) or _continues_columns(piece, groups[-1], size, lo, hi):
            groups[-1] = groups[-1] + piece
        else:
            groups.append(piece)
    if len(groups) == 1:
        # Slices only re-formed the whole: the gutter is not shared by all of them.
        groups = slices
    return [region for group in groups for region in xy_cut(group, size)]
