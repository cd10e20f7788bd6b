"""Numbered headings: '2. Digital Innovation Hubs' heads theme 2, '2.3 Title' is the third
practice of theme 2. The number places the heading in the guide's hierarchy; it is not
part of the practice's title (the other editions print their titles bare)."""

from __future__ import annotations

import re

from pipeline.model import Line

_PRACTICE_NUMBER = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?$")


def practice_number(line: Line) -> tuple[int, int] | None:
    """(theme, practice) of a heading line opening with 'N.M', followed by its title."""
    if len(line.words) < 2:
        return None
    first = line.words[0]
    text = first.text
    if first.conf is not None and any(ch.isdigit() for ch in text):
        # read by OCR: a '1' beside the dot read as a letter of its shape ('L.1' for
        # '1.1' in a 13 pt bold heading at 300 dpi, and the card's title kept it)
        text = text.translate(_DIGIT_SHAPES)
    match = _PRACTICE_NUMBER.match(text)
    return (int(match.group(1)), int(match.group(2))) if match else None


_DIGIT_SHAPES = str.maketrans({"l": "1", "L": "1", "I": "1", "|": "1", "O": "0", "o": "0"})


def strip_practice_number(title: list[Line], theme_number: int | None) -> list[Line]:
    """The title without its 'N.M' number, where N is the theme the card sits in (or the
    card sits in none): a title that merely opens with a number ('4.0 skills for…') under
    another theme keeps it."""
    if not title:
        return title
    number = practice_number(title[0])
    if number is None or (theme_number is not None and number[0] != theme_number):
        return title
    return [title[0].model_copy(update={"words": title[0].words[1:]}), *title[1:]]
