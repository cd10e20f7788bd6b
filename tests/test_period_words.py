"""A period's words that OCR misread, repaired from the period's closed vocabulary
(`pipeline/fields/period_words.py`): month names, the 'still running' words of
`fields/vocabulary.toml`, and a year one digit off beside the period's other year.
Readings as measured on the generated scans (`bench/ocr_table.py`, columns-caps at
150 and 200 dpi, speckled)."""

import pytest

from pipeline.fields.period_words import period_words_repaired
from pipeline.fields.periods import parse_period


def _words(text: str, conf: float) -> list[tuple[str, float]]:
    return [(word, conf) for word in text.split()]


@pytest.mark.parametrize(
    "read, meant",
    [
        ("February 2019 - ongding", "February 2019 - ongoing"),  # speckled-200, 'ongding' at 2
        ("February 2019 - ongoina", "February 2019 - ongoing"),  # grey-150
        ("January 2017 – March 3020", "January 2017 – March 2020"),  # speckled-200, '3020' at 62
        ("January 2017 – March 3020.", "January 2017 – March 2020"),  # ...and a speck after it
        ("Marck 2016 - ONGOlNG", "March 2016 - ONGOING"),
        ("Febuary 2019 - on-goin", "February 2019 - on-going"),
        ("2016 to presnt", "2016 to present"),
    ],
)
def test_an_unsure_period_word_one_edit_from_one_word_of_the_vocabulary_is_that_word(read, meant):
    assert period_words_repaired(_words(read, 40.0)) == meant
    raw = parse_period(meant)[0]
    assert parse_period(period_words_repaired(_words(read, 40.0)))[0] == raw


@pytest.mark.parametrize(
    "read",
    [
        "Jule 2019 - 2020",  # one edit from both 'June' and 'July': no certainty
        "Mai 2019 - Now",  # words under four letters are not touched
        "March 3020",  # no other year to make the digit certain
        "January 2017 – March 3920",  # two digits off any year near 2017
        "3020 – 2017",  # a start after its end whichever digit is meant
    ],
)
def test_a_period_word_that_is_not_certain_is_kept_as_read(read):
    assert period_words_repaired(_words(read, 40.0)) == read


def test_words_read_clearly_and_text_layer_words_are_kept():
    # 'Juni' read clearly is a German month as printed, not a misread 'June'
    assert period_words_repaired(_words("Juni 2019 - 2020", 93.0)) == "Juni 2019 - 2020"
    # ...but a word read surely that leaves the period unreadable is repaired where that
    # makes it readable ('ongoina' at 90 on the 150 dpi scan)
    assert period_words_repaired(_words("February 2019 - ongoina", 90.0)) == "February 2019 - ongoing"
    assert period_words_repaired([("January", None), ("2017", None), ("–", None), ("March", None), ("3020", None)]) == "January 2017 – March 3020"
    assert period_words_repaired([("January", 96.0), ("2017", 93.0), ("–", 80.0), ("March", 96.0), ("3020", 62.0)]) == "January 2017 – March 2020"
    # a stop after the last year read surely is as printed
    assert period_words_repaired([("2016", 96.0), ("-", 90.0), ("2020.", 95.0)]) == "2016 - 2020."
