"""Display-size numbers standing alone, which Tesseract's page layout analysis skips.

A theme's divider page or a chapter opening may set its number alone and very large (a
'1' 60 pt tall over the theme's title). Tesseract's layout analysis (`--psm 3`) takes a
lone glyph that size for a picture and reads nothing there, so the theme loses its
number. After the page is read, ink that no word covers is gathered into blobs; a blob
the size of display type (at least a quarter of an inch tall, not wider than a few
digits) is read again on its own as one line of text, and kept only when that reading
is a number of one or two digits (with a full stop), read with confidence.
"""

from __future__ import annotations

import re

import numpy as np
from PIL import Image

_CELL = 8  # ink is grouped into blobs on a grid this many pixels across (0.7 mm at 300 dpi)
_MIN_HEIGHT = 0.25  # inches: a glyph smaller than this is body or heading type OCR reads
_MAX_HEIGHT = 1.5  # inches: taller is a picture
_MAX_WIDTH = 1.6  # a blob at most this many times as wide as tall (two digits and a stop)
_MIN_FILL, _MAX_FILL = 0.08, 0.7  # share of a blob's box that is ink: strokes, not a block or a frame
_MIN_CONF = 60.0  # Tesseract's confidence (0-100) a lone number must be read with
_NUMBER = re.compile(r"^\d{1,2}\.?$")
_COVER = 0.1  # inches around a word read that its ink is taken to belong to


def _uncovered(ink: np.ndarray, lines: list[dict], dpi: float) -> np.ndarray:
    """The ink no word read covers (with a margin around each word)."""
    free = ink.copy()
    pad = int(_COVER * dpi)
    for line in lines:
        for word in line["words"]:
            x0, y0, x1, y1 = (int(v) for v in word["bbox"])
            free[max(y0 - pad, 0) : y1 + pad, max(x0 - pad, 0) : x1 + pad] = False
    return free


def lone_numbers(image: Image.Image, ink: np.ndarray, lines: list[dict], dpi: float, read) -> list[dict]:
    """Lines (in the shape `ocr._tesseract` gives them, page pixels) for the display-size
    numbers and the short lines of small type (`missed_lines`) that `lines` missed.
    `read(image)` runs Tesseract on one line of text."""
    free = _uncovered(ink, lines, dpi)
    blobs = _blobs(free)
    out = missed_lines(image, free, blobs, dpi, read)
    for x0, y0, x1, y1 in blobs:
        height, width = y1 - y0, x1 - x0
        if not (_MIN_HEIGHT * dpi <= height <= _MAX_HEIGHT * dpi and width <= _MAX_WIDTH * height):
            continue
        fill = free[y0:y1, x0:x1].mean()
        if not _MIN_FILL <= fill <= _MAX_FILL:
            continue
        margin = height // 3
        box = (max(x0 - margin, 0), max(y0 - margin, 0), min(x1 + margin, image.width), min(y1 + margin, image.height))
        for line in read(image.crop(box)):
            words = [w for w in line["words"] if w["text"].strip()]
            if len(words) == 1 and _NUMBER.match(words[0]["text"].strip()) and words[0]["conf"] >= _MIN_CONF:
                out.append(_moved(line, box[0], box[1]))
    return out


def _blobs(free: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, top, x1, bottom, pixels) of the groups of touching ink cells."""
    h, w = free.shape
    rows, cols = h // _CELL, w // _CELL
    cells = free[: rows * _CELL, : cols * _CELL].reshape(rows, _CELL, cols, _CELL).any(axis=(1, 3))
    seen = np.zeros_like(cells)
    boxes = []
    for start in zip(*np.nonzero(cells)):
        if seen[start]:
            continue
        seen[start] = True
        stack, top, left, bottom, right = [start], start[0], start[1], start[0], start[1]
        while stack:
            r, c = stack.pop()
            top, bottom, left, right = min(top, r), max(bottom, r), min(left, c), max(right, c)
            for nr in (r - 1, r, r + 1):
                for nc in (c - 1, c, c + 1):
                    if 0 <= nr < rows and 0 <= nc < cols and cells[nr, nc] and not seen[nr, nc]:
                        seen[nr, nc] = True
                        stack.append((nr, nc))
        boxes.append((left * _CELL, top * _CELL, (right + 1) * _CELL, (bottom + 1) * _CELL))
    return boxes


def _moved(line: dict, dx: int, dy: int) -> dict:
    move = lambda box: [box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy]  # noqa: E731
    return {**line, "bbox": move(line["bbox"]), "words": [{**w, "bbox": move(w["bbox"])} for w in line["words"]]}


# A short line of small type on its own, in mid-grey and letter-spaced capitals (a
# kicker 'THEME 1' over a theme's title), is also skipped by the layout analysis: its
# letters stand apart like specks. Ink no word covers, in blobs of text height lined up
# on one row as wide as a word or more, is read again as one line.
_TEXT_MIN, _TEXT_MAX = 0.05, 0.25  # inches: the height of small type's capitals up to a heading's
_ROW_GAP = 1.5  # blobs of one line stand at most this many heights apart
_MIN_LINE_WIDTH = 2.5  # a line at least this many times as wide as tall: a word, not a speck
_MAX_LINES = 4  # more rows of unread ink than this: a picture's grain, not missed lines
_LINE_CONF = 75.0  # every word of a missed line must be read with this confidence


def missed_lines(image: Image.Image, free: np.ndarray, blobs: list[tuple[int, int, int, int]], dpi: float, read) -> list[dict]:
    """Lines for short rows of text-height ink no word covers, read again one row at a
    time; kept where every word is read with confidence and one holds two letters."""
    small = [
        (x0, y0, x1, y1) for x0, y0, x1, y1 in blobs
        if _TEXT_MIN * dpi <= y1 - y0 <= _TEXT_MAX * dpi and _MIN_FILL <= free[y0:y1, x0:x1].mean() <= _MAX_FILL
    ]
    rows: list[list[int]] = []
    for x0, y0, x1, y1 in sorted(small, key=lambda b: b[0]):
        for row in rows:
            height = row[3] - row[1]
            if min(y1, row[3]) - max(y0, row[1]) > 0.5 * min(height, y1 - y0) and x0 - row[2] < _ROW_GAP * height:
                row[:] = [min(row[0], x0), min(row[1], y0), max(row[2], x1), max(row[3], y1)]
                break
        else:
            rows.append([x0, y0, x1, y1])
    rows = [row for row in rows if row[2] - row[0] >= _MIN_LINE_WIDTH * (row[3] - row[1])]
    if len(rows) > _MAX_LINES:
        return []
    out = []
    for x0, y0, x1, y1 in rows:
        margin = (y1 - y0) // 2
        box = (max(x0 - margin, 0), max(y0 - margin, 0), min(x1 + margin, image.width), min(y1 + margin, image.height))
        for line in read(image.crop(box)):
            words = [w for w in line["words"] if w["text"].strip()]
            if words and all(w["conf"] >= _LINE_CONF for w in words) and any(re.search(r"[^\W\d_]{2}", w["text"]) for w in words):
                out.append(_moved({**line, "words": words}, box[0], box[1]))
    return out
