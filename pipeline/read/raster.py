"""A page as a clean grey image for OCR: rendered at the resolution OCR needs, paper
made white, speckle removed, and turned straight (see deskew.py)."""

from __future__ import annotations

import math
import os

import numpy as np
from PIL import Image, ImageFilter

# pdfium is not thread-safe: one call at a time in this process, OCR's and the pictures' alike
from pipeline.read.pdf_file import PDFIUM_LOCK as _PDFIUM

# Tesseract reads best with body text 20-30 px high; 300 dpi gives that for 8-11 pt type.
# A scan stored at a lower resolution is still rendered at this one: interpolated strokes
# read better than the scanner's pixels at 8 pt, while more than 300 only costs time.
def _setting(name: str, default: int) -> int:
    """A whole-number setting; the command line refuses a bad one before a run starts
    (flows/cli.py), library callers get the default rather than an import error."""
    try:
        value = float(os.environ.get(name, "") or default)
    except ValueError:
        return default
    return int(value) if math.isfinite(value) and value >= 1 and value == int(value) else default


OCR_DPI = _setting("GUIDE_EXTRACT_OCR_DPI", 300)
# A page may be 200 inches square (a 668-byte file can say so): at 300 dpi that is 3.6
# billion pixels, and OCR's image steps hold several float copies of it. Above this many
# pixels the page is rendered at a lower resolution. 20 million pixels is an A3 page at
# 300 dpi; the steps after rendering then need a few hundred MB.
MAX_OCR_PIXELS = 20_000_000


def fitted_dpi(width: float, height: float, dpi: float, max_pixels: int) -> float:
    """`dpi`, or less so that a page of width x height points has at most `max_pixels`
    pixels (rounded down to a hundredth of a dpi)."""
    pixels = max(width, 1.0) * max(height, 1.0) * (dpi / 72) ** 2
    if pixels <= max_pixels:
        return dpi
    return math.floor(dpi * math.sqrt(max_pixels / pixels) * 100) / 100


def render_page(path, index: int, dpi: int = OCR_DPI, password: str | None = None, max_pixels: int = MAX_OCR_PIXELS) -> tuple[Image.Image, float]:
    """Page `index` (0-based) as an 8-bit grey image, and the resolution it was drawn at:
    `dpi`, or lower for a page that would exceed `max_pixels` (measured on the page as
    PDFium draws it, which is what the memory is spent on)."""
    import pypdfium2

    with _PDFIUM:
        pdf = pypdfium2.PdfDocument(str(path), password=password or None)
        try:
            page = pdf[index]
            try:
                used = fitted_dpi(*page.get_size(), dpi, max_pixels)
                image = page.render(scale=used / 72, grayscale=True).to_pil()
            finally:
                page.close()
        finally:
            pdf.close()
    return image.convert("L"), used


def lighten_panels(image: Image.Image) -> Image.Image:
    """Light text on dark panels (a theme divider's coloured half) turned into dark text
    on light: Tesseract reads dark on light only. A panel is an area where most pixels,
    over a square several lines of text across, are dark; printed text covers a page
    with a fifth of its area at most, even in display type."""
    dark = Image.fromarray(((np.asarray(image) < 128) * 255).astype(np.uint8)).reduce(16)
    share = np.asarray(dark.filter(ImageFilter.BoxBlur(7)), dtype=np.float32) / 255
    panel = share > 0.5
    if not panel.any():
        return image
    # close the holes that large light letters leave in the panel's mask
    closed = Image.fromarray((panel * 255).astype(np.uint8)).filter(ImageFilter.MaxFilter(9)).filter(ImageFilter.MinFilter(9))
    mask = np.asarray(closed.resize(image.size, Image.Resampling.NEAREST)) > 0
    pixels = np.asarray(image)
    return Image.fromarray(np.where(mask, 255 - pixels, pixels).astype(np.uint8))


def whiten(image: Image.Image) -> Image.Image:
    """Divide out the paper: grey or unevenly lit paper becomes white, ink keeps its
    contrast. The paper's brightness is estimated as a local maximum over a coarse grid
    (text is thin, so the brightest nearby pixel is paper)."""
    small = image.reduce(8)
    paper = small.filter(ImageFilter.MaxFilter(7)).filter(ImageFilter.GaussianBlur(4))
    paper = np.asarray(paper.resize(image.size, Image.Resampling.BILINEAR), dtype=np.float32)
    pixels = np.asarray(image, dtype=np.float32)
    out = np.clip(pixels / np.maximum(paper, 32.0) * 255.0, 0, 255)
    # stretch so the darkest ink is black: grey toner on grey paper reads like print
    ink = np.percentile(out, 0.5)
    if ink < 200:
        out = np.clip((out - ink) * 255.0 / (255.0 - ink), 0, 255)
    return Image.fromarray(out.astype(np.uint8))


def despeckle(image: Image.Image) -> Image.Image:
    """A 3x3 median: removes dust and toner drop-outs smaller than a stroke's width."""
    return image.filter(ImageFilter.MedianFilter(3))


def otsu(pixels: np.ndarray) -> int:
    """The grey level that best splits ink from paper (Otsu's method)."""
    hist = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128
    levels = np.arange(256)
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * levels)
    between = (mean[-1] * weight / total - mean) ** 2 / np.maximum(weight * (total - weight), 1)
    return int(np.argmax(between))


def ink_mask(image: Image.Image) -> np.ndarray:
    pixels = np.asarray(image)
    return pixels < otsu(pixels)
