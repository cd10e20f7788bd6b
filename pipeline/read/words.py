"""One page's words (text, box, size, weight) and link annotations, as pdfplumber reads them."""

from __future__ import annotations

from functools import lru_cache

from pipeline.model import Link, PageText, Word
from pipeline.read.characters import read_characters
from pipeline.read.grouping import EXTRA_ATTRS
from pipeline.read.grouping import words as grouped_words
from pipeline.read.hygiene import clean_word, drop_note_marks
from pipeline.read.marks import shape_bullets
from pipeline.read.tables import page_tables

_BOLD = ("bold", "black", "heavy", "semibold", "demi")
_ITALIC = ("italic", "oblique")


@lru_cache(maxsize=1024)
def _font_style(fontname: str) -> tuple[bool, bool]:
    """Bold and italic by the font's name (its subset prefix dropped): asked for every
    word, a page has a handful of fonts."""
    font = fontname.split("+")[-1].lower()
    return any(mark in font for mark in _BOLD), any(mark in font for mark in _ITALIC)


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
    """The page's words; its links are given (`page_links`), or read here. `lean`: its
    characters computed with only what words need (`read/characters.py`) and grouped
    into words for our one set of options (`read/grouping.py`), not by pdfplumber's
    general code; the same words."""
    if lean:
        read_characters(page)
        raw_words = grouped_words(page.chars)
    else:
        raw_words = page.extract_words(extra_attrs=EXTRA_ATTRS, keep_blank_chars=False)
    words = []
    for raw in raw_words:
        text = clean_word(raw["text"])
        if not text.strip():
            continue
        bold, italic = _font_style(raw["fontname"])
        words.append(
            Word(
                text=text,
                x0=round(raw["x0"], 2),
                top=round(raw["top"], 2),
                x1=round(raw["x1"], 2),
                bottom=round(raw["bottom"], 2),
                size=round(raw["size"], 1),
                bold=bold,
                italic=italic,
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
