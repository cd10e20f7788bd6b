"""Where cards and themes start, anywhere on a page.

The guide is read as one stream of lines (pages in order, regions in reading order). A
heading is a block of lines set well above body size. Each fact label is attached to the
heading it sits under (on its page, the nearest heading above it, preferring one over the
same column; failing that, the last heading before it in the stream: a title at the foot
of the previous page). A heading with enough evidence under it, several distinct fact
fields named by labels or by typed values, on more than one row, starts a practice card; a heading carrying a
theme number (a display-size number, 'Theme 2', '2. Title') without that evidence
starts a theme. Everything else is text of whatever it stands in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.cards.labels import Label, find_labels
from pipeline.cards.numbered import practice_number
from pipeline.cards.tables import is_other
from pipeline.cards.vocabulary import section_key
from pipeline.model import Line, PageLayout

Pos = tuple[int, int, int]  # page index, region index, line index: reading order

MIN_FIELDS = 3  # distinct fact fields under a heading that make it a practice card
_TITLE = 1.3  # a heading is set at least this many times the body size
_MODEST_TITLE = 1.15  # ...or this, in a document whose titles are modestly enlarged
_DISPLAY = 2.5  # a bare theme number is set at least this many times the body size
_KICKER = re.compile(r"^(?:theme|chapter|part|topic)\s+(\d{1,2})$", re.IGNORECASE)
_THEME_NUMBER = re.compile(r"^(?:(?:theme|chapter|part|section|topic)\s+)?(\d{1,2})(?:[.:)]|\s|$)", re.IGNORECASE)


@dataclass
class Heading:
    page: int  # page index
    positions: list[Pos]
    lines: list[Line]
    labels: list[tuple[Pos, Label]] = field(default_factory=list)

    @property
    def top(self) -> float:
        return self.lines[0].top

    @property
    def size(self) -> float:
        return max(line.size for line in self.lines)

    @property
    def fields(self) -> set[str]:
        return {label.field for _, label in self.labels if not is_other(label.field)}

    @property
    def is_card(self) -> bool:
        """Several distinct fields, on more than one row or with a colon: the bold column
        headers of a table ('Date', 'Location', 'Contact') stand colonless on one row."""
        rows: list[float] = []
        for _, label in self.labels:
            if all(abs(label.line.top - top) > label.line.size / 2 for top in rows):
                rows.append(label.line.top)
        labelled = any(label.line.text.split(":")[0] != label.line.text or label.inline for _, label in self.labels)
        return len(self.fields) >= MIN_FIELDS and (len(rows) >= 2 or labelled)


@dataclass
class Event:
    kind: str  # "card" | "theme" | "stop" (back matter: ends what runs before it)
    start: Pos
    heading: Heading
    number: int | None = None  # theme number
    kicker: Line | None = None  # a small 'Theme 2' / 'Good practice 3' line set over the heading
    sheet: bool = False  # a one-practice sheet's title, not set as a display heading
    unlabelled: bool = False  # a scanned card found by its values, its labels lost (cards/unlabelled.py)


def stream(pages: list[PageLayout]):
    for p, page in enumerate(pages):
        for r, region in enumerate(page.regions):
            for i, line in enumerate(region.lines):
                yield (p, r, i), line


def _display_number(line: Line, body: float) -> bool:
    first = line.words[0]
    return bool(re.fullmatch(r"\d{1,2}[.:]?", first.text)) and first.size >= _DISPLAY * body


def _speck(line: Line) -> bool:
    """A glyph or two that OCR barely read, whatever its size, is no heading: the edge of a
    colour band beside a theme's heading, read '7' at confidence 20, made a theme 7 that
    took the cards from the theme above it."""
    return (
        line.read_by_ocr and len(line.text.replace(" ", "")) <= 2
        and all(w.conf is not None and w.conf < _UNSURE_GLYPH for w in line.words)
    )


_UNSURE_GLYPH = 50  # Tesseract's confidence (0-100); a display digit it reads cleanly is 80-95


def _numbered_heading(line: Line, body: float) -> bool:
    """A bold line opening with a practice's number ('2.3 Smart farming'), set no smaller
    than the text: a word processor's lower heading levels are often body-sized (Heading
    3 is 12 pt over 11 pt text), so the number and the weight carry it, not the size. A
    card still needs its facts under it (Heading.is_card); a numbered line in the prose
    ('2.5 million jobs', not bold, or ending as a sentence ends) is none. On a scan the
    number's weight may be unknown: OCR weighs a word by its strokes, and a bold '3.2'
    (thin digits and a dot) measured between regular and bold where its title's words
    measured bold, so the number is heading evidence unless it measured regular."""
    number, *title = line.words
    return (
        line.size >= body - 0.3 and practice_number(line) is not None
        and (number.bold or (number.bold is None and number.conf is not None))
        and all(word.bold for word in title) and line.text.rstrip()[-1:] not in ".,;:"
    )


def _wraps_numbered(line: Line, current: Heading | None, body: float) -> bool:
    """The next line of a body-sized numbered heading that wrapped: as bold, as large,
    right under it, and no section's name (its size cannot set a wrapped title apart
    from the text, so its weight and place do)."""
    if current is None or practice_number(current.lines[0]) is None or current.lines[0].size >= _TITLE * body:
        return False
    previous = current.lines[-1]
    return (
        abs(line.size - previous.size) < 0.3 and all(word.bold for word in line.words)
        and 0 <= line.top - previous.bottom < line.size and section_key(line.text) is None
        and line.text.rstrip()[-1:] not in ".,;:"
    )


def find_headings(pages: list[PageLayout], label_at: set[Pos], ratio: float = _TITLE, numbered: bool = False) -> list[Heading]:
    """Heading blocks in reading order: lines set at `ratio` times the body size or more
    (or a display-size number); with `numbered`, also body-sized bold numbered lines."""
    headings: list[Heading] = []
    last: Pos | None = None
    for pos, line in stream(pages):
        body = pages[pos[0]].body_size
        big = line.size >= ratio * body or _display_number(line, body) or max(w.size for w in line.words) >= _DISPLAY * body
        current = headings[-1] if headings and last is not None else None
        previous = current.lines[-1] if current else None
        big = big or (numbered and (_numbered_heading(line, body) or _wraps_numbered(line, current, body)))
        if not big or pos in label_at or _speck(line):
            last = None
            continue
        # a title and a large tagline set right under it are one heading; so is a title
        # that a page break cut after its last line on the page
        if previous and last[0] == pos[0] and line.top - previous.bottom < max(line.size, previous.size):
            current.positions.append(pos)
            current.lines.append(line)
        elif previous and last[0] + 1 == pos[0] and pos[1:] == (0, 0) and _ends_page(pages[last[0]], last) and abs(previous.size - line.size) < 0.3:
            current.positions.append(pos)
            current.lines.append(line)
        else:
            headings.append(Heading(pos[0], [pos], [line]))
        last = pos
    return headings


def _ends_page(page: PageLayout, pos: Pos) -> bool:
    return pos[1] == len(page.regions) - 1 and pos[2] == len(page.regions[-1].lines) - 1


def attach_labels(pages: list[PageLayout], headings: list[Heading], labels: list[tuple[Pos, Label]]) -> None:
    by_page: dict[int, list[Heading]] = {}
    for heading in headings:
        by_page.setdefault(heading.page, []).append(heading)
    for pos, label in labels:
        body = pages[pos[0]].body_size
        here = [h for h in by_page.get(pos[0], []) if h.top <= label.line.top + 2 * body]
        # a heading that starts right of the label heads another column (unless it is the
        # only one: a title beside its sidebar)
        same_column = [h for h in here if min(ln.x0 for ln in h.lines) < label.line.x1]
        if here:
            owner = max(same_column or here, key=lambda h: h.top)
        else:
            before = [h for h in headings if h.positions[0] < pos]
            if not before:
                continue
            owner = before[-1]
        owner.labels.append((pos, label))


def _theme_number(heading: Heading, body: float) -> int | None:
    line = heading.lines[0]
    match = _THEME_NUMBER.match(line.text)
    if match and (line.size >= _TITLE * body or _display_number(line, body)):
        return int(match.group(1))
    # a display-size number anywhere on the heading's first line ('Theme 1' set large)
    numbers = [w for w in line.words if re.fullmatch(r"\d{1,2}", w.text) and w.size >= _DISPLAY * body]
    return int(numbers[0].text) if numbers else None


def _card_kicker(pages: list[PageLayout], heading: Heading) -> tuple[Pos, Line] | None:
    """A short line in smaller type right over a card's title ('Good practice 3') is part
    of the card, not the end of the text before it."""
    before = _line_before(pages, heading.positions[0])
    if before is None:
        return None
    pos, line = before
    gap = heading.top - line.bottom
    if (
        0 <= gap < 0.6 * heading.size and line.size < heading.size - 0.5 and len(line.words) <= 6
        and line.text.rstrip()[-1:] not in ".,;:" and abs(line.x0 - heading.lines[0].x0) < pages[pos[0]].body_size
    ):
        return pos, line
    return None


def _line_before(pages: list[PageLayout], pos: Pos) -> tuple[Pos, Line] | None:
    p, r, i = pos
    if i > 0:
        return (p, r, i - 1), pages[p].regions[r].lines[i - 1]
    if r > 0:
        region = pages[p].regions[r - 1]
        return (p, r - 1, len(region.lines) - 1), region.lines[-1]
    return None


def find_events(pages: list[PageLayout], lenient: bool, stacked=None) -> list[Event]:
    """Card and theme starts in reading order. Titles are looked for at the usual display
    size first, then among more modestly enlarged lines; the reading that finds more
    cards is the document's (a band of theme headings must not pass for the cards)."""
    labels: list[tuple[Pos, Label]] = []
    for p, page in enumerate(pages):
        for label in find_labels(page, lenient, stacked=stacked):
            labels.append(((p, label.region, label.index), label))
    best: list[Event] = []
    # the third reading: numbered titles set no larger than the text (_numbered_heading)
    for ratio, numbered in ((_TITLE, False), (_MODEST_TITLE, False), (_MODEST_TITLE, True)):
        if numbered and not any(_numbered_heading(line, pages[pos[0]].body_size) for pos, line in stream(pages)):
            continue  # no such line: the reading would be the one before
        events = _events(pages, labels, ratio, numbered)
        if _found(events) > _found(best):
            best = events
    if stacked is not None and not any(e.kind == "card" for e in best):
        from pipeline.cards.stacked import sheet_start  # a one-practice sheet (stacked imports labels, not starts)

        found = sheet_start(pages, stacked, labels)
        if found:
            heading = Heading(0, *found, labels=labels)
            return [Event("card", found[0][0], heading, sheet=True)]
    if not any(e.kind == "card" for e in best) or _scanned(pages):
        # no card has labels; or, on a scan, some cards' labels may be lost while others'
        # were read (one card of three on the colour scan of teal labels on dark blue kept
        # its labels): the reading that finds more cards wins, a card with labels keeping
        # them. A text layer keeps every label's characters: no reading by values there
        unlabelled = _unlabelled_events(pages, labels)
        if sum(e.kind == "card" for e in unlabelled) > sum(e.kind == "card" for e in best):
            best = unlabelled
    return best


