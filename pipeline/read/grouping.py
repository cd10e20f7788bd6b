"""pdfplumber's grouping of characters into words (`WordExtractor.extract_words`), for the
one set of options `words.py` uses, written out.

pdfplumber's grouping is general (any reading direction, tolerances as ratios, split at
punctuation, blank characters kept) and pays for it on every character: a method call to
ask whether a character begins a word, sort keys built as tuples, a word's box through
`zip(*)`, every word given its direction, height, width and document position. With its
defaults (3-point tolerances), words split at blanks, and the font name and size as
`extra_attrs` (so a change of font or size ends a word), a word is: characters in runs of
the same (upright, font name, size) in the order pdfminer renders them; each run cut into
lines (pdfplumber's `make_cluster_dict` of the lines' positions, 3 points apart); each
line sorted along its direction (left to right upright, top to bottom turned); a new word
at a blank, or where a character starts before the last one's start, more than 3 points
after its end, or more than 3 points off its line. `words` gives the same words (text,
box, font name, size, in the same order) as pdfplumber; `tests/test_speed.py` compares
them.
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter

from pdfplumber.utils.clustering import make_cluster_dict
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES
EXTRA_ATTRS = ["fontname", "size"]

_run_key = itemgetter("upright", *EXTRA_ATTRS)
_x0 = itemgetter("x0")
_top_bottom = itemgetter("top", "bottom")


def words(chars: list[dict]) -> list[dict]:
    """The words of the characters, each a dict of text, x0, top, x1, bottom, fontname and
    size, as `pdfplumber.utils.extract_words(chars, extra_attrs=EXTRA_ATTRS)` gives them."""
    out: list[dict] = []
    for (upright, *_), run in groupby(chars, _run_key):
        _run_words(list(run), upright, out)
    return out


def _run_words(run: list[dict], upright, out: list[dict]) -> None:
    # pdfplumber: lines by "top" (upright) or "x0" (turned) through make_cluster_dict; lines
    # in the cluster's order, each line's characters in their run's order, then sorted
    # along the line; a character begins a word (`char_begins_new_word`) where it starts
    # before the last one's start, over a tolerance after its end, or over the other off its
    # line (the x and y tolerances trade places on turned text)
    if upright:
        line_key, along, start, end = "top", _x0, "x0", "x1"
        gap, off = DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE
    else:
        line_key, along, start, end = "x0", _top_bottom, "top", "bottom"
        gap, off = DEFAULT_Y_TOLERANCE, DEFAULT_X_TOLERANCE
    clusters = make_cluster_dict([c[line_key] for c in run], off)
    if max(clusters.values()) == 0:  # one line
        lines = [run]
    else:
        buckets: dict[int, list[dict]] = {}
        for char in run:
            index = clusters[char[line_key]]
            line = buckets.get(index)
            if line is None:
                buckets[index] = [char]
            else:
                line.append(char)
        lines = [buckets[i] for i in sorted(buckets)]
    for line in lines:
        word: list[dict] = []
        prev = None
        for char in sorted(line, key=along):
            text = char["text"]
            if text.isspace():
                if word:
                    out.append(_merged(word))
                word = []
            elif text == "":  # `"" in split_at_punctuation` (""): a word of its own
                if word:
                    out.append(_merged(word))
                out.append(_merged([char]))
                word = []
            elif word and (
                char[start] < prev[start] or char[start] > prev[end] + gap or abs(char[line_key] - prev[line_key]) > off
            ):
                out.append(_merged(word))
                word = [char]
            else:
                word.append(char)
            prev = char
        if word:
            out.append(_merged(word))


def _merged(chars: list[dict]) -> dict:
    """pdfplumber's `merge_chars` (its box by min and max in the characters' order, the
    font name and size of the first: equal across the run, not always of one type, as 12
    and 12.0), with only what `words.py` reads."""
    first = chars[0]
    return {
        "text": "".join([LIGATURES.get(c["text"], c["text"] or "") for c in chars]),
        "x0": min([c["x0"] for c in chars]),
        "top": min([c["top"] for c in chars]),
        "x1": max([c["x1"] for c in chars]),
        "bottom": max([c["bottom"] for c in chars]),
        "fontname": first["fontname"],
        "size": first["size"],
    }
