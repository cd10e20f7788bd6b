"""Stage 1: read every page of a guide into words and links (`ExtractedPdf`)."""

from __future__ import annotations

import contextlib
import re
import secrets
import time
from collections import Counter
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from pipeline.errors import GuideError, Limits, gave_up
from pipeline.model import ExtractedPdf, PageText
from pipeline.outputs.pictures import MAX_PICTURE_PIXELS, RESOLUTION, picture_resolution
from pipeline.parallel import DeadlinePassed, processes, ranges, run_all
from pipeline.read.ocr import ocr_mode, read_pages
from pipeline.read.ocr_hooks import notice
from pipeline.read.tesseract import ACCENTS_HINT, accents_missing
from pipeline.read.pdf_file import cause_of, check_file, check_pages, in_words, open_error, open_pdf, sha256_of
from pipeline.read.words import page_links, page_text

__all__ = ["extract_pdf", "sha256_of", "check_file", "check_pages"]

# Fewer pages than this are read here: below it the hand-over to worker processes costs
# more than it saves (bench/RESULTS.md: a page takes about 35 ms, a range handed to a
# warm pool about 10 ms, a first pool about 0.3 s).
PARALLEL_MIN_PAGES = 8
# Ranges per worker: small ranges even out pages of unequal cost; each costs a file open.
RANGES_PER_WORKER = 4


def _why(error: Exception) -> str:
    return in_words(cause_of(error))


def _read_page(page, deadline: float | None = None) -> tuple[PageText, list[dict], bool]:
    """One page: its text, its warnings, and whether it is an image without text."""
    warnings: list[dict] = []
    if deadline is not None and time.monotonic() > deadline:
        page.close()
        raise DeadlinePassed()
    try:
        try:
            links = page_links(page)
        except Exception as error:  # noqa: BLE001  (the words are read all the same)
            links = []
            warnings.append({"code": "links_unreadable", "message": f"Page {page.page_number}: its link annotations could not be read ({_why(error)}); its text is kept.", "page": page.page_number, "field": None})
        text = page_text(page, links)
        reduced = picture_resolution(text.width, text.height)
        if reduced < RESOLUTION:
            warnings.append({"code": "page_picture_reduced", "message": f"Page {page.page_number} is {text.width:g} x {text.height:g} points; its picture in the report is drawn at {reduced:g} dpi to stay within {MAX_PICTURE_PIXELS:,} pixels.", "page": page.page_number, "field": None})
        return text, warnings, (not text.words and bool(page.images))
    except GuideError:
        raise
    except Exception as error:  # one damaged page is a warning, not a lost guide
        warnings.append({"code": "page_unreadable", "message": f"Page {page.page_number} could not be read ({_why(error)}).", "page": page.page_number, "field": None})
        return PageText(number=page.page_number, width=float(page.width), height=float(page.height), words=[]), warnings, False
    finally:
        page.close()


def _info(metadata: dict) -> dict[str, str]:
    """The info dictionary's Author and CreationDate, where they are text (the guide's
    metadata falls back on them: fields/metadata.py)."""
    out = {}
    for key in ("Author", "CreationDate"):
        value = metadata.get(key)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()[:500]
    return out


# The PDF a worker process opened for the extraction it last read a range of:
# (that extraction's token, the file's context, the open PDF).
_kept: tuple[str, contextlib.ExitStack, object] | None = None


def _kept_open(path: Path, password: str | None, reading: str):
    """The extraction's PDF, opened once in this worker process for all the ranges of
    it the worker reads: opening the file, reading its page tree and parsing its fonts
    (ToUnicode maps) again for each range cost a worker 14 ms a range, a tenth of
    reading the sample guide's pages (bench/RESULTS.md). A range of another extraction
    (a new token, even of the same file) closes it and opens its own, so at most one PDF
    stays open per worker, holding at most what reading the guide in one process holds."""
    global _kept
    if _kept is not None and _kept[0] == reading:
        return _kept[2]
    _forget_kept()
    stack = contextlib.ExitStack()
    pdf = stack.enter_context(open_pdf(path, password))
    _kept = (reading, stack, pdf)
    return pdf


