"""Pictures of the page regions a practice was read from, with each field's box drawn,
as base64 PNG for the self-contained report."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pdfplumber
from PIL import Image

from schemas import Guide

RESOLUTION = 72
COLOURS = {
    "title": "#d62728", "summary": "#ff7f0e", "institution": "#1f77b4", "location": "#17becf",
    "contacts": "#9467bd", "websites": "#2ca02c", "period": "#8c564b",
}
SECTION_COLOUR = "#7f7f7f"


def colour(field: str) -> str:
    return COLOURS.get(field, SECTION_COLOUR)


def _png(image: Image.Image) -> str:
    buffer = io.BytesIO()
    # A 64-colour palette keeps text legible at a fraction of the size.
    image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(buffer, format="PNG", optimize=True)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def practice_pictures(path: Path, guide: Guide, password: str | None = None) -> dict[str, list[tuple[int, str]]]:
    """practice id -> [(page, base64 PNG)] with the practice's field boxes drawn."""
    wanted: dict[int, list[tuple[str, str, tuple]]] = {}
    for practice in guide.practices:
        for field, spans in practice.provenance.items():
            for span in spans:
                wanted.setdefault(span.page, []).append((practice.id, field, span.bbox))
        for page in practice.pages:
            wanted.setdefault(page, [])
    pictures: dict[str, list[tuple[int, str]]] = {p.id: [] for p in guide.practices}
    owners = {page: [p.id for p in guide.practices if page in p.pages] for page in wanted}
    with pdfplumber.open(path, password=password or "") as pdf:
        for number in sorted(wanted):
            page = pdf.pages[number - 1]
            try:
                base = page.to_image(resolution=RESOLUTION)
                for practice_id in owners[number]:
                    canvas = base.reset()
                    for owner, field, bbox in wanted[number]:
                        if owner == practice_id:
                            canvas.draw_rect(bbox, fill=None, stroke=colour(field), stroke_width=2)
                    pictures[practice_id].append((number, _png(canvas.annotated)))
            finally:
                page.close()
    return pictures
