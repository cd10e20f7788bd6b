"""A scanned fact box whose labels did not survive: its values, judged by what they are.

A label printed in a colour close to its panel's (teal on dark blue: a mono printer makes
both the same screen of mid-grey) can be lost on a scan, while the values (white on the
panel), the card's title and its section headings survive (docs/ocr.md). Then a card is
found from what survives: a heading at title size, under it, before the first section
heading, short lines whose values say which field they are (an e-mail address: the
contact; a web address; a date range: the period; a place naming its country: the
location), and under those at least two headings naming sections of the vocabulary
('Detailed description', 'Resources needed'). The one short value left that is none of
these is the institution, the only fact field whose value has no shape of its own.

Only lines read by OCR count: a text layer keeps a label's characters whatever its
colour, so a text page without labels is no card.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.cards.labels import Label, value_field
from pipeline.cards.vocabulary import list_marker, section_key
from pipeline.model import Line, PageLayout
from pipeline.values.places import REGIONS, _mentions

Pos = tuple[int, int, int]  # page index, region index, line index: reading order

_HEADING = 1.08  # a section heading is at least this many times the body size (or bold)
_HEADING_WORDS = 8
_MIN_SECTIONS = 2  # distinct sections named under the facts
_MIN_FIELDS = 3  # distinct fields, the institution (the one value left) among them...
_MIN_TYPED = 2  # ...and of them, this many whose values say what they are (a card may
# print only its institution, location and contact: no period, no web address)
_VALUE_WORDS = 10  # a fact value line has at most this many words...
_VALUE_LINES = 4  # ...and a value at most this many lines
_NOTE = 0.85  # smaller print (a photo credit) is no value
_AT = re.compile(r"(?<=[\w.]) ?@ ?(?=\w)")


def names_section(line: Line, body: float) -> bool:
    """A heading naming a section: its words in the vocabulary, short, not ending as a
    sentence does, and set apart by size or weight (shape alone is too weak here: this
    decides where a card starts)."""
    text = line.text.rstrip()
    return (
        section_key(text) is not None and not list_marker(text) and len(line.words) <= _HEADING_WORDS
        and text[-1:] not in ".,;:" and line.size >= body - 0.05 and (line.size >= _HEADING * body or bool(line.bold))
    )


def _lines(pages: list[PageLayout], start: Pos, end: Pos | None):
    for p in range(start[0], len(pages)):
        for r, region in enumerate(pages[p].regions):
            for i, line in enumerate(region.lines):
                pos = (p, r, i)
                if pos <= start:
                    continue
                if end is not None and pos >= end:
                    return
                yield pos, line


def sections_under(pages: list[PageLayout], start: Pos, end: Pos | None) -> set[str]:
    """The sections named by headings between two positions."""
    return {
        section_key(line.text) for pos, line in _lines(pages, start, end)
        if names_section(line, pages[pos[0]].body_size)
    }


def _is_value(line: Line, body: float) -> bool:
    return line.read_by_ocr and _NOTE * body <= line.size <= body + 0.5 and len(line.words) <= _VALUE_WORDS


def typed_labels(pages: list[PageLayout], start: Pos, end: Pos | None = None) -> list[tuple[Pos, Label]]:
    """The facts between a card's title (its last line at `start`) and its first section
    heading, as labels of a fact table's kind (`Label.values`: the value's own lines, the
    first standing for the label nobody could read): one per group of value lines (a grid
    cell, a region) whose value says its field; the one group left that says none is the
    institution. Fewer than three fields so found (two of them by their values): none
    (this is no fact box)."""
    groups: dict[tuple[int, int], list[tuple[Pos, Line]]] = {}
    for pos, line in _lines(pages, start, end):
        body = pages[pos[0]].body_size
        if names_section(line, body):
            break
        if _is_value(line, body):
            groups.setdefault(pos[:2], []).append((pos, line))
    found: list[tuple[str, list[tuple[Pos, Line]]]] = []
    untyped: list[list[tuple[Pos, Line]]] = []
    places: list[list[tuple[Pos, Line]]] = []  # every group that names a country
    labels: dict[int, tuple[Pos, Line]] = {}  # id(group) -> its label line, read but garbled
    for group in groups.values():
        if _garbled_label(group):
            labels[id(group)] = group.pop(0)
    for group in groups.values():
        texts = [line.text for _, line in group]
        if len(group) > _VALUE_LINES or any(text.rstrip().endswith(".") for text in texts):
            continue  # prose (an introduction, a tagline at body size), not a value
        field = _field(texts)
        if field == "location":
            places.append(group)
        if field is None:
            untyped.append(group)
        elif all(field != named for named, _ in found):
            found.append((field, group))
    if len(places) == 2 and not untyped:
        # an institution named after its country ('DIH Slovenia' beside 'Western Slovenia',
        # 'Chamber of commerce and industry of Slovenia' beside 'Slovenia') reads as a
        # place too: of two such values, the one naming an organisation is the institution
        named = [group for group in places if _names_organisation(" ".join(line.text for _, line in group))]
        if len(named) == 1:
            untyped.append(named[0])
            found = [(f, g) for f, g in found if f != "location"] + [("location", next(g for g in places if g is not named[0]))]
    if len({field for field, _ in found}) < _MIN_TYPED:
        return []
    if len(untyped) == 1 and all(field != "institution" for field, _ in found):
        found.append(("institution", untyped[0]))
    if len({field for field, _ in found}) < _MIN_FIELDS:
        return []
    out = []
    for field, group in found:
        (pos, first), positions = labels.get(id(group), group[0]), tuple(p[1:] for p, _ in group)
        out.append((pos, Label(pos[1], pos[2], field, first, [], values=positions)))
    return sorted(out, key=lambda item: item[0])


# Nouns an organisation's name holds and a place's does not ('Region', 'District' name
# both, and are left out)
_ORGANISATION = re.compile(
    r"\b(university|institute|government|council|authority|foundation|centre|center|municipality|ministry|"
    r"agency|chamber|cluster|association|company|department|office|hub|school|college|academy|platform)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"\b[A-Z]{3,}\b")


def _names_organisation(text: str) -> bool:
    """Does a value that names a country name an organisation: a noun only organisations
    hold, or an acronym of three capitals or more that is no country's ('DIH', not 'UK')?"""
    return bool(_ORGANISATION.search(text)) or any(not _mentions(m.group()) for m in _ACRONYM.finditer(text))


