"""Label rules: the vocabulary file, key words and typed values of labels nobody listed."""

import pytest

from pipeline.cards.labels import as_label, keyword_field, value_field
from pipeline.cards.vocabulary import VocabularyError, check_vocabulary, edit_distance, label_field, section_key
from pipeline.model import Line, Word


@pytest.mark.parametrize(
    "label, field",
    [("Main institution involved", "institution"), ("Timescale (start/end date)", "period"),
     ("Location of the practice", "location"), ("Further information", "website"),
     ("Contact person", "contact"), ("MAIN INSTITUTION", "institution"), ("Web presence", None)],
)
def test_interreg_form_labels(label, field):
    assert label_field(label) == field


@pytest.mark.parametrize(
    "heading, key",
    [("Detailed description", "about"), ("Evidence of success (results achieved)", "evidence"),
     ("Difficulties encountered / lessons learned", "challenges"), ("Resources needed", "resources"),
     ("Potential for learning or transfer", "transfer")],
)
def test_interreg_form_headings(heading, key):
    assert section_key(heading) == key


@pytest.mark.parametrize(
    "value, field",
    [("https://www.the-lep.com/business-support/growth- support/connecting-innovation/", "website"),
     ("Bryony Chipp West Yorkshire Combined Authority bryony.chipp@westyorks-ca.gov.uk", "contact"),
     ("January 2017 – March 2020", "period"), ("2001 - ongoing", "period"), ("since 2019", "period"),
     ("Tuscany Region, Italy", "location"), ("Regional Council of Lapland", None),
     ("The Foundation supports entrepreneurs", None)],
)
def test_value_says_its_field(value, field):
    assert value_field(value) == field


@pytest.mark.parametrize(
    "label, field",
    [("Organisation(s) involved", "institution"), ("Name of the contact person", "contact"),
     ("Web presence", "website"), ("Country and region", "location"), ("Run by", None)],
)
def test_key_word_of_a_label(label, field):
    assert keyword_field(label) == field


@pytest.mark.parametrize(
    "read, field",
    [("LOCAI ION OF THE PRACTICE", "location"),  # OCR of a capital label on a grey panel
     ("CONTACT -PERSON", "contact"), ("Main instltution", "institution"), ("Locatlon", "location"),
     ("Maln institutlon involved", "institution"),  # two letters away: a label of 16 letters or more
     ("Lacatlon", None),  # two letters away from a short label: too far
     ("Loan", None), ("Plaee", None),  # short labels are never matched a letter away
     ("Contents", None),  # a letter away from 'contacts' and 'content': only a text-layer word would say
     # a speckled scan: '(' read '/', 'END' 'ENO', ')' 'i': punctuation is no letter to count
     ("TIMESCALE /START/ENO DATEi", "period"), ("TIMESCALE /START/EXO DATEii", None)],
)
def test_labels_read_by_ocr_match_a_letter_away(read, field):
    assert label_field(read, misread=True) == field
    assert label_field(read) is None  # a text layer's label is matched as printed


def test_edit_distance_stops_past_its_bound():
    assert edit_distance("locaiionofthepractice", "locationofthepractice", 1) == 1
    assert edit_distance("kitten", "sitting", 5) == 3
    assert edit_distance("kitten", "sitting", 2) == 3  # past the bound: bound + 1


def _ocr_line(text: str, size: float, top: float, conf: float | None = 90.0) -> Line:
    words, x = [], 54.0
    for token in text.split():
        width = 0.55 * size * len(token)
        words.append(Word(token, x, top, x + width, top + size, size, None, None, conf))
        x += width + 0.3 * size
    return Line(page=1, words=words)


def test_a_capital_label_with_a_misread_letter_is_a_label_on_a_scan_only():
    """A capital label over its value, read by OCR with one letter wrong, names its
    field; the same line in a text layer is a line of capitals, not a label."""
    label, value = _ocr_line("LOCAI ION OF THE PRACTICE", 7.0, 609.0), _ocr_line("Poland", 9.6, 618.0)
    assert as_label(label, lenient=True, below=value) == ("location", [], "LOCAI ION OF THE PRACTICE")
    # a text layer's line of capitals naming no field is left to its value to judge
    typed = _ocr_line("LOCAI ION OF THE PRACTICE", 7.0, 609.0, conf=None)
    assert as_label(typed, lenient=True, below=_ocr_line("Poland", 9.6, 618.0, conf=None)) == (None, [], "LOCAI ION OF THE PRACTICE")


