"""The page image OCR reads: a scan stored below the OCR resolution is cleaned at its own
pixels (dust and toner drop-outs of one pixel removed, strokes of one pixel kept) and then
interpolated up. Synthetic images with known specks and strokes, and real PDFs made
here with reportlab around them."""

import numpy as np
import pypdfium2
import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from pipeline.read.raster import OCR_DPI, lone_pixels_removed, render_page, scan_resolution

PAPER, INK, PANEL = 205, 40, 90


def page_with_marks() -> np.ndarray:
    """Grey paper with a speck of dust, a dark panel with a toner drop-out, and strokes
    one pixel wide (across, down, diagonal) and a dot of two by two pixels."""
    pixels = np.full((60, 60), PAPER, dtype=np.uint8)
    pixels[5, 5] = 30  # dust
    pixels[40:55, 40:55] = PANEL
    pixels[47, 47] = 250  # a drop-out in the panel
    pixels[20, 10:31] = INK  # a stroke across, 21 pixels
    pixels[25:46, 5] = INK  # a stroke down, 21 pixels
    for i in range(12):
        pixels[30 + i, 15 + i] = INK  # a diagonal stroke
    pixels[10:12, 40:42] = INK  # a period
    return pixels


def test_dust_and_drop_outs_of_one_pixel_are_removed():
    cleaned = np.asarray(lone_pixels_removed(Image.fromarray(page_with_marks())))
    assert cleaned[5, 5] == PAPER
    assert cleaned[47, 47] == PANEL
    assert cleaned.dtype == np.uint8


def test_strokes_of_one_pixel_and_a_period_are_kept():
    marks = page_with_marks()
    cleaned = np.asarray(lone_pixels_removed(Image.fromarray(marks)))
    # a stroke across or slanting keeps all its pixels but its two ends (one dark
    # neighbour each); a stroke down keeps its ends too (a stem two and three rows on)
    assert (cleaned[20, 11:30] == INK).all() and cleaned[20, 10] == cleaned[20, 30] == PAPER
    assert (cleaned[25:46, 5] == INK).all()
    assert all(cleaned[30 + i, 15 + i] == INK for i in range(1, 11))
    assert (cleaned[10:12, 40:42] == INK).all()
    # nothing else changes: the paper, the panel and its edge
    changed = {(int(y), int(x)) for y, x in zip(*np.nonzero(cleaned != marks))}
    assert changed == {(5, 5), (47, 47), (20, 10), (20, 30), (30, 15), (41, 26)}


@pytest.mark.parametrize("background, ink", [(PAPER, INK), (PANEL, 200)])
def test_the_dot_of_an_i_is_kept_and_dust_beside_a_letter_is_not(background, ink):
    """At 150 dpi the dot of an 'i' is one or two pixels, two or three rows above its
    stem: it is kept, dark on paper and light on a panel alike. A speck three pixels to
    the side of a stem, or over a wide letter, is dust."""
    pixels = np.full((30, 30), background, dtype=np.uint8)
    pixels[10:20, 8] = ink  # the stem of an 'i'
    pixels[7, 8:10] = ink  # its dot, two pixels, two rows above it
    pixels[10:20, 20] = ink  # the stem of another
    pixels[15, 23] = ink  # dust beside it
    pixels[10, 14:19] = ink  # the top of a wide letter ('n')
    pixels[11:20, 14] = pixels[11:20, 18] = ink
    pixels[7, 16] = ink  # dust over it, where an accent would be
    cleaned = np.asarray(lone_pixels_removed(Image.fromarray(pixels)))
    assert cleaned[7, 8] == cleaned[7, 9] == ink
    assert cleaned[15, 23] == cleaned[7, 16] == background
    changed = {(int(y), int(x)) for y, x in zip(*np.nonzero(cleaned != pixels))}
    assert changed == {(15, 23), (7, 16)}


def scanned_pdf(path, pixels: np.ndarray, dpi: int) -> None:
    """A page that is one lossless picture of `pixels` at `dpi`, as a scanner stores it."""
    height, width = pixels.shape
    size = (width * 72 / dpi, height * 72 / dpi)
    pdf = canvas.Canvas(str(path), pagesize=size)
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 0, 0, *size)
    pdf.save()


def test_the_scan_resolution_is_the_pictures(tmp_path):
    blank = np.full((300, 225), PAPER, dtype=np.uint8)  # 1.5 x 2 inches at 150 dpi
    scanned_pdf(tmp_path / "scan.pdf", blank, 150)
    text = tmp_path / "text.pdf"
    pdf = canvas.Canvas(str(text), pagesize=(200, 200))
    pdf.drawString(20, 100, "No picture on this page")
    pdf.drawImage(ImageReader(Image.fromarray(blank)), 0, 0, 40, 40)  # a small photograph
    pdf.save()
    for path, expected in ((tmp_path / "scan.pdf", 150.0), (text, None)):
        document = pypdfium2.PdfDocument(str(path))
        try:
            found = scan_resolution(document[0])
        finally:
            document.close()
        assert found == (None if expected is None else pytest.approx(expected, abs=0.01))


