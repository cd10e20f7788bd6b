"""One page's words (text, box, size, weight) and link annotations, as pdfplumber reads them."""

from __future__ import annotations

from unicodedata import normalize as normalize_unicode

from pdfminer.layout import LTChar
from pdfplumber.page import fix_fontname_bytes  # pinned pdfplumber: its own decoding of byte font names

from pipeline.model import Link, PageText, Word
from pipeline.read.hygiene import clean_word, drop_note_marks
from pipeline.read.marks import shape_bullets
from pipeline.read.tables import page_tables

_BOLD = ("bold", "black", "heavy", "semibold", "demi")
_ITALIC = ("italic", "oblique")


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


def _lean_characters(page) -> None:
    """pdfplumber turns every character into a dict of all its attributes, resolving its
    colour space and graphic state recursively on the way: about half the time of reading
    a page. Words need a character's text, box, font, size and direction, so characters
    get only those (computed exactly as pdfplumber does); every other object (images,
    lines, annotations) still gets pdfplumber's full treatment."""
    full = page.process_object
    height, number, doctop = page.height, page.page_number, page.initial_doctop
    mb_x0, mb_top = page.mediabox[:2]
    norm = page.pdf.unicode_norm

    def process(obj):
        if type(obj) is not LTChar:
            return full(obj)
        text = obj.get_text()
        fontname = obj.fontname
        if isinstance(fontname, bytes):  # rare byte-encoded font names
            fontname = fix_fontname_bytes(fontname)
        top = (height - obj.y1) + mb_top
        x0, x1 = (obj.x0 + mb_x0, obj.x1 + mb_x0) if mb_x0 != 0 else (obj.x0, obj.x1)
        return {
            "text": normalize_unicode(norm, text) if norm is not None else text,
            "fontname": fontname, "size": obj.size, "adv": obj.adv, "upright": obj.upright, "matrix": obj.matrix,
            "x0": x0, "x1": x1, "y0": obj.y0, "y1": obj.y1, "width": obj.width, "height": obj.height,
            "top": top, "bottom": (height - obj.y0) + mb_top, "doctop": doctop + top,
            "object_type": "char", "page_number": number,
        }

    page.process_object = process


def page_links(page) -> list[Link]:
    """The page's link annotations; read apart from its words, since a broken annotation
    must not cost the page its text."""
    return [
        Link(
            page=page.page_number,
            uri=str(link["uri"]),
            bbox=(round(link["x0"], 2), round(link["top"], 2), round(link["x1"], 2), round(link["bottom"], 2)),
        )
        for link in page.hyperlinks
        if link.get("uri")
    ]


def page_text(page, links: list[Link] | None = None, lean: bool = True) -> PageText:
    """The page's words; its links are given (`page_links`), or read here."""
    if lean:
        _lean_characters(page)
    raw_words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)
    words = []
    for raw in raw_words:
        text = clean_word(raw["text"])
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
    words = drop_note_marks(_join_touching(words))
    words += shape_bullets(page, words)
    if links is None:
        links = page_links(page)
    return PageText.model_construct(  # straight from pdfplumber: nothing to validate
        number=page.page_number,
        width=round(float(page.width), 2),
        height=round(float(page.height), 2),
        words=words,
        links=links,
        tables=page_tables(page),
    )
