"""Letters OCR confuses, voted over the guide: a word read once, unsure, with an 'i'
where the guide prints the same word with an 'l' again and again ('Piatform' at 56 in a
practice's title at 150 dpi; 'Platform', 'platform' read sure elsewhere) is that word.
Words are compared without case; a word's own spelling, read more than once, stands."""

from __future__ import annotations

import re
from collections import Counter

_SWAPS = {"i": "l", "l": "i"}  # (lower case) letters Tesseract takes for each other in sans type
_MANY = 3  # the rival spelling is read at least this many times...
_RARE = 1  # ...and the word as read no more than this...
_UNSURE = 90  # ...and below this confidence (Tesseract's 0-100)
_SHAPE = re.compile(r"([(\"'‘“]?)([A-Za-z]{5,})([)\"'’”.,;:!?]*)")  # letters only: addresses, numbers, short words stay


def voted(texts: list[str], confs: list[float | None]) -> list[str]:
    """`texts` (every OCR word of the guide, in order; `confs` their confidences) with
    each rare unsure word one confusable letter away from a frequent one spelled as that
    one; punctuation around the word is kept ('Piatform,' -> 'Platform,')."""
    shapes = [_SHAPE.fullmatch(t) for t in texts]
    counts = Counter(m.group(2).lower() for m in shapes if m)
    out = []
    for text, conf, shape in zip(texts, confs, shapes):
        if shape is None or conf is None or conf >= _UNSURE or counts[shape.group(2).lower()] > _RARE:
            out.append(text)
            continue
        word = shape.group(2)
        low = word.lower()
        best, best_count = None, _MANY - 1
        for i, ch in enumerate(low):
            if ch in _SWAPS:
                alt = low[:i] + _SWAPS[ch] + low[i + 1:]
                if counts[alt] > best_count:
                    letter = _SWAPS[ch].upper() if i == 0 and word[0].isupper() and word[1:2].islower() else _SWAPS[ch]
                    best, best_count = word[:i] + letter + word[i + 1:], counts[alt]
        out.append(shape.group(1) + best + shape.group(3) if best else text)
    return out
