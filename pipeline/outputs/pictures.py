"""Pictures of the page regions a practice was read from, with each field's box drawn,
as base64 PNG for the self-contained report."""

from __future__ import annotations

import base64
import io
import math
from pathlib import Path

from PIL import Image

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


def practice_pictures(path: Path, practices: list[dict], password: str | None = None) -> dict[str, list[tuple[int, str]]]:
    """practice id -> [(page, base64 PNG)] with the practice's field boxes drawn.
    `practices` are contract-shaped dicts (id, pages, provenance)."""
    wanted: dict[int, list[tuple[str, str, tuple]]] = {}
    for practice in practices:
        for field, spans in practice["provenance"].items():
            for span in spans:
                wanted.setdefault(span["page"], []).append((practice["id"], field, tuple(span["bbox"])))
        for page in practice["pages"]:
            wanted.setdefault(page, [])
    pictures: dict[str, list[tuple[int, str]]] = {p["id"]: [] for p in practices}
    owners = {page: [p["id"] for p in practices if page in p["pages"]] for page in wanted}
    with open_pdf(path, password) as pdf:
        for number in sorted(wanted):
            page = pdf.pages[number - 1]
            try:
                with _PDFIUM:
                    base = page.to_image(resolution=picture_resolution(float(page.width), float(page.height)))
                for practice_id in owners[number]:
                    canvas = base.reset()
                    for owner, field, bbox in wanted[number]:
                        if owner == practice_id:
                            canvas.draw_rect(bbox, fill=None, stroke=colour(field), stroke_width=2)
                    pictures[practice_id].append((number, _png(canvas.annotated)))
            finally:
                page.close()
    return pictures
