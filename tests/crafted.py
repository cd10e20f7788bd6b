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


def unusual_text_pdf(path: Path) -> Path:
    """Text set every way pdfminer computes a character's box differently: a MediaBox not
    at the origin; character and word spacing, horizontal scaling, rise and kerned `TJ`
    arrays; text turned 30, 90, 180 and -90 degrees, mirrored and scaled by its matrix or
    the page's; text inside a form; pages turned by /Rotate 90, 180 and 270; two Type3
    fonts (one with a whole-number font matrix, so integer arithmetic, and a name given
    as a string); and a CID font written vertically (Identity-V, with and without its own
    displacement, one character without a Unicode mapping) and horizontally (with a character
    mapped to no text, which pdfplumber makes a word of its own)."""
    names = ["catalog", "pages", "page_a", "page_b", "page_c", "page_d", "page_e", "page_f", "helvetica", "form",
             "content_a", "content_b", "content_c", "content_d", "content_e", "content_f", "type3", "type3_whole",
             "glyph_a", "glyph_b", "glyph_c", "cid_v", "cid_h", "cid_font_v", "cid_font_h", "to_unicode", "cid_descriptor"]
    ref = {name: b"%d 0 R" % (i + 1) for i, name in enumerate(names)}
    fonts = b"/Font << /F1 %s /T3 %s /T4 %s /V1 %s /H1 %s >>" % (ref["helvetica"], ref["type3"], ref["type3_whole"], ref["cid_v"], ref["cid_h"])

    def page(box: bytes, content: str, extra: bytes = b"") -> bytes:
        return b"<< /Type /Page /Parent %s /MediaBox [%s] /Resources << %s /XObject << /Fm1 %s >> >> /Contents %s %s >>" % (
            ref["pages"], box, fonts, ref["form"], ref[content], extra)

    content_a = b"""BT /F1 12 Tf 72 700 Td (Plain words here) Tj ET
BT /F1 11 Tf 2 Tc 5 Tw 80 Tz 3 Ts 1 0 0 1 72 650 Tm [(Spaced) -250 (and kerned) 120 (words)] TJ ET
BT /F1 10 Tf 0.866 0.5 -0.5 0.866 100 500 Tm (Rotated thirty) Tj ET
BT /F1 10 Tf 0 1 -1 0 300 400 Tm (Rotated ninety) Tj ET
BT /F1 10 Tf -1 0 0 -1 400 300 Tm (Upside down) Tj ET
BT /F1 10 Tf -1 0 0 1 400 250 Tm (Mirrored) Tj ET
BT /F1 10 Tf 0 -1 1 0 500 600 Tm (Rotated minus ninety) Tj ET
q 1 0 0 1 50 100 cm /Fm1 Do Q
BT /F1 9 Tf 2 0 0 2 72 150 Tm (Scaled by the matrix) Tj ET
q 0.5 0 0 0.5 0 0 cm BT /F1 12 Tf 200 200 Td (Under a scaled page) Tj ET Q
BT /F1 10 Tf 72 120 Td (After the form) Tj ET
BT /F1 9.7 Tf 0.3 Tc 0.7071 0.7071 -0.7071 0.7071 123.45 321.987 Tm [(Forty) -33.3 (five degrees)] TJ ET"""
    turned = b"BT /F1 12 Tf 40 200 Td (Turned page words) Tj 0 -20 Td [(Kerned) -400 (line)] TJ ET"
    type3 = b"BT /T3 20 Tf 72 500 Td (ABC CAB) Tj ET BT /T4 18 Tf 2 Tc 72 400 Td [(ABBA) -300 (CC)] TJ ET"
    cid = (b"BT /V1 14 Tf 500 700 Td <00010002000300040009> Tj ET "
           b"BT /V1 10 Tf 0 1 -1 0 450 700 Tm <0004000300020001> Tj ET "
           b"BT /H1 12 Tf 72 300 Td <0001000200030004> Tj ET "
           b"BT /H1 12 Tf 72 250 Td <00010002000500030004> Tj ET")
    to_unicode = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test-UCS def /CMapType 2 def\n"
                  b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                  b"5 beginbfchar <0001> <7E26> <0002> <66F8> <0003> <304D> <0004> <6587> <0005> <> endbfchar\n"
                  b"endcmap CMapName currentdict /CMap defineresource pop end end")
    glyph = b"%d 0 0 0 %d 700 d1 0 0 %d 700 re f"
    charprocs = b"/CharProcs << /A %s /B %s /C %s >>" % (ref["glyph_a"], ref["glyph_b"], ref["glyph_c"])
    descendant = (b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /CidTest /CIDSystemInfo << /Registry (Adobe) "
                  b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor %s /DW 1000 " % ref["cid_descriptor"])
    bodies = {
        "catalog": b"<< /Type /Catalog /Pages %s >>" % ref["pages"],
        "pages": b"<< /Type /Pages /Kids [%s] /Count 6 >>" % b" ".join(ref[p] for p in ("page_a", "page_b", "page_c", "page_d", "page_e", "page_f")),
        "page_a": page(b"30 40 642 832", "content_a"),
        "page_b": page(b"0 0 400 300", "content_b", b"/Rotate 90"),
        "page_c": page(b"10 20 410 320", "content_c", b"/Rotate 180"),
        "page_d": page(b"0 0 400 300", "content_d", b"/Rotate 270"),
        "page_e": page(b"0 0 612 792", "content_e"),
        "page_f": page(b"0 0 612 792", "content_f"),
        "helvetica": b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "form": stream(b"/Type /XObject /Subtype /Form /BBox [0 0 300 100] /Resources << %s >>" % fonts,
                       b"BT /F1 8 Tf 5 5 Td (Inside a form) Tj ET"),
        "content_a": stream(b"", content_a),
        "content_b": stream(b"", turned),
        "content_c": stream(b"", turned),
        "content_d": stream(b"", turned),
        "content_e": stream(b"", type3),
        "content_f": stream(b"", cid),
        "type3": b"<< /Type /Font /Subtype /Type3 /FontBBox [0 -200 700 800] /FontMatrix [0.001 0 0 0.001 0 0] %s "
                 b"/Encoding << /Type /Encoding /Differences [65 /A /B /C] >> /FirstChar 65 /LastChar 67 /Widths [600 700 500] >>" % charprocs,
        "type3_whole": b"<< /Type /Font /Subtype /Type3 /FontBBox [0 -1 1 1] /FontMatrix [1 0 0 1 0 0] %s "
                       b"/Encoding << /Type /Encoding /Differences [65 /A /B /C] >> /FirstChar 65 /LastChar 67 /Widths [1 2 1] "
                       b"/FontDescriptor << /Type /FontDescriptor /FontName (Whole\\262Name) /Flags 4 /FontBBox [0 -1 1 1] "
                       b"/ItalicAngle 0 /Ascent 1 /Descent -1 >> >>" % charprocs,
        "glyph_a": stream(b"", glyph % (600, 600, 600)),
        "glyph_b": stream(b"", glyph % (700, 700, 700)),
        "glyph_c": stream(b"", glyph % (500, 500, 500)),
        "cid_v": b"<< /Type /Font /Subtype /Type0 /BaseFont /CidTest /Encoding /Identity-V /DescendantFonts [%s] /ToUnicode %s >>" % (ref["cid_font_v"], ref["to_unicode"]),
        "cid_h": b"<< /Type /Font /Subtype /Type0 /BaseFont /CidTest /Encoding /Identity-H /DescendantFonts [%s] /ToUnicode %s >>" % (ref["cid_font_h"], ref["to_unicode"]),
        "cid_font_v": descendant + b"/DW2 [880 -1000] /W2 [3 [-900 400 850]] >>",
        "cid_font_h": descendant + b"/W [2 [500 750]] >>",
        "to_unicode": stream(b"", to_unicode),
        "cid_descriptor": b"<< /Type /FontDescriptor /FontName /CidTest /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 "
                          b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    }
    path.write_bytes(pdf_bytes([bodies[name] for name in names]))
    return path
