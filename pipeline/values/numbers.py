"""Numbers as printed in European and English documents alike.

The separator is decided from the shape of each number, never from a document locale:
one guide writes '9.397.732,50 EUR' and '£7,057,734.00' on neighbouring pages.
"""

from __future__ import annotations

import math
import re

NUMBER = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
SPACED = r"\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?:[.,]\d+)?"  # '1 500 000' (normal, no-break or thin spaces), as French and Polish print it
_MAGNITUDES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "mio": 1e6, "million": 1e6,
    "millions": 1e6, "bn": 1e9, "b": 1e9, "billion": 1e9, "billions": 1e9,
}
_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}


_QUALIFIERS = (
    ("more than", "more than"), ("over", "over"), ("about", "about"), ("approximately", "about"),
    ("approx.", "about"), ("approx", "about"), ("around", "about"), ("roughly", "about"), ("some", "about"),
    ("almost", "almost"), ("nearly", "almost"), ("up to", "up to"), ("at least", "at least"),
    ("less than", "less than"), ("fewer than", "less than"), ("under", "less than"),
)
# Before an amount of money 'from' is its lower bound ('from 23 000 EUR a trial'); before
# a count it is mostly a source ('selected from 87 applications').
_PRICE_QUALIFIERS = (("from", "from"), ("starting at", "from"), ("starting from", "from"))
# ... but after a verb of change 'from' names the old amount ('increased from 1,3M€ to 2M€')
_CHANGED = re.compile(r"\b(increas|decreas|ris|rose|grew|grow|went|raised|reduc|cut|fell|fall|dropp|chang|mov|up|down)\w*$")


def qualifier_before(text: str, money: bool = False) -> str | None:
    """'over', 'about', 'up to' ... when the text right before a number says so. Stacked
    qualifiers are all kept, in printed order: 'approximately from 23 000 EUR' -> 'about, from'."""
    tail = text.lower().rstrip(" (")
    found: list[str] = []
    phrases = sorted(_QUALIFIERS + (_PRICE_QUALIFIERS if money else ()), key=lambda q: -len(q[0]))
    while tail:
        for phrase, name in phrases:
            if tail.endswith(" " + phrase) or tail == phrase:
                rest = tail[: -len(phrase)].rstrip()
                if name == "from" and _CHANGED.search(rest):
                    return ", ".join(dict.fromkeys(found)) or None
                found.insert(0, name)
                tail = rest
                break
        else:
            break
    return ", ".join(dict.fromkeys(found)) or None


def magnitude(word: str | None) -> float:
    """Multiplier of 'M', 'million', 'k', 'bn' (1 for anything else)."""
    return _MAGNITUDES.get((word or "").strip().lower().rstrip("."), 1.0)


def parse_number(text: str, scaled: bool = False) -> float | None:
    """'2.231' -> 2231, '9.397.732,50' -> 9397732.5, '1,3' -> 1.3, '12.5' -> 12.5.

    `scaled` says a magnitude word follows ('1,300 M€'): then a lone separator is a
    decimal mark, since nobody writes thousands of millions that way.
    Returns None for anything that is not one number, and for a number too large for a
    float (400 nines in a hostile PDF would be infinity, which JSON cannot hold).
    """
    value = _parse_number(text, scaled)
    return value if value is not None and math.isfinite(value) and value < FINITE_BOUND else None


# An amount or count beyond this is no amount any guide states; times a magnitude word
# ('billion') it stays finite.
FINITE_BOUND = 1e250


def _parse_number(text: str, scaled: bool) -> float | None:
    if not isinstance(text, str):
        return None
    s = text.strip().replace("'", "")
    if re.fullmatch(SPACED, s):
        s = re.sub(r"[ \u00a0\u2009\u202f]", "", s)
    if s.lower() in _WORDS:
        return float(_WORDS[s.lower()])
    if not re.fullmatch(r"\d+(?:[.,]\d+)*", s):
        return None
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        decimal = "." if s.rfind(".") > s.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        whole, _, fraction = s.rpartition(decimal)
        if thousands in fraction or not re.fullmatch(r"\d{1,3}(?:" + re.escape(thousands) + r"\d{3})*", whole):
            return None
        return float(whole.replace(thousands, "") + "." + fraction)
    sep = "." if dots else "," if commas else ""
    if not sep:
        return float(s)
    groups = s.split(sep)
    if len(groups) > 2:
        if all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3:
            return float("".join(groups))
        return None
    head, tail = groups
    if len(tail) == 3 and not scaled and head != "0":
        return float(head + tail)
    return float(head + "." + tail)
