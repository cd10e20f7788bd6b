"""Labels set on their own line above their value, told by structure as much as by wording.

Word-processor fact sheets print 'Organisation in charge of best practice' in bold on a
line of its own, the value on the lines under it, and no colon anywhere. Such a label is a
short line in another style than the line directly under it (bold, italic, capitals or
another size over body text), standing alone (not the last line of a paragraph in its
style) and no sentence (no closing punctuation). One such line could be anything; the
document's own repetition is the evidence: a style that heads at least three value blocks,
at least two of them naming something the vocabulary knows, is the document's label style.

Each label of that style then says what it is, in this order:
- a document-metadata label ('Author(s)', 'Terms of reuse': the [metadata] table) heads
  document data, never practice data;
- a fact label the vocabulary knows, by the whole label or a known label it contains or
  extends ('Organisation in charge of best practice' extends 'organisation in charge');
  the longest known label decides, and two fields tied for longest decide nothing;
- a section heading ('Description', 'Potential for transfer');
- else its value's type (a URL, an e-mail, a date range, a place), with an
  `unknown_label` warning; and a label whose value is no value at all (prose under
  'Further Information') heads a section of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.cards.labels import value_field
from pipeline.cards.vocabulary import label_entries, metadata_entries, norm_label, section_key
from pipeline.model import Line, MetadataDraft, PageLayout

_MAX_WORDS = 8  # a label is short
_MAX_LINES = 2  # ...and fits on two lines
_TITLE = 1.3  # a line this many times the body size is a title, not a label
_FAMILY = 3  # lines of one style heading value blocks before the style counts as labels
_NAMED = 2  # ...of which this many name a field, a metadata item or a section
_PROSE = 40  # words: a value this long under a fact label that also names a section is that section
_SENTENCE_END = ".,;:!?"
_VALUE_LINES = 4  # lines of a value read to judge its type
_LINK = re.compile(r"https?://|www\.|^[\w-]+(?:\.[\w-]+)+/", re.IGNORECASE)
_LINK_WORDS = 12  # words beside its links that make a website label's value prose


@dataclass
class Stacked:
    """What the document's stacked labels are, keyed by id() of their Line objects (the
    same objects travel through segmentation)."""

    fields: dict[int, tuple[str, str | None]] = field(default_factory=dict)  # id -> (field, printed label when in no vocabulary)
    headings: set[int] = field(default_factory=set)
    metadata: list[MetadataDraft] = field(default_factory=list)
    hidden: set[int] = field(default_factory=set)  # metadata labels and values: not practice text
    labels: set[int] = field(default_factory=set)  # every stacked label line: where a value ends
    continued: set[int] = field(default_factory=set)  # second lines of wrapped fact labels
    # labels named by nothing in the vocabulary (typed by their value, or taken for a
    # heading): where the fact box's own reading takes the line for a label, it decides
    guessed: set[int] = field(default_factory=set)

    def decides(self, line: Line, label: tuple | None) -> bool:
        """Whether this reading, not the fact box's (`label`: cards.labels.as_label's
        reading of the line), says what the line is: a label the vocabulary names as it
        stands is the fact box's, and so is a label nobody names that it reads as one."""
        if id(line) not in self.labels:
            return False
        if label and label[0]:
            return id(line) not in self.fields
        return not (label and id(line) in self.guessed)


