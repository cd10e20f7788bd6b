"""Cut a page image at the gutters that run down the whole page, before OCR.

Tesseract's own layout analysis sometimes joins a sidebar label and a display-size title
standing at the same height into one text line, and then reads both at the title's scale
(garbage for the small text). A sidebar or column separated from the rest by a gutter
from top to bottom is given to Tesseract on its own, so that cannot happen across it."""

from __future__ import annotations

import numpy as np

_BAND = 0.08  # running headers and footers may bridge a gutter: ignore this share at top and bottom
_GUTTER = 0.3  # inches of white, top to bottom, that make a gutter
_SPECKS = 3  # ink pixels a gutter column may hold (dust that survived the median filter)


def column_spans(ink: np.ndarray, dpi: int) -> list[tuple[int, int]]:
    """[x0, x1) pixel spans of the page's columns, left to right (the whole width when
    there is no gutter)."""
    height, width = ink.shape
    band = ink[int(height * _BAND) : int(height * (1 - _BAND))]
    profile = band.sum(axis=0)
    inked = np.nonzero(profile > _SPECKS)[0]
    if len(inked) == 0:
        return [(0, width)]
    first, last = int(inked[0]), int(inked[-1])
    empty = profile[first : last + 1] <= _SPECKS
    whole = ink.sum(axis=0)
    cuts: list[int] = []
    start = None
    for offset, is_empty in enumerate(np.append(empty, False)):
        if is_empty and start is None:
            start = offset
        elif not is_empty and start is not None:
            if offset - start >= _GUTTER * dpi:
                a, b = first + start, first + offset
                # cut where the full height (headers included) has least ink, nearest the middle
                middle = (a + b) / 2
                cuts.append(int(min(range(a, b), key=lambda x: (whole[x], abs(x - middle)))))
            start = None
    edges = [0, *cuts, width]
    return [(edges[i], edges[i + 1]) for i in range(len(edges) - 1)]
