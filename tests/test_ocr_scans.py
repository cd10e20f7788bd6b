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
        pytest.param("modest-titles", "grey-150", marks=[pytest.mark.heavy_ocr, pytest.mark.xfail(reason="measured: 72.2% of core fields on its first two cards, every practice found (taglines lost as on the text layer; an e-mail wrapped and split before a dot; a web address's 't/' read 'v')")]),
    ],
)
def test_scan_of_a_generated_edition_meets_the_bar(tmp_path, edition, scan):
    guide, wanted = _read(tmp_path, edition, SCANS[scan])
    _check(guide, wanted)


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


@pytest.mark.heavy_ocr
def test_light_type_on_a_grey_panel_scanned_at_150_dpi(tmp_path):
    """`grid3-inline` at 150 dpi (grey, coloured type and panels printed mid-grey): its
    fact panel prints light values on mid-grey, one or two pixels a stroke. Its specks,
    drawn by PDFium over two rows each, survived the cleaning and were read as periods and
    letters after the values ('Leeds City Region LEP a', 'West Yorkshire. .', 'January
    2017 – March 202C .'), and the dots of its i's were cleaned away ('Foundauon'):
    measured 55.6% of core fields before (bench/RESULTS.md), every one of these exact now."""
    guide, wanted = _read(tmp_path, "grid3-inline", SCANS["grey-150"], max_pages=4)
    by_title = {p.title: p for p in guide.practices}
    assert [p["title"] for p in wanted["practices"]] == ["Future Industry Platform", "Access Innovation"]
    for want in wanted["practices"]:
        got = by_title[want["title"]]
        assert got.institution == want["institution"]
        assert got.location.raw == want["location"]
        assert got.period.raw == want["period"]
        assert [got.period.start, got.period.end, got.period.ongoing] == want["period_parsed"]
    first, second = (by_title[p["title"]] for p in wanted["practices"])
    assert second.institution == "Leeds City Region LEP" and second.period.raw == "January 2017 – March 2020"
    assert first.websites == wanted["practices"][0]["websites"] == ["https://przemyslprzyszlosci.gov.pl"]
    # the e-mail, wrapped in the panel and split by OCR where its pieces' boxes overlap
    # ('joanna.' and 'labedzka@...'), is one address; no speck over an 'n' made an accent
    assert [[c.name, c.organisation, c.email] for c in first.contacts] == wanted["practices"][0]["contacts"] == [
        ["Joanna Labedzka", "Jan Kochanowski University of Kielce", "joanna.labedzka@itee.lukasiewicz.gov.pl"]]
    result = edition_accuracy(guide, wanted)
    # measured 94.4%: only the second card's web address misses ('support/' read 'supporv')
    assert result["core_exact"] >= 0.9 and sorted(result["misses"]) == ["websites"], result["misses"]
