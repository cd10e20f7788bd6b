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
from pipeline.read import tesseract
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


def test_contacts_and_web_addresses_of_the_office_scan_are_exact(office_scan):
    """Measured before: a web address wrapped over two lines whose second piece was read
    'supporvconnecting-innovation/' at confidence 24 ('t/' set tight): read again
    enlarged (read/addresses.py), it is exact."""
    guide, wanted = office_scan
    by_title = {p.title: p for p in guide.practices}
    for want in wanted["practices"]:
        got = by_title[want["title"]]
        assert [[c.name, c.organisation, c.email] for c in got.contacts] == want["contacts"], got.title
        assert got.websites == want["websites"], got.title


def test_contacts_and_web_addresses_read_by_ocr_keep_their_confidence(office_scan):
    """A contact or a web address with a word OCR read below 60 carries an
    `ocr_low_confidence` warning naming the value, and the least sure word when the
    value is more than that word; one read surer carries none."""
    guide, _ = office_scan
    checked = 0
    for practice in guide.practices:
        for field in ("contacts", "websites"):
            spans = practice.provenance.get(field)
            if not spans:
                continue
            checked += 1
            assert all(s.confidence is not None for s in spans)
            low = min(s.confidence for s in spans) < 60
            named = [w for w in practice.warnings if w.code == "ocr_low_confidence" and w.field == field]
            assert bool(named) is low, (practice.title, field)
            values = practice.websites if field == "websites" else [c.email or c.name or c.organisation for c in practice.contacts]
            for warning in named:
                assert all(value in warning.message for value in values), warning.message
    assert checked == 2 * len(guide.practices)


@pytest.mark.parametrize(
    "edition, scan, why",
    [
        # the English model split the e-mail at a dot it lost and the Latin model read it
        # whole; the web address's scheme was read 'htips' and a wrapped piece 'supporv/'
        ("grid3-inline", "office-200", "split e-mail, wrapped web address"),
        # a serif face in a ruled table: its baselines were taken for rules and wiped
        # with the letters' feet ('labedzka' read 'lahedzka')
        ("wp-italic", "grey-300", "serif feet on a table's rule"),
        # the e-mail's top-level domain read 'pi' by both models (fields/hosts.py)
        ("grid3-inline", "grey-300", "top-level domain read 'pi'"),
        # letters of addresses decided by the ink (glyphs.address_letters, address_bars):
        # 'lukasiewic2' and 'Jukasiewic2' for 'lukasiewicz', 'przemysiprzyszlosci' (an
        # 'h' broken into two bars), 'supporvconnecting' for 't/', 'Kochanowsk!' (its
        # i's dot lost); measured 83.3% of core fields before, 100% now
        pytest.param("flow-grid", "grey-150", "letters of addresses at 150 dpi", marks=pytest.mark.heavy_ocr),
        # 'supporvconnecting' on a photocopy (94.4% before); a scheme read twice
        # ('https://hittps:/Awww.', fields/hosts.py) on another
        pytest.param("flow-grid", "photocopy-200", "'t/' read 'v' on a photocopy", marks=pytest.mark.heavy_ocr),
        pytest.param("grid3-inline", "photocopy-200", "a scheme read twice", marks=pytest.mark.heavy_ocr),
        # a speck before 'Web presence:' read as a quote mark (confidence 77) hid the label,
        # and the web address under it was lost (94.4% of core fields before)
        pytest.param("flow-grid", "grey-200", "a quote-mark speck before a label", marks=pytest.mark.heavy_ocr),
    ],
)
def test_contacts_and_web_addresses_of_a_scan_are_exact(tmp_path, edition, scan, why):
    guide, wanted = _read(tmp_path, edition, SCANS[scan], max_pages=4)
    by_title = {p.title: p for p in guide.practices}
    for want in wanted["practices"]:
        got = by_title[want["title"]]
        assert [[c.name, c.organisation, c.email] for c in got.contacts] == want["contacts"], (why, got.title)
        assert got.websites == want["websites"], (why, got.title)


@pytest.mark.heavy_ocr
def test_an_email_split_before_a_dot_on_a_speckled_scan_is_one_address(tmp_path):
    """`grid3-inline` scanned with heavy paper noise (`speckled-200`): OCR split the
    e-mail before a dot ('joanna.labedzka@itee' '.lukasiewicz.g', the boxes 0.7 pt apart),
    no e-mail was found, and the address went into the organisation (88.9% of core
    fields). Now each contact is exact, and with the second card's web address ('Avww'
    for the '//www' before its host, glyphs.scheme_repaired) every core field."""
    guide, wanted = _contacts_exact(tmp_path, "grid3-inline", "speckled-200")
    assert edition_accuracy(guide, wanted)["misses"] == {}


def _contacts_exact(tmp_path, edition: str, scan: str):
    """The edition's first two cards scanned so: every contact exact (the first card's
    is the wrapped e-mail of the two-part name). Returns the guide and its values."""
    guide, wanted = _read(tmp_path, edition, SCANS[scan], max_pages=4)
    by_title = {p.title: p for p in guide.practices}
    assert [p["title"] for p in wanted["practices"]] == ["Future Industry Platform", "Access Innovation"]
    for want in wanted["practices"]:
        got = by_title[want["title"]]
        assert [[c.name, c.organisation, c.email] for c in got.contacts] == want["contacts"], got.title
    assert wanted["practices"][0]["contacts"] == [["Joanna Labedzka", "Jan Kochanowski University of Kielce", "joanna.labedzka@itee.lukasiewicz.gov.pl"]]
    return guide, wanted