def test_words_after_a_labels_colon_are_its_value_over_a_smaller_line():
    """Measured on `grid3-inline` scanned grey at 200 dpi: the label's line
    'Timescale (start/end date): January' over '2017 – March 2020', which OCR measured a
    point smaller, was taken for a whole-line label set apart by its size (its bracket
    names the field), so 'January' was lost and the period read '2017 – March 2020'."""
    label = _ocr_line("Timescale (start/end date): January", 9.6, 505.5)
    below = _ocr_line("2017 – March 2020", 8.6, 517.5)
    field, inline, printed = as_label(label, lenient=True, below=below)
    assert (field, [w.text for w in inline], printed) == ("period", ["January"], "Timescale (start/end date)")
    # a whole-line label over a smaller value is still one
    assert as_label(_ocr_line("Timescale (start/end date)", 9.6, 505.5), lenient=True, below=below) == ("period", [], "Timescale (start/end date)")


def test_a_speck_read_as_a_colon_inside_a_capital_label_on_a_scan():
    """Measured on `columns-caps` scanned grey at 150 dpi: the small-capital label
    'MAIN INSTITUTION INVOLVED' read 'MAN INST: TUTION INVOLVED' (a speck taken for a
    colon), so 'MAN INST' was taken for a label in no vocabulary with 'TUTION INVOLVED'
    its value, and the institution under it was lost into the preamble."""
    label, value = _ocr_line("MAN INST: TUTION INVOLVED", 7.0, 438.0), _ocr_line("Leeds City Region LEP", 8.6, 449.0)
    assert as_label(label, lenient=True, below=value) == ("institution", [], "MAN INST: TUTION INVOLVED")
    # a label whose words before the colon name a field keeps its value after the colon
    field, inline, printed = as_label(_ocr_line("LOCATION: WEST YORKSHIRE", 7.0, 438.0), lenient=True, below=value)
    assert (field, [w.text for w in inline], printed) == ("location", ["WEST", "YORKSHIRE"], "LOCATION")
    # ...and a text layer's colon is as typed
    typed = _ocr_line("MAN INST: TUTION INVOLVED", 7.0, 438.0, conf=None)
    assert as_label(typed, lenient=True, below=_ocr_line("Leeds City Region LEP", 8.6, 449.0, conf=None))[0] is None


def test_bad_vocabulary_files_are_refused_with_their_reason(tmp_path):
    cases = {
        "not-toml.toml": ("[labels\n", "the vocabulary file is not valid TOML"),
        "field.toml": ('[labels]\nbudget = ["cost"]\n', "[labels] budget is not one of institution, location, contact, website, period"),
        "words.toml": ('[sections]\nabout = "overview"\n', "[sections] about must be a list of words"),
    }
    for name, (text, reason) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(VocabularyError) as error:
            check_vocabulary(str(path))
        assert str(error.value).startswith(f"{path}: {reason}")
    with pytest.raises(VocabularyError, match="cannot read the vocabulary file"):
        check_vocabulary(str(tmp_path / "missing.toml"))


def test_cli_refuses_a_bad_vocabulary_before_reading(tmp_path):
    import subprocess
    import sys

    from conftest import GUIDE_PDF, ROOT

    bad = tmp_path / "bad.toml"
    bad.write_text('[labels]\nbudget = ["cost"]\n', encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(GUIDE_PDF), "--vocabulary", str(bad), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"guide-extract: error: {bad}: [labels] budget is not one of institution, location, contact, website, period"
    ]
    assert not out.exists()


def test_a_user_vocabulary_extends_every_table(tmp_path, monkeypatch):
    """One --vocabulary file teaches labels, sections, fillers, ongoing words and currency
    words; without it, none of these are known."""
    from pipeline.cards.vocabulary import ENV, vocabulary_fingerprint
    from pipeline.fields.periods import parse_period
    from pipeline.fields.vocabulary import is_absent
    from pipeline.values.money import currency_in_country, find_money

    def read():
        [money] = find_money("It cost 40 000 kroon and more.")[:1] or [None]
        shared = find_money("It cost 900 rbl.")
        if shared:
            currency_in_country(shared[0], "BY")
        return (label_field("Lead body"), section_key("Key figures"), is_absent("not yet known"),
                parse_period("2019 - still running")[0]["ongoing"],
                (money["amount"], money["currency"]) if money else None,
                shared[0]["currency"] if shared else None)

    monkeypatch.delenv(ENV, raising=False)
    plain = vocabulary_fingerprint()
    assert read() == (None, None, False, False, None, None)
    user = tmp_path / "more.toml"
    user.write_text(
        'absent = ["not yet known"]\nongoing = ["still running"]\n'
        '[labels]\ninstitution = ["lead body"]\n[sections]\nevidence = ["key figures"]\n'
        '[currencies]\nEEK = ["kroon", "krooni"]\n'
        '[currencies_shared]\nrbl = { RU = "RUB", BY = "BYN" }\n', encoding="utf-8")
    monkeypatch.setenv(ENV, str(user))
    check_vocabulary()
    assert read() == ("institution", "evidence", True, True, (40000.0, "EEK"), "BYN")
    assert vocabulary_fingerprint() != plain  # cached results are recomputed


