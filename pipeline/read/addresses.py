"""E-mail and web addresses on a scanned page, read again where OCR was unsure of them.

An address is the value a reader most needs letter for letter, and the one OCR is least
helped with: no word list knows it, and its letters stand close ('t/' of 'support/' runs
into one glyph, read 'v'). Three repairs, all on Tesseract's lines (`ocr._Hocr`'s shape,
page pixels) before they become words:

- `runs_merged`: where the English model split an address into pieces the Latin model
  read as one ('jane.doe@itee' + 'region.gov.pl', a dot lost between them), the pieces
  are that one word, when the Latin reading is an address and surer.
- `followers_merged`: words whose boxes reach back over the word before them, and that
  together are an address, are that address (no word space lies inside ink).
- `reread`: every address, and every piece that continues one on the next line, read
  with confidence below `UNSURE` is read again on its own, enlarged: Tesseract reads a
  word set alone as one line (`--psm 7`) at twice the size with its letters apart. All
  the page's unsure addresses go to one Tesseract run, stacked one under another, so a
  page costs one more run at most. The new reading is kept when it is surer and keeps
  the address's grammar (no space; as many '@' as before; a scheme if it had one).
"""

from __future__ import annotations

import re

import numpy as np
from PIL import Image

from pipeline.read.schemes import scheme_repaired
from pipeline.read.sheets import read_apart

ADDRESS = re.compile(r"@|://|^www\.", re.I)
# A piece of an address wrapped onto the next line: URL characters only, no letters of
# another script, and something an address holds ('.', '/', '-', '@', a digit or '_')
_PIECE = re.compile(r"^[A-Za-z0-9._~%/?#=&+@:-]*[./@_~%?#=&-][A-Za-z0-9._~%/?#=&+@:-]*$")
# Tesseract's 0-100: an address read below this is read again (clean print reads 90-96;
# a misread address measured 15-47 on the generated scans, tests/scans.py)
UNSURE = 75
# The page around each word taken with it, each side, in the word's height: Tesseract's
# box may stop inside the last letter's ink on a soft scan, and the letter cut read
# another ('itee' cropped at its box read 'itec' at 41 over 'itee' at 17 on a 150 dpi
# scan; with this much of the page beside it, 'itee' at 72)
_SIDE = 0.15
_SCHEME = re.compile(r"^[a-z]+://", re.I)
_URL_CHARS = re.compile(r"[A-Za-z0-9._~%/?#=&+@:!$'()*,;\[\]-]+")  # RFC 3986's


def _latin(word: dict) -> tuple[str, float] | None:
    return word.get("latin")


def runs_merged(line: dict) -> dict:
    """The line with each run of English words that one Latin word covers, and that the
    Latin model read as an address surer than the English model read any of them, made
    that one word: an address holds no space, so the English model's split is a misreading."""
    words = line["words"]
    out: list[dict] = []
    i = 0
    while i < len(words):
        reading = _latin(words[i])
        j = i + 1
        while reading is not None and j < len(words) and _latin(words[j]) == reading:
            j += 1
        run = words[i:j]
        if (
            len(run) > 1 and ADDRESS.search(reading[0]) and " " not in reading[0] and reading[0].isascii()
            and reading[1] >= max(w["conf"] for w in run)
        ):
            box = [min(w["bbox"][0] for w in run), min(w["bbox"][1] for w in run), max(w["bbox"][2] for w in run), max(w["bbox"][3] for w in run)]
            out.append({"bbox": box, "conf": reading[1], "text": reading[0], "latin": reading})
        else:
            out.extend(run)
        i = j
    return line if len(out) == len(words) else {**line, "words": out}


# Tesseract's boxes (ink only) of two pieces of one word stand less than this many of a
# word's box heights apart: measured 3-5 pixels of 35 on a 200 dpi scan read at 300, or
# over each other; a word space stands 10-14 pixels there (0.3 of the height and more)
_TOUCHING = 0.2
_TALL = 1.5  # a piece's box this many times another's height took in specks


def _height(word: dict) -> float:
    return max(word["bbox"][3] - word["bbox"][1], 1)