@pytest.mark.heavy_ocr
def test_an_emails_dot_only_the_ink_shows_at_150_dpi(tmp_path):
    """`panel-columns` scanned grey at 150 dpi: OCR read the e-mail as 'joanna'
    'labedzka@itee.lukasiewicz.gov.pl', its period in the ink but in neither word, so
    'joanna' went into the organisation and the address lost its first name (83.3% of
    core fields). Now each contact is exact."""
    _contacts_exact(tmp_path, "panel-columns", "grey-150")


@pytest.mark.heavy_ocr
def test_a_speck_over_a_letter_read_once_is_no_accent_at_150_dpi(tmp_path):
    """`table` scanned grey at 150 dpi: a speck over the 'c' of 'March' was read by the
    Latin model as a dot accent at 92 and taken ('January 2017 – Marċh 2020'), so the
    period's end lost its month (88.9% of core fields). A dot read once is a speck now:
    every core field and value of both cards is exact."""
    guide, wanted = _read(tmp_path, "table", SCANS["grey-150"], max_pages=4)
    by_title = {p.title: p for p in guide.practices}
    second = by_title[wanted["practices"][1]["title"]]
    assert second.period.raw == wanted["practices"][1]["period"] == "January 2017 – March 2020"
    assert [second.period.start, second.period.end, second.period.ongoing] == ["2017-01", "2020-03", False]
    assert edition_accuracy(guide, wanted)["misses"] == {}


def test_a_colour_scans_theme_band_edge_does_not_hide_the_theme(tmp_path):
    """The colour scan of a theme band: its left edge was read as a '|' a size before the
    theme's number ('| 1 Regional ...') and the theme was not recognised, so no practice
    had one; and a speck on a line of its own over a contact's name made the name part
    of the organisation (`panel-columns`). Now the theme, and each contact, are exact."""
    guide, wanted = _read(tmp_path, "panel-columns", SCANS["colour-200"], max_pages=4)
    # (its title is read with the '0' of 'I4.0' out of place: the number is what is checked)
    assert [t.number for t in guide.themes] == [1]
    by_title = {p.title: p for p in guide.practices}
    for want in wanted["practices"]:
        got = by_title[want["title"]]
        assert got.theme.number == want["theme"] == 1
        assert [[c.name, c.organisation, c.email] for c in got.contacts] == want["contacts"], got.title


def test_both_edges_of_a_colour_theme_band_are_no_lines_over_its_heading(tmp_path):
    """`flow-grid` scanned in colour at 200 dpi: Tesseract read the dark theme band's left
    and right edges as lines '|  |' a page wide; the closing bar was kept and made lines of
    their own over the theme's heading, and the heading's first line was a bar, not '1
    Regional ...': no theme was found, and neither practice had one (88.9% of core
    fields, bench/ocr_table.py). Now every core field and value of both cards is exact."""
    guide, wanted = _read(tmp_path, "flow-grid", SCANS["colour-200"], max_pages=4)
    assert [t.number for t in guide.themes] == [1]
    by_title = {p.title: p for p in guide.practices}
    assert [p["title"] for p in wanted["practices"]] == ["Future Industry Platform", "Access Innovation"]
    for want in wanted["practices"]:
        assert by_title[want["title"]].theme.number == want["theme"] == 1
    assert edition_accuracy(guide, wanted)["misses"] == {}


def test_a_value_run_on_after_its_label_and_an_email_wrapped_at_a_panels_edge(tmp_path):
    """`grid3-inline` scanned grey at 200 dpi, labels and values run on in three columns:
    'Timescale (start/end date): January' over '2017 – March 2020' (measured a point
    smaller) was taken for a whole-line label set apart by size, and 'January' was lost;
    the e-mail's wrapped 'ov.pl' was read with the panel's right edge as 'ov.pl |', so it
    was not joined and became a second contact (83.3% of core fields). Now exact."""
    guide, wanted = _read(tmp_path, "grid3-inline", SCANS["grey-200"], max_pages=4)
    by_title = {p.title: p for p in guide.practices}
    assert [p["title"] for p in wanted["practices"]] == ["Future Industry Platform", "Access Innovation"]
    first, second = (by_title[p["title"]] for p in wanted["practices"])
    assert [[c.name, c.organisation, c.email] for c in first.contacts] == wanted["practices"][0]["contacts"] == [
        ["Joanna Labedzka", "Jan Kochanowski University of Kielce", "joanna.labedzka@itee.lukasiewicz.gov.pl"]]
    assert second.period.raw == wanted["practices"][1]["period"] == "January 2017 – March 2020"
    assert [second.period.start, second.period.end, second.period.ongoing] == ["2017-01", "2020-03", False]
    assert edition_accuracy(guide, wanted)["misses"] == {}


