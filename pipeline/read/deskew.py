"""Turn a scanned page straight. A flatbed scan is off by a degree or two, which is
enough to merge or split text lines; the angle is the one at which the rows of ink are
sharpest (the projection profile's variance is largest)."""

from __future__ import annotations

import numpy as np
from PIL import Image

MAX_ANGLE = 3.0  # degrees; a page turned further was not laid on the glass by accident
_COARSE = 0.2
_STRIPS = 4
_FINE = 0.025


def _score(strips: list[tuple[np.ndarray, np.ndarray]], angle: float) -> float:
    """Sum over vertical strips of the squared row counts: with the ink's total fixed it
    grows as rows sharpen. Strips are scored apart so that two columns whose lines are
    out of step cannot be brought into step by a wrong angle."""
    theta = np.deg2rad(angle)
    total = 0.0
    for ys, xs in strips:
        rows = np.round(ys * np.cos(theta) - xs * np.sin(theta)).astype(np.int64)
        profile = np.bincount(rows - rows.min()).astype(np.float64)
        total += float(np.dot(profile, profile))
    return total


def skew_angle(ink: np.ndarray) -> float:
    """Degrees to turn the page counter-clockwise (Pillow's sense) to make its lines level;
    0 when the page has too little ink to tell."""
    small = ink[::2, ::2]  # half the resolution is plenty to see rows of text
    ys, xs = np.nonzero(small)
    if len(ys) < 200:
        return 0.0
    width = small.shape[1]
    strips = []
    for k in range(_STRIPS):
        lo, hi = width * k / _STRIPS, width * (k + 1) / _STRIPS
        inside = (xs >= lo) & (xs < hi)
        if inside.sum() > 50:
            strips.append((ys[inside].astype(np.float64), xs[inside] - (lo + hi) / 2))

    def best(candidates) -> float:
        return max(candidates, key=lambda a: _score(strips, a))

    coarse = best(np.arange(-MAX_ANGLE, MAX_ANGLE + 1e-9, _COARSE))
    fine = best(np.arange(coarse - _COARSE, coarse + _COARSE + 1e-9, _FINE))
    return round(float(fine), 3) if abs(fine) >= _FINE else 0.0


def straighten(image: Image.Image, angle: float) -> Image.Image:
    """Turn about the centre, keeping the page's size (so page coordinates still hold
    up to the turn) and filling the corners with paper."""
    if not angle:
        return image
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
