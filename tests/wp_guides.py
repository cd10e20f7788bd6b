"""Editions of the sample guide's content written in a word processor, with known values.

python-docx writes the .docx the way a person does in Word (a title page, a table of
contents typed as paragraphs with dotted tab leaders, numbered headings '2. Theme' and
'2.3 Practice', each practice's facts in a bordered two-column table, run-in bold section
heads 'Resources. The programme ...', two-column narratives, 'Page N of M' footers) and
LibreOffice Writer exports it to PDF (`tests/office.py`). The content is the sample
guide's hand-checked result, as for the browser editions (`tests/html_variants.py`), and
is scored with the same `compare` / `score`.

Each `Style` switches the fact table's look and wording and the narrative's typesetting:

- `shaded`: shaded label column, borders, plain labels without colons in a wording mostly
  outside the vocabulary ('Region / Country', 'Running time', 'E-mail', 'Funding source'),
  run-in heads, every other narrative in two columns, soft hyphens where Writer may break
  a word, ligature characters, Symbol-font bullets (U+F0B7), a footnote, a table pushed to
  a page foot so that it runs onto the next page;
- `italic`: borders without shading, labels in italics with another wording ('Lead
  organisation', 'Project duration', 'Email address', 'Website'), headings on their own
  line;
- `word-defaults`: the shaded table at a word processor's default sizes (11 pt text, 13 pt
  practice headings: only modestly larger), every narrative in two columns, two rows no
  field holds;
- `header-row`: a 'Key facts' header row spanning the table, bold labels, narratives in
  two columns with run-in heads.
- `body-headings`: the practices' numbered headings bold but at the text's own size (a
  word processor's third heading level), bold labels in a lightly shaded column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from html_variants import Layout, expected_values, sample_content
from office import docx_to_pdf

FACT_ORDER = ("institution", "location", "period", "contact", "email", "website")


@dataclass(frozen=True)
class Style:
    name: str
    labels: tuple[tuple[str, str], ...]  # (fact, printed label) in table order
    extra_rows: tuple[tuple[str, str], ...] = ()  # rows no contract field holds
    shade: str | None = None  # fill of the label column
    label_font: str = "plain"  # plain | italic | bold
    header_row: str | None = None  # a header row spanning the table
    run_in: bool = True  # section heads run into their text
    two_columns: str = "none"  # none | alternate | all
    tagline: bool = False
    hyphenate: bool = False  # soft hyphens in long words
    ligatures: bool = False  # ligature characters written into the text
    footnote: bool = False
    footnote_size: float | None = None  # a word processor's footnote size (else 7 pt small print)
    split_table: int | None = None  # index of the card whose table is pushed to a page foot
    font: str = "Liberation Sans"
    body: float = 10  # body type size; headings are 13 pt (practice) and 16 pt (theme)
    practice_size: float = 13  # the practice heading's size (bold); the body size for a low heading level
    unknown: tuple[str, ...] = ()  # printed labels in no vocabulary (unknown_label warnings)


STYLES = {
    s.name: s
    for s in (
        Style(
            name="shaded",
            labels=(("institution", "Organisation"), ("location", "Region / Country"), ("period", "Running time"),
                    ("contact", "Contact"), ("email", "E-mail"), ("website", "Web")),
            extra_rows=(("Funding source", "Regional operational programme and own funds"),),
            shade="D9E2F3", run_in=True, two_columns="alternate", hyphenate=True, ligatures=True,
            footnote=True, split_table=4, font="DejaVu Sans",
            unknown=("E-mail", "Region / Country", "Running time"),
        ),
        Style(
            name="italic",
            labels=(("institution", "Lead organisation"), ("location", "Country"), ("period", "Project duration"),
                    ("contact", "Contact person"), ("email", "Email address"), ("website", "Website")),
            extra_rows=(("Total cost", "See the resources section"),),
            label_font="italic", run_in=False, tagline=True, font="Liberation Serif",
            unknown=("Email address", "Project duration"),
        ),
        Style(
            name="word-defaults",
            labels=(("institution", "Organisation"), ("location", "Region / Country"), ("period", "Running time"),
                    ("contact", "Contact"), ("email", "E-mail"), ("website", "Web")),
            extra_rows=(("Funding source", "European Regional Development Fund"), ("Total cost", "See the resources section")),
            shade="E7E6E6", run_in=True, two_columns="all", hyphenate=True, ligatures=True, body=11,
            footnote=True, footnote_size=10,
            font="DejaVu Sans", unknown=("E-mail", "Region / Country", "Running time"),
        ),
        Style(
            name="header-row",
            labels=(("institution", "Responsible organisation"), ("location", "Location"), ("period", "Timeframe"),
                    ("contact", "Contact details"), ("website", "Internet")),
            header_row="Key facts", label_font="bold", shade=None, run_in=True, two_columns="all",
        ),
        Style(
            name="body-headings",  # practice headings numbered and bold but no larger than the text
            labels=(("institution", "Lead partner"), ("location", "Location"), ("period", "Duration"),
                    ("contact", "Contact person"), ("email", "E-mail"), ("website", "Website")),
            label_font="bold", shade="F2F2F2", run_in=False, two_columns="none", body=11, practice_size=11,
            font="Liberation Serif", unknown=("E-mail",),
        ),
    )
}

RUN_IN_HEADS = {
    "about": "Description",
    "resources": "Resources",
    "evidence": "Evidence of success",
    "challenges": "Difficulties encountered",
    "transfer": "Potential for transfer",
}
INTRODUCTION = "Introduction"
FOOTNOTE = "1 Figures as reported by the partner in its final report."


def wp_content(per_theme: int = 3) -> dict:
    """The sample guide's first practices of each theme."""
    content = sample_content()
    kept, counts = [], {}
    for practice in content["practices"]:
        number = practice["theme"]["number"]
        if counts.get(number, 0) < per_theme:
            counts[number] = counts.get(number, 0) + 1
            kept.append(practice)
    return {**content, "practices": kept}