def followers_merged(line: dict) -> dict:
    """The line with each run of words that touch or stand over the word before them,
    closer than a word space (`_TOUCHING`), made one word where that word is an e-mail
    or web address: an address holds no space, so the pieces are one address split
    where the scan blurred it ('https://www.the-lep.com/business-' and
    '“supportigrowth-_' at 0, boxes over each other, on a speckled 200 dpi scan;
    'https' ':/Awww.the-lep.com/business-' '-supportigrowth-' 'support/connecting-...'
    3-5 pixels apart on another). The merged word carries the
    lowest confidence of its pieces, so `reread` reads it again whole."""
    words = line["words"]
    out: list[dict] = []
    for word in words:
        last = out[-1] if out else None
        text = (last["text"].strip() + word["text"].strip()) if last is not None else ""
        if (
            last is not None and word["text"].strip() and ADDRESS.search(scheme_repaired(text))
            and word["bbox"][0] - last["bbox"][2] < _TOUCHING * min(_height(last), _height(word))
        ):
            # a piece whose box took in specks above or below (a box twice the type's
            # height on a speckled scan) gives no height: read again with it, the
            # lines above and below came into the crop
            tall, short = (word, last) if _height(word) >= _height(last) else (last, word)
            rows = short if _height(tall) > _TALL * _height(short) else tall
            top, bottom = (min(last["bbox"][1], word["bbox"][1]), max(last["bbox"][3], word["bbox"][3])) if rows is tall else (rows["bbox"][1], rows["bbox"][3])
            box = [last["bbox"][0], top, max(last["bbox"][2], word["bbox"][2]), bottom]
            out[-1] = {**last, "bbox": box, "conf": min(last["conf"], word["conf"]), "text": text, "latin": None, "latin_wider": False}
            continue
        out.append(word)
    return line if len(out) == len(words) else {**line, "words": out}


def address_words(lines: list[dict], text_of=lambda word: word["text"]) -> list[tuple[int, int]]:
    """(line, word) indices of the addresses in `lines` and of the pieces that continue
    them on the lines below (`_continuation`), pieces of pieces included."""
    found = [(li, wi) for li, line in enumerate(lines) for wi, word in enumerate(line["words"]) if ADDRESS.search(text_of(word))]
    queue = list(found)
    while queue:
        piece = _continuation(lines, *queue.pop(), text_of)
        if piece is not None and piece not in found:
            found.append(piece)
            queue.append(piece)
    return sorted(found)


# Words of one line further apart than this many type heights stand in different columns
# of a grid that Tesseract read as one line (a word space is a third of the height)
_COLUMN_GAP = 1.5


def _segment_start(line: dict, wi: int) -> float:
    """The left edge of the run of words, closer than a column gap, that word `wi` ends."""
    words = line["words"]
    height = max(line["bbox"][3] - line["bbox"][1], 1)
    while wi > 0 and words[wi]["bbox"][0] - words[wi - 1]["bbox"][2] < _COLUMN_GAP * height:
        wi -= 1
    return words[wi]["bbox"][0]


def _continuation(lines: list[dict], li: int, wi: int, text_of) -> tuple[int, int] | None:
    """The piece that continues the address at (li, wi) on the next line, when the
    address ends its line (or its column of a line): the first word of the next line
    down that starts under the address's run of words, not right of the address's end,
    when it is URL characters with something of an address in it."""
    line, word = lines[li], lines[li]["words"][wi]
    height = max(line["bbox"][3] - line["bbox"][1], 1)
    words = line["words"]
    after = [w for w in words[wi + 1 :] if not _speck(w)]
    if after and after[0]["bbox"][0] - word["bbox"][2] < _COLUMN_GAP * height:
        return None  # the address does not end its line
    left = _segment_start(line, wi) - height
    best = None
    for lj, other in enumerate(lines):
        below = other["bbox"][1] - line["bbox"][1]
        if not 0.5 * height < below < 2.5 * height:
            continue
        for wj, piece in enumerate(other["words"]):
            first = wj == 0 or piece["bbox"][0] - other["words"][wj - 1]["bbox"][2] >= _COLUMN_GAP * height
            if first and left <= piece["bbox"][0] < word["bbox"][2] and (best is None or below < best[0]):
                best = (below, lj, wj)
    if best is None:
        return None
    piece = lines[best[1]]["words"][best[2]]
    if not (_PIECE.match(text_of(piece)) or _latin_piece(piece)):
        return None
    return best[1], best[2]


