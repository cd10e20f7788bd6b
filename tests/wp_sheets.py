"""One-practice fact sheets written in Word, with known values.

A fact sheet is one practice per file, several pages long; a folder of them is a
catalogue. python-docx writes each sheet, LibreOffice Writer exports it to PDF
(tests/office.py), and pypdf gives the PDF a fixed info dictionary (Author, CreationDate)
as the agency's word processor would. Two house styles:

- style A: a centred title; a metadata block of ITALIC labels on their own line above
  the value ('Author(s)', 'Publication date', 'Terms of reuse', 'Type', 'Keywords'); an
  unlabelled italic summary; then BOLD labels on their own line, no colon, the value below
  ('Organisation in charge of best practice', 'Location', 'Dates', 'Description', ...);
- style B: the labels in bold small capitals, with other wordings ('Lead organisation
  responsible for the practice', 'Where', 'Period of implementation', 'Web links', ...);
  the sheet states no publication date, so it comes from the PDF's info;
- style C: the labels in regular weight, only larger than the values ('Main organisation
  involved', 'Country and region', 'Duration', 'Obstacles', 'Written by', 'Published').

Values are chosen here and read back exactly: `expected(sheet)` is what the extractor must
find. One sheet carries a full-page picture (no text) in the middle of its description:
the card runs on across it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt
from PIL import Image, ImageDraw, ImageFont

from office import docx_to_pdf

BODY = 11  # points: Word's default body size

STYLE_A = {
    "name": "A",
    "metadata": {
        "authors": "Author(s)", "publication_date": "Publication date", "licence": "Terms of reuse",
        "document_type": "Type", "keywords": "Keywords",
    },
    "fields": {
        "institution": "Organisation in charge of best practice", "location": "Location",
        "period": "Dates", "website": "Links",
    },
    "sections": {
        "about": "Description", "resources": "Resources needed", "challenges": "Challenges encountered",
        "evidence": "Evidence of success", "transfer": "Potential for transfer",
    },
    "further": "Further Information",
}
STYLE_B = {
    "name": "B",
    "metadata": {
        "authors": "Authors", "licence": "Licence", "document_type": "Document type", "keywords": "Key words",
    },
    "fields": {
        "institution": "Lead organisation responsible for the practice", "location": "Where",
        "period": "Period of implementation", "website": "Web links", "contact": "Person to contact",
    },
    "sections": {
        "about": "What the practice is about", "resources": "Resources needed",
        "challenges": "Difficulties met", "evidence": "Evidence of success",
        "transfer": "Potential for learning or transfer",
    },
    "further": "Further Information",
}
STYLE_C = {
    "name": "C",
    "metadata": {"authors": "Written by", "publication_date": "Published", "licence": "Licence"},
    "fields": {
        "institution": "Main organisation involved", "location": "Country and region",
        "period": "Duration", "website": "Website",
    },
    "sections": {
        "about": "Detailed description", "resources": "Budget and resources", "challenges": "Obstacles",
        "evidence": "Results", "transfer": "Transferability",
    },
    "further": "Further Information",
}
STYLES = {"A": STYLE_A, "B": STYLE_B, "C": STYLE_C}


@dataclass
class Sheet:
    stem: str
    style: dict
    title: str
    summary: str
    metadata: dict  # printed metadata values by key (authors, publication_date, licence, ...)
    institution: str
    location: str
    period: str
    websites: list[str]
    sections: dict[str, list[str]]  # key -> paragraphs
    further: list[str]  # paragraphs under 'Further Information'
    contact: list[str] = field(default_factory=list)  # printed contact lines (style B)
    picture_after: int | None = None  # a full-page picture after this paragraph of 'about'
    unknown: tuple[str, str] | None = None  # (label in no vocabulary, an e-mail address under it)
    title_size: float = 20  # points; at body size plus one, the title is no display heading
    period_parsed: list = field(default_factory=list)  # [start, end, ongoing] as the contract reads `period`
    pages: int = 0  # pages of the exported sheet (LibreOffice's layout of the text written here)
    picture_words: str | None = None  # large words drawn in the picture (read by OCR)
    info_author: str = "Word Processor User"
    info_created: str = "D:20190415093000Z"


_SENTENCES = (
    "The {seed} team worked with residents, schools and local firms to plan each step.",
    "Every decision was recorded in a shared register so that partners could follow the work.",
    "Meetings were held every month in the district hall, where tenants raised questions about costs.",
    "Maintenance and the time needed for the works were discussed openly with everyone involved.",
    "A steering group of {seed} partners met four times a year to review progress and spending.",
    "Local newspapers reported on the results, which brought new volunteers into the project.",
    "Training sessions helped staff of the {seed} office learn the new procedures quickly.",
    "Feedback forms were collected after each activity and summarised in a short yearly report.",
    "Neighbouring municipalities visited twice to see how the {seed} approach works in practice.",
    "Small grants covered materials, while most of the labour came from residents themselves.",
    "Costs were lower than planned because suppliers agreed on fixed prices for three years.",
)


def _words(seed: str, count: int) -> str:
    """A paragraph of about `count` words whose sentences depend on `seed` (no two
    paragraphs open alike, as no running header would)."""
    start = sum(map(ord, seed)) % len(_SENTENCES)
    out: list[str] = []
    k = start
    while len(" ".join(out).split()) < count:
        out.append(_SENTENCES[k % len(_SENTENCES)].format(seed=seed))
        k += 1
    return " ".join(out)


def _long(seed: str, paragraphs: int, words: int = 90) -> list[str]:
    return [_words(f"{seed} {k + 1}", words) for k in range(paragraphs)]


SHEETS = [
    Sheet(
        stem="green-roofs-graz",
        style=STYLE_A,
        title="Green Roofs for Social Housing",
        summary="Tenants and the city turned forty flat roofs of social housing blocks into green roofs that cool the flats below.",
        metadata={
            "authors": "Maria Keller; Jonas Weber", "publication_date": "12 March 2021",
            "licence": "CC BY 4.0", "document_type": "Good practice fact sheet",
            "keywords": "green roofs; social housing; climate adaptation",
        },
        institution="City of Graz, Department for Green Spaces",
        location="Graz, Austria",
        period="2017 - 2020",
        period_parsed=["2017", "2020", False],
        websites=["https://www.graz.at/green-roofs", "https://www.example.org/roofs"],
        sections={
            "about": _long("roof", 9),
            "resources": ["The works cost EUR 1.2 million, of which the city paid half.", "Two gardeners look after the roofs."],
            "challenges": _long("challenge", 2, 60),
            "evidence": ["Indoor temperatures under the roofs fell by three degrees in summer.", "Rainwater run-off fell by a third."],
            "transfer": _long("transfer", 2, 50),
        },
        further=["https://www.graz.at/roofs-report"],
        picture_after=4,
        pages=5,
    ),
    Sheet(
        stem="school-gardens-porto",
        style=STYLE_A,
        title="School Gardens Network",
        summary="Twelve primary schools share a network of vegetable gardens run by pupils, parents and retired farmers.",
        metadata={
            "authors": "Ana Sousa", "publication_date": "June 2019", "licence": "Free to reuse with attribution",
            "document_type": "Good practice fact sheet", "keywords": "education, food, gardens",
        },
        institution="Porto Municipal Education Office",
        location="Porto, Portugal",
        period="September 2015 - June 2018",
        period_parsed=["2015-09", "2018-06", False],
        websites=["https://www.example.pt/school-gardens"],
        sections={
            "about": _long("garden", 6),
            "resources": ["A coordinator half-time and seeds worth EUR 3,000 a year."],
            "challenges": _long("pupil", 1, 70),
            "evidence": ["Pupils grew 2 tonnes of vegetables for the school canteens."],
            "transfer": _long("network", 1, 60),
        },
        further=["The network publishes a handbook for teachers every spring; copies are free on request from the education office."],
        unknown=("Queries", "gardens@example.pt"),
        picture_after=3,
        picture_words="HARVEST DAY",
        pages=5,
    ),
    Sheet(
        stem="river-repair-kaunas",
        style=STYLE_B,
        title="Repair Cafés along the River",
        summary="Volunteers mend bicycles, lamps and clothes in five riverside cafés, keeping broken goods out of the waste stream.",
        metadata={
            "authors": "Rūta Petraitė, Tomas Jonaitis", "licence": "CC BY-SA 4.0",
            "document_type": "Practice sheet", "keywords": "circular economy; repair; volunteering",
        },
        institution="Kaunas Regional Waste Management Centre",
        location="Kaunas, Lithuania",
        period="March 2018 - December 2021",
        period_parsed=["2018-03", "2021-12", False],
        websites=["https://www.example.lt/repair-cafes", "https://www.example.lt/volunteers"],
        contact=["Jonas Petrauskas", "jonas.petrauskas@example.lt"],
        pages=3,
        sections={
            "about": _long("repair", 8),
            "resources": ["Five rooms lent by cafés and a tool budget of EUR 8,000."],
            "challenges": _long("volunteer", 2, 60),
            "evidence": ["In 2021 volunteers repaired 1,450 items."],
            "transfer": _long("cafe", 1, 60),
        },
        further=["https://www.example.lt/repair-map"],
    ),
    Sheet(
        stem="night-buses-tartu",
        style=STYLE_B,
        title="On-Demand Night Buses",
        summary="Small buses booked by phone replace empty night lines between villages and the city centre.",
        metadata={
            "authors": "Kadri Tamm", "licence": "All rights reserved",
            "document_type": "Practice sheet", "keywords": "mobility, rural areas, public transport",
        },
        institution="Tartu County Public Transport Centre",
        location="Tartu, Estonia",
        period="2016 - 2019",
        period_parsed=["2016", "2019", False],
        websites=["https://www.example.ee/night-bus"],
        contact=["Mart Kask", "mart.kask@example.ee"],
        pages=3,
        sections={
            "about": _long("bus", 5),
            "resources": ["Three minibuses leased for EUR 90,000 a year."],
            "challenges": _long("driver", 1, 60),
            "evidence": ["Night trips grew from 40 to 310 a week."],
            "transfer": _long("county", 1, 50),
        },
        further=["The county council decided in 2020 to keep the service for five more years."],
        info_author="Tartu County",
        title_size=BODY + 1,
        info_created="D:20200210120000+02'00'",
    ),
    Sheet(
        stem="solar-schools-sofia",
        style=STYLE_C,
        title="Solar Panels on School Roofs",
        summary="Schools lease their roofs to a citizens' energy cooperative, which sells the power back to them below market price.",
        metadata={"authors": "Ivan Petrov", "publication_date": "2022", "licence": "CC0 1.0"},
        institution="Sofia Municipality, Energy Efficiency Unit",
        location="Sofia, Bulgaria",
        period="January 2019 - ongoing",
        period_parsed=["2019-01", None, True],
        websites=["https://www.example.bg/solar-schools"],
        sections={
            "about": _long("solar", 4),
            "resources": ["The cooperative raised EUR 400,000 from 650 members."],
            "challenges": _long("permit", 1, 60),
            "evidence": ["Twenty-two schools cut their electricity bills by 18%."],
            "transfer": _long("energy", 1, 50),
        },
        further=["https://www.example.bg/cooperative"],
        pages=2,
    ),
]


def _run(paragraph, text: str, *, bold=False, italic=False, size=BODY, small_caps=False):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.small_caps = small_caps
    return run


def _space(paragraph, before: float, after: float) -> None:
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)


def _label(doc, style: dict, text: str, kind: str) -> None:
    """kind 'metadata' (style A: italic) or 'field'/'section' (A: bold; B: larger small caps)."""
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = True
    _space(p, 8, 2)
    if style["name"] == "A":
        _run(p, text, italic=kind == "metadata", bold=kind != "metadata")
    elif style["name"] == "C":
        _run(p, text, size=BODY + 2)  # larger type is the only sign
    elif kind == "metadata":
        _run(p, text, bold=True, size=BODY - 1)
    else:
        _run(p, text, bold=True, size=BODY + 2, small_caps=True)


def _value(doc, text: str, italic: bool = False) -> None:
    p = doc.add_paragraph()
    _space(p, 0, 4)
    _run(p, text, italic=italic, size=BODY - 1 if italic else BODY)


def _picture(path: Path, words: str | None = None) -> Path:
    """A full-page figure with no text layer in the PDF: a drawing, with `words` set large
    across it (a poster in a photo) for OCR to read."""
    image = Image.new("RGB", (1200, 1600), (235, 242, 230))
    draw = ImageDraw.Draw(image)
    if words:
        from fpdf_variant import font_dir

        font = ImageFont.truetype(str(font_dir() / "DejaVuSans-Bold.ttf"), 120)
        draw.text((100, 40), words, font=font, fill=(20, 20, 20))
    for k in range(8):
        draw.ellipse((100 + 60 * k, 200 + 90 * k, 500 + 60 * k, 600 + 90 * k), outline=(40, 110, 60), width=14)
    draw.rectangle((150, 1300, 1050, 1450), fill=(90, 140, 200))
    image.save(path)
    return path


def write_sheet(sheet: Sheet, folder: Path) -> Path:
    """The sheet as a .docx exported to PDF in `folder`; returns the PDF."""
    from pypdf import PdfReader, PdfWriter

    style = sheet.style
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.5)
    doc.core_properties.author = sheet.info_author
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _space(title, 0, 12)
    _run(title, sheet.title, bold=True, size=sheet.title_size)
    for key, label in style["metadata"].items():
        if key in sheet.metadata:
            _label(doc, style, label, "metadata")
            _value(doc, sheet.metadata[key])
    summary = doc.add_paragraph()
    _space(summary, 14, 10)
    _run(summary, sheet.summary, italic=True)
    values = {
        "institution": [sheet.institution], "location": [sheet.location], "period": [sheet.period],
        "website": sheet.websites, "contact": sheet.contact,
    }
    for key, label in style["fields"].items():
        if values[key]:
            _label(doc, style, label, "field")
            for text in values[key]:
                _value(doc, text)
    if sheet.unknown:
        _label(doc, style, sheet.unknown[0], "field")
        _value(doc, sheet.unknown[1])
    for key, label in style["sections"].items():
        _label(doc, style, label, "section")
        for k, text in enumerate(sheet.sections[key]):
            _value(doc, text)
            if key == "about" and sheet.picture_after == k + 1:
                picture = _picture(folder / f"{sheet.stem}-figure.png", sheet.picture_words)
                p = doc.add_paragraph()
                p.add_run().add_break(WD_BREAK.PAGE)
                doc.add_picture(str(picture), width=Cm(15.5))
                p = doc.add_paragraph()
                p.add_run().add_break(WD_BREAK.PAGE)
    _label(doc, style, style["further"], "section")
    for text in sheet.further:
        _value(doc, text)
    docx = folder / f"{sheet.stem}.docx"
    doc.save(docx)
    exported = docx_to_pdf(docx, folder / "export")
    # the info dictionary as the agency's tools leave it: a fixed author and creation date
    reader = PdfReader(exported)
    writer = PdfWriter(clone_from=reader)
    writer.add_metadata({"/Author": sheet.info_author, "/CreationDate": sheet.info_created, "/Title": ""})
    pdf = folder / f"{sheet.stem}.pdf"
    with pdf.open("wb") as handle:
        writer.write(handle)
    docx.unlink()
    return pdf


def write_sheets(folder: Path, sheets: list[Sheet] = SHEETS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_sheet(sheet, folder) for sheet in sheets]


def _iso(printed: str | None, info: str) -> str | None:
    months = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december"]
    if printed is None:
        return f"{info[2:6]}-{info[6:8]}-{info[8:10]}"
    parts = printed.split()
    if len(parts) == 3:
        return f"{parts[2]}-{months.index(parts[1].lower()) + 1:02d}-{int(parts[0]):02d}"
    if len(parts) == 2:
        return f"{parts[1]}-{months.index(parts[0].lower()) + 1:02d}"
    return parts[0]


def printed(style: dict, label: str) -> str:
    """A fact or section label as the PDF's text carries it."""
    return label.upper() if style["name"] == "B" else label