def _forget_kept() -> None:
    global _kept
    if _kept is not None:
        kept, _kept = _kept, None
        kept[1].close()


def read_range(path: Path, password: str | None, first: int, last: int, reading: str | None = None) -> list[tuple[PageText, list[dict], bool]]:
    """Pages [first, last) (0-based) of the file; runs in a worker process, which opens
    the PDF itself so that only words travel back. `reading`: a token of the extraction
    the range belongs to, whose ranges share one open PDF in the worker (`_kept_open`)."""
    if reading is None:
        with open_pdf(path, password) as pdf:
            return [_read_page(pdf.pages[i]) for i in range(first, last)]
    try:
        pdf = _kept_open(path, password, reading)
        return [_read_page(pdf.pages[i]) for i in range(first, last)]
    except BaseException:
        _forget_kept()  # a failure leaves nothing half-read behind for the next range
        raise


def extract_pdf(
    path: Path, password: str | None = None, limits: Limits | None = None, ocr: str | None = None, parallel: bool = True
) -> ExtractedPdf:
    """The words of every page. With `parallel` and enough pages, page ranges are read in
    the run's worker processes and merged in page order: the same result, byte for byte.
    `ocr`: 'auto' reads pages without a text layer with Tesseract, 'always' every page,
    'never' none (default: $GUIDE_EXTRACT_OCR, else auto)."""
    path = Path(path)
    mode = ocr_mode(ocr)
    limits = limits or Limits.from_env()
    # the stage's own deadline: worker processes and Tesseract are ended when it passes,
    # whether or not Prefect's timeout (which cannot reach them) has fired
    deadline = time.monotonic() + limits.timeout
    check_file(path, limits)
    warnings: list[dict] = []
    pages: list[PageText] = []
    no_text: list[int] = []
    try:
        with open_pdf(path, password, warnings) as pdf:
            title = (pdf.metadata or {}).get("Title")
            info = _info(pdf.metadata or {})
            count = len(pdf.pages)
            check_pages(count, limits)
            # a file that had to be repaired is read here, from its one repaired copy
            workers = processes() if parallel and count >= PARALLEL_MIN_PAGES and not warnings else 1
            read = [_read_page(page, deadline) for page in pdf.pages] if workers < 2 else None
        if read is None:
            reading = secrets.token_hex(8)  # this extraction's ranges share one open file in each worker
            calls = [(path.resolve(), password, a, b, reading) for a, b in ranges(count, workers * RANGES_PER_WORKER)]
            read = [page for chunk in run_all(read_range, calls, deadline=deadline) for page in chunk]
        for text, page_warnings, image_only in read:
            pages.append(text)
            warnings.extend(page_warnings)
            if image_only:
                no_text.append(text.number)
    except GuideError:
        raise
    except DeadlinePassed:
        raise GuideError(gave_up(limits.timeout)) from None
    except BrokenProcessPool:
        raise GuideError("a worker process reading the pages died (out of memory?); rerun with GUIDE_EXTRACT_PROCESSES=1") from None
    except Exception as error:
        raise open_error(error, password) from None
    pages, ocr_pages, no_text = _ocr(path, password, mode, pages, no_text, warnings, deadline, limits)
    if all(not p.words for p in pages):
        unreadable = [w for w in warnings if w["code"] == "page_unreadable"]
        if unreadable and len(unreadable) + len(no_text) >= len(pages):
            # every page is unreadable or a blank image: the reason is the first page's
            first = unreadable[0]
            why = first["message"].removeprefix(f"Page {first['page']} could not be read (").removesuffix(").")
            raise GuideError(f"no page can be read (page {first['page']}: {why})")
        if no_text and ocr_pages:
            raise GuideError(f"the PDF has no text layer and OCR found no text on its pages ({_ranges(no_text)})")
        if no_text:
            raise GuideError(f"the PDF has no text layer (scanned images only, pages {_ranges(no_text)}); run OCR on it first")
        raise GuideError("the PDF contains no text")
    if no_text:
        warnings.append({"code": "pages_without_text", "message": f"Pages {_ranges(no_text)} are images without a text layer; their text is not read.", "page": no_text[0], "field": None})
    return ExtractedPdf(
        file=path.name,
        sha256=sha256_of(path),
        metadata_title=str(title).strip() or None if title else None,
        info=info,
        pages=pages,
        warnings=warnings,
        ocr_pages=ocr_pages,
    )


