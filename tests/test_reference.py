"""The real guide against the hand-checked reference, field by field."""

import json

import pytest

from conftest import REFERENCE

PRACTICES = json.loads(REFERENCE.read_text(encoding="utf-8"))["practices"]


def opening(text, words=8):
    return None if text is None else " ".join(text.split()[:words])


def test_guide_has_the_reference_structure(guide, reference):
    assert guide.title == reference["title"]
    assert [[t.number, t.title] for t in guide.themes] == reference["themes"]
    assert len(guide.practices) == len(reference["practices"]) == 26
    assert [p.title for p in guide.practices] == [p["title"] for p in reference["practices"]]
    assert guide.source.pages == 37
    assert not [w for w in guide.warnings if w.code == "page_not_read"]


@pytest.mark.parametrize("index", range(len(PRACTICES)), ids=[p["title"][:40] for p in PRACTICES])
def test_practice_matches_reference(guide, index):
    expected = PRACTICES[index]
    practice = guide.practices[index]
    assert practice.number == index + 1
    assert practice.title == expected["title"]
    assert practice.theme.number == expected["theme"]
    assert practice.pages == expected["pages"]
    assert opening(practice.summary) == expected["summary"]
    assert practice.institution == expected["institution"]
    assert practice.location.raw == expected["location"]
    assert [[c.name, c.organisation, c.email] for c in practice.contacts] == expected["contacts"]
    assert practice.websites == expected["websites"]
    assert practice.period.raw == expected["period"]
    assert [practice.period.start, practice.period.end, practice.period.ongoing] == expected["period_parsed"]
    assert {k: opening(v) for k, v in practice.sections.model_dump().items()} == expected["sections"]


@pytest.mark.parametrize("index", range(len(PRACTICES)), ids=[p["title"][:40] for p in PRACTICES])
def test_practice_values_match_reference(guide, index):
    expected = PRACTICES[index]
    practice = guide.practices[index]
    assert practice.location.country_code == expected["country_code"]
    assert [[m.raw, m.amount, m.currency, m.role] for m in practice.budgets] == expected["budgets"]
    assert [[m.value, m.unit, m.qualifier] + ([m.scale] if m.scale else []) for m in practice.metrics] == expected["metrics"]
    assert [[m.raw, m.amount, m.currency, m.section] for m in practice.money_mentions] == expected["money_elsewhere"]
    for metric in practice.metrics:
        assert metric.raw in practice.sections.evidence
    for money in practice.budgets:
        assert money.raw in practice.sections.resources


def test_every_field_has_provenance_on_its_pages(guide):
    for practice in guide.practices:
        assert "title" in practice.provenance
        for key, spans in practice.provenance.items():
            for span in spans:
                assert span.page in practice.pages, (practice.id, key)
                x0, top, x1, bottom = span.bbox
                assert 0 <= x0 < x1 <= 842 and 0 <= top < bottom <= 595, (practice.id, key)


def test_missing_fields_are_null_with_a_warning(guide):
    by_id = {p.id: p for p in guide.practices}
    shared_agendas = by_id["territorial-shared-agendas"]
    assert shared_agendas.websites == []
    assert ("missing_website", 23) in [(w.code, w.page) for w in shared_agendas.warnings]
    skills = by_id["skills-for-growth"]
    assert skills.summary is None and skills.period.raw is None
    assert {"missing_summary", "missing_period"} <= {w.code for w in skills.warnings}
    assert all(w.practice == "skills-for-growth" for w in skills.warnings)


def test_photo_credit_is_kept_apart_from_the_date(guide):
    lapland = next(p for p in guide.practices if p.title.startswith("Lapland"))
    assert lapland.period.raw == "June 2020 - June 2021"
    assert lapland.notes == ["Copyright: Lapin materiaalipankki | Janne Jakola"]


def test_link_annotation_with_spaces_is_flagged(guide):
    lapland = next(p for p in guide.practices if p.title.startswith("Lapland"))
    assert [w.code for w in lapland.warnings if w.code.startswith("link_")] == ["link_has_spaces"]
