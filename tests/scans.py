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