@pytest.mark.parametrize(
    "edition, scan",
    [
        ("portrait", "colour-200"),
        # a 150 dpi scan and a heavily speckled one (issue #19): cleaned at the scan's own
        # resolution before it is interpolated up (docs/ocr.md)
        pytest.param("portrait", "grey-150", marks=pytest.mark.heavy_ocr),
        pytest.param("portrait", "speckled-200", marks=pytest.mark.heavy_ocr),
        # the teal labels on the dark fact panel print 6 grey levels above it (of 170 from
        # ink to paper), under the scan's noise: a physical limit (docs/ocr.md). The cards
        # are found without them, by their values and section headings
        # (cards/unlabelled.py); at the bar on the whole theme since the addresses' i's
        # and l's are read from their bars' ink
        pytest.param("no-bold", "photocopy-200", marks=pytest.mark.heavy_ocr),
        # its theme is a divider page whose 60 pt number Tesseract's layout analysis skipped
        pytest.param("sidebar", "office-200", marks=pytest.mark.heavy_ocr),
        # was 22.2% then 66.7% core (the theme of its divider page, an e-mail wrapped in the
        # sidebar, an 'l' of the web address read 'i'); at the bar since the sidebar is
        # read apart from the text beside it (gutters down a band of the page)
        pytest.param("sidebar", "grey-150", marks=pytest.mark.heavy_ocr),
        # a title's lone hyphen was read as an en dash (its box took in the letters beside it)
        pytest.param("table", "grey-300", marks=pytest.mark.heavy_ocr),
        # a speck widened the box of a title's first word over the dash after it, and the
        # word was made a line of its own ('GOSTOP' lost from its title: the practice not found)
        pytest.param("panel-columns", "speckled-200", marks=pytest.mark.heavy_ocr),
        # the capital labels, yellow on a dark panel printed mid-grey, were dropped by
        # Tesseract's threshold (no card) until each panel pixel was turned against the
        # brightest type around it; at the bar since the e-mail's pieces are joined
        pytest.param("columns-caps", "office-200", marks=pytest.mark.heavy_ocr),
        # the same title's hyphen; and web addresses whose '//' before 'www.' was misread
        pytest.param("grid3-inline", "colour-200", marks=pytest.mark.heavy_ocr),
        # a scheme's colon read as a stop ('https.//www.'), which then got a second scheme
        pytest.param("modest-titles", "grey-150", marks=pytest.mark.heavy_ocr),
    ],
)
def test_scan_of_a_generated_edition_meets_the_bar(tmp_path, edition, scan):
    guide, wanted = _read(tmp_path, edition, SCANS[scan])
    _check(guide, wanted)


def test_cards_whose_labels_vanished_on_a_scan_are_found_by_their_values(tmp_path):
    """The `no-bold` edition's teal labels on its dark-blue fact panel both print as
    mid-grey: on the office scan the labels are gone (docs/ocr.md), and no card was found.
    What survives is read instead (cards/unlabelled.py): the title's size, the values
    that say what they are (an e-mail, a web address, a date range, a place), the one
    value left (the institution) and the section headings under them. Its first two
    cards, every fact (the web addresses' i's and l's read from their bars' ink); the
    theme's kicker 'THEME 1', letter-spaced grey capitals Tesseract's layout skipped, is
    read again (read/display.py)."""
    guide, wanted = _read(tmp_path, "no-bold", SCANS["office-200"], max_pages=4)
    by_title = {p.title: p for p in guide.practices}
    assert [p["title"] for p in wanted["practices"]] == ["Future Industry Platform", "Access Innovation"]
    for want in wanted["practices"]:
        got = by_title[want["title"]]
        assert got.theme.number == want["theme"] == 1
        assert got.institution == want["institution"]
        assert got.location.raw == want["location"]
        assert [[c.name, c.organisation, c.email] for c in got.contacts] == want["contacts"]
        assert got.period.raw == want["period"]
        assert [got.period.start, got.period.end, got.period.ongoing] == want["period_parsed"]
        # the steward is told the facts were placed by their values
        told = [w for w in got.warnings if w.code == "ocr_labels_unread"]
        assert [w.field for w in told] == ["institution"]
        assert "(institution, location, contact, website, period)" in told[0].message
    assert by_title["Access Innovation"].institution == "Leeds City Region LEP"
    assert by_title["Access Innovation"].location.raw == "West Yorkshire"
    result = edition_accuracy(guide, wanted)
    # the web addresses too since their i's and l's are read from the bars' ink
    assert result["misses"] == {}, result["misses"]
    assert result["values_exact"] == 1.0 and result["sections_found"] == 1.0


@pytest.mark.heavy_ocr
def test_an_unlabelled_cards_facts_on_the_page_after_its_title_are_its_own(tmp_path):
    """The `no-bold` edition's second theme on the office scan, its labels lost: the
    second card's title and tagline close a page and its fact panel opens the next. Its
    values were typed only on the title's page, so the card kept no institution,
    location, period or web address, and its contact only the e-mail (a whole guide:
    three cards so). The page after the title is read for them too."""
    guide, wanted = _read(tmp_path, "no-bold", SCANS["office-200"], theme=2, max_pages=5)
    by_title = {p.title: p for p in guide.practices}
    assert [p["title"] for p in wanted["practices"]] == ["Advanced Manufacturing Research Centre", "3M Buckley Innovation Centre"]
    split = by_title["3M Buckley Innovation Centre"]
    assert split.pages == [4, 5]  # of the scan: the cover, then the theme's pages 8-11
    assert split.institution == "3M Buckley Innovation Centre"
    assert split.location.raw == "West Yorkshire, UK"
    assert [[c.name, c.organisation, c.email] for c in split.contacts] == [
        ["Bryony Chipp", "West Yorkshire Combined Authority", "bryony.chipp@westyorks-ca.gov.uk"]]
    assert split.period.raw == "2012 - ongoing"
    assert split.websites == ["https://3mbic.com"]
    result = edition_accuracy(guide, wanted)
    assert result["misses"] == {}, result["misses"]


