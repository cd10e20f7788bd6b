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
    PDFium draws it, which is what the memory is spent on).

    A scanned page stored below that resolution is drawn at its own resolution first, its
    dust and toner drop-outs removed there (`lone_pixels_removed`), and then interpolated
    up: at the scanner's pixels a speck is one pixel, told from a stroke by its
    neighbours; interpolated to 300 dpi it becomes a blot several pixels across, as large
    as a period, which splits Tesseract's lines and reads as letters."""
    import pypdfium2

    with _PDFIUM:
        pdf = pypdfium2.PdfDocument(str(path), password=password or None)
        try:
            page = pdf[index]
            try:
                width, height = page.get_size()
                used = fitted_dpi(width, height, dpi, max_pixels)
                native = scan_resolution(page)
                if native is not None and native < _INTERPOLATED * used:
                    scanned = scan_pixels(page) or page.render(scale=native / 72, grayscale=True).to_pil().convert("L")
                    size = (max(1, round(width * used / 72)), max(1, round(height * used / 72)))
                    image = lone_pixels_removed(scanned).resize(size, Image.Resampling.BICUBIC)
                else:
                    image = page.render(scale=used / 72, grayscale=True).to_pil()
            finally:
                page.close()
        finally:
            pdf.close()
    return image.convert("L"), used


# a scan stored at less than this share of the OCR resolution is cleaned at its own
# resolution before it is interpolated up (a 270-300 dpi scan is read as it is)
_INTERPOLATED = 0.9
# a picture covering this share of the page is the page's scan
_SCAN_COVER = 0.8


def scan_resolution(page) -> float | None:
    """The resolution (dots per inch, the lower of the two directions) of the picture a
    scanned page is: the largest image drawn over most of the page; None for a page
    that is not one picture (a text page, a page with photographs in it)."""
    import pypdfium2

    width, height = page.get_size()
    best: tuple[float, float] | None = None
    for obj in page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = obj.get_bounds()
        drawn_w, drawn_h = right - left, top - bottom
        if drawn_w * drawn_h < _SCAN_COVER * width * height:
            continue
        px_w, px_h = obj.get_px_size()
        if px_w < 1 or px_h < 1:  # an image without pixels (a broken file) is no scan
            continue
        dpi = min(px_w / (drawn_w / 72), px_h / (drawn_h / 72))
        if best is None or drawn_w * drawn_h > best[0]:
            best = (drawn_w * drawn_h, dpi)
    return None if best is None else best[1]


# the picture's own pixels are taken when they are drawn within this many points of the
# page's edges; and when, averaged over cells of this many points, they differ from
# PDFium's drawing by less than this many grey levels (a decode PDFium applies only when
# drawing, such as an inverted /Decode or a mask, would differ by far more)
_EDGE_PT = 1.0
_CHECK_CELL_PT = 8
_CHECK_GREYS = 12


def scan_pixels(page) -> Image.Image | None:
    """The scanned picture's own pixels (grey) when the page is that one picture drawn
    upright over the whole page, else None (draw the page instead).

    PDFium resamples a picture when it draws it, even at the picture's own resolution:
    a speck of one pixel comes out as two, each half as far from the grey around it, and
    the cleaning (`lone_pixels_removed`) can no longer tell it from a stroke; interpolated
    to 300 dpi it reads as a period or a letter ('LEP a', 'Yorkshire. .')."""
    import pypdfium2

    if page.get_rotation() % 360:
        return None
    left, bottom, right, top = page.get_cropbox()
    pictures = []
    for obj in page.get_objects(max_depth=1):
        if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE:
            pictures.append(obj)
        else:  # text or drawing on the scan, or a form whose matrix moves what it holds
            return None
    if len(pictures) != 1:
        return None
    picture = pictures[0]
    a, b, c, d, _, _ = picture.get_matrix().get()
    x0, y0, x1, y1 = picture.get_bounds()
    if b or c or a <= 0 or d <= 0 or max(abs(x0 - left), abs(y0 - bottom), abs(x1 - right), abs(y1 - top)) > _EDGE_PT:
        return None
    try:
        pixels = picture.get_bitmap(render=False).to_pil().convert("L")
    except Exception:  # noqa: BLE001  (a format PIL cannot take: PDFium's drawing stands)
        return None
    # the same page drawn by PDFium, coarse, must agree with the pixels
    columns, rows = max(1, round((right - left) / _CHECK_CELL_PT)), max(1, round((top - bottom) / _CHECK_CELL_PT))
    drawn = page.render(scale=min(columns / (right - left), rows / (top - bottom)), grayscale=True).to_pil().convert("L")
    size = (min(columns, drawn.width), min(rows, drawn.height))
    ours = np.asarray(pixels.resize(size, Image.Resampling.BOX), dtype=np.float32)
    theirs = np.asarray(drawn.resize(size, Image.Resampling.BOX), dtype=np.float32)
    return pixels if float(np.abs(ours - theirs).mean()) < _CHECK_GREYS else None


