"""Build good-practice guides in layouts the real guide does not use, with known content.

The extractor must read them without knowing anything about them: it is never told the
page size, the label positions or the number of practices. Text marked with '|' inside a
word may be hyphenated there at a line end; the expected text has the '|' removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

_FONTS = Path(reportlab.__file__).parent / "fonts"
for _name, _file in (("Sans", "Vera.ttf"), ("Sans-Bold", "VeraBd.ttf"), ("Sans-Oblique", "VeraIt.ttf")):
    pdfmetrics.registerFont(TTFont(_name, str(_FONTS / _file)))


@dataclass
class Card:
    title: str
    tagline: str
    fields: list[tuple[str, list[str]]]
    sections: list[tuple[str, list[str | list[str]]]]
    website_link: str | None = None


@dataclass
class Theme:
    number: int
    title: str
    intro: str
    cards: list[Card] = field(default_factory=list)


def plain(text: str) -> str:
    return text.replace("|", "").replace("~", "")


def expected_section(blocks: list[str | list[str]]) -> str:
    out = ""
    for block in blocks:
        if isinstance(block, list):
            items = "\n".join("- " + plain(item) for item in block)
            out = f"{out}\n{items}" if out else items
        else:
            out = f"{out}\n\n{plain(block)}" if out else plain(block)
    return out


class _Writer:
    """A portrait, single-column page flow with a running header and footer."""

    def __init__(self, path: Path, header: str):
        self.canvas = Canvas(str(path), pagesize=A4)
        self.width, self.height = A4
        self.header = header
        self.page = 0
        self.left, self.right = 56.0, A4[0] - 56.0
        self.y = 0.0

    def new_page(self, furniture: bool = True) -> None:
        if self.page:
            self.canvas.showPage()
        self.page += 1
        self.y = self.height - 70
        if furniture:
            self.canvas.setFont("Sans", 7)
            self.canvas.drawString(self.left, self.height - 30, self.header)
            self.canvas.drawRightString(self.right, 30, f"Page {self.page}")

    def ensure(self, needed: float) -> None:
        if self.y - needed < 60:
            self.new_page()

    def text(self, x: float, text: str, font: str, size: float) -> None:
        self.canvas.setFont(font, size)
        self.canvas.drawString(x, self.y, text)

    def wrap(self, text: str, font: str, size: float, width: float) -> list[str]:
        lines: list[str] = []
        current = ""
        for word in text.split():
            if "~" in word:  # a forced break: the word is split here with a hyphen
                head, tail = word.split("~")
                lines.append(f"{current} {plain(head)}".strip() + ("" if head.endswith("-") else "-"))
                current = plain(tail)
                continue
            trial = f"{current} {plain(word)}".strip()
            if pdfmetrics.stringWidth(trial, font, size) <= width:
                current = trial
                continue
            if "|" in word:  # hyphenate at the last break point that fits
                parts = word.split("|")
                for k in range(len(parts) - 1, 0, -1):
                    head = "".join(parts[:k]) + "-"
                    if pdfmetrics.stringWidth(f"{current} {head}".strip(), font, size) <= width:
                        lines.append(f"{current} {head}".strip())
                        current = "".join(parts[k:])
                        break
                else:
                    lines.append(current)
                    current = plain(word)
                continue
            lines.append(current)
            current = plain(word)
        if current:
            lines.append(current)
        return lines

    def paragraph(self, text: str, font: str = "Sans", size: float = 9, indent: float = 0, bullet: str | None = None) -> None:
        leading = size * 1.3
        x = self.left + indent
        for i, line in enumerate(self.wrap(text, font, size, self.right - x)):
            self.ensure(leading)
            if bullet and i == 0:
                self.text(x - 10, bullet, "Sans-Bold", size)
            self.text(x, line, font, size)
            self.y -= leading

    def save(self) -> None:
        self.canvas.showPage()
        self.canvas.save()


def portrait_cards_read(guide, title: str, themes: list[Theme]):
    """Assert what every reading of the portrait guide must give (title, themes, and each
    card's title, theme, tagline, institution, location, contact and period), then yield
    each practice with its card's facts for the checks a test adds."""
    assert guide.title == title
    assert [(t.number, t.title) for t in guide.themes] == [(t.number, t.title) for t in themes]
    cards = [(theme, card) for theme in themes for card in theme.cards]
    assert [p.title for p in guide.practices] == [card.title for _, card in cards]
    for practice, (theme, card) in zip(guide.practices, cards):
        fields = dict(card.fields)
        assert practice.theme.number == theme.number
        assert practice.summary == card.tagline
        assert practice.institution == fields["Main institution:"][0]
        assert practice.location.raw == fields["Location:"][0]
        assert [(c.name, c.organisation, c.email) for c in practice.contacts] == [tuple(fields["Contact:"])]
        assert practice.period.raw == fields["Start-end date:"][0]
        yield practice, card, fields


def write_portrait_guide(path: Path, title: str, themes: list[Theme]) -> Path:
    """Cover, then per theme a divider page and its cards; sidebar fields as a table."""
    w = _Writer(path, header=f"{title} – collection of good practices")
    w.new_page(furniture=False)
    w.y = w.height / 2
    w.text(w.left, title, "Sans-Bold", 30)
    for theme in themes:
        w.new_page()
        w.y = w.height - 160
        w.text(w.left, f"Theme {theme.number}", "Sans-Bold", 44)
        w.y -= 40
        w.text(w.left, theme.title, "Sans-Bold", 16)
        w.y -= 30
        w.paragraph(theme.intro, size=10)
        for card in theme.cards:
            _card(w, card)
    w.save()
    return path


def _card(w: _Writer, card: Card) -> None:
    w.new_page()
    for line in w.wrap(card.title, "Sans-Bold", 18, w.right - w.left):
        w.text(w.left, line, "Sans-Bold", 18)
        w.y -= 22
    w.y -= 4
    w.paragraph(card.tagline, font="Sans-Oblique", size=11)
    w.y -= 14
    label_x, value_x = w.left, w.left + 120
    for label, values in card.fields:
        w.text(label_x, label, "Sans-Bold", 9)
        for k, value in enumerate(values):
            w.text(value_x, value, "Sans", 9)
            if card.website_link and value.startswith("http") and k == 0:
                width = pdfmetrics.stringWidth(value, "Sans", 9)
                w.canvas.linkURL(card.website_link, (value_x, w.y - 2, value_x + width, w.y + 9), relative=0)
            w.y -= 11.5
        w.y -= 6
    w.y -= 16
    for heading, blocks in card.sections:
        w.ensure(40)
        w.text(w.left, heading, "Sans-Bold", 11)
        w.y -= 16
        for block in blocks:
            if isinstance(block, list):
                for item in block:
                    w.paragraph(item, indent=12, bullet="•")
                    w.y -= 2
            else:
                w.paragraph(block)
            w.y -= 6
        w.y -= 8


def sample_themes(ligatures: bool = False) -> tuple[str, list[Theme]]:
    """Fictional practices (no text of the real guide), optionally typeset with ligature
    characters as some typesetters emit them."""
    fi = "\ufb01" if ligatures else "fi"
    fl = "\ufb02" if ligatures else "fl"
    long_about = [
        f"The Harbour Robotics Voucher helps small manufacturers {fi}nance their {fi}rst "
        "collaborative robot. Firms apply online and receive an answer within four weeks; "
        "the voucher covers an engineering study, a pilot cell and operator training. "
        "The scheme grew out of a regional round|table on auto~mation in the "
        "food-~processing sector and is run together with two technical colleges.",
        "Eligible costs:",
        ["feasibility studies by an accredited integrator",
         f"a {fl}exible pilot cell leased for up to six months",
         "training of operators and maintenance staff"],
        "Every applicant is visited by an advisor before the study starts, so that the "
        "project answers a real bottleneck and not a wish list. Advisors also check that "
        "the company can keep the robot running after the pilot, which is where many "
        "earlier programmes failed. The advisors meet every month to compare their "
        "cases and to update a shared list of integrators, suppliers and training "
        "providers that applicants may choose from.",
    ]
    themes = [
        Theme(
            number=1,
            title="Automation for small manufacturers",
            intro="Practices that help small firms take their first steps in automation.",
            cards=[
                Card(
                    title="Harbour Robotics Voucher",
                    tagline="A voucher that pays for a first robot cell in a small factory.",
                    fields=[
                        ("Main institution:", ["Northport Development Agency"]),
                        ("Location:", ["Northport, Sweden"]),
                        ("Contact:", ["Eva Lind", "Northport Development Agency", "eva.lind@northport.example"]),
                        ("Website:", ["https://northport.example/robotics/", "voucher-2024.html"]),
                        ("Start-end date:", ["March 2021 - ongoing"]),
                    ],
                    sections=[
                        ("About this good practice", long_about),
                        ("Resources needed", ["A budget of 2.4 million euro for three years and four advisors."]),
                        ("Evidence of success", ["Seventy firms received a voucher; forty kept their robot in production."]),
                        ("Challenges encountered", ["Integrators were scarce in the first year."]),
                        ("Potential for learning or transfer", [
                            f"The voucher is easy to copy: it needs a {fi}xed budget and advisors.",
                            *[
                                f"Lesson {n}: regions that tried the voucher reported that the advisor "
                                "visit mattered more than the amount of money, because it turned a vague "
                                "interest in robots into a concrete plan for one production step, with a "
                                "budget, a timetable and a named person inside the firm."
                                for n in range(1, 9)
                            ],
                        ]),
                    ],
                    website_link="https://northport.example/robotics/voucher-2024.html",
                ),
                Card(
                    title="Digital Twin Clinic for Workshops",
                    tagline=f"Engineers from the university build a simple digital twin of a {fi}rm's line.",
                    fields=[
                        ("Main institution:", ["Lakeside University of Technology"]),
                        ("Location:", ["Lakeside Region, Austria"]),
                        ("Contact:", ["Jonas Berger", "Faculty of Mechanical Engineering", "j.berger@lakeside.example"]),
                        ("Website:", ["https://twinclinic.example"]),
                        ("Start-end date:", ["January 2019 – December 2022"]),
                    ],
                    sections=[
                        ("About this good practice", ["Students and staff model a food-processing line in two weeks."]),
                        ("Evidence of Success", ["Twelve clinics were held; nine firms changed their line layout."]),
                        ("Potential for learning or transfer", ["Any technical university can run a clinic."]),
                    ],
                ),
            ],
        ),
        Theme(
            number=2,
            title="Skills for the twin transition",
            intro="Practices on the skills that digital and green change require.",
            cards=[
                Card(
                    title="Data Skills Bootcamp for Clerks",
                    tagline="Evening courses that teach office staff to work with data.",
                    fields=[
                        ("Main institution:", ["Chamber of Crafts of Westvale"]),
                        ("Location:", ["Westvale, Ireland"]),
                        ("Contact:", ["Aoife Byrne", "Chamber of Crafts of Westvale", "aoife.byrne@westvale.example"]),
                        ("Start-end date:", ["2018 - 2020"]),
                    ],
                    sections=[
                        ("About this good practice", ["Ten evenings of hands-on work with spreadsheets and dashboards."]),
                        ("Resources needed", ["Two trainers and a computer room."]),
                        ("Evidence of success", ["Three hundred clerks finished the course."]),
                        ("Difficulties encountered", ["Evening hours did not suit parents."]),
                        ("Potential for learning or transfer", ["Chambers elsewhere run similar courses."]),
                    ],
                ),
            ],
        ),
    ]
    return "Generated Good Practice Collection", themes