def test_cards_whose_labels_vanished_are_found_where_another_cards_survived(tmp_path):
    """The `no-bold` edition scanned in colour at 200 dpi: the teal labels on the dark-blue
    panel were lost on the first two cards but read on the third (cut short by the scan,
    its sections on a page not scanned), so the labelled reading found that one card
    and the reading by values was never tried: neither of the first two cards was found
    (0 of 2 practices, bench/ocr_table.py). Both are found now, every fact exact."""
    guide, wanted = _read(tmp_path, "no-bold", SCANS["colour-200"], max_pages=4)
    by_title = {p.title: p for p in guide.practices}
    assert [p["title"] for p in wanted["practices"]] == ["Future Industry Platform", "Access Innovation"]
    assert [p.title for p in guide.practices][:2] == ["Future Industry Platform", "Access Innovation"]
    for want in wanted["practices"]:
        got = by_title[want["title"]]
        assert got.institution == want["institution"]
        assert got.location.raw == want["location"]
        assert [[c.name, c.organisation, c.email] for c in got.contacts] == want["contacts"]
        assert got.period.raw == want["period"]
    result = edition_accuracy(guide, wanted)
    assert result["core_exact"] >= 0.9 and result["values_exact"] == 1.0, result["misses"]


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


@pytest.fixture(scope="module")
def modest_scan(tmp_path_factory):
    """The `modest-titles` edition (13 pt titles over 10.5 pt text), its first two cards
    and the title of the third at the foot of the last page, scanned the office way."""
    return _read(tmp_path_factory.mktemp("modest"), "modest-titles", SCANS["office-200"], max_pages=4)


def test_an_email_split_at_a_lost_dot_where_its_host_wraps_is_one_address(modest_scan):
    """On the `modest-titles` office scan OCR read the e-mail 'joanna.labedzka@itee'
    'lukasiewicz.g', the dot between lost and the host wrapped after 'g': the piece was
    no whole host ('.g'), so it was not joined, no e-mail was found, and the address went
    into the organisation. Each contact is exact now."""
    guide, wanted = modest_scan
    by_title = {p.title: p for p in guide.practices}
    for want in wanted["practices"]:
        got = by_title[want["title"]]
        assert [[c.name, c.organisation, c.email] for c in got.contacts] == want["contacts"], got.title
    assert wanted["practices"][0]["contacts"] == [["Joanna Labedzka", "Jan Kochanowski University of Kielce", "joanna.labedzka@itee.lukasiewicz.gov.pl"]]


def test_italic_tagline_at_body_size_is_read_on_a_scan(modest_scan):
    """Modest titles: the tagline is italic at 11 pt over 10.5 pt text, a size OCR
    cannot tell from the body's (it measures to +-5%), and Tesseract reports no style.
    The lean of its strokes, measured on the deskewed image (read/slant.py), marks it
    italic. Measured before: no tagline found on either card (core 72.2%)."""
    guide, wanted = modest_scan
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


def test_next_cards_title_ends_the_section_and_lost_bullets_are_restored_on_a_scan(modest_scan):
    """The scan ends with the third card's title and tagline, its facts on the next page,
    not scanned: a heading with no facts under it starts no card, and its words name no
    section, so it ran into the second card's 'transfer' section; on the text layer the
    title's weight and size end the section. On the scan its size alone (1.18 times the
    body's, alone on its line) ends it (cards/segment.py). And Tesseract returned no word
    for two of the evidence list's bullets, so their items ran into the one before; the
    disc left of the line is read as the bullet (read/bullets.py). Measured before:
    sections 87.5% ('transfer' ran on with 'Centr@tec Programme 2nd edition'), the
    evidence list three items of four."""
    guide, wanted = modest_scan
    result = edition_accuracy(guide, wanted)
    assert result["sections_found"] == 1.0, result["misses"]
    got = {p.title: p for p in guide.practices}["Access Innovation"].sections
    want = wanted["practices"][1]["sections"]
    assert [line for line in got.evidence.splitlines() if line.startswith("- ")] == [
        line for line in want["evidence"].splitlines() if line.startswith("- ")
    ] == [
        "- There is a demand for a product of this nature, as evidenced with the number of businesses supported",
        "- Accessible to a wide section of business sectors. The biggest demand was from manufacturing businesses.",
        "- Has supported interesting product developments.",
        "- Successor programme “Connecting Innovation” – currently in development for delivery.",
    ]
    # the third card's kicker over its title stays at the section's end, as it does on
    # the text layer of the same pages (it is a card's kicker only once the card is found)
    text, kicker = got.transfer.rsplit("\n\n", 1)
    assert kicker == "GOOD PRACTICE 3"
    assert text.endswith("Business case studies are available of those SMEs who were supported through the programme.")
    assert "Centr@tec" not in got.transfer


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
    # every core field exact (the `shaded` style prints no tagline, and none is read),
    # and every value
    assert result["misses"] == {}, result["misses"]
    assert guide.practices[0].summary is None
    assert result["values_exact"] == 1.0
    assert guide.practices[0].institution == wanted["practices"][0]["institution"] == "Future Industry Platform State Treasury Foundation"


@pytest.mark.heavy_ocr
def test_body_size_italic_tagline_of_a_word_processor_guide_is_read_on_a_scan(tmp_path):
    """`wp-italic` sets its tagline in 11 pt italic over 10 pt text: the text layer knows
    the italic, but OCR measures neither slant nor that small a step in size (both lines
    read as body type on the office scan), so the tagline was lost. Read by its place, the
    short paragraph between the title and the fact table under it, it is whole; the
    second card, whose tagline starts on the fourth page, is read too."""
    guide, wanted = _read(tmp_path, "wp-italic", SCANS["office-200"], max_pages=4)
    by_title = {p.title: p for p in guide.practices}
    want = wanted["practices"][0]
    assert by_title[want["title"]].summary == want["summary"] == (
        "The Future Industry Platform was created to strengthen the competences and competitiveness of enterprises "
        "operating in Poland by supporting their transformation towards Industry 4.0."
    )
    assert by_title["Access Innovation"].summary == (
        "Access Innovation is a package of support to help businesses access specialist expertise needed to develop "
        "new products and processes to realise industry 4.0."
    )
    result = edition_accuracy(guide, wanted)
    # the e-mail too, since a serif face's baselines are no table rules (its 'b' had lost
    # its foot with them and read 'h')
    assert result["misses"] == {}, result["misses"]


