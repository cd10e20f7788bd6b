"""Running headers and footers: text repeated at the same height on several pages,
standing above (or below) everything else on its page."""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.cards.vocabulary import edit_distance
from pipeline.model import PageText, Word, dominant_size

# Share of the page height, from the top or bottom edge, that furniture may occupy.
_BAND = 0.12
_SAME_HEIGHT = 3.0
_APART = 0.8  # furniture is at least this many body sizes away from the text
_SHARE = 0.1  # share of the other pages a running header or footer repeats on
_DIGITS = re.compile(r"\d+")
# A running line OCR read a letter or two differently on one page is the same line: line
# keys of at least this many characters match within one edit in this many characters,
# on the outermost lines of a page (this many at the top and at the bottom)
_FUZZY_LENGTH = 20
_FUZZY_SHARE = 10
_EDGE_LINES = 2


def phrases(words: list[Word]) -> list[list[Word]]:
    """Runs of words on one line with no wide gap between them."""
    # rows by the same-height tolerance, not by the rounded top: OCR puts the words of one
    # line a fraction of a point apart (817.4 and 817.53), and ordered by rounded top the
    # second piece of a footer came before the first and was a run of its own
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.top):
        if rows and abs(word.top - rows[-1][0].top) < _SAME_HEIGHT:
            rows[-1].append(word)
        else:
            rows.append([word])
    runs: list[list[Word]] = []
    for row in rows:
        for word in sorted(row, key=lambda w: w.x0):
            last = runs[-1][-1] if runs else None
            if (
                last is not None
                and abs(word.top - last.top) < _SAME_HEIGHT
                and 0 <= word.x0 - last.x1 < 2.5 * max(word.size, last.size)
            ):
                runs[-1].append(word)
            else:
                runs.append([word])
    return runs


# Characters OCR takes for one another ('I4.0' read as '14.0', 'IoT' as 'loT'): one
# running head must give one key however its scan was read.
_CONFUSABLE = str.maketrans({"1": "i", "l": "i", "|": "i", "!": "i", "0": "o"})


def _key(run: list[Word]) -> str:
    return _DIGITS.sub("#", " ".join(w.text for w in run).lower())


def forgiving_key(text: str) -> str:
    """A running head's key, forgiving what OCR gets wrong: letters and digits only (one
    running head read as 'SMEs TO' and 'SMES.TO'), confusable characters as one ('I4.0',
    '14.0', '!4.0'), numbers as '#'."""
    return re.sub(r"[^\w#]|_", "", _DIGITS.sub("#", text.lower().translate(_CONFUSABLE)))


def near_keys(a: str, b: str, grams: dict[str, set[str]] | None = None) -> bool:
    """Two keys of one running line that OCR read a letter or two apart on two pages
    ('guide.html' and 'gquide.html', 'lbaf5' and '1lbaf5'): at least `_FUZZY_LENGTH`
    characters, one edit in `_FUZZY_SHARE` at most. Three-letter pieces first (an edit
    changes three at most): lines of other words are told apart without the distance.
    `grams` keeps each key's pieces between calls."""
    most = min(len(a), len(b)) // _FUZZY_SHARE
    if min(len(a), len(b)) < _FUZZY_LENGTH or abs(len(a) - len(b)) > most:
        return False
    grams = {} if grams is None else grams
    grams_a = grams.get(a) or grams.setdefault(a, {a[i : i + 3] for i in range(len(a) - 2)})
    grams_b = grams.get(b) or grams.setdefault(b, {b[i : i + 3] for i in range(len(b) - 2)})
    if len(grams_a & grams_b) < max(len(grams_a), len(grams_b)) - 3 * most:
        return False
    return edit_distance(a, b, most) <= most


def _line_key(words: list[Word]) -> str:
    return "line:" + forgiving_key(" ".join(w.text for w in words))


def _lines(words: list[Word], runs: list[list[int]]) -> list[list[list[int]]]:
    """Runs grouped into lines: runs whose tops lie within the same-height tolerance."""
    lines: list[list[list[int]]] = []
    for run in sorted(runs, key=lambda r: words[r[0]].top):
        top = words[run[0]].top
        if lines and abs(words[lines[-1][0][0]].top - top) < _SAME_HEIGHT:
            lines[-1].append(run)
        else:
            lines.append([run])
    for line in lines:
        line.sort(key=lambda r: words[r[0]].x0)
    return lines


