"""Letters OCR confuses, voted over the guide: a word read once, unsure, with an 'i'
where the guide prints the same word with an 'l' again and again ('Piatform' at 56 in a
practice's title at 150 dpi; 'Platform', 'platform' read sure elsewhere) is that word.
Words are compared without case; a word's own spelling, read more than once, stands.

The Latin model's reading of the same place is a second witness: a word the English model
read once, where the Latin model read, surer, a spelling one letter away that the guide
prints elsewhere, is that spelling ('Siate' at 91 in an institution on a photocopy, 'State'
at 94 by the Latin model and read 'State' in the practice's text)."""

from __future__ import annotations

import re
from collections import Counter

_SWAPS = {"i": "l", "l": "i"}  # (lower case) letters Tesseract takes for each other in sans type
_MANY = 3  # the rival spelling is read at least this many times...
_RARE = 1  # ...and the word as read no more than this...
_UNSURE = 90  # ...and below this confidence (Tesseract's 0-100)
_LATIN_SURE = 90  # the Latin reading taken only at or above this, and surer than English's
_SHAPE = re.compile(r"([(\"'‘“]?)([A-Za-z]{5,})([)\"'’”.,;:!?]*)")  # letters only: addresses, numbers, short words stay


def voted(texts: list[str], confs: list[float | None], readings: list[tuple[str, float] | None] | None = None) -> list[str]:
    """`texts` (every OCR word of the guide, in order; `confs` their confidences, `readings`
    the Latin model's (text, confidence) of the same places, or None) with each rare word
    spelled as the guide spells it elsewhere, where one confusable letter apart and unsure,
    or one letter apart as the Latin model read it; punctuation around the word is kept
    ('Piatform,' -> 'Platform,')."""
    shapes = [_SHAPE.fullmatch(t) for t in texts]
    counts = Counter(m.group(2).lower() for m in shapes if m)
    out = []
    for k, (text, conf, shape) in enumerate(zip(texts, confs, shapes)):
        if shape is None or conf is None or counts[shape.group(2).lower()] > _RARE:
            out.append(text)
            continue
        word = shape.group(2)
        best = _swapped(word, counts) if conf < _UNSURE else None
        best = best or _latin_witness(word, conf, readings[k] if readings else None, counts)
        out.append(shape.group(1) + best + shape.group(3) if best else text)
    return out


def _swapped(word: str, counts: Counter) -> str | None:
    """`word` with the confusable letter swapped that makes the spelling the guide reads
    most (at least `_MANY` times), or None."""
    low = word.lower()
    best, best_count = None, _MANY - 1
    for i, ch in enumerate(low):
        if ch in _SWAPS:
            alt = low[:i] + _SWAPS[ch] + low[i + 1:]
            if counts[alt] > best_count:
                letter = _SWAPS[ch].upper() if i == 0 and word[0].isupper() and word[1:2].islower() else _SWAPS[ch]
                best, best_count = word[:i] + letter + word[i + 1:], counts[alt]
    return best


def _latin_witness(word: str, conf: float, reading: tuple[str, float] | None, counts: Counter) -> str | None:
    """The Latin model's spelling of `word`'s place, where it is sure and surer, differs
    by one letter (case aside), and is read elsewhere in the guide; or None."""
    if reading is None or reading[1] < _LATIN_SURE or reading[1] <= conf:
        return None
    shape = _SHAPE.fullmatch(reading[0])
    latin = shape.group(2) if shape else None
    if latin is None or len(latin) != len(word) or counts[latin.lower()] < 1:
        return None
    if sum(a != b for a, b in zip(word.lower(), latin.lower())) != 1:
        return None
    # the English reading's case, letter for letter: only the letter that differs changes
    return "".join(b.upper() if a.isupper() else b.lower() if a.islower() else b for a, b in zip(word, latin))
