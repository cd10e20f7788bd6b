"""Office scans of editions the OCR was not tuned on (issue #19): generated editions
(browser-printed `html_variants` layouts, the reportlab portrait guide) scanned the
ordinary ways of `scans.SCANS` (150-300 dpi, grey or colour, skew up to 1.5 degrees,
speckle, JPEG quality 60-90, coloured type printed mid-grey, a photocopy's shadow), read
back with real Tesseract and checked against the values each edition was built from.

OCR costs about 4 s a page on both cores, so each cell scans one theme's pages only, and
only a few representative cells run by default; the rest are marked `heavy_ocr`
(`pytest -m "not heavy_ocr"` leaves them out). The whole table is `bench/ocr_table.py`.
"""

import sys
from pathlib import Path

import pytest

from html_variants import LAYOUTS, compare, write_html_guide
from pipeline.read import ocr, tesseract
from pipeline.run import extract_guide
from scans import SCANS, Scan, edition_accuracy, scan_pdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from ocr_table import portrait_edition, theme_pages, wp_edition  # noqa: E402

pytestmark = [
    pytest.mark.skipif(not tesseract.tesseract_found(), reason="tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)"),
    pytest.mark.slow,  # Tesseract on scanned pages
]

_SECTIONS = ("about", "resources", "evidence", "challenges", "transfer")


def _read(tmp_path, edition: str, scan: Scan, theme: int = 1, max_pages: int | None = None):
    if edition == "portrait":
        pdf, expected = portrait_edition(tmp_path / "portrait.pdf")
    elif edition.startswith("wp-"):
        pdf, expected = wp_edition(tmp_path / f"{edition}.pdf", edition[3:])
    else:
        pdf, expected = write_html_guide(tmp_path / f"{edition}.pdf", LAYOUTS[edition])
    pages, wanted = theme_pages(pdf, expected, theme, max_pages)
    return extract_guide(scan_pdf(pdf, tmp_path / "scan.pdf", pages=pages, scan=scan)), wanted


def _check(guide, wanted):
    """Every practice found; 90% of core fields and 85% of values exact (the bar of #19,
    measured as the sample guide's scans are: `scans.accuracy`)."""
    titles = [p.title for p in guide.practices]
    assert [p["title"] for p in wanted["practices"] if p["title"] not in titles] == []
    result = edition_accuracy(guide, wanted)
    assert result["core_exact"] >= 0.9, result["misses"]
    assert result["values_exact"] >= 0.85, result["misses"]
    return result


@pytest.fixture(scope="module")
def office_scan(tmp_path_factory):
    """The issue's scan: 200 dpi grey, a fraction of a degree, light noise, JPEG 80,
    coloured headings and the fact panel printed mid-grey."""
    return _read(tmp_path_factory.mktemp("office"), "flow-grid", SCANS["office-200"])


def test_office_scan_of_a_browser_edition_meets_the_bar(office_scan):
    guide, wanted = office_scan
    _check(guide, wanted)


def test_grey_section_headings_are_recognised_without_bold_or_colour(office_scan):
    guide, wanted = office_scan
    by_title = {p.title: p for p in guide.practices}
    for want in wanted["practices"]:
        got = by_title[want["title"]]
        # each section the card prints is found (its heading recognised), none runs into
        # the one before
        present = [key for key in _SECTIONS if want["sections"][key]]
        assert [key for key in _SECTIONS if getattr(got.sections, key)] == present, got.title
        assert "missing_section" not in {w.code for w in got.warnings if w.field in present}


def test_fact_labels_on_a_grey_panel_are_read(office_scan):
    guide, wanted = office_scan
    misses = compare(guide, wanted)
    assert misses["institution"] == []
    found = sum(1 for p in wanted["practices"]) - len(misses["websites"])
    assert found >= len(wanted["practices"]) - 1, misses["websites"]


def test_amounts_read_by_ocr_keep_their_confidence(office_scan):
    guide, _ = office_scan
    amounts = [(p, i) for p in guide.practices for i, _ in enumerate(p.budgets)]
    assert amounts
    for practice, i in amounts:
        spans = practice.provenance[f"budgets[{i}]"]
        assert all(s.confidence is not None for s in spans)
        low = min(s.confidence for s in spans) < 60
        named = [w for w in practice.warnings if w.code == "ocr_low_confidence" and w.field == "budgets" and practice.budgets[i].raw in w.message]
        assert bool(named) is low, (practice.title, practice.budgets[i].raw)