def _caps(line: Line) -> bool:
    letters = [ch for ch in line.text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def _style(line: Line) -> tuple:
    return (line.bold, line.italic, round(line.size * 2) / 2, _caps(line))


def _set_off(label: Line, value: Line, body: float) -> bool:
    """The label is emphasised against its value: bold, italic or capitals over a value
    without them, or larger type (a smaller plain line is small print, not a label)."""
    return (
        (label.bold and not value.bold) or (label.italic and not value.italic) or (_caps(label) and not _caps(value))
        or (label.size >= value.size + 0.5 and label.size >= body - 0.5)
    )


def match_wording(text: str) -> tuple[str, str] | None:
    """('metadata', key) or ('field', field) for a label, by the whole label (or the part
    outside brackets) or by a known label it contains (two words or more) or extends (one
    word, as the label's last, head word: 'Web links' extends 'links', 'Web presence' does
    not extend 'web'); the longest known label wins and a tie between two meanings is no
    match."""
    wholes = {norm_label(text), norm_label(re.sub(r"\([^)]*\)", " ", text))}
    words = norm_label(text).split()
    if not words:  # a line of marks only ('•', '—', '|' read off a scan's rule) names nothing
        return None
    best: list[tuple[int, str, str]] = []
    for kind, entries in (("metadata", metadata_entries()), ("field", label_entries())):
        for entry, key in entries.items():
            entry_words = entry.split()
            n = len(entry_words)
            if entry in wholes:
                hit = 100 + n  # the label itself
            elif n >= 2 and any(words[i:i + n] == entry_words for i in range(len(words) - n + 1)):
                hit = n
            elif n == 1 and kind == "field" and len(words) <= 6 and entry_words[0] == words[-1]:
                hit = 1
            else:
                continue
            best.append((hit, kind, key))
    if not best:
        return None
    top = max(hit for hit, _, _ in best)
    meanings = {(kind, key) for hit, kind, key in best if hit == top}
    return meanings.pop() if len(meanings) == 1 else None


def _blocks(lines: list[Line], body: float) -> list[tuple[int, int]]:
    """(first, end) index ranges of label-like blocks in a page's reading order."""
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        j = i + 1
        # a label wrapped onto a second line in its own style
        while j < len(lines) and j - i < _MAX_LINES and _style(lines[j]) == _style(line) and lines[j].top - lines[j - 1].bottom < 0.5 * line.size and abs(lines[j].x0 - line.x0) < body:
            j += 1
        if j < len(lines) and _is_label_block(lines, i, j, body):
            out.append((i, j))
        i = j if j > i + 1 and out and out[-1] == (i, j) else i + 1
    return out


def _is_label_block(lines: list[Line], i: int, j: int, body: float) -> bool:
    block, below = lines[i:j], lines[j]
    first = block[0]
    text = " ".join(line.text for line in block).strip()
    # a colon label ('Location: Graz') is the fact box's own business (cards/labels.py)
    if len(text.split()) > _MAX_WORDS or text[-1:] in _SENTENCE_END or ":" in text or not _set_off(first, below, body):
        return False
    if first.size >= _TITLE * body or first.size < 0.75 * body or below.size >= _TITLE * body:
        return False
    if _style(below) == _style(first) or abs(below.x0 - first.x0) > body:
        return False
    gap = below.top - block[-1].bottom
    if not -1 < gap < 1.5 * max(first.size, below.size):
        return False
    if i > 0:
        above = lines[i - 1]
        # the last line of a paragraph in the label's style is no label
        if _style(above) == _style(first) and first.top - above.bottom < 0.5 * first.size:
            return False
    return True


def _overlaps(a, b) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _page_lines(page: PageLayout) -> list[Line]:
    return [line for region in page.regions for line in region.lines]


def find_stacked(pages: list[PageLayout]) -> Stacked:
    """The document's stacked labels and what each one is."""
    found: list[tuple[int, list[Line]]] = []  # (page index, label lines)
    streams = [_page_lines(page) for page in pages]
    for p, lines in enumerate(streams):
        for i, j in _blocks(lines, pages[p].body_size):
            found.append((p, lines[i:j]))
    families: dict[tuple, list[tuple[int, list[Line]]]] = {}
    for p, block in found:
        families.setdefault(_style(block[0]), []).append((p, block))
    out = Stacked()
    accepted = []
    for members in families.values():
        texts = [" ".join(line.text for line in block) for _, block in members]
        named = sum(bool(match_wording(t) or section_key(t)) for t in texts)
        if len(members) >= _FAMILY and named >= _NAMED:
            accepted.extend(members)
    # a block directly over another label labels nothing (a one-line italic summary over
    # the first bold label)
    label_ids = {id(line) for _, block in accepted for line in block}
    for p, block in accepted:
        lines = streams[p]
        k = next(n for n, line in enumerate(lines) if line is block[-1])
        if k + 1 < len(lines) and id(lines[k + 1]) in label_ids:
            continue
        out.labels.update(id(line) for line in block)
    if not out.labels:
        return out
    flat = [(p, line) for p, lines in enumerate(streams) for line in lines]
    linked = {id(line) for p, line in flat if any(_overlaps(link.bbox, line.bbox) for link in pages[p].links)}
    k = 0
    while k < len(flat):
        p, line = flat[k]
        if id(line) not in out.labels:
            k += 1
            continue
        block = [line]
        k += 1
        while k < len(flat) and id(flat[k][1]) in out.labels and flat[k][0] == p and _style(flat[k][1]) == _style(line) and flat[k][1].top - block[-1].bottom < 0.5 * line.size:
            block.append(flat[k][1])
            k += 1
        value: list[Line] = []
        n = k
        while n < len(flat) and id(flat[n][1]) not in out.labels:
            value.append(flat[n][1])
            n += 1
        _classify(out, block, value, linked)
    return out


def _run_of_value(value: list[Line]) -> list[Line]:
    """The value block right under a label: lines in the first value line's style, each
    close under the one before (a metadata value, not the text that follows it)."""
    out: list[Line] = []
    for line in value:
        if out and (_style(line) != _style(out[0]) or line.page != out[-1].page or line.top - out[-1].bottom > 0.8 * line.size):
            break
        out.append(line)
    return out


def _classify(out: Stacked, block: list[Line], value: list[Line], linked: set[int]) -> None:
    text = " ".join(line.text for line in block)
    ids = [id(line) for line in block]
    meaning = match_wording(text)
    head = " ".join(line.text for line in value[:_VALUE_LINES])
    if meaning and meaning[0] == "metadata":
        run = _run_of_value(value)
        out.metadata.append(MetadataDraft(key=meaning[1], label=block, values=run))
        out.hidden.update(ids)
        out.hidden.update(id(line) for line in run)
        return
    if meaning:
        name = meaning[1]
        typed = value_field(" ".join(line.text for line in _run_of_value(value)))
        words = " ".join(line.text for line in value).split()
        prose = len(words) > _PROSE
        # a printed URL, or a line the PDF makes clickable ('Project website' over a link)
        links = sum(bool(_LINK.search(word)) for word in words) + sum(id(line) in linked for line in value)
        # 'Further Information' over prose (a link in it or not), 'Location and context'
        # over pages of text: a heading, whatever its words also name
        if (name == "website" and typed != "website" and (not links or len(words) - links > _LINK_WORDS)) or (
            prose and typed is None and section_key(text)
        ):
            out.headings.update(ids)
        else:
            out.fields[ids[0]] = (name, None)
            out.continued.update(ids[1:])
        return
    if section_key(text):
        out.headings.update(ids)
        return
    typed = value_field(head)
    out.guessed.update(ids)
    if typed:
        out.fields[ids[0]] = (typed, text)
        out.continued.update(ids[1:])
    else:
        out.headings.update(ids)


def sheet_start(pages: list[PageLayout], stacked: Stacked, labels: list) -> tuple[list, list[Line]] | None:
    """Where no heading started a card: a one-practice sheet, whose title is the first
    line(s) of page 1 set apart (centred on the page, bold, or larger than the body) over
    fact labels of several fields set above their values. Returns the title's positions
    and lines, or None."""
    if not pages or not pages[0].regions:
        return None
    page = pages[0]
    fields = {label.field for pos, label in labels if id(label.line) in stacked.fields}
    if len(fields) < _MIN_FIELDS:
        return None
    positions, lines = [], []
    for r, region in enumerate(page.regions):
        for i, line in enumerate(region.lines):
            if id(line) in stacked.labels or id(line) in stacked.hidden or (lines and _style(line) != _style(lines[0])):
                break
            positions.append((0, r, i))
            lines.append(line)
        else:
            continue
        break
    if not lines or len(lines) > 3:
        return None
    first = lines[0]
    centred = abs((first.x0 + first.x1) / 2 - page.width / 2) < page.body_size and first.x0 > 2 * page.body_size + min(
        ln.x0 for region in page.regions for ln in region.lines
    )
    if not (centred or first.bold or first.size >= page.body_size + 0.5):
        return None
    return positions, lines


_MIN_FIELDS = 3  # distinct fact fields a one-practice sheet's labels name
