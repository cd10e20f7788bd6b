"""Words whose box Tesseract stretched over the line above or below, read again inside
their own line.

Where a line of faint type stands close over a line of values (a label printed mid-grey
over its value on an office scan), Tesseract may take ink of both lines for one word: its
box then reaches two or three times the height of its line's other words, and what it
reads is neither line ('Region' read 'Sete' at 22, its box over the label above, by both
the English and the Latin model). Cropped to its own line's band and read alone
(`sheets.read_apart`), the word reads as printed. Only unsure words are read again, and a
new reading is kept only when it is sure and surer than the old one."""

from __future__ import annotations

from statistics import median

from pipeline.read.sheets import read_apart

UNSURE = 50  # a stretched word read at or above this is left alone
SURE = 60  # a new reading below this is no better evidence than the old
_TALL = 1.6  # a box this many times the line's other words' median height is stretched
# the band of the line: from its words' median top and bottom, this much of their median
# height above (a capital's or an accent's top) and below (a descender: the median bottom
# is most often the baseline)
_ABOVE = 0.15
_BELOW = 0.35


def stretched_words(lines: list[dict]) -> list[tuple[int, int, tuple[int, int, int, int]]]:
    """(line index, word index, the band to read it in, page pixels) of each unsure word
    whose box is much taller than its line's other words."""
    out = []
    for li, line in enumerate(lines):
        words = line["words"]
        if len(words) < 2:
            continue
        for wi, word in enumerate(words):
            if word["conf"] >= UNSURE:
                continue
            others = [w["bbox"] for j, w in enumerate(words) if j != wi]
            height = median(b[3] - b[1] for b in others)
            x0, top, x1, bottom = word["bbox"]
            if height <= 0 or bottom - top <= _TALL * height:
                continue
            band_top = median(b[1] for b in others) - _ABOVE * height
            band_bottom = median(b[3] for b in others) + _BELOW * height
            side = _ABOVE * height
            out.append((li, wi, tuple(int(round(v)) for v in (x0 - side, band_top, x1 + side, band_bottom))))
    return out


def reread(image, lines: list[dict], read, read_latin=None) -> list[dict]:
    """`lines` with their stretched words read again in their own line's band: `read(sheet)`
    (and `read_latin`, the accent model, where there is one) run Tesseract on a sheet of
    words (`--psm 6`) and give lines in `ocr._Hocr`'s shape."""
    wanted = stretched_words(lines)
    if not wanted:
        return lines
    readings = read_apart(image, [box for _, _, box in wanted], read)
    # one word for one word (a reading that splits it, or finds nothing, says the crop
    # held something else), sure, and surer than the old
    kept = [
        (li, wi, box, found[0]) for (li, wi, box), found in zip(wanted, readings)
        if len(found) == 1 and any(ch.isalnum() for ch in found[0]["text"])
        and found[0]["conf"] >= SURE and found[0]["conf"] > lines[li]["words"][wi]["conf"]
    ]
    if not kept:
        return lines
    # the accent model reads only the words kept: a contents page's dot leaders make many
    # stretched words and keep none
    latin = read_apart(image, [box for _, _, box, _ in kept], read_latin) if read_latin else [[] for _ in kept]
    out = [{**line, "words": list(line["words"])} for line in lines]
    for (li, wi, _, new), other in zip(kept, latin):
        word = out[li]["words"][wi]
        x0, _, x1, _ = word["bbox"]
        out[li]["words"][wi] = {
            **word,
            "text": new["text"].strip(),
            "conf": float(new["conf"]),
            "bbox": [x0, new["bbox"][1], x1, new["bbox"][3]],
            "latin": (other[0]["text"].strip(), float(other[0]["conf"])) if len(other) == 1 else None,
        }
    return out
