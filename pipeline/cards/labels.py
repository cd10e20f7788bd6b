"""Fact labels: which lines open with a label, which field it names, and what a label
nobody listed means judging by its value.

Whether labels must be bold is the document's own house style: where any known label is
set in bold, a label must be emphasised (a value such as 'Timescale: 2020 - 2023' printed
in regular type under a bold label stays a value); where none is (regular-weight
typesetting, OCR words of unknown weight), a short prefix ending in a colon is a label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.cards.vocabulary import label_field
from pipeline.model import Line, PageLayout, Word
from pipeline.values.places import _mentions

_CONNECTORS = {"and", "or", "|", ",", ";", "&"}
_MAX_WORDS = 6
# key words of a label nobody listed, checked word by word in the label's order
_KEYWORDS = (
    ("institution", ("institution", "organisation", "organization", "body", "owner", "promoter", "beneficiar", "partner")),
    ("location", ("location", "country", "region", "place", "address", "territor")),
    ("contact", ("contact", "person", "email", "mail")),
    ("website", ("website", "web", "url", "link", "internet", "homepage", "information")),
    ("period", ("date", "period", "duration", "timescale", "timeframe", "time", "year", "start", "end")),
)  # a label is at most this many words
_URL = re.compile(r"^(?:https?://|www\.)\S+$|^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?$", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_POINT = rf"(?:(?:{_MONTH}\s+)?(?:19|20)\d{{2}}|(?:0?[1-9]|1[0-2])[/.](?:19|20)\d{{2}})"
_RANGE = re.compile(
    rf"^{_POINT}\s*(?:-|–|—|to|until|till)\s*(?:{_POINT}|ongoing|on-going|present|today|now)$|^(?:since|from)\s+{_POINT}$",
    re.IGNORECASE,
)


@dataclass
class Label:
    region: int
    index: int
    field: str
    line: Line
    inline: list[Word]
    # the printed label when it is in no vocabulary and its value decided the field
    unknown: str | None = None
    # a fact table's label (cards/tables.py): its value cell's lines, and the other lines
    # of the table it stands for (its label cell's next lines, a header row over it)
    values: tuple[tuple[int, int], ...] | None = None
    owned: tuple[tuple[int, int], ...] = ()


def _emphasised(word: Word, lenient: bool) -> bool:
    # unknown weight is no evidence against a label; nor is an OCR word's measured weight,
    # which is only a guess (a grey or inverted label measures thin)
    return word.bold is not False or lenient or word.conf is not None


def _bold(word: Word) -> bool:
    """Bold set in the font: an OCR word's measured weight is not enough to reject a label."""
    return bool(word.bold) and word.conf is None


def _set_apart(line: Line, below: Line | None) -> bool:
    """A whole-line label without colon or bold shows itself otherwise: in capitals, or
    in another size than the value under it."""
    letters = [ch for ch in line.text if ch.isalpha()]
    if len(letters) >= 3 and all(ch.isupper() for ch in letters):
        return True
    return below is not None and abs(below.size - line.size) >= 0.5


def _opens_as_label(text: str) -> bool:
    """Whether a label OCR read may be matched to the vocabulary a letter or two away: it
    opens with a capital (or an 'l' OCR reads for a capital I). A word in small letters
    before a colon is prose: 'organizations: Development and Recycling' in a two-column
    section on a scan of the word-processor guide was one letter from 'organization', and
    the section's text went into the practice's institution."""
    first = text.lstrip()[:1]
    return first.isupper() or first == "l" or not first.isalpha()


def as_label(line: Line, lenient: bool, below: Line | None = None) -> tuple[str | None, list[Word], str] | None:
    """(field or None, words after the label, printed label) when the line opens with a
    label: emphasised words naming a field and ending in a colon (or, in bold, making up
    the whole line), followed by nothing bold; or a whole line naming a field that is set
    apart from the value under it (capitals, another size). Field None: a colon label in
    no vocabulary, to be judged by its value."""
    words = line.words
    misread = any(w.conf is not None for w in words)  # read by OCR: a letter may be wrong
    # a colon with words after it ends the label there: the words are its value, not part
    # of a whole-line label ('Timescale (start/end date): January' over '2017 – March
    # 2020' in smaller type named a field by its bracket, and 'January' was lost)
    opens_value = re.search(r":\s+\S", line.text) is not None
    if len(words) <= _MAX_WORDS and not line.text.endswith(":") and not opens_value and _set_apart(line, below):
        field = label_field(line.text, misread)
        # a label in no vocabulary needs both signs: an acronym line among values has one
        if field or (below is not None and abs(below.size - line.size) >= 0.5 and _set_apart(line, None)):
            return field, [], line.text.strip()
    # ...or a whole-line label in capitals with a speck read as a colon inside it ('MAN
    # INST: TUTION INVOLVED' on a 150 dpi scan): the line names a field a letter or two
    # away, what stands before the colon names none, and capitals are no value's words
    if (
        misread and opens_value and len(words) <= _MAX_WORDS and not line.text.endswith(":") and _set_apart(line, None)
        and label_field(line.text.split(":", 1)[0], True) is None
    ):
        field = label_field(line.text.replace(":", " "), True)
        if field:
            return field, [], line.text.strip()
    for n in range(1, min(len(words), _MAX_WORDS) + 1):
        if not _emphasised(words[n - 1], lenient):
            return None
        text = " ".join(w.text for w in words[:n])
        colon = text.endswith(":")
        if not (colon or (n == len(words) and not lenient)):
            continue
        rest = words[n:]
        if any(_bold(w) for w in rest):
            return None
        field = label_field(text.rstrip(":"), misread and colon and _opens_as_label(text))
        if field or colon:
            return field, rest, text.rstrip(":").strip()
        return None
    return None


