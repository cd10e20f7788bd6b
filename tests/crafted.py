"""Hostile PDFs written byte by byte: a page of 200 inches square, and content streams
that inflate through FlateDecode and RunLengthDecode to gigabytes. Each is a complete,
valid PDF (cross-reference table and all), a few hundred bytes to a few kilobytes on disk,
and can be appended to a real guide with pypdf."""

from __future__ import annotations

import zlib
from pathlib import Path


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (1-based, object 1 the catalogue), with its xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def huge_image_page_pdf(path: Path, points: int = 14400) -> Path:
    """One page of `points` x `points` (200 inches at 14 400) holding nothing but a 2 x 2
    grey image stretched over it: an image-only page, so OCR renders it."""
    content = b"q %d 0 0 %d 0 0 cm /Im1 Do Q" % (points, points)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>" % (points, points),
        stream(b"", content),
        stream(b"/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", b"\xff\xf0\xf0\xff"),
    ]
    path.write_bytes(pdf_bytes(objects))
    return path


def runlength_of(byte: bytes, count: int) -> bytes:
    """`count` copies of one byte, RunLength-encoded: 2 bytes for every 128."""
    return (b"\x81" + byte) * (count // 128) + b"\x80"


def text_page_objects(content_filter: bytes, content_data: bytes) -> list[bytes]:
    """A one-page PDF whose content stream is `content_data` under `content_filter`."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"/Filter " + content_filter, content_data),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def flate_runlength_bomb(path: Path, runlength_mb: int = 64) -> Path:
    """A content stream that is Flate over RunLength: `runlength_mb` MB of RunLength data
    (each 2 bytes 128 spaces) compressed to tens of kilobytes; decoded, 64 times that."""
    squeezer, piece = zlib.compressobj(9), runlength_of(b" ", 128 * (1 << 19))[:-1]  # 1 MB of runs
    packed = b"".join(squeezer.compress(piece) for _ in range(runlength_mb)) + squeezer.compress(b"\x80") + squeezer.flush()
    path.write_bytes(pdf_bytes(text_page_objects(b"[/FlateDecode /RunLengthDecode]", packed)))
    return path


def runlength_bomb(path: Path, mb: int = 2) -> Path:
    """A `mb` MB RunLength content stream (no compression around it): 64 times that decoded."""
    path.write_bytes(pdf_bytes(text_page_objects(b"/RunLengthDecode", runlength_of(b" ", 128 * (mb << 19)))))
    return path


def appended(guide: Path, extra: Path, path: Path) -> Path:
    """The guide with the pages of `extra` after its own (pypdf copies them as they are)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(guide))
    writer.append(PdfReader(extra))
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def slow_pages_pdf(path: Path, pages: int = 16, mb: int = 4) -> Path:
    """`pages` pages sharing one content stream of `mb` MB of 'q Q' (save and restore the
    graphics state): nothing to draw, nothing kept in memory, and seconds of parsing for
    pdfminer on every page. A few kilobytes on disk."""
    content = zlib.compress(b"q Q\n" * (mb << 18), 9)
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        stream(b"/Filter /FlateDecode", content),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"] * pages
    path.write_bytes(pdf_bytes(objects))
    return path
