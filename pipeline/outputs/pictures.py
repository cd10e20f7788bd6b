"""Pictures of the pages practices were read from, with each field's box drawn, as base64
PNG for the self-contained report."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from PIL import Image, ImageDraw

from pipeline.outputs.palette import COLOURS, SECTION_COLOUR, colour
from pipeline.parallel import processes, ranges, run_all
from pipeline.read.pdf_file import PDFIUM_LOCK as _PDFIUM, open_pdf
from pipeline.read.raster import fitted_dpi

# Twice PDF resolution: the enlarged view must make the sidebar's small print readable.
RESOLUTION = 144
# A page may be up to 200 inches square (more with UserUnit): at 144 dpi that is 800
# million pixels. Pictures are drawn smaller above this many pixels.
MAX_PICTURE_PIXELS = 16_000_000


def picture_resolution(width: float, height: float) -> float:
    """RESOLUTION, or less so that the page's picture has at most MAX_PICTURE_PIXELS."""
    return fitted_dpi(width, height, RESOLUTION, MAX_PICTURE_PIXELS)


# Pages are drawn in grey, so the coloured field boxes are the only colour on them: 16
# grey levels keep small print legible, and a fixed palette (greys, then the field colours)
# writes the PNG directly, with no quantizing of a colour picture. Text is drawn without
# smoothing, as pdfplumber draws it: a third smaller, and as legible at 144 dpi.
_GREYS = 16
_GREY_INDEX = bytes((value * (_GREYS - 1) + 127) // 255 for value in range(256))
_BOX_COLOURS = [*COLOURS.values(), SECTION_COLOUR]
_PALETTE = [round(i * 255 / (_GREYS - 1)) for i in range(_GREYS) for _ in range(3)] + [
    int(c[i : i + 2], 16) for c in _BOX_COLOURS for i in (1, 3, 5)
]


def _box_index(field: str) -> int:
    return _GREYS + _BOX_COLOURS.index(colour(field))


def picture(grey: Image.Image, boxes: list[tuple[str, tuple]], origin: tuple[float, float], scale: float) -> str:
    """A grey page picture with each (field, bbox) drawn in its colour, as base64 PNG.
    `bbox` is in PDF points from `origin`, the rendered area's top-left corner."""
    indexed = Image.frombytes("P", grey.size, grey.convert("L").tobytes().translate(_GREY_INDEX))
    indexed.putpalette(_PALETTE)
    draw = ImageDraw.Draw(indexed)
    width = max(1, round(2 * scale))
    for field, (x0, top, x1, bottom) in boxes:
        box = [(x0 - origin[0]) * scale, (top - origin[1]) * scale, (x1 - origin[0]) * scale, (bottom - origin[1]) * scale]
        draw.rectangle([min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])], outline=_box_index(field), width=width)
    buffer = io.BytesIO()
    # zlib level 5: measured on the sample guide, a seventh larger than level 6 in three
    # quarters of the time (level 3: a third larger again). zlib's run-length strategy
    # encodes in 45% of level 5's time but is 26% larger (bench/RESULTS.md): the report's
    # size wins, it is opened and mailed more often than it is made
    indexed.save(buffer, format="PNG", compress_level=5)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


# Fewer pages than this are drawn here rather than in worker processes (a page takes
# 10-20 ms to render and encode; a range in the pool costs about as much).
PARALLEL_MIN_PAGES = 12


def render_pages(path: Path, password: str | None, jobs: list[tuple[int, list[tuple[str, tuple]]]]) -> list[tuple[int, dict]]:
    """For each (page, boxes): (page, picture); runs in a worker process, which opens the
    PDF itself, once for pdfplumber (page boxes, as the field boxes were measured) and once
    for PDFium (drawing)."""
    import pypdfium2

    out = []
    with open_pdf(path, password) as pdf:
        source = pdf.path if pdf.path else pdf.stream
        if hasattr(source, "seek"):
            source.seek(0)
        with _PDFIUM:
            document = pypdfium2.PdfDocument(source, password=password or None)
        try:
            for number, boxes in jobs:
                if not 1 <= number <= len(pdf.pages):
                    continue
                page = pdf.pages[number - 1]
                try:
                    width, height = float(page.width), float(page.height)
                    # PDFium draws the crop box; pdfplumber's boxes count from the page's bbox
                    crop = page.cropbox
                    origin = (page.bbox[0], page.bbox[1]) if page.bbox != page.mediabox else (crop[0], crop[1])
                    with _PDFIUM:
                        rendered = document[number - 1]
                        try:
                            # measured on the page PDFium draws: that is what takes the memory
                            resolution = min(picture_resolution(width, height), picture_resolution(*rendered.get_size()))
                            grey = rendered.render(scale=resolution / 72, grayscale=True, no_smoothtext=True, no_smoothpath=True).to_pil()
                        finally:
                            rendered.close()
                    scale = grey.width / max(crop[2] - crop[0], 1e-6)
                    out.append((number, {"width": width, "height": height, "png": picture(grey, boxes, origin, scale)}))
                finally:
                    page.close()
        finally:
            with _PDFIUM:
                document.close()
    return out


def page_pictures(path: Path, practices: list[dict], password: str | None = None, parallel: bool = True) -> dict[int, dict]:
    """page -> {"width", "height" (PDF points), "png" (base64)} for every page a practice
    occupies or was read from, with the boxes of every field read there drawn. One picture
    per page, however many practices share it. `practices` are contract-shaped dicts
    (id, pages, provenance). Page ranges are drawn in the run's worker processes when there
    are enough pages, and merged in page order."""
    wanted: dict[int, list[tuple[str, tuple]]] = {}
    for practice in practices:
        for field, spans in practice["provenance"].items():
            for span in spans:
                wanted.setdefault(span["page"], []).append((field, tuple(span["bbox"])))
        for page in practice["pages"]:
            wanted.setdefault(page, [])
    jobs = [(number, wanted[number]) for number in sorted(wanted)]
    workers = processes() if parallel and len(jobs) >= PARALLEL_MIN_PAGES else 1
    calls = [(Path(path).resolve(), password, jobs[a:b]) for a, b in ranges(len(jobs), workers * 2)]
    pictures: dict[int, dict] = {}
    for chunk in run_all(render_pages, calls, parallel=workers > 1):
        pictures.update(chunk)
    return pictures
