"""Stage 3: tell front matter, themes and practice cards apart, and cut each card into
its fact fields, title, tagline and headed sections (across pages).

Where cards and themes start is decided on the whole guide as one reading-order stream
(`cards/starts.py`); here each start takes the lines up to the next one: a card takes
its fact box (`cards/factbox.py`), title, tagline and sections, a theme its title and
intro. A page where nothing starts runs on what came before it when it shares its
running header (or neither has one); otherwise it is skipped.
"""

from __future__ import annotations

import re

from pipeline.cards.factbox import collect_fields
from pipeline.cards.labels import find_labels, uses_bold_labels
from pipeline.cards.numbered import strip_practice_number
from pipeline.cards.runin import split_run_in
from pipeline.cards.stacked import Stacked, find_stacked
from pipeline.cards.starts import Event, find_events
from pipeline.cards.tables import CONTINUED, orphan_header
from pipeline.cards.unlabelled import card_labels
from pipeline.cards.vocabulary import list_marker, section_key
from pipeline.errors import GuideError
from pipeline.layout.furniture import forgiving_key
from pipeline.model import (
    DocumentDraft,
    Field_,
    Line,
    PageLayout,
    PracticeDraft,
    Region,
    SectionDraft,
    ThemeDraft,
)

_THEME_TITLE = 1.2  # theme title lines under a display number are at least this large
_TITLE = 1.3  # a practice title is at least this many times the body size
_HEADING = 1.08  # a section heading is bold and at least this many times the body size
_BLOCK_GAP = 0.5  # space above a line, in body sizes, that starts a new block (a line pitch leaves 0.3)
_SPACE = 0.25  # a word space, in body sizes (measured 0.2-0.3 on text layers and OCR alike)
_NOTE = 0.85  # small print: a credit under a figure is a note, not section text
_CREDIT = re.compile(r"©|\(c\)|\b(?:photo|image|picture|copyright|credits?|source|courtesy)\b", re.IGNORECASE)
# small print opening with a note mark ('1 ', '¹', '*'): a footnote, not section text
_FOOTNOTE = re.compile(r"^(?:\d{1,2}|[¹²³⁴⁵⁶⁷⁸⁹]|\*{1,3}|†)\s*\S")
_SUPERSCRIPT = 0.8  # a superscript mark is set at most this share of the text after it
_MIN_SPLITS = 3  # line-end hyphens needed to judge whether a document hyphenates
_HYPHENATES = 0.2  # above this share of split words written whole elsewhere, it does
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[\w][\w\-’']*[\w]|\w")


def _header_key(page: PageLayout) -> str | None:
    tops = [
        line.text for line in page.furniture
        if line.bottom < page.height / 2 and not _DIGITS.fullmatch(line.text.replace(" ", ""))
    ]
    # compared as the furniture's lines are (OCR varies the rest)
    return forgiving_key(" ".join(tops)) if tops else None


def _max_size(page: PageLayout) -> float:
    return max((line.size for region in page.regions for line in region.lines), default=0.0)


class _Card:
    """A practice card being read: the parts of pages it owns, from its start to the next
    card or theme, possibly over several pages."""

    def __init__(self, event: Event, first: PageLayout, theme: int | None, lenient: bool, theme_number: int | None = None,
                 stacked: Stacked | None = None):
        self.event = event
        self.stacked = stacked or Stacked()
        self.blank: list[int] = []  # pages without a word (a full-page picture) the card runs across
        self.theme = theme
        self.theme_number = theme_number
        self.lenient = lenient
        self.body_size = first.body_size
        self.header = _header_key(first)
        self.chunks: list[PageLayout] = []

    def add(self, page: PageLayout, regions: list[Region]) -> None:
        if not regions:
            return
        whole = len(regions) == len(page.regions) and all(a is b for a, b in zip(regions, page.regions))
        links = page.links if whole else [link for link in page.links if any(_touches(link.bbox, r.bbox) for r in regions)]
        if self.chunks and self.chunks[-1].number == page.number:
            last = self.chunks.pop()
            regions = last.regions + regions
            links = last.links + [link for link in links if link not in last.links]
        self.chunks.append(page.model_copy(update={"regions": regions, "links": links}))

    def continues_on(self, page: PageLayout) -> bool:
        """A page where nothing starts runs on the card when it carries the card's running
        header (or both have none, as a browser print may), or, for a card without a
        header, when it has no display type either."""
        if _header_key(page) == self.header:
            return True
        return _max_size(page) < _TITLE * page.body_size and self.header is None

    def draft(self) -> PracticeDraft:
        fields: dict[str, list[Field_]] = {}
        unknown: list[Line] = []
        body: list[Region] = []
        last_row: str | None = None  # the field of the last fact-table row read
        ended_in_table = False
        for k, chunk in enumerate(self.chunks):
            labels = find_labels(chunk, self.lenient, ended_in_table, self.stacked)
            if self.event.unlabelled and k == 0:
                labels = card_labels(chunk, self.event.heading.lines, labels)
            elif self.event.unlabelled and k == 1 and not fields:
                # the title (and tagline) closed a page, the facts open the next
                labels = card_labels(chunk, None, labels)
            ended_in_table = chunk.regions[-1].cell is not None
            found, used = collect_fields(chunk, labels, self.lenient, self.stacked)
            used |= orphan_header(chunk, self.chunks[k + 1] if k + 1 < len(self.chunks) else None)
            carried = found.pop(CONTINUED, [])
            if carried and last_row in fields:  # a table row the page break split
                head = fields[last_row][-1]
                fields[last_row][-1] = head.model_copy(update={"values": head.values + [v for f in carried for v in f.values]})
            for key, values in found.items():
                fields.setdefault(key, []).extend(values)
            rows = [lab.field for lab in labels if lab.values is not None and lab.field != CONTINUED]
            last_row = rows[-1] if rows else last_row
            unknown.extend(lab.line for lab in labels if lab.unknown)
            for r, region in enumerate(chunk.regions):
                lines = [
                    ln for i, ln in enumerate(region.lines)
                    if (r, i) not in used and ln is not self.event.kicker and id(ln) not in self.stacked.hidden
                ]
                if lines:
                    body.append(Region(page=region.page, lines=lines))
        title_size = self.event.heading.size
        # a title set at the text's own size (a word processor's bold numbered heading
        # level) is the heading's own lines: by size, the text under it would run on
        # into it wherever its section headings are body-sized too (OCR measures a 12 pt
        # 'Description' under 11 pt text at the text's size, and the card's title took
        # its whole first section)
        body_sized = title_size < self.body_size * _OCR_TITLE
        title_lines, summary_lines, rest = _split_title(
            body, self.body_size, title_size, self.lenient, self.stacked.headings,
            {id(line) for line in self.event.heading.lines} if self.event.sheet or body_sized else None,
            _facts_below(self.event.heading.lines[-1], fields),
        )
        title_lines = strip_practice_number(title_lines, self.theme_number)
        sections = _Sections(self.body_size, self.lenient, self.stacked.headings)
        sections.add(rest)
        numbers = [chunk.number for chunk in self.chunks]
        return PracticeDraft(
            pages=sorted(numbers + [n for n in self.blank if numbers[0] < n < numbers[-1]]),
            theme=self.theme,
            title_lines=title_lines,
            summary_lines=summary_lines,
            fields=fields,
            unknown_labels=unknown,
            preamble=sections.preamble,
            sections=sections.drafts(),
            links=[link for chunk in self.chunks for link in chunk.links],
            body_size=self.body_size,
            notes=sections.notes,
            unlabelled=self.event.unlabelled,
        )


def _touches(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0 and min(a[3], b[3]) - max(a[1], b[1]) > -2


class _Sections:
    """Headed sections of a card's text; small-print credits go to notes, not into a
    section."""

    def __init__(self, body: float, lenient: bool, headings: set[int] = frozenset()):
        self.body, self.lenient = body, lenient
        self.headings = headings  # id() of lines the document sets as labels over a section
        self.preamble: list[Region] = []
        self.sections: list[dict] = []
        self.notes: list[Line] = []

    def add(self, regions: list[Region]) -> None:
        size = self.body
        rights = _column_rights(regions, size)
        # pages OCR read running text on: a line alone at a title's size there is the next
        # card's title; on a picture (a poster in a photograph, a full-page figure amid a
        # text layer) large words are the picture's, not a title ending the section
        texts: dict[int, int] = {}
        for region in regions:
            texts[region.page] = texts.get(region.page, 0) + sum(_ocr_body(line, size) for line in region.lines)
        prose = {page for page, count in texts.items() if count >= _PROSE_LINES}
        for region in regions:
            pending: list[Line] = []
            note: Line | None = None  # the footnote whose lines are being read
            before: Line | None = None
            for k, line in enumerate(region.lines):
                # a line starting its block: first in its region, or with space above it;
                # but not the first line of a paragraph, whose sentence runs on into the
                # next line ('The practice may be of interest to other' / 'regions
                # because ...' named a section by its words and stood first in its block),
                # nor a line its text wrapped out of (see _wrapped)
                after = region.lines[k + 1] if k + 1 < len(region.lines) else None
                runs_on = after is not None and after.top - line.bottom <= _BLOCK_GAP * size and after.text[:1].islower()
                alone = (before is None or line.top - before.bottom > _BLOCK_GAP * size) and not runs_on and not _wrapped(line, after, rights, size)
                before = line
                run_in = split_run_in(line)
                if note is not None and abs(line.size - note.size) < 0.3 and line.size < size - 0.05 and not _FOOTNOTE.match(line.text):
                    # the footnote's next line, in its small type
                    note = Line(page=note.page, words=note.words + line.words)
                    self.notes[-1] = note
                    continue
                note = None
                if run_in:
                    if pending:
                        self._append(Region(page=region.page, lines=pending))
                    self.sections.append({"heading_lines": [run_in[0]], "blocks": []})
                    pending = [run_in[1]]
                elif line.size < _NOTE * size and _CREDIT.search(line.text):
                    self.notes.append(line)
                elif _is_footnote(line, size):
                    self.notes.append(line)
                    note = line
                elif _is_heading(line, size, self.lenient, alone, region.page in prose) or id(line) in self.headings:
                    if pending:
                        self._append(Region(page=region.page, lines=pending))
                        pending = []
                    last = self.sections[-1] if self.sections else None
                    if last and not last["blocks"] and last["heading_lines"][-1].size == line.size:
                        last["heading_lines"].append(line)
                    else:
                        self.sections.append({"heading_lines": [line], "blocks": []})
                else:
                    pending.append(line)
            if pending:
                self._append(Region(page=region.page, lines=pending))

    def _append(self, region: Region) -> None:
        if self.sections:
            self.sections[-1]["blocks"].append(region)
        else:
            self.preamble.append(region)

    def drafts(self) -> list[SectionDraft]:
        out = []
        for sec in self.sections:
            heading = " ".join(ln.text for ln in sec["heading_lines"])
            out.append(SectionDraft(heading=heading, key=section_key(heading), heading_lines=sec["heading_lines"], blocks=sec["blocks"]))
        return out


def _column_rights(regions: list[Region], size: float) -> dict[tuple[int, int], float]:
    """The right edge of the text each line's column holds: the furthest any line
    starting at that left edge (within a body size) on that page reaches. Keyed by
    (page, left edge in body sizes): a column is its left edge, whatever region the
    layout cut its text into (a paragraph at a page's top is a region of its own)."""
    rights: dict[tuple[int, int], float] = {}
    for region in regions:
        for line in region.lines:
            key = (region.page, round(line.x0 / size))
            rights[key] = max(rights.get(key, 0.0), line.x1)
    return rights


def _wrapped(line: Line, after: Line | None, rights: dict[tuple[int, int], float], size: float) -> bool:
    """Did the text wrap out of `line` into `after` (the next line of its region)? It
    did when the first word of `after` would not have fitted after `line` in the column:
    a line that stops where the next word would still fit ends by choice, as a heading
    does. A paragraph running on at the top of a column or a page ('Foundation financing
    is based on ...') starts its block too, and may hold a word of the vocabulary; its
    shape tells it from a heading."""
    if after is None or not after.words:
        return False
    key = round(line.x0 / size)
    right = max(rights.get((line.page, k), 0.0) for k in (key - 1, key, key + 1))
    first = after.words[0]
    return line.x1 + _SPACE * size + (first.x1 - first.x0) > right


def _is_footnote(line: Line, body: float) -> bool:
    """Small print opening with a note mark: in clearly smaller type, or a little smaller
    with its mark set smaller still (a word processor's footnote at 10 pt under 11 pt
    text, its number a superscript)."""
    if not _FOOTNOTE.match(line.text) or line.size >= body - 0.05:
        return False
    mark, rest = line.words[0], line.words[1:]
    return line.size < _NOTE * body or bool(rest) and len(mark.text) <= 2 and mark.size < _SUPERSCRIPT * rest[0].size


def _ocr_body(line: Line, body: float) -> bool:
    """A line read by OCR at the body's size (within a scan's spread of measured sizes)."""
    return line.read_by_ocr and abs(line.size - body) <= (_OCR_TITLE - 1) * body


_PROSE_LINES = 3  # body-size lines read by OCR on a page that make it a page of text


def _is_heading(line: Line, body: float, lenient: bool = False, alone: bool = False, prose: bool = True) -> bool:
    """A section heading: a short line naming a section, set apart by weight or size.
    `alone`: the line starts its block (space above it, or first in its region); `prose`:
    its page holds running text read by OCR."""
    if list_marker(line.text) or len(line.words) > 10 or line.size < body - 0.05:
        return False
    if line.read_by_ocr:
        return _is_ocr_heading(line, body, alone, prose)
    if not line.bold:
        # without bold to lean on (a regular-weight document, words of unknown weight):
        # larger type naming a section, not ending a sentence
        unknown = sum(w.bold is None for w in line.words) * 2 > len(line.words)
        return (lenient or unknown) and not line.italic and line.size >= body * _HEADING and section_key(line.text) is not None and line.text.rstrip()[-1:] not in ".,;"
    return line.size >= body * _HEADING or section_key(line.text) is not None and line.text.rstrip()[-1:] not in ".,;"


def _is_ocr_heading(line: Line, body: float, alone: bool, prose: bool = True) -> bool:
    """A heading read by OCR: its words name a section and it does not end a sentence;
    then any one of its size (the words' measured height over the body's), its measured
    weight, or its shape (a short line starting its block) sets it apart. A scan of a
    coloured heading printed grey has neither bold nor colour to show, and a measured
    weight is a guess: no single typographic signal is required."""
    text = line.text.rstrip()
    if text[-1:] in ".,;:":
        return False
    if section_key(text) is None:
        # a line alone at a title's size names no section but ends the one before it:
        # the next card's title whose facts were not scanned (or not found), as its
        # weight and size end the section on a text layer; OCR has no weight to show
        return alone and prose and line.size >= body * _OCR_TITLE
    return len(line.words) <= _HEADING_WORDS and (line.size >= body * _HEADING or bool(line.bold) or alone)


_HEADING_WORDS = 8  # a section heading read by OCR has at most this many words
# a card title is set at least this many times the body size (cards/starts.py's modest
# titles); a scan's measured sizes of body lines stay within 1.1 of the body's
_OCR_TITLE = 1.15


def _facts_below(title: Line, fields: dict[str, list[Field_]]) -> tuple[int, float] | None:
    """(page, top) of the card's first fact label under its title on the title's page."""
    tops = [f.label.top for found in fields.values() for f in found if f.label.page == title.page and f.label.top > title.bottom]
    return (title.page, min(tops)) if tops else None


_LEAD_LINES = 4  # a tagline told by its place alone is a short paragraph


def _ocr_lead(line: Line, facts: tuple[int, float] | None, summary: list[Line]) -> bool:
    """A line read by OCR between the title and the facts under it: the tagline, even at
    body size. OCR cannot tell italic (a word processor's 11 pt italic tagline over 10 pt
    text measured as body type on an office scan), but its place tells it: the first
    short paragraph right after the title, before the facts."""
    return (
        facts is not None and line.read_by_ocr  # its slant may be measured
        and line.page == facts[0] and line.bottom <= facts[1] + 1 and len(summary) < _LEAD_LINES
    )


def _split_title(
    regions: list[Region], body: float, largest: float, lenient: bool = False, headings: set[int] = frozenset(),
    title_ids: set[int] | None = None, facts: tuple[int, float] | None = None,
) -> tuple[list[Line], list[Line], list[Region]]:
    """Title (largest type on the card), tagline (larger or italic lines right after it,
    or, read by OCR, above the facts: `_ocr_lead`) and the regions that remain for the
    sections."""
    title: list[Line] = []
    summary: list[Line] = []
    rest: list[Region] = []
    state = "before"
    for region in regions:
        keep = []
        for line in region.lines:
            if state in ("before", "title") and (id(line) in title_ids if title_ids is not None else abs(line.size - largest) < 0.3):
                title.append(line)
                state = "title"
                continue
            if state in ("title", "summary") and not _is_heading(line, body, lenient) and id(line) not in headings and (
                line.italic or line.size >= body * _HEADING or _ocr_lead(line, facts, summary)
            ) and _NOTE * body <= line.size and (line.size < largest or title_ids is not None and line.size <= largest):
                summary.append(line)
                state = "summary"
                continue
            if state in ("title", "summary"):
                state = "body"
            keep.append(line)
        if keep:
            rest.append(Region(page=region.page, lines=keep))
    return title, summary, rest


def build_lexicon(pages: list[PageLayout]) -> list[str]:
    """Words seen inside lines (never at a line end), to judge line-end hyphens. A
    document that never splits a word it writes whole elsewhere does not hyphenate (a
    browser print; a stray spelling such as 'agrifood' beside 'agri-food' is tolerated):
    its line-end hyphens are real, and their compounds join the lexicon."""
    seen: set[str] = set()
    for page in pages:
        for region in page.regions:
            for line in region.lines:
                for word in line.words[:-1]:
                    for token in _WORD.findall(word.text):
                        seen.add(token.lower())
    split = _line_end_splits(pages)
    if len(split) >= _MIN_SPLITS and sum(joined in seen for joined, _ in split) <= _HYPHENATES * len(split):
        seen.difference_update(joined for joined, _ in split)
        seen.update(hyphenated for _, hyphenated in split)
    return sorted(seen)


def _line_end_splits(pages: list[PageLayout]) -> list[tuple[str, str]]:
    """(joined, hyphenated) for every word broken after a hyphen at a line end."""
    out = []
    lines = [line for page in pages for region in page.regions for line in region.lines]
    for upper, lower in zip(lines, lines[1:]):  # reading order: across columns and pages too
        left, right = upper.words[-1].text, lower.words[0].text
        if len(left) > 2 and left[-1] == "-" and left[-2].isalpha() and right[:1].islower():
            stem = re.search(r"[\w’']+$", left[:-1])
            tail = re.match(r"[\w’']+", right)
            if stem and tail:
                out.append(((stem.group(0) + tail.group(0)).lower(), f"{stem.group(0)}-{tail.group(0)}".lower()))
    return out


def document_title(pages: list[PageLayout]) -> list[Line]:
    for page in pages:
        lines = [line for region in page.regions for line in region.lines]
        if lines:
            largest = max(line.size for line in lines)
            return [line for line in lines if abs(line.size - largest) < 0.3]
    return []




def _cut(page: PageLayout, start: tuple[int, int], end: tuple[int, int] | None) -> list[Region]:
    """The page's regions between two (region, line) positions, in reading order."""
    out: list[Region] = []
    for r, region in enumerate(page.regions):
        lines = [
            line for i, line in enumerate(region.lines)
            if (r, i) >= start and (end is None or (r, i) < end)
        ]
        if len(lines) == len(region.lines):
            out.append(region)
        elif lines:
            out.append(Region(page=region.page, lines=lines))
    return out


def _theme(event: Event, page: PageLayout, regions: list[Region], lenient: bool) -> ThemeDraft:
    """The theme's title (the heading's words after its number, and the large lines right
    under a bare number) and its intro (what follows, up to the next card)."""
    heading = event.heading
    first = heading.lines[0]
    words = list(first.words)
    while words and not re.search(r"[^\W\d]{2}", words[0].text):
        words.pop(0)  # the number, and 'Theme' before it
    if words and re.fullmatch(r"(?i)theme|chapter|part|section|topic", words[0].text):
        words = [w for w in words[1:] if not re.fullmatch(r"\d{1,2}[.:)]?", w.text)]
    title_lines = [Line(page=first.page, words=words)] if words else []
    title_lines += heading.lines[1:]
    ids = {id(line) for line in heading.lines} | ({id(event.kicker)} if event.kicker else set())
    intro: list[Region] = []
    for region in regions:
        keep = []
        for line in region.lines:
            if id(line) in ids:
                continue
            if not intro and not keep and (line.bold or lenient) and not line.italic and line.size >= _THEME_TITLE * page.body_size and (
                not title_lines or abs(title_lines[-1].size - line.size) < 0.3
            ):
                title_lines.append(line)
                continue
            keep.append(line)
        if keep:
            intro.append(Region(page=region.page, lines=keep))
    return ThemeDraft(number=event.number, title_lines=title_lines, intro=intro, page=page.number)


def segment(pages: list[PageLayout], metadata_title: str | None = None, pdf_info: dict[str, str] | None = None) -> DocumentDraft:
    lenient = not uses_bold_labels(pages)
    stacked = find_stacked(pages)
    events = find_events(pages, lenient, stacked)
    # one card and nothing else: a fact sheet, whose pages (a picture read by OCR in
    # large type included) all belong to it
    single = [e.kind for e in events] == ["card"]
    themes: list[ThemeDraft] = []
    practices: list[PracticeDraft] = []
    front: list[int] = []
    front_regions: list[Region] = []
    skipped: list[int] = []
    owner: _Card | tuple | None | str = "front"  # a card, ("theme", event, regions, page), None (skipping)

    def close() -> None:
        nonlocal owner
        if isinstance(owner, _Card):
            practices.append(owner.draft())
        elif isinstance(owner, tuple):
            _, event, regions, page = owner
            themes.append(_theme(event, page, regions, lenient))
        owner = None

    def give(page: PageLayout, regions: list[Region]) -> None:
        if not regions:
            return
        if owner == "front":
            front_regions.extend(regions)
        elif isinstance(owner, _Card):
            owner.add(page, regions)
        elif isinstance(owner, tuple):
            owner[2].extend(regions)

    for p, page in enumerate(pages):
        here = [e for e in events if e.start[0] == p]
        if not here and isinstance(owner, _Card) and not page.regions:
            owner.blank.append(page.number)  # a full-page picture: the card runs across it
            continue
        if not here and isinstance(owner, _Card) and single:
            give(page, page.regions)  # a one-practice document: every later page is its card's
            continue
        if not here:
            if owner == "front":
                front.append(page.number)
                give(page, page.regions)
            elif isinstance(owner, _Card) and owner.continues_on(page):
                give(page, page.regions)
            elif isinstance(owner, tuple) and _max_size(page) < _TITLE * page.body_size:
                give(page, page.regions)  # a flowing intro running onto the next page
            else:
                close()
                skipped.append(page.number)
            continue
        cursor = (0, 0)
        for event in here:
            give(page, _cut(page, cursor, event.start[1:]))
            close()
            cursor = event.start[1:]
            if event.kind == "card":
                owner = _Card(event, page, len(themes) - 1 if themes else None, lenient, themes[-1].number if themes else None, stacked)
            elif event.kind == "theme":
                owner = ("theme", event, [], page)
        give(page, _cut(page, cursor, None))
    close()
    if not practices:
        raise GuideError(
            "no practice cards found (no title has several fact labels under it such as "
            "'Main institution:', 'Location:' or 'Contact:'); is this a good-practice guide?"
        )
    return DocumentDraft(
        title_lines=document_title(pages),
        metadata_title=metadata_title,
        metadata=stacked.metadata,
        pdf_info=pdf_info or {},
        themes=themes,
        practices=practices,
        lexicon=build_lexicon(pages),
        skipped_pages=skipped,
        front_matter=front,
        front_regions=front_regions,
    )
