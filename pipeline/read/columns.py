"""Cut a page image at its gutters, before OCR.

Tesseract's own layout analysis sometimes joins a sidebar label and a display-size title
standing at the same height into one text line, and then reads both at the title's scale
(garbage for the small text). Each part of a band of the page that a gutter runs down is
given to Tesseract on its own (`reading_blocks`), so that cannot happen across it: a
sidebar beside the text under a title set across both, or columns from top to bottom."""

from __future__ import annotations

import numpy as np

# Inches of white, top to bottom, that make a gutter. A browser's two-column print set
# its columns 0.28 inch apart, and read as one block a theme's heading in one column was
# read joined to the lines beside it ('form of 2. Dig ital In novation'); a word
# processor's default gutter is 0.5. Narrower, at 0.15, the white beside a list's
# bullets and inside a fact grid (a value's indent) would be cut.
_GUTTER = 0.2
_SPECKS = 3  # ink pixels a gutter column may hold (dust that survived the median filter)


# A gutter down part of a page only: a sidebar beside the text under a full-width title.
_STRIP_GAP = 0.1  # inches of white across a column that part two strips of it
_BAND = 1.5  # inches a part-height gutter must run down to be cut at: a sidebar, not a fact grid's rows


# A speck inside a gutter: a corner of a fact panel that lightening the panel left dark
# (6-16 px at 300 dpi, measured on a 200 dpi office scan), or the paper's dust beside it,
# standing in white a gutter's width. A letter's stem is taller than this.
_SPECK_WIDE = 0.06  # inches
_SPECK_AREA = 0.05 ** 2  # square inches of ink
_SPECK_TALL = 0.04  # inches: its longest unbroken run of inked rows (a letter's stem is taller)
# white on one side of it, more than a word space: the gutter it stands in
_SPECK_APART = 0.1  # inches


def _gutters(profile: np.ndarray, dpi: int, ink: np.ndarray | None = None) -> list[tuple[int, int]]:
    """[a, b) runs of empty columns at least a gutter wide, between inked ones. With the
    band's `ink`, a narrow, short run of a speck's ink with white a word space wide or
    more on one side (after the specks beside it are cleared) is empty too: two corners
    of a panel left on the edge of the gutter beside it had hidden that gutter, and the
    panel's lines were read joined to the text across it ('MieraO og SNL' for
    'Mazowieckie, Poland'). The first and last inked runs bound what is measured."""
    inked = np.nonzero(profile > _SPECKS)[0]
    if len(inked) == 0:
        return []
    first, last = int(inked[0]), int(inked[-1])
    empty = profile[first : last + 1] <= _SPECKS
    if ink is not None:
        _clear_specks(empty, profile[first : last + 1], ink[:, first : last + 1], dpi)
    empty = np.append(empty, False)
    out, start = [], None
    for offset, is_empty in enumerate(empty):
        if is_empty and start is None:
            start = offset
        elif not is_empty and start is not None:
            if offset - start >= _GUTTER * dpi:
                out.append((first + start, first + offset))
            start = None
    return out


def _clear_specks(empty: np.ndarray, profile: np.ndarray, ink: np.ndarray, dpi: int) -> None:
    """Mark the specks of `empty`'s inked runs empty, in place (see _gutters)."""
    specks = []
    runs = _inked_runs(empty)
    for k, (a, b) in enumerate(runs):
        if 0 < k < len(runs) - 1 and b - a <= _SPECK_WIDE * dpi and profile[a:b].sum() <= _SPECK_AREA * dpi * dpi \
                and _longest_run(ink[:, a:b].any(axis=1)) <= _SPECK_TALL * dpi:
            specks.append((a, b))
    changed = True
    while changed:  # a speck beside a cleared one may now stand in the gutter's white
        changed = False
        for a, b in specks:
            if empty[a:b].all():
                continue
            before = np.flatnonzero(~empty[:a])
            after = np.flatnonzero(~empty[b:])
            white_before = a - (before[-1] + 1) if len(before) else 0
            white_after = after[0] if len(after) else 0
            if max(white_before, white_after) >= _SPECK_APART * dpi:
                empty[a:b] = True
                changed = True


