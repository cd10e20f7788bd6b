"""The file before its pages: is it there, a PDF, whole, within the limits; why it cannot
be opened; its identity (SHA-256)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import GuideError, Limits


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


def open_error(error: Exception, password: str | None) -> GuideError:
    cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    if isinstance(cause, PDFPasswordIncorrect):
        return GuideError("the PDF is encrypted and the password is wrong" if password else "the PDF is encrypted: a password is needed (--password)")
    if isinstance(cause, PDFEncryptionError):
        return GuideError(f"the PDF uses an encryption this tool cannot open ({cause})")
    detail = str(cause).strip() or cause.__class__.__name__
    return GuideError(f"the PDF is damaged and cannot be read ({detail})")