# --- text hygiene the word processor adds -------------------------------------------------

_LIGATURES = (("ffi", "\ufb03"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02"))


def _ligatures(text: str) -> str:
    for plain, lig in _LIGATURES:
        text = text.replace(plain, lig)
    return text


def _soft_hyphens(text: str) -> str:
    """A soft hyphen in each long word, after a vowel past its first four letters: Writer
    breaks there (and prints a hyphen) when the word falls at a line end."""

    def split(match: re.Match) -> str:
        word = match.group(0)
        for i in range(4, len(word) - 4):
            if word[i - 1] in "aeiou" and word[i] not in "aeiou":
                return word[:i] + "\u00ad" + word[i:]
        return word

    return re.sub(r"\b[a-z]{10,}\b", split, text)


# --- docx helpers --------------------------------------------------------------------------


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES): Writer computes it at export."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _columns(section, number: int) -> None:
    sect = section._sectPr
    for old in sect.findall(qn("w:cols")):
        sect.remove(old)
    cols = OxmlElement("w:cols")
    cols.set(qn("w:num"), str(number))
    cols.set(qn("w:space"), "567")
    sect.append(cols)


def _para(doc, text: str = "", size: float | None = None, bold: bool = False, italic: bool = False, after: float = 4,
          align=None, before: float = 0):
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_after, fmt.space_before = Pt(after), Pt(before)
    if align is not None:
        paragraph.alignment = align
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size is not None:  # else the document's body size
            run.font.size = Pt(size)
    return paragraph


class _Writer:
    def __init__(self, style: Style, content: dict, toc_pages: dict[str, int] | None, spacer: float):
        self.style, self.content = style, content
        self.toc_pages = toc_pages or {}
        self.spacer = spacer
        self.doc = Document()
        normal = self.doc.styles["Normal"]
        normal.font.name, normal.font.size = style.font, Pt(style.body)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), style.font)
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(20))
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("Page ").font.size = Pt(8)
        _field(footer, "PAGE")
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")
        for run in footer.runs:
            run.font.size = Pt(8)

    def text(self, text: str) -> str:
        if self.style.hyphenate:
            text = _soft_hyphens(text)
        if self.style.ligatures:
            text = _ligatures(text)
        return text

    def numbered(self) -> list[tuple[dict, list[tuple[str, dict]]]]:
        return numbered(self.content)

    def build(self, path: Path) -> Path:
        doc = self.doc
        _para(doc, self.content["title"], size=24, bold=True, after=18, before=120)
        _para(doc, "A guide to the good practices of the partnership, written in a word processor.", size=11)
        doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        self.toc()
        # chapters before the first theme and after the last card: front and back matter
        _para(doc, INTRODUCTION, size=16, bold=True, after=8)
        _para(doc, "The partners met four times to exchange their experience; this guide collects what they learnt.", after=6)
        index = 0
        for theme, cards in self.numbered():
            _para(doc, f"{theme['number']}. {theme['title']}", size=16, bold=True, before=12, after=8)
            for paragraph in (theme["intro"] or "").split("\n\n"):
                _para(doc, self.text(paragraph.replace("\n", " ")), after=6)
            for number, practice in cards:
                self.card(number, practice, index)
                index += 1
        _para(doc, self.conclusions(), size=16, bold=True, before=12, after=8)
        _para(doc, "The partners will keep exchanging; contact the lead partner for more.", after=6)
        docx = path.with_suffix(".docx")
        doc.save(docx)
        return docx_to_pdf(docx, path.parent)

    def toc(self) -> None:
        doc = self.doc
        _para(doc, "Contents", size=14, bold=True, after=10)
        width = Mm(170)

        def entry(text: str, page: int, bold: bool) -> None:
            paragraph = _para(doc, after=2)
            paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            run = paragraph.add_run(f"{text}\t{page}")
            run.bold = bold

        entry(INTRODUCTION, self.toc_pages.get(INTRODUCTION, 0), True)
        for theme, cards in self.numbered():
            entry(f"{theme['number']}. {theme['title']}", self.toc_pages.get(f"{theme['number']}.", 0), True)
            for number, practice in cards:
                entry(f"{number} {practice['title']}", self.toc_pages.get(number, 0), False)
        entry(self.conclusions(), self.toc_pages.get(self.conclusions().split()[0], 0), True)
        doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    def conclusions(self) -> str:
        return f"{max(t['number'] for t in self.content['themes']) + 1}. Conclusions and next steps"

    def card(self, number: str, practice: dict, index: int) -> None:
        doc, style = self.doc, self.style
        if style.split_table == index and self.spacer:
            doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
            for _ in range(int(self.spacer // 12)):
                spacer = _para(doc, after=0)
                spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                spacer.paragraph_format.line_spacing = Pt(12)
        _para(doc, f"{number} {practice['title']}", size=style.practice_size, bold=True, before=14, after=4)
        if style.tagline and practice["summary"]:
            _para(doc, practice["summary"], size=11, italic=True, after=6)
        self.facts(practice)
        two = style.two_columns == "all" or (style.two_columns == "alternate" and index % 2 == 1)
        if two:
            _columns(doc.add_section(WD_SECTION.CONTINUOUS), 2)
        self.index = index
        for key in ("about", "resources", "evidence", "challenges", "transfer"):
            if practice["sections"][key]:
                self.section(key, practice["sections"][key])
        if style.footnote and index == 1:
            if style.footnote_size is None:
                _para(doc, FOOTNOTE, size=7, after=6)
            else:  # as a word processor sets a footnote: its number a superscript
                note = _para(doc, after=6)
                mark, _, text = FOOTNOTE.partition(" ")
                run = note.add_run(mark)
                run.font.superscript, run.font.size = True, Pt(style.footnote_size)
                note.add_run(" " + text).font.size = Pt(style.footnote_size)
        if two:
            _columns(doc.add_section(WD_SECTION.CONTINUOUS), 1)

    def facts(self, practice: dict) -> None:
        style = self.style
        values = _fact_rows(practice)
        if "email" not in dict(style.labels):  # the address goes in the contact cell
            values["contact"] = [v for c in practice["contacts"] for v in (c["name"], c["organisation"], c["email"]) if v]
        rows = [(label, values[fact]) for fact, label in style.labels if values.get(fact)]
        rows += [(label, [value]) for label, value in style.extra_rows]
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        if style.header_row:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[1])
            run = merged.paragraphs[0].add_run(style.header_row)
            run.bold = True
            _shade(merged, "BFBFBF")
        for label, lines in rows:
            left, right = table.add_row().cells
            run = left.paragraphs[0].add_run(label)
            run.bold, run.italic = style.label_font == "bold", style.label_font == "italic"
            if style.shade:
                _shade(left, style.shade)
            right.paragraphs[0].add_run(lines[0])
            for line in lines[1:]:
                right.add_paragraph(line)
        for row in table.rows:
            row.cells[0].width, row.cells[1].width = Mm(45), Mm(125)
        _para(self.doc, after=2)

    def section(self, key: str, text: str) -> None:
        doc, style = self.doc, self.style
        head = RUN_IN_HEADS[key]
        paragraphs = text.split("\n\n")
        first_is_list = paragraphs[0].startswith("- ")
        if not style.run_in or first_is_list:
            _para(doc, head, size=style.body + 1 if not style.run_in else None, bold=True, before=6, after=3)
        for k, para in enumerate(paragraphs):
            lines = para.split("\n")
            prose = [ln for ln in lines if not ln.startswith("- ")]
            # a paragraph's lines ('\n') stay separate paragraphs, as typed
            for ln in lines:
                if ln.startswith("- "):
                    self.bullet(ln[2:])
                    continue
                paragraph = _para(doc, after=4, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
                if style.run_in and k == 0 and ln is prose[0] and not first_is_list:
                    run = paragraph.add_run(head + ". ")
                    run.bold = True
                if self.style.footnote and self.index == 1 and key == "about" and k == 0 and ln is prose[0]:
                    # a footnote mark set as a superscript after the paragraph's first word
                    first, _, rest = self.text(ln).partition(" ")
                    paragraph.add_run(first)
                    paragraph.add_run("1").font.superscript = True
                    paragraph.add_run(" " + rest)
                    continue
                paragraph.add_run(self.text(ln))

    def bullet(self, text: str) -> None:
        paragraph = _para(self.doc, after=2)
        fmt = paragraph.paragraph_format
        fmt.left_indent, fmt.first_line_indent = Mm(6), Mm(-6)
        fmt.tab_stops.add_tab_stop(Mm(6))
        if self.style.hyphenate:  # the Symbol font's bullet, as Word's bullet lists carry it
            mark = paragraph.add_run("\uf0b7")
            mark.font.name = "Symbol"
            mark._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hAnsi"), "Symbol")
        else:
            paragraph.add_run("•")
        paragraph.add_run("\t" + self.text(text))


def numbered(content: dict) -> list[tuple[dict, list[tuple[str, dict]]]]:
    """Each theme with its cards numbered 'theme.index'."""
    out = []
    for theme in content["themes"]:
        cards = [p for p in content["practices"] if p["theme"]["number"] == theme["number"]]
        out.append((theme, [(f"{theme['number']}.{k}", p) for k, p in enumerate(cards, start=1)]))
    return out


def _fact_rows(practice: dict) -> dict[str, list[str]]:
    contact = [v for c in practice["contacts"] for v in (c["name"], c["organisation"]) if v]
    emails = [c["email"] for c in practice["contacts"] if c["email"]]
    period = practice["period"]["raw"]
    return {
        "institution": [practice["institution"]] if practice["institution"] else [],
        "location": [practice["location"]["raw"]] if practice["location"]["raw"] else [],
        "period": [period.split(": ", 1)[-1]] if period else [],
        "contact": contact,
        "email": emails,
        "website": list(practice["websites"]),
    }


def _layout(pdf: Path, practice_size: float = 13) -> tuple[dict[str, int], dict[str, float]]:
    """Where the headings landed: page of each numbered heading, and the table's top
    relative to its heading (to push a table to a page foot). A heading is set at 12 pt or
    more, or is a bold 'N.M' line at the practice size (the contents' entries are not bold)."""
    pages: dict[str, int] = {}
    offsets: dict[str, float] = {}
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            lines = page.extract_text_lines()
            for k, line in enumerate(lines):
                if line["text"] == INTRODUCTION and line["chars"][0]["size"] >= 12:
                    pages.setdefault(INTRODUCTION, page.page_number)
                match = re.match(r"^(\d{1,2}\.(?:\d{1,2})?)\s+\S", line["text"])
                first = line["chars"][0]
                heading = first["size"] >= 12 or (
                    "." in match.group(1).rstrip(".") and "Bold" in first["fontname"] and first["size"] >= practice_size - 0.5
                ) if match else False
                if not heading or match.group(1) in pages:
                    continue
                pages[match.group(1)] = page.page_number
                # the table is the first ruled box under the heading
                rects = [r for r in page.rects + page.lines if r["top"] > line["bottom"]]
                if rects:
                    offsets[match.group(1)] = min(r["top"] for r in rects) - line["top"]
            page.close()
    return pages, offsets


def write_wp_guide(folder: Path, style: Style, content: dict | None = None) -> tuple[Path, dict, Path]:
    """The guide as PDF, the values it was built from, and a first export whose table of
    contents gives wrong page numbers (every entry 0)."""
    content = content or wp_content()
    folder.mkdir(parents=True, exist_ok=True)
    draft_dir, final_dir = folder / "draft", folder / "final"
    draft_dir.mkdir(exist_ok=True)
    final_dir.mkdir(exist_ok=True)
    spacer = 0.0
    if style.split_table is not None:
        first = _Writer(style, content, None, 0).build(draft_dir / f"{style.name}-measure.pdf")
        _, offsets = _layout(first, style.practice_size)
        number = [n for _, cards in numbered(content) for n, _ in cards][style.split_table]
        # the page's text area ends 20 mm above the foot; the table starts 70 pt above it
        # so that two rows fit there and the rest runs onto the next page
        target = 297 / 25.4 * 72 - 20 / 25.4 * 72 - 70
        spacer = target - 20 / 25.4 * 72 - offsets[number] - 14
    draft = _Writer(style, content, None, spacer).build(draft_dir / f"{style.name}.pdf")
    pages, _ = _layout(draft, style.practice_size)
    final = _Writer(style, content, pages, spacer).build(final_dir / f"{style.name}.pdf")
    return final, wp_expected(style, content), draft


def wp_expected(style: Style, content: dict) -> dict:
    expected = expected_values(Layout(wording="sample"), content)
    expected["unknown_labels"] = sorted(style.unknown)
    if not style.tagline:
        # the card prints no tagline (only `italic` writes one under the title), so there
        # is none to read: expecting the content's summary scored every card of these
        # styles as a miss the extractor could not avoid
        expected["practices"] = [{**p, "summary": None} for p in expected["practices"]]
    return expected


__all__ = ["STYLES", "Style", "write_wp_guide", "wp_content", "FOOTNOTE"]


def main(argv: list[str] | None = None) -> None:
    """python tests/wp_guides.py [STYLE ...] [--keep DIR]: print each style's scores."""
    import argparse
    import sys
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from html_variants import CORE, VALUES, compare, score
    from pipeline.run import extract_guide

    parser = argparse.ArgumentParser()
    parser.add_argument("styles", nargs="*", default=list(STYLES))
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        for name in args.styles:
            pdf, expected, _ = write_wp_guide(folder / name, STYLES[name])
            guide = extract_guide(pdf)
            scores = score(guide, expected)
            print(f"{name}: practices {len(guide.practices)}/{len(expected['practices'])} "
                  f"core {scores['core']:.1%} values {scores['values']:.1%}")
            print("   " + " ".join(f"{f}={scores[f]:.0%}" for f in CORE + VALUES))
            for field, rows in compare(guide, expected).items():
                for i, want, got in rows[:2]:
                    print(f"   {field}[{i}]: want {str(want)[:120]!r}\n   {' ' * len(field)}     got  {str(got)[:120]!r}")


if __name__ == "__main__":
    main()
