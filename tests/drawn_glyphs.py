"""Text drawn in a real face at a scan's pixel size, for unit tests of the rules that read
letters from the ink (`pipeline/read/glyphs.py`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

FACES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
]
SANS = [face for face in FACES if "Serif" not in face]


def drawn(text: str, face: str, size: int) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """`text` drawn in `face` at `size` pixels an em, on a line long enough for an
    address: its ink and its box as Tesseract gives a word's (ending past the ink)."""
    if not Path(face).exists():
        pytest.skip(f"{face} is not installed")
    image = Image.new("L", (len(text) * size, 3 * size), 255)
    ImageDraw.Draw(image).text((size, size // 2), text, font=ImageFont.truetype(face, size), fill=0)
    ink = np.asarray(image) < 128
    ys, xs = np.nonzero(ink)
    return ink, (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)


def at_150_dpi(ink: np.ndarray) -> np.ndarray:
    """The ink as a 150 dpi scan read at 300 dpi gives it: every other pixel, drawn back
    up by interpolation, thresholded half-way."""
    image = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))
    small = image.resize((image.width // 2, image.height // 2), Image.Resampling.BOX)
    return np.asarray(small.resize(image.size, Image.Resampling.BICUBIC)) < 128