def _garbled_label(group: list[tuple[Pos, Line]]) -> bool:
    """Whether the first line of a group of value lines is the field's label, read but
    garbled past recognition ('Local Wr OL Ne t' over 'Poland', 'himescale (starvend
    date}' over a date range): set smaller than the lines under it, which say on their
    own that they are a place, a date range or a web address. Not a contact's: its first
    line is the person's name, which a scan may measure smaller than the lines under it."""
    if len(group) < 2:
        return False
    sizes = sorted(line.size for _, line in group[1:])
    if group[0][1].size >= sizes[len(sizes) // 2] - _LABEL_SMALLER:
        return False
    texts = [line.text for _, line in group]
    return _field(texts) != "contact" and _field(texts[1:]) in ("location", "period", "website")


_LABEL_SMALLER = 0.5  # points: a label set smaller than its value (a scan measures sizes within 0.3)


def _field(texts: list[str]) -> str | None:
    """The field a group of value lines says it is: an e-mail anywhere in it (a contact's
    name, organisation and address), a web address opening it (wrapped over lines), or
    the whole of it a date range or a place."""
    # an e-mail address OCR parted at its '@' ('jane.doe @agency.eu') is one still
    texts = [_AT.sub("@", text) for text in texts]
    if any(value_field(text) == "contact" for text in texts):
        return "contact"
    first = value_field(texts[0])
    if first == "website":
        return first
    whole = " ".join(" ".join(texts).split())
    field = value_field(whole)
    if field in ("period", "location"):
        return field
    # a region printed without its country ('Greater Manchester'): the whole value one of
    # the places the values stage knows, not a name that holds one ('Greater Manchester Growth Hub')
    return "location" if unicodedata.normalize("NFC", whole).rstrip(".,").lower() in REGIONS else None


def unlabelled_labels(pages: list[PageLayout], headings: list, read: list[tuple[Pos, Label]] = ()) -> list[tuple[Pos, Label]]:
    """Labels standing for the facts of every heading (`starts.Heading`, in reading order)
    with typed values under it, where at least one such heading has two or more section
    headings before the next one. A heading with the labels of a card read under it
    (`read`: the labels found, with their positions) keeps them: its values are not typed
    again; a stray label or two (a speck read as a word with a colon) does not count."""
    sectioned: list[list[tuple[Pos, Label]]] = []
    bare: list[list[tuple[Pos, Label]]] = []
    for k, heading in enumerate(headings):
        start = heading.positions[-1]
        end = headings[k + 1].positions[0] if k + 1 < len(headings) else None
        if len({label.field for pos, label in read if start < pos and (end is None or pos < end) and label.field}) >= _MIN_FIELDS:
            continue
        typed = typed_labels(pages, start, end)
        if typed:
            (sectioned if len(sections_under(pages, start, end)) >= _MIN_SECTIONS else bare).append(typed)
    # a card whose sections are not in the document (the last pages of a scan cut short)
    # counts once the document's other cards show that its facts have this shape
    return [item for typed in (sectioned + bare if sectioned else []) for item in typed]


def card_labels(chunk: PageLayout, title: list[Line] | None, found: list[Label]) -> list[Label]:
    """The labels of an unlabelled card's first page (`chunk`, its regions from the title
    on): those read there (`found`), and the typed values' for the fields they leave.
    With no `title`, `chunk` is the page after the title's, whose facts open it (a title
    and tagline at the foot of a page)."""
    if title is None:
        at = [(0, -1, 0)]  # before the page's first line
    else:
        ids = {id(line) for line in title}
        at = [(0, r, i) for r, region in enumerate(chunk.regions) for i, line in enumerate(region.lines) if id(line) in ids]
    if not at:
        return found
    named = {label.field for label in found}
    taken = {(label.region, label.index) for label in found}
    typed = [
        label for _, label in typed_labels([chunk], at[-1])
        if label.field not in named and not set(label.values or ()) & taken
    ]
    return sorted(found + typed, key=lambda label: (label.region, label.index))
