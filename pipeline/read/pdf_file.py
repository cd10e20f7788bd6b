"""The file before its pages: is it there, a regular file, a PDF, whole, within the limits;
opening it as tolerantly as common readers do; why it cannot be opened, in words; its
identity (SHA-256)."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import stat
import threading
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfexceptions import PDFValueError
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psexceptions import PSEOF, PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from pipeline.errors import GuideError, Limits
from pipeline.read import bounded_streams

# PDFium must never run in two threads of a process at once (guides of a batch share a
# thread pool): the repair here and the page pictures take this lock.
PDFIUM_LOCK = threading.Lock()

_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


@contextlib.contextmanager
def open_regular(path: Path):
    """A binary file object for `path`, only if it is a regular file. Opened without
    blocking (a FIFO with no writer would wait for ever) and checked on the open handle,
    so a file swapped for a pipe between a check and the open is still refused."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise GuideError("no such file") from None
    except IsADirectoryError:
        raise GuideError("not a file") from None
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket, or a FIFO some systems will not open
            raise GuideError("not a regular file (a named pipe or socket)") from None
        raise GuideError(f"the file cannot be read ({os.strerror(error.errno or 0).lower() or error})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise GuideError("not a file")
        if not stat.S_ISREG(mode):
            raise GuideError(f"not a regular file ({_KINDS.get(stat.S_IFMT(mode), 'a special file')})")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _has_eof_marker(handle, size: int) -> bool:
    """Readers accept bytes after the last %%EOF (mail gateways and downloads append
    some), so the marker is looked for from the end backwards, not only in the tail."""
    window, overlap = 1 << 20, 8
    end = size
    while end > 0:
        start = max(0, end - window)
        handle.seek(start)
        if b"%%EOF" in handle.read(end - start + overlap):
            return True
        end = start
    return False


def check_file(path: Path, limits: Limits) -> None:
    """Refuse what is not worth opening: missing, not a regular file, empty, oversized,
    not a PDF, cut short."""
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size == 0:
            raise GuideError("the file is empty")
        if size > limits.max_mb * 1024 * 1024:
            raise GuideError(f"the file is {size / 1048576:.0f} MB, over the limit of {limits.max_mb:g} MB (--max-mb)")
        head = handle.read(1024)  # readers accept junk before the header within the first KB
        if b"%PDF-" not in head:
            raise GuideError("not a PDF (the file does not start with %PDF-)")
        if not _has_eof_marker(handle, size):
            raise GuideError("the PDF is truncated (no end-of-file marker)")


def _password_error(cause: BaseException, password: str | None) -> GuideError | None:
    if isinstance(cause, PDFPasswordIncorrect):
        return GuideError("the PDF is encrypted and the password is wrong" if password else "the PDF is encrypted: a password is needed (--password)")
    if isinstance(cause, PDFEncryptionError):
        return GuideError(f"the PDF uses an encryption this tool cannot open ({cause})")
    # RC4 passwords are Latin-1 bytes, AES-256 ones SASLprep'd Unicode: a password outside
    # that (a control character, bytes that are not UTF-8 in the command line) cannot open it
    if password and (isinstance(cause, UnicodeEncodeError) or (isinstance(cause, PDFValueError) and "SASLprep" in str(cause))):
        return GuideError("the PDF is encrypted and the password is wrong (it holds characters this PDF's encryption does not allow)")
    return None


def cause_of(error: BaseException) -> BaseException:
    if isinstance(error, PdfminerException) and error.args and isinstance(error.args[0], BaseException):
        return error.args[0]
    return error


def in_words(cause: BaseException) -> str:
    """What pdfminer's failure means, for a person: never a raw Python message."""
    if isinstance(cause, bounded_streams.StreamTooLarge):
        return str(cause)
    if isinstance(cause, PDFSyntaxError) and "/Root" in str(cause):
        return "its document catalogue (/Root) is missing"
    if isinstance(cause, PSEOF):
        return "it ends in the middle of an object"
    if isinstance(cause, (PDFSyntaxError, PSException)):
        return "the syntax of its objects is broken"
    if isinstance(cause, MalformedPDFException):
        return "a box (page or link) is not made of numbers"
    if isinstance(cause, MemoryError):
        return "reading it needs more memory than there is"
    return "its objects do not fit together"


def open_error(error: Exception, password: str | None, pdfium_verdict: str | None = None) -> GuideError:
    cause = cause_of(error)
    refused = _password_error(cause, password)
    if refused is not None:
        return refused
    detail = in_words(cause)
    if pdfium_verdict:
        detail += f"; PDFium: {pdfium_verdict}"
    return GuideError(f"the PDF is damaged and cannot be read ({detail})")


def _repaired(path: Path) -> tuple[io.BytesIO | None, str | None]:
    """A second opinion: PDFium (Chrome's reader) tolerates more damage than pdfminer. If
    it opens the file and counts its pages, its re-saved copy (in memory) has a clean
    structure that pdfminer can read. (None, PDFium's reason) when it cannot either."""
    import pypdfium2

    with PDFIUM_LOCK:
        try:
            document = pypdfium2.PdfDocument(str(path))
        except pypdfium2.PdfiumError as error:
            reason = str(error).split("(PDFium: ", 1)[-1].rstrip(").").strip() or "it cannot open the file"
            return None, reason.lower()
        try:
            if len(document) == 0:
                return None, "the file has no pages"
            copy = io.BytesIO()
            document.save(copy, flags=2)  # FPDF_NO_INCREMENTAL: every object rewritten
        except Exception:  # noqa: BLE001  (PDFium could not write it either: the pdfminer reason stands)
            return None, "it cannot rewrite the file"
        finally:
            document.close()
    copy.seek(0)
    return copy, None


@contextlib.contextmanager
def open_pdf(path: Path, password: str | None = None, notes: list[dict] | None = None):
    """pdfplumber's PDF with its page list read. When pdfminer cannot parse the file and it
    is not a question of the password, the file is repaired through PDFium and a
    `repaired_structure` warning is added to `notes`; only when both fail is it refused."""
    try:
        pdf = pdfplumber.open(path, password=password or "")
    except Exception as error:  # noqa: BLE001  (classified below)
        pdf, failure = None, error
    else:
        try:
            pdf.pages  # noqa: B018  (the page tree is where broken files usually fail)
            failure = None
        except Exception as error:  # noqa: BLE001
            _close(pdf)
            pdf, failure = None, error
    if failure is not None:
        refused = _password_error(cause_of(failure), password)
        if refused is not None or password:  # an encrypted file is never re-saved decrypted
            raise refused or open_error(failure, password)
        copy, verdict = _repaired(path)
        if copy is None:
            raise open_error(failure, password, verdict)
        pdf = None
        try:
            pdf = pdfplumber.open(copy)
            pdf.pages  # noqa: B018
        except Exception:  # noqa: BLE001
            if pdf is not None:
                _close(pdf)
            raise open_error(failure, password, "its repaired copy cannot be read either") from None
        if notes is not None:
            notes.append({
                "code": "repaired_structure", "page": None, "field": None,
                "message": f"The PDF's structure is damaged ({in_words(cause_of(failure))}); it was read from a copy repaired by PDFium.",
            })
    try:
        yield pdf
    finally:
        _close(pdf)


def _close(pdf) -> None:
    """pdfplumber's close() walks the page list again, which raises on a broken one."""
    try:
        pdf.close()
    except Exception:  # noqa: BLE001
        with contextlib.suppress(Exception):
            pdf.stream.close()


def is_encrypted(path: Path) -> bool:
    """Whether the file is encrypted (with a password or an owner password only), read
    from its trailer without decrypting anything. A file that cannot be parsed counts as
    not encrypted: reading it will say why."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    try:
        with open_regular(path) as handle:
            return PDFDocument(PDFParser(handle), password="").encryption is not None
    except (PDFPasswordIncorrect, PDFEncryptionError):
        return True
    except Exception:  # noqa: BLE001  (damaged or not a PDF: the admission check says why)
        return False


def admit(path: Path, password: str | None, limits: Limits) -> None:
    """Everything a run checks before it may use a cached result: the file is a regular
    PDF within the size and page limits, and it opens with the password given (so a
    cached decrypted result is never served to a run without the right password)."""
    check_file(path, limits)
    with open_pdf(path, password) as pdf:
        check_pages(len(pdf.pages), limits)


def check_pages(count: int, limits: Limits) -> None:
    if count > limits.max_pages:
        raise GuideError(f"the PDF has {count} pages, over the limit of {limits.max_pages} (--max-pages)")
    if count == 0:
        raise GuideError("the PDF has no pages")
