"""Readings OCR gets wrong the same way every time, decided again from what the page
shows: the glyph's ink, or where the character sits among others.

- A dash on its own between words: Tesseract's English model gives '-' for a hyphen, an
  en dash and an em dash alike, but they differ in length: a hyphen's ink is about a
  quarter of the type size, an en dash's half of it, an em dash's all of it. An '=' whose
  ink is one bar is a dash with a speck of a noisy scan beside it.
- A '1' before a digit or a capital: a digit one has a flag (and often a foot), so its
  ink is half as wide as it is tall; a capital I in a sans face is a bare bar. 'I4.0' is
  read as '14.0' by a model that has rarely seen a letter before a digit.
- A lowercase 'l' among capitals ('loT', 'ACClO'): in a sans face 'l' and 'I' are the
  same bar, and the capitals around it say which one it is.
- '!' or '|' in an address's host name, where neither may stand: the 'l' they look like.
- A bullet opening a line: Tesseract's English model reads a round bullet as '¢', 'e',
  '°' or '«'; its ink, a small filled disc, says it is a bullet.
- 'i' and 'l' in an e-mail or web address: words of no language, where the English
  model's word list leans towards 'i' ('portai' at 77 for
  'portal'). Each plain bar of the word's ink says which it is: one stroke
  from the ascender line to the baseline is an 'l', a stem from the x-height with a dot
  above it an 'i'.
"""

from __future__ import annotations

import itertools
import re

import numpy as np

from pipeline.read.schemes import scheme_repaired  # noqa: F401  (ocr.py and the tests take it from here too)

DASHES = {"-", "–", "—", "‐", "‒", "―"}
# Ink length of a dash in type sizes (as ocr.line_size measures them). Measured on the
# sample guide scanned at 200 dpi (tests/scans.py), each mark matched to the text layer's:
# hyphens 0.10-0.32 (bold ones the longest), en dashes 0.35-0.40; a face's em dash is
# about twice its en dash.
_EN_DASH = 0.335
_EM_DASH = 0.62
# Width over height of a leading '1's ink: 0.5-0.65 with a flag, 0.13-0.2 for a bar.
_BAR = 0.3
# The shortest bar read as a dash: a hyphen's ink, in type sizes (see _EN_DASH).
_BAR_LENGTH = 0.1

_L_BEFORE_CAPITAL = re.compile(r"^l(?=[a-z]{0,2}[A-Z])")
_L_AMONG_CAPITALS = re.compile(r"(?<=[A-Z])l(?=[A-Z])")
_HOST_CONFUSABLE = str.maketrans({"!": "l", "|": "l"})


def dash(ink: np.ndarray, box: tuple[int, int, int, int], size: float) -> str:
    """The dash a lone dash's ink length (inside `box`, pixels of `ink`; `size` the line's
    type size in pixels) says it is. The ink is measured, not the box: OCR's box of a lone
    mark may take in a speck or a rule nearby."""
    # the bar's length is the longest unbroken run across its rows: the box of a lone
    # mark often takes in the edge of the letter on either side of it (a title's 'ABC -
    # Building'), which shares no run with the bar
    bar = _bar_columns(ink, box)
    run = _longest_run(bar) if bar is not None else box[2] - box[0]
    length = run / max(size, 1.0)
    return "—" if length >= _EM_DASH else "–" if length >= _EN_DASH else "-"