def _speck(word: dict) -> bool:
    """A mark OCR was unsure of with no letter or digit in it: a speck of the paper after
    an address read as punctuation (',' at 60 after a wrapped 'connecting-')."""
    return word["conf"] < UNSURE and not any(ch.isalnum() for ch in word["text"])


# The Latin model's reading of an address, or of a piece of one, is taken when it is at
# least this sure (Tesseract's 0-100) and this much surer than the English model's (here
# and in `ocr._address_reading`)
SURE_LATIN = 60
LATIN_SURER = 20


def _latin_piece(word: dict) -> str | None:
    """The Latin model's reading of a word under an address, where only that reading is a
    piece of an address and it is clearly surer: the English model, leaning on its word
    list, read a wrapped 'innovation/' as 'innovations' at 1 (the Latin model 89)."""
    reading = _latin(word)
    if reading is None or not _PIECE.match(reading[0]) or _PIECE.match(word["text"].strip()):
        return None
    return reading[0] if reading[1] >= max(SURE_LATIN, word["conf"] + LATIN_SURER) else None


def latin_pieces(lines: list[dict], text_of=lambda word: word["text"]) -> list[dict]:
    """`lines` with each piece that continues an address on the line below read as the
    Latin model read it, where only that reading is a piece of an address (`_latin_piece`)."""
    out = None
    for li, wi in address_words(lines, text_of):
        word = lines[li]["words"][wi]
        reading = _latin_piece(word)
        if reading is not None and not ADDRESS.search(text_of(word)):
            out = out or [{**line, "words": list(line["words"])} for line in lines]
            out[li]["words"][wi] = {**word, "text": reading, "conf": word["latin"][1]}
    return out if out is not None else lines


# the marks an address breaks at, which a reading of the piece alone may lose at the
# crop's edge (a trailing '-' or '_' may be a speck the second reading rightly dropped)
_BREAK_MARKS = "./"


def _keeps_grammar(old: str, new: str) -> bool:
    return (
        bool(new) and " " not in new and new.isascii() and new.count("@") == old.count("@")
        and bool(_SCHEME.match(new)) == bool(_SCHEME.match(old)) and abs(len(new) - len(old)) <= max(2, len(old) // 5)
    )


def reread(image: Image.Image, lines: list[dict], read, text_of=lambda word: word["text"]) -> list[dict]:
    """`lines` with their unsure addresses read again: `read(image)` runs Tesseract on a
    block of lines (`--psm 6`) and gives its lines in `ocr._Hocr`'s shape."""
    wanted = [(li, wi) for li, wi in address_words(lines, text_of) if lines[li]["words"][wi]["conf"] < UNSURE]
    if not wanted:
        return lines
    boxes = []
    for li, wi in wanted:
        x0, y0, x1, y1 = (int(round(v)) for v in lines[li]["words"][wi]["bbox"])
        side = int(round(_SIDE * (y1 - y0)))
        boxes.append((x0 - side, y0, x1 + 1 + side, y1 + 1))
    readings = read_apart(image, boxes, read)
    out = [{**line, "words": list(line["words"])} for line in lines]
    for (li, wi), found in zip(wanted, readings):
        if not found:
            continue
        # an address holds no space; its scheme as OCR misreads it is repaired before
        # the grammar is compared ('https:#/www.' read again whole)
        text = scheme_repaired("".join(w["text"].strip() for w in found))
        conf = float(np.min([w["conf"] for w in found]))
        word = out[li]["words"][wi]
        before = text_of(word)
        if before[-1:] in _BREAK_MARKS and text[-1:].isalnum() and len(text) < len(before):
            # the mark the address broke at, at the crop's edge, was not read again
            # ('https://www.' read again 'https://www' at 94: the host after it was then
            # a word of its own, and the address two)
            text += before[-1]
        # surer; or as unsure, where the old reading holds a character no address holds
        # and the new one none ('business-“supportigrowth-_' at 0, again whole 'business-
        # support/growth-' at 0 on a speckled scan)
        clean = conf >= word["conf"] and not _URL_CHARS.fullmatch(text_of(word)) and bool(_URL_CHARS.fullmatch(text))
        if (conf > word["conf"] or clean) and _keeps_grammar(text_of(word), text):
            out[li]["words"][wi] = {**word, "text": text, "conf": conf, "latin": None}
    return out