def find_furniture(pages: list[PageText]) -> dict[int, set[int]]:
    """Map page number -> ids (index in page.words) of words that are page furniture.
    Furniture is small print: a repeated title set in display type is not a header."""
    runs_by_page: dict[int, list[list[int]]] = {}
    seen: dict[str, list[tuple[int, float]]] = defaultdict(list)
    line_of: dict[tuple[int, int], str] = {}  # (page, first word of a run) -> its line's key
    edges: list[tuple[str, int, float]] = []  # the outermost lines' keys, pages and tops
    for page in pages:
        index = {id(w): i for i, w in enumerate(page.words)}
        runs = [[index[id(w)] for w in run] for run in phrases(page.words)]
        runs_by_page[page.number] = runs
        for run in runs:
            words = [page.words[i] for i in run]
            seen[_key(words)].append((page.number, words[0].top))
        # The whole line too: one producer sets a running head as several runs (small
        # capitals), OCR reads it as one, and the same head must match on both.
        lines = _lines(page.words, runs)
        for n, line in enumerate(lines):
            words = [page.words[i] for run in line for i in run]
            key = _line_key(words)
            seen[key].append((page.number, min(w.top for w in words)))
            for run in line:
                line_of[(page.number, run[0])] = key
            if n < _EDGE_LINES or n >= len(lines) - _EDGE_LINES:
                edges.append((key, page.number, min(w.top for w in words)))

    # a running header is on many pages; numbered captions that happen to sit at the same
    # height on two pages are not
    needed = max(1, int(_SHARE * len(pages)))

    # the outermost lines of each page, where running heads and footers stand, are matched
    # a letter or two apart too (`near_keys`); only those, so a long guide compares few
    near: dict[tuple[int, str], set[int]] = defaultdict(set)
    at: dict[str, list[tuple[int, float]]] = defaultdict(list)  # each edge key's pages and tops
    for key, page_no, top in edges:
        at[key].append((page_no, top))
    keys = sorted(at, key=len)  # each key against the longer ones within its edits
    grams: dict[str, set[str]] = {}
    for k, key in enumerate(keys):
        longest = len(key) + (len(key) - 5) // _FUZZY_SHARE
        for other in keys[k + 1 :]:
            if len(other) > longest:
                break
            if near_keys(key[5:], other[5:], grams):
                for (page_no, top), (other_page, other_top) in ((a, b) for a in at[key] for b in at[other]):
                    if page_no != other_page and abs(top - other_top) <= _SAME_HEIGHT:
                        near[(page_no, key)].add(other_page)
                        near[(other_page, other)].add(page_no)

    def repeated(key: str, page_no: int, top: float) -> bool:
        pages_here = {p for p, t in seen[key] if abs(t - top) <= _SAME_HEIGHT and p != page_no}
        return len(pages_here | near.get((page_no, key), set())) >= needed

    result: dict[int, set[int]] = {}
    for page in pages:
        largest = dominant_size(page.words) * 1.15
        candidates: list[list[int]] = []
        for run in runs_by_page[page.number]:
            words = [page.words[i] for i in run]
            top = min(w.top for w in words)
            bottom = max(w.bottom for w in words)
            in_band = bottom <= page.height * _BAND or top >= page.height * (1 - _BAND)
            is_folio = all(_DIGITS.fullmatch(w.text) for w in words)
            small = max(w.size for w in words) <= largest
            line_key = line_of[(page.number, run[0])]
            line_top = min(t for p, t in seen[line_key] if p == page.number)
            if in_band and small and (
                is_folio or repeated(_key(words), page.number, words[0].top) or repeated(line_key, page.number, line_top)
            ):
                candidates.append(run)
        chosen = {i for run in candidates for i in run}
        others = [w for i, w in enumerate(page.words) if i not in chosen]
        content_top = min((w.top for w in others), default=page.height)
        content_bottom = max((w.bottom for w in others), default=0.0)
        keep: set[int] = set()
        # furniture stands apart in the margin: a section heading that a page break put at
        # the top of several pages sits right on its text
        apart = _APART * dominant_size(others or page.words)
        for run in candidates:
            words = [page.words[i] for i in run]
            if max(w.bottom for w in words) <= content_top - apart or min(w.top for w in words) >= content_bottom + apart:
                keep.update(run)
        result[page.number] = keep
    return result
