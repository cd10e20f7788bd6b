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
                    scanned = _own_pixels(page) or page.render(scale=native / 72, grayscale=True).to_pil().convert("L")
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


def _own_pixels(page) -> Image.Image | None:
    try:
        return scan_pixels(page)
    except Exception:  # noqa: BLE001  (a picture PDFium cannot hand over: its drawing stands)
        return None


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


def lighten_panels(image: Image.Image) -> Image.Image:
    """Light text on dark or mid-grey panels (a fact box, a theme divider's coloured half)
    turned into dark text on light: Tesseract reads dark on light only.

    A panel is an area, larger than a square about a centimetre across, whose background
    (the median grey over such a square: text covers less than half of it) is
    clearly darker than the paper; and whose text is lighter than that background (the
    bright minority strays further from the median than the dark one), which tells a
    panel from a photocopy's shadow or a dark picture. The median is taken on a coarse grid
    (cheap), but the edge is decided pixel by pixel, so that letters near the edge of a
    panel printed mid-grey are not cut in two ('ain institution'), and the turned panel is
    given the paper's grey, so that no shaded rim is left for OCR to read as '|' or 'E'."""
    small = image.reduce(_CELL)
    median = np.asarray(small.filter(ImageFilter.MedianFilter(_SQUARE)), dtype=np.float32)
    pixels = np.asarray(image)
    paper = float(np.percentile(median, 90))
    ink = float(np.percentile(pixels[::4, ::4], 0.5))
    threshold = paper - _PANEL * (paper - ink)
    panel = median < threshold
    if paper - ink < 40 or not panel.any():
        return image
    # light text lifts the mean above the median, dark text pulls it below; the votes are
    # summed over each panel's neighbourhood, so that a panel's empty stretches follow it
    radius = _SQUARE // 2
    mean = _box_sum(np.asarray(small, dtype=np.float32), radius) / (_SQUARE * _SQUARE)
    light_text = _box_sum(np.where(panel, mean - median, 0.0), _SQUARE) > 0.0
    found = Image.fromarray((panel & light_text).astype(np.uint8) * 255)
    # large light letters leave holes in a panel (their median is light): a closing fills
    # them; and a panel is larger than the square: the heavy strokes of dark display type
    # can darken the median over a few cells, never over a whole square (an opening
    # removes them)
    found = found.filter(ImageFilter.MaxFilter(_HOLE)).filter(ImageFilter.MinFilter(_HOLE))
    found = found.filter(ImageFilter.MinFilter(_SQUARE)).filter(ImageFilter.MaxFilter(_SQUARE))
    if not np.asarray(found).any():
        return image
    # well inside a panel everything turns (light letters of any size); within two cells
    # of its edge each pixel is judged from a blur a fraction of a millimetre across, so
    # the edge is cut where it is printed (a misplaced edge leaves a strip that OCR reads
    # as words). A strip of paper between a panel and a picture under it turns dark: OCR
    # reads it as a rule or as a line too small to be text (read_page drops those).
    inner = np.asarray(found.filter(ImageFilter.MinFilter(5)).resize(image.size, Image.Resampling.NEAREST)) > 0
    outer = np.asarray(found.filter(ImageFilter.MaxFilter(5)).resize(image.size, Image.Resampling.NEAREST)) > 0
    edge = np.asarray(image.filter(ImageFilter.BoxBlur(3))) < threshold
    mask = inner | (outer & ~inner & edge)
    # the turned panel's background is made the paper's grey, so that dividing out the
    # paper (whiten) sees one paper and leaves no shaded rim along the panel's edges,
    # which OCR reads as '|', 'E' or 'F' before the labels
    level = float(np.median(median[panel & light_text]))
    # each pixel of the panel is judged against the brightest type around it (a few
    # strokes across): the values' strokes, the brightest type, turn as a plain inversion
    # turns them, and the strokes of type printed in a tone between the panel and the
    # values (a light-coloured label printed mid-grey by a mono printer) turn as dark,
    # where a plain inversion left them light grey and Tesseract's threshold, set by the
    # page's black text, dropped the whole label. The panel's grain, just above its grey,
    # is never stretched (it would be read as specks): a neighbourhood's brightest type
    # counts as type only above a floor.
    top = float(np.percentile(pixels[mask][::7], _TEXT_TOP)) if mask.any() else 255.0
    if top > level + 10:
        low = level + _GRAIN * (top - level)
        local = np.clip(_local_max(pixels, _STROKES // 2).astype(np.float32), level + _FLOOR * (top - level), top)
        turned_pixels = (np.clip((local - pixels) / (local - low), 0.0, 1.0) * paper).astype(np.uint8)
    else:
        turned = np.clip((255.0 - np.arange(256)) * paper / max(255.0 - level, 1.0), 0, 255).astype(np.uint8)
        turned_pixels = turned[pixels]
    # the blurred rim left outside the mask, between the panel's grey and the paper's
    rim = outer & ~mask & (pixels > (ink + threshold) / 2)
    out = np.where(mask, turned_pixels, np.where(rim, np.uint8(paper), pixels))
    return Image.fromarray(out)


def _local_max(pixels: np.ndarray, radius: int) -> np.ndarray:
    """Each pixel's maximum over the square of `radius` pixels around it: one pass per
    row and one per column (PIL's MaxFilter is a rank filter, 30 times slower)."""
    out = pixels.copy()
    for axis in (0, 1):
        source = out.copy()
        n = source.shape[axis]
        for shift in range(1, radius + 1):
            ahead = [slice(None)] * 2
            behind = [slice(None)] * 2
            ahead[axis], behind[axis] = slice(shift, n), slice(0, n - shift)
            np.maximum(out[tuple(behind)], source[tuple(ahead)], out=out[tuple(behind)])
            np.maximum(out[tuple(ahead)], source[tuple(behind)], out=out[tuple(ahead)])
    return out


def _box_sum(values: np.ndarray, radius: int) -> np.ndarray:
    """Each cell's sum over the square of `radius` cells around it (summed-area table)."""
    padded = np.pad(values.astype(np.float64), radius + 1, mode="constant")
    table = padded.cumsum(axis=0).cumsum(axis=1)
    k = 2 * radius + 1
    h, w = values.shape
    return table[k:k + h, k:k + w] - table[:h, k:k + w] - table[k:k + h, :w] + table[:h, :w]


_CELL = 8  # panels are looked for at an eighth of the resolution (0.7 mm cells at 300 dpi)
_SQUARE = 13  # cells across the square whose median grey is an area's background (9 mm)
_HOLE = 19  # cells across the largest hole display type leaves in a panel (13 mm)
_TEXT_TOP = 99.5  # percentile of a panel's grey taken as its brightest type
_GRAIN = 0.12  # share of the panel-to-type contrast that is the panel's grain, kept paper
_FLOOR = 0.3  # a neighbourhood's brightest grey is type only this far from the panel's grey to the values'
_STROKES = 9  # pixels across the neighbourhood whose brightest type a pixel is judged by (3 strokes at 300 dpi)
_PANEL = 0.3  # a background this far from the paper towards the ink is a panel


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


# a mark of ink no more than this share of the type's stroke width across, of no more
# pixels than the stroke is wide (a period or an i-dot has about the stroke's square),
# with no other ink within a stroke's width around it, is a speck (see specks_removed)
_SPECK = 0.8


def stroke_width(ink: np.ndarray) -> float:
    """The page's typical stroke width in pixels: the median length of the horizontal
    runs of ink (body type's stems and bowls are most of the page's runs)."""
    padded = np.zeros((ink.shape[0], ink.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    edges = np.diff(padded, axis=1)
    starts, ends = np.nonzero(edges == 1), np.nonzero(edges == -1)
    runs = ends[1] - starts[1]  # both in row-major order: the k-th start pairs the k-th end
    return float(np.median(runs)) if runs.size else 0.0


def specks_removed(image: Image.Image) -> Image.Image:
    """The page without the specks the cleaning at the scanner's pixels left (dust next
    to type, where an i-dot could stand; dust on a panel turned light): a mark smaller
    than the type's own stroke in both directions and of fewer pixels than the stroke is
    wide, with paper all around it for a stroke's width. Tesseract reads such a mark as a period, a comma, a quote or a dash
    ('State Treasury, Foundation', '‘Web presence:', 'March 2020 -'), which breaks names,
    labels and periods. A period, a comma or an i-dot is at least a stroke across, so it
    stands; the sizes follow the page's measured stroke, not a pixel count, so they hold
    at any resolution and type size."""
    pixels = np.asarray(image)
    level = otsu(pixels)
    stroke = stroke_width(pixels < level)
    core = int(_SPECK * stroke)
    if core < 1:
        return image
    # a faint speck counts too: Tesseract's own threshold may take it as ink
    ink = (pixels < (int(level) + 255) // 2).astype(np.int32)
    margin = max(2, int(round(stroke)))
    h, w = ink.shape
    pad = margin + core
    table = np.zeros((h + 2 * pad + 1, w + 2 * pad + 1), dtype=np.int32)
    table[1:, 1:] = np.pad(ink, pad).cumsum(axis=0).cumsum(axis=1)

    def window(top: int, size: int) -> np.ndarray:
        """The ink in each size x size window whose top-left corner is `top` pixels from
        the pixel (negative: above and left of it)."""
        a, b = pad + top, pad + top + size
        return table[b:b + h, b:b + w] - table[a:a + h, b:b + w] - table[b:b + h, a:a + w] + table[a:a + h, a:a + w]

    inside = window(0, core)
    isolated = (inside > 0) & (inside <= stroke) & (inside == window(-margin, core + 2 * margin))
    if not isolated.any():
        return image
    # every pixel of a window found holding a speck alone is paper (the windows are few:
    # their pixels are set one shift at a time, not summed over the page)
    out = pixels.copy()
    ys, xs = np.nonzero(isolated)
    for dy in range(core):
        for dx in range(core):
            out[np.minimum(ys + dy, h - 1), np.minimum(xs + dx, w - 1)] = 255
    return Image.fromarray(out)