@pytest.mark.heavy_ocr
def test_a_paragraph_opening_with_a_sections_words_is_no_heading_on_a_scan(tmp_path):
    """`wp-word-defaults` ends its first card's transfer section with a paragraph opening
    'The practice may be of interest to other' / 'regions because ...': read by OCR, the
    first line named a section by its words ('the practice': about) and stood first in
    its block, so it was taken for a heading and the paragraph left the section. Its
    sentence runs on into the next line (a small letter), which no heading's does."""
    guide, wanted = _read(tmp_path, "wp-word-defaults", SCANS["office-200"], max_pages=4)
    want = wanted["practices"][0]
    got = {p.title: p for p in guide.practices}[want["title"]]
    assert got.sections.transfer.split("\n")[-1] == want["sections"]["transfer"].split("\n")[-1] == (
        "The practice may be of interest to other regions because of its transferability potential to different "
        "levels of application (national, regional, organizational)."
    )
    result = edition_accuracy(guide, wanted)
    assert result["misses"] == {} and result["sections_found"] == 1.0, result["misses"]


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


@pytest.fixture(scope="module")
def grid3_grey_150(tmp_path_factory):
    return _read(tmp_path_factory.mktemp("grid3-150"), "grid3-inline", SCANS["grey-150"], max_pages=4)


@pytest.mark.heavy_ocr
def test_light_type_on_a_grey_panel_scanned_at_150_dpi(grid3_grey_150):
    """`grid3-inline` at 150 dpi (grey, coloured type and panels printed mid-grey): its
    fact panel prints light values on mid-grey, one or two pixels a stroke. Its specks,
    drawn by PDFium over two rows each, survived the cleaning and were read as periods and
    letters after the values ('Leeds City Region LEP a', 'West Yorkshire. .', 'January
    2017 – March 202C .'), and the dots of its i's were cleaned away ('Foundauon'):
    measured 55.6% of core fields before (bench/RESULTS.md), every one of these exact now."""
    guide, wanted = grid3_grey_150
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
    # no speck over an 'n' made an accent; the e-mail is one address (its letters: below)
    assert [[c.name, c.organisation] for c in first.contacts] == [["Joanna Labedzka", "Jan Kochanowski University of Kielce"]]
    assert first.contacts[0].email.startswith("joanna.labedzka@itee.lukasiewic") and first.contacts[0].email.endswith(".gov.pl")
    result = edition_accuracy(guide, wanted)
    # the second card's web address ('support/' read 'supporv', 'www' read 'wwew') and the
    # first card's e-mail (below) are exact since their letters are decided by the ink
    # (glyphs.address_letters)
    assert result["misses"] == {}, result["misses"]


@pytest.mark.heavy_ocr
def test_an_email_wrapped_in_a_light_panel_at_150_dpi_is_exact(grid3_grey_150):
    """The e-mail, wrapped in the panel and split by OCR where its pieces' boxes overlap
    ('joanna.' and 'labedzka@...'), is one address, every letter as printed: its 'z' was
    read '2' ('lukasiewic2'), a glyph no taller than the x-height, which no digit is
    (glyphs.address_letters)."""
    guide, wanted = grid3_grey_150
    first = next(p for p in guide.practices if p.title == "Future Industry Platform")
    assert [[c.name, c.organisation, c.email] for c in first.contacts] == wanted["practices"][0]["contacts"] == [
        ["Joanna Labedzka", "Jan Kochanowski University of Kielce", "joanna.labedzka@itee.lukasiewicz.gov.pl"]]


@pytest.mark.heavy_ocr
def test_specks_beside_the_values_of_a_heavily_speckled_scan_are_no_punctuation(tmp_path):
    """`flow-grid` scanned with heavy paper noise (`speckled-200`: noise 9, dust 0.3%,
    JPEG 70): dust a pixel or two across, left beside type because an i-dot could stand
    there, was read as a comma inside the institution ('Future Industry Platform State
    Treasury, Foundation') and as a dash after the period ('January 2017 – March 2020 -').
    Measured 77.8% of core fields before (bench/ocr_table.py); both exact now."""
    guide, wanted = _read(tmp_path, "flow-grid", SCANS["speckled-200"], max_pages=4)
    by_title = {p.title: p for p in guide.practices}
    assert [p["title"] for p in wanted["practices"]] == ["Future Industry Platform", "Access Innovation"]
    first, second = (by_title[p["title"]] for p in wanted["practices"])
    assert first.institution == wanted["practices"][0]["institution"] == "Future Industry Platform State Treasury Foundation"
    assert second.period.raw == wanted["practices"][1]["period"] == "January 2017 – March 2020"
    assert [second.period.start, second.period.end, second.period.ongoing] == wanted["practices"][1]["period_parsed"]
    for want in wanted["practices"]:
        got = by_title[want["title"]]
        assert got.institution == want["institution"]
        assert got.period.raw == want["period"]
        assert got.location.raw == want["location"]


