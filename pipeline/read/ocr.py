"""Pages without a text layer, read with Tesseract into the same word records the text
layer gives (text, box and size in PDF points; weight from stroke thickness where it is
clear, else unknown; Tesseract's word confidence in `conf`).

Tesseract is driven through pytesseract: it runs Debian's `tesseract` binary as a
subprocess, so nothing needs compiling, and each page's process runs on its own core.
Words come from Tesseract's hOCR, which gives each line its baseline and type size
(`x_size`); every word of a line is given the line's size and a box set on its baseline,
as a text layer's words are, so layout and segmentation see one consistent line.
"""

from __future__ import annotations

import os
import re
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from html.parser import HTMLParser
from pathlib import Path

import numpy as np

from pipeline.errors import GuideError
from pipeline.model import PageText, Word
from pipeline.read.columns import reading_blocks
from pipeline.read.accents import paired, restored
from pipeline.read import addresses, bullets, stretched
from pipeline.read.letters import voted
from pipeline.read.deskew import skew_angle, straighten
from pipeline.read.display import lone_numbers
from pipeline.read.glyphs import DASHES, address_bars, euro_repaired, host_repaired, reread, scheme_repaired, three_or_eight
from pipeline.parallel import DeadlinePassed
from pipeline.read import ocr_hooks
from pipeline.read.tesseract import LANG, accent_model, require_tesseract
from pipeline.read.rules import scan_tables
from pipeline.read.raster import MAX_OCR_PIXELS, OCR_DPI, _setting, despeckle, ink_mask, lighten_panels, render_page, specks_removed, whiten
from pipeline.read.slant import line_italics
from pipeline.read.weight import stroke_ratio, weights

MODES = ("auto", "always", "never")
# Tesseract's x_size less x_descenders is the ascent (baseline to ascender top), about
# three quarters of the font size for text faces: measured on the sample guide's text pages
# read both ways (text layer and OCR), 0.75 for body text, titles and running heads alike.
_EM_PER_ASCENT = 1 / 0.75
# A text layer's word box runs over the letters' advance widths, OCR's over their ink; the
# side bearings between (about a tenth of the size at each end) keep a display-size word
# space ('Theme 1') narrower than the column gutters that layout cuts at.
_BEARING = 0.1
_SNAP = 0.07  # sizes within 7% of a more common size are that size (OCR measures to +-5%)
# Display type (1.5 times body and up) is measured from a few short lines, often without
# descenders, so it spreads wider; what must be told apart there is far apart (title, tagline).
_DISPLAY = 1.5
_SNAP_DISPLAY = 0.13

def ocr_mode(value: str | None = None) -> str:
    mode = (value or os.environ.get("GUIDE_EXTRACT_OCR") or "auto").strip().lower()
    if mode not in MODES:
        raise GuideError(f"unknown OCR mode {mode!r} (use auto, always or never)")
    return mode


class _Hocr(HTMLParser):
    """Lines (bbox, baseline, x_size) and their words (bbox, confidence, text) of hOCR."""

    _LINES = {"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"}

    def __init__(self):
        super().__init__()
        self.lines: list[dict] = []
        self._word: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        kind = attrs.get("class")
        title = attrs.get("title") or ""
        if kind in self._LINES:
            self.lines.append({
                "bbox": _numbers(title, "bbox"), "baseline": _numbers(title, "baseline"),
                "x_size": _numbers(title, "x_size"), "x_descenders": _numbers(title, "x_descenders"), "words": [],
            })
        elif kind == "ocrx_word" and self.lines:
            self._word = {"bbox": _numbers(title, "bbox"), "conf": (_numbers(title, "x_wconf") or [0])[0], "text": ""}

    def handle_data(self, data):
        if self._word is not None:
            self._word["text"] += data

    def handle_endtag(self, tag):
        if tag == "span" and self._word is not None:
            if self._word["text"].strip() and len(self._word["bbox"]) == 4:
                self.lines[-1]["words"].append(self._word)
            self._word = None


def _numbers(title: str, key: str) -> list[float]:
    match = re.search(rf"(?:^|;)\s*{key}\s+([-\d.\s]+)", title)
    return [float(v) for v in match.group(1).split()] if match else []


def _noise(word: dict, size_px: float) -> bool:
    """Specks, edges and rules read as punctuation: no letter or digit, and unsure; but
    not a dash whose box is a dash's (a flat bar, from a hyphen's length to an em dash's):
    in a noisy or low-resolution scan a period's dash is read unsure ('January 2017 –
    March 2020' at 48), and dropping it loses the period."""
    if word["text"].strip() == "," and word["conf"] < _UNSURE_STOP and word["bbox"][3] - word["bbox"][1] < _COMMA_TALL * size_px:
        return True  # a speck read as a comma: a comma's tail takes it below the baseline
    if word["text"].strip() and set(word["text"].strip()) <= DASHES and word["conf"] < _UNSURE_STOP \
            and word["bbox"][2] - word["bbox"][0] < _DASH_SHORT * size_px:
        return True  # a speck read as a dash: no dash is narrower than a hyphen
    if word["conf"] >= _NOISE or any(ch.isalnum() for ch in word["text"]):
        return False
    return not _dash_shaped(word, size_px)