def _split(text: str) -> list[str]:
    sep = ";" if ";" in text else ","
    return [part.strip() for part in text.split(sep) if part.strip()]


def _printed_text(sheet: Sheet, key: str) -> list[str]:
    """A section's paragraphs, with the words of a picture where the picture stands (OCR
    reads them as text of the page)."""
    paragraphs = list(sheet.sections[key])
    if key == "about" and sheet.picture_words:
        paragraphs.insert(sheet.picture_after, sheet.picture_words)
    return paragraphs


def expected(sheet: Sheet) -> dict:
    """What the extractor must read back from the sheet."""
    further = sheet.further
    is_link = all(text.startswith("http") for text in further)
    contacts = [[sheet.contact[0], None, sheet.contact[1]]] if sheet.contact else []
    if sheet.unknown:
        contacts.append([None, None, sheet.unknown[1]])
    return {
        "title": sheet.title,
        "summary": sheet.summary,
        "institution": sheet.institution,
        "location": sheet.location,
        "contacts": contacts,
        "websites": sheet.websites + (further if is_link else []),
        "period": sheet.period,
        "period_parsed": sheet.period_parsed,
        "pages": list(range(1, sheet.pages + 1)),
        "sections": {key: "\n\n".join(_printed_text(sheet, key)) for key in sheet.sections},
        # small capitals are capitals in the PDF's text
        "other_sections": {} if is_link else {printed(sheet.style, sheet.style["further"]): "\n\n".join(further)},
        "metadata": {
            "authors": _split(sheet.metadata["authors"]) if "authors" in sheet.metadata else [sheet.info_author],
            "publication_date": _iso(sheet.metadata.get("publication_date"), sheet.info_created),
            "version": None,
            "licence": sheet.metadata.get("licence"),
            "document_type": sheet.metadata.get("document_type"),
            "keywords": _split(sheet.metadata["keywords"]) if "keywords" in sheet.metadata else [],
        },
    }


