"""Stage 3: tell front matter, theme dividers and practice cards apart, and cut each
card into its sidebar fields, title, tagline and headed sections (across pages).

A practice card is recognised by its labels (bold 'Label:' lines naming sidebar fields),
a theme divider by one display-size line carrying a number, a continuation page by the
absence of both and by sharing its running header with the card before it.
"""

from __future__ import annotations

import re

from pipeline.errors import GuideError
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
from pipeline.cards.vocabulary import label_field, list_marker, section_key

_MIN_LABELS = 2  # distinct sidebar fields that make a page a practice card
_DISPLAY = 2.5  # theme numbers are set at least this many times the body size
_TITLE = 1.3  # a practice title is at least this many times the body size
_HEADING = 1.08  # a section heading is bold and at least this many times the body size
_NOTE = 0.85  # a value line this much smaller than its neighbours is a note (photo credit)
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[\w][\w\-’']*[\w]|\w")


class _Label:
    def __init__(self, region: int, index: int, field: str, line: Line, inline: list):
        self.region, self.index, self.field, self.line, self.inline = region, index, field, line, inline


def find_labels(page: PageLayout) -> list[_Label]:
    found = []
    for r, region in enumerate(page.regions):
        for i, line in enumerate(region.lines):
            label = _as_label(line)
            if label:
                field, inline = label
                found.append(_Label(r, i, field, line, inline))
    return found


def _as_label(line: Line) -> tuple[str, list] | None:
    """('field', words after the label) when the line opens with bold words naming a
    sidebar field and ending in a colon (or making up the whole line), followed by
    nothing bold: 'Location: Poland' and 'Website:' are labels, a bold heading is not."""
    words = line.words
    for n in range(1, min(len(words), 6) + 1):
        if not words[n - 1].bold:
            return None
        text = " ".join(w.text for w in words[:n])
        if not (text.endswith(":") or n == len(words)):
            continue
        field = label_field(text.rstrip(":"))
        rest = words[n:]
        if field and not any(w.bold for w in rest):
            return field, rest
        if text.endswith(":"):
            return None
    return None


def _is_value_style(line: Line, label: Line, body: float) -> bool:
    return line.size <= max(label.size, body) + 0.5 and not (line.bold and line.size > body * _HEADING)


def _collect_fields(page: PageLayout, labels: list[_Label]) -> tuple[dict[str, list[Field_]], set[tuple[int, int]]]:
    used: set[tuple[int, int]] = {(lab.region, lab.index) for lab in labels}
    label_at = {(lab.region, lab.index) for lab in labels}
    fields: dict[str, list[Field_]] = {}
    size = page.body_size
    for lab in labels:
        values: list[Line] = []
        if lab.inline:
            values.append(Line(page=page.number, words=lab.inline))
        region = page.regions[lab.region]
        j = lab.index + 1
        while j < len(region.lines) and (lab.region, j) not in label_at:
            if _is_value_style(region.lines[j], lab.line, size):
                values.append(region.lines[j])
                used.add((lab.region, j))
            j += 1
        ran_to_end = j == len(region.lines)
        r = lab.region + 1
        while ran_to_end and not lab.inline and r < len(page.regions):
            nxt = page.regions[r]
            below = nxt.lines[0].top - (values[-1] if values else lab.line).bottom
            aligned = abs(nxt.lines[0].x0 - lab.line.x0) < size / 2
            if not aligned or below > 1.2 * size or any((r, k) in label_at for k in range(len(nxt.lines))):
                break
            if not all(_is_value_style(ln, lab.line, size) for ln in nxt.lines):
                break
            values.extend(nxt.lines)
            used.update((r, k) for k in range(len(nxt.lines)))
            r += 1
        if not values:
            values = _table_values(page, lab, labels, used)
        notes: list[Line] = []
        if values:
            typical = max(v.size for v in values)
            notes = [v for v in values if v.size < _NOTE * typical]
            values = [v for v in values if v.size >= _NOTE * typical]
        fields.setdefault(lab.field, []).append(Field_(label=lab.line, values=values, notes=notes))
    return fields, used


def _table_values(page: PageLayout, lab: _Label, labels: list[_Label], used: set[tuple[int, int]]) -> list[Line]:
    """Values printed in a column to the right of the label (a label/value table)."""
    size = page.body_size
    below = [
        other.line.top
        for other in labels
        if other is not lab and other.line.top > lab.line.top + 1 and abs(other.line.x0 - lab.line.x0) < size
    ]
    limit = min(below, default=float("inf"))
    for r, region in enumerate(page.regions):
        for i, line in enumerate(region.lines):
            if line.x0 > lab.line.x1 and abs(line.top - lab.line.top) < size * 0.6 and (r, i) not in used:
                values = []
                last = None
                for k in range(i, len(region.lines)):
                    cand = region.lines[k]
                    if cand.top >= limit - size * 0.3 or (r, k) in used:
                        break
                    if last is not None and cand.top - last.bottom > 1.2 * size:
                        break
                    if not _is_value_style(cand, lab.line, size):
                        break
                    values.append(cand)
                    used.add((r, k))
                    last = cand
                return values
    return []


def _header_key(page: PageLayout) -> str | None:
    tops = [
        line.text for line in page.furniture
        if line.bottom < page.height / 2 and not _DIGITS.fullmatch(line.text.replace(" ", ""))
    ]
    # letters and digits only, as in the furniture's own comparison (OCR varies the rest)
    return re.sub(r"[^\w#]|_", "", _DIGITS.sub("#", " ".join(tops).lower())) if tops else None


def _max_size(page: PageLayout) -> float:
    return max((line.size for region in page.regions for line in region.lines), default=0.0)


def _as_theme(page: PageLayout) -> ThemeDraft | None:
    lines = [line for region in page.regions for line in region.lines]
    if not lines:
        return None
    big = max(lines, key=lambda ln: ln.size)
    number = re.search(r"(?<![\d.])(\d{1,2})(?![\d.])", big.text)
    if big.size < _DISPLAY * page.body_size or not number:
        return None
    rest = big.text[number.end():].strip(" :.-–")
    title_lines: list[Line] = []
    if rest and re.search(r"[A-Za-z]{3}", rest):
        title_lines.append(Line(page=page.number, words=[w for w in big.words if not _DIGITS.search(w.text)]))
    intro: list[Region] = []
    for region in page.regions:
        keep = []
        for line in region.lines:
            if line is big:
                continue
            if not intro and not keep and line.bold and line.size >= 1.2 * page.body_size and (
                not title_lines or title_lines[-1].size == line.size
            ):
                title_lines.append(line)
                continue
            keep.append(line)
        if keep:
            intro.append(Region(page=page.number, lines=keep))
    return ThemeDraft(number=int(number.group(1)), title_lines=title_lines, intro=intro, page=page.number)


class _Builder:
    """A practice card being read, possibly over several pages."""

    def __init__(self, page: PageLayout, labels: list[_Label], theme: int | None):
        self.pages = [page.number]
        self.theme = theme
        self.body_size = page.body_size
        self.header = _header_key(page)
        self.fields, used = _collect_fields(page, labels)
        self.unknown_labels: list[Line] = []
        self.links = list(page.links)
        body = [
            Region(page=page.number, lines=[ln for i, ln in enumerate(region.lines) if (r, i) not in used])
            for r, region in enumerate(page.regions)
        ]
        body = [region for region in body if region.lines]
        self.title_lines, self.summary_lines, rest = _split_title(body, page.body_size)
        self.preamble: list[Region] = []
        self.sections: list[dict] = []
        self._add_body(rest)

    def _add_body(self, regions: list[Region]) -> None:
        size = self.body_size
        for region in regions:
            pending: list[Line] = []
            for line in region.lines:
                if _is_heading(line, size):
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

    def continues_on(self, page: PageLayout) -> bool:
        if _max_size(page) >= _TITLE * page.body_size:
            return False
        return self.header is None or _header_key(page) == self.header

    def add_page(self, page: PageLayout) -> None:
        self.pages.append(page.number)
        self.links.extend(page.links)
        self._add_body(page.regions)

    def draft(self) -> PracticeDraft:
        sections = []
        for sec in self.sections:
            heading = " ".join(ln.text for ln in sec["heading_lines"])
            sections.append(
                SectionDraft(heading=heading, key=section_key(heading), heading_lines=sec["heading_lines"], blocks=sec["blocks"])
            )
        return PracticeDraft(
            pages=self.pages,
            theme=self.theme,
            title_lines=self.title_lines,
            summary_lines=self.summary_lines,
            fields=self.fields,
            preamble=self.preamble,
            sections=sections,
            links=self.links,
            body_size=self.body_size,
        )


def _is_heading(line: Line, body: float) -> bool:
    if list_marker(line.text) or not line.bold or len(line.words) > 10 or line.size < body - 0.05:
        return False
    return line.size >= body * _HEADING or section_key(line.text) is not None and line.text.rstrip()[-1:] not in ".,;"


def _split_title(regions: list[Region], body: float) -> tuple[list[Line], list[Line], list[Region]]:
    """Title (largest type on the card), tagline (larger or italic lines right after it)
    and the regions that remain for the sections."""
    lines = [line for region in regions for line in region.lines]
    if not lines:
        return [], [], regions
    largest = max(line.size for line in lines)
    if largest < _TITLE * body:
        return [], [], regions
    title: list[Line] = []
    summary: list[Line] = []
    rest: list[Region] = []
    state = "before"
    for region in regions:
        keep = []
        for line in region.lines:
            if state in ("before", "title") and abs(line.size - largest) < 0.3:
                title.append(line)
                state = "title"
                continue
            if state in ("title", "summary") and not _is_heading(line, body) and (
                line.italic or line.size >= body * _HEADING
            ) and line.size < largest:
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
    """Words seen inside lines (never at a line end), to judge line-end hyphens."""
    seen: set[str] = set()
    for page in pages:
        for region in page.regions:
            for line in region.lines:
                for word in line.words[:-1]:
                    for token in _WORD.findall(word.text):
                        seen.add(token.lower())
    return sorted(seen)


def document_title(pages: list[PageLayout]) -> list[Line]:
    for page in pages:
        lines = [line for region in page.regions for line in region.lines]
        if lines:
            largest = max(line.size for line in lines)
            return [line for line in lines if abs(line.size - largest) < 0.3]
    return []


def segment(pages: list[PageLayout], metadata_title: str | None = None) -> DocumentDraft:
    themes: list[ThemeDraft] = []
    practices: list[PracticeDraft] = []
    front: list[int] = []
    front_regions: list[Region] = []
    skipped: list[int] = []
    current: _Builder | None = None
    for page in pages:
        labels = find_labels(page)
        if len({lab.field for lab in labels}) >= _MIN_LABELS:
            if current:
                practices.append(current.draft())
            current = _Builder(page, labels, len(themes) - 1 if themes else None)
            continue
        theme = _as_theme(page)
        if theme:
            if current:
                practices.append(current.draft())
                current = None
            themes.append(theme)
        elif current and current.continues_on(page):
            current.add_page(page)
        elif current is None and not practices and not themes:
            front.append(page.number)
            front_regions.extend(page.regions)
        else:
            if current:
                practices.append(current.draft())
                current = None
            skipped.append(page.number)
    if current:
        practices.append(current.draft())
    if not practices:
        raise GuideError(
            "no practice cards found (no page has two or more bold sidebar labels such as "
            "'Main institution:' or 'Location:'); is this a good-practice guide?"
        )
    return DocumentDraft(
        title_lines=document_title(pages),
        metadata_title=metadata_title,
        themes=themes,
        practices=practices,
        lexicon=build_lexicon(pages),
        skipped_pages=skipped,
        front_matter=front,
        front_regions=front_regions,
    )