def lone_pixels_removed(image: Image.Image) -> Image.Image:
    """Each pixel held between the second-darkest and the second-lightest of its eight
    neighbours: a pixel darker (dust) or lighter (a toner drop-out) than all its
    neighbours but one takes the grey around it, while a stroke one pixel wide keeps two
    neighbours along it and a dot of two by two pixels three, so both stand. (A 3x3
    median would erase a one-pixel stroke, and at 150 dpi body type's strokes are one or
    two pixels.) A stroke's end loses its last pixel, unless it points up or down.

    A mark with a stem two or three pixels above or below it is kept as it is: the dot
    of an 'i' or a 'j' stands that far from its stem at 150 dpi, and is one or two pixels
    (light type on a panel lost its dots: 'Foundatıon' read 'Foundauon'), while dust lies
    anywhere, mostly far from type; dust over a wide letter is still removed (kept, a
    speck over an 'n' was read as 'ñ')."""
    pixels = np.asarray(image)
    padded = np.pad(pixels, 1, mode="edge")
    h, w = pixels.shape
    darkest, dark = np.full_like(pixels, 255), np.full_like(pixels, 255)
    lightest, light = np.zeros_like(pixels), np.zeros_like(pixels)
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            if dy == dx == 1:
                continue
            around = padded[dy:dy + h, dx:dx + w]
            # running second extremes: no sort of nine values per pixel (ten times slower)
            np.minimum(dark, np.maximum(darkest, around), out=dark)
            np.minimum(darkest, around, out=darkest)
            np.maximum(light, np.minimum(lightest, around), out=light)
            np.maximum(lightest, around, out=lightest)
    cleaned = np.clip(pixels, dark, light)
    # kept where a stem stands two or three rows above or below: ink at least half as far
    # from the grey around the mark as the mark itself (as light for a light mark, as dark
    # for a dark one) in the three columns under it, but not in both columns two either
    # side (the top of a wide letter, an 'n' or an 'o', under a speck)
    wide = pixels.astype(np.int16)
    kept = _stem_near(wide, (wide + light) // 2) & (wide > light)
    kept |= _stem_near(-wide, -((wide + dark) // 2)) & (wide < dark)
    return Image.fromarray(np.where(kept, pixels, cleaned))


def _stem_near(pixels: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Whether, in a row two or three above or below each pixel, one of the three pixels
    under it reaches `level` while the pixels two columns either side do not both reach
    it (a stem, not the top of a wide letter). `pixels` are int16, larger is inkier."""
    h, w = pixels.shape
    padded = np.pad(pixels, 3, mode="edge")  # pixel (y, x) is padded (y + 3, x + 3)
    found = np.zeros((h, w), dtype=bool)
    for dy in (-3, -2, 2, 3):
        row = padded[3 + dy : 3 + dy + h]
        inner = np.maximum(np.maximum(row[:, 2 : 2 + w], row[:, 3 : 3 + w]), row[:, 4 : 4 + w])
        both_sides = np.minimum(row[:, 1 : 1 + w], row[:, 5 : 5 + w])
        found |= (inner >= level) & (both_sides < level)
    return found


