"""A small guide written by fpdf2 whose cards print values the way word-processor
documents do (issue #21): a URL broken at a hyphen with its link annotation over both
lines, prose on the line after a URL, 'n/a' fields, '2016 to date', a misspelt country,
several countries, amounts in lei and with spaced thousands, a contact only in the text."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from fpdf_variant import HEADINGS, _Guide, _paragraphs, font_dir

LABELS = {"institution": "Main institution", "location": "Location", "contact": "Contact", "period": "Start-end date", "website": "Website"}

# Each fact: field -> printed lines; a website line may carry the link annotation's target.
PRACTICES = [
    {
        "title": "Shared Smart Factory Testbeds",
        "summary": "Three regions open their pilot lines to small manufacturers.",
        "facts": {
            "institution": ["Agencia de Innovación Industrial"],
            "location": ["Spain, Portugal and France"],
            "contact": ["Lucía Romero", "lucia.romero@aii.es"],
            "period": ["2016 to date"],
            "website": [
                ("https://www.smart-", "https://www.smart-factory.eu/en"), ("factory.eu/en", "https://www.smart-factory.eu/en"),
                # the annotation has no hyphen: the printed one is the line break's
                ("https://www.pilot-", "https://www.pilotlines.eu/"), ("lines.eu/", "https://www.pilotlines.eu/"),
            ],
        },
        "sections": {
            "about": "Manufacturers test new machines on shared pilot lines before they invest.",
            "resources": "The testbeds cost 5.6 M EUR over five years. Each company pays approximately from 23 000 EUR for a trial.",
            "evidence": "The lines served 140 companies.",
            "challenges": "Booking the lines fairly took several attempts.",
            "transfer": "Any region with pilot lines can open them.",
        },
    },
    {
        "title": "Cluster Help Desk for Exporters",
        "summary": "One desk answers export questions of cluster members.",
        "facts": {
            "institution": ["Hellenic Export Cluster"],
            "location": ["Thessaloniki, Greee"],
            "period": ["March 2015 – until now"],
            "website": [("https://www.cluster.eu/", "https://www.cluster.eu/"), ("The desk is free for members.", None)],
        },
        "sections": {
            "about": "Members ask the desk about markets and rules. For more information, contact Jane Doe at jane.doe@cluster.eu.",
            "resources": "The desk costs 30 000 euros a year.",
            "evidence": "The desk answered 800 questions.",
            "challenges": "Answers in many languages are hard to give.",
            "transfer": "Clusters of any size can run a desk.",
        },
    },
    {
        "title": "Cross-Border Skills Vouchers",
        "summary": "Vouchers pay for training across the border.",
        "facts": {
            "institution": ["n/a"],
            "location": ["Cross-border: Italy / Slovenia"],
            "contact": ["Marco Bianchi", "m.bianchi@regione.it"],
            "period": ["N/A"],
            "website": [("n/a", None)],
        },
        "sections": {
            "about": "Workers from both sides of the border take courses with a voucher.",
            "resources": "The Romanian partner added 786.977,60 Lei to the pool.",
            "evidence": "The vouchers trained 320 workers.",
            "challenges": "Recognising certificates across the border was slow.",
            "transfer": "Border regions can pool their training money.",
        },
    },
]
TITLE = "Good Practices in Regional Industry"
THEME = {"number": 1, "title": "Support for manufacturers", "intro": "Regions help their manufacturers modernise."}


def _facts(pdf: FPDF, facts: dict) -> None:
    rows = [(LABELS[k], facts[k]) for k in ("institution", "location", "contact", "period", "website") if k in facts]
    top = pdf.get_y()
    height = 3 + sum(4.8 * len(values) for _, values in rows) + 3
    pdf.set_fill_color(225, 232, 238)
    pdf.rect(pdf.l_margin, top, pdf.w - pdf.l_margin - pdf.r_margin, height, style="F")
    pdf.set_y(top + 3)
    for label, values in rows:
        for k, value in enumerate(values):
            text, target = value if isinstance(value, tuple) else (value, None)
            pdf.set_x(pdf.l_margin + 3)
            if k == 0:
                pdf.set_font("Serif", "B", 9)
                pdf.write(4.8, f"{label}: ")
            pdf.set_font("Serif", "", 9)
            pdf.write(4.8, text, link=target or "")
            pdf.ln(4.8)
    pdf.set_y(top + height + 3)


def write_value_forms_guide(out: Path) -> Path:
    pdf = _Guide(format="A4")
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=20)
    folder = font_dir()
    for style, name in (("", "DejaVuSerif.ttf"), ("B", "DejaVuSerif-Bold.ttf"), ("I", "DejaVuSerif-Italic.ttf")):
        pdf.add_font("Serif", style, str(folder / name))
    pdf.set_title(TITLE)
    pdf.add_page()
    pdf.set_font("Serif", "B", 26)
    pdf.ln(60)
    pdf.multi_cell(0, 12, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.set_font("Serif", "B", 21)
    pdf.set_text_color(120, 30, 40)
    pdf.multi_cell(0, 9, f"{THEME['number']}. {THEME['title']}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    _paragraphs(pdf, THEME["intro"])
    for practice in PRACTICES:
        if pdf.get_y() > pdf.h - 110:
            pdf.add_page()
        pdf.ln(9)
        pdf.set_font("Serif", "B", 16)
        pdf.multi_cell(0, 7, practice["title"], new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Serif", "I", 11)
        pdf.multi_cell(0, 5.4, practice["summary"], new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        _facts(pdf, practice["facts"])
        for key in ("about", "resources", "evidence", "challenges", "transfer"):
            pdf.ln(2)
            pdf.set_font("Serif", "B", 11)
            pdf.multi_cell(0, 6, HEADINGS[key], new_x="LMARGIN", new_y="NEXT")
            _paragraphs(pdf, practice["sections"][key])
    pdf.output(str(out))
    return Path(out)