# A comma's ink is a quarter of the type high (its dot and its tail below the baseline);
# a speck read as a lone comma measured 3 pixels of a 38-pixel size (a speckled 200 dpi
# scan read at 300 dpi), after a wrapped address ('connecting-' ',' at 60, which ended
# the address before its last piece)
_COMMA_TALL = 0.15
# A hyphen is a quarter of an em long or more in any face; a speck of dust a pixel or two
# across in a page column's gutter was read as '-' at 53 (a speckled 200 dpi scan), and
# that one word bridged the gutter, so the layout read the page's two columns as one
# (a card's facts, sections and the next theme's heading interleaved)
_DASH_SHORT = 0.15


def _inkless(word: dict, ink: np.ndarray) -> bool:
    """An unsure word over a box with next to no ink in it: Tesseract read letters into
    the faint grain of the paper or what was left of a wiped table rule ('Rose' and
    'Rear)' at 25-35 beside a table's value, on a grey office scan, went into the
    contact's name). Printed letters fill a fifth of their box, the faintest a tenth;
    these boxes hold none (the page's ink mask, after specks and rules were removed)."""
    if word["conf"] >= _NOISE:
        return False
    x0, top, x1, bottom = _pixels(word["bbox"])
    box = ink[max(top, 0):bottom + 1, max(x0, 0):x1 + 1]
    return box.size == 0 or box.mean() < _INKLESS


_INKLESS = 0.02  # share of a word's box that is ink, below which it holds no letters


def _dash_shaped(word: dict, size_px: float) -> bool:
    """Dashes only, in a box a fifth of the type high at most, a third as high as long."""
    x0, top, x1, bottom = word["bbox"]
    width, height = x1 - x0, bottom - top
    return set(word["text"].strip()) <= DASHES and 0.15 * size_px <= width <= 1.5 * size_px and height <= min(0.2 * size_px, width / 3)


_GHOST = 0.6  # share of a word's box inside another word's box that makes it a ghost


def _without_ghosts(lines: list[dict]) -> list[dict]:
    """The lines without a word whose box lies mostly inside another word's box: Tesseract
    read that ink twice, once in a word and once in a ghost of its end ('pl' at 23 inside
    an unsure 'Ov.pl', read again as 'ov.pi', on a grey scan), and the ghost went into
    the address the fields joined ('agency.gplov.pl'). The larger box holds all the
    ink, so it stays whatever the two confidences (it may still be read again, below); of
    two boxes each inside the other, the surer stays. Words of one line touch, italic ones
    overlap a little; none lies inside another."""
    lines = [_clipped(line) for line in lines]
    words = [w for line in lines for w in line["words"]]
    if len(words) < 2:
        return lines
    box = np.array([w["bbox"] for w in words], dtype=float)
    conf = np.array([w["conf"] for w in words], dtype=float)
    wide = np.clip(np.minimum(box[:, None, 2], box[None, :, 2]) - np.maximum(box[:, None, 0], box[None, :, 0]), 0, None)
    tall = np.clip(np.minimum(box[:, None, 3], box[None, :, 3]) - np.maximum(box[:, None, 1], box[None, :, 1]), 0, None)
    area = np.maximum((box[:, 2] - box[:, 0]) * (box[:, 3] - box[:, 1]), 1.0)
    inside = wide * tall >= _GHOST * area[:, None]  # [i, j]: word i lies mostly inside word j
    np.fill_diagonal(inside, False)
    order = np.arange(len(words))
    # of two boxes each inside the other, the less sure one (the later one of two as sure)
    surer = (conf[None, :] > conf[:, None]) | ((conf[None, :] == conf[:, None]) & (order[None, :] < order[:, None]))
    ghost = inside & (~inside.T | surer)
    ghosts = {id(w) for w, is_ghost in zip(words, ghost.any(axis=1)) if is_ghost}
    if not ghosts:
        return lines
    out = []
    for line in lines:
        kept = [w for w in line["words"] if id(w) not in ghosts]
        if kept:
            out.append(line if len(kept) == len(line["words"]) else {**line, "words": kept})
    return out


def _clipped(line: dict) -> dict:
    """The line with a word's box that runs over the words after it cut back to the first
    of them, where the box is wider than its letters could be (each as wide as the box is
    high): Tesseract gave 'https://www.' the box of its whole line on an office scan,
    the rest of the address (its host name and path) read as words
    inside it, and those went as its ghosts; the web address lost its host."""
    words = line["words"]
    out = list(words)
    for i, word in enumerate(words):
        x0, top, x1, bottom = word["bbox"]
        inside = [w["bbox"][0] for w in words[i + 1:] if x0 < w["bbox"][0] < x1]
        if inside and x1 - x0 > len(word["text"].strip()) * (bottom - top):
            out[i] = {**word, "bbox": [x0, top, min(inside) - 1, bottom]}
            if "latin" in word:  # the Latin word over the whole box reads more than this piece
                out[i]["latin_wider"] = True
    return line if out == words else {**line, "words": out}


