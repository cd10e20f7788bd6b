"""Diacritics from a second reading. Tesseract's English model reads 'Jožef', 'Città' and
'Päivi' as 'Jozef', 'Citta' and 'Paivi' with full confidence, and guesses at letters it
was never taught ('Knežević' -> 'KneZevi¢'); the Latin-script model knows them but makes
mistakes of its own in plain English ('Cataionia', 'innovation' for 'Innovation').
The page is read by both and the English reading kept, except that where the two read a
word alike but for accents, the Latin model's accents are taken: letter for letter, each
difference must be an accented letter of the Latin reading standing for its bare letter,
for a character English had to guess, or for a digit English read between letters."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter

# Below this confidence the Latin model's accents are its guesses (measured on the sample
# guide's scan: restored names read 70-96, stray marks on English words 16-83).
_SURE = 60
# The accented letters of the languages of Europe written in Latin script (the EU's and
# its neighbours', Maltese and Romanian included).
_EUROPEAN = set(
    "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿāăąćċčďđēėęěğġģħīįķĺļľłńņňōőœŕřśşšșţťțūůűųźżž"
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞŸĀĂĄĆĊČĎĐĒĖĘĚĞĠĢĦĪĮĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠȘŢŤȚŪŮŰŲŹŻŽß"
)
# Letters that do not decompose into a base letter and a combining mark.
_BASE = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "ı": "i", "ŀ": "l", "ß": "s"})


def bare(char: str) -> str:
    """A letter without its diacritics, lower case."""
    decomposed = unicodedata.normalize("NFKD", char.translate(_BASE))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# What the English model makes of an accent over a capital, read as a letter of its own
# before it ('ACClIO' for 'ACCIÓ' at 38: the acute a bar)
_ACCENT_AS_LETTER = set("lI|!i'`´’")


def accented(english: str, latin: str) -> str:
    """`latin` where it is `english` with accents restored, else `english`."""
    if len(english) == len(latin) + 1:
        return _accent_read_apart(english, latin)
    if len(english) + 1 == len(latin):
        # ...or left out: the English model read no letter where the accented one stands
        # ('Len' for 'León' on an office scan)
        return latin if any(not l.isascii() and l.isalpha() and latin[:i] + latin[i + 1:] == english
                             for i, l in enumerate(latin)) else english
    if english == latin or len(english) != len(latin):
        return english
    for i, (e, l) in enumerate(zip(english, latin)):
        if e == l:
            continue
        if l.isascii() or not l.isalpha():
            return english  # the Latin model saw another character, not an accent
        # ...or a digit between letters: an 'ó' whose accent ran into its bowl reads '6'
        # ('Le6n', 'L6pez' at 51-55 on an office scan; the Latin model 'León' at 96)
        between = english[i - 1 : i].isalpha() and english[i + 1 : i + 2].isalpha()
        if not (bare(e) == bare(l) or not e.isascii() or (e.isdigit() and between)):
            return english
    return latin


def _accent_read_apart(english: str, latin: str) -> str:
    """`latin` where `english` is it with one accented letter read as two, the accent a
    bar or a mark before its bare letter; else `english`."""
    for i, l in enumerate(latin):
        if not l.isascii() and l.isalpha():
            if (english[:i] == latin[:i] and english[i] in _ACCENT_AS_LETTER and bare(english[i + 1]) == bare(l)
                    and english[i + 2:] == latin[i + 1:]):
                return latin
            return english  # the first accented letter is the one
    return english


def _overlap(a: list[float], b: list[float]) -> float:
    """Intersection over the smaller box's area."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height / max(smaller, 1.0)


_BEYOND = 0.5  # a Latin word reaching this share of the type's height past an end reads more


def _beyond(latin: list[float], english: list[float]) -> bool:
    """Does the Latin word's box run on past the English word's, by about a letter?"""
    reach = _BEYOND * (english[3] - english[1])
    return latin[0] < english[0] - reach or latin[2] > english[2] + reach


def _middle(word: dict) -> float:
    return (word["bbox"][1] + word["bbox"][3]) / 2