def _bar_columns(ink: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray | None:
    """The columns inked in the rows of most ink inside `box` (a dash's bar), or None."""
    x0, top, x1, bottom = box
    area = ink[max(top, 0) : bottom + 1, max(x0, 0) : x1 + 1]
    counts = area.sum(axis=1)
    return area[counts >= counts.max() / 2].any(axis=0) if counts.any() else None


def _bar_runs(ink: np.ndarray, box: tuple[int, int, int, int], size: float) -> int:
    """How many runs of ink as long as a hyphen's cross a dash's bar rows inside `box`;
    the edge of a letter the box takes in is shorter."""
    bar = _bar_columns(ink, box)
    if bar is None:
        return 0
    edges = np.flatnonzero(np.diff(np.concatenate(([False], bar, [False])).astype(np.int8)))
    return int(((edges[1::2] - edges[::2]) >= _BAR_LENGTH * size).sum())


def _longest_run(row: np.ndarray) -> int:
    """The length of the longest stretch of True in a 1-d boolean array."""
    padded = np.concatenate(([False], row, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return int((edges[1::2] - edges[::2]).max()) if len(edges) else 0


def one_bar(ink: np.ndarray, box: tuple[int, int, int, int], size: float) -> bool:
    """Whether the ink inside `box` is one bar across, not two: a dash with a speck above
    or below it, which a noisy scan's OCR reads as '='. Each run of inked rows is measured
    by its length; an '=' has two of one length, a dash and a speck one long and one short."""
    x0, top, x1, bottom = box
    area = ink[max(top, 0) : bottom + 1, max(x0, 0) : x1 + 1]
    rows = area.any(axis=1)
    lengths, start = [], None
    for y, inked in enumerate(np.append(rows, False)):
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            columns = np.flatnonzero(area[start:y].any(axis=0))
            lengths.append(int(columns[-1] - columns[0] + 1))
            start = None
    return bool(lengths) and max(lengths) >= _BAR_LENGTH * size and sum(1 for n in lengths if n >= max(lengths) / 2) == 1


def _first_glyph(ink: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray | None:
    """The ink of the leftmost glyph inside `box` (x0, top, x1, bottom, pixels of `ink`):
    its run of inked columns, the box's rows; None where the box holds no ink."""
    x0, top, x1, bottom = box
    area = ink[max(top, 0) : bottom + 1, max(x0, 0) : x1 + 1]
    columns = area.any(axis=0)
    if not columns.any():
        return None
    start = int(np.argmax(columns))
    end = start
    while end < len(columns) and columns[end]:
        end += 1
    return area[:, start:end]


def first_glyph_is_bar(ink: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Whether the leftmost glyph inside `box` is a plain upright bar: ink no wider than a
    third of its height."""
    glyph = _first_glyph(ink, box)
    if glyph is None:
        return False
    height = int(glyph.any(axis=1).sum())
    return height > 0 and glyph.shape[1] / height < _BAR


def first_glyph_is_serif_i(ink: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Whether the leftmost glyph inside `box` is a serif capital I, not a one: its head
    reaches past its stem on both sides, as its foot does (a one's head is its flag, on
    the left only; 'I4.0' read '14.0' in a word processor's serif heading on an office
    scan). Measured in Liberation Serif, regular and bold, 8-12 pt at 150 and 300 dpi:
    an I's head reaches 2-4 pixels right of its stem, a one's none; a bold I on an office
    scan, one right and two left."""
    glyph = _first_glyph(ink, box)
    if glyph is None:
        return False
    rows = np.flatnonzero(glyph.any(axis=1))
    glyph = glyph[rows[0] : rows[-1] + 1]
    height = glyph.shape[0]
    band = max(2, height // 8)
    stem = np.flatnonzero(glyph[height // 3 : 2 * height // 3].any(axis=0))
    head = np.flatnonzero(glyph[:band].any(axis=0))
    # an I's serifs are its very top; a one's flag rises to a point inside its stem, and
    # only lower down does its curve pass the stem's right by a pixel on a scan (a sans
    # '1' with a foot, '120-fee' and '102' on an office scan, made 'I20-fee' and 'I02'):
    # the reach right is measured on the top rows alone
    top = np.flatnonzero(glyph[: max(1, height // _SERIF_TOP)].any(axis=0))
    foot = np.flatnonzero(glyph[-band:].any(axis=0))
    if height < 12 or not (stem.size and head.size and top.size and foot.size):
        return False
    # the head reaches past the stem on both sides (a one's flag only on the left), as far
    # together as a serif does; the foot on both sides too
    left, right = stem[0] - head[0], top[-1] - stem[-1]
    return (
        left >= 1 and right >= 1 and left + right >= max(2, round(_SERIF_REACH * height))
        and stem[0] - foot[0] >= 1 and foot[-1] - stem[-1] >= 1
    )


_SERIF_REACH = 0.1  # of the glyph's height: the least reach of a head's serifs past the stem
_SERIF_TOP = 12  # the top rows, 1/12 of the glyph's height (one at least), hold an I's serifs


# What a round bullet is read as; checked against the ink before it becomes one.
_BULLET_READINGS = {"¢", "e", "°", "«", "»", "©", "@", "*", "+", "e@", "©@", "°e"}
_DISC = 0.6  # ink over the box of a filled disc: pi/4 = 0.79, a ring or a letter far less


def is_disc(ink: np.ndarray, box: tuple[int, int, int, int], size: float) -> bool:
    """Whether the ink inside `box` is one small filled disc (a bullet): about as wide as
    tall, at most half the type size, and filling most of its square."""
    x0, top, x1, bottom = box
    area = ink[max(top, 0) : bottom + 1, max(x0, 0) : x1 + 1]
    rows, cols = np.flatnonzero(area.any(axis=1)), np.flatnonzero(area.any(axis=0))
    if not len(rows) or not len(cols):
        return False
    h, w = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    fill = area[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1].sum() / float(h * w)
    return max(h, w) <= 0.55 * size and min(h, w) >= 0.6 * max(h, w) and fill >= _DISC


def reread(text: str, box: tuple[float, float, float, float], size: float, ink: np.ndarray, first: bool = False) -> str:
    """`text` as OCR read it inside `box`, corrected where the glyphs' shape or their
    neighbours decide what OCR could not."""
    pixels = tuple(int(round(v)) for v in box)
    if text in DASHES or (text == "=" and one_bar(ink, pixels, size)):
        return dash(ink, pixels, size)
    # a dash read as two ('-—' at 46 for a title's en dash on an office scan: the title
    # then matched nothing) where the ink is one unbroken bar; two printed dashes
    # ('--') leave paper between them
    if 1 < len(text) <= 3 and set(text) <= DASHES and _bar_runs(ink, pixels, size) == 1:
        return dash(ink, pixels, size)
    if first and text in _BULLET_READINGS and is_disc(ink, pixels, size):
        return "•"
    if len(text) > 1 and text[0] == "1" and (text[1].isdigit() or text[1].isupper()):
        if first_glyph_is_bar(ink, pixels) or first_glyph_is_serif_i(ink, pixels):
            text = "I" + text[1:]
    # ...or a bracket: a serif I's head and foot read as its corners ('[4.0' at 71 in a
    # title); a bracket's reach only right of its stem
    if len(text) > 1 and text[0] == "[" and text[1].isdigit() and "]" not in text and first_glyph_is_serif_i(ink, pixels):
        text = "I" + text[1:]
    text = _L_AMONG_CAPITALS.sub("I", _L_BEFORE_CAPITAL.sub("I", text))
    if len(text) > 2 and text[-1] == "," and text[-2].isalpha() and _last_glyph_is_stop(ink, pixels):
        text = text[:-1] + "."
    return host_repaired(_TWO_APOSTROPHES.sub(lambda m: m.group(0)[0], text))


# A euro sign after a number's 'M' or 'K', read as an 'E' (its two bars and round back
# at 200 dpi; once read twice, 'E€'): '5ME.' at 61, '2ME€' at 47, '2ME' at 38 on an office
# scan. Taken only where OCR was unsure of the word (below this confidence): no amount
# is written '2ME', but a sure reading is what was printed.
_EURO_AS_E = re.compile(r"^(\d+(?:[.,]\d+)*\s?[MK])E€?(?=[.,;:)]?$)")
_UNSURE_EURO = 75


def euro_repaired(text: str, conf: float) -> str:
    """`text` with the euro sign of '2ME€' / '5ME.' back, where OCR was unsure of it."""
    return _EURO_AS_E.sub(r"\1€", text) if conf < _UNSURE_EURO else text


# Two quote marks between the letters of one word: an apostrophe read twice (’‘ or ’'
# between a name's letters, at 17, on office scans of a light type on a mid-grey panel); no word
# holds two, so the first is the apostrophe
_TWO_APOSTROPHES = re.compile(r"(?<=[^\W\d_])['’‘`´]{2}(?=[^\W\d_])")


# A comma's tail reaches below the baseline (3-5 pixels of a 300 dpi reading, a thin
# tail the threshold partly loses) and makes it taller than wide (10 by 6 pixels); a
# stop sits on the baseline (its foot within this share of the x-height of the letters'
# feet: one pixel) and is about as wide as high (9 by 7 pixels in a bold face)
_STOP_FOOT = 0.06
_STOP_HIGH = 0.45
_STOP_SQUARE = 1.4


def _last_glyph_is_stop(ink: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Whether the last glyph of the word inside `box` is a stop, not a comma: a dot
    standing on the baseline, no tail under it. Tesseract read a bold run-in head's
    stop as a comma at 94 ('Evidence of success,' on a colour 200 dpi scan of a
    word-processor guide, so the head named no section and that section ran into the
    one before)."""
    word = _word_glyphs(ink, box)
    if word is None:
        return False
    _, glyphs, baseline, x_height = word
    _, width, _, top, bottom = glyphs[-1]
    height = bottom - top
    return bool(
        bottom <= baseline + _STOP_FOOT * x_height and height <= _STOP_HIGH * x_height and height / _STOP_SQUARE <= width <= _STOP_SQUARE * height
    )


def host_repaired(text: str) -> str:
    """An e-mail or web address with '!' or '|' in its host name, where neither may be,
    gets the 'l' they were read for; a scheme with a thin letter of 'http' misread
    ('htips://') is 'http'; a web address whose '//' after its scheme was misread gets it
    back; and a part of the host name in small letters but for capitals that differ from
    their small letter only in size ('gov.uK': c, k, o, s, u, v, w, x, z), which a
    low-resolution scan cannot tell apart, is in small letters."""
    text = scheme_repaired(text)
    if "@" in text:
        local, _, host = text.rpartition("@")
        # a bracket against the '@' is the edge of its round glyph read apart
        # ('j.doe(@city.example.it' on an office scan): no address holds one there
        if re.fullmatch(r"[\w.+-]+[(\[{]", local) or re.fullmatch(r"[)\]}][\w-]+(?:\.[\w-]+)+", host):
            local, host = local.rstrip("([{"), host.lstrip(")]}")
        return f"{local}@{_host_letters(host.translate(_HOST_CONFUSABLE))}"
    match = re.match(r"^((?:https?|ftp)://|www\.)([^/]*)(.*)$", text, re.I)
    if match:
        scheme, host, rest = match.groups()
        return scheme + _host_letters(host.translate(_HOST_CONFUSABLE)) + rest
    return text


_SIZE_ONLY = set("CKOSUVWXZ")


def _host_letters(host: str) -> str:
    parts = host.split(".")
    return ".".join(
        part.lower() if any(c.islower() for c in part) and any(c.isupper() for c in part) and {c for c in part if c.isupper()} <= _SIZE_ONLY else part
        for part in parts
    )


# Measured in x-heights on the word's own ink (its glyphs' most common foot and top), not
# on the line's size, which a line joined with another misjudges: a bar is at most this
# wide ('r', 't', 'f' are about 0.55), its longest stroke at least this long (a colon's
# dots are shorter), an ascender reaches this far above the x-height ('l' 0.4 in sans
# faces), an i's stem starts within this of the x-height.
_BAR_WIDTH = 0.32
_BAR_LENGTH_X = 0.75
_ASCENDS = 0.2
_NEAR = 0.2
_BAR_CHARS = set("il!|")
_MAX_J = 4  # 'j's of one address tried both ways (2 ** 4 choices)
_ADDRESS_WORD = re.compile(r"@|://|^www\.", re.I)
_BAR_IN_WORD = re.compile(r"(?<=[^\W\d_])[!|]|[!|](?=[^\W\d_])")  # '!' or '|' touching a letter


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each stretch of True in a 1-d boolean array."""
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def bar_letters(ink: np.ndarray, box: tuple[int, int, int, int]) -> list[tuple[str, float]]:
    """The plain bars of the word inside `box` (pixels of `ink`), left to right, each with
    where its middle stands (a share of the box's width): 'l' (one
    unbroken stroke from above the x-height to the baseline), 'i' (a stem from the
    x-height with a separate dot above it), 'ı' (a stem of the x-height alone: an 'i'
    whose dot a soft scan lost, or a piece of a broken letter) or '?' (another bar: a '|' or a 'j' below the
    baseline, an 'I', a '!', or one too blurred to say). A glyph is a run of inked
    columns (letters that touch are one wide run, not a bar); the baseline and x-height
    are the most common foot and top of the word's glyphs."""
    word = _word_glyphs(ink, box)
    if word is None:
        return []
    area, glyphs, baseline, x_height = word
    out = []
    for start, width, rows, _, _ in glyphs:
        runs = [r for r in _runs(rows) if r[1] - r[0] >= 2]  # a lone row is noise
        if width > _BAR_WIDTH * x_height or not runs or max(b - a for a, b in runs) < _BAR_LENGTH_X * x_height:
            continue  # not a bar: a wide letter, a colon, a period, a speck
        if runs[-1][1] > baseline + _NEAR * x_height:
            continue  # below the baseline: a 'j' (a bar in some faces, hooked in others) or a '|'
        out.append((_bar_letter(runs, baseline, x_height), (start + width / 2) / area.shape[1]))
    return out


def _word_glyphs(ink: np.ndarray, box: tuple[int, int, int, int]):
    """The ink of the word inside `box` (a little taller, so no foot or descender is cut),
    its glyphs left to right as (first column, width, inked rows, top, bottom), its
    baseline and its x-height (rows of that ink); None when they cannot be measured. A
    glyph is a run of inked columns (letters that touch are one wide run); the baseline
    and x-height are the most common foot and top of the word's glyphs."""
    x0, top, x1, bottom = box  # x1 and bottom are past the ink, as Tesseract gives them
    area = ink[max(top - 2, 0) : max(bottom + 2, 0), max(x0, 0) : max(x1, 0)]
    if not area.size:
        return None
    glyphs = []
    for start, end in _runs(area.any(axis=0)):
        rows = area[:, start:end].any(axis=1)
        inked = np.flatnonzero(rows)
        glyphs.append((start, end - start, rows, int(inked[0]), int(inked[-1]) + 1))
    if len(glyphs) < 3:
        return None
    baseline = float(np.median([g[4] for g in glyphs]))
    standing = [g[3] for g in glyphs if abs(g[4] - baseline) <= 2]
    if not standing:  # feet in two groups with the median between them: no baseline to trust
        return None
    tallest = baseline - min(standing)
    # periods, commas and dashes are not letters: shorter than half the tallest
    x_height = _x_height([top for top in standing if baseline - top >= tallest / 2], baseline)
    if x_height < 4:
        return None
    return area, glyphs, baseline, x_height


def _x_height(tops: list[int], baseline: float) -> float:
    """The x-height of glyphs standing on `baseline` with these tops: the tops fall in two
    groups, the x-height's ('a', 'o', 'n') and the ascenders' ('h', 'l', 'b', an i's dot),
    split at the widest gap between them; the lower group's median top. A word of one
    group ('www.oecd.eu' or 'hill.fi') has no gap wider than a seventh of its height
    (ascenders stand 0.4 x-heights above it, a 't' 0.25), and its median top is taken
    (its bars are then left as read: too tall for an 'i', too short for an 'l')."""
    tops = sorted(tops)  # rows: smaller is higher
    if len(tops) < 2:
        return baseline - tops[0] if tops else 0.0
    gaps = np.diff(tops)
    widest = int(np.argmax(gaps))
    if gaps[widest] < (baseline - tops[0]) / 7:
        return baseline - float(np.median(tops))
    return baseline - float(np.median(tops[widest + 1:]))


def _bar_letter(runs: list[tuple[int, int]], baseline: float, x_height: float) -> str:
    stem_top, stem_bottom = runs[-1]
    if abs(stem_bottom - baseline) > _NEAR * x_height:
        return "?"  # below the baseline ('|', 'j') or above it ('!')
    if len(runs) == 1 and stem_top <= baseline - (1 + _ASCENDS) * x_height:
        return "l"
    if len(runs) == 1 and abs(stem_top - (baseline - x_height)) <= _NEAR * x_height:
        # a stem of the x-height alone: an 'i' whose dot a soft scan lost, or a piece of
        # a broken letter ('u', 'n'): decided only where a '!' or '|' was read
        return "ı"
    if len(runs) == 2 and abs(stem_top - (baseline - x_height)) <= _NEAR * x_height:
        dot_top, dot_bottom = runs[0]
        if dot_bottom - dot_top <= 0.4 * x_height and dot_top >= baseline - 1.7 * x_height:
            return "i"
    return "?"


_J_NEAR = 1.5  # characters: a proportional face's letters stand about a character from an even spacing


def address_bars(text: str, ink: np.ndarray, box: tuple[int, int, int, int], piece: bool = False) -> str:
    """An e-mail or web address (or a piece of one) with its bars decided (`bar_letters`),
    and its digits and slashes (`address_letters`), by the ink. `piece`: the word is known
    to continue an address on its line (`ocr._address_pieces`), though alone it does not
    look like one ('.Jukasiewicz.g' after 'joanna.labedzka@itee', the line wrapped after 'g')."""
    return address_letters(_address_bars(text, ink, box, piece), ink, box, piece)


def _address_bars(text: str, ink: np.ndarray, box: tuple[int, int, int, int], piece: bool = False) -> str:
    """An e-mail or web address with each 'i' and 'l' (and '!', '|' or 'j' OCR gave for
    one) as its bar's ink says, when the word's bars and those letters match one for one
    (else the reading stands: a bar too blurred to measure, letters touching). In any
    other word only a '!' or '|' touching a letter is decided so ('Kowalsk!' where the
    ink is a stem with its dot above): its other letters are the language model's, and
    an exclamation mark's dot is under its bar, which reads as no 'i' or 'l'."""
    address = piece or _is_address(text)
    if not (address or _BAR_IN_WORD.search(text)) or not _BAR_CHARS & set(text) or "1" in text:
        return text  # a '1' may print as a bar or with a flag: the bars cannot be matched
    bars = bar_letters(ink, box)
    # a capital 'I' is a bar too, but left as read: in a sans face it is an 'l'. A 'j' is
    # no bar (it reaches below the baseline) unless it is an 'l' misread
    # ('itee.jukasiewicz'): the bars are matched with each choice of the 'j's they may
    # be, and the choice whose letters stand where the bars stand is taken
    # a capital 'J' among small letters of an address is a bar too ('Jukasiewicz')
    fixed = [i for i, ch in enumerate(text) if ch in _BAR_CHARS or ch == "I" or (ch == "J" and address)]
    # a 'j' may be a misread 'l' only where a bar stands about where it stands: else an
    # extra bar further on (a speck's stroke, letters parted by noise) made the counts
    # match by taking a real 'j', and every letter after it took its neighbour's bar
    # ('jan.kolbe@itee' read 'lan.koibe@ltee' on speckled and office scans)
    near = _J_NEAR / len(text)
    js = [i for i, ch in enumerate(text) if ch == "j" and any(abs((i + 0.5) / len(text) - middle) <= near for _, middle in bars)][:_MAX_J]
    best = None
    for chosen in itertools.product((False, True), repeat=len(js)):
        places = sorted(fixed + [j for j, take in zip(js, chosen) if take])
        if len(places) != len(bars):
            continue
        cost = sum(abs((place + 0.5) / len(text) - middle) for place, (_, middle) in zip(places, bars))
        if best is None or cost < best[0]:
            best = (cost, places)
    # more bars in the ink than bar letters in the reading: a letter a soft scan broke
    # shows a bar (an 'h' whose arch parted from its stem, a 'u's stem): each letter takes
    # the bar standing by it. (Fewer bars than letters is left as read: a reading with a
    # letter too many, 'sli' for 'sl', puts its letters where no bar can say which is which.)
    if best is None and fixed and len(bars) > len(fixed):
        best = (0.0, _nearest_places(text, fixed, bars))
        bars = [bar for bar, place in zip(bars, best[1]) if place is not None]
        best = (0.0, [place for place in best[1] if place is not None])
    if best is None:
        return text
    out = list(text)
    for place, (bar, _) in zip(best[1], bars):
        if bar == "ı":
            out[place] = "i" if out[place] in "!|" else out[place]
        elif bar != "?" and out[place] != "I" and (address or out[place] in "!|"):
            out[place] = bar
    return "".join(out)


# A bar and a letter of the reading are one where they stand closer than this many
# characters (of the word's mean width): neighbours stand one apart
_BAR_NEAR = 0.6


def _nearest_places(text: str, places: list[int], bars: list[tuple[str, float]]) -> list[int | None]:
    """For each bar, the place among `places` (of bar letters in `text`) it stands at, or
    None: when the ink shows more bars than the reading has bar letters (a letter a soft
    scan broke, an 'h' whose arch parted from its stem), bars and places are matched in order, each pair standing closer than
    `_BAR_NEAR` characters (each character placed by its advance width), as many pairs
    as can be with the least total distance."""
    centres = [(a + b) / 2 for a, b in _spans(text)]
    n, m = len(places), len(bars)
    far = _BAR_NEAR / len(text)
    # best[i][j]: least cost of the first i places and first j bars, a place or a bar
    # left alone costing `far` (so any pair closer than `far` is worth making)
    best = np.zeros((n + 1, m + 1))
    best[:, 0] = np.arange(n + 1) * far
    best[0, :] = np.arange(m + 1) * far
    dist = np.array([[abs(centres[p] - middle) for _, middle in bars] for p in places]).reshape(n, m)
    # a bar with two places near it ('sli' read for 'sl') cannot say which one it is
    for j in range(m):
        if (dist[:, j] <= far).sum() > 1:
            dist[:, j] = np.inf
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            pair = best[i - 1, j - 1] + dist[i - 1, j - 1] if dist[i - 1, j - 1] <= far else np.inf
            best[i, j] = min(pair, best[i - 1, j] + far, best[i, j - 1] + far)
    chosen: list[int | None] = [None] * m
    i, j = n, m
    while i > 0 and j > 0:
        if dist[i - 1, j - 1] <= far and best[i, j] == best[i - 1, j - 1] + dist[i - 1, j - 1]:
            chosen[j - 1] = places[i - 1]
            i, j = i - 1, j - 1
        elif best[i, j] == best[i - 1, j] + far:
            i -= 1
        else:
            j -= 1
    return chosen


# Advance widths of Helvetica's letters (its AFM metrics, thousandths of an em): where
# each character of a reading stands along its word's ink. Sans faces differ from these
# by a few percent a letter; a character is looked for in the middle of its share only.
_ADVANCE = dict(zip("abcdefghijklmnopqrstuvwxyz", (556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833,
                                                   556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500)))
_ADVANCE.update(dict.fromkeys("0123456789_#$?&~", 556))
_ADVANCE.update({".": 278, ",": 278, ":": 278, ";": 278, "/": 278, "\\": 278, "-": 333, "!": 278, "|": 260, "@": 1015,
                 "%": 889, "=": 584, "+": 584, "'": 191, "(": 333, ")": 333, "I": 278, "J": 500, "M": 833, "W": 944})


def _spans(text: str) -> list[tuple[float, float]]:
    """Where each character of `text` stands along its word, [start, end) as shares of the word's width."""
    widths = [_ADVANCE.get(ch, 667 if ch.isupper() else 556) for ch in text]
    edges = np.concatenate(([0.0], np.cumsum(widths))) / max(sum(widths), 1)
    return list(zip(edges[:-1], edges[1:]))


def _glyphs_at(glyphs: list, span: tuple[float, float], width: int) -> list:
    """The glyphs that the middle half of `span` (shares of `width` pixels) falls on."""
    a, b = span
    left, right = (a + (b - a) / 4) * width, (b - (b - a) / 4) * width
    return [g for g in glyphs if g[0] < right and g[0] + g[1] > left]


# A digit stands as tall as a capital (0.7 of an em: 1.24-1.4 x-heights measured on
# DejaVu and Liberation Sans, sharp and as a 150 dpi scan gives them); a 'z', 'o' or 's'
# only as tall as the x-height: a glyph whose top is below this many x-heights over the
# baseline is no digit.
_DIGIT_TALL = 1.12
_DIGIT_LETTERS = {"2": "z", "0": "o", "5": "s"}
# A slash rises to the capitals' height, 1.25-1.4 x-heights on a scan (its top blurred);
# a 'u' or 'v' no higher than the x-height, a 't' 1.1-1.3 x-heights.
_RISES = 1.15
# The slash's slant: columns its right edge moves left a row down (0.41 in Helvetica and
# DejaVu Sans, 0.25-0.3 measured on a 150 dpi scan); a 'U's stem stands upright.
_SLANT = 0.15
# A 't' rises over the x-height, 1.1-1.3 x-heights on a scan; a 'u' or 'v' does not
_T_RISES = 1.08
_URL_PIECE = re.compile(r"^[A-Za-z0-9._~%/?#=&+@:-]+$")
# ...that ends in a host's last label, holds a path or ends one ('lukasiewicz.gov.pl',
# 'lep.com/business-', 'connecting-innovation/')
_URL_JOINT = re.compile(r"\w\.[a-z]{2,}$|\w/\w|\w{2}/$", re.I)


def _is_address(text: str) -> bool:
    """Whether `text` is an e-mail or web address, or a piece of one wrapped onto a line of its own."""
    return bool(_ADDRESS_WORD.search(text) or (_URL_PIECE.match(text) and _URL_JOINT.search(text)))



def address_letters(text: str, ink: np.ndarray, box: tuple[int, int, int, int], piece: bool = False) -> str:
    """An e-mail or web address (or a piece of one with a '/' in it) with three misreadings
    of its letters undone where its ink shows them:

    - a digit among letters whose glyph stands only as tall as the x-height is the
      letter it looks like ('lukasiewic2' for 'lukasiewicz': a digit is as tall as a
      capital);
    - a 'v', 'u' or 'U' (any case) whose glyph holds two tall strokes, the right one
      slanting like a slash, is a 't' and a '/' that touch ('supporvconnecting' for
      'support/connecting' on a 150 or 200 dpi scan): none of those letters has ink above
      a 't's height, nor a slanted right edge;
    - an 'n' whose stem rises to the ascenders is an 'h' (`_stem_rises`)."""
    if not (piece or _is_address(text)):
        return text
    text = _without_speck_dash(text, ink, box)
    digits = [i for i, ch in enumerate(text) if ch in _DIGIT_LETTERS and _among_letters(text, i)]
    # a capital only after a small letter ('supporUconnecting'): 'UV/' is as printed
    # (or a 'y': the slash's foot below the baseline read as its tail, 'supporyconnecting')
    slashes = [i for i, ch in enumerate(text) if ch in "vVuUy" and 0 < i < len(text) - 1 and text[i - 1].islower()
               and _slash_may_stand(text, i)]
    arches = [i for i, ch in enumerate(text) if ch == "n" and _among_letters(text, i)]
    if not digits and not slashes and not arches:
        return text
    word = _word_glyphs(ink, box)
    if word is None:
        return text
    area, glyphs, baseline, x_height = word
    spans = _spans(text)
    out = list(text)
    for i in digits:
        found = _glyphs_at(glyphs, spans[i], area.shape[1])
        if found and all(baseline - g[3] < _DIGIT_TALL * x_height for g in found):
            out[i] = _DIGIT_LETTERS[text[i]]
    for i in arches:
        if _stem_rises(area, glyphs, spans[i], baseline, x_height):
            out[i] = "h"
    mean = area.shape[1] / len(text)  # a character's mean width
    for i in slashes:
        if "/" in text[max(i - 2, 0) : i + 3]:
            continue  # a slash read beside it: the slash in the ink is that one
        # the glyphs within a character and a half of where the letter should stand (the
        # advance widths misplace a letter by up to one in a long word), each alone and
        # with the glyph before it (the 't' of a 't/' that does not touch it)
        a, b = spans[i]
        near = [k for k, g in enumerate(glyphs) if g[0] < b * area.shape[1] + 1.5 * mean and g[0] + g[1] > a * area.shape[1] - 1.5 * mean]
        tried = [glyphs[k : k + 1] for k in near] + [glyphs[k - 1 : k + 1] for k in near if k > 0]
        if any(_t_and_slash(area[:, g[0][0] : g[-1][0] + g[-1][1]], baseline, x_height) for g in tried):
            out[i] = "t/"
    return "".join(out)


# An 'h's stem rises 1.35-1.45 x-heights over the baseline (an ascender), an 'n' stands
# the x-height; a 't' (1.1-1.3) is no 'h'
_H_RISES = 1.25


def _stem_rises(area: np.ndarray, glyphs: list, span: tuple[float, float], baseline: float, x_height: float) -> bool:
    """Whether the letter read as an 'n' at `span` is an 'h': the glyph standing there is
    no wider than a letter and a half, and its left stem, alone, rises to the ascenders
    ('agency.fi/en/nome/' for '…/en/home/' on an office scan, the ink sharp). Letters
    that touch ('nk', 'ln') make one wide glyph, or rise right of its left part."""
    found = _glyphs_at(glyphs, span, area.shape[1])
    if not found:
        return False
    # the glyph standing nearest where the letter should (advance widths misplace it a little)
    middle = (span[0] + span[1]) / 2 * area.shape[1]
    start, width, _, top, _ = min(found, key=lambda g: abs(g[0] + g[1] / 2 - middle))
    if width > 1.5 * (span[1] - span[0]) * area.shape[1] or baseline - top < _H_RISES * x_height:
        return False
    high = area[: int(round(baseline - _H_RISES * x_height)), start : start + width].any(axis=0)
    columns = np.flatnonzero(high)
    return columns.size > 0 and columns[-1] < 0.4 * width


def _slash_may_stand(text: str, i: int) -> bool:
    """May a '/' stand at `i` of the address? Not in an e-mail, nor inside a web address's
    host (before the first '/' after its scheme or 'www.'): there the two strokes read
    as a 't/' are a 'cy' ('jane.doe@cyl.es' read '…@ct/l.es' on an office scan).
    In the host's last label it may: that '/' is the one that ends the host, read as a
    letter ('gencat.caven/' for 'gencat.cat/en/')."""
    if "@" in text and "://" not in text:
        return False
    scheme = text.find("://")
    start = scheme + 3 if scheme >= 0 else (0 if text.lower().startswith("www.") else None)
    if start is None:
        return True  # a piece of a path: where its host ended is not known
    path = text.find("/", start)
    if 0 <= path < i:
        return True
    end = path if path >= 0 else len(text)
    last_dot = text.rfind(".", start, end)
    return 0 <= last_dot < i - 2  # a top-level domain of two letters or more before it


# A hyphen's ink is half an x-height long and more (a quarter of the type size); a speck
# of a noisy scan a few pixels (3 of an x-height of 21 at 300 dpi, measured)
_SPECK_DASH = 0.25


def _without_speck_dash(text: str, ink: np.ndarray, box: tuple[int, int, int, int]) -> str:
    """An address (or a piece) ending in two dashes with its last dash dropped where the
    ink's last glyph is a speck, not a bar: a dot of the paper beside a wrapped address's
    hyphen read as a second one ('lep.com/business--' on a speckled 200 dpi scan, one
    hyphen printed). An address's hyphens are each a bar a hyphen long."""
    if len(text) < 3 or text[-1] not in DASHES or text[-2] not in DASHES:
        return text
    word = _word_glyphs(ink, box)
    if word is None:
        return text
    _, glyphs, _, x_height = word
    start, width, rows, top, bottom = glyphs[-1]
    return text[:-1] if width < _SPECK_DASH * x_height and bottom - top < _SPECK_DASH * x_height else text


def _among_letters(text: str, i: int) -> bool:
    """Whether the character at `i` has a letter beside it and no digit: a digit of a number ('2020') is meant."""
    before, after = text[i - 1 : i], text[i + 1 : i + 2]
    return (before.isalpha() or after.isalpha()) and not (before.isdigit() or after.isdigit())


def _t_and_slash(area: np.ndarray, baseline: float, x_height: float) -> bool:
    """Whether the ink in `area` (columns of the glyphs where a 'v' or 'u' was read) is a
    't' and a '/': a stroke rises higher than those letters do, its right edge slants
    (a slash: a 'U's stem stands upright), and left of it, across the x-height's
    middle, is one upright stroke (a 't's stem; a 'u' or 'v' shows two)."""
    high = int(round(baseline - _RISES * x_height))
    if high <= 0 or not area[high].any():
        return False
    slash = _runs(area[high])[-1]
    # ...and the stroke is one with the letters: ink on every row from there down to the
    # x-height, a speck over a 'v' on a speckled scan stands apart ('connecting-innot/ation')
    if any(not area[y, : slash[1] + 1].any() for y in range(high, int(round(baseline - x_height)) + 1)):
        return False
    # the slash's right edge, from its top down to a third of the x-height over the
    # baseline (its foot curls into the 't' on a soft scan)
    rows = range(0, int(round(baseline - x_height / 3)))
    edge = [(y, int(np.flatnonzero(area[y, : slash[1] + 1])[-1])) for y in rows if area[y, : slash[1] + 1].any()]
    if len(edge) < x_height / 2:
        return False
    ys, xs = np.array(edge, dtype=float).T
    if -np.polyfit(ys, xs, 1)[0] < _SLANT:
        return False
    middle = int(round(baseline - 0.5 * x_height))
    crossing = int(dict(edge).get(middle, slash[0]))
    strokes = [r for r in _runs(area[middle, :crossing + 1]) if r[1] - r[0] >= 2]
    if len(strokes) == 2:
        return True  # the 't's stem and the slash itself
    # ...or letters before the 't' touch it too ('rt/' one glyph): the stem by the slash
    # rises over the x-height as a 't's does, where a 'u's or a 'v's stops at it
    if len(strokes) < 3:
        return False
    stem = area[:, strokes[-2][0] : strokes[-2][1]].any(axis=1)
    return bool(stem[: int(round(baseline - _T_RISES * x_height))].any())


# A '3' and an '8' differ in their left side: the 8's two bowls close it from top to
# bottom, the 3's is open down the middle of each bowl. Measured on DejaVu and Liberation
# Sans and Serif, regular and bold, 34-50 px an em (8-12 pt at 300 dpi) and as a 150 dpi
# scan gives them: rows between 15% and 85% of the glyph's height with ink in its left
# 30%: an '8' 0.9-1.0 of them, a '3' at most 0.6.
_LEFT = 0.3
_CLOSED, _OPEN = 0.85, 0.65


def three_or_eight(text: str, other: str, ink: np.ndarray, box: tuple[int, int, int, int]) -> str:
    """An e-mail or web address whose two readings (the English model's `text`, the Latin
    model's `other`) differ only where one reads '3' and the other '8', with each such
    digit decided by its ink ('https://8mbic.com' at 65 for 'https://3mbic.com', read
    right by the Latin model at 49, on a 200 dpi office scan). Left as read where the
    glyph cannot be told apart from its neighbours or its ink says neither."""
    if not other or len(other) != len(text) or not _is_address(text):
        return text
    places = [i for i, (a, b) in enumerate(zip(text, other)) if a != b]
    if not places or any({text[i], other[i]} != {"3", "8"} for i in places):
        return text
    word = _word_glyphs(ink, box)
    if word is None:
        return text
    area, glyphs, baseline, x_height = word
    spans = _spans(text)
    out = list(text)
    for i in places:
        # the one glyph where the digit stands, as tall as a digit and standing on the baseline
        # (no wider than tall: a digit touching a letter, 'k3' in bold, is one wide glyph)
        found = [g for g in _glyphs_at(glyphs, spans[i], area.shape[1])
                 if baseline - g[3] >= _DIGIT_TALL * x_height and abs(g[4] - baseline) <= _NEAR * x_height and g[1] <= g[4] - g[3]]
        if len(found) != 1:
            continue
        start, width, _, top, bottom = found[0]
        glyph = area[top:bottom, start : start + width]
        height = glyph.shape[0]
        left = glyph[int(0.15 * height) : int(np.ceil(0.85 * height)), : max(1, int(round(_LEFT * width)))]
        closed = float(left.any(axis=1).mean()) if left.size else 0.5
        if closed >= _CLOSED:
            out[i] = "8"
        elif closed <= _OPEN:
            out[i] = "3"
    return "".join(out)