@pytest.mark.heavy_ocr
def test_garbled_labels_over_their_values_are_labels_not_values(tmp_path):
    """The `no-bold` edition on a plain 200 dpi grey scan: the teal labels survive in
    part, garbled ('Local Wr OL Ne t' over 'Poland', 'himescale (starvend date}' over a
    date range, an e-mail read 'henar.lopez @jcyl.es'). Before, the garbled label went
    into the location ('Local Wr OL Ne t Poland'), the third card (cut short by the
    scan) was not found and its facts went into the second card's (77.8% of core
    fields). A label line set smaller than a value that says its field is that field's
    label, and an e-mail parted at its '@' still says 'contact': every card is found.
    Tesseract then took a faint label with the 'Region' under it for one word, read
    'Sete' at 22 by both models ('Leeds City Sete LEP'); that word is read again in its
    own line's band (read/stretched.py): every fact is exact."""
    guide, wanted = _read(tmp_path, "no-bold", SCANS["grey-200"], max_pages=4)
    assert [p.title for p in guide.practices] == ["Future Industry Platform", "Access Innovation", "Centr@tec Programme 2nd edition"]
    result = edition_accuracy(guide, wanted)
    assert result["misses"] == {}, result["misses"]
    assert result["values_exact"] == 1.0 and result["sections_found"] == 1.0
    by_title = {p.title: p for p in guide.practices}
    assert by_title["Future Industry Platform"].location.raw == "Poland"
    assert by_title["Access Innovation"].location.raw == "West Yorkshire"
    assert by_title["Access Innovation"].institution == "Leeds City Region LEP"


@pytest.mark.heavy_ocr
def test_small_capitals_at_150_dpi_a_colon_speck_in_a_label_and_a_misread_ongoing(tmp_path):
    """`columns-caps` scanned grey at 150 dpi (labels in small capitals, no colon): the
    label 'MAIN INSTITUTION INVOLVED' read 'MAN INST: TUTION INVOLVED', a speck taken for
    a colon, so 'MAN INST' was a label in no vocabulary and the institution under it went
    into the preamble; and 'February 2019 - ongoing' read 'ongoina' at 90, so the period
    was not read as running (77.8% of core fields, bench/ocr_table.py). The label is
    read whole now and the period's word repaired from its closed vocabulary
    (fields/period_words.py): every field of both cards is exact."""
    guide, wanted = _read(tmp_path, "columns-caps", SCANS["grey-150"], max_pages=4)
    by_title = {p.title: p for p in guide.practices}
    first, second = (by_title[p["title"]] for p in wanted["practices"])
    assert second.institution == wanted["practices"][1]["institution"] == "Leeds City Region LEP"
    assert first.period.raw == wanted["practices"][0]["period"] == "February 2019 - ongoing"
    assert [first.period.start, first.period.end, first.period.ongoing] == ["2019-02", None, True]
    assert edition_accuracy(guide, wanted)["misses"] == {}


@pytest.mark.heavy_ocr
def test_a_speckled_scan_of_small_capitals_periods_a_name_and_a_web_address(tmp_path):
    """`columns-caps` with heavy paper noise (`speckled-200`): 'ongding' for 'ongoing',
    'March 3020' for 'March 2020' (at 62, beside 'January 2017'), 'Bryony. .Chipp' (a
    speck in the word space read as a stop into both words, so the name was no person's
    and went into the organisation) and the web address cut after 'business-' (its next
    piece, over it, read '“supportigrowth-_' at 0): 61.1% of core fields. The period's
    words come from its closed vocabulary, the year from the period's other year, the
    speck is dropped, and the address's touching pieces are read again whole."""
    guide, wanted = _read(tmp_path, "columns-caps", SCANS["speckled-200"], max_pages=4)
    by_title = {p.title: p for p in guide.practices}
    first, second = (by_title[p["title"]] for p in wanted["practices"])
    assert [first.period.raw, first.period.start, first.period.end, first.period.ongoing] == ["February 2019 - ongoing", "2019-02", None, True]
    assert [second.period.raw, second.period.start, second.period.end] == ["January 2017 – March 2020", "2017-01", "2020-03"]
    assert [[c.name, c.organisation, c.email] for c in second.contacts] == wanted["practices"][1]["contacts"] == [
        ["Bryony Chipp", "West Yorkshire Combined Authority", "bryony.chipp@westyorks-ca.gov.uk"]
    ]
    assert second.websites == wanted["practices"][1]["websites"] == ["https://www.the-lep.com/business-support/growth-support/connecting-innovation/"]


@pytest.mark.heavy_ocr
def test_a_speckled_scan_of_addresses_wrapped_on_a_dark_panel(tmp_path):
    """`modest-titles` with heavy paper noise (`speckled-200`), 88.9% of core fields on the
    merged code: the e-mail's host, split off after 'itee' and wrapped after 'g', read
    '.Jukasiewicz.g' (an 'l' read as a capital 'J', left alone because the piece by
    itself looked like no address); and the web address, wrapped over three lines, read
    'business--' (a speck beside the hyphen), then 'connecting-' with a speck after it
    read as a comma at 60 (which ended the address) and its last piece 'innovation/'
    read 'innovations' at 1 (the Latin model: 'innovation/' at 89). A piece that goes on
    with an address on its line has its bars decided as the address's, a dash that is a
    speck's ink and a comma a speck's height are dropped, and the Latin reading of a
    piece under an address is taken where only it is a piece and it is surer."""
    guide, wanted = _read(tmp_path, "modest-titles", SCANS["speckled-200"], max_pages=4)
    by_title = {p.title: p for p in guide.practices}
    first, second = (by_title[p["title"]] for p in wanted["practices"])
    assert [[c.name, c.organisation, c.email] for c in first.contacts] == wanted["practices"][0]["contacts"] == [
        ["Joanna Labedzka", "Jan Kochanowski University of Kielce", "joanna.labedzka@itee.lukasiewicz.gov.pl"]
    ]
    assert second.websites == wanted["practices"][1]["websites"] == ["https://www.the-lep.com/business-support/growth-support/connecting-innovation/"]
    result = edition_accuracy(guide, wanted)
    assert result["misses"] == {}, result["misses"]


