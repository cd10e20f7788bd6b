"""The Prefect flow and the command line, end to end on the real guide."""

import csv
import json
import os
import subprocess
import sys

import pytest

from conftest import GUIDE_PDF, ROOT


@pytest.mark.slow  # Prefect
def test_flow_writes_the_contract_files(prefect_harness, guide, tmp_path):
    from flows.guide_flow import extract_guides

    [outcome] = extract_guides([GUIDE_PDF], tmp_path)
    folder = tmp_path / "smarty-good-practice-guide"
    assert (outcome.status, outcome.pages, outcome.practices, outcome.out) == ("ok", 37, 26, str(folder))
    assert sorted(p.name for p in folder.iterdir()) == [
        "budgets.csv", "datapackage.json", "guide.json", "metrics.csv", "practices.csv", "practices.jsonl", "report.html",
        "schema.json",
    ]
    data = json.loads((folder / "guide.json").read_text(encoding="utf-8"))
    assert data == guide.model_dump(mode="json")
    assert data["schema_version"] == "1.0" and data["source"]["file"] == "smarty-good-practice-guide.pdf"
    lines = (folder / "practices.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [p.id for p in guide.practices]
    rows = list(csv.DictReader((folder / "practices.csv").open(encoding="utf-8-sig")))  # with a BOM, for spreadsheets
    assert len(rows) == 26
    assert rows[1]["contact_emails"] == "bryony.chipp@westyorks-ca.gov.uk"
    tuscany = next(r for r in rows if r["id"].startswith("the-dih-and-competence-centre-in-tuscany"))
    assert tuscany["websites"] == (
        "https://www.confindustria.toscana.it/digital-innovation-hub-toscana/ | https://www.artes4.it/"
    )
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_committed_output_is_what_the_code_produces(guide):
    committed = json.loads((ROOT / "output" / "smarty-good-practice-guide" / "guide.json").read_text(encoding="utf-8"))
    assert committed == guide.model_dump(mode="json")


@pytest.mark.slow  # Prefect
def test_cli_runs_quietly(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(GUIDE_PDF), "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout == (
        f"{GUIDE_PDF}: 26 practices in 4 themes, 40 practice warnings, 9 document warnings -> {tmp_path / 'smarty-good-practice-guide'}\n"
    )


def test_cli_reports_a_missing_file_in_one_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(tmp_path / "nope.pdf"), "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"guide-extract: error: {tmp_path / 'nope.pdf'}: no such file\n"
    assert list(tmp_path.iterdir()) == []