def _without_rule_pieces(line: dict) -> dict:
    """The line without bars '|' shorter than half its type: no typeface prints one (a bar
    is as tall as the capitals), so it is a piece of a panel's edge or of a rule, read with
    confidence before a theme's number or a label ('| 1 Regional ...', '| Web presence:');
    left in, it also shrinks the line's measured size. Nor a bar that opens a line and
    stands apart from its first word by more than a word space, or alone on its line: a
    bar separates words ('Home | About'), it does not open a line; one there is a
    panel's edge as tall as the type beside it (a colour scan's theme band: '| 1
    Regional ...', the bar 0.75 of the size tall and a size away from the '1', and the
    theme was not recognised). The same holds for a bar that closes a line apart from
    its last word: Tesseract reads a band's two edges as one line '|  ...  |' a page
    wide, and its closing bar, kept, made a line of its own over the theme's heading."""
    size = line_size(line)
    words = line["words"]

    def edge(i: int, w: dict) -> bool:
        if i == 0 and w["text"].strip() and set(w["text"].strip()) <= _QUOTES:
            # quote marks alone as a word opening a line: a speck ('  Web presence:' lost
            # its label); an opening quote in text stands against its word, no space between
            return True
        if not set(w["text"].strip()) <= {"|"}:
            return False
        opens = i == 0 and (len(words) == 1 or words[1]["bbox"][0] - w["bbox"][2] > _BAR_APART * size)
        closes = i == len(words) - 1 and (len(words) == 1 or w["bbox"][0] - words[i - 1]["bbox"][2] > _BAR_APART * size)
        return w["bbox"][3] - w["bbox"][1] < 0.5 * size or opens or closes

    kept = [w for i, w in enumerate(words) if not edge(i, w)]
    return line if len(kept) == len(words) else {**line, "words": kept}


_QUOTES = set("'\"‘’‚‛“”„‟`´")
# An underscore opening a word that goes on with a capital: a speck on the baseline
# before it ('_Web presence:' on a speckled scan hid the label and its web address); no
# word of text opens so, and a name in an address that does is in lower case
_LOW_SPECK = re.compile(r"^_+(?=[A-Z])")
_BAR_APART = 0.6  # sizes: a word space is 0.25-0.35 of the size (the bearings left out)


_NOISE = 50
# Type below this size (points) is printed for no reader: OCR lines that small are rules,
# the rim of a panel or the grain of a picture read as letters.
MIN_TYPE = 4.0


def _tesseract(image, lang: str, deadline: float | None = None, psm: int = 3) -> list[dict]:
    import pytesseract

    # pytesseract kills Tesseract when its timeout passes: the stage's deadline reaches
    # the subprocess, which neither Prefect's timeout nor a thread can interrupt
    left = 0 if deadline is None else deadline - time.monotonic()
    if deadline is not None and left <= 0:
        raise DeadlinePassed()
    try:
        hocr = pytesseract.image_to_pdf_or_hocr(image, extension="hocr", lang=lang, config=f"--psm {psm}", timeout=max(left, 0.001) if deadline is not None else 0)
    except RuntimeError as error:
        if str(error) == "Tesseract process timeout":
            raise DeadlinePassed() from None
        raise
    hocr = hocr.decode("utf-8", "replace")
    parser = _Hocr()
    parser.feed(hocr)
    return [line for line in parser.lines if line["words"] and len(line["bbox"]) == 4]


def _shifted(line: dict, dx: float, dy: float = 0) -> dict:
    move = lambda box: [box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy]  # noqa: E731
    return {**line, "bbox": move(line["bbox"]), "words": [{**w, "bbox": move(w["bbox"])} for w in line["words"]]}


