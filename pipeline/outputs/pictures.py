"""Pictures of the pages practices were read from, with each field's box drawn, as base64
PNG for the self-contained report."""

from __future__ import annotations

import base64
import io
import math
from pathlib import Path

from PIL import Image

from pipeline.parallel import processes, ranges, run_all
from pipeline.read.pdf_file import PDFIUM_LOCK as _PDFIUM, open_pdf

# Twice PDF resolution: the enlarged view must make the sidebar's small print readable.
RESOLUTION = 144
# A page may be up to 200 inches square (more with UserUnit): at 144 dpi that is 800
# million pixels. Pictures are drawn smaller above this many pixels.
MAX_PICTURE_PIXELS = 16_000_000


def picture_resolution(width: float, height: float) -> float:
    """RESOLUTION, or less so that the page's picture has at most MAX_PICTURE_PIXELS."""
    pixels = max(width, 1.0) * max(height, 1.0) * (RESOLUTION / 72) ** 2
    if pixels <= MAX_PICTURE_PIXELS:
        return RESOLUTION
    return math.floor(RESOLUTION * math.sqrt(MAX_PICTURE_PIXELS / pixels) * 100) / 100


COLOURS = {
    "title": "#d62728", "summary": "#ff7f0e", "institution": "#1f77b4", "location": "#17becf",
    "contacts": "#9467bd", "websites": "#2ca02c", "period": "#8c564b", "budgets": "#e6b800", "metrics": "#e377c2",
}
SECTION_COLOUR = "#7f7f7f"


def colour(field: str) -> str:
    return COLOURS.get(field.split("[", 1)[0], SECTION_COLOUR)  # 'budgets[2]' is drawn as a budget


def _png(image: Image.Image) -> str:
    buffer = io.BytesIO()
    # A 64-colour palette keeps text legible at a fifth of the size; the octree
    # quantizer is four times faster than median cut for the same file size.
    image.convert("RGB").quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(buffer, format="PNG", compress_level=6)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


# Fewer pages than this are drawn here rather than in worker processes (a page takes
# 10-20 ms to render and encode; a range in the pool costs about as much).
PARALLEL_MIN_PAGES = 12


def render_pages(path: Path, password: str | None, jobs: list[tuple[int, list[tuple[str, tuple]]]]) -> list[tuple[int, dict]]:
    """For each (page, boxes): (page, picture); runs in a worker process, which opens the
    PDF itself."""
    out = []
    with open_pdf(path, password) as pdf:
        for number, boxes in jobs:
            if not 1 <= number <= len(pdf.pages):
                continue
            page = pdf.pages[number - 1]
            try:
                with _PDFIUM:
                    resolution = picture_resolution(float(page.width), float(page.height))
                    canvas = page.to_image(resolution=resolution)
                for field, bbox in boxes:
                    canvas.draw_rect(bbox, fill=None, stroke=colour(field), stroke_width=max(1, round(2 * resolution / 72)))
                out.append((number, {"width": float(page.width), "height": float(page.height), "png": _png(canvas.annotated)}))
            finally:
                page.close()
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
