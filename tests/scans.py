"""Scanned copies of PDFs, made here: each page rendered to an image at a scanner's
resolution, turned by a small angle, speckled, printed on grey paper, and wrapped as an
image-only PDF (no text layer), the way a printed and scanned guide arrives.

`Scan` names the degradations of one way of scanning (resolution, grey or colour, skew,
noise, JPEG quality, coloured type printed as mid-grey, a 2-up photocopy's shadow); all
random parts are seeded, so a scan is the same file every time."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2
from PIL import Image, ImageFilter


@dataclass(frozen=True)
class Scan:
    """One way of scanning. The defaults are the project's first scans (tests/test_ocr.py):
    200 dpi grey, 1.2 degrees, sensor noise and dust on grey paper, JPEG quality 75."""

    name: str = "grey-200"
    dpi: int = 200
    colour: bool = False  # an RGB scan, else greyscale
    angle: float = 1.2  # degrees; every other page turns the other way by 0.7 of it
    noise: float = 6.0  # sensor noise, standard deviation in grey levels
    speckle: float = 0.0008  # share of pixels that are dust
    quality: int = 75  # JPEG quality of the stored page images
    grey_type: bool = False  # coloured type printed as mid-grey (a mono office printer)
    shadow: bool = False  # a 2-up photocopy: a dark band down one edge, fading inwards
    seed: int = 7


# The ordinary office scans of the issue (#19) and of the scan table (bench/ocr_table.py).
SCANS = {
    scan.name: scan
    for scan in (
        Scan(),
        Scan(name="office-200", dpi=200, angle=0.4, noise=4.0, speckle=0.0004, quality=80, grey_type=True),
        Scan(name="grey-150", dpi=150, angle=-0.8, quality=85, grey_type=True),
        Scan(name="grey-300", dpi=300, angle=1.5, quality=60, grey_type=True),
        Scan(name="colour-200", dpi=200, colour=True, angle=-1.5, quality=90),
        Scan(name="speckled-200", dpi=200, angle=0.7, noise=9.0, speckle=0.003, quality=70, grey_type=True),
        Scan(name="photocopy-200", dpi=200, angle=-0.5, quality=80, grey_type=True, shadow=True),
    )
}


def _paper(pixels: np.ndarray) -> np.ndarray:
    """Grey paper and toner a little short of black, like a flatbed scan of office paper."""
    return 35 + pixels * (205 - 35) / 255


def _render(pdf: pypdfium2.PdfDocument, index: int, scan: Scan) -> np.ndarray:
    """The page as float pixels (H x W x 3 for colour, H x W for grey)."""
    plain = not scan.colour and not scan.grey_type
    page = pdf[index]
    try:
        image = page.render(scale=scan.dpi / 72, grayscale=plain).to_pil()
    finally:
        page.close()
    if plain:  # pdfium's own grey, as the first scans were made
        return np.asarray(image.convert("L"), dtype=np.float32)
    rgb = np.asarray(image.convert("RGB"), dtype=np.float32)
    if scan.grey_type:
        # a mono printer prints colour as a screen of grey: coloured type and panels come
        # out mid-grey, as light as the colour is saturated
        chroma = rgb.max(axis=2) - rgb.min(axis=2)
        luma = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
        grey = np.where(chroma > 40, np.maximum(luma, 110 + 0.2 * luma), luma)
        rgb = np.repeat(grey[:, :, None], 3, axis=2)
    if not scan.colour:
        return rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return rgb


def scan_page(pdf: pypdfium2.PdfDocument, index: int, dpi: int, angle: float, seed: int, scan: Scan | None = None) -> Image.Image:
    scan = scan or Scan(dpi=dpi, angle=angle, seed=seed)
    pixels = _paper(_render(pdf, index, scan))
    mode = "RGB" if scan.colour else "L"
    image = Image.fromarray(pixels.astype(np.uint8), mode)
    fill = (205, 205, 200) if scan.colour else 205
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=fill)
    pixels = np.asarray(image, dtype=np.int16).copy()
    rng = np.random.default_rng(seed)
    pixels += rng.normal(0, scan.noise, pixels.shape).astype(np.int16)  # sensor noise
    specks = rng.random(pixels.shape[:2])
    pixels[specks < scan.speckle] = 30  # dust
    pixels[specks > 1 - scan.speckle * 0.6] = 250  # toner drop-outs
    if scan.shadow:
        # the gutter of a 2-up photocopy: dark at the edge, fading over a tenth of the page
        width = pixels.shape[1]
        ramp = np.clip(1 - np.arange(width, dtype=np.float32) / (0.1 * width), 0, 1) ** 2
        side = ramp if seed % 2 else ramp[::-1]
        shade = (side * 150)[None, :]
        pixels = (pixels - (shade[..., None] if scan.colour else shade)).astype(np.int16)
    out = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode)
    if scan.colour:
        out = out.filter(ImageFilter.SMOOTH)  # a colour sensor's softer focus
    return out


def scan_pdf(source: Path, target: Path, dpi: int = 200, angle: float = 1.2, pages: list[int] | None = None, seed: int = 7, scan: Scan | None = None) -> Path:
    """An image-only copy of `source` (1-based `pages`, all by default), turned by `angle`
    degrees; `scan` (when given) sets every degradation, its dpi and angle included."""
    scan = scan or Scan(dpi=dpi, angle=angle, seed=seed)
    pdf = pypdfium2.PdfDocument(str(source))
    try:
        numbers = pages or list(range(1, len(pdf) + 1))
        images = [
            scan_page(pdf, n - 1, scan.dpi, scan.angle if i % 2 == 0 else -scan.angle * 0.7, scan.seed + n, scan)
            for i, n in enumerate(numbers)
        ]
    finally:
        pdf.close()
    images[0].save(target, format="PDF", save_all=True, append_images=images[1:], resolution=float(scan.dpi), quality=scan.quality)
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


EDITION_CORE = ("title", "theme", "summary", "institution", "location", "contacts", "websites", "period", "period_parsed")
_SECTION_KEYS = ("about", "resources", "evidence", "challenges", "transfer")


def edition_accuracy(guide, expected: dict) -> dict:
    """`accuracy` for a generated edition (`html_variants.expected_values`' shape): exact
    core fields (pages aside: a scan of some pages numbers them anew) and values one by
    one (country code, each budget, each metric), practices matched by title; and the
    share of the sections the cards print whose heading was recognised (a section found,
    its text within a few characters: OCR's reading of a whole section is rarely exact)."""
    from difflib import SequenceMatcher

    by_title = {p.title: p for p in guide.practices}
    exact = total = values_found = values_total = sections_found = sections_total = 0
    misses: dict[str, list] = {}
    for index, want in enumerate(expected["practices"]):
        got = by_title.get(want["title"])
        fields = core_fields(got) if got else {}
        for name in EDITION_CORE:
            total += 1
            wanted = _opening(want[name]) if name == "summary" else want[name]
            if got is not None and fields[name] == wanted:
                exact += 1
            else:
                misses.setdefault(name, []).append((index, fields.get(name), wanted))
        items = [("country_code", want["country_code"])] + [("budget", b) for b in want["budgets"]] + [("metric", m) for m in want["metrics"]]
        found = (
            [("country_code", got.location.country_code)]
            + [("budget", [m.raw, m.amount, m.currency, m.role]) for m in got.budgets]
            + [("metric", [m.value, m.unit, m.qualifier]) for m in got.metrics]
        ) if got else []
        values_total += len(items)
        for item in items:
            if item in found:
                found.remove(item)
                values_found += 1
            else:
                misses.setdefault(item[0], []).append((index, item[1]))
        for key in _SECTION_KEYS:
            text = want["sections"][key]
            if not text:
                continue
            sections_total += 1
            read = getattr(got.sections, key) if got else None
            # autojunk off: on a text of 200 characters or more, difflib's default takes
            # every character that makes up 1% of it (spaces, 'e', 't') as junk, and a long
            # section read with one character different scored 0.33
            if read and SequenceMatcher(None, " ".join(text.split()), " ".join(read.split()), autojunk=False).ratio() >= 0.95:
                sections_found += 1
            else:
                misses.setdefault(f"section {key}", []).append((index, (read or "")[:80]))
    return {
        "practices": sum(p["title"] in by_title for p in expected["practices"]),
        "core_exact": exact / total,
        "values_exact": values_found / max(values_total, 1),
        "sections_found": sections_found / max(sections_total, 1),
        "misses": misses,
    }