def line_size(line: dict) -> float:
    """A line's type size in pixels, from its ascent (baseline to the top of capitals and
    ascenders): unlike the full height, it does not depend on whether the line happens to
    have descenders."""
    row = (line["x_size"] or [line["bbox"][3] - line["bbox"][1]])[0]
    ascent = max(row - (_numbers_or(line, "x_descenders") or 0.0), 1.0)
    # a speck caught in one word's box stretches the line's box and Tesseract's estimate
    # with it ('Tuscany, Italy' at 1.19 times its ink's ascent: the value was measured at
    # the tagline's size and lost); the words' own tops (their median) then tell the
    # ascent better. Only words whose letters reach it count: an ascender's top is the
    # ascent, a capital's a little under it, and a word without either ('government', its
    # 't' the tallest) measured its line 18% small, so the fact's last line was lost
    baseline = line["bbox"][3] + (line["baseline"] + [0.0, 0.0])[1]
    tops = sorted((baseline - (baseline - w["bbox"][1]) * reach[0], reach[1]) for w in line["words"] for reach in (_reach(w["text"]),) if reach)
    if tops:
        top, margin = tops[len(tops) // 2]
        measured = baseline - top
        if measured > 0 and ascent > margin * measured:
            ascent = measured
    return ascent * _EM_PER_ASCENT


_SPECKED = 1.15  # Tesseract's ascent over the words' own: a speck stretched it
_SPECKED_MIXED = 1.25  # ...where a capital among small letters measures the words
_ASCENDERS = set("bdfhklß")
_CAPITAL_REACH = 1.04  # an ascender over a capital (0.716 and 0.688 of Liberation Sans' em)


def _reach(text: str) -> tuple[float, float] | None:
    """What the height of a word's ink over the baseline is times to be the line's ascent,
    and how much larger Tesseract's estimate must be to be a speck's: (1, `_SPECKED`)
    where a letter ascends; a capital or a digit is a little shorter. A capital among
    small letters tells the ascent less closely (a 'V' measured 24 pixels where the
    'TECOS' under it measured 27, the ascent 29), so it asks more; a word in capitals
    alone as little as an ascender (small capitals, a label set smaller than its value,
    must measure small). None where no letter reaches (an 'i's dot or a 't' is short)."""
    if any(ch in _ASCENDERS for ch in text):
        return 1.0, _SPECKED
    if any(ch.isupper() or ch.isdigit() for ch in text):
        return _CAPITAL_REACH, (_SPECKED_MIXED if any(ch.islower() for ch in text) else _SPECKED)
    return None


def _numbers_or(line: dict, key: str) -> float | None:
    values = line.get(key) or []
    return values[0] if values else None


def read_page(path: Path, number: int, width: float, height: float, password: str | None = None, dpi: int = OCR_DPI,
              deadline: float | None = None) -> tuple[PageText, list[float | None], list, float]:
    """OCR page `number` (1-based) of the PDF into a PageText in PDF points (weights and
    accents not yet decided), each word's stroke ratio (see weight.py), each word's
    (text, confidence) in the accent reading, or None (see accents.py), and the
    resolution the page was read at (`dpi`, or less for a page too large for it).
    Tesseract is ended at `deadline` (a time.monotonic() value)."""
    rendered, dpi = render_page(path, number - 1, dpi, password)
    image = specks_removed(despeckle(whiten(lighten_panels(rendered))))
    del rendered
    angle = skew_angle(ink_mask(image))
    image = straighten(image, angle)
    ink = ink_mask(image)
    image, ink, tables = scan_tables(image, ink, dpi, width, height)  # ruled tables, their rules wiped
    lines: list[dict] = []
    accents = accent_model()
    # the page whole, its bands that a gutter runs down read apart (columns.reading_blocks:
    # a gutter down the whole page makes one band of the page's height)
    blocks = reading_blocks(ink, dpi) if ink.sum() > 50 else []
    for (a, top, b, bottom), holes in blocks:
        block = image.crop((a, top, b, bottom))
        for h0, h1, h2, h3 in holes:  # parts read on their own: white here
            block.paste(255 if block.mode == "L" else (255,) * len(block.getbands()), (h0 - a, h1 - top, h2 - a, h3 - top))
        found = _tesseract(block, LANG, deadline)
        if accents:
            found = paired(found, _tesseract(block, accents, deadline))
        lines.extend(_shifted(line, a, top) for line in found)
    # a number set alone at display size (a theme's divider) is skipped by the layout
    # analysis as if it were a picture: read it again on its own, as one line
    lines.extend(lone_numbers(image, ink, lines, dpi, lambda crop: _tesseract(crop, LANG, deadline, psm=7)))
    # addresses the English model split or was unsure of, read again (addresses.py); the
    # Latin model, which leans on no word list, reads them best
    lines = [addresses.followers_merged(addresses.runs_merged(line)) for line in _without_ghosts(lines)]
    lines = addresses.reread(image, addresses.latin_pieces(lines, _address_reading), lambda sheet: _tesseract(sheet, accents or LANG, deadline, psm=6), _address_reading)
    # a word whose box took in the line above (a faint label over its value), read again
    # in its own line's band (stretched.py)
    lines = stretched.reread(image, lines, lambda sheet: _tesseract(sheet, LANG, deadline, psm=6),
                             (lambda sheet: _tesseract(sheet, accents, deadline, psm=6)) if accents else None)
    scale = 72.0 / dpi
    lines = [line for line in map(_without_rule_pieces, lines) if line["words"]]
    lines = [bullets.restored(ink, line, line_size(line), _baseline(line, line["words"][0])) for line in lines]
    raw = [(line, word, size) for line in lines for size in (line_size(line),) if size * scale >= MIN_TYPE for word in line["words"]
           if not _noise(word, size) and not _inkless(word, ink)]
    ratios = [stroke_ratio(ink, tuple(int(v) for v in word["bbox"]), size_px) for _, word, size_px in raw]
    italics = {id(w): verdict for line in lines for w, verdict in zip(line["words"], line_italics(ink, line))}
    pieces = _address_pieces(lines)
    words, readings = [], []
    for line, word, size_px in raw:
        x0, _, x1, _ = word["bbox"]
        baseline = _baseline(line, word)
        bearing = _BEARING * size_px
        words.append(
            Word(
                text=euro_repaired(_LOW_SPECK.sub("", reread(address_bars(_digits_by_ink(word, ink), ink, _pixels(word["bbox"]), id(word) in pieces), tuple(word["bbox"]), size_px, ink, word is line["words"][0])), word["conf"]),
                x0=round((x0 - bearing) * scale, 2),
                top=round((baseline - 0.78 * size_px) * scale, 2),
                x1=round((x1 + bearing) * scale, 2),
                bottom=round((baseline + 0.22 * size_px) * scale, 2),
                size=round(size_px * scale, 2),
                bold=None,
                italic=italics.get(id(word)),
                conf=float(max(0.0, min(100.0, word["conf"]))),
            )
        )
        readings.append(word.get("latin"))
    words, ratios, readings = _join_addresses(words, ratios, readings, lambda left, right: _dot_between(ink, scale, left, right))
    words = _without_shared_dots(words)
    words = _without_specks_for_stops(words, lambda left, right: _stop_apart(ink, scale, left, right))
    return PageText.model_construct(number=number, width=round(width, 2), height=round(height, 2), words=words, links=[], tables=tables), ratios, readings, dpi


def _baseline(line: dict, word: dict) -> float:
    """The line's baseline under the middle of `word`, in pixels (hOCR's slope and offset)."""
    slope, offset = (line["baseline"] + [0.0, 0.0])[:2]
    return line["bbox"][3] + offset + slope * ((word["bbox"][0] + word["bbox"][2]) / 2 - line["bbox"][0])


def _pixels(box: list[float]) -> tuple[int, int, int, int]:
    return tuple(int(round(v)) for v in box)


_ADDRESS = re.compile(r"@|://|^www\.", re.I)
_LOCAL_PIECE = re.compile(r"[a-z0-9][\w+-]*(?:\.[\w+-]+)*[._-]")  # 'jane.' of 'jane.doe@...'
_LOCAL_NAME = re.compile(r"[a-z0-9][\w+-]*(?:\.[\w+-]+)*", re.A)  # 'jane' of 'jane.doe@...', its dot lost
# boxes of a split inside an address nearly touch (measured -0.04 of the size, the
# boxes' bearings included), words of a line stand 0.11-0.19 apart
_LOCAL_GAP = 0.06
# ...and a piece that overlaps the one before it is closer still, down to boxes over each
# other for most of a size ('anna.' and 'kowal@...' at -0.23, 'Ov.' and 'pl' at -0.9)
_OVERLAP = 1.0
_INK_OVERLAP = 0.1  # the inks (the boxes less their bearings) overlap by this much of the size


# A piece of an address split off at one of its marks ('joanna.labedzka@itee'
# '.Jukasiewicz.g'): URL characters only ('!' and '|' are bars OCR gave for letters)
_PIECE_CHARS = re.compile(r"^[A-Za-z0-9._~%/?#=&+@:!|-]+$")
_PIECE_MARKS = "./-_@:"


def _address_pieces(lines: list[dict]) -> set[int]:
    """ids of the words of `lines` that go on with an address on their line: URL
    characters after an address (or a piece of one) closer than a word space (0.6 of the
    type size, as `_join_addresses` joins them later), split at a mark (the address ends
    in one or the piece opens with one). Alone such a piece looks like no address, and its
    letters would be left as read ('.Jukasiewicz.g', its 'l' read as a capital 'J' that
    only an address's bars decide)."""
    pieces: set[int] = set()
    for line in lines:
        size = line_size(line)
        for last, word in zip(line["words"], line["words"][1:]):
            before, text = _address_reading(last), word["text"].strip()
            if (
                (id(last) in pieces or _ADDRESS.search(before)) and not _ADDRESS.search(text) and _PIECE_CHARS.match(text)
                and (before[-1:] in _PIECE_MARKS or text[:1] in _PIECE_MARKS)
                and word["bbox"][0] - last["bbox"][2] < 0.6 * size
            ):
                pieces.add(id(word))
    return pieces


def _address_reading(word: dict) -> str:
    """The word as the English model read it, except an e-mail or web address the Latin
    model read clearly surer: in a low-resolution or noisy scan the English model, which
    leans on its word list, reads a thin 'l' as 'i' where the Latin model sees it
    ('portai' at 31 where the Latin model reads 'portal' at 69). Addresses are words of
    no language, so no word list should decide them; both readings must be addresses."""
    text = scheme_repaired(word["text"].strip())
    if word.get("latin_wider"):
        # the Latin model read the address whole over this piece of it and the next
        # ('anna.' + 'kowal@...'): taken for the piece, the address is repeated
        # when the pieces are joined ('anna.anna.kowal@...', measured on a scan)
        return text
    other, confidence = word.get("latin") or ("", 0.0)
    other = scheme_repaired(other)
    if (
        _ADDRESS.search(text) and _ADDRESS.search(other) and other.isascii() and " " not in other
        and (confidence >= max(addresses.SURE_LATIN, word["conf"] + addresses.LATIN_SURER) or _tail_of(text, other, confidence))
    ):
        return other
    return text


def _tail_of(text: str, other: str, confidence: float) -> bool:
    """Is `other` `text` with the end it lacks? An address that ends in a dot is cut short
    ('jane.doe@agency40.' at 63, its 'it' a word of its own inside the address's
    box, dropped as a ghost); the Latin model read it whole at 79 ('…agency40.it'), not surer
    by the margin asked of a reading that differs, but it differs mostly by what was lost
    ('jane.doe@regionai.' at 73 and '…@regional.fi' at 71: a letter as well). What was
    lost may be more than one label of the host ('j.doe@city.' for '…@city.example.it',
    'example.' and 'it' read as words inside the address's box, both dropped as ghosts)."""
    head, rest = other[: len(text)], other[len(text):]
    return (
        text.endswith(".") and head.endswith(".") and _LOST_LABELS.fullmatch(rest) is not None
        and sum(a != b for a, b in zip(head, text)) <= 2 and confidence >= addresses.SURE_LATIN
    )


# the labels of a host lost after an address's dot ('it', 'example.it'): a top-level domain last
_LOST_LABELS = re.compile(r"(?:[a-z0-9-]+\.)*[a-z]{2,6}", re.I | re.A)


def _digits_by_ink(word: dict, ink: np.ndarray) -> str:
    """The address reading of `word` (`_address_reading`), with a '3' or '8' the two models
    read differently decided by the glyph's ink (glyphs.three_or_eight): neither model's
    confidence tells, the English one was surer of its wrong '8'."""
    chosen = _address_reading(word)
    english = scheme_repaired(word["text"].strip())
    latin = scheme_repaired((word.get("latin") or ("", 0.0))[0])
    return three_or_eight(chosen, latin if chosen == english else english, ink, _pixels(word["bbox"]))


def _dot_between(ink: np.ndarray, scale: float, left: Word, right: Word) -> bool:
    """Is a period printed between two words of a line, though OCR read none? A dot of
    ink on the baseline, less than a quarter of the size high and wide, with paper
    right of it before the next letter; Tesseract may leave it out of the text and box
    it with the word after it ('joanna' 'labedzka@...' at 150 dpi, the dot inside the
    second box). `left` and `right` are in points; `ink` at 72 / `scale` dpi."""
    size = right.size / scale
    start = int((left.x1 - _BEARING * left.size) / scale) + 1  # past the left word's ink
    stop = int((right.x0 + _BEARING * right.size) / scale + 0.35 * size)  # into the right word's first letter
    base = (right.bottom - 0.22 * right.size) / scale
    top, foot = int(base - 0.8 * size), int(base + 0.08 * size) + 1
    if stop - start < 2 or top < 0 or foot > ink.shape[0]:
        return False
    band = ink[top:foot, start:stop]
    columns = band.any(axis=0)
    # the left word's last letter may reach past its box: the dot is after paper
    paper = np.flatnonzero(~columns)
    inked = np.flatnonzero(columns[paper[0]:]) + paper[0] if len(paper) else []
    if not len(inked):
        return False
    first = inked[0]
    run = first
    while run < band.shape[1] and band[:, run].any():
        run += 1
    rows = np.flatnonzero(band[:, first:run].any(axis=1))
    low = rows[0] >= band.shape[0] - 1 - 0.33 * size  # all of it within a third of the size over the foot
    return bool(low and run - first <= 0.25 * size and run < band.shape[1])


def _without_shared_dots(words: list[Word]) -> list[Word]:
    """Words without a dot that OCR gave both to the word before it and the word after
    it ('Anna.' '.Smith' at 0 for 'Anna Smith' on a speckled 200 dpi scan: a speck
    in the word space, the two boxes over each other). Tesseract gives a period to the
    one word it hugs; a mark it counts twice stands apart from both, in the space, where
    no stop is printed. Only between letters, and not in an address (its dots are its own)."""
    out = list(words)
    for k in range(1, len(out)):
        left, right = out[k - 1], out[k]
        if (
            len(left.text) > 2 and len(right.text) > 2 and left.text[-1] == "." and right.text[0] == "."
            and left.text[-2].isalpha() and right.text[1].isalpha() and abs(left.bottom - right.bottom) < left.size / 2
            and right.x0 < left.x1 and not _ADDRESS.search(left.text + right.text)
        ):
            out[k - 1], out[k] = left._replace(text=left.text[:-1]), right._replace(text=right.text[1:])
    return out


# A word's final stop read with less confidence than this is measured against the ink
_UNSURE_STOP = 75


def _without_specks_for_stops(words: list[Word], stop_apart) -> list[Word]:
    """Words without a final '.' that OCR was unsure of and that the ink shows is no stop
    (`stop_apart`: a speck standing in the word space, not against its letter): 'Anna.'
    'Smith' at 0 for 'Anna Smith' on a speckled 200 dpi scan. Only before a word on the
    same row and not in an address."""
    out = list(words)
    for k in range(len(out) - 1):
        left, right = out[k], out[k + 1]
        if (
            len(left.text) > 2 and left.text[-1] == "." and left.text[-2].isalpha() and right.text[:1].isalpha()
            and left.conf is not None and left.conf < _UNSURE_STOP and abs(left.bottom - right.bottom) < left.size / 2
            and right.x0 - left.x1 < left.size and not _ADDRESS.search(left.text) and stop_apart(left, right)
        ):
            out[k] = left._replace(text=left.text[:-1])
    return out


def _stop_apart(ink: np.ndarray, scale: float, left: Word, right: Word) -> bool:
    """Is the dot OCR read as `left`'s final stop a speck in the word space? A stop stands
    against its letter (paper 0-3 pixels of a 300 dpi reading before it, a word space
    after it); a speck the scan left stands in the space, as far from the letter before it
    as from the word after it (8 and 7 pixels at 8.6 pt, measured). `left` and `right`
    are in points; `ink` at 72 / `scale` dpi."""
    size = right.size / scale
    base = (right.bottom - 0.22 * right.size) / scale
    top, foot = int(base - 0.8 * size), int(base + 0.12 * size) + 1
    start = int((left.x1 - _BEARING * left.size) / scale - 0.6 * size)  # inside the last letter
    stop = int((right.x0 + _BEARING * right.size) / scale + 0.2 * size)  # into the next word's first letter
    if stop - start < 4 or top < 0 or foot > ink.shape[0] or start < 0:
        return False
    # measured on the ink near the baseline, where a stop sits: a 'y's arm reaches over it
    low = ink[int(base - 0.3 * size):foot, start:stop].any(axis=0)
    high = ink[top : int(base - 0.3 * size), start:stop].any(axis=0)
    # from the right: the next word's ink, paper, the dot, paper, the letter
    runs, value, begin = [], bool(low[-1]), len(low) - 1
    for x in range(len(low) - 1, -1, -1):
        if bool(low[x]) != value:
            runs.append((value, x + 1, begin))
            value, begin = bool(low[x]), x
    runs.append((value, 0, begin))
    if len(runs) < 5 or not (runs[0][0] and not runs[1][0] and runs[2][0] and not runs[3][0] and runs[4][0]):
        return False
    dot, after, before = runs[2], runs[1][2] - runs[1][1] + 1, runs[3][2] - runs[3][1] + 1
    is_dot = dot[2] - dot[1] + 1 <= 0.25 * size and not high[dot[1] : dot[2] + 1].any()
    return bool(is_dot and before >= 0.15 * size and before >= 0.5 * after)


def _join_addresses(words: list[Word], ratios: list, readings: list, dot_between=None) -> tuple[list[Word], list, list]:
    """An e-mail or web address that OCR split is one word again: addresses hold no
    spaces, and the piece follows on the same line closer than a word space (0.6 of the
    type size; OCR's boxes leave out the side bearings). Split at a dot or slash
    ('name@host. it'); after its scheme ('https ://'); before its '@' ('jane.doe
    @agency.gov.uk'); at a dot where the pieces' ink overlaps ('Ov.' 'pl' of a wrapped 'ov.pl'); before a dot ('jane@agency'
    '.region.gov.pl'); or at a dot the scan lost, where an e-mail's host has no dot yet and the next piece is the rest of
    a host name ('jane@agency region.gov.pl': a period is one or two pixels of a
    150 dpi scan)."""
    out, out_ratios, out_readings = [], [], []
    for k, (word, ratio, reading) in enumerate(zip(words, ratios, readings)):
        last = out[-1] if out else None
        same_row = last is not None and abs(word.bottom - last.bottom) < word.size / 2
        close = same_row and 0 <= word.x0 - last.x1 < 0.6 * word.size
        joint = None
        if close and _ADDRESS.search(last.text) and last.text[-1] in "./-_" and word.text[:1].isalnum():
            joint = ""
        # ...or split before a dot ('jane@agency' '.region.gov.pl', measured on a
        # speckled scan): the piece opens with the dot and goes on with the host
        elif close and _ADDRESS.search(last.text) and last.text[-1:].isalnum() and re.match(r"[./][a-z0-9]", word.text, re.I):
            joint = ""
        elif close and _AT_HOST.match(word.text) and _LOCAL_PART.match(last.text):
            joint = ""
        # ...or split after its scheme ('https' '://www.agency.it/', on an office scan at
        # 34: the line's value then opened with no address, and was taken for a name)
        elif close and _SCHEME.fullmatch(last.text) and word.text.startswith(":/"):
            joint = ""
        elif close and _HOSTLESS_EMAIL.match(last.text) and (_HOST_REST.match(word.text) or (_HOST_WRAPPED.match(word.text) and _ends_row(words, k))):
            joint = "."
        # ...or split inside the name before the '@' ('jane. doe@host.pl'): a piece
        # of name characters ending in a dot, hardly a space before the rest
        elif (same_row and "@" in word.text and _LOCAL_PIECE.fullmatch(last.text) and word.text[:1].isalnum()
              and -_OVERLAP * word.size < word.x0 - last.x1 < _LOCAL_GAP * word.size):
            joint = ""
        # ...or split at a dot inside the name that OCR left out, though it is in the
        # ink ('joanna' 'labedzka@...' at 150 dpi: a period is a few pixels there)
        elif (dot_between is not None and same_row and "@" in word.text and _LOCAL_NAME.fullmatch(last.text)
              and word.text[:1].isalnum() and -_OVERLAP * word.size < word.x0 - last.x1 < 0.6 * word.size
              and dot_between(last, word)):
            joint = "."
        # ...or two pieces whose ink overlaps, split at a dot ('Ov.' and 'pl' of 'ov.pl'
        # at 150 dpi, boxes over each other): no word space lies inside ink
        elif (same_row and last.text[-1:] == "." and word.text[:1].isalnum() and " " not in last.text
              and -_OVERLAP * word.size < word.x0 - last.x1 < -(2 * _BEARING + _INK_OVERLAP) * word.size):
            joint = ""
        # ...or an amount split after a thousands separator ('(£7,057,' '734.00)'): the
        # boxes touch as inside an address; a list's '7, 734' has a word space
        elif (same_row and _GROUP_HEAD.search(last.text) and _GROUP_TAIL.match(word.text)
              and -_LOCAL_GAP * word.size < word.x0 - last.x1 < _LOCAL_GAP * word.size):
            out[-1] = last._replace(text=last.text + word.text, x1=word.x1, conf=min(last.conf, word.conf))
            out_readings[-1] = None
            continue
        if joint is not None:
            out[-1] = last._replace(text=host_repaired(last.text + joint + word.text), x1=word.x1, conf=min(last.conf, word.conf))
            out_readings[-1] = None  # addresses are ASCII
            continue
        out.append(word)
        out_ratios.append(ratio)
        out_readings.append(reading)
    return out, out_ratios, out_readings


_SCHEME = re.compile(r"https?|ftp", re.I)
_GROUP_HEAD = re.compile(r"\d[,.]$")  # '7,057,'
_GROUP_TAIL = re.compile(r"^\d{3}(?:[.,]\d|\D|$)")  # '734.00)', '734'
_LOCAL_PART = re.compile(r"^[\w.+-]*\w$", re.A)
_AT_HOST = re.compile(r"^@[a-z0-9-]+(\.[a-z0-9-]+)+$", re.I)  # not '@handle': a host has a dot
_HOSTLESS_EMAIL = re.compile(r"^[\w.+-]+@[a-z0-9-]+$", re.I | re.A)
_HOST_REST = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,6}$", re.I)
# ...or the rest of a host the line wrapped inside ('lukasiewicz.g' / 'ov.pl'): it ends its row
_HOST_WRAPPED = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{1,6}$", re.I)


