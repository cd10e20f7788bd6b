"""List bullets that OCR lost, found again in the ink left of a line.

Tesseract sometimes returns no word for a round bullet opening a list item, or a mark so
unsure that it is dropped as noise ('°' at 30): the item then runs into the one before it
and the list, and the section holding it, no longer read as printed. A bullet is a small
filled disc standing alone just left of the line's first word, centred about halfway up
the x-height; a period at the end of a line in the column to the left sits on the
baseline and is smaller, a dash is flat, a letter is neither round nor filled.
"""

from __future__ import annotations

import numpy as np

from pipeline.read.glyphs import _BULLET_READINGS, _runs

# In type sizes (ocr.line_size): how far left of the first word a bullet may stand (an
# indent's hanging bullet stands about one size before its text), the disc's diameter (a
# '•' is 0.3-0.4 of the size, a period 0.1-0.15) and its centre's height above the
# baseline (half an x-height: about a quarter of the size).
_REACH = 2.0
_SMALLEST = 0.2
_LARGEST = 0.55
_CENTRE = (0.12, 0.45)
_FILL = 0.6  # ink over the disc's box: a filled disc is pi/4, a ring or a letter far less
_CONF = 90.0  # the ink decided it: as sure as a clearly read word


def restored(ink: np.ndarray, line: dict, size: float, baseline: float) -> dict:
    """`line` (OCR's, in pixels of `ink`) with a '•' word opening it when a bullet's disc
    stands left of its first word and OCR read no word for it, or only a mark of the
    kind a bullet is misread as; else `line` unchanged."""
    words = line["words"]
    lead = next((k for k, w in enumerate(words) if any(ch.isalnum() for ch in w["text"])), None)
    if lead is None or any(w["text"].strip() not in _BULLET_READINGS | {"•"} for w in words[:lead]):
        return line  # a line of marks only, or one opening with another mark ('-', '(1)')
    x_end = int(words[lead]["bbox"][0]) - 1
    x_start = max(int(x_end - _REACH * size), 0)
    top, bottom = max(int(baseline - size), 0), int(baseline + 0.3 * size)
    window = ink[top:bottom, x_start:x_end]
    if window.size == 0 or not window.any():
        return line
    runs = _runs(window.any(axis=0))
    start, end = runs[-1]  # the glyph nearest the word
    rows = np.flatnonzero(window[:, start:end].any(axis=1))
    if rows[0] == 0 or rows[-1] == window.shape[0] - 1 or start == 0:
        return line  # cut by the window: part of something larger (a rule, a picture, a letter of another column)
    height, width = rows[-1] - rows[0] + 1, end - start
    fill = window[rows[0] : rows[-1] + 1, start:end].sum() / float(height * width)
    centre = (baseline - (top + (rows[0] + rows[-1]) / 2)) / size
    if not (
        _SMALLEST * size <= max(height, width) <= _LARGEST * size and min(height, width) >= 0.7 * max(height, width)
        and fill >= _FILL and _CENTRE[0] <= centre <= _CENTRE[1]
    ):
        return line
    box = [x_start + start, top + rows[0], x_start + end, top + rows[-1] + 1]
    bullet = {"text": "•", "bbox": box, "conf": max([_CONF, *(w["conf"] for w in words[:lead])])}
    return {**line, "words": [bullet, *words[lead:]]}
