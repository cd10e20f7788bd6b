"""One total per practice (docs/output-contract.md, "Budget roles and totals"): a stated
total, else the sum of the parts that do not overlap in one currency, else none."""

import csv
import io

import pytest

from pipeline.values.money import find_money
from pipeline.values.totals import budget_total


def total_of(text):
    found = budget_total([{k: m[k] for k in ("raw", "amount", "currency", "role")} for m in find_money(text)])
    return None if found is None else (found["amount"], found["currency"], found["basis"], found["positions"], found["raw"])


@pytest.mark.parametrize(("text", "expected"), [
    # a stated whole, its shares and a cap: the whole
    ("Resources available: 73,46 million euro: 65% (47,5 million) for the centers; 35% (25,5 million) for projects "
     "for a maximum amount per project of 200k Euro.",
     (73460000.0, "EUR", "stated", [1], ["73,46 million euro"])),
    ("Total budget of the project: €770.000 Total grant requested: €350.000",
     (770000.0, "EUR", "stated", [1], ["€770.000"])),
    # parts add up
    ("The AMRC received £70 million of funding. An additional £70 million was secured.",
     (140000000.0, "GBP", "sum of parts", [1, 2], ["£70 million", "£70 million"])),
    ("A grant of €100.000 and co-financing of €25.000 from the region.",
     (125000.0, "EUR", "sum of parts", [1, 2], ["€100.000", "€25.000"])),
    # never a guess
    ("About 60K € per year.", None),
    ("Each apprentice costs between £11,000 and £18,000.", None),
    ("A budget of €2 million. Funding of £1 million came from the UK.", None),  # two currencies
    ("The total was €5 million. Total: €6 million.", None),  # two different stated totals
])
def test_budget_total(text, expected):
    assert total_of(text) == expected


def test_equal_stated_totals_count_once():
    budgets = [{"raw": "€5M", "amount": 5e6, "currency": "EUR", "role": "total"},
               {"raw": "5 000 000 EUR", "amount": 5e6, "currency": "EUR", "role": "total"}]
    assert budget_total(budgets) == {"amount": 5e6, "currency": "EUR", "basis": "stated", "positions": [1], "raw": ["€5M"]}


def test_an_unread_part_gives_no_total():
    budgets = [{"raw": "€2M", "amount": 2e6, "currency": "EUR", "role": "budget"},
               {"raw": "€ lots", "amount": None, "currency": "EUR", "role": None}]
    assert budget_total(budgets) is None
    assert budget_total([]) is None


SAMPLE_TOTALS = {  # the sample guide's practices with budgets: (amount, currency, basis) or None
    "access-innovation": (7057734.0, "GBP", "sum of parts"),
    "centr-tec-programme-2nd-edition": (8300000.0, "EUR", "sum of parts"),
    "iot-catalan-alliance": None,
    "gostop-building-blocks-tools-and-systems-for-the-factories-of": (9397732.5, "EUR", "sum of parts"),
    "support-to-acquire-i4-0-audit-services": (1500000.0, "EUR", "sum of parts"),
    "advanced-manufacturing-research-centre": (140000000.0, "GBP", "sum of parts"),
    "3m-buckley-innovation-centre": (6130000.0, "GBP", "sum of parts"),
    "incentives-for-the-creation-of-highly-specialised-competence": (73460000.0, "EUR", "stated"),
    "digital-innovation-hub-dih-slovenia": (2500000.0, "EUR", "sum of parts"),
    "interconnecting-catalonias-innovation-hubs-for-an-integrated": (6000000.0, "EUR", "stated"),
    "strategic-research-and-innovation-partnership-for-factories-of": (1900000.0, "EUR", "sum of parts"),
    "circular-economy-for-the-competitiveness-of-sectors-of-made-in": (770000.0, "EUR", "stated"),
    "skills-for-growth": (1980000.0, "GBP", "sum of parts"),
    "proaccio-4-0-catalonias-innovation-ecosystem-accelerating": (12500000.0, "EUR", "sum of parts"),
    "digital-apprenticeships-in-england": None,
    "future-key-skills-and-competences-for-i4-0": (560000.0, "EUR", "sum of parts"),
    "gate-4-0-the-technological-district-of-tuscany-for-advanced": (324000.0, "EUR", "stated"),
    "frostbit-software-lab-learning-and-innovation-environment": None,
}