def _ends_row(words: list[Word], k: int) -> bool:
    return k + 1 == len(words) or abs(words[k + 1].bottom - words[k].bottom) >= words[k].size / 2 or words[k + 1].x0 < words[k].x1


def snap_sizes(pages: list[PageText]) -> list[PageText]:
    """Give OCR sizes the few values a typesetter used: the most common size first takes
    every size within a few percent of it, then the next, and so on. Layout rules measure
    gaps in body sizes and find titles by the largest size, so body text must come out as
    one size, not a spread."""
    weight: dict[float, int] = {}
    for page in pages:
        for w in page.words:
            key = round(w.size, 1)
            weight[key] = weight.get(key, 0) + len(w.text)
    snapped: dict[float, float] = {}
    body = max(weight, key=lambda s: (weight[s], -s)) if weight else 0.0
    for size in sorted(weight, key=lambda s: (-weight[s], s)):
        if size in snapped:
            continue
        tolerance = _SNAP_DISPLAY if size >= _DISPLAY * body else _SNAP
        members = [s for s in weight if s not in snapped and abs(s - size) <= tolerance * size]
        for s in members:
            snapped[s] = size
    out = []
    for page in pages:
        words = []
        for w in page.words:
            size = snapped[round(w.size, 1)]
            middle = w.bottom - 0.22 * w.size
            words.append(w._replace(size=size, top=round(middle - 0.78 * size, 2), bottom=round(middle + 0.22 * size, 2)))
        out.append(page.model_copy(update={"words": words}))
    return out


