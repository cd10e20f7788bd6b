"""Stage 1: read every page of a guide into words and links (`ExtractedPdf`)."""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pdfplumber

from pipeline.errors import GuideError, Limits
from pipeline.model import ExtractedPdf, PageText
from pipeline.parallel import processes, ranges, run_all
from pipeline.read.pdf_file import check_file, open_error, sha256_of
from pipeline.read.words import page_text

__all__ = ["extract_pdf", "sha256_of", "check_file"]


# Fewer pages than this are read here: below it the hand-over to worker processes costs
# more than it saves (bench/RESULTS.md: a page takes 30-90 ms, a range in a warm pool
# about 15 ms, a cold pool about 0.4 s).
PARALLEL_MIN_PAGES = 8
# Ranges per worker: small ranges even out pages of unequal cost; each costs a file open.
RANGES_PER_WORKER = 4


def _read_page(page) -> tuple[PageText, dict | None, bool]:
    """One page: its text, a warning when it could not be read, and whether it is an
    image without text."""
    try:
        text = page_text(page)
        return text, None, (not text.words and bool(page.images))
    except GuideError:
        raise
    except Exception as error:  # one damaged page is a warning, not a lost guide
        warning = {"code": "page_unreadable", "message": f"Page {page.page_number} could not be read ({error.__class__.__name__}).", "page": page.page_number, "field": None}
        return PageText(number=page.page_number, width=float(page.width), height=float(page.height), words=[]), warning, False
    finally:
        page.close()


def read_range(path: Path, password: str | None, first: int, last: int) -> list[tuple[PageText, dict | None, bool]]:
    """Pages [first, last) (0-based) of the file; runs in a worker process, which opens
    the PDF itself so that only words travel back."""
    with pdfplumber.open(path, password=password or "") as pdf:
        return [_read_page(pdf.pages[i]) for i in range(first, last)]


def extract_pdf(path: Path, password: str | None = None, limits: Limits = Limits(), parallel: bool = True) -> ExtractedPdf:
    """The words of every page. With `parallel` and enough pages, page ranges are read in
    the run's worker processes and merged in page order: the same result, byte for byte."""
    path = Path(path)
    check_file(path, limits)
    warnings: list[dict] = []
    pages: list[PageText] = []
    no_text: list[int] = []
    try:
        with pdfplumber.open(path, password=password or "") as pdf:
            title = (pdf.metadata or {}).get("Title")
            count = len(pdf.pages)
            if count > limits.max_pages:
                raise GuideError(f"the PDF has {count} pages, over the limit of {limits.max_pages} (--max-pages)")
            if not count:
                raise GuideError("the PDF has no pages")
            workers = processes() if parallel and count >= PARALLEL_MIN_PAGES else 1
            read = [_read_page(page) for page in pdf.pages] if workers < 2 else None
        if read is None:
            calls = [(path.resolve(), password, a, b) for a, b in ranges(count, workers * RANGES_PER_WORKER)]
            read = [page for chunk in run_all(read_range, calls) for page in chunk]
        for text, warning, image_only in read:
            pages.append(text)
            if warning:
                warnings.append(warning)
            if image_only:
                no_text.append(text.number)
    except GuideError:
        raise
    except BrokenProcessPool:
        raise GuideError("a worker process reading the pages died (out of memory?); rerun with GUIDE_EXTRACT_PROCESSES=1") from None
    except Exception as error:
        raise open_error(error, password) from None
    if all(not p.words for p in pages):
        if no_text:
            raise GuideError(f"the PDF has no text layer (scanned images only, pages {_ranges(no_text)}); run OCR on it first")
        raise GuideError("the PDF contains no text")
    if no_text:
        warnings.append({"code": "pages_without_text", "message": f"Pages {_ranges(no_text)} are images without a text layer; their text is not read.", "page": no_text[0], "field": None})
    return ExtractedPdf(
        file=path.name,
        sha256=sha256_of(path),
        metadata_title=str(title).strip() or None if title else None,
        pages=pages,
        warnings=warnings,
    )


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