@pytest.mark.parametrize(
    "edition, scan",
    [
        ("portrait", "colour-200"),
        # a 150 dpi scan and a heavily speckled one (issue #19): cleaned at the scan's own
        # resolution before it is interpolated up (docs/ocr.md)
        pytest.param("portrait", "grey-150", marks=pytest.mark.heavy_ocr),
        pytest.param("portrait", "speckled-200", marks=pytest.mark.heavy_ocr),
        # measured failing (no cards), a physical limit: the teal labels on the dark fact
        # panel print 6 grey levels above it (of 170 from ink to paper), under the scan's
        # noise (per-pixel signal to noise 0.76 after JPEG); see docs/ocr.md
        pytest.param("no-bold", "photocopy-200", marks=[pytest.mark.heavy_ocr, pytest.mark.xfail(reason="labels 6 grey levels above their panel, under the noise: docs/ocr.md, known limits")]),
        # its theme is a divider page whose 60 pt number Tesseract's layout analysis skipped
        pytest.param("sidebar", "office-200", marks=pytest.mark.heavy_ocr),
        # measured on its first card (bench/RESULTS.md, "Scan resolution and noise"): 66.7%
        # core, was 22.2% (the theme of its divider page, an e-mail wrapped in the sidebar,
        # an 'l' of the web address read 'i')
        pytest.param("sidebar", "grey-150", marks=[pytest.mark.heavy_ocr, pytest.mark.xfail(reason="measured: 66.7% of core fields on its first card (divider-page theme, wrapped e-mail, 'l' read 'i')")]),
        # a title's lone hyphen was read as an en dash (its box took in the letters beside it)
        pytest.param("table", "grey-300", marks=pytest.mark.heavy_ocr),
        pytest.param("panel-columns", "speckled-200", marks=[pytest.mark.heavy_ocr, pytest.mark.xfail(reason="measured: 88.9% of core fields on its first two cards (letters of web addresses)")]),
        # the capital labels, yellow on a dark panel printed mid-grey, were dropped by
        # Tesseract's threshold (no card) until each panel pixel was turned against the
        # brightest type around it; now every card, 88.9% of core fields (bench/RESULTS.md)
        pytest.param("columns-caps", "office-200", marks=[pytest.mark.heavy_ocr, pytest.mark.xfail(reason="measured 88.9% of core fields: single letters of the panel's values ('Ledn', 'lagor Kovač')")]),
        # the same title's hyphen; and web addresses whose '//' before 'www.' was misread
        pytest.param("grid3-inline", "colour-200", marks=pytest.mark.heavy_ocr),
        pytest.param("modest-titles", "grey-150", marks=[pytest.mark.heavy_ocr, pytest.mark.xfail(reason="measured: 66.7% of core fields on its first two cards, every practice found (taglines lost, letters of addresses)")]),
    ],
)
def test_scan_of_a_generated_edition_meets_the_bar(tmp_path, edition, scan):
    guide, wanted = _read(tmp_path, edition, SCANS[scan])
    _check(guide, wanted)


def test_paragraph_running_on_at_a_column_top_is_no_section_heading(tmp_path):
    """Two text columns under each card: a paragraph runs on at the top of a page's
    column ('Foundation financing is based on the annual subsidy') or opens a block
    ('The funding for Access Innovation (£7,057,734.00)'). Both start their block and hold
    a word of the resources vocabulary, so on a scan (no weight or colour to go by) they
    were taken for headings: the resources section lost them, and the budget with them.
    The text wraps out of them into the next line, which a heading's does not. Measured
    before: sections 75.0%, values 85.7% (budget missed) on this scan."""
    guide, wanted = _read(tmp_path, "panel-columns", SCANS["grey-300"], max_pages=4)
    result = edition_accuracy(guide, wanted)
    assert [p.title for p in guide.practices][:2] == ["Future Industry Platform", "Access Innovation"]
    assert result["sections_found"] == 1.0, result["misses"]
    assert result["values_exact"] == 1.0, result["misses"]
    by_title = {p.title: p for p in guide.practices}
    assert [[m.raw, m.amount, m.currency] for m in by_title["Access Innovation"].budgets] == [["£7,057,734.00", 7057734.0, "GBP"]]
    # the paragraph runs on across the page break, one sentence (compared in small
    # letters: OCR of this scan has read its 'is' as 'Is')
    assert "advanced technologies. the foundation financing is based on the annual subsidy established by the ministry" in " ".join(
        by_title["Future Industry Platform"].sections.resources.split()
    ).lower()