def paired(english: list[dict], latin: list[dict]) -> list[dict]:
    """English hOCR lines (ocr._Hocr's shape), each word given the (text, confidence) of the
    Latin reading's word in the same place as "latin", where there is one."""
    # each English word takes the Latin word that overlaps it most, among those whose
    # middles are within its height (found by bisection)
    others = sorted((w for line in latin for w in line["words"]), key=_middle)
    middles = [_middle(w) for w in others]
    out = []
    for line in english:
        words = []
        for word in line["words"]:
            reach = word["bbox"][3] - word["bbox"][1]
            near = others[bisect.bisect_left(middles, _middle(word) - reach) : bisect.bisect_right(middles, _middle(word) + reach)]
            parts = _split_by_latin(word, near)
            if parts:
                words.extend(parts)
                continue
            best = max(near, key=lambda o: _overlap(word["bbox"], o["bbox"]), default=None)
            if best is not None and _overlap(word["bbox"], best["bbox"]) > 0.6:
                word = _cased({**word, "latin": (best["text"].strip(), best["conf"])})
                if _beyond(best["bbox"], word["bbox"]):  # one Latin word over several English ones
                    word["latin_wider"] = True
            words.append(word)
        out.append({**line, "words": words})
    return out


# The English model, unsure of a word, may give up on its capital: a title's first word in
# small letters at 0 where the Latin model read its capital at 87 (a 200 dpi office scan;
# the practice's title no longer matched), 'innovation' at 68 for 'Innovation' at 95. Where
# English is unsure and Latin sure, and surer by a margin, of the same letters, Latin's
# case is taken; the thresholds leave the Latin model's own case slips ('innovation' for
# 'Innovation') to a sure English reading. So is Latin's digit where English read a lone
# letter: a theme's number in white on a grey band, 'A' at 62 for '4' at 75 (the theme
# was then not numbered and its practices went into the theme before).
_UNSURE_CASE = 70
_SURE_CASE = 80
_SURER = 15


def _cased(word: dict) -> dict:
    """`word` with the Latin reading's letter case where only the case differs, English was
    unsure and Latin sure, or its digit where English read one letter and Latin one digit,
    surer, or its amount where English read letters (then with Latin's confidence: the
    text is its reading)."""
    text, (latin, confidence) = word["text"].strip(), word["latin"]
    same_letters = latin != text and latin.lower() == text.lower()
    if same_letters and word["conf"] < _UNSURE_CASE and confidence >= max(_SURE_CASE, word["conf"] + _SURER):
        return {**word, "text": latin, "conf": confidence}
    if len(text) == 1 and text.isalpha() and len(latin) == 1 and latin.isdigit() and confidence > word["conf"]:
        return {**word, "text": latin, "conf": confidence}
    if word["conf"] < _GUESSED and confidence >= _SURE_WORD and latin.isalpha() and text.isalpha() and 2 * len(text) <= len(latin):
        # English guessed a fragment ('a' at 14 for a period's 'ongoing' the Latin model read
        # at 76, a speckled scan's fact panel read on its own): a word Latin is sure of
        return {**word, "text": latin, "conf": confidence}
    if (_AMOUNT.fullmatch(latin) and len(latin) == len(text) and not any(ch.isdigit() or ch in "€£$" for ch in text)
            and all(a == b or a in _LOOKS_LIKE.get(b, "") for a, b in zip(text, latin))
            and confidence >= _SURE_AMOUNT and confidence > word["conf"]):
        # an amount English read as a word ('SME.' at 84 for '5M€.', the Latin model's at
        # 90: "a budget of SME."): a digit and a currency sign are no letters' guess
        return {**word, "text": latin, "conf": confidence}
    return word


_GUESSED = 20
_SURE_WORD = 70
_AMOUNT = re.compile(r"\d[\d.,]*\s?[MKmk]?[€£$][.,;:)]?|[€£$]\d[\d.,]*\s?[MKmk]?[.,;:)]?")
_SURE_AMOUNT = 85
# the letters a digit or a currency sign is misread as
_LOOKS_LIKE = {"5": "Ss", "0": "Oo", "1": "lI|", "2": "Zz", "8": "B", "6": "bG", "€": "ECe", "£": "Ef"}


