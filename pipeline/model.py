"""Typed intermediate data passed between stages (not part of the output contract)."""

from __future__ import annotations

from functools import cached_property
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

Box = tuple[float, float, float, float]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)

    def model_copy(self, *, update=None, deep: bool = False):
        """A copy with `update` made; values a cached property computed from the first
        model are dropped from it, so the copy computes its own."""
        copy = super().model_copy(update=update, deep=deep)
        if update:
            for name in dir(type(self)):
                if isinstance(getattr(type(self), name, None), cached_property):
                    copy.__dict__.pop(name, None)
        return copy


class Word(NamedTuple):
    """One word as pdfplumber reads it. A named tuple, not a model: a guide has tens of
    thousands of words, and a tuple takes a fifth of a model's memory."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    # False/True from the font name; None where the weight is unknown (OCR words), so
    # roles must then be decided from the other signals.
    bold: bool | None = False
    italic: bool | None = False
    # OCR word confidence (0-100, Tesseract's scale); None for words from a text layer.
    conf: float | None = None


class Link(_Frozen):
    uri: str
    bbox: Box
    page: int = 0


def dominant_size(words) -> float:
    """The type size carrying most characters (a bold bullet or a folio must not decide)."""
    weight: dict[float, int] = {}
    for w in words:
        weight[w.size] = weight.get(w.size, 0) + len(w.text)
    return max(weight, key=weight.__getitem__) if weight else 0.0


class PageText(_Frozen):
    """What pdfplumber reads off one page."""

    number: int
    width: float
    height: float
    words: list[Word]
    links: list[Link] = []
    # ruled tables (pdfplumber's finder on the page's own rules): rows of cell boxes,
    # None where a merged cell spans the column
    tables: list[list[list[Box | None]]] = []


class Line(_Frozen):
    """Words on one baseline inside one region, left to right.

    Its text, box, size and weight are read thousands of times by the later stages, so
    each is computed once (a cached property: the model is frozen); `model_copy(update=...)`
    gives a line that computes its own."""

    page: int
    words: list[Word]

    @cached_property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @cached_property
    def bbox(self) -> Box:
        return (
            min(w.x0 for w in self.words),
            min(w.top for w in self.words),
            max(w.x1 for w in self.words),
            max(w.bottom for w in self.words),
        )

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @cached_property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @cached_property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @cached_property
    def size(self) -> float:
        return dominant_size(self.words)

    @cached_property
    def bold(self) -> bool:
        return _share(self.words, lambda w: w.bold) > 0.6

    @cached_property
    def read_by_ocr(self) -> bool:
        """Read by OCR (some word has a confidence): its letters and sizes are measured,
        not given, and it has no weight or colour to lean on."""
        return any(w.conf is not None for w in self.words)

    @cached_property
    def italic(self) -> bool:
        return _share(self.words, lambda w: w.italic) > 0.6


def _share(words: list[Word], pred) -> float:
    total = sum(len(w.text) for w in words) or 1
    return sum(len(w.text) for w in words if pred(w)) / total


class Region(_Frozen):
    """A block of text that reads top to bottom: a column, a panel, a title band. Its
    box is computed once, like a line's."""

    page: int
    lines: list[Line]
    # a cell of a ruled table: (table, row, column) on its page
    cell: tuple[int, int, int] | None = None

    @cached_property
    def bbox(self) -> Box:
        boxes = [line.bbox for line in self.lines]
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )


class PageLayout(_Frozen):
    """One page after furniture removal: regions in reading order."""

    number: int
    width: float
    height: float
    body_size: float
    regions: list[Region]
    furniture: list[Line] = []
    links: list[Link] = []


class Field_(_Frozen):
    """A sidebar label and the lines printed as its value."""

    label: Line
    values: list[Line]
    notes: list[Line] = []


class SectionDraft(_Frozen):
    heading: str
    key: str | None
    heading_lines: list[Line]
    blocks: list[Region]


class PracticeDraft(_Frozen):
    pages: list[int]
    theme: int | None
    title_lines: list[Line]
    summary_lines: list[Line]
    fields: dict[str, list[Field_]]
    unknown_labels: list[Line] = []
    preamble: list[Region] = []
    sections: list[SectionDraft]
    links: list[Link] = []
    body_size: float
    # small print in the card's text (figure credits), kept out of the sections
    notes: list[Line] = []
    # a scanned card whose fact labels were lost: its facts placed by their values
    # (cards/unlabelled.py)
    unlabelled: bool = False


class ThemeDraft(_Frozen):
    number: int
    title_lines: list[Line]
    intro: list[Region]
    page: int


class MetadataDraft(_Frozen):
    """One item of the document's metadata block: its key ('authors'), label and value lines."""

    key: str
    label: list[Line]
    values: list[Line]


class DocumentDraft(_Frozen):
    title_lines: list[Line]
    metadata_title: str | None = None
    metadata: list[MetadataDraft] = []  # the document's metadata block (cards/stacked.py)
    pdf_info: dict[str, str] = {}  # the PDF's info dictionary: Author, CreationDate
    themes: list[ThemeDraft]
    practices: list[PracticeDraft]
    lexicon: list[str]
    skipped_pages: list[int] = []
    front_matter: list[int] = []
    front_regions: list[Region] = []


class ExtractedPdf(_Frozen):
    """Stage 1 output: the file's identity and its pages' words."""

    file: str
    sha256: str
    metadata_title: str | None
    info: dict[str, str] = {}  # the info dictionary's Author and CreationDate, as stored
    pages: list[PageText]
    warnings: list[dict] = []
    ocr_pages: list[int] = []  # pages whose words were read by OCR