@pytest.mark.parametrize(("text", "reason"), [
    ('[label]\ninstitution = ["x"]\n', "'label' is not a vocabulary table (the tables are labels, sections, metadata, absent, ongoing, currencies, currencies_cased, currencies_shared)"),
    ('[currencies]\neur = ["x"]\n', "[currencies] eur is not an ISO 4217 currency code (three capital letters)"),
    ('[currencies]\nEEK = "kroon"\n', "[currencies] EEK must be a list of words"),
    ('absent = "tbc"\n', "absent must be a list of words"),
    ('[sections]\nabout = ["overview"]\nabsent = ["tbc"]\n', "[sections] absent is not one of challenges, transfer, evidence, resources, about "
                                                          "(absent = [...] goes above the first [table] of the file)"),
    ('[currencies_shared]\nkr = { Sweden = "SEK" }\n', '[currencies_shared] kr must map country codes to currency codes ({ SE = "SEK" })'),
])
def test_bad_tables_of_a_user_vocabulary_are_refused(tmp_path, text, reason):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VocabularyError) as error:
        check_vocabulary(str(path))
    assert str(error.value) == f"{path}: {reason}"


@pytest.mark.parametrize("text", ["—", "•", "| |", "...", ""])
def test_a_line_of_marks_only_names_nothing(text):
    """A scan's rule or a lone bullet read as a line has no words to match (it raised)."""
    from pipeline.cards.stacked import match_wording

    assert match_wording(text) is None


@pytest.mark.parametrize("text, field", [
    # `wp-shaded` on the office scan, theme 3: a line of a two-column section; one letter
    # from 'organization', its colon made it a label and the section went into the institution
    ("organizations: Development and Recycling", None),
    ("Organizations: Development and Recycling", "institution"),  # a capital: a label, one letter off
    ("lnstitution: Regional Council", "institution"),  # an 'l' OCR read for a capital I
    ("organization: Regional Council", "institution"),  # the vocabulary's own word, exact
])
def test_a_word_in_small_letters_before_a_colon_is_no_label_a_letter_away(text, field):
    got = as_label(_ocr_line(text, 10.6, 85.0), lenient=False)
    assert (got[0] if got else None) == field


def test_a_label_in_no_vocabulary_after_a_speck_read_as_a_quote_mark_on_a_scan():
    """`flow-grid` on the speckled 200 dpi scan: a speck before 'Web presence:' was read
    as an opening quote ('‘Web'), and a label in no vocabulary had to open with a capital,
    so the line went into the card's text and its web address was lost. The label's
    first letter decides; a sentence in small letters ending in a colon is no label still."""
    from pipeline.cards.labels import find_labels
    from pipeline.model import PageLayout, Region

    def page(web: str) -> PageLayout:
        lines = [_ocr_line(text, 9.0, 100.0 + 12 * n) for n, text in enumerate([
            "Main institution involved:", "Leeds City Region LEP", "Contact person:", "Jane Doe",
            web, "https://www.the-lep.com/business-support/"])]
        return PageLayout(number=1, width=595.0, height=842.0, body_size=9.0, regions=[Region(page=1, lines=lines)])

    found = [(label.field, label.unknown) for label in find_labels(page("‘Web presence:"), lenient=True)]
    assert found == [("institution", None), ("contact", None), ("website", "‘Web presence")]
    found = [(label.field, label.unknown) for label in find_labels(page("our web presence:"), lenient=True)]
    assert found == [("institution", None), ("contact", None)]


def test_a_line_in_capitals_is_no_label_where_the_cards_labels_end_in_a_colon():
    """`flow-grid` on the whole-guide office scan: the contact's organisation 'TECOS',
    measured a size larger than the e-mail under it (capitals alone: 9.6 against 8.6),
    was taken for a label in no vocabulary, judged by that e-mail a contact, and the
    organisation was lost. Where the card's labels end in a colon, a line without one
    is a value; where they have none (capital labels), a line in capitals may still be
    a label its value names."""
    from pipeline.cards.labels import find_labels
    from pipeline.model import PageLayout, Region

    def page(texts: list[tuple[str, float]]) -> PageLayout:
        lines = [_ocr_line(text, size, 100.0 + 12 * n) for n, (text, size) in enumerate(texts)]
        return PageLayout(number=1, width=595.0, height=842.0, body_size=8.6, regions=[Region(page=1, lines=lines)])

    colons = page([("Main institution involved:", 8.6), ("DIH Slovenia", 8.6), ("Contact person:", 8.6),
                   ("Simona Knežević Vernon", 8.6), ("TECOS", 9.6), ("simona.vernon@tecos.si", 8.6)])
    assert [(label.field, label.unknown) for label in find_labels(colons, lenient=True)] == [("institution", None), ("contact", None)]
    capitals = page([("MAIN INSTITUTION INVOLVED", 7.0), ("DIH Slovenia", 8.6), ("E-POST", 7.0), ("simona.vernon@tecos.si", 8.6)])
    assert [(label.field, label.unknown) for label in find_labels(capitals, lenient=True)] == [("institution", None), ("contact", "E-POST")]