def _longest_run(rows: np.ndarray) -> int:
    """The longest stretch of True in a 1-d boolean array."""
    padded = np.concatenate(([False], rows, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return int((edges[1::2] - edges[::2]).max()) if len(edges) else 0


def _inked_runs(empty: np.ndarray) -> list[tuple[int, int]]:
    """[a, b) runs of False in `empty`."""
    padded = np.concatenate(([True], empty, [True])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def _strips(ink: np.ndarray, dpi: int) -> list[tuple[int, int]]:
    """[top, bottom) row spans of ink separated by white across the whole width."""
    rows = np.append(ink.sum(axis=1) > _SPECKS, False)
    out, start, blank = [], None, 0
    for y, inked in enumerate(rows):
        if inked:
            if start is None:
                start = y
            blank = 0
        elif start is not None:
            blank += 1
            if blank >= _STRIP_GAP * dpi or y == len(rows) - 1:
                out.append((start, y - blank + 1))
                start, blank = None, 0
    return out


def band_blocks(ink: np.ndarray, dpi: int) -> list[tuple[int, int, int, int]]:
    """(x0, top, x1, bottom) boxes of one column (`ink` is its pixels) that Tesseract must
    read apart: the parts of each band of the page where a gutter runs down at least
    `_BAND` inches though not down the whole page (a sidebar beside the text, under a
    title set across both). Tesseract's layout analysis joins a sidebar's lines with the
    text beside them where the two are set at different line pitches, and reads both
    wrong ('EO VIALabie Regional Innovation Platform is'); read apart, each is plain text.
    Empty when the column has no such band."""
    out: list[tuple[int, int, int, int]] = []
    strips = _strips(ink, dpi)
    i = 0
    while i < len(strips):
        top, bottom = strips[i]
        gutters = _gutters(ink[top:bottom].sum(axis=0), dpi, ink[top:bottom])
        j = i + 1
        while gutters and j < len(strips):  # the band runs on while its gutter holds
            wider = _gutters(ink[top : strips[j][1]].sum(axis=0), dpi, ink[top : strips[j][1]])
            if not wider:
                break
            gutters, bottom, j = wider, strips[j][1], j + 1
        if gutters and bottom - top >= _BAND * dpi:
            whole = ink[top:bottom].sum(axis=0)
            cuts = [int(min(range(a, b), key=lambda x: (whole[x], abs(x - (a + b) / 2)))) for a, b in gutters]
            edges = [0, *cuts, ink.shape[1]]
            out.extend((edges[k], top, edges[k + 1], bottom) for k in range(len(edges) - 1))
            i = j
        else:
            # too short a band gives its strips back: the next may open a band of its own (a
            # running head's gap joined the strip of a title beside a column, and the two
            # were too short together; the title's strip and the column under it are not)
            i += 1
    return out


Box = tuple[int, int, int, int]


def reading_blocks(ink: np.ndarray, dpi: int, depth: int = 2) -> list[tuple[Box, list[Box]]]:
    """What Tesseract reads of one column (`ink` its pixels), as (box, holes): each box
    read on its own with its holes painted white. The column whole with its bands as
    holes, then each band's parts, looked into again (a band of the whole height, as a
    photocopy's dark edge makes, may hold the sidebar's band inside it)."""
    height, width = ink.shape
    parts = band_blocks(ink, dpi) if depth > 0 else []
    if not parts:
        return [((0, 0, width, height), [])]
    rest = ink.copy()
    for x0, top, x1, bottom in parts:
        rest[top:bottom, x0:x1] = False
    out: list[tuple[Box, list[Box]]] = [((0, 0, width, height), parts)] if rest.sum() > _MIN_INK else []
    for x0, top, x1, bottom in parts:
        for (a, b, c, d), holes in reading_blocks(ink[top:bottom, x0:x1], dpi, depth - 1):
            out.append(((a + x0, b + top, c + x0, d + top), [(h0 + x0, h1 + top, h2 + x0, h3 + top) for h0, h1, h2, h3 in holes]))
    return out


_MIN_INK = 50  # ink pixels a block needs to be worth a Tesseract run
