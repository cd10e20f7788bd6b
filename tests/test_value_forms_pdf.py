"""A real PDF (fpdf2) whose cards print values as word-processor documents do, read end
to end: every field below is what the card was written with (tests/value_forms_pdf.py)."""

import pytest

from fpdf_variant import font_dir
from pipeline.run import extract_guide
from value_forms_pdf import write_value_forms_guide

pytestmark = pytest.mark.skipif(font_dir() is None, reason="needs the DejaVu fonts (fonts-dejavu-core)")


@pytest.fixture(scope="module")
def practices(tmp_path_factory):
    guide = extract_guide(write_value_forms_guide(tmp_path_factory.mktemp("forms") / "forms.pdf"))
    return {p.title: p for p in guide.practices}


def codes(practice):
    return [(w.code, w.field, w.message) for w in practice.warnings]


def test_the_three_cards_are_found(practices):
    assert list(practices) == ["Shared Smart Factory Testbeds", "Cluster Help Desk for Exporters", "Cross-Border Skills Vouchers"]


def test_url_broken_at_a_hyphen_keeps_or_drops_it_as_its_annotation_does(practices):
    p = practices["Shared Smart Factory Testbeds"]
    assert p.websites == ["https://www.smart-factory.eu/en", "https://www.pilotlines.eu/"]
    assert [link.uri for link in p.links] == ["https://www.smart-factory.eu/en"] * 2 + ["https://www.pilotlines.eu/"] * 2
    assert p.period.model_dump() == {"raw": "2016 to date", "start": "2016", "end": None, "ongoing": True}
    assert p.location.model_dump() == {"raw": "Spain, Portugal and France", "country": "Spain", "country_code": "ES", "country_codes": ["ES", "PT", "FR"]}
    assert [(m.raw, m.amount, m.currency, m.qualifier) for m in p.budgets] == [
        ("5.6 M EUR", 5_600_000, "EUR", None), ("23 000 EUR", 23_000, "EUR", "about, from"),
    ]
    assert codes(p) == []


def test_prose_after_a_url_misspelt_country_and_contact_in_the_text(practices):
    p = practices["Cluster Help Desk for Exporters"]
    assert p.websites == ["https://www.cluster.eu/"]
    assert p.location.model_dump() == {"raw": "Thessaloniki, Greee", "country": "Greece", "country_code": "GR", "country_codes": ["GR"]}
    assert p.period.model_dump() == {"raw": "March 2015 – until now", "start": "2015-03", "end": None, "ongoing": True}
    assert [c.model_dump() for c in p.contacts] == [{"name": "Jane Doe", "organisation": None, "email": "jane.doe@cluster.eu"}]
    # the address is boxed where it is printed: the about section's second line
    assert [s.page for s in p.provenance["contacts[0]"]] == [2]
    about_top, about_bottom = p.provenance["sections.about"][0].bbox[1], p.provenance["sections.about"][0].bbox[3]
    assert about_top < p.provenance["contacts[0]"][0].bbox[1] < about_bottom
    assert [(m.raw, m.amount, m.currency, m.role) for m in p.budgets] == [("30 000 euros", 30_000, "EUR", "per year")]
    assert codes(p) == [
        ("missing_contact", "contacts", "No 'Contact' is given in the sidebar."),
        ("unreadable_website", "websites", "'The desk is free for members.' in the website field is not part of a URL."),
        ("contact_from_text", "contacts", "The sidebar gives no contact; 'jane.doe@cluster.eu' was read from the text of 'about'."),
        ("country_fuzzy", "location", "The location reads 'Greee'; it is taken as Greece (GR)."),
    ]


def test_fillers_are_absent_and_several_countries_and_lei(practices):
    p = practices["Cross-Border Skills Vouchers"]
    assert p.institution is None
    assert p.websites == []
    assert p.period.model_dump() == {"raw": None, "start": None, "end": None, "ongoing": False}
    assert p.location.model_dump() == {
        "raw": "Cross-border: Italy / Slovenia", "country": "Italy", "country_code": "IT", "country_codes": ["IT", "SI"],
    }
    assert [c.model_dump() for c in p.contacts] == [{"name": "Marco Bianchi", "organisation": None, "email": "m.bianchi@regione.it"}]
    assert [(m.raw, m.amount, m.currency) for m in p.budgets] == [("786.977,60 Lei", 786_977.6, "RON")]
    assert "n/a" not in p.organisations
    assert codes(p) == [
        ("not_applicable", "institution", "The 'Main institution' field reads 'n/a'; it is left empty."),
        ("not_applicable", "websites", "The 'Website' field reads 'n/a'; it is left empty."),
        ("not_applicable", "period", "The period reads 'N/A'; it is left empty."),
    ]
