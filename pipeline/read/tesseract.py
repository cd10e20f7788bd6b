"""Which Tesseract a run has and which models it reads with. Kept apart from the OCR
itself (ocr.py, which imports numpy, PIL and the image work): every run names these models
in its cache key, a cached guide's run included, which needs none of that."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess

from pipeline.errors import GuideError

INSTALL_HINT = "install Tesseract (apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-script-latn) or use --ocr never"
ACCENTS_HINT = "apt-get install tesseract-ocr-script-latn"
LANG = os.environ.get("GUIDE_EXTRACT_OCR_LANG", "eng")
# The second reading that restores accents (accents.py); Debian's tesseract-ocr-script-latn.
# Empty turns it off; without its data the English reading stands alone, with a warning.
ACCENTS = os.environ.get("GUIDE_EXTRACT_OCR_ACCENTS", "Latin").strip()
# The program pytesseract runs (its default `tesseract_cmd`, found on PATH); named here so
# that checking for it does not import pytesseract, and with it numpy and PIL.
COMMAND = "tesseract"


def tesseract_found() -> bool:
    return shutil.which(COMMAND) is not None


_LIST = [COMMAND, "--list-langs"]
# `tesseract --list-langs` started ahead of need (`start_listing`), or None.
_listing: subprocess.Popen | None = None


def start_listing() -> None:
    """Start asking Tesseract for its models now, in the background. Every run's cache key
    names them, a cached guide's too, and the program takes 20-60 ms to start and answer:
    started before the run imports Prefect (a second), its answer is waiting when the key
    is made. Nothing is started when Tesseract is not installed."""
    global _listing
    if _listing is not None or not tesseract_found():
        return
    try:
        _listing = subprocess.Popen(_LIST, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    except OSError:
        _listing = None  # `_languages` runs it again and reports what is wrong


@functools.lru_cache(maxsize=1)
def _languages() -> tuple[str, ...]:
    """The language data Tesseract has ('eng', 'Latin', ...)."""
    global _listing
    process, _listing = _listing, None
    if process is None:
        process = subprocess.Popen(_LIST, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    with process:  # as subprocess.run: a program that hangs is killed at the timeout
        try:
            stdout, _ = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    names = [line.strip() for line in stdout.splitlines()[1:] if line.strip()]
    return tuple(name.removeprefix("script/") for name in names)


def require_tesseract() -> None:
    """A scanned page needs the tesseract binary and its English data; say how to get them."""
    if not tesseract_found():
        raise GuideError(f"the PDF has pages without a text layer and Tesseract is not installed; {INSTALL_HINT}")
    try:
        languages = _languages()
    except Exception as error:  # a broken install
        raise GuideError(f"Tesseract does not run ({error.__class__.__name__}); {INSTALL_HINT}") from None
    if any(lang not in languages for lang in LANG.split("+")):
        raise GuideError(f"Tesseract has no '{LANG}' language data; {INSTALL_HINT}")


def accents_missing() -> bool:
    """The accent reading is wanted but Tesseract has no data for it."""
    return bool(ACCENTS) and not accent_model()


def reading_models() -> str:
    """The Tesseract models an OCR'd page is read with ('eng+Latin'): what it reads
    depends on them, so cached OCR results are kept under them."""
    return "+".join(model for model in (LANG, accent_model()) if model)


def accent_model() -> str:
    """The model of the accent reading, or '' when it is off or its data is missing."""
    if not ACCENTS:
        return ""
    try:
        return ACCENTS if ACCENTS in _languages() else ""
    except Exception:  # noqa: BLE001  (require_tesseract has said what is wrong)
        return ""
