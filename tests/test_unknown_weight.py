"""Words of unknown weight (as OCR gives them: `Word.bold is None`) are no evidence either
way: the real guide still segments into the same cards and fields when the weight of
every word, or of one card's page, is unknown."""

import json

import pytest

from conftest import GUIDE_PDF, REFERENCE
from pipeline.cards.segment import segment
from pipeline.fields.document import parse_all
from pipeline.layout.regions import layout_pages
from pipeline.read.extract import extract_pdf

PRACTICES = json.loads(REFERENCE.read_text(encoding="utf-8"))["practices"]


def opening(text, words=8):
    return None if text is None else " ".join(text.split()[:words])


@pytest.fixture(scope="module")
def pdf():
    return extract_pdf(GUIDE_PDF)


def practices_without_weight(pdf, pages):
    unknown = [
        page.model_copy(update={"words": [w._replace(bold=None, italic=None) for w in page.words]}) if page.number in pages else page
        for page in pdf.pages
    ]
    return parse_all(segment(layout_pages(unknown), pdf.metadata_title))


@pytest.mark.parametrize("pages", [range(1, 38), [5, 25]], ids=["every-page", "two-card-pages"])
def test_unknown_weight_gives_the_reference_fields(pdf, pages):
    themes, practices = practices_without_weight(pdf, set(pages))
    assert [t["number"] for t in themes] == [1, 2, 3, 4]
    assert [p["title"] for p in practices] == [p["title"] for p in PRACTICES]
    for practice, expected in zip(practices, PRACTICES):
        assert practice["pages"] == expected["pages"]
        assert practice["institution"] == expected["institution"]
        assert practice["location"]["raw"] == expected["location"]
        assert [[c["name"], c["organisation"], c["email"]] for c in practice["contacts"]] == expected["contacts"]
        assert practice["websites"] == expected["websites"]
        assert practice["period"]["raw"] == expected["period"]
        assert {k: opening(v) for k, v in practice["sections"].items()} == expected["sections"]
