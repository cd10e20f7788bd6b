"""The small rules the stages are built from, on inputs chosen to break them."""

import pytest
from pydantic import ValidationError

from pipeline.fields.practice import parse_contacts, slugify
from pipeline.model import Line, Link, Word
from pipeline.fields.periods import parse_period
from pipeline.fields.text import join_lines
from pipeline.review.validate import validate_practice
from pipeline.cards.vocabulary import label_field, list_marker, section_key
from pipeline.fields.websites import parse_websites
from schemas import Practice

LEXICON = frozenset({"cross-sectoral", "technology", "4.0-related", "high", "lights", "highlight", "step", "changes"})


def line(text, top=0.0, x0=0.0):
    words, x = [], x0
    for token in text.split():
        words.append(Word(text=token, x0=x, top=top, x1=x + 5 * len(token), bottom=top + 8, size=8))
        x += 5 * len(token) + 3
    return Line(page=1, words=words)


@pytest.mark.parametrize(
    "left, right, joined",
    [
        ("the implementa-", "tion of goals", "the implementation of goals"),
        ("techno-", "logy providers", "technology providers"),
        ("support for cross-", "sectoral work", "support for cross-sectoral work"),
        ("Industry 4.0-", "related support", "Industry 4.0-related support"),
        ("GreenofShore-", "Tech and more", "GreenofShore-Tech and more"),
        ("the level/", "intensity of", "the level/intensity of"),
        ("ends here.", "Next line", "ends here. Next line"),
        ("a dash –", "and more", "a dash – and more"),
        # two words the document writes, and no whole form of the family: a compound
        ("two step-", "changes in", "two step-changes in"),
        # ... but 'highlight' written whole elsewhere makes it a line break in one word
        ("also high-", "lights a pillar", "also highlights a pillar"),
    ],
)
def test_join_lines(left, right, joined):
    assert join_lines(left, right, LEXICON) == joined


@pytest.mark.parametrize(
    "raw, start, end, ongoing, codes",
    [
        ("February 2019 - ongoing", "2019-02", None, True, []),
        ("January 2017 – March 2020", "2017-01", "2020-03", False, []),
        ("June 2015 to September 2021", "2015-06", "2021-09", False, []),
        ("2001 - ongoing", "2001", None, True, []),
        ("2016 - Ongoing", "2016", None, True, []),
        ("Timescale: September 2020 – November 2023", "2020-09", "2023-11", False, []),
        ("2019 - 2022", "2019", "2022", False, []),
        ("soon", None, None, False, ["unparsed_period"]),
        ("2022 - 2019", "2022", "2019", False, ["period_reversed"]),
    ],
)
def test_parse_period(raw, start, end, ongoing, codes):
    period, warnings = parse_period(raw)
    assert (period["start"], period["end"], period["ongoing"]) == (start, end, ongoing)
    assert [code for code, _ in warnings] == codes


def test_websites_join_wrapped_lines_and_repair_the_host_path_join():
    lines = [
        line("https://www.confindustria.toscana.it", top=0),
        line("digital-innovation-hub-toscana/", top=10),
        line("and https://www.artes4.it/", top=20),
    ]
    urls, warnings = parse_websites(lines, [])
    assert urls == ["https://www.confindustria.toscana.it/digital-innovation-hub-toscana/", "https://www.artes4.it/"]
    assert warnings == []


def test_websites_scheme_added_and_link_annotation_compared():
    lines = [line("www.example.org/a/", top=0), line("b.html", top=10)]
    links = [Link(uri="https://www.example.org/a/ b.htm", bbox=(0, 0, 50, 8))]
    urls, warnings = parse_websites(lines, links)
    assert urls == ["https://www.example.org/a/b.html"]
    assert [code for code, _ in warnings] == ["link_has_spaces", "link_differs"]


def test_contacts_name_organisation_email():
    contacts = parse_contacts(
        [line("Sandra Perez"), line("ACCIÓ - Catalonia Trade and Investment,"), line("Regional Government of Catalonia"), line("SPerez@Gencat.cat")],
        LEXICON,
    )
    assert contacts == [
        {
            "name": "Sandra Perez",
            "organisation": "ACCIÓ - Catalonia Trade and Investment, Regional Government of Catalonia",
            "email": "sperez@gencat.cat",
        }
    ]


@pytest.mark.parametrize(
    "printed, name",
    [("Piotr Dylewski.", "Piotr Dylewski"), ("Anna M. Kowalska", "Anna M. Kowalska"), ("Anna Kowalska J.", "Anna Kowalska J."),
     ("John Smith Jr.", "John Smith Jr.")],
)
def test_a_contact_name_loses_a_stop_after_a_whole_word_only(printed, name):
    contacts = parse_contacts([line(printed), line("Regional Council of Lapland"), line("info@example.fi")], LEXICON)
    assert contacts == [{"name": name, "organisation": "Regional Council of Lapland", "email": "info@example.fi"}]


