"""Text hygiene of a word as a word processor leaves it: ligature characters, soft
hyphens and private-use bullets.

Only the ligature presentation forms are NFKC-normalised: NFKC on everything would also
change characters a guide means ('²', '½', '™', full-width forms). A word processor's
bullet list prints the Symbol or Wingdings font's bullet glyph, which reaches the text
layer as a private-use code point (U+F0B7 and kin); it is a bullet like any other.
"""

from __future__ import annotations

import re
from unicodedata import normalize

# Latin ligature presentation forms (U+FB00-FB06), as typesetters emit them
_LIGATURE = re.compile("[\ufb00-\ufb06]")
# private-use code points that symbol fonts map their bullets, squares, arrows and ticks to
_PUA_BULLETS = {"\uf0b7", "\uf0a7", "\uf06e", "\uf0d8", "\uf0fc", "\uf076", "\uf0a8", "\uf0e0", "\uf09f", "\uf0a1"}
_BULLET = "•"


def clean_word(text: str) -> str:
    """The word with ligatures spelled out, soft hyphens inside it dropped (one at its
    end is a line-end break and stays a hyphen) and a symbol-font bullet as '•'."""
    if _LIGATURE.search(text):
        text = _LIGATURE.sub(lambda m: normalize("NFKC", m.group(0)), text)
    if "\u00ad" in text:
        stem = text.rstrip("\u00ad")
        text = stem.replace("\u00ad", "") + ("-" if len(stem) < len(text) else "")
    if text[:1] in _PUA_BULLETS:
        text = _BULLET + text[1:]
    return text


_NOTE_MARK = re.compile(r"^(?:\d{1,2}|[*†‡])$")
_RAISED = 1.0  # points a superscript's baseline stands above its word's
_SMALLER = 0.8  # a superscript is set at most this share of its word's size


def drop_note_marks(words: list) -> list:
    """Words without the footnote marks set as superscripts right after a word
    ('report¹'): the note is read where it is printed, its mark is no text. A superscript
    after a short unit ('m²') is kept."""
    marks = [w for w in words if _NOTE_MARK.match(w.text)]
    if not marks:
        return words
    dropped = set()
    for mark in marks:
        for word in words:
            if (
                word is not mark and -0.5 < mark.x0 - word.x1 < 1.0 and mark.size < _SMALLER * word.size
                and word.top < mark.bottom < word.bottom - _RAISED and sum(ch.isalpha() for ch in word.text) >= 3
            ):
                dropped.add(id(mark))
                break
    return [w for w in words if id(w) not in dropped] if dropped else words
