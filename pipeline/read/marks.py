"""List bullets drawn as shapes rather than set as characters (a browser's default disc,
a DTP export's square): a small filled mark just left of a line's first word is read as
a bullet character, so that lists are lists whatever drew them."""

from __future__ import annotations

from pipeline.model import Word

_MAX_MARK = 0.6  # a bullet is at most this many times the text size across
_MAX_GAP = 2.5  # and ends at most this many text sizes before its item's first word


def shape_bullets(page, words: list[Word]) -> list[Word]:
    """Bullet words for the small filled, roughly square shapes that open a line."""
    marks = []
    for shape in list(page.curves) + list(page.rects):
        if not shape.get("fill"):
            continue
        width, height = shape["x1"] - shape["x0"], shape["bottom"] - shape["top"]
        if width <= 0 or height <= 0 or abs(width - height) > 0.35 * max(width, height):
            continue
        marks.append(shape)
    if not marks:
        return []
    bullets = []
    for shape in marks:
        middle = (shape["top"] + shape["bottom"]) / 2
        size = shape["x1"] - shape["x0"]
        after = [
            w for w in words
            if w.top <= middle <= w.bottom and size <= _MAX_MARK * w.size
            and 0 < w.x0 - shape["x1"] <= _MAX_GAP * w.size
        ]
        if not after:
            continue
        first = min(after, key=lambda w: w.x0)
        if any(w.top <= middle <= w.bottom and shape["x0"] - first.size < w.x1 <= shape["x0"] for w in words):
            continue  # text just before it on the line: a mark inside a sentence, not a list
        bullets.append(
            Word(text="•", x0=round(shape["x0"], 2), top=first.top, x1=round(shape["x1"], 2), bottom=first.bottom, size=first.size)
        )
    return bullets
