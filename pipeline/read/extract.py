"""Stage 1: read words (text, font, size, box) and link annotations with pdfplumber."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import GuideError, Limits
from pipeline.model import ExtractedPdf, Link, PageText, Word

# Presentation forms that some typesetters emit for ligatures; searching and matching
# need the plain letters.
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st", "\u00ad": ""}
)
_BOLD = ("bold", "black", "heavy", "semibold", "demi")
_ITALIC = ("italic", "oblique")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_file(path: Path, limits: Limits) -> None:
    """Refuse what is not worth opening: missing, empty, oversized, not a PDF, cut short."""
    if not path.exists():
        raise GuideError("no such file")
    if not path.is_file():
        raise GuideError("not a file")
    size = path.stat().st_size
    if size == 0:
        raise GuideError("the file is empty")
    if size > limits.max_mb * 1024 * 1024:
        raise GuideError(f"the file is {size / 1048576:.0f} MB, over the limit of {limits.max_mb:g} MB (--max-mb)")
    with path.open("rb") as handle:
        head = handle.read(1024)
        handle.seek(max(0, size - 2048))
        tail = handle.read()
    if b"%PDF-" not in head:
        raise GuideError("not a PDF (the file does not start with %PDF-)")
    if b"%%EOF" not in tail:
        raise GuideError("the PDF is truncated (no end-of-file marker)")


def _open_error(error: Exception, password: str | None) -> GuideError:
    cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    if isinstance(cause, PDFPasswordIncorrect):
        return GuideError("the PDF is encrypted and the password is wrong" if password else "the PDF is encrypted: a password is needed (--password)")
    if isinstance(cause, PDFEncryptionError):
        return GuideError(f"the PDF uses an encryption this tool cannot open ({cause})")
    detail = str(cause).strip() or cause.__class__.__name__
    return GuideError(f"the PDF is damaged and cannot be read ({detail})")


def extract_pdf(path: Path, password: str | None = None, limits: Limits = Limits()) -> ExtractedPdf:
    path = Path(path)
    check_file(path, limits)
    warnings: list[dict] = []
    pages: list[PageText] = []
    no_text: list[int] = []
    try:
        with pdfplumber.open(path, password=password or "") as pdf:
            title = (pdf.metadata or {}).get("Title")
            if len(pdf.pages) > limits.max_pages:
                raise GuideError(f"the PDF has {len(pdf.pages)} pages, over the limit of {limits.max_pages} (--max-pages)")
            if not pdf.pages:
                raise GuideError("the PDF has no pages")
            for page in pdf.pages:
                try:
                    text = page_text(page)
                    if not text.words and page.images:
                        no_text.append(page.page_number)
                    pages.append(text)
                except GuideError:
                    raise
                except Exception as error:  # one damaged page is a warning, not a lost guide
                    warnings.append({"code": "page_unreadable", "message": f"Page {page.page_number} could not be read ({error.__class__.__name__}).", "page": page.page_number, "field": None})
                    pages.append(PageText(number=page.page_number, width=float(page.width), height=float(page.height), words=[]))
                finally:
                    page.close()
    except GuideError:
        raise
    except Exception as error:
        raise _open_error(error, password) from None
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


def _join_touching(words: list[Word]) -> list[Word]:
    """Rejoin a word that pdfplumber split where its size changes (small capitals)."""
    joined: list[Word] = []
    for word in words:
        last = joined[-1] if joined else None
        if (
            last is not None
            and abs(word.bottom - last.bottom) < 0.5
            and -0.5 < word.x0 - last.x1 < 0.3
            and last.bold == word.bold
            and last.italic == word.italic
        ):
            main = last if len(last.text) >= len(word.text) else word
            joined[-1] = main._replace(text=last.text + word.text, x0=last.x0, x1=word.x1, top=min(last.top, word.top))
        else:
            joined.append(word)
    return joined


def page_text(page) -> PageText:
    raw_words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)
    words = []
    for raw in raw_words:
        text = raw["text"].translate(_LIGATURES)
        if not text.strip():
            continue
        font = raw["fontname"].split("+")[-1].lower()
        words.append(
            Word(
                text=text,
                x0=round(raw["x0"], 2),
                top=round(raw["top"], 2),
                x1=round(raw["x1"], 2),
                bottom=round(raw["bottom"], 2),
                size=round(raw["size"], 1),
                bold=any(mark in font for mark in _BOLD),
                italic=any(mark in font for mark in _ITALIC),
            )
        )
    words = _join_touching(words)
    links = [
        Link(
            page=page.page_number,
            uri=str(link["uri"]),
            bbox=(round(link["x0"], 2), round(link["top"], 2), round(link["x1"], 2), round(link["bottom"], 2)),
        )
        for link in page.hyperlinks
        if link.get("uri")
    ]
    return PageText.model_construct(  # straight from pdfplumber: nothing to validate
        number=page.page_number,
        width=round(float(page.width), 2),
        height=round(float(page.height), 2),
        words=words,
        links=links,
    )
