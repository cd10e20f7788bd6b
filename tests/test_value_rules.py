"""Values as word-processor documents print them (issue #21): URLs that end at their
link annotation or before prose, fillers that mean 'no value', open-ended periods,
misspelt and several countries, amounts in local currencies, contacts in running text."""

import pytest

from pipeline.fields.periods import parse_period
from pipeline.fields.vocabulary import is_absent
from pipeline.fields.websites import parse_websites
from pipeline.model import Link
from pipeline.values.contacts import prose_contacts
from pipeline.values.money import find_money
from pipeline.values.nlp import get_nlp
from pipeline.values.places import damerau, resolve
from schemas import Practice
from test_rules import line  # a line of 8-pt words, 5 pt a character


def link(uri, top=0.0):
    return Link(uri=uri, bbox=(0, top, 300, top + 8), page=1)


@pytest.mark.parametrize(
    "texts, links, urls, codes",
    [
        # the next line's prose is not the URL's path
        (["https://x.eu/", "This project is online."], [], ["https://x.eu/"], ["unreadable_website"]),
        (["https://x.eu/", "-The platform"], [], ["https://x.eu/"], ["unreadable_website"]),
        # a filler after a URL is neither a path nor a warning
        (["https://x.eu/", "n/a"], [], ["https://x.eu/"], []),
        # the annotation ends at the host: a lower-case word after it is not the path
        (["https://x.eu/", "projects"], ["https://x.eu/"], ["https://x.eu/"], ["unreadable_website"]),
        # without an annotation a lower-case fragment after a slash is a path
        (["https://x.eu/", "projects"], [], ["https://x.eu/projects"], []),
        # the annotation has the hyphen: it is the URL's; it has none: it was the line break's
        (["https://www.smart-", "factory.eu/en"], ["https://www.smart-factory.eu/en"], ["https://www.smart-factory.eu/en"], []),
        (["https://www.smart-", "factory.eu/en"], ["https://www.smartfactory.eu/en"], ["https://www.smartfactory.eu/en"], []),
        (["N/A"], [], [], []),
    ],
)
def test_url_ends_at_its_annotation_or_before_prose(texts, links, urls, codes):
    found, warnings = parse_websites([line(t, top=10 * i) for i, t in enumerate(texts)], [link(u) for u in links])
    assert found == urls
    assert [code for code, _ in warnings] == codes


def test_prose_after_url_is_named_once_per_line():
    _, warnings = parse_websites([line("https://x.eu/", top=0), line("This project is online.", top=10)], [])
    assert warnings == [("unreadable_website", "'This project is online.' in the website field is not part of a URL.")]


@pytest.mark.parametrize("text", ["n/a", "N/A", " n.a. ", "Not applicable", "-", "–", "none", "None.", "TBD", "tbd"])
def test_fillers_are_absent(text):
    assert is_absent(text)


@pytest.mark.parametrize("text", ["Nantes", "-5", "None of the above", "Spain", "n/a/b", None])
def test_values_are_not_fillers(text):
    assert not is_absent(text)


@pytest.mark.parametrize(
    "raw, start, end, ongoing, codes",
    [
        ("2016 to date", "2016", None, True, []),
        ("March 2015 – until now", "2015-03", None, True, []),
        ("2018 - present", "2018", None, True, []),
        ("2019 – today", "2019", None, True, []),
        ("2020 - continuing", "2020", None, True, []),
        ("January 2017 – March 2020", "2017-01", "2020-03", False, []),
        ("n/a", None, None, False, ["not_applicable"]),
        ("Timescale: N/A", None, None, False, ["not_applicable"]),
    ],
)
def test_open_ended_and_absent_periods(raw, start, end, ongoing, codes):
    period, warnings = parse_period(raw)
    assert [period["start"], period["end"], period["ongoing"]] == [start, end, ongoing]
    assert [code for code, _ in warnings] == codes
    assert period["raw"] == (None if codes == ["not_applicable"] else raw)


def test_damerau_counts_a_swap_as_one_edit():
    assert [damerau("greee", "greece"), damerau("lativa", "latvia"), damerau("spain", "spain"), damerau("ab", "ba")] == [1, 1, 0, 1]


@pytest.mark.parametrize(
    "raw, country, codes, warnings",
    [
        ("Greee", "Greece", ["GR"], [("country_fuzzy", "The location reads 'Greee'; it is taken as Greece (GR).")]),
        ("Thessaloniki, Grece", "Greece", ["GR"], [("country_fuzzy", "The location reads 'Grece'; it is taken as Greece (GR).")]),
        ("Lativa", "Latvia", ["LV"], [("country_fuzzy", "The location reads 'Lativa'; it is taken as Latvia (LV).")]),
        ("Spain, Portugal and France", "Spain", ["ES", "PT", "FR"], []),
        ("Cross-border: Italy / Slovenia", "Italy", ["IT", "SI"], []),
        ("Tbilisi, Georgia", "Georgia", ["GE"], []),
        ("Atlanta, Georgia", "United States", ["US"], []),
        ("Georgia, USA", "United States", ["US"], []),
        ("Pohjois- ja Itä-Suomi, Finland (Suomi)", "Finland", ["FI"], []),
        # an adjective is not a misspelt name; a four-letter word is too short to guess
        ("Romanian border", None, [], [("unknown_country", "No country could be found for the location 'Romanian border'.")]),
        ("Itly", None, [], [("unknown_country", "No country could be found for the location 'Itly'.")]),
    ],
)
def test_countries_fuzzy_several_and_georgia(raw, country, codes, warnings):
    location, found = resolve(raw, [], [], None)
    assert (location["country"], location["country_code"], location["country_codes"]) == (country, codes[0] if codes else None, codes)
    assert found == warnings