def test_italic_tagline_at_body_size_is_read_on_a_scan(tmp_path):
    """Modest titles: the tagline is italic at 11 pt over 10.5 pt text, a size OCR
    cannot tell from the body's (it measures to +-5%), and Tesseract reports no style.
    The lean of its strokes, measured on the deskewed image (read/slant.py), marks it
    italic. Measured before: no tagline found on either card (core 72.2%)."""
    guide, wanted = _read(tmp_path, "modest-titles", SCANS["office-200"], max_pages=4)
    by_title = {p.title: p for p in guide.practices}
    for want in wanted["practices"]:
        assert by_title[want["title"]].summary == want["summary"]
    assert [want["summary"] for want in wanted["practices"]] == [
        "The Future Industry Platform was created to strengthen the competences and competitiveness of enterprises "
        "operating in Poland by supporting their transformation towards Industry 4.0.",
        "Access Innovation is a package of support to help businesses access specialist expertise needed to develop new "
        "products and processes to realise industry 4.0.",
    ]
    # the body under them is upright: its first section opens as printed
    assert by_title["Access Innovation"].sections.about.startswith("The Leeds City Region (LCR) has an internationally")


@pytest.mark.parametrize("scan", ["office-200", pytest.param("photocopy-200", marks=pytest.mark.heavy_ocr)])
def test_sidebar_beside_the_text_is_read_apart_from_it(tmp_path, scan):
    """A fact sidebar beside the card's text, under a title and tagline set across both:
    no gutter runs down the whole page, and Tesseract joined the sidebar's lines with the
    text beside them ('Jan Kochanowski University of About this good practice', 'EO
    VIALabie Future Industry Platform is'). The gutter down the band of the page is cut
    at (read/columns.py), and the address the sidebar wrapped ('...lukasiewic' /
    'z.gov.pl', its 'o' read as a capital) is one again. Measured before: core 77.8%
    (office-200), 44.4% and values 0% (photocopy-200); the whole first card exact now."""
    guide, wanted = _read(tmp_path, "sidebar", SCANS[scan], max_pages=4)
    result = _check(guide, wanted)
    assert result["misses"] == {}
    want = wanted["practices"][0]
    assert want["contacts"] == [["Joanna Labedzka", "Jan Kochanowski University of Kielce", "joanna.labedzka@itee.lukasiewicz.gov.pl"]]
    assert want["period"] == "February 2019 - ongoing"


def test_ruled_fact_table_of_a_word_processor_guide_is_read_on_a_scan(tmp_path):
    """A word-processor guide puts each practice's facts in a ruled two-column table with
    plain labels: on a scan the rules are pixels, found in the image (read/rules.py) and
    made into cells by pdfplumber's table algorithm, as the text layer's are. Its first
    card (the cover to its last page) scanned the office way, read back exact."""
    guide, wanted = _read(tmp_path, "wp-shaded", SCANS["office-200"], max_pages=4)
    # the fourth page also holds the start of the second card, found by its own table
    assert [p.title for p in guide.practices] == [p["title"] for p in wanted["practices"]] + ["Access Innovation"]
    result = edition_accuracy(guide, wanted)
    # every core field but the tagline exact, and every value: the tagline ('The Future
    # Industry Platform was created to strengthen') is not found on the text layer
    # either (measured: summary None there too), so it is no reading of the scan's
    assert sorted(result["misses"]) == ["summary"], result["misses"]
    assert result["values_exact"] == 1.0
    assert guide.practices[0].institution == wanted["practices"][0]["institution"] == "Future Industry Platform State Treasury Foundation"


def test_scan_maker_is_seeded(tmp_path):
    """The same scan settings make the same pixels, and another seed other ones: a
    failing cell can be looked at again."""
    import numpy as np
    import pypdfium2

    from scans import scan_page

    pdf_path, _ = portrait_edition(tmp_path / "portrait.pdf")
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    try:
        scan = SCANS["photocopy-200"]
        one, two = (np.asarray(scan_page(pdf, 1, scan.dpi, scan.angle, 9, scan)) for _ in range(2))
        other = np.asarray(scan_page(pdf, 1, scan.dpi, scan.angle, 10, scan))
    finally:
        pdf.close()
    assert np.array_equal(one, two)
    assert not np.array_equal(one, other)