def value_field(text: str) -> str | None:
    """The field a value says it belongs to: a URL, an e-mail address, a date range, a
    place naming its country."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return None
    if _EMAIL.search(text):
        return "contact"
    tokens = text.split()
    if _URL.match(tokens[0]) and all(
        t.lower() in _CONNECTORS or re.search(r"[./_#?=-]", t) for t in tokens[1:]
    ):
        return "website"
    if _RANGE.match(text):
        return "period"
    if len(tokens) <= 10 and _mentions(text) and not re.search(r"\d", text):
        return "location"
    return None


def _beside(page: PageLayout, label: Line) -> list[Line]:
    """The lines printed to the right of a label, starting on its row (a table cell)."""
    for region in page.regions:
        for i, line in enumerate(region.lines):
            if line.x0 > label.x1 and abs(line.top - label.top) < 0.6 * page.body_size:
                return region.lines[i:i + 4]
    return []


def is_label_like(line: Line, lenient: bool) -> bool:
    """A line opening with a known label or a colon label: where a value ends."""
    found = as_label(line, lenient)
    return found is not None and (found[0] is not None or ":" in line.text)


def uses_bold_labels(pages: list[PageLayout]) -> bool:
    """Does the document set its known labels in bold (its house style)? Only a text
    layer's fonts tell: OCR measures weight from strokes, and a grey or inverted label
    measures thin, so a scan is read as a document without bold."""
    for page in pages:
        for region in page.regions:
            for line in region.lines:
                if line.read_by_ocr:
                    continue
                found = as_label(line, lenient=False)
                if found and found[0]:
                    return True
    return False


def find_labels(page: PageLayout, lenient: bool, carried: bool = False, stacked=None) -> list[Label]:
    """Known labels, and labels in no vocabulary whose value (on the label's line or the
    lines under it, up to the next label) names a field, or which sit among the known
    labels and name, by a key word, a field none of them names; the rows of fact tables
    (`cards/tables.py`; `carried`: the card's page before ended in one). `stacked`
    (cards/stacked.py) decides the lines the document sets as labels above their values,
    except a label the vocabulary names as it stands and a label nobody names that is
    read here as one."""
    from pipeline.cards.tables import table_labels  # tables build on this module's helpers

    found, in_tables = table_labels(page, carried)
    unknown: list[tuple[int, int, Line, list[Word], str, str]] = []
    for r, region in enumerate(page.regions):
        if r in in_tables:
            continue
        candidates = []
        for i, line in enumerate(region.lines):
            label = as_label(line, lenient, region.lines[i + 1] if i + 1 < len(region.lines) else None)
            if stacked is not None and stacked.decides(line, label):
                if id(line) in stacked.fields:
                    name, printed = stacked.fields[id(line)]
                    found.append(Label(r, i, name, line, [], unknown=printed))
                continue
            if label:
                candidates.append((i, line, *label))
        for k, (i, line, field, inline, printed) in enumerate(candidates):
            if field:
                found.append(Label(r, i, field, line, inline))
                continue
            end = candidates[k + 1][0] if k + 1 < len(candidates) else len(region.lines)
            under = region.lines[i + 1:end][:4]
            value = " ".join([w.text for w in inline] + [ln.text for ln in under or _beside(page, line)])
            unknown.append((r, i, line, inline, printed, value))
    known = [label for label in found if label.values is None]
    named = {label.field for label in known}
    # a card whose labels end in a colon sets no label without one: a line in capitals
    # measured a size larger than the value under it (an acronym over an e-mail address,
    # an OCR size of 9.6 against 8.6) is a value there, an organisation's acronym
    colons = bool(known) and all(":" in label.line.text for label in known)
    for r, i, line, inline, printed, value in unknown:
        if colons and ":" not in line.text:
            continue
        # only in a fact box, beside or under known labels, and capitalised as a label
        # is: a sentence ending in a colon ('(2018) have been:') is no label. Its first
        # letter: a speck before it read as a quote mark ('‘Web presence:' on a speckled
        # scan) is no sign either way, and lost the card its web address
        first = next((ch for ch in printed if ch.isalnum()), "")
        if not (first.isupper() and _among(line, known, page.body_size)):
            continue
        # the label's own key word first ('Organisation(s) involved' over a value that
        # names a country); else what the value is
        field = keyword_field(printed)
        if not (field and field not in named):
            field = value_field(value)
        if field:
            found.append(Label(r, i, field, line, inline, unknown=printed))
    found.sort(key=lambda label: (label.region, label.index))
    # a label right under an empty label of the same field is its value
    # ('Start-end date:' / 'Timescale: September 2020 - November 2023')
    kept: list[Label] = []
    for label in found:
        last = kept[-1] if kept else None
        if last and not last.inline and last.field == label.field and (last.region, last.index + 1) == (label.region, label.index):
            continue
        kept.append(label)
    return kept


def keyword_field(printed: str) -> str | None:
    """The field a label's key word names ('Organisation(s) involved' -> institution)."""
    words = re.findall(r"[a-z]+", printed.lower())
    for word in words:
        for field, stems in _KEYWORDS:
            if any(word.startswith(stem) for stem in stems):
                return field
    return None


def _among(line: Line, labels: list[Label], size: float) -> bool:
    """In the fact box: in a known label's column and near it, or on its row."""
    for label in labels:
        same_column = abs(label.line.x0 - line.x0) < size / 2 and abs(label.line.top - line.top) < 15 * size
        same_row = abs(label.line.top - line.top) < size / 2
        if same_column or same_row:
            return True
    return False