def test_country_codes_validate_in_the_contract():
    practice = Practice.model_validate(
        {"id": "x", "number": 1, "theme": None, "title": "X", "pages": [1],
         "location": {"raw": "Italy / Slovenia", "country": "Italy", "country_code": "IT", "country_codes": ["IT", "SI"]}}
    )
    assert practice.location.country_codes == ["IT", "SI"]


@pytest.mark.parametrize(
    "text, raw, amount, currency, qualifier",
    [
        ("5.6 M EUR", "5.6 M EUR", 5_600_000, "EUR", None),
        ("30 000 euros", "30 000 euros", 30_000, "EUR", None),
        ("30\u2009000 euros", "30\u2009000 euros", 30_000, "EUR", None),
        ("30\u00a0000 euros", "30\u00a0000 euros", 30_000, "EUR", None),
        ("approximately from 23 000 EUR", "23 000 EUR", 23_000, "EUR", "about, from"),
        ("from 23 000 EUR", "23 000 EUR", 23_000, "EUR", "from"),
        # after a verb of change 'from' names the old amount, not a lower bound
        ("increased from 1,3M€", "1,3M€", 1_300_000, "EUR", None),
        ("786.977,60 Lei", "786.977,60 Lei", 786_977.6, "RON", None),
        ("€1.2 million", "€1.2 million", 1_200_000, "EUR", None),
        ("EUR 450k", "EUR 450k", 450_000, "EUR", None),
        ("1,3M€", "1,3M€", 1_300_000, "EUR", None),
        ("$3.5m", "$3.5m", 3_500_000, "USD", None),
        ("250 000 Kč", "250 000 Kč", 250_000, "CZK", None),
        ("12 000 Ft", "12 000 Ft", 12_000, "HUF", None),
        ("3 000 zł", "3 000 zł", 3_000, "PLN", None),
        ("1 200 kn", "1 200 kn", 1_200, "HRK", None),
        ("45 000 SEK", "45 000 SEK", 45_000, "SEK", None),
        ("9 500 kr", "9 500 kr", 9_500, "SEK", None),
        ("CHF 12,000", "CHF 12,000", 12_000, "CHF", None),
        ("£5,000", "£5,000", 5_000, "GBP", None),
        ("about $40,000", "$40,000", 40_000, "USD", "about"),
    ],
)
def test_amounts_in_local_forms(text, raw, amount, currency, qualifier):
    found = find_money(f"The budget is {text} in total.")
    assert [(m["raw"], m["amount"], m["currency"], m["qualifier"]) for m in found] == [(raw, amount, currency, qualifier)]


@pytest.mark.parametrize("text", ["a 5 ft wall", "the 3m wide gate", "12 kranes", "lei-related work in 2020"])
def test_unit_words_are_not_currencies(text):
    assert find_money(f"We built {text} in total.") == []


@pytest.mark.parametrize("nlp", [None, "spacy"], ids=["rules", "spacy"])
def test_contacts_in_running_text(nlp):
    text = (
        "For more information, contact Jane Doe at jane.doe@agency.eu. "
        "Contact: Marco Rossi, Regional Agency for Innovation (m.rossi@region.it).\n"
        "The coordinator Ana Kovač (Ana.Kovac@gzs.si) leads it; write to Ana Kovač, ana.kovac@gzs.si, "
        "or to info@cluster.eu."
    )
    assert prose_contacts(text, get_nlp() if nlp else None) == [
        {"name": "Jane Doe", "organisation": None, "email": "jane.doe@agency.eu"},
        {"name": "Marco Rossi", "organisation": "Regional Agency for Innovation", "email": "m.rossi@region.it"},
        {"name": "Ana Kovač", "organisation": None, "email": "ana.kovac@gzs.si"},
        {"name": None, "organisation": None, "email": "info@cluster.eu"},
    ]


def test_a_sentence_after_a_url_is_not_its_path():
    urls, warnings = parse_websites([line("https://x.eu/", top=0), line("is the address", top=10)], [])
    assert urls == ["https://x.eu/"]
    assert warnings == [("unreadable_website", "'is the address' in the website field is not part of a URL.")]
    urls, _ = parse_websites([line("https://x.eu/", top=0), line("projects and https://y.eu/", top=10)], [])
    assert urls == ["https://x.eu/projects", "https://y.eu/"]
