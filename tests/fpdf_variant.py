"""The sample guide's content written by another PDF writer (fpdf2, not reportlab nor a
browser): US Letter pages, a serif face, text flowing from card to card, fact labels on
the value's line in a shaded panel, themes as large numbered headings mid-page, en-dash
bullets, and a fact label in no vocabulary ('Read more at') for the website."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from html_variants import expected_values, sample_content, Layout

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
LABELS = {
    "institution": "Organisation",
    "location": "Location of the practice",
    "contact": "Person to contact",
    "website": "Read more at",
    "period": "Timescale (start/end date)",
}
HEADINGS = {
    "about": "Detailed description",
    "resources": "Resources needed",
    "evidence": "Evidence of success (results achieved)",
    "challenges": "Difficulties encountered / lessons learned",
    "transfer": "Potential for learning or transfer",
}
UNKNOWN = ["Read more at"]


def font_dir() -> Path | None:
    for folder in FONT_DIRS:
        if (folder / "DejaVuSerif.ttf").exists():
            return folder
    return None


class _Guide(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Serif", "", 7)
        self.cell(0, 4, f"{self.page_no()}", align="R")


def _paragraphs(pdf: FPDF, text: str | None) -> None:
    if not text:
        return
    for k, para in enumerate(text.split("\n\n")):
        if k:
            pdf.ln(1.8)
        for line in para.split("\n"):
            pdf.set_font("Serif", "", 9.5)
            if line.startswith("- "):
                x = pdf.l_margin
                pdf.set_x(x + 1.5)
                pdf.cell(3.5, 4.6, "–")
                pdf.set_x(x + 5)
                pdf.multi_cell(pdf.w - pdf.r_margin - x - 5, 4.6, line[2:], new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.multi_cell(0, 4.6, line, new_x="LMARGIN", new_y="NEXT")


def _facts(pdf: FPDF, practice: dict) -> None:
    from html_variants import _fact_values

    facts = _fact_values(practice)
    top = pdf.get_y()
    pdf.set_fill_color(225, 232, 238)
    lines: list[tuple[str, list[str]]] = [(LABELS[k], facts[k]) for k in ("institution", "location", "contact", "period", "website") if k in facts]
    # a first pass measures the panel so it can be drawn under the text
    height = 3 + sum(4.8 * len(values) for _, values in lines) + 3
    if top + height > pdf.h - pdf.b_margin:
        pdf.add_page()
        top = pdf.get_y()
    pdf.rect(pdf.l_margin, top, pdf.w - pdf.l_margin - pdf.r_margin, height, style="F")
    pdf.set_y(top + 3)
    for label, values in lines:
        pdf.set_x(pdf.l_margin + 3)
        pdf.set_font("Serif", "B", 9)
        pdf.write(4.8, f"{label}: ")
        pdf.set_font("Serif", "", 9)
        pdf.write(4.8, values[0])
        pdf.ln(4.8)
        for value in values[1:]:
            pdf.set_x(pdf.l_margin + 3)
            pdf.write(4.8, value)
            pdf.ln(4.8)
    pdf.set_y(top + height + 3)


def write_fpdf_guide(out: Path, content: dict | None = None) -> tuple[Path, dict]:
    content = content or sample_content()
    folder = font_dir()
    pdf = _Guide(format="Letter")
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("Serif", "", str(folder / "DejaVuSerif.ttf"))
    pdf.add_font("Serif", "B", str(folder / "DejaVuSerif-Bold.ttf"))
    pdf.add_font("Serif", "I", str(folder / "DejaVuSerif-Italic.ttf"))
    pdf.set_title(content["title"])
    pdf.add_page()
    pdf.set_font("Serif", "B", 26)
    pdf.ln(60)
    pdf.multi_cell(0, 12, content["title"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Serif", "", 10)
    pdf.multi_cell(0, 5, "Good practices of the partnership, written by a PDF library.", new_x="LMARGIN", new_y="NEXT")
    by_theme: dict[int, list[dict]] = {}
    for practice in content["practices"]:
        by_theme.setdefault(practice["theme"]["number"], []).append(practice)
    pdf.add_page()
    for theme in content["themes"]:
        if pdf.get_y() > pdf.h - 80:
            pdf.add_page()
        pdf.ln(8)
        pdf.set_font("Serif", "B", 21)
        pdf.set_text_color(120, 30, 40)
        pdf.multi_cell(0, 9, f"{theme['number']}. {theme['title']}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(2)
        _paragraphs(pdf, theme["intro"])
        for practice in by_theme.get(theme["number"], []):
            if pdf.get_y() > pdf.h - 60:
                pdf.add_page()
            pdf.ln(9)
            pdf.set_font("Serif", "B", 16)
            pdf.multi_cell(0, 7, practice["title"], new_x="LMARGIN", new_y="NEXT")
            if practice["summary"]:
                pdf.set_font("Serif", "I", 11)
                pdf.multi_cell(0, 5.4, practice["summary"], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            _facts(pdf, practice)
            for key in ("about", "resources", "evidence", "challenges", "transfer"):
                text = practice["sections"][key]
                if not text:
                    continue
                if pdf.get_y() > pdf.h - 40:
                    pdf.add_page()
                pdf.ln(2)
                pdf.set_font("Serif", "B", 11)
                pdf.multi_cell(0, 6, HEADINGS[key], new_x="LMARGIN", new_y="NEXT")
                _paragraphs(pdf, text)
    pdf.output(str(out))
    expected = expected_values(Layout(wording="sample"), content)
    expected["unknown_labels"] = UNKNOWN
    return Path(out), expected
