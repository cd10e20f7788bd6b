"""Italic from the image: the slant of a word's strokes.

Tesseract's LSTM models report no font style, and a scan has no font names, so a
tagline set in italic at the body's size looks like body text to the layout. Italic type
leans its upright strokes by 10-15 degrees (an oblique sans by about 12, tan 0.21); the
page is deskewed before this is measured, so upright type leans by a degree or less.
The lean is found as the shear that makes the word's ink columns sharpest: sheared by
its own slant, every stem falls into a few pixel columns, so the column profile's sum of
squares is largest there."""

from __future__ import annotations

import numpy as np

_SHEARS = np.arange(-0.1, 0.41, 0.05)  # candidate leans (tangent: x shift per pixel of height)
ITALIC = 0.125  # a lean this far right (tan, about 7 degrees) and over is italic
UPRIGHT = 0.075  # this far and under is upright; in between, unknown
_MIN_INK = 40  # pixels of ink a word needs to be measured


def slant(ink: np.ndarray, box: tuple[int, int, int, int], baseline: float) -> float | None:
    """The lean of the ink in `box` (x0, top, x1, bottom, pixels) as the tangent of its
    stems' angle from upright (positive leaning right, as italic does); None when the box
    holds too little ink to tell."""
    x0, top, x1, bottom = box
    crop = ink[max(top, 0):bottom, max(x0, 0):x1]
    ys, xs = np.nonzero(crop)
    if len(xs) < _MIN_INK:
        return None
    # height above the baseline: a stem leaning right is further right the higher it is
    rise = (baseline - max(top, 0)) - ys
    best, best_score = None, -1.0
    for shear in _SHEARS:
        columns = np.rint(xs - shear * rise).astype(np.int64)
        counts = np.bincount(columns - columns.min())
        score = float(np.dot(counts, counts))
        if score > best_score:
            best, best_score = float(shear), score
    return best


def italic(lean: float | None) -> bool | None:
    if lean is None:
        return None
    if lean >= ITALIC:
        return True
    if lean <= UPRIGHT:
        return False
    return None


_MEASURED = 5  # letters a word needs for its own verdict; a shorter one ('ways', 'of') takes its line's


def line_italics(ink: np.ndarray, line: dict) -> list[bool | None]:
    """Italic (True), upright (False) or unknown (None) for each word of an OCR line
    (hOCR's shape: page pixels, `baseline` as slope and offset from the box's bottom).
    A short word has too few stems to tell, and a diagonal letter ('w', 'v') leans
    whatever the style: it takes the verdict of its line's longer words when two thirds
    of their characters agree."""
    x_left, bottom = line["bbox"][0], line["bbox"][3]
    slope, offset = (line["baseline"] + [0.0, 0.0])[:2]
    own: list[bool | None] = []
    for word in line["words"]:
        text = word["text"].strip()
        if sum(ch.isalnum() for ch in text) < _MEASURED:
            own.append(None)
            continue
        x0, _, x1, _ = word["bbox"]
        baseline = bottom + offset + slope * ((x0 + x1) / 2 - x_left)
        own.append(italic(slant(ink, tuple(int(v) for v in word["bbox"]), baseline)))
    chars = {True: 0, False: 0}
    for word, verdict in zip(line["words"], own):
        if verdict is not None:
            chars[verdict] += len(word["text"].strip())
    measured = chars[True] + chars[False]
    common = None
    if measured:
        leaning = chars[True] >= chars[False]
        if chars[leaning] * 3 >= 2 * measured:
            common = leaning
    return [common if verdict is None and sum(ch.isalnum() for ch in w["text"]) < _MEASURED else verdict for w, verdict in zip(line["words"], own)]
