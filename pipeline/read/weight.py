"""Type weight from the image: how thick a word's strokes are, relative to its size.

A stroke of width w and length L covers w*L pixels and has about 2L of edge, so ink
area divided by half the edge length is the mean stroke width. Divided by the type size
it is a property of the face's weight, whatever the size: on the sample guide's scan
bold labels and headings mostly measure over 1.3 times the regular text (see BOLD)."""

from __future__ import annotations

import numpy as np


def stroke_ratio(ink: np.ndarray, box: tuple[int, int, int, int], size_px: float) -> float | None:
    """Mean stroke width over type size for the ink inside `box` (x0, top, x1, bottom, in
    pixels); None when the box holds too little ink to measure."""
    x0, top, x1, bottom = box
    crop = ink[max(top, 0):bottom, max(x0, 0):x1]
    if crop.size == 0 or size_px <= 0:
        return None
    area = int(crop.sum())
    if area < 30:
        return None
    edges = int(np.count_nonzero(crop[:, 1:] != crop[:, :-1])) + int(np.count_nonzero(crop[1:, :] != crop[:-1, :]))
    if edges == 0:
        return None
    return (2.0 * area / edges) / size_px


def weights(ratios: list[float | None], chars: list[int]) -> list[bool | None]:
    """Bold (True), regular (False) or unknown (None) per word, against the page's own
    regular text: the ratio carrying most characters is taken as regular, and a word is
    bold only when it is clearly thicker (and regular only when clearly not)."""
    known = [(r, n) for r, n in zip(ratios, chars) if r is not None and n >= 2]
    if len(known) < 20:
        return [None] * len(ratios)
    values = np.array([r for r, _ in known])
    counts = np.array([n for _, n in known], dtype=np.float64)
    order = np.argsort(values)
    cumulative = np.cumsum(counts[order]) / counts.sum()
    regular = float(values[order][np.searchsorted(cumulative, 0.5)])  # character-weighted median
    out: list[bool | None] = []
    for ratio, n in zip(ratios, chars):
        if ratio is None or n < 2:
            out.append(None)
        elif ratio >= regular * BOLD:
            out.append(True)
        elif ratio <= regular * REGULAR:
            out.append(False)
        else:
            out.append(None)
    return out


BOLD = 1.3  # a bold cut's strokes are 40-60% thicker than its regular's
REGULAR = 1.15
