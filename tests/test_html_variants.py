"""Editions the extractor never saw, printed by headless Chromium from HTML: each is read
field by field against the values it was generated from (tests/html_variants.py)."""

import html
import shutil

import pytest

from html_variants import CORE, LAYOUTS, VALUES, Layout, compare, print_pdf, write_html_guide
from pipeline.errors import GuideError
from pipeline.run import extract_guide

pytestmark = [pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium (scripts/test installs it)"), pytest.mark.slow]  # Chromium, many generated PDFs


@pytest.fixture(scope="module", params=sorted(LAYOUTS), ids=sorted(LAYOUTS))
def edition(request, tmp_path_factory):
    layout = LAYOUTS[request.param]
    pdf, expected = write_html_guide(tmp_path_factory.mktemp(layout.name) / f"{layout.name}.pdf", layout)
    return layout, extract_guide(pdf), expected


def test_every_card_is_found_once_in_its_theme(edition):
    _, guide, expected = edition
    assert guide.title == expected["title"]
    assert [[t.number, t.title] for t in guide.themes] == expected["themes"]
    assert [p.title for p in guide.practices] == [p["title"] for p in expected["practices"]]
    assert [p.theme.number for p in guide.practices] == [p["theme"] for p in expected["practices"]]


@pytest.mark.parametrize("field", CORE + VALUES)
def test_field_matches_what_the_edition_was_built_from(edition, field):
    _, guide, expected = edition
    assert compare(guide, expected)[field] == []


def test_taglines_periods_and_theme_intros(edition):
    _, guide, expected = edition
    for practice, want in zip(guide.practices, expected["practices"]):
        assert practice.summary == want["summary"]
        assert practice.period.raw == want["period"]
    assert [" ".join((t.intro or "").split()) for t in guide.themes] == [" ".join(i.split()) for i in expected["intros"]]


def test_label_in_no_vocabulary_is_read_by_its_value_and_named(edition):
    layout, guide, expected = edition
    for practice, want in zip(guide.practices, expected["practices"]):
        named = [(w.code, w.field) for w in practice.warnings if w.code == "unknown_label"]
        if layout.wording == "interreg" and want["websites"]:
            assert named == [("unknown_label", "websites")]
            assert "'web presence'" in next(w.message for w in practice.warnings if w.code == "unknown_label").lower()
        else:
            assert named == []


def test_figure_credits_are_notes_not_section_text(edition):
    layout, guide, _ = edition
    for number, practice in enumerate(guide.practices, start=1):
        credit = f"Photo {number}: © Studio Example {number}, all rights reserved"
        text = " ".join(v or "" for v in practice.sections.model_dump().values())
        assert "Studio Example" not in text and "Studio Example" not in str(practice.other_sections)
        assert (credit in practice.notes) is layout.figure


def test_card_starting_at_a_page_foot_keeps_its_fact_box(edition):
    layout, guide, _ = edition
    if layout.foot_start is None:
        pytest.skip("no card is pushed to a page foot in this layout")
    practice = guide.practices[layout.foot_start]
    title_page = practice.provenance["title"][0].page
    assert practice.provenance["institution"][0].page == title_page + 1
    assert practice.pages[:2] == [title_page, title_page + 1]


def test_user_vocabulary_teaches_a_new_label(tmp_path, monkeypatch):
    layout = Layout(name="run-by", labels=(("institution", "Run by"),), figure=False)
    pdf, expected = write_html_guide(tmp_path / "lead.pdf", layout)
    monkeypatch.delenv("GUIDE_EXTRACT_VOCABULARY", raising=False)
    untaught = extract_guide(pdf)
    # without the institution a card has fewer facts; with two left it is no card at all
    evident = [p for p in expected["practices"] if sum(bool(p[k]) for k in ("location", "contacts", "websites", "period")) >= 3]
    assert [p.title for p in untaught.practices] == [p["title"] for p in evident]
    assert [p.institution for p in untaught.practices] == [None] * len(evident)
    assert all("missing_institution" in {w.code for w in p.warnings} for p in untaught.practices)
    vocabulary = tmp_path / "words.toml"
    vocabulary.write_text('[labels]\ninstitution = ["run by"]\n', encoding="utf-8")
    monkeypatch.setenv("GUIDE_EXTRACT_VOCABULARY", str(vocabulary))
    taught = extract_guide(pdf)
    assert [p.institution for p in taught.practices] == [p["institution"] for p in expected["practices"]]
    assert compare(taught, expected)["contacts"] == []


def test_table_with_date_and_location_headers_is_not_a_card(tmp_path):
    rows = "".join(
        f"<tr><td>{day} March 2024</td><td>{place}, Belgium</td><td>info{day}@events.example</td><td>Workshop on {topic}</td></tr>"
        for day, place, topic in ((4, "Brussels", "clusters"), (11, "Ghent", "skills"), (18, "Leuven", "robots"))
    )
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><style>body{font-family:'Liberation Sans';font-size:10pt}"
        "h1{font-size:20pt} th{font-weight:700;text-align:left;padding:2mm} td{padding:2mm}</style></head><body>"
        "<h1>Events of the partnership</h1><p>The partners meet every week in a different city.</p>"
        "<table><tr><th>Date</th><th>Location</th><th>Contact</th><th>Topic</th></tr>" + rows + "</table>"
        f"<p>{html.escape('Questions & answers follow the events.')}</p></body></html>"
    )
    pdf = print_pdf(page, tmp_path / "events.pdf")
    with pytest.raises(GuideError, match=r"^no practice cards found \("):
        extract_guide(pdf)


def test_a_text_page_of_values_and_section_headings_without_labels_is_no_card(tmp_path):
    """A card is found by its typed values and section headings only where OCR read the
    page (its labels can be lost in a scan: cards/unlabelled.py); a text layer keeps a
    label's characters whatever its colour, so a page printing none has no fact box."""
    cells = [["Regional Development Agency"], ["Poland"], ["Anna Nowak", "anna.nowak@agency.example.pl"],
             ["February 2019 - ongoing"], ["https://www.agency.example.pl"]]
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><style>body{font-family:'Liberation Sans';font-size:10pt}"
        "h2{font-size:16pt} h3{font-size:11pt;font-weight:400} .facts{display:grid;grid-template-columns:1fr;"
        "row-gap:6mm;margin-bottom:6mm}</style></head><body><h2>Smart Factory Vouchers</h2><div class='facts'>"
        + "".join("<div>" + "".join(f"<div>{html.escape(v)}</div>" for v in cell) + "</div>" for cell in cells)
        + "</div><h3>Detailed description</h3><p>The agency gives vouchers to small firms.</p>"
        "<h3>Resources needed</h3><p>Two people run the scheme.</p></body></html>"
    )
    pdf = print_pdf(page, tmp_path / "values.pdf")
    with pytest.raises(GuideError, match=r"^no practice cards found \("):
        extract_guide(pdf)


def test_label_in_no_vocabulary_is_read_by_its_key_word(tmp_path):
    layout = Layout(name="keyword", labels=(("institution", "Organisation(s) involved"),), figure=False)
    pdf, expected = write_html_guide(tmp_path / "keyword.pdf", layout)
    guide = extract_guide(pdf)
    assert compare(guide, expected)["institution"] == []
    for practice in guide.practices:
        named = [w.message for w in practice.warnings if w.code == "unknown_label" and w.field == "institution"]
        assert named == ["The label 'Organisation(s) involved' is in no vocabulary; its value was read as the institution field."]