def _found(events: list[Event]) -> tuple[int, int]:
    """How much a reading finds: its cards, then, of two readings with as many cards, its
    themes. OCR measures a type size to within 5%: a word processor's 13 pt practice
    heading over 10 pt text read 12.5 over 9.9, under the usual title size, so the theme
    heading above it took the card's facts (one card either way); the modest reading
    finds the same cards under their own titles and the theme too."""
    return sum(e.kind == "card" for e in events), sum(e.kind == "theme" for e in events)


def _scanned(pages: list[PageLayout]) -> bool:
    return any(line.read_by_ocr for page in pages for region in page.regions for line in region.lines)


def _unlabelled_events(pages: list[PageLayout], labels: list[tuple[Pos, Label]]) -> list[Event]:
    """No card has labels: on a scan they may have been lost (a label printed in its
    panel's tone), so a card is looked for by its values and its section headings, read
    at both title sizes as above (cards/unlabelled.py)."""
    from pipeline.cards.unlabelled import unlabelled_labels

    best: list[Event] = []
    for ratio in (_TITLE, _MODEST_TITLE):
        typed = unlabelled_labels(pages, find_headings(pages, set(), ratio), labels)
        if not typed:
            continue
        events = _events(pages, labels + typed, ratio)
        ids = {id(label) for _, label in typed}
        for event in events:
            event.unlabelled = event.kind == "card" and any(id(label) in ids for _, label in event.heading.labels)
        if sum(e.kind == "card" for e in events) > sum(e.kind == "card" for e in best):
            best = events
    return best