@pytest.mark.parametrize("read, meant", [
    # light type on a panel printed mid-grey: the comma's tail lost, read as a stop at 96
    ("Tuscany. Italy", "Tuscany, Italy"),
    ("Pohjois- ja Itä-Suomi. Finland (Suomi)", "Pohjois- ja Itä-Suomi, Finland (Suomi)"),
    ("West Yorkshire. UK", "West Yorkshire, UK"),
    # an abbreviation's stop, an initial's, or one before no country stay
    ("St. Gallen, Switzerland", "St. Gallen, Switzerland"),
    ("A. Italy", "A. Italy"),
    ("Tuscany. Florence", "Tuscany. Florence"),
])
def test_a_stop_before_a_country_in_an_ocr_read_location_is_a_comma(read, meant):
    from pipeline.values.places import commas_before_countries

    assert commas_before_countries(read) == meant


def test_contact_without_person_name_is_an_organisation():
    contacts = parse_contacts([line("Regional Council of Lapland"), line("info@example.fi")], LEXICON)
    assert contacts == [{"name": None, "organisation": "Regional Council of Lapland", "email": "info@example.fi"}]


@pytest.mark.parametrize(
    "label, field",
    [("Main institution", "institution"), ("Start - end date", "period"), ("Start-end date", "period"),
     ("Website", "website"), ("Contact", "contact"), ("Location", "location"), ("Timescale", "period"),
     ("About this good practice", None)],
)
def test_label_vocabulary(label, field):
    assert label_field(label) == field


@pytest.mark.parametrize(
    "heading, key",
    [("Difficulties encountered", "challenges"), ("Challenges Encountered", "challenges"),
     ("Evidence of Succes", "evidence"), ("Potential for learning or transfer:", "transfer"),
     ("About this good practice", "about"), ("Resources needed", "resources"), ("Partners", None)],
)
def test_section_vocabulary(heading, key):
    assert section_key(heading) == key


def test_list_markers():
    assert list_marker("» item") == "bullet"
    assert list_marker("(2) The programme") == "number"
    assert list_marker("b) Work on") == "number"
    assert list_marker("2019 was a year") is None


def test_slugs_are_stable_ascii():
    assert slugify("ProACCIÓ 4.0: Catalonia’s innovation") == "proaccio-4-0-catalonias-innovation"


def test_invalid_field_is_emptied_and_named_in_a_warning():
    practice = validate_practice(
        {"id": "x-y", "number": 1, "theme": None, "title": "X", "websites": ["not a url"], "pages": [3], "warnings": []}
    )
    assert practice.websites == []
    assert [(w.code, w.practice, w.page) for w in practice.warnings] == [("invalid_field", "x-y", 3)]
    assert "'websites'" in practice.warnings[0].message


def test_unfixable_practice_names_practice_and_field():
    with pytest.raises(ValueError, match=r"practice Bad Id: id: String should match pattern"):
        validate_practice({"id": "Bad Id", "number": 1, "theme": None, "title": "X", "pages": [1]})
    with pytest.raises(ValidationError):
        Practice.model_validate({"id": "x", "number": 0, "theme": None, "title": "X", "pages": []})


def test_person_names_with_capitalised_surnames_and_particles():
    contacts = parse_contacts([line("Jean DUPONT"), line("Agence de Développement"), line("j.dupont@agence.example")], LEXICON)
    assert contacts[0]["name"] == "Jean DUPONT"
    contacts = parse_contacts([line("Maria van der Berg"), line("m.berg@example.nl")], LEXICON)
    assert (contacts[0]["name"], contacts[0]["organisation"]) == ("Maria van der Berg", None)
    contacts = parse_contacts([line("RETE IMPRESE"), line("info@rete.example")], LEXICON)
    assert (contacts[0]["name"], contacts[0]["organisation"]) == (None, "RETE IMPRESE")


def test_a_line_copied_with_other_words_reads_its_own_text_and_box():
    """Lines cache their text and box; a copy with other words (a run-in heading split
    off, a heading's number dropped) must not keep the first line's."""
    first = line("2.3 Green roofs", top=10)
    assert (first.text, first.bbox) == ("2.3 Green roofs", (0.0, 10.0, 71.0, 18.0))
    rest = first.model_copy(update={"words": first.words[1:]})
    assert (rest.text, rest.bbox) == ("Green roofs", (18.0, 10.0, 71.0, 18.0))