def test_letters_read_into_bare_paper_beside_a_table_value_are_dropped(tmp_path):
    """`wp-shaded` on the plain 200 dpi grey scan: Tesseract read 'Rose' and 'Rear)'
    (confidence 25 and 35) into the grain of the paper at the right end of the contact's
    table cell, in boxes with no ink in them once the rules were wiped, and both went into
    the contact's name ('Rose Joanna Labedzka Rear) Jan Kochanowski ...', 88.9% of core
    fields in bench/ocr_table.py). An unsure word over a box of bare paper is no word: the
    card is exact."""
    guide, wanted = _read(tmp_path, "wp-shaded", SCANS["grey-200"], max_pages=4)
    want = wanted["practices"][0]
    got = {p.title: p for p in guide.practices}[want["title"]]
    assert [[c.name, c.organisation, c.email] for c in got.contacts] == want["contacts"] == [
        ["Joanna Labedzka", "Jan Kochanowski University of Kielce", "joanna.labedzka@itee.lukasiewicz.gov.pl"]]
    result = edition_accuracy(guide, wanted)
    assert result["misses"] == {}, result["misses"]
    assert result["values_exact"] == 1.0 and result["sections_found"] == 1.0


def test_body_sized_numbered_title_on_a_scan_does_not_take_the_first_section(tmp_path):
    """`wp-body-headings` sets its practice headings bold at the text's size (11 pt) and
    its section headings at 12 pt. On the office scan OCR measured both at the text's
    size, so the card's title ran on by size through the whole 'Description' section
    ('Future Industry Platform Description Future Industry Platform is a State ...'):
    no practice matched (0% of core fields in bench/ocr_table.py, on the grey scan too).
    A body-sized title is its heading's own lines: the card is exact."""
    guide, wanted = _read(tmp_path, "wp-body-headings", SCANS["office-200"], max_pages=4)
    assert [p.title for p in guide.practices] == ["Future Industry Platform", "Access Innovation"]
    assert [p["title"] for p in wanted["practices"]] == ["Future Industry Platform"]
    result = edition_accuracy(guide, wanted)
    assert result["misses"] == {}, result["misses"]
    assert result["values_exact"] == 1.0 and result["sections_found"] == 1.0
    assert guide.practices[0].sections.about.startswith("Future Industry Platform is a State Treasury Foundation established by the Polish")


def test_practice_heading_read_a_little_small_is_no_theme_taking_its_facts(tmp_path):
    """`wp-header-row` prints its theme heading at 16 pt and each practice heading at 13
    pt over 10 pt text: OCR on the office scan measured the practice heading 12.5 over
    9.9, under the usual title size (1.3 times the text), so the theme heading above it
    took the card's facts and the practice was not found (0% of core fields in
    bench/ocr_table.py). Of two readings that find as many cards, the one that finds
    the theme too is taken: the card is found under its own title, every fact exact.
    Its run-in heads ('Evidence of success. The Foundation ...') are bold but OCR left
    the weight of 'success.' unknown, and the section ran into 'resources' (50% of
    sections): a word of unknown weight after a bold one may end the head."""
    guide, wanted = _read(tmp_path, "wp-header-row", SCANS["office-200"], max_pages=4)
    assert [(t.number, t.title) for t in guide.themes] == [(1, wanted["themes"][0][1])] == [
        (1, "Regional platforms and clusters supporting SMEs to adopt I4.0 related technologies and increase their competitiveness")]
    assert guide.practices[0].title == wanted["practices"][0]["title"] == "Future Industry Platform"
    result = edition_accuracy(guide, wanted)
    assert result["misses"] == {}, result["misses"]
    assert result["core_exact"] == 1.0 and result["values_exact"] == 1.0 and result["sections_found"] == 1.0
    assert guide.practices[0].sections.evidence.startswith(
        "The Foundation creates a nationwide platform for the exchange of knowledge and experience in the field of digital transformation")


def test_words_a_narrow_space_apart_stay_in_their_line_on_a_scan(tmp_path):
    """The portrait guide on the plain 200 dpi grey scan: OCR's boxes carry a side bearing
    at each end, so 'answers' and 'a', a narrow space apart, overlapped by 0.9 point and
    the line was cut there: 'a real' was read into the bullet above and 'cases and to
    update' after the next line ('about' 80% of sections in bench/ocr_table.py, every
    scan; the measure's difflib autojunk also scored a one-character difference 0.33).
    Every word is in its place: the paragraph reads exactly as printed."""
    guide, wanted = _read(tmp_path, "portrait", SCANS["grey-200"], max_pages=4)
    about = guide.practices[0].sections.about
    want = wanted["practices"][0]["sections"]["about"]
    assert about.split("\n\n")[-1] == want.split("\n\n")[-1] == (
        "Every applicant is visited by an advisor before the study starts, so that the project answers a real "
        "bottleneck and not a wish list. Advisors also check that the company can keep the robot running after the "
        "pilot, which is where many earlier programmes failed. The advisors meet every month to compare their cases "
        "and to update a shared list of integrators, suppliers and training providers that applicants may choose from."
    )
    assert about.split("\n\n")[1] == want.split("\n\n")[1] == (
        "Eligible costs:\n- feasibility studies by an accredited integrator\n- a flexible pilot cell leased for up to six "
        "months\n- training of operators and maintenance staff"
    )
    result = edition_accuracy(guide, wanted)
    assert result["misses"] == {} and result["sections_found"] == 1.0, result["misses"]


