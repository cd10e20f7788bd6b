"""The rules of a ruled table found in a page image (pipeline/read/rules.py): a drawn
2x3 grid with scan noise, light cell shading, JPEG and a residual skew gives exactly its
cells; shading, text and a lone underline give no table."""

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from pipeline.read.raster import ink_mask
from pipeline.read.rules import scan_tables

DPI = 200
PT = DPI / 72.0  # pixels a point
WIDTH, HEIGHT = 595.0, 842.0  # A4 in points
# the grid, in points: columns at these x, rows at these y
XS = (72.0, 230.0, 520.0)
YS = (300.0, 324.0, 360.0, 384.0)
TOLERANCE = 1.5  # points: a cell's edge found within this of where it was drawn


def _page(grid: bool = True, shading: bool = True, angle: float = 0.3, seed: int = 7) -> Image.Image:
    """An A4 page at 200 dpi: the grid drawn 0.75 pt thick (1-2 px), the label column
    shaded light grey, words in the cells and a paragraph above, then turned by `angle`
    degrees, noised and saved as JPEG quality 80."""
    image = Image.new("L", (round(WIDTH * PT), round(HEIGHT * PT)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=round(10 * PT))
    if shading:
        draw.rectangle([XS[0] * PT, YS[0] * PT, XS[1] * PT, YS[-1] * PT], fill=225)
    for row, y in enumerate(YS[:-1]):
        draw.text(((XS[0] + 4) * PT, (y + 5) * PT), f"Label {row} jJly", fill=0, font=font)
        draw.text(((XS[1] + 4) * PT, (y + 5) * PT), f"Joanna value {row} — gyp", fill=0, font=font)
    draw.text((XS[0] * PT, 200 * PT), "A paragraph of text above the table, with an underline:", fill=0, font=font)
    draw.line([XS[0] * PT, 220 * PT, 300 * PT, 220 * PT], fill=0, width=2)  # an underline, no table
    if grid:
        for x in XS:
            draw.line([x * PT, YS[0] * PT, x * PT, YS[-1] * PT], fill=0, width=2)
        for y in YS:
            draw.line([XS[0] * PT, y * PT, XS[-1] * PT, y * PT], fill=0, width=2)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    pixels = np.asarray(image, dtype=np.float32) + np.random.default_rng(seed).normal(0, 6, image.size[::-1])
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=80)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("L")


def _tables(image):
    return scan_tables(image, ink_mask(image), DPI, WIDTH, HEIGHT)


def test_a_scanned_grid_gives_exactly_its_cells():
    _, _, tables = _tables(_page())
    assert len(tables) == 1
    rows = tables[0]
    assert [len(row) for row in rows] == [2, 2, 2]
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            want = (XS[c], YS[r], XS[c + 1], YS[r + 1])
            # the page was turned 0.3 degrees about its centre: each corner moves by up to
            # 0.3 degrees of its distance from the centre, under 1.5 points here
            assert all(abs(got - exp) <= TOLERANCE for got, exp in zip(cell, want)), (cell, want)


def test_rules_are_wiped_and_words_kept():
    image = _page()
    cleaned, ink, _ = _tables(image)
    pixels = np.asarray(cleaned)
    # the middle rule's column, between rows, is paper now
    x = round(XS[1] * PT)
    assert (pixels[round(YS[0] * PT) + 5 : round(YS[-1] * PT) - 5, x - 1 : x + 2] < 128).mean() < 0.05
    # the underline outside any table stays, and so do the words of the cells
    assert (pixels[round(220 * PT) - 8 : round(220 * PT) + 8, round(100 * PT) : round(250 * PT)] < 128).any(axis=0).mean() > 0.9
    assert ink_mask(image)[round(YS[0] * PT) + 8 : round(YS[1] * PT) - 4, round(XS[0] * PT) + 8 : round(XS[1] * PT) - 8].sum() == \
        ink[round(YS[0] * PT) + 8 : round(YS[1] * PT) - 4, round(XS[0] * PT) + 8 : round(XS[1] * PT) - 8].sum()


def test_shading_and_text_alone_are_no_table():
    image = _page(grid=False)
    cleaned, _, tables = _tables(image)
    assert tables == []
    assert cleaned is image


def test_no_table_on_a_straight_clean_page_without_rules():
    assert _tables(_page(grid=False, shading=False, angle=0.0))[2] == []


SERIF = "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"


def _serif_table(dpi: int = 300) -> tuple[Image.Image, list[tuple[float, float]]]:
    """A word processor's fact table at `dpi`: two rows ruled 0.5 pt, each value cell
    three lines of 11 pt serif type, the last line set 2 pt above the row's bottom rule
    (tight cell padding), straight, with scan noise and JPEG quality 75. Returns the page
    and the (top, baseline, left, right) in pixels of each line of type."""
    pt = dpi / 72.0
    image = Image.new("L", (round(WIDTH * pt), round(HEIGHT * pt)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SERIF, round(11 * pt))
    ys, xs = (300.0, 345.0, 390.0), (72.0, 200.0, 520.0)
    lines = []
    for top in ys[:-1]:
        for k, text in enumerate(("Joanna Labedzka", "Jan Kochanowski University of Kielce", "joanna.labedzka@itee.lukasiewicz.gov.pl")):
            baseline = (top + 43.0 - (2 - k) * 13.0) * pt
            draw.text((xs[1] * pt + 6 * pt, baseline), text, fill=0, font=font, anchor="ls")
            box = draw.textbbox((xs[1] * pt + 6 * pt, baseline), text, font=font, anchor="ls")
            lines.append(tuple(int(round(v)) for v in (box[1], baseline, box[0], box[2])))
        draw.text((xs[0] * pt + 6 * pt, (top + 17) * pt), "Contact person", fill=0, font=font, anchor="ls")
    for x in xs:
        draw.line([x * pt, ys[0] * pt, x * pt, ys[-1] * pt], fill=0, width=2)
    for y in ys:
        draw.line([xs[0] * pt, y * pt, xs[-1] * pt, y * pt], fill=0, width=2)
    pixels = np.asarray(image, dtype=np.float32) + np.random.default_rng(3).normal(0, 6, image.size[::-1])
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=75)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("L"), lines


def test_serif_baselines_are_no_rules_and_keep_their_feet():
    """The feet of a serif face's letters make a thin run of ink along each baseline,
    bridged from letter to letter: taken for rules, every line of a cell became a table
    row and was wiped with its letters' feet ('labedzka' read 'lahedzka'). A rule is inked
    over nearly all its length; the baselines have paper between their letters."""
    image, lines = _serif_table()
    cleaned, ink, tables = scan_tables(image, ink_mask(image), 300, WIDTH, HEIGHT)
    assert [len(row) for t in tables for row in t] == [2, 2]  # two rows, not one a line
    before = ink_mask(image)
    for top, baseline, x0, x1 in lines:
        # every ink pixel of each line of type down to its baseline is still there: the
        # feet of its letters included (the row's rule is 2 pt below, with its descenders)
        assert ink[top : baseline + 2, x0 : x1 + 1].sum() == before[top : baseline + 2, x0 : x1 + 1].sum()