# the nine core fields of a practice (tests/scans.py's CORE without the theme a sheet has not)
CORE = ("title", "pages", "summary", "institution", "location", "contacts", "websites", "period", "period_parsed")


def actual(practice) -> dict:
    return {
        "title": practice.title,
        "pages": practice.pages,
        "summary": practice.summary,
        "institution": practice.institution,
        "location": practice.location.raw,
        "contacts": [[c.name, c.organisation, c.email] for c in practice.contacts],
        "websites": practice.websites,
        "period": practice.period.raw,
        "period_parsed": [practice.period.start, practice.period.end, practice.period.ongoing],
        "sections": practice.sections.model_dump(),
        "other_sections": practice.other_sections,
    }


def score(guide, sheet: Sheet) -> float:
    """Share of the nine core fields read exactly."""
    want = expected(sheet)
    if len(guide.practices) != 1:
        return 0.0
    got = actual(guide.practices[0])
    return sum(got[name] == want[name] for name in CORE) / len(CORE)


def main() -> None:
    """python tests/wp_sheets.py DIR: write the sheets into DIR and print each score."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from pipeline.run import extract_guide

    folder = Path(sys.argv[1])
    for sheet, pdf in zip(SHEETS, write_sheets(folder)):
        guide = extract_guide(pdf)
        print(f"{sheet.stem}: {score(guide, sheet):.0%} {len(guide.practices)} practice(s)")


if __name__ == "__main__":
    main()
