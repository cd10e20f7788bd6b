"""Pictures of the page regions a practice was read from, with each field's box drawn,
as base64 PNG for the self-contained report."""

from __future__ import annotations

import base64
import io
import math
from pathlib import Path

from PIL import Image

from pipeline.parallel import processes, ranges, run_all
from pipeline.read.pdf_file import PDFIUM_LOCK as _PDFIUM, open_pdf

RESOLUTION = 72
# A page may be up to 200 inches square (more with UserUnit): at 72 dpi that is 200
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


def render_pages(path: Path, password: str | None, jobs: list[tuple[int, list[str], list[tuple[str, str, tuple]]]]) -> list[tuple[int, list[tuple[str, str]]]]:
    """For each (page, its practices, boxes): [(practice id, base64 PNG)]; runs in a
    worker process, which opens the PDF itself."""
    out = []
    with open_pdf(path, password) as pdf:
        for number, practice_ids, boxes in jobs:
            page = pdf.pages[number - 1]
            try:
                with _PDFIUM:
                    base = page.to_image(resolution=picture_resolution(float(page.width), float(page.height)))
                drawn = []
                for practice_id in practice_ids:
                    canvas = base.reset()
                    for owner, field, bbox in boxes:
                        if owner == practice_id:
                            canvas.draw_rect(bbox, fill=None, stroke=colour(field), stroke_width=2)
                    drawn.append((practice_id, _png(canvas.annotated)))
                out.append((number, drawn))
            finally:
                page.close()
    return out


def practice_pictures(path: Path, practices: list[dict], password: str | None = None, parallel: bool = True) -> dict[str, list[tuple[int, str]]]:
    """practice id -> [(page, base64 PNG)] with the practice's field boxes drawn.
    `practices` are contract-shaped dicts (id, pages, provenance). Page ranges are drawn in
    the run's worker processes when there are enough pages, and merged in page order."""
    wanted: dict[int, list[tuple[str, str, tuple]]] = {}
    for practice in practices:
        for field, spans in practice["provenance"].items():
            for span in spans:
                wanted.setdefault(span["page"], []).append((practice["id"], field, tuple(span["bbox"])))
        for page in practice["pages"]:
            wanted.setdefault(page, [])
    pictures: dict[str, list[tuple[int, str]]] = {p["id"]: [] for p in practices}
    jobs = [(number, [p["id"] for p in practices if number in p["pages"]], wanted[number]) for number in sorted(wanted)]
    workers = processes() if parallel and len(jobs) >= PARALLEL_MIN_PAGES else 1
    calls = [(Path(path).resolve(), password, jobs[a:b]) for a, b in ranges(len(jobs), workers * 2)]
    for chunk in run_all(render_pages, calls, parallel=workers > 1):
        for number, drawn in chunk:
            for practice_id, png in drawn:
                pictures[practice_id].append((number, png))
    return pictures
