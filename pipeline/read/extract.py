"""Stage 1: read every page of a guide into words and links (`ExtractedPdf`)."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import GuideError, Limits
from pipeline.model import ExtractedPdf, PageText
from pipeline.outputs.pictures import MAX_PICTURE_PIXELS, RESOLUTION, picture_resolution
from pipeline.read.pdf_file import cause_of, check_file, check_pages, in_words, open_error, open_pdf, sha256_of
from pipeline.read.words import page_links, page_text

__all__ = ["extract_pdf", "sha256_of", "check_file", "check_pages"]


def _why(error: Exception) -> str:
    return in_words(cause_of(error))


def extract_pdf(path: Path, password: str | None = None, limits: Limits | None = None) -> ExtractedPdf:
    path = Path(path)
    limits = limits or Limits.from_env()
    check_file(path, limits)
    warnings: list[dict] = []
    pages: list[PageText] = []
    no_text: list[int] = []
    try:
        with open_pdf(path, password, warnings) as pdf:
            title = (pdf.metadata or {}).get("Title")
            check_pages(len(pdf.pages), limits)
            for page in pdf.pages:
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
                    if not text.words and page.images:
                        no_text.append(page.page_number)
                    pages.append(text)
                except GuideError:
                    raise
                except Exception as error:  # one damaged page is a warning, not a lost guide
                    warnings.append({"code": "page_unreadable", "message": f"Page {page.page_number} could not be read ({_why(error)}).", "page": page.page_number, "field": None})
                    pages.append(PageText(number=page.page_number, width=float(page.width), height=float(page.height), words=[]))
                finally:
                    page.close()
    except GuideError:
        raise
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
