"""Scanned copies of PDFs, made here: each page rendered to an image at a scanner's
resolution, turned by a small angle, speckled, printed on grey paper, and wrapped as an
image-only PDF (no text layer), the way a printed and scanned guide arrives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2
from PIL import Image


def scan_page(pdf: pypdfium2.PdfDocument, index: int, dpi: int, angle: float, seed: int) -> Image.Image:
    page = pdf[index]
    try:
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        page.close()
    # grey paper and toner a little short of black, like a flatbed scan of office paper
    pixels = np.asarray(image, dtype=np.float32)
    pixels = 35 + pixels * (205 - 35) / 255
    image = Image.fromarray(pixels.astype(np.uint8))
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=205)
    pixels = np.asarray(image, dtype=np.int16).copy()
    rng = np.random.default_rng(seed)
    pixels += rng.normal(0, 6, pixels.shape).astype(np.int16)  # sensor noise
    specks = rng.random(pixels.shape)
    pixels[specks < 0.0008] = 30  # dust
    pixels[specks > 0.9995] = 250  # toner drop-outs
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def scan_pdf(source: Path, target: Path, dpi: int = 200, angle: float = 1.2, pages: list[int] | None = None, seed: int = 7) -> Path:
    """An image-only copy of `source` (1-based `pages`, all by default), turned by `angle` degrees."""
    pdf = pypdfium2.PdfDocument(str(source))
    try:
        numbers = pages or list(range(1, len(pdf) + 1))
        images = [scan_page(pdf, n - 1, dpi, angle if i % 2 == 0 else -angle * 0.7, seed + n) for i, n in enumerate(numbers)]
    finally:
        pdf.close()
    images[0].save(target, format="PDF", save_all=True, append_images=images[1:], resolution=float(dpi))
    return target


def mixed_pdf(source: Path, target: Path, scanned: list[int], dpi: int = 200, angle: float = 1.0) -> Path:
    """`source` with the 1-based `scanned` pages replaced by scans of themselves."""
    from pypdf import PdfReader, PdfWriter

    scan = scan_pdf(source, target.with_suffix(".scan.pdf"), dpi, angle, scanned)
    original, images = PdfReader(source), PdfReader(scan)
    writer = PdfWriter()
    for number, page in enumerate(original.pages, start=1):
        writer.add_page(images.pages[scanned.index(number)] if number in scanned else page)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


CORE = ("title", "theme", "pages", "summary", "institution", "location", "contacts", "websites", "period", "period_parsed")


def _opening(text: str | None, words: int = 8) -> str | None:
    return None if text is None else " ".join(text.split()[:words])


def core_fields(practice) -> dict:
    """A practice's core fields in the reference's shape (tests/reference/*.json)."""
    return {
        "title": practice.title,
        "theme": practice.theme.number if practice.theme else None,
        "pages": practice.pages,
        "summary": _opening(practice.summary),
        "institution": practice.institution,
        "location": practice.location.raw,
        "contacts": [[c.name, c.organisation, c.email] for c in practice.contacts],
        "websites": practice.websites,
        "period": practice.period.raw,
        "period_parsed": [practice.period.start, practice.period.end, practice.period.ongoing],
    }


def value_items(practice) -> list:
    """A practice's typed values in the reference's shape, one item per value."""
    return (
        [("country_code", practice.location.country_code)]
        + [("budget", [m.raw, m.amount, m.currency, m.role]) for m in practice.budgets]
        + [("metric", [m.value, m.unit, m.qualifier] + ([m.scale] if m.scale else [])) for m in practice.metrics]
    )


def accuracy(guide, reference: dict) -> dict:
    """Exact core fields and values of `guide` against the hand-checked reference,
    practice by practice in order; misses listed per field."""
    expected = reference["practices"]
    exact = total = values_found = values_total = 0
    misses: dict[str, list] = {}
    for index, want in enumerate(expected):
        got = guide.practices[index] if index < len(guide.practices) else None
        fields = core_fields(got) if got else {}
        for name in CORE:
            total += 1
            if got is not None and fields[name] == want[name]:
                exact += 1
            else:
                misses.setdefault(name, []).append((index + 1, fields.get(name), want[name]))
        wanted = [("country_code", want["country_code"])] + [("budget", b) for b in want["budgets"]] + [("metric", m) for m in want["metrics"]]
        found = value_items(got) if got else []
        values_total += len(wanted)
        for item in wanted:
            if item in found:
                found.remove(item)
                values_found += 1
            else:
                misses.setdefault(item[0], []).append((index + 1, item[1]))
    return {
        "practices": len(guide.practices),
        "core_exact": exact / total,
        "values_exact": values_found / values_total,
        "misses": misses,
    }