def _events(pages: list[PageLayout], labels: list[tuple[Pos, Label]], ratio: float, numbered: bool = False) -> list[Event]:
    headings = find_headings(pages, {pos for pos, _ in labels}, ratio, numbered)
    attach_labels(pages, headings, labels)
    events: list[Event] = []
    for heading in headings:
        page = pages[heading.page]
        if heading.is_card:
            # a sidebar beside the title, read before it, belongs to the card as a whole
            first = heading.positions[0]
            same_page = [
                (pos[0], pos[1], 0)
                for pos, _ in heading.labels
                if pos[0] == heading.page and pos[1] < first[1]
                and page.regions[pos[1]].bbox[1] >= heading.top - 2 * page.body_size
            ]
            kicker = _card_kicker(pages, heading)
            start = min([first, *same_page])
            events.append(Event("card", min(start, kicker[0]) if kicker else start, heading, kicker=kicker[1] if kicker else None))
            continue
        number = _theme_number(heading, page.body_size)
        if number is not None:
            events.append(Event("theme", heading.positions[0], heading, number=number))
            continue
        before = _line_before(pages, heading.positions[0])
        if before is not None:
            pos, line = before
            kicker = _KICKER.match(line.text)
            if kicker and 0 <= heading.top - line.bottom < 2 * heading.size:
                events.append(Event("theme", pos, heading, number=int(kicker.group(1)), kicker=line))
    events.sort(key=lambda e: e.start)
    # a numbered heading with no card before the next theme is a chapter of the front or
    # back matter ('1. Introduction', '5. Conclusions'), not a theme: in the front matter
    # it is front matter, after a card it ends that card
    out: list[Event] = []
    for k, event in enumerate(events):
        if event.kind == "theme" and not any(later.kind == "card" for later in _until_theme(events[k + 1:])):
            if any(e.kind == "card" for e in out):
                out.append(Event("stop", event.start, event.heading))
            continue
        out.append(event)
    return out


def _until_theme(events: list[Event]) -> list[Event]:
    out = []
    for event in events:
        if event.kind == "theme":
            break
        out.append(event)
    return out