def test_a_150_dpi_scan_is_cleaned_at_its_own_pixels_and_drawn_at_the_ocr_resolution(tmp_path):
    pixels = np.full((300, 300), PAPER, dtype=np.uint8)
    pixels[100:103, 50:250] = INK  # a rule three pixels thick
    for y, x in ((40, 40), (200, 120), (260, 280)):
        pixels[y, x] = 30  # dust
    scanned_pdf(tmp_path / "scan.pdf", pixels, 150)
    image, dpi = render_page(tmp_path / "scan.pdf", 0)
    assert dpi == OCR_DPI and image.size == (600, 600)
    out = np.asarray(image)
    # the dust is gone: the paper around the rule is paper; the rule is drawn at 300 dpi
    paper = np.ones(out.shape, dtype=bool)
    paper[196:210, 96:504] = False
    assert set(np.unique(out[paper]).tolist()) == {PAPER}
    # (bicubic interpolation overshoots a little inside the rule: as dark as its ink or darker)
    assert (out[201:205, 104:496] <= INK).all() and (out[201:205, 104:496] > 0).all()


def test_a_scan_is_cleaned_at_the_pictures_own_pixels(tmp_path):
    """A scanner's PDF (an A4 page of JPEG at 150 dpi, as PIL and scanners write it): its
    dust is one pixel in the picture, but PDFium draws the picture resampled, a row off
    by the foot of the page, so half-way down a speck comes out as two pixels each half
    as dark, which the cleaning cannot tell from a stroke (measured: 30 on 205 drawn as 122
    and 115). The picture's own pixels are cleaned, so no trace of the speck reaches
    the OCR resolution."""
    pixels = np.full((1754, 1240), PAPER, dtype=np.uint8)
    pixels[500:503, 40:1200] = INK  # a rule three pixels thick
    specks = ((860, 31), (880, 400), (900, 821), (960, 1201))
    for y, x in specks:
        pixels[y, x] = 30
    path = tmp_path / "scan.pdf"
    Image.fromarray(pixels).save(path, format="PDF", resolution=150.0, quality=95)
    image, dpi = render_page(path, 0)
    out = np.asarray(image).astype(int)
    assert dpi == OCR_DPI and image.size == (2480, 3508)
    for y, x in specks:  # at 300 dpi, the speck's square and the pixels around it are paper
        around = out[2 * y - 4 : 2 * y + 6, 2 * x - 4 : 2 * x + 6]
        assert np.abs(around - PAPER).max() <= 6, (y, x, around.min())
    assert (out[1001:1005, 84:2396] <= INK + 6).all()


def _typed_page(path) -> np.ndarray:
    """A line of 9 pt Helvetica with periods, commas, i-dots and a hyphen, drawn by
    reportlab and rendered at the OCR resolution (white paper, black type)."""
    pdf = canvas.Canvas(str(path), pagesize=(200, 40))
    pdf.setFont("Helvetica", 9)
    pdf.drawString(10, 16, "Treasury, i.e. j; Kielce. 2017-2020 ii.")
    pdf.save()
    document = pypdfium2.PdfDocument(str(path))
    try:
        return np.asarray(document[0].render(scale=OCR_DPI / 72, grayscale=True).to_pil().convert("L")).copy()
    finally:
        document.close()


def test_specks_beside_type_go_and_its_periods_commas_and_dots_stay(tmp_path):
    """Dust left next to type after the cleaning at the scanner's pixels (one or two
    pixels, darker or fainter) was read as a comma, a quote or a dash ('State Treasury,
    Foundation', 'March 2020 -'). Each such speck is removed; every pixel of the type,
    its periods, commas, i-dots and the hyphen included, is as it was."""
    from pipeline.read.raster import specks_removed

    type_only = _typed_page(tmp_path / "line.pdf")
    ink = type_only < 128
    rows, columns = np.nonzero(ink)
    specked = type_only.copy()
    # specks a few pixels right of the last letter, over the x-height, under the baseline
    # and between words: a pixel, two pixels, a faint pair
    places = [(rows.min() + 2, columns.max() + 6), (rows.max() + 5, columns.min() + 40),
              ((rows.min() + rows.max()) // 2, columns.max() + 14), (rows.min() - 5, columns.min() + 90)]
    for n, (y, x) in enumerate(places):
        assert not ink[y - 4:y + 6, x - 4:x + 6].any()  # paper around it, as dust lies
        specked[y, x] = 30
        if n % 2:
            specked[y, x + 1] = 160 if n == 3 else 30
    cleaned = np.asarray(specks_removed(Image.fromarray(specked)))
    for y, x in places:
        assert cleaned[y, x] == 255 and cleaned[y, x + 1] == 255
    assert np.array_equal(cleaned[ink], type_only[ink])
    assert int((cleaned < 128).sum()) == int(ink.sum())