def _ocr(path: Path, password: str | None, mode: str, pages: list[PageText], no_text: list[int], warnings: list[dict],
         deadline: float | None = None, limits: Limits | None = None):
    """Pages, the pages read by OCR, and the pages still without text.

    'always' reads every page with Tesseract, but a page's text layer is what its author
    typed: where the page has one and it holds most of the words OCR reads, the text
    layer's words are kept (OCR only confirms them: 'IoT' must not become 'lol'); only a
    text layer that lacks most of them (garbled by a broken font encoding) is replaced."""
    wanted = [p.number for p in pages] if mode == "always" else no_text if mode == "auto" else []
    if not wanted:
        return pages, [], no_text
    layered = [n for n in wanted if pages[n - 1].words]
    if layered:
        notice(path.name, f"{len(layered)} of {len(pages)} pages have a text layer; --ocr always reads them by OCR to check it and keeps the text layer where OCR agrees")
    try:
        read = read_pages(path, [(n, pages[n - 1].width, pages[n - 1].height) for n in wanted], password, deadline=deadline, notes=warnings)
    except DeadlinePassed:
        raise GuideError(gave_up(limits.timeout if limits else 0)) from None
    except GuideError as error:
        if all(not p.words for p in pages):
            raise
        warnings.append({"code": "ocr_unavailable", "message": f"{error}.", "page": wanted[0], "field": None})
        return pages, [], no_text
    if accents_missing():
        warnings.append({
            "code": "ocr_accents_unavailable", "page": wanted[0], "field": None,
            "message": f"Tesseract has no Latin-script data, so accented letters on pages read by OCR may have lost their accents ({ACCENTS_HINT}).",
        })
    kept, replaced = [], []
    for n in layered:
        if agreement(read[n].words, pages[n - 1].words) >= TEXT_LAYER_AGREES:
            kept.append(n)
            del read[n]
        else:
            replaced.append(n)
    if kept:
        warnings.append({
            "code": "ocr_text_layer_kept", "page": kept[0], "field": None,
            "message": f"Pages {_ranges(kept)} have a text layer that OCR confirms; its words are kept (--ocr always reads them only to check).",
        })
    if replaced:
        warnings.append({
            "code": "ocr_text_layer_replaced", "page": replaced[0], "field": None,
            "message": f"The text layer of pages {_ranges(replaced)} disagrees with what OCR reads on them (a garbled font encoding?); the OCR reading is used.",
        })
    # link annotations are the PDF's, not the text's: a page read by OCR keeps them
    pages = [read[p.number].model_copy(update={"links": p.links}) if p.number in read else p for p in pages]
    return pages, sorted(read), [n for n in no_text if not read[n].words]


# Share of the words OCR reads on a page that its text layer must hold for the text layer
# to stand: OCR reads 90-99% of a clean page's words exactly, while a garbled encoding
# shares almost none with it. Counted from OCR's side, so that a page OCR reads little
# of (a cover set over a photograph) keeps its text layer.
TEXT_LAYER_AGREES = 0.5


def _tokens(words) -> Counter:
    return Counter(t for t in (re.sub(r"\W", "", w.text).lower() for w in words) if len(t) >= 3)


def agreement(read: list, layer: list) -> float:
    """Share of the words OCR read on a page (three letters or more, punctuation aside)
    that its text layer holds too; 1 when OCR read none."""
    wanted = _tokens(read)
    if not wanted:
        return 1.0
    return sum((wanted & _tokens(layer)).values()) / sum(wanted.values())


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> '1-3, 7'"""
    out: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(f"{start}-{prev}" if prev != start else str(start))
        if n is not None:
            start = prev = n
    return ", ".join(out)
