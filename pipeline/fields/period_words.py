"""The words of a period read by OCR, repaired where the period's own closed vocabulary
makes the misreading certain.

A period value holds few kinds of words: month names, years, and the words that say it
is still running ('ongoing', data in `vocabulary.toml`). OCR of small capitals or a
speckled 150-200 dpi scan misreads one letter of them ('ongoina', 'ongding' for
'ongoing'; 'Marck' for 'March'), and then the period is not read at all. Inside a period
value only:

- a word one edit (a letter changed, added or left out) from exactly one month name or
  one 'still running' word, and from none of the others, is that word;
- a year that is no year of the last two centuries ('3020'), beside another year of the
  same period, is the one year that a single changed digit makes of it and that keeps
  the period in order and within a working life of the other ('January 2017 – March
  3020' ends in 2020: a '2' read as '3'). Where two digits could be meant, or no other
  year is printed, it is kept as read (and the period stays unparsed, with its warning).

Only words OCR read and was unsure of (below `UNSURE`) are changed, or any word OCR
read where the period cannot be read without the change and can with it: a text
layer's words are what the author typed, and a word read clearly ('Juni' of a German
period, read as a year) is what was printed. Words shorter than four letters are never changed ('Mai' or 'Now' may be
meant).
"""

from __future__ import annotations

import re

from pipeline.fields.periods import parse_period
from pipeline.fields.vocabulary import _words, user_table

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)
_SHORT_MONTHS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
_MIN_LETTERS = 4
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")
_NUMBER = re.compile(r"(?<![\d.,/])\d{4}(?![\d,/]|\.\d)")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_SPAN = 40  # years a period may run: a programme, not a century
# Tesseract's 0-100: clean print reads 90-96; the misread period words measured 2-62 on
# the generated scans (tests/scans.py: 'ongding' 2, '3020' 62)
UNSURE = 75


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by changing, adding or leaving out one letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


def _targets() -> tuple[frozenset[str], tuple[str, ...]]:
    """The words a period is made of (kept as they are) and those a misreading is repaired
    to: the month names and the one-word 'still running' words of four letters or more."""
    running = [w.lower() for w in _words()["ongoing"] + user_table("ongoing") if " " not in w]
    known = frozenset(_MONTH_NAMES + _SHORT_MONTHS) | frozenset(running)
    return known, tuple(w for w in _MONTH_NAMES + tuple(running) if len(w) >= _MIN_LETTERS)


def _cased_as(word: str, printed: str) -> str:
    # set in capitals when most of its letters were read so ('ONGOlNG': a capital I read 'l')
    if sum(c.isupper() for c in printed) > len(printed) / 2:
        return word.upper()
    return word.capitalize() if printed[:1].isupper() else word


def _word_repaired(printed: str, known: frozenset[str], targets: tuple[str, ...]) -> str:
    folded = printed.lower()
    if len(folded) < _MIN_LETTERS or folded in known:
        return printed
    near = {t for t in targets if _one_edit(folded, t)}
    return _cased_as(near.pop(), printed) if len(near) == 1 else printed


def _year_repaired(text: str, unsure: set[str]) -> str:
    numbers = list(_NUMBER.finditer(text))
    years = [m for m in numbers if _YEAR.match(m.group(0))]
    odd = [m for m in numbers if not _YEAR.match(m.group(0))]
    if len(odd) != 1 or len(years) != 1 or odd[0].group(0) not in unsure:
        return text
    wrong, other = odd[0], int(years[0].group(0))
    after = wrong.start() > years[0].start()
    digits = wrong.group(0)
    found = set()
    for i in range(4):
        for d in "0123456789":
            year = int(digits[:i] + d + digits[i + 1 :])
            if d != digits[i] and _YEAR.match(str(year)) and (0 <= year - other <= _SPAN if after else 0 <= other - year <= _SPAN):
                found.add(str(year))
    if len(found) != 1:
        return text
    return text[: wrong.start()] + found.pop() + text[wrong.end() :]


def period_words_repaired(words: list[tuple[str, float | None]]) -> str:
    """The period value OCR read, its words given as (text, OCR confidence) in reading
    order, joined by spaces, with its month names, 'still running' words and a misread
    year repaired where the misreading is certain (see the module's docstring): words
    OCR was unsure of; and a word it read surely ('ongoina' at 90 on a 150 dpi scan of
    small type) only where the period as read cannot be read and so repaired it can."""
    known, targets = _targets()

    def joined(gate: float) -> str:
        def repaired(text: str, conf: float | None) -> str:
            if conf is None or conf >= gate:
                return text
            return _WORD.sub(lambda m: _word_repaired(m.group(0), known, targets), text)

        last = len(words) - 1
        # a stop after the value's last year that OCR was unsure of is a speck: a fact's
        # value ends with no sentence ('March 3020.' at 41 on a speckled scan)
        words_ = [
            (text[:-1] if k == last and conf is not None and conf < UNSURE and re.fullmatch(r"\d{4}\.", text) else text, conf)
            for k, (text, conf) in enumerate(words)
        ]

        unsure = {n for text, conf in words_ if conf is not None and conf < gate for n in _NUMBER.findall(text)}
        return _year_repaired(" ".join(repaired(text, conf) for text, conf in words_), unsure)

    text = joined(UNSURE)
    if not parse_period(text)[1]:
        return text
    every = joined(float("inf"))
    return every if not parse_period(every)[1] else text