# Between two words a space, a quarter of the type size and more; between two letters of
# one word a twentieth. As a share of the word box's height (about the type size).
_WORD_SPACE = 0.15
_PLAIN_WORD = re.compile(r"[^\W\d_]+[.,;:]?")


def _split_by_latin(word: dict, near: list[dict]) -> list[dict] | None:
    """An English word that is two or more Latin words inside its box, letter for letter,
    with a word space of paper between them: the English model, leaning on its word
    list, joined two words ('Inthe' at 84 for 'In the' on a 200 dpi office scan; the
    Latin model read 'In' and 'the'). Both models read the same letters, so only the
    space is in question, and the gap between the Latin boxes settles it. Plain words
    only: an address's pieces are joined elsewhere (addresses.py, ocr._join_addresses)."""
    text = word["text"].strip()
    if not _PLAIN_WORD.fullmatch(text):
        return None
    inside = sorted((o for o in near if _overlap(word["bbox"], o["bbox"]) > 0.6 and not _beyond(o["bbox"], word["bbox"])),
                    key=lambda o: o["bbox"][0])
    if len(inside) < 2 or "".join(o["text"].strip() for o in inside) != text:
        return None
    height = word["bbox"][3] - word["bbox"][1]
    if any(b["bbox"][0] - a["bbox"][2] < _WORD_SPACE * height for a, b in zip(inside, inside[1:])):
        return None
    return [{**word, "bbox": list(o["bbox"]), "text": o["text"].strip(), "latin": (o["text"].strip(), o["conf"])} for o in inside]


_ADDRESS = re.compile(r"@|://|^www\.", re.IGNORECASE)


def restored(texts: list[str], readings: list[tuple[str, float] | None]) -> list[str]:
    """The guide's OCR words (English readings, in order) with accents restored where the
    Latin reading of the same place (or None) shows them and the guide agrees:

    - the Latin model was sure of the word (_SURE), and its accents are letters European
      languages write (_EUROPEAN): its stray marks are Vietnamese dots and Esperanto hats;
    - the accented form is not outvoted: where the Latin model reads the bare word as it
      is elsewhere in the guide ('DIGITAL' on every running head, 'the' on every page),
      more often than accented, the accents are a stray reading of this one place.
    """
    proposals: list[str | None] = []
    for text, reading in zip(texts, readings):
        proposal = None
        # e-mail and web addresses are written in ASCII: an accent the Latin model reads
        # there is a speck ('ìgor.kovac@ijs.si')
        if reading is not None and reading[1] >= _SURE and not _ADDRESS.search(text):
            candidate = accented(text, reading[0])
            if candidate != text and all(c.isascii() or c in _EUROPEAN for c in candidate):
                proposal = candidate
        proposals.append(proposal)
    plain = Counter(text for text, reading in zip(texts, readings) if reading is not None and reading[0] == text)
    votes = Counter((text, proposal) for text, proposal in zip(texts, proposals) if proposal is not None)
    return [
        proposal if proposal is not None and votes[(text, proposal)] > plain[text] and (votes[(text, proposal)] >= _DOT_VOTES or not _dots_only(text, proposal)) else text
        for text, proposal in zip(texts, proposals)
    ]


# A dot over a letter is the one accent a speck of the paper imitates exactly, a blob
# over a letter ('Marċh' read at 92 and 'Labėdzka' by the Latin model on 150 dpi scans,
# each word once in the pages read); every other accent has a shape (a stroke, a hook,
# two dots, a wave). A dot alone is taken where the guide's pages read it so twice.
_DOT_ABOVE = "\u0307"
_DOT_VOTES = 2


def _dots_only(text: str, proposal: str) -> bool:
    """Are all the accents `proposal` adds to `text` dots above ('ż', 'ė', 'ċ', 'ġ')?"""
    return all(_DOT_ABOVE in unicodedata.normalize("NFD", new) for old, new in zip(text, proposal) if old != new)