def read_pages(path: Path, pages: list[tuple[int, float, float]], password: str | None = None, workers: int | None = None,
               deadline: float | None = None, notes: list[dict] | None = None) -> dict[int, PageText]:
    """OCR the given (number, width, height) pages, several at once (each Tesseract is its
    own process, so threads are enough to fill the cores); sizes snapped over all of them.
    At `deadline` (time.monotonic()) the work stops with DeadlinePassed: pages not begun
    are dropped and running Tesseracts are killed. A page read at a reduced resolution
    adds an `ocr_resolution_reduced` warning to `notes`."""
    if not pages:
        return {}
    require_tesseract()
    # one core per Tesseract: its own OpenMP threads would fight the other pages' for them
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    workers = workers or _setting("GUIDE_EXTRACT_OCR_WORKERS", os.cpu_count() or 1)
    done = 0
    lock = threading.Lock()
    hook = ocr_hooks.progress_hook
    stop = threading.Event()

    def one(page: tuple[int, float, float]) -> tuple[PageText, list, list, float]:
        nonlocal done
        if stop.is_set():
            raise DeadlinePassed()
        result = read_page(path, *page, password=password, deadline=deadline)
        with lock:
            done += 1
            if hook is not None:
                hook(Path(path).name, done, len(pages))
        return result

    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(pages))))
    try:
        futures = [pool.submit(one, page) for page in pages]
        pending = set(futures)
        while pending:  # short waits: Prefect's timeout reaches this thread between them
            if deadline is not None and time.monotonic() > deadline:
                raise DeadlinePassed()
            _, pending = wait(pending, timeout=0.2, return_when=FIRST_EXCEPTION)
            failed = [f for f in futures if f.done() and not f.cancelled() and f.exception() is not None]
            if failed:
                raise failed[0].exception()
        results = [future.result() for future in futures]
    except BaseException:
        stop.set()
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    for (number, width, height), (_, _, _, used) in zip(pages, results):
        if used < OCR_DPI and notes is not None:
            notes.append({
                "code": "ocr_resolution_reduced", "page": number, "field": None,
                "message": f"Page {number} is {width:g} x {height:g} points; it was read by OCR at {used:g} dpi instead of {OCR_DPI} to stay within {MAX_OCR_PIXELS:,} pixels, so small print may be missed.",
            })
    results = [result[:3] for result in results]
    # accents are restored by the votes of the whole guide (accents.restored), and weight is
    # judged against the regular text of the whole guide, not of one page: a theme divider
    # may carry more bold than regular type
    # and letters OCR confuses ('Piatform' once, 'Platform' a dozen times) by its words
    readings = [r for _, _, page_readings in results for r in page_readings]
    texts = iter(voted(restored([w.text for page, _, _ in results for w in page.words], readings),
                       [w.conf for page, _, _ in results for w in page.words], readings))
    ratios = [r for _, page_ratios, _ in results for r in page_ratios]
    verdicts = iter(weights(ratios, [len(w.text) for page, _, _ in results for w in page.words]))
    weighed = [
        page.model_copy(update={"words": _between([w._replace(text=next(texts), bold=next(verdicts)) for w in page.words])})
        for page, _, _ in results
    ]
    return {page.number: page for page in snap_sizes(weighed)}


def _between(words: list[Word]) -> list[Word]:
    """A word too short to weigh ('-', '&', 'a') between two words of one weight on its
    line takes their weight: 'Start - end date:' is one bold label."""
    out = list(words)
    for i in range(1, len(words) - 1):
        before, word, after = words[i - 1], words[i], words[i + 1]
        same_line = abs(before.bottom - word.bottom) < word.size / 2 and abs(after.bottom - word.bottom) < word.size / 2
        if word.bold is None and same_line and before.bold is not None and before.bold == after.bold:
            out[i] = word._replace(bold=before.bold)
    return out