def test_a_letter_misread_once_is_voted_by_the_guides_own_words(tmp_path):
    """`wp-header-row` at 150 dpi: the practice heading's 'Platform' was read 'Piatform'
    (confidence 56) while the pages around it read 'Platform' and 'platform' sure, so the
    practice's title did not match and the card counted as not found (0% of core fields
    in bench/ocr_table.py). A rare unsure word one confusable letter ('i'/'l') from a word
    the guide reads again and again is that word: the card is exact."""
    guide, wanted = _read(tmp_path, "wp-header-row", SCANS["grey-150"], max_pages=4)
    assert guide.practices[0].title == wanted["practices"][0]["title"] == "Future Industry Platform"
    result = edition_accuracy(guide, wanted)
    assert {k: v for k, v in result["misses"].items() if not k.startswith("section")} == {}, result["misses"]
    assert result["core_exact"] == 1.0 and result["values_exact"] == 1.0


@pytest.mark.heavy_ocr
def test_a_word_misread_once_takes_the_latin_reading_the_guide_prints_elsewhere(tmp_path):
    """`columns-caps` on the photocopy: the institution's 'State' read 'Siate' at 91 by the
    English model, 'State' at 94 by the Latin one, and 'State' in the practice's text
    (94.4% of core fields). The Latin model's spelling, one letter away and read elsewhere
    in the guide, is taken (read/letters.py): the cards are exact."""
    guide, wanted = _read(tmp_path, "columns-caps", SCANS["photocopy-200"], max_pages=4)
    by_title = {p.title: p for p in guide.practices}
    assert by_title["Future Industry Platform"].institution == "Future Industry Platform State Treasury Foundation"
    result = edition_accuracy(guide, wanted)
    assert result["misses"] == {}, result["misses"]


def test_a_practice_number_whose_one_was_read_as_a_letter_is_still_its_number(tmp_path):
    """`wp-word-defaults` on the 300 dpi grey scan (1.5 degrees, JPEG 60): the practice
    heading '1.1 Future Industry Platform' was read 'L.1 Future Industry Platform', so
    the number was not stripped and the practice's title did not match (0% of core
    fields in bench/ocr_table.py). A practice number read by OCR with a letter shaped
    like a one is that number: the card is exact."""
    guide, wanted = _read(tmp_path, "wp-word-defaults", SCANS["grey-300"], max_pages=4)
    assert guide.practices[0].title == wanted["practices"][0]["title"] == "Future Industry Platform"
    result = edition_accuracy(guide, wanted)
    assert result["misses"] == {}, result["misses"]
    assert result["values_exact"] == 1.0 and result["sections_found"] == 1.0


def test_a_run_in_head_of_unknown_weight_before_regular_text_starts_its_section(tmp_path):
    """`wp-header-row` on the colour scan: OCR left the weight of the bold run-in head
    'Description.' unknown and measured the text after it regular; the head was not
    split off and the 'about' section was lost (25% of sections in bench/ocr_table.py).
    A head of unknown weight naming a section, before text measured regular, starts it.
    'Evidence of success.' was read 'success,' at 94 on this scan, so that section ran
    into 'resources' (50% of sections): a comma whose ink is a stop on the baseline, no
    tail under it, is a stop (`read/glyphs.py`); every section is found now."""
    guide, wanted = _read(tmp_path, "wp-header-row", SCANS["colour-200"], max_pages=4)
    about = guide.practices[0].sections.about
    assert about.split("\n\n")[0] == wanted["practices"][0]["sections"]["about"].split("\n\n")[0]
    assert about.startswith("Future Industry Platform is a State Treasury Foundation established by the Polish Ministry")
    evidence = guide.practices[0].sections.evidence
    # the whole section as printed (paragraph breaks aside: OCR sets a blank line between)
    assert evidence is not None and evidence.split() == wanted["practices"][0]["sections"]["evidence"].split()
    assert evidence.startswith("The Foundation creates a nationwide platform for the exchange of knowledge")
    result = edition_accuracy(guide, wanted)
    assert result["misses"] == {}, result["misses"]
    assert result["core_exact"] == 1.0 and result["values_exact"] == 1.0 and result["sections_found"] == 1.0


@pytest.mark.heavy_ocr
@pytest.mark.parametrize("edition", ["columns-caps", "wp-body-headings", "wp-shaded"])
def test_the_third_theme_of_an_office_scan_the_ocr_was_never_tuned_on(tmp_path, edition):
    """A blind test (issue #19): every OCR fix had been found on theme 1; theme 3 carries
    other names, addresses and layouts. On the office scan `columns-caps` read 77.8% of
    core fields (a panel's corner specks hid the gutter beside it, and the panel's lines
    were read joined to the column: 'MieraO og SNL ST- lie' for 'Mazowieckie, Poland'),
    `wp-body-headings` 33.3% (the bold '3.2' of a heading measured of unknown weight, so
    the next card's facts went to the card before) and `wp-shaded` 94.4% ('organizations:'
    in a section taken for an institution label, and a run-in 'Description.' lost to a
    short 'It' measured bold). Each is exact now."""
    guide, wanted = _read(tmp_path, edition, SCANS["office-200"], theme=3, max_pages=4)
    by_title = {p.title: p for p in guide.practices}
    for want in wanted["practices"]:
        got = by_title[want["title"]]
        assert [got.institution, got.location.raw, [[c.name, c.organisation, c.email] for c in got.contacts], got.websites] == [
            want["institution"], want["location"], want["contacts"], want["websites"]]
    result = edition_accuracy(guide, wanted)
    assert result["misses"] == {}, result["misses"]
    assert (result["core_exact"], result["values_exact"], result["sections_found"]) == (1.0, 1.0, 1.0)