def test_sample_guide_totals_in_guide_json_and_practices_csv(guide):
    from pipeline.outputs.emit import practices_csv

    found = {p.id: (p.budget_total.amount, p.budget_total.currency, p.budget_total.basis) if p.budget_total else None
             for p in guide.practices if p.budgets}
    assert found == SAMPLE_TOTALS
    assert all(p.budget_total is None for p in guide.practices if not p.budgets)
    incentives = next(p for p in guide.practices if p.id.startswith("incentives-for"))
    assert [(m.raw, m.role) for m in incentives.budgets] == [
        ("73,46 million euro", None), ("47,5 million", "share"), ("25,5 million", "share"), ("200k Euro", "per project maximum"),
    ]
    assert (incentives.budget_total.positions, incentives.budget_total.raw) == ([1], ["73,46 million euro"])
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(practices_csv(guide).lstrip("\ufeff")))}
    assert [(rows[i]["budget_total"], rows[i]["budget_total_currency"], rows[i]["budget_total_basis"]) for i in (
        "incentives-for-the-creation-of-highly-specialised-competence", "gostop-building-blocks-tools-and-systems-for-the-factories-of",
        "digital-apprenticeships-in-england", "future-industry-platform",
    )] == [("73460000", "EUR", "stated"), ("9397732.5", "EUR", "sum of parts"), ("", "", ""), ("", "", "")]


def test_a_corrected_amount_recounts_the_total(guide):
    from pipeline.review.corrections import apply_corrections

    entry = {"practice": "advanced-manufacturing-research-centre", "field": "budgets.1.amount", "was": 70000000.0,
             "value": 7000000.0, "by": None, "note": None, "guide": None, "line": 1}
    corrected = apply_corrections(guide, [entry])
    amrc = next(p for p in corrected.practices if p.id == "advanced-manufacturing-research-centre")
    assert (amrc.budget_total.amount, amrc.budget_total.basis) == (77000000.0, "sum of parts")


def test_a_money_fact_row_is_a_budget_placed_before_the_sections_amounts():
    """A word processor's fact table may state 'Total cost' as a row no contract field
    holds; its amount is a budget (role from its label), not lost in other_sections."""
    from pipeline.values.enrich import enrich

    practice = {
        "sections": {"about": "A programme.", "resources": "The region gave EUR 300 000 for the first call.",
                     "evidence": None, "challenges": None, "transfer": None},
        "other_sections": {"Total cost": "EUR 1.2 million", "Funding source": "ERDF"},
        "contacts": [], "institution": "Agency", "location": {"raw": "Spain"}, "websites": [], "pages": [3],
        "provenance": {}, "warnings": [],
        "_printed": {"resources": [[3, [10, 10, 200, 20], "EUR 1.2 million", [None]],
                                   [3, [10, 30, 200, 40], "The region gave EUR 300 000 for the first call.", [None]]]},
    }
    out = enrich([practice])[0]
    assert [(b["raw"], b["amount"], b["currency"], b["role"]) for b in out["budgets"]] == [
        ("EUR 1.2 million", 1200000.0, "EUR", "total"), ("EUR 300 000", 300000.0, "EUR", None)]
    assert out["budget_total"] == {"amount": 1200000.0, "currency": "EUR", "basis": "stated", "positions": [1], "raw": ["EUR 1.2 million"]}
    assert out["provenance"]["budgets[0]"] == [{"page": 3, "bbox": [10, 10, 200, 20]}]
    assert out["provenance"]["budgets[1]"] == [{"page": 3, "bbox": [10, 30, 200, 40]}]


@pytest.mark.parametrize(("location", "currency", "warned"), [
    ("Aarhus, Denmark", "DKK", False), ("Bergen, Norway", "NOK", False), ("Umeå, Sweden", "SEK", False),
    ("Reykjavík, Iceland", "ISK", False), ("Graz, Austria", "SEK", True)])
def test_kronor_are_the_currency_of_the_practices_country(location, currency, warned):
    """'kr' is Swedish, Danish, Norwegian or Icelandic kronor: the location decides, and
    the total follows; elsewhere the word's default stands with a warning."""
    from pipeline.values.enrich import enrich

    practice = {
        "sections": {"about": "A programme.", "resources": "The municipality gave 250 000 kr and the region 50 000 kr.",
                     "evidence": None, "challenges": "A further 10 000 kr was never paid.", "transfer": None},
        "contacts": [], "institution": "Agency", "location": {"raw": location}, "websites": [], "pages": [3],
        "provenance": {}, "warnings": [],
    }
    out = enrich([practice])[0]
    assert [(b["amount"], b["currency"]) for b in out["budgets"]] == [(250000.0, currency), (50000.0, currency)]
    assert [(m["amount"], m["currency"]) for m in out["money_mentions"]] == [(10000.0, currency)]
    assert (out["budget_total"]["amount"], out["budget_total"]["currency"]) == (300000.0, currency)
    assumed = [w["message"] for w in out["warnings"] if w["code"] == "currency_assumed"]
    assert assumed == ([f"'{raw}': 'kr' is the currency of several countries and the practice's location does not settle which; read as SEK."
                        for raw in ("250 000 kr", "50 000 kr", "10 000 kr")] if warned else [])
